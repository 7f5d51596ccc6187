"""Verification: a complete registration sent to the verifiers, and their decision (verified,
back for correction with the list, or rejected)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record

from ..models import (
    Candidate,
    Decision,
    VerificationDecision,
)
from ..rules import (
    candidate_data_check,
)
from ..stages import Stage
from ._shared import _user_or_none
from .stages import candidate_stage_change


def candidate_submit(*, candidate: Candidate, actor, today=None) -> Candidate:
    """Send a complete registration (or a corrected one) to the verifiers."""
    from ..selectors import registration_missing

    today = today or timezone.localdate()
    if candidate.stage not in (Stage.REGISTERING, Stage.CORRECTION):
        raise ValidationError(
            _("Pendaftaran ini sudah dikirim (tahap sekarang: %(stage)s).")
            % {"stage": Stage(candidate.stage).label}
        )
    missing = registration_missing(candidate, today=today)
    if missing:
        raise ValidationError(
            [_("Belum lengkap: %(item)s.") % {"item": item.label} for item in missing],
            code="incomplete",
        )
    checked = candidate_data_check({"birth_date": candidate.birth_date}, today=today)
    checked.raise_errors()  # age on the day the registration is sent
    reason = (
        _("Perbaikan dikirim ulang.")
        if candidate.stage == Stage.CORRECTION
        else _("Pendaftaran dikirim.")
    )
    return candidate_stage_change(
        candidate=candidate, to_stage=Stage.REGISTERED, actor=actor, reason=reason
    )


def candidate_verify(
    *, candidate: Candidate, actor, decision: str, items=(), reason: str = "", today=None
) -> VerificationDecision:
    """The verifier's decision: verified, back for correction (with the list), or rejected."""
    from ..selectors import verification_blockers

    today = today or timezone.localdate()
    # the list is what to correct: a stale one left in the box is not kept with another decision
    items = (
        [str(i).strip() for i in items if str(i).strip()] if decision == Decision.CORRECTION else []
    )
    reason = (reason or "").strip()
    if decision == Decision.CORRECTION and not items:
        raise ValidationError(
            {"items": [_("Tulis apa saja yang harus diperbaiki, satu per baris.")]}
        )
    if decision == Decision.REJECTED and not reason:
        raise ValidationError(
            {"reason": [_("Tulis alasan penolakan; pencari kerja akan membacanya.")]}
        )
    if decision not in Decision.values:
        raise ValidationError(_("Pilih keputusan."))
    to_stage = {
        Decision.VERIFIED: Stage.VERIFIED,
        Decision.CORRECTION: Stage.CORRECTION,
        Decision.REJECTED: Stage.REJECTED,
    }[decision]
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if decision == Decision.VERIFIED:
            blockers = verification_blockers(locked, today=today)
            if blockers:
                raise ValidationError([ValidationError(b, code="blocked") for b in blockers])
        stage_reason = reason or "\n".join(f"- {item}" for item in items)
        candidate_stage_change(
            candidate=locked, to_stage=to_stage, actor=actor, reason=stage_reason
        )
        record = VerificationDecision.objects.create(
            candidate=locked,
            decision=decision,
            items=items,
            reason=reason,
            actor=_user_or_none(actor),
        )
        audit_record(
            actor=actor,
            action="candidate.verification",
            target=locked,
            changes={"decision": [None, decision], "items": [None, items]},
            reason=reason,
        )
    candidate.stage = to_stage
    return record

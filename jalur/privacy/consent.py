"""Consent versions: the manager publishes a new text; each person answers it at their next log-in
(agree, or not: which withdraws them), kept per version with its time."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate, ConsentText
from jalur.candidates.services import candidate_consent_give

from .models import ConsentAnswer
from .withdraw import candidate_withdraw

TEXT_FIELDS = ("version", "title", "collected", "purpose", "recipients", "retention", "rights")


def consent_publish(*, data: dict, actor) -> ConsentText:
    """A new version becomes the current one; earlier versions stay as they were agreed to."""
    if ConsentText.objects.filter(version=data["version"]).exists():
        raise ValidationError({"version": _("Versi ini sudah ada; pakai nomor versi baru.")})
    with transaction.atomic():
        ConsentText.objects.filter(is_current=True).update(is_current=False)
        text = ConsentText.objects.create(
            **{k: data[k] for k in TEXT_FIELDS}, published_at=timezone.now(), is_current=True
        )
        audit_record(
            actor=actor,
            action="privacy.consent_publish",
            target=text,
            changes={"version": [None, text.version]},
        )
    return text


def consent_pending(candidate: Candidate | None) -> ConsentText | None:
    """The current text, when the person agreed to an earlier one and has not answered this one."""
    if (
        candidate is None
        or not candidate.consent_at
        or candidate.stage in ("withdrawn", "rejected")
    ):
        return None
    current = ConsentText.objects.filter(is_current=True).first()
    if current is None or candidate.consent_version == current.version:
        return None
    if ConsentAnswer.objects.filter(candidate=candidate, consent_text=current).exists():
        return None
    return current


def consent_answer(
    *, candidate: Candidate, consent: ConsentText, agreed: bool, actor
) -> ConsentAnswer:
    """Keep the answer; agreeing records the consent, refusing withdraws the person where their
    stage allows (a worker abroad stays protected: the answer is kept and the office follows up)."""
    try:
        with transaction.atomic():
            answer = ConsentAnswer.objects.create(
                candidate=candidate, consent_text=consent, agreed=agreed, actor=actor
            )
            audit_record(
                actor=actor,
                action="privacy.consent_answer",
                target=candidate,
                changes={"consent": [consent.version, "setuju" if agreed else "tidak setuju"]},
            )
            if agreed:
                candidate_consent_give(candidate=candidate, consent=consent, actor=actor)
    except IntegrityError:
        raise ValidationError(_("Anda sudah menjawab versi ini."), code="answered") from None
    if not agreed:
        from jalur.rules.privacy import withdrawal_at

        if withdrawal_at(candidate.stage).allowed:
            candidate_withdraw(
                candidate=candidate,
                actor=actor,
                reason=_("Tidak menyetujui teks persetujuan versi %(v)s") % {"v": consent.version},
            )
    return answer

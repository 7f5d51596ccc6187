"""The fee ledger: costs recorded and judged by who may pay (`jalur.rules.fees`), the labour
office's decision on a worker-paid item the rules do not name, the follow-up of a forbidden
charge, and the worker's no-fee statements, which wait for both."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role, can
from jalur.audit.services import audit_record, diff, snapshot
from jalur.notifications.services import notify
from jalur.rules import fees

from ..models import (
    FEE_UNDECIDED,
    FEE_VIOLATION_OPEN,
    DepartureCase,
    FeeEntry,
    NoFeeStatement,
)
from ._shared import _agency_staff, _store


def fee_record(*, case: DepartureCase, data: dict, proof=None, actor) -> FeeEntry:
    """Record a cost, judged by the one rule of who may pay (`jalur.rules.fees.payer_may_pay`): a
    cost the worker may not pay is refused when planned and flagged as a violation when already
    paid; a worker-paid item the rules do not name ("Lainnya") must say what it is, and is recorded
    and waits for the labour office's decision (`fee_decide`), which the no-fee statement and the
    departure gate wait for."""
    zero_cost = case.application.order.job_type.zero_cost
    paid_by, state, item = data["paid_by"], data["state"], data["item"]
    ruling = fees.payer_may_pay(item, paid_by, zero_cost=zero_cost)
    forbidden = ruling.verdict == fees.Verdict.FORBIDDEN
    if state == FeeEntry.State.PAID and not data.get("paid_on"):
        raise ValidationError({"paid_on": _("Isi tanggal pembayaran.")})
    if state == FeeEntry.State.PAID and data["paid_on"] > timezone.localdate():
        raise ValidationError(
            {
                "paid_on": _(
                    "Tanggal pembayaran tidak boleh di masa depan; catat sebagai direncanakan."
                )
            }
        )
    if forbidden and state == FeeEntry.State.PLANNED:
        raise ValidationError({"paid_by": ruling.message}, code="worker_may_not_pay")
    if ruling.verdict == fees.Verdict.DECIDE and not (data.get("description") or "").strip():
        # The office decides on what the line says it is: a bare "Lainnya" gives it nothing.
        raise ValidationError(
            {
                "description": ValidationError(
                    _(
                        "Biaya ini dibayar pekerja dan tidak ada dalam daftar aturan: tulis "
                        "uraiannya (apa yang dibayar dan untuk apa) agar Disnakertrans dapat "
                        "memutuskan boleh atau tidak."
                    ),
                    code="fee_needs_description",
                )
            }
        )
    with transaction.atomic():
        fee = FeeEntry(
            case=case,
            recorded_by=actor,
            legal_basis=ruling.basis or data.get("legal_basis", ""),
            **{k: v for k, v in data.items() if k != "legal_basis"},
        )
        if forbidden:
            fee.violation = True
            fee.violation_note = _("Pekerja sudah membayar biaya yang dilarang: %(basis)s") % {
                "basis": ruling.basis
            }
        elif ruling.verdict == fees.Verdict.DECIDE:
            fee.decision = FeeEntry.Decision.PENDING
        if proof is not None:
            fee.content_type = _store(fee.proof, proof)
        fee.full_clean(exclude=["proof", "case", "recorded_by"])
        fee.save()
        audit_record(
            actor=actor,
            action="departure.fee_record",
            target=fee,
            changes=diff(
                {},
                snapshot(
                    fee, ["item", "amount", "currency", "paid_by", "state", "violation", "decision"]
                ),
            ),
        )
        if fee.violation:
            audit_record(
                actor=actor,
                action="departure.fee_violation",
                target=case,
                changes={"fee": [None, fee.pk]},
                reason=fee.violation_note,
            )
        elif fee.decision == FeeEntry.Decision.PENDING:
            audit_record(
                actor=actor,
                action="departure.fee_decision_needed",
                target=case,
                changes={"fee": [None, fee.pk]},
                reason=ruling.message,
            )
        if fee.violation or fee.decision == FeeEntry.Decision.PENDING:
            for manager in User.objects.filter(role=Role.PROGRAMME_MANAGER, is_active=True):
                notify(
                    user=manager,
                    key="fee_violation" if fee.violation else "fee_decision_needed",
                    context={"case": case, "fee": fee, "message": ruling.message},
                    link=f"/keberangkatan/{case.pk}/",
                )
    return fee


def fee_decide(*, fee: FeeEntry, allowed: bool, reason: str, actor) -> FeeEntry:
    """The labour office decides on a worker-paid item the rules do not name: allowed, or a violation
    (which then needs its follow-up, like any forbidden charge). The reason is required and kept on
    the ledger; the decision is audited and the case's P3MI is told, with the reason."""
    if not can(actor, "departure.endorse"):
        raise ValidationError(
            _("Hanya Disnakertrans yang bisa memutuskan biaya ini."), code="not_labour_office"
        )
    if not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "Tulis alasan keputusan, misalnya mengapa biaya ini boleh dibayar pekerja."
                )
            }
        )
    with transaction.atomic():
        fee = FeeEntry.objects.select_for_update().get(pk=fee.pk)
        if fee.decision != FeeEntry.Decision.PENDING:
            raise ValidationError(
                _("Biaya ini sudah diputuskan (%(decision)s). Muat ulang halaman.")
                % {"decision": fee.get_decision_display() or _("tidak perlu keputusan")},
                code="already_decided",
            )
        fee.decision = FeeEntry.Decision.ALLOWED if allowed else FeeEntry.Decision.VIOLATION
        fee.decision_reason = reason.strip()
        fee.decided_by = actor
        fee.decided_at = timezone.now()
        update = ["decision", "decision_reason", "decided_by", "decided_at"]
        if not allowed:
            fee.violation = True
            fee.violation_note = _("Disnakertrans memutuskan biaya ini pelanggaran: %(reason)s") % {
                "reason": fee.decision_reason
            }
            update += ["violation", "violation_note"]
        fee.save(update_fields=update)
        audit_record(
            actor=actor,
            action="departure.fee_decide",
            target=fee,
            changes={
                "decision": [FeeEntry.Decision.PENDING, fee.decision],
                "violation": [False, fee.violation],
            },
            reason=fee.decision_reason,
        )
        for staff in _agency_staff(fee.case):
            notify(
                user=staff,
                key="fee_decided",
                context={"case": fee.case, "fee": fee},
                link=f"/keberangkatan/{fee.case_id}/",
            )
    return fee


def fee_violation_follow_up(*, fee: FeeEntry, note: str, actor) -> FeeEntry:
    """What the office did about a forbidden charge (refund ordered, sanction recommended…)."""
    if not fee.violation:
        raise ValidationError(_("Biaya ini bukan pelanggaran."))
    if not note.strip():
        raise ValidationError(
            {"note": _("Tulis tindak lanjutnya, misalnya pengembalian uang kepada pekerja.")}
        )
    with transaction.atomic():
        before = fee.violation_followed_up
        fee.violation_followed_up = note
        fee.save(update_fields=["violation_followed_up"])
        audit_record(
            actor=actor,
            action="departure.fee_violation_follow_up",
            target=fee,
            changes={"violation_followed_up": [before, note]},
        )
    return fee


def _fee_name(fee: FeeEntry) -> str:
    """A fee as the case page lists it: what, how much, when paid."""
    what = fee.get_item_display() + (f" ({fee.description})" if fee.description else "")
    paid = (
        _(", dibayar %(date)s") % {"date": fee.paid_on.strftime("%d-%m-%Y")} if fee.paid_on else ""
    )
    return f"{what} {fee.currency} {floatformat(fee.amount, '-2g')}{paid}"


def no_fee_record(
    *, case: DepartureCase, occasion: str, signed_on: datetime.date, actor
) -> NoFeeStatement:
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("Tanggal tanda tangan tidak boleh di masa depan.")})
    with transaction.atomic():
        DepartureCase.objects.select_for_update().filter(pk=case.pk).first()
        # The worker cannot truthfully state that nothing was charged while a forbidden charge on
        # the case has not been dealt with (refunded, reported).
        unresolved = list(case.fees.filter(FEE_VIOLATION_OPEN))
        if unresolved:
            raise ValidationError(
                _(
                    "Pernyataan bebas biaya belum bisa dicatat: pungutan %(fees)s ditandai pelanggaran dan belum ditindaklanjuti. Disnakertrans harus mencatat tindak lanjutnya dulu (misalnya pengembalian uang kepada pekerja)."
                )
                % {"fees": "; ".join(_fee_name(fee) for fee in unresolved)},
                code="unresolved_fee_violation",
            )
        undecided = list(case.fees.filter(FEE_UNDECIDED))
        if undecided:
            raise ValidationError(
                _(
                    "Pernyataan bebas biaya belum bisa dicatat: biaya %(fees)s dibayar pekerja dan tidak ada dalam daftar aturan. Disnakertrans harus memutuskan dulu apakah biaya itu boleh, dengan alasan."
                )
                % {"fees": "; ".join(_fee_name(fee) for fee in undecided)},
                code="undecided_worker_fee",
            )
        statement, created = NoFeeStatement.objects.get_or_create(
            case=case, occasion=occasion, defaults={"signed_on": signed_on, "recorded_by": actor}
        )
        if not created:
            raise ValidationError(
                _("Pernyataan ini sudah tercatat (%(date)s).")
                % {"date": statement.signed_on.strftime("%d-%m-%Y")}
            )
        audit_record(
            actor=actor,
            action="departure.no_fee_statement",
            target=case,
            changes={occasion: [None, signed_on.isoformat()]},
        )
    return statement

"""The worker's return home, the reintegration follow-ups after it, and a returnee's next cycle."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record, diff, snapshot
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.notifications.services import notify
from jalur.placement.models import Application
from jalur.placement.states import ApplicationStatus
from jalur.rules import reintegration as rules
from jalur.training.models import Certificate, CertificateStatus

from ..models import (
    CheckInEscalation,
    FollowUpChannel,
    ReintegrationFollowUp,
    ReintegrationNeed,
    ReturnReason,
    ReturnRecord,
    YesNoMaybe,
)
from ._shared import _office_managers, _require_departed
from .returnee_state import returnee_state_sync
from .workers import _family_links_retire

# --- return ---------------------------------------------------------------------------------------


def return_record(*, candidate: Candidate, data: dict, actor) -> ReturnRecord:
    """Record the worker's return with a witnessed handover, and move their stage to RETURNED.

    The reintegration follow-ups (`rules.reintegration`) are scheduled with it, unless the worker
    died abroad; the accepted offer they worked is marked as worked, so it no longer holds them."""
    _require_departed(candidate)
    if data["returned_on"] > timezone.localdate():
        raise ValidationError({"returned_on": _("Tanggal kepulangan tidak boleh di masa depan.")})
    with transaction.atomic():
        record = ReturnRecord.objects.create(candidate=candidate, recorded_by=actor, **data)
        _family_links_retire(candidate, at=timezone.now())  # the family's code ends with the stay
        worked = list(
            Application.objects.select_for_update()
            .filter(
                candidate=candidate, status=ApplicationStatus.ACCEPTED, returned_on__isnull=True
            )
            .values_list("pk", flat=True)
        )
        Application.objects.filter(pk__in=worked).update(returned_on=record.returned_on)
        # The stay's missed check-ins end with it: a next stay starts its own count.
        closed_escalations = list(
            CheckInEscalation.objects.filter(
                candidate=candidate, closed_at__isnull=True
            ).values_list("pk", flat=True)
        )
        CheckInEscalation.objects.filter(pk__in=closed_escalations).update(closed_at=timezone.now())
        follow_ups = []
        if record.reason != ReturnReason.DECEASED:
            follow_ups = ReintegrationFollowUp.objects.bulk_create(
                ReintegrationFollowUp(
                    return_record=record, candidate=candidate, month=due.month, due_on=due.due_on
                )
                for due in rules.follow_up_schedule(record.returned_on)
            )
            returnee_state_sync(candidate.pk)  # bulk_create sends no signal
        audit_record(
            actor=actor,
            action="protection.return",
            target=candidate,
            changes=diff({}, snapshot(record, ["returned_on", "reason", "reintegration"]))
            | {
                "follow_ups": [None, [f.due_on.isoformat() for f in follow_ups]],
                "worked_applications": [None, worked],
                "escalations_closed": [None, closed_escalations],
            },
        )
        candidate_stage_change(
            candidate=candidate,
            to_stage=Stage.RETURNED,
            actor=actor,
            reason=f"{record.get_reason_display()}. {data.get('reason_note', '')}".strip(),
        )
    return record


# --- reintegration follow-up ----------------------------------------------------------------------

FOLLOW_UP_FIELDS = [
    "working",
    "work_where",
    "business_started",
    "business_what",
    "income_band",
    "wants_to_go_again",
    "go_again_where",
    "needs",
    "note",
]


def follow_up_open(follow_up: ReintegrationFollowUp, today: datetime.date) -> bool:
    """Whether the follow-up may be answered now: not done, and its day has come."""
    return follow_up.done_at is None and follow_up.due_on <= today


def follow_up_record(
    *, follow_up: ReintegrationFollowUp, data: dict, channel: str, actor
) -> ReintegrationFollowUp:
    """The returnee's answers, typed by them on their own page or by the office on the phone."""
    if channel not in FollowUpChannel.values:
        raise ValidationError(
            {"channel": _("Pilih cara tindak lanjut: sendiri, telepon atau kunjungan.")}
        )
    errors = {}
    if data.get("working") and not (data.get("work_where") or "").strip():
        errors["work_where"] = _("Tulis di mana atau di bidang apa Anda bekerja.")
    if data.get("business_started") and not (data.get("business_what") or "").strip():
        errors["business_what"] = _("Tulis usaha apa yang dibuka.")
    if data.get("wants_to_go_again") not in YesNoMaybe.values:
        errors["wants_to_go_again"] = _("Pilih apakah ingin bekerja ke luar negeri lagi.")
    unknown = [n for n in data.get("needs") or [] if n not in ReintegrationNeed.values]
    if unknown:
        errors["needs"] = _("Pilihan kebutuhan tidak dikenal. Muat ulang halaman.")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic():
        locked = ReintegrationFollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.done_at is not None:
            raise ValidationError(
                _("Tindak lanjut ini sudah diisi pada %(when)s.")
                % {"when": timezone.localtime(locked.done_at).strftime("%d-%m-%Y %H:%M")}
            )
        if locked.due_on > today:
            raise ValidationError(
                _("Tindak lanjut bulan ke-%(n)d baru bisa diisi mulai %(day)s.")
                % {"n": locked.month, "day": locked.due_on.strftime("%d-%m-%Y")}
            )
        before = snapshot(locked, FOLLOW_UP_FIELDS)
        for field in FOLLOW_UP_FIELDS:
            setattr(locked, field, data.get(field, getattr(locked, field)))
        if not locked.working:
            locked.work_where = ""
        if not locked.business_started:
            locked.business_what = ""
        if locked.wants_to_go_again == YesNoMaybe.NO:
            locked.go_again_where = ""
        locked.needs = sorted(set(locked.needs or []))
        locked.channel = channel
        locked.done_at = timezone.now()
        locked.done_by = actor if getattr(actor, "pk", None) else None
        locked.save()
        audit_record(
            actor=actor,
            action="protection.reintegration_follow_up",
            target=locked,
            changes=diff(before, snapshot(locked, FOLLOW_UP_FIELDS)) | {"channel": [None, channel]},
        )
    return locked


def follow_ups_remind(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: tell each returnee once when a follow-up is due, and the office once when
    one is overdue (`rules.reintegration.OVERDUE_AFTER_DAYS`). A person abroad again is followed
    by the monthly check-in instead: their earlier follow-ups are not asked for."""
    today = today or timezone.localdate()
    now = timezone.now()
    pending = ReintegrationFollowUp.objects.filter(done_at__isnull=True).exclude(
        candidate__stage__in=[Stage.READY, Stage.DEPARTED, Stage.WITHDRAWN]
    )
    told = {"returnees": 0, "office": 0}
    for follow_up in pending.filter(due_on__lte=today, reminded_at__isnull=True).select_related(
        "candidate__user"
    ):
        with transaction.atomic():
            if follow_up.candidate.user_id and follow_up.candidate.user.is_active:
                notify(
                    user=follow_up.candidate.user,
                    key="reintegration_due",
                    context={"candidate": follow_up.candidate, "follow_up": follow_up},
                    link=reverse("protection:my_reintegration"),
                )
                told["returnees"] += 1
            ReintegrationFollowUp.objects.filter(pk=follow_up.pk).update(reminded_at=now)
    overdue = list(
        pending.filter(due_on__lte=rules.overdue_since(today), office_told_at__isnull=True)
        .select_related("candidate")
        .order_by("due_on", "pk")
    )
    if overdue:
        with transaction.atomic():
            for manager in _office_managers():
                notify(
                    user=manager,
                    key="reintegration_overdue",
                    context={"follow_ups": overdue, "count": len(overdue)},
                    link=reverse("protection:returnees") + "?terlambat=1",
                )
            ReintegrationFollowUp.objects.filter(pk__in=[f.pk for f in overdue]).update(
                office_told_at=now
            )
            audit_record(
                actor=None,
                action="protection.reintegration_overdue",
                target=overdue[0],
                changes={"follow_ups": [None, [f.pk for f in overdue]]},
            )
        told["office"] = len(overdue)
    return told


# --- a returnee's next cycle ----------------------------------------------------------------------


def cycle_restart(*, candidate: Candidate, actor, reason: str) -> Candidate:
    """A returnee starts again ("Daftar lagi"): the same record (NIK is unique), one cycle more,
    back to filling in the registration with their data kept. Documents still valid are carried
    over; expired ones show as missing on the checklist. Earlier applications, departure cases and
    returns stay on their history. The office is told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Tulis alasan mendaftar lagi (mis. ingin bekerja lagi ke Jepang).")}
        )
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.stage != Stage.RETURNED:
            raise ValidationError(
                _("Daftar lagi hanya untuk yang sudah pulang. Tahap sekarang: %(stage)s.")
                % {"stage": locked.get_stage_display()}
            )
        last = locked.returns.order_by("-returned_on", "-pk").first()
        if last is not None and last.reason == ReturnReason.DECEASED:
            raise ValidationError(_("Pekerja ini tercatat meninggal dunia."))
        before = locked.cycle
        locked.cycle = before + 1
        locked.save(update_fields=["cycle", "updated_at"])
        audit_record(
            actor=actor,
            action="candidate.cycle_restart",
            target=locked,
            changes={"cycle": [before, locked.cycle]},
            reason=reason,
        )
        moved = candidate_stage_change(
            candidate=locked,
            to_stage=Stage.REGISTERING,
            actor=actor,
            reason=_("Daftar lagi (siklus ke-%(n)d): %(reason)s")
            % {"n": locked.cycle, "reason": reason},
        )
        link = reverse("candidates:detail", args=[locked.pk])
        for manager in _office_managers():
            notify(
                user=manager,
                key="returnee_registered_again",
                context={"candidate": moved, "reason": reason, "cycle": moved.cycle},
                link=link,
            )
    candidate.cycle = moved.cycle
    return moved


def valid_certificates(candidate: Candidate) -> list[Certificate]:
    """The person's training certificates that still hold (never revoked), newest first."""
    return list(
        Certificate.objects.filter(
            enrolment__candidate=candidate, status=CertificateStatus.VALID
        ).order_by("-issued_on", "-pk")
    )


def certificate_carry_over(*, candidate: Candidate, actor) -> Candidate:
    """A returnee verified again who still holds a valid training certificate goes straight to
    'trained': the certificate of the earlier cycle counts, training is not asked twice."""
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.cycle < 2 or locked.stage != Stage.VERIFIED:
            raise ValidationError(
                _("Hanya untuk peserta yang mendaftar lagi dan sudah diverifikasi ulang.")
            )
        certificates = valid_certificates(locked)
        if not certificates:
            raise ValidationError(
                _(
                    "Tidak ada sertifikat pelatihan yang masih berlaku; peserta perlu ikut pelatihan lagi."
                )
            )
        certificate = certificates[0]
        moved = candidate_stage_change(
            candidate=locked,
            to_stage=Stage.TRAINED,
            actor=actor,
            reason=_(
                "Sertifikat pelatihan siklus sebelumnya masih berlaku: %(number)s (%(programme)s)."
            )
            % {"number": certificate.number, "programme": certificate.programme_name},
        )
    candidate.stage = moved.stage
    return moved

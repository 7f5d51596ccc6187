"""Enrolment: seats, the programme quota and the waiting list, withdrawal, the candidate's stage,
and every move of an enrolment's status (`states.py`, through `status_move`).

Seats are the contested resource: every enrolment, withdrawal, promotion, capacity or quota change
locks the programme row first and the cohort row second, so the cohort capacity and the programme
quota hold under concurrent requests on PostgreSQL (SQLite serialises writers by itself).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.audit.transitions import status_move
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.pathways.models import PathwayAssignment
from jalur.rules import eligibility

from ..models import (
    CertificateStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Payer,
    Programme,
)
from ..selectors import (
    WAITING_ORDER,
    late_joining,
    quota_used,
    seats_taken,
    waiting_position,
)
from ..states import OPEN_ENROLMENT, TRANSITIONS
from ._shared import (
    ENROLLABLE_STAGES,
    _check_some_pathway_open,
    _notify,
    _now,
    _pathway_problem,
    _user,
)
from .costs import candidate_zero_cost_job_types, cohort_zero_cost_job_types, cost_ruling


def _age_problem(candidate: Candidate, pathways: list, on: datetime.date) -> str:
    """The pathway's age rule (`jalur.rules.eligibility.age_check`), as putting the candidate on it
    applies it: the pathway they are on when the programme prepares for it, else any of the
    programme's open pathways. "" when the candidate's age fits."""
    assigned = set(
        PathwayAssignment.objects.filter(candidate=candidate, is_active=True).values_list(
            "pathway_id", flat=True
        )
    )
    mine = [p for p in pathways if p.pk in assigned] or pathways
    age = eligibility.age_on(candidate.birth_date, on)
    failing = []
    for pathway in mine:
        check = eligibility.age_check(age, min_age=pathway.min_age, max_age=pathway.max_age)
        if check is None or check.passed:
            return ""
        failing.append(f"{pathway.name}: {check.message}")
    return _(
        "Belum memenuhi syarat umur skema yang disiapkan program ini: %(rules)s. Daftarkan ke "
        "program untuk skema yang sesuai umurnya."
    ) % {"rules": "; ".join(failing)}


def _check_enrollable(
    *, cohort: Cohort, programme: Programme, candidate: Candidate, today: datetime.date
) -> None:
    if cohort.closed_at:
        raise ValidationError(_("Angkatan ini sudah ditutup."), code="closed")
    if today > cohort.end_date:
        raise ValidationError(_("Angkatan ini sudah selesai."), code="finished")
    late = late_joining(cohort, on=today)
    if late is not None and late.cannot_pass:
        raise ValidationError(late.ruling.message, code="cannot_pass")
    if not programme.is_active:
        raise ValidationError(_("Program ini tidak aktif lagi."), code="inactive")
    provider = cohort.provider
    if not provider.is_active or not provider.licence_valid_on(today):
        raise ValidationError(
            _(
                "Izin %(name)s sudah berakhir (%(date)s). Pendaftaran peserta ditutup sampai izin diperbarui."
            )
            % {"name": provider, "date": provider.licence_valid_until.strftime("%d-%m-%Y")},
            code="licence",
        )
    open_pathways = _check_some_pathway_open(programme, today, code="pathway_not_open")
    if candidate.stage not in ENROLLABLE_STAGES:
        raise ValidationError(
            _(
                'Hanya pencari kerja yang sudah terverifikasi yang bisa didaftarkan; tahapnya sekarang "%(stage)s".'
            )
            % {"stage": Stage(candidate.stage).label},
            code="stage",
        )
    problem = _age_problem(candidate, open_pathways, today)
    if problem:
        raise ValidationError(problem, code="age")
    mine = Enrolment.objects.filter(candidate=candidate, cohort__programme=programme)
    if mine.filter(status=EnrolmentStatus.COMPLETED).exists():
        raise ValidationError(_("Pencari kerja ini sudah lulus program ini."), code="completed")
    open_one = mine.filter(status__in=OPEN_ENROLMENT).select_related("cohort").first()
    if open_one is not None:
        raise ValidationError(
            _("Pencari kerja ini sudah terdaftar di %(cohort)s (%(status)s).")
            % {"cohort": open_one.cohort.name, "status": open_one.get_status_display()},
            code="duplicate",
        )
    _check_trainee_pays_nothing(cohort=cohort, candidate=candidate)


def _check_trainee_pays_nothing(*, cohort: Cohort, candidate: Candidate) -> None:
    """A cohort with a line the trainee pays (recorded before the rule applied) takes no one new
    until that line's payer is changed."""
    paid = list(cohort.costs.filter(payer=Payer.CANDIDATE))
    if not paid:
        return
    zero_cost = bool(
        candidate_zero_cost_job_types([candidate.pk]) or cohort_zero_cost_job_types(cohort)
    )
    for line in paid:
        ruling = cost_ruling(
            item=line.item, payer=line.payer, zero_cost=zero_cost, description=line.description
        )
        if not ruling.allowed:
            raise ValidationError(
                _('Angkatan ini mencatat biaya "%(item)s" yang dibayar peserta. %(rule)s')
                % {"item": line.get_item_display(), "rule": ruling.message},
                code="trainee_pays",
            )


def _enter_training(candidate: Candidate, *, actor, reason: str, at) -> None:
    if candidate.stage != Stage.TRAINING:
        candidate_stage_change(
            candidate=candidate,
            to_stage=Stage.TRAINING,
            actor=actor,
            reason=reason,
            notify_candidate=False,
            at=at,
        )


def _settle_stage(candidate_id: int, *, actor, reason: str, at) -> None:
    """After an enrolment ends: trained if a course has been completed, else back to verified."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
    if candidate.stage != Stage.TRAINING:
        return
    if Enrolment.objects.filter(candidate=candidate, status=EnrolmentStatus.ENROLLED).exists():
        return
    # A course completed earlier (with its certificate standing) still counts: leaving a second
    # course does not undo the first.
    completed = (
        Enrolment.objects.filter(candidate=candidate, status=EnrolmentStatus.COMPLETED)
        .exclude(certificate__status=CertificateStatus.REVOKED)
        .exists()
    )
    candidate_stage_change(
        candidate=candidate,
        to_stage=Stage.TRAINED if completed else Stage.VERIFIED,
        actor=actor,
        reason=reason,
        notify_candidate=False,
        at=at,
    )


def _has_seat(cohort: Cohort, programme: Programme) -> bool:
    return seats_taken(cohort) < cohort.capacity and quota_used(programme) < programme.quota


def lock_enrollable(*, cohort: Cohort, candidate: Candidate, today):
    """Inside a transaction: lock the programme (its quota), the cohort and the person, in that
    order (every enrolment path takes them so, so two never deadlock), and refuse with the rules'
    reason when the person may not join. Returns the locked (programme, cohort, candidate)."""
    programme = Programme.objects.select_for_update().get(pk=cohort.programme_id)
    cohort = (
        Cohort.objects.select_for_update(of=("self",))
        .select_related("provider__organisation", "programme")
        .get(pk=cohort.pk)
    )
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _check_enrollable(cohort=cohort, programme=programme, candidate=locked, today=today)
    return programme, cohort, locked


def enrolment_create(
    *,
    cohort: Cohort,
    candidate: Candidate,
    actor,
    allow_waiting: bool = True,
    at: datetime.datetime | None = None,
) -> Enrolment:
    """Enrol a verified candidate, or put them on the waiting list when the cohort or quota is full."""
    now = _now(at)
    today = timezone.localtime(now).date()
    with transaction.atomic():
        programme, cohort, locked = lock_enrollable(cohort=cohort, candidate=candidate, today=today)
        if _has_seat(cohort, programme):
            status = EnrolmentStatus.ENROLLED
        elif allow_waiting:
            status = EnrolmentStatus.WAITING
        else:
            raise ValidationError(
                _("Angkatan ini penuh atau kuota program sudah habis."), code="full"
            )
        enrolment = Enrolment.objects.create(
            cohort=cohort,
            candidate=locked,
            status=status,
            created_at=now,
            enrolled_at=now if status == EnrolmentStatus.ENROLLED else None,
            created_by=_user(actor),
        )
        audit_record(
            actor=actor,
            action="training.enrolment.create",
            target=enrolment,
            changes={"status": [None, status], "cohort": [None, cohort.pk]},
        )
        context = {
            "cohort": cohort.name,
            "programme": programme.name,
            "provider": str(cohort.provider),
            "venue": cohort.venue,
            "start": cohort.start_date,
        }
        if status == EnrolmentStatus.ENROLLED:
            _enter_training(
                locked,
                actor=actor,
                reason=_("Terdaftar di %(programme)s, %(cohort)s") % context,
                at=now,
            )
            _notify(locked, "training_enrolled", context)
        else:
            context["position"] = waiting_position(enrolment)
            _notify(locked, "training_waiting", context)
    return enrolment


def enrolment_withdraw(
    *, enrolment: Enrolment, actor, reason: str, at: datetime.datetime | None = None
) -> Enrolment:
    """A trainee (or someone waiting) leaves. The freed seat goes to the next person waiting."""
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan peserta keluar.")})
    now = _now(at)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=enrolment.cohort.programme_id)
        Cohort.objects.select_for_update().filter(pk=enrolment.cohort_id).first()
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.status not in OPEN_ENROLMENT:
            raise ValidationError(_("Pendaftaran ini sudah berakhir."), code="ended")
        was = locked.status
        _end(locked, EnrolmentStatus.WITHDRAWN, actor=actor, reason=reason, at=now)
        if was == EnrolmentStatus.ENROLLED:
            _settle_stage(
                locked.candidate_id,
                actor=actor,
                reason=_("Keluar dari pelatihan: %(reason)s") % {"reason": reason},
                at=now,
            )
        _notify(
            locked.candidate,
            "training_withdrawn",
            {"cohort": locked.cohort.name, "programme": programme.name, "reason": reason},
        )
        _promote_waiting(programme, actor=actor, at=now)
    return locked


def _move(enrolment: Enrolment, status: str, *, actor, action: str, at, reason="", fields=None):
    """Every change of an enrolment's status, by the table of `states.py`, audited."""
    return status_move(
        enrolment,
        to_status=status,
        table=TRANSITIONS,
        labels=EnrolmentStatus,
        noun=_("Pendaftaran pelatihan"),
        actor=actor,
        action=action,
        reason=reason,
        fields=fields,
        changed_at_field=None,
        at=at,
    )


def _end(enrolment: Enrolment, status: str, *, actor, reason: str, at) -> None:
    _move(
        enrolment,
        status,
        actor=actor,
        action=f"training.enrolment.{status}",
        reason=reason,
        at=at,
        fields={"ended_at": at, "ended_by": _user(actor), "end_reason": reason},
    )


def _promote_waiting(programme: Programme, *, actor, at=None) -> list[Enrolment]:
    """Give free seats to the people waiting longest. Call with the programme row locked."""
    now = _now(at)
    today = timezone.localtime(now).date()
    promoted = []
    skipped: set[int] = set()
    # no one is seated on a course for pathways that are all suspended or closed: they keep waiting
    open_pathways = [p for p in programme.pathways.all() if not _pathway_problem(p, today)]
    while open_pathways and quota_used(programme) < programme.quota:
        waiting = (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(
                cohort__programme=programme,
                status=EnrolmentStatus.WAITING,
                cohort__closed_at__isnull=True,
                cohort__end_date__gte=today,
            )
            .exclude(pk__in=skipped)
            .select_related("cohort__provider__organisation", "candidate")
            .order_by(*WAITING_ORDER)
        )
        chosen = None
        for entry in waiting:
            if seats_taken(entry.cohort) >= entry.cohort.capacity:
                skipped.add(entry.pk)
                continue
            chosen = entry
            break
        if chosen is None:
            break
        candidate = Candidate.objects.select_for_update().get(pk=chosen.candidate_id)
        if candidate.stage not in ENROLLABLE_STAGES:
            _end(
                chosen,
                EnrolmentStatus.WITHDRAWN,
                actor=actor,
                reason=_("Tidak lagi memenuhi syarat saat kursi tersedia (tahap %(stage)s).")
                % {"stage": Stage(candidate.stage).label},
                at=now,
            )
            continue
        too_old = _age_problem(candidate, open_pathways, today)
        if too_old:
            _end(
                chosen,
                EnrolmentStatus.WITHDRAWN,
                actor=actor,
                reason=_("Tidak lagi memenuhi syarat saat kursi tersedia: %(problem)s")
                % {"problem": too_old},
                at=now,
            )
            continue
        late = late_joining(chosen.cohort, on=today)
        if late is not None and late.cannot_pass:
            # seated now they could not pass; ended, they may be enrolled in a later cohort
            _end(
                chosen,
                EnrolmentStatus.WITHDRAWN,
                actor=actor,
                reason=_("Kursi tersedia terlambat: %(problem)s")
                % {"problem": late.ruling.message},
                at=now,
            )
            _notify(
                candidate,
                "training_withdrawn",
                {
                    "cohort": chosen.cohort.name,
                    "programme": programme.name,
                    "reason": late.ruling.message.rstrip("."),
                },
            )
            continue
        _move(
            chosen,
            EnrolmentStatus.ENROLLED,
            actor=actor,
            action="training.enrolment.promote",
            at=now,
            fields={"enrolled_at": now},
        )
        context = {
            "cohort": chosen.cohort.name,
            "programme": programme.name,
            "provider": str(chosen.cohort.provider),
            "venue": chosen.cohort.venue,
            "start": chosen.cohort.start_date,
        }
        _enter_training(
            candidate,
            actor=actor,
            reason=_("Naik dari daftar tunggu: %(programme)s, %(cohort)s") % context,
            at=now,
        )
        _notify(candidate, "training_promoted", context)
        promoted.append(chosen)
    return promoted

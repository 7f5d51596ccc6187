"""Writes for training. Each service validates, writes inside one transaction and audits the change.

Seats are the contested resource: every enrolment, withdrawal, promotion, capacity or quota change
locks the programme row first and the cohort row second, so the cohort capacity and the programme
quota hold under concurrent requests on PostgreSQL (SQLite serialises writers by itself).
"""

import calendar
import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.roles import OrganisationKind
from jalur.audit.services import audit_record, diff, snapshot
from jalur.audit.transitions import status_move
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.core.phone import normalize_phone
from jalur.notifications.services import notify
from jalur.pathways.models import JlptLevel, JobType, PathwayAssignment
from jalur.rules import eligibility, fees
from jalur.rules import pathways as pathway_rules

from . import scales
from .models import (
    Assessment,
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Payer,
    Programme,
    Provider,
    ResultKind,
    ScaleSetting,
    Session,
    TrainingCost,
)
from .scales import Test
from .selectors import (
    JOB_TESTS,
    CompletionCheck,
    certificate_revoked_standing,
    cohort_completion,
    completion_check,
    quota_used,
    schedule_progress,
    seats_taken,
    waiting_position,
)
from .states import OPEN_ENROLMENT, TRANSITIONS

# A candidate may start a course once verified, and take a further one while training or trained.
ENROLLABLE_STAGES = frozenset({Stage.VERIFIED, Stage.TRAINING, Stage.TRAINED})


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _notify(candidate: Candidate, key: str, context: dict, link: str = "/") -> None:
    if candidate.user_id:
        notify(user=candidate.user, key=key, context=context, link=link)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# --- providers ------------------------------------------------------------------------------------
PROVIDER_FIELDS = [
    "kind",
    "licence_number",
    "licence_valid_until",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "is_active",
]


def _provider_clean(provider: Provider) -> None:
    if provider.organisation.kind != OrganisationKind.TRAINING_PROVIDER:
        raise ValidationError(
            {"organisation": _("Pilih organisasi berjenis lembaga pelatihan (LPK/BLK).")}
        )
    phone = normalize_phone(provider.contact_phone)
    if phone is None:
        raise ValidationError(
            {"contact_phone": _("Tulis nomor HP yang benar, misalnya 0812-3456-7890.")}
        )
    provider.contact_phone = phone
    provider.full_clean()


def provider_create(*, actor, organisation, data: dict) -> Provider:
    with transaction.atomic():
        provider = Provider(
            organisation=organisation, **{k: v for k, v in data.items() if k in PROVIDER_FIELDS}
        )
        _provider_clean(provider)
        provider.save()
        audit_record(
            actor=actor,
            action="training.provider.create",
            target=provider,
            changes=diff({}, snapshot(provider, PROVIDER_FIELDS)),
        )
    return provider


def provider_update(*, actor, provider: Provider, data: dict, reason: str = "") -> Provider:
    with transaction.atomic():
        locked = Provider.objects.select_for_update().get(pk=provider.pk)
        before = snapshot(locked, PROVIDER_FIELDS)
        for key, value in data.items():
            if key in PROVIDER_FIELDS:
                setattr(locked, key, value)
        _provider_clean(locked)
        locked.save()
        audit_record(
            actor=actor,
            action="training.provider.update",
            target=locked,
            changes=diff(before, snapshot(locked, PROVIDER_FIELDS)),
            reason=reason,
        )
    return locked


# --- programmes -----------------------------------------------------------------------------------
PROGRAMME_FIELDS = [
    "code",
    "name",
    "kind",
    "hours",
    "description",
    "min_attendance_pct",
    "required_assessments",
    "quota",
    "is_active",
]


def requirements_clean(items) -> list[dict]:
    """Validate a programme's required assessments: [{"test", "min_score", "min_level", "official"}]."""
    if not isinstance(items, list):
        raise ValidationError({"required_assessments": _("Daftar ujian wajib tidak valid.")})
    cleaned, seen = [], set()
    ranges = {
        Test.EPS_TOPIK: (0, scales.EPS_TOTAL_MAX),
        Test.JFT_BASIC: (scales.JFT_MIN, scales.JFT_MAX),
        Test.JLPT: (0, scales.JLPT_MAX),
        Test.SKILL: (0, scales.SKILL_SCORE_MAX),
    }
    for item in items:
        test = item.get("test")
        if test not in Test.values or test in seen:
            raise ValidationError(
                {"required_assessments": _("Setiap ujian wajib hanya boleh dipilih sekali.")}
            )
        seen.add(test)
        min_score = item.get("min_score")
        if min_score is not None:
            low, high = ranges.get(test, (0, 0))
            if test not in ranges or not low <= int(min_score) <= high:
                raise ValidationError(
                    {
                        "required_assessments": _(
                            "Nilai minimal %(test)s harus antara %(low)s dan %(high)s."
                        )
                        % {"test": Test(test).label, "low": low, "high": high}
                    }
                )
            min_score = int(min_score)
        level = item.get("min_level") or ""
        if level and (test != Test.JLPT or level not in JlptLevel.values):
            raise ValidationError(
                {"required_assessments": _("Level minimal hanya untuk JLPT (N5–N1).")}
            )
        cleaned.append(
            {
                "test": test,
                "min_score": min_score,
                "min_level": level,
                "official": bool(item.get("official")),
            }
        )
    return cleaned


def _check_pathways_open(pathways) -> None:
    """A programme is made or changed only for pathways open today; the refusal names each closed
    one with its stored reason and legal basis (`jalur.rules.pathways.pathway_open_problem`)."""
    today = timezone.localdate()
    problems = [problem for p in pathways if (problem := _pathway_problem(p, today))]
    if problems:
        raise ValidationError({"pathways": " ".join(problems)}, code="pathway_not_open")


def _check_job_tests(required: list[dict], job_types) -> None:
    """A skill test or licence counts only for the job types a programme trains for
    (`jalur.rules.training.fits_programme`), so a programme that requires one names them."""
    if any(r["test"] in JOB_TESTS for r in required) and not list(job_types):
        raise ValidationError(
            {
                "job_types": _(
                    "Pilih jenis pekerjaan yang dilatih program ini: uji keterampilan dan lisensi "
                    "wajib hanya dihitung bila diambil untuk jenis pekerjaan program."
                )
            }
        )


def _programme_snapshot(programme: Programme) -> dict:
    data = snapshot(programme, PROGRAMME_FIELDS)
    data["pathways"] = sorted(programme.pathways.values_list("code", flat=True))
    data["job_types"] = sorted(programme.job_types.values_list("code", flat=True))
    return data


def programme_create(*, actor, data: dict, pathways, job_types=()) -> Programme:
    if not list(pathways):
        raise ValidationError(
            {"pathways": _("Pilih minimal satu skema yang disiapkan program ini.")}
        )
    _check_pathways_open(pathways)
    with transaction.atomic():
        programme = Programme(**{k: v for k, v in data.items() if k in PROGRAMME_FIELDS})
        programme.required_assessments = requirements_clean(programme.required_assessments)
        _check_job_tests(programme.required_assessments, job_types)
        programme.full_clean()
        programme.save()
        programme.pathways.set(pathways)
        programme.job_types.set(job_types)
        audit_record(
            actor=actor,
            action="training.programme.create",
            target=programme,
            changes=diff({}, _programme_snapshot(programme)),
        )
    return programme


def programme_update(
    *, actor, programme: Programme, data: dict, pathways, job_types=(), reason: str = ""
) -> Programme:
    if not list(pathways):
        raise ValidationError(
            {"pathways": _("Pilih minimal satu skema yang disiapkan program ini.")}
        )
    _check_pathways_open(pathways)
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        before = _programme_snapshot(locked)
        for key, value in data.items():
            if key in PROGRAMME_FIELDS:
                setattr(locked, key, value)
        locked.required_assessments = requirements_clean(locked.required_assessments)
        _check_job_tests(locked.required_assessments, job_types)
        used = quota_used(locked)
        if locked.quota < used:
            raise ValidationError(
                {
                    "quota": _(
                        "Kuota tidak boleh lebih kecil dari jumlah peserta yang sudah memakai kursi (%(used)s)."
                    )
                    % {"used": used}
                }
            )
        locked.full_clean()
        locked.save()
        locked.pathways.set(pathways)
        locked.job_types.set(job_types)
        audit_record(
            actor=actor,
            action="training.programme.update",
            target=locked,
            changes=diff(before, _programme_snapshot(locked)),
            reason=reason,
        )
        _promote_waiting(locked, actor=actor)
    return locked


# --- cohorts and sessions -------------------------------------------------------------------------
COHORT_FIELDS = ["name", "start_date", "end_date", "venue", "instructor", "capacity", "notes"]


def _cohort_clean(cohort: Cohort) -> None:
    # Said beside the field here; the database constraints would only name themselves on top.
    errors = {}
    if cohort.start_date and cohort.end_date and cohort.start_date > cohort.end_date:
        errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if cohort.capacity is not None and cohort.capacity < 1:
        errors["capacity"] = _("Kapasitas paling sedikit 1 orang.")
    if errors:
        raise ValidationError(errors)
    cohort.full_clean()


def cohort_create(*, actor, programme: Programme, provider: Provider, data: dict) -> Cohort:
    if not programme.is_active:
        raise ValidationError({"programme": _("Program ini tidak aktif lagi.")})
    if not provider.is_active:
        raise ValidationError({"provider": _("Lembaga pelatihan ini tidak aktif.")})
    _check_some_pathway_open(
        programme, timezone.localdate(), code="pathway_not_open", field="programme"
    )
    start = data.get("start_date")
    if start and not provider.licence_valid_on(start):
        raise ValidationError(
            {
                "provider": _(
                    "Izin %(name)s berakhir %(date)s, sebelum angkatan dimulai. Perbarui data izin lembaga dulu."
                )
                % {"name": provider, "date": provider.licence_valid_until.strftime("%d-%m-%Y")}
            }
        )
    with transaction.atomic():
        cohort = Cohort(
            programme=programme,
            provider=provider,
            **{k: v for k, v in data.items() if k in COHORT_FIELDS},
        )
        _cohort_clean(cohort)
        cohort.save()
        audit_record(
            actor=actor,
            action="training.cohort.create",
            target=cohort,
            changes=diff({}, snapshot(cohort, ["programme_id", "provider_id", *COHORT_FIELDS])),
        )
    return cohort


def cohort_update(*, actor, cohort: Cohort, data: dict, reason: str = "") -> Cohort:
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=cohort.programme_id)
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if locked.closed_at:
            raise ValidationError(_("Angkatan sudah ditutup dan tidak bisa diubah."))
        before = snapshot(locked, COHORT_FIELDS)
        for key, value in data.items():
            if key in COHORT_FIELDS:
                setattr(locked, key, value)
        taken = seats_taken(locked)
        if locked.capacity is not None and locked.capacity < taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "Kapasitas tidak boleh lebih kecil dari jumlah peserta sekarang (%(n)s)."
                    )
                    % {"n": taken}
                }
            )
        outside = locked.sessions.exclude(date__range=(locked.start_date, locked.end_date))
        if locked.start_date and locked.end_date and outside.exists():
            raise ValidationError(
                {"end_date": _("Ada sesi di luar tanggal baru. Hapus atau pindahkan sesinya dulu.")}
            )
        _cohort_clean(locked)
        locked.save()
        audit_record(
            actor=actor,
            action="training.cohort.update",
            target=locked,
            changes=diff(before, snapshot(locked, COHORT_FIELDS)),
            reason=reason,
        )
        _promote_waiting(programme, actor=actor)
    return locked


def sessions_schedule(
    *,
    actor,
    cohort: Cohort,
    first_date: datetime.date,
    last_date: datetime.date,
    weekdays: list[int],
    start_time: datetime.time,
    end_time: datetime.time,
    topic: str = "",
) -> list[Session]:
    """Add a session on each chosen weekday (0 = Monday) between two dates; existing slots stay."""
    errors = {}
    if cohort.closed_at:
        raise ValidationError(_("Angkatan sudah ditutup."))
    if first_date > last_date:
        errors["last_date"] = _("Tanggal akhir jadwal tidak boleh sebelum tanggal awal.")
    if first_date < cohort.start_date or last_date > cohort.end_date:
        errors["first_date"] = _("Jadwal harus di antara %(start)s dan %(end)s.") % {
            "start": cohort.start_date.strftime("%d-%m-%Y"),
            "end": cohort.end_date.strftime("%d-%m-%Y"),
        }
    if start_time >= end_time:
        errors["end_time"] = _("Jam selesai harus setelah jam mulai.")
    if not weekdays:
        errors["weekdays"] = _("Pilih minimal satu hari.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = set(cohort.sessions.values_list("date", "start_time"))
        new = []
        day = first_date
        while day <= last_date:
            if day.weekday() in weekdays and (day, start_time) not in existing:
                new.append(
                    Session(
                        cohort=cohort,
                        date=day,
                        start_time=start_time,
                        end_time=end_time,
                        topic=topic,
                    )
                )
            day += datetime.timedelta(days=1)
        Session.objects.bulk_create(new)
        audit_record(
            actor=actor,
            action="training.sessions.schedule",
            target=cohort,
            changes={"sessions_added": [None, len(new)]},
        )
    return new


def session_delete(*, actor, session: Session) -> None:
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.register_saved_at or locked.attendance.exists():
            raise ValidationError(_("Sesi yang sudah diabsen tidak bisa dihapus."))
        audit_record(
            actor=actor,
            action="training.session.delete",
            target=locked.cohort,
            changes={"session": [str(locked), None]},
        )
        locked.delete()


# --- enrolment ------------------------------------------------------------------------------------
def candidate_zero_cost_job_types(candidate_ids) -> list[JobType]:
    """Zero-cost job types the candidates aim for (their pathway's job type or their preferences)."""
    ids = list(candidate_ids)
    preferred = Candidate.preferred_job_types.through.objects.filter(candidate_id__in=ids)
    assigned = PathwayAssignment.objects.filter(candidate_id__in=ids, is_active=True)
    return list(
        JobType.objects.filter(zero_cost=True).filter(
            Q(pk__in=preferred.values("jobtype_id")) | Q(pk__in=assigned.values("job_type_id"))
        )
    )


def _pathway_problem(pathway, on: datetime.date) -> str:
    """Why the pathway cannot be used on `on` (its stored reason and legal basis), "" when open."""
    return pathway_rules.pathway_open_problem(
        state=pathway.state,
        name=pathway.name,
        reason=pathway.state_reason,
        basis=pathway.legal_basis,
        closes_on=pathway.closes_on,
        on=on,
    )


def _check_some_pathway_open(programme: Programme, on: datetime.date, *, code: str, field=None):
    """The programme's pathways open on `on`; refused when none is (a course for a suspended or
    closed pathway prepares no one for anything)."""
    pathways = list(programme.pathways.all())
    problems = {p: _pathway_problem(p, on) for p in pathways}
    open_ones = [p for p, problem in problems.items() if not problem]
    if not open_ones:
        message = _(
            "Program %(programme)s hanya menyiapkan skema yang sedang tidak dibuka, jadi angkatan "
            "dan pendaftaran ditutup. %(problems)s"
        ) % {"programme": programme.name, "problems": " ".join(problems.values())}
        raise ValidationError({field: message} if field else message, code=code)
    return open_ones


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
        ruling = cost_ruling(item=line.item, payer=line.payer, zero_cost=zero_cost)
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
        programme = Programme.objects.select_for_update().get(pk=cohort.programme_id)
        cohort = (
            Cohort.objects.select_for_update(of=("self",))
            .select_related("provider__organisation", "programme")
            .get(pk=cohort.pk)
        )
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        _check_enrollable(cohort=cohort, programme=programme, candidate=locked, today=today)
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
            .order_by("created_at", "pk")
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


# --- attendance -----------------------------------------------------------------------------------
def _register_check(session: Session, today: datetime.date) -> None:
    if session.cohort.closed_at:
        raise ValidationError(_("Angkatan sudah ditutup; absensi tidak bisa diubah."))
    if session.date > today:
        raise ValidationError(
            _("Sesi ini belum berlangsung (%(date)s); absensi diisi pada hari itu atau sesudahnya.")
            % {"date": session.date.strftime("%d-%m-%Y")}
        )


def _register_open(session: Session, *, actor, now) -> None:
    """Everyone currently enrolled is present unless marked otherwise: write those rows once."""
    marked = set(Attendance.objects.filter(session=session).values_list("enrolment_id", flat=True))
    # Someone who joined after this session was not expected at it.
    missing = (
        Enrolment.objects.filter(cohort_id=session.cohort_id, status=EnrolmentStatus.ENROLLED)
        .exclude(pk__in=marked)
        .exclude(enrolled_at__date__gt=session.date)
        .values_list("pk", flat=True)
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                enrolment_id=pk,
                status=AttendanceStatus.PRESENT,
                marked_by=_user(actor),
                marked_at=now,
            )
            for pk in missing
        ]
    )
    if session.register_saved_at is None:
        session.register_saved_at = now
        session.register_saved_by = _user(actor)
        session.save(update_fields=["register_saved_at", "register_saved_by"])


def attendance_mark(
    *, session: Session, enrolment: Enrolment, status: str, actor, at=None
) -> Attendance:
    """One tap on the register: set one trainee's status (the others stay present)."""
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Pilih hadir, terlambat, izin/sakit atau tidak hadir."))
    if enrolment.cohort_id != session.cohort_id:
        raise ValidationError(_("Peserta ini bukan peserta angkatan sesi ini."))
    now = _now(at)
    with transaction.atomic():
        locked = (
            Session.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=session.pk)
        )
        _register_check(locked, timezone.localtime(now).date())
        _register_open(locked, actor=actor, now=now)
        row = (
            Attendance.objects.select_for_update()
            .filter(session=locked, enrolment=enrolment)
            .first()
        )
        if row is None:
            raise ValidationError(_("Peserta ini sudah tidak terdaftar di angkatan."))
        if row.status != status:
            before = row.status
            row.status = status
            row.marked_by = _user(actor)
            row.marked_at = now
            row.save(update_fields=["status", "marked_by", "marked_at"])
            audit_record(
                actor=actor,
                action="training.attendance.mark",
                target=row,
                changes={"status": [before, status]},
            )
    return row


def attendance_register_save(
    *, session: Session, statuses: dict[int, str], actor, at=None
) -> dict[str, int]:
    """Save a whole register (the form without JavaScript): anyone not listed is present."""
    if any(s not in AttendanceStatus.values for s in statuses.values()):
        raise ValidationError(_("Pilih hadir, terlambat, izin/sakit atau tidak hadir."))
    now = _now(at)
    with transaction.atomic():
        locked = (
            Session.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=session.pk)
        )
        _register_check(locked, timezone.localtime(now).date())
        _register_open(locked, actor=actor, now=now)
        changed = []
        for row in Attendance.objects.select_for_update().filter(session=locked):
            wanted = statuses.get(row.enrolment_id)
            if wanted and wanted != row.status:
                row.status = wanted
                row.marked_by = _user(actor)
                row.marked_at = now
                changed.append(row)
        Attendance.objects.bulk_update(changed, ["status", "marked_by", "marked_at"])
        counts = {
            s: Attendance.objects.filter(session=locked, status=s).count()
            for s in AttendanceStatus.values
        }
        audit_record(
            actor=actor,
            action="training.attendance.register",
            target=locked,
            changes={"changed": [None, len(changed)], **{k: [None, v] for k, v in counts.items()}},
        )
    return counts


# --- assessments ----------------------------------------------------------------------------------
SCORE_FIELDS = [
    "test",
    "kind",
    "taken_on",
    "reading",
    "listening",
    "score",
    "band",
    "jlpt_level",
    "jlpt_language",
    "jlpt_reading",
    "jlpt_language_reading",
    "jlpt_listening",
    "passed",
    "job_type_id",
    "title",
    "issuer",
    "certificate_number",
    "valid_until",
]


def assessment_record(
    *, candidate: Candidate, actor, data: dict, enrolment: Enrolment | None = None
) -> Assessment:
    """Record a test result on its official scale. Out-of-range scores are refused with the range."""
    test, kind = data.get("test"), data.get("kind")
    if test not in Test.values:
        raise ValidationError({"test": _("Pilih jenis ujian.")})
    if kind not in ResultKind.values:
        raise ValidationError({"kind": _("Pilih simulasi atau hasil resmi.")})
    taken_on = data.get("taken_on")
    if taken_on is None:
        raise ValidationError({"taken_on": _("Isi tanggal ujian.")})
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("Tanggal ujian tidak boleh di masa depan.")})
    if enrolment is not None and enrolment.candidate_id != candidate.pk:
        raise ValidationError(_("Pendaftaran pelatihan ini milik pencari kerja lain."))
    setting = ScaleSetting.objects.filter(test=test).first()
    pass_mark = setting.pass_mark if setting else None
    fields = {
        "candidate": candidate,
        "enrolment": enrolment,
        "test": test,
        "kind": kind,
        "taken_on": taken_on,
        "notes": data.get("notes", ""),
        "issuer": data.get("issuer", ""),
        "title": data.get("title", ""),
        "certificate_number": data.get("certificate_number", ""),
        "valid_until": data.get("valid_until"),
        "job_type": data.get("job_type"),
        "recorded_by": _user(actor),
    }
    if test == Test.EPS_TOPIK:
        outcome = scales.eps_topik_evaluate(
            reading=data.get("reading"), listening=data.get("listening"), pass_mark=pass_mark
        )
        fields.update(
            reading=data["reading"],
            listening=data["listening"],
            score=outcome.score,
            passed=outcome.passed,
        )
    elif test == Test.JFT_BASIC:
        outcome = scales.jft_basic_evaluate(score=data.get("score"), pass_mark=pass_mark)
        fields.update(score=outcome.score, band=outcome.band, passed=outcome.passed)
    elif test == Test.JLPT:
        level = data.get("jlpt_level") or ""
        sections = {
            "language": data.get("jlpt_language"),
            "reading": data.get("jlpt_reading"),
            "language_reading": data.get("jlpt_language_reading"),
            "listening": data.get("jlpt_listening"),
        }
        outcome = scales.jlpt_evaluate(level=level, sections=sections)
        used = {s.code for s in scales.JLPT_RULES[level].sections}
        fields.update(
            jlpt_level=level,
            score=outcome.score,
            passed=outcome.passed,
            **{f"jlpt_{code}": (v if code in used else None) for code, v in sections.items()},
        )
    elif test == Test.SKILL:
        scales.skill_score_check(data.get("score"))
        if data.get("passed") is None:
            raise ValidationError({"passed": _("Pilih lulus atau tidak lulus.")})
        errors = {}
        if not fields["title"].strip():
            errors["title"] = _("Tulis nama uji keterampilan.")
        if not fields["issuer"].strip():
            errors["issuer"] = _("Tulis penyelenggara uji (misalnya Prometric, LSP, HRD Korea).")
        if fields["job_type"] is None:
            errors["job_type"] = _("Pilih jenis pekerjaan yang diuji.")
        if errors:
            raise ValidationError(errors)
        fields.update(score=data.get("score"), passed=bool(data["passed"]))
    elif test == Test.CARE_JAPANESE:
        # pass/fail only: the score sheet's number is not a rule anywhere, so none is stored
        if data.get("passed") is None:
            raise ValidationError({"passed": _("Pilih lulus atau tidak lulus.")})
        fields.update(score=None, passed=bool(data["passed"]))
    else:  # competency certificate or licence: holding it is the pass
        errors = {}
        if not fields["certificate_number"].strip():
            errors["certificate_number"] = _("Tulis nomor sertifikat atau lisensi.")
        if not fields["title"].strip():
            errors["title"] = (
                _("Tulis skema kompetensi BNSP/LSP.")
                if test == Test.COMPETENCY
                else _("Tulis nama lisensi (misalnya SIM Jepang, STR perawat).")
            )
        if not fields["issuer"].strip():
            errors["issuer"] = _("Tulis lembaga penerbit (LSP, kepolisian, dll.).")
        if test == Test.LICENCE and fields["job_type"] is None:
            errors["job_type"] = _("Pilih jenis pekerjaan yang memerlukan lisensi ini.")
        if test == Test.COMPETENCY and kind != ResultKind.OFFICIAL:
            errors["kind"] = _("Sertifikat kompetensi selalu hasil resmi.")
        if errors:
            raise ValidationError(errors)
        fields.update(passed=True)
    if (
        fields["valid_until"] is None
        and setting
        and setting.valid_months
        and kind == ResultKind.OFFICIAL
    ):
        fields["valid_until"] = add_months(taken_on, setting.valid_months)
    if fields["valid_until"] is not None and fields["valid_until"] < taken_on:
        raise ValidationError({"valid_until": _("Masa berlaku tidak boleh sebelum tanggal ujian.")})
    with transaction.atomic():
        assessment = Assessment(**fields)
        assessment.full_clean()
        assessment.save()
        audit_record(
            actor=actor,
            action="training.assessment.record",
            target=assessment,
            changes=diff({}, snapshot(assessment, SCORE_FIELDS)),
        )
    return assessment


def assessment_delete(*, assessment: Assessment, actor, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan hasil ini dihapus.")})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="training.assessment.delete",
            target=assessment,
            changes=diff(snapshot(assessment, SCORE_FIELDS), {}),
            reason=reason,
        )
        assessment.delete()


def scale_setting_update(*, setting: ScaleSetting, actor, data: dict, reason: str) -> ScaleSetting:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis dasar perubahan (misalnya pengumuman resmi).")})
    fields = ["pass_mark", "valid_months", "source"]
    ranges = {
        Test.EPS_TOPIK: (0, scales.EPS_TOTAL_MAX),
        Test.JFT_BASIC: (scales.JFT_MIN, scales.JFT_MAX),
    }
    mark = data.get("pass_mark")
    if mark is not None:
        if setting.test not in ranges:
            raise ValidationError(
                {"pass_mark": _("Ujian ini tidak memakai batas lulus angka; kosongkan isian ini.")}
            )
        low, high = ranges[setting.test]
        if not low <= mark <= high:
            raise ValidationError(
                {
                    "pass_mark": _("Batas lulus %(test)s harus antara %(low)s dan %(high)s.")
                    % {"test": setting.get_test_display(), "low": low, "high": high}
                }
            )
    with transaction.atomic():
        locked = ScaleSetting.objects.select_for_update().get(pk=setting.pk)
        before = snapshot(locked, fields)
        for key in fields:
            if key in data:
                setattr(locked, key, data[key])
        locked.updated_by = _user(actor)
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            action="training.scale.update",
            target=locked,
            changes=diff(before, snapshot(locked, fields)),
            reason=reason,
        )
    return locked


# --- completion and certificates ------------------------------------------------------------------
_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def certificate_number(pk: int, year: int) -> str:
    """PLT-3673-2026-000123-K7QX: region, year, serial, and a random tail so numbers cannot be guessed."""
    region = settings.JALUR_HOME_REGION.replace(".", "")
    tail = "".join(secrets.choice(_NUMBER_ALPHABET) for _position in range(4))
    return f"PLT-{region}-{year}-{pk:06d}-{tail}"


def certificate_issue(
    *, enrolment: Enrolment, check: CompletionCheck, actor, on: datetime.date
) -> Certificate:
    """Issue the certificate of a completed enrolment (called by the completion services).

    It prints the hours the person attended, not the programme's nominal hours nor the whole
    schedule's (a late joiner or an absentee did not sit through all of it)."""
    cohort = enrolment.cohort
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number=f"tmp-{secrets.token_hex(8)}",
        token=secrets.token_urlsafe(18),
        holder_name=enrolment.candidate.full_name,
        programme_name=cohort.programme.name,
        hours=check.rate.hours,
        provider_name=str(cohort.provider),
        result=check.result_text(),
        issued_on=on,
        issued_by=_user(actor),
    )
    certificate.number = certificate_number(certificate.pk, on.year)
    certificate.save(update_fields=["number"])
    audit_record(
        actor=actor,
        action="training.certificate.issue",
        target=certificate,
        changes={"number": [None, certificate.number]},
    )
    return certificate


def _complete(enrolment: Enrolment, check: CompletionCheck, *, actor, now) -> Certificate:
    _end(enrolment, EnrolmentStatus.COMPLETED, actor=actor, reason=check.result_text(), at=now)
    certificate = certificate_issue(
        enrolment=enrolment, check=check, actor=actor, on=timezone.localtime(now).date()
    )
    _settle_stage(
        enrolment.candidate_id,
        actor=actor,
        reason=_("Lulus %(programme)s") % {"programme": enrolment.cohort.programme.name},
        at=now,
    )
    _notify(
        enrolment.candidate,
        "training_completed",
        {"programme": enrolment.cohort.programme.name, "number": certificate.number},
    )
    return certificate


def _fail(enrolment: Enrolment, *, actor, reason: str, now) -> None:
    _end(enrolment, EnrolmentStatus.FAILED, actor=actor, reason=reason, at=now)
    _settle_stage(
        enrolment.candidate_id,
        actor=actor,
        reason=_("Tidak lulus %(programme)s: %(reason)s")
        % {"programme": enrolment.cohort.programme.name, "reason": reason},
        at=now,
    )
    _notify(
        enrolment.candidate,
        "training_failed",
        {"programme": enrolment.cohort.programme.name, "reason": reason},
    )


def _lock_enrolment(enrolment: Enrolment) -> tuple[Programme, Enrolment]:
    programme = Programme.objects.select_for_update().get(pk=enrolment.cohort.programme_id)
    locked = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "cohort__provider__organisation", "candidate")
        .get(pk=enrolment.pk)
    )
    if locked.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(
            _("Hanya peserta aktif yang bisa dinyatakan lulus atau tidak lulus."), code="status"
        )
    return programme, locked


def enrolment_complete(
    *, enrolment: Enrolment, actor, at: datetime.datetime | None = None
) -> Certificate:
    """Complete one trainee who meets the programme's rule; issues the certificate, moves the stage."""
    now = _now(at)
    with transaction.atomic():
        _programme, locked = _lock_enrolment(enrolment)
        check = completion_check(locked, on=timezone.localtime(now).date())
        if not check.schedule.finished:
            raise ValidationError(check.schedule.refusal, code="not_finished")
        if not check.ok:
            raise ValidationError(
                _("Belum memenuhi syarat lulus: %(items)s.") % {"items": "; ".join(check.failures)},
                code="not_met",
            )
        return _complete(locked, check, actor=actor, now=now)


def enrolment_fail(
    *, enrolment: Enrolment, actor, reason: str, at: datetime.datetime | None = None
) -> Enrolment:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan peserta tidak lulus.")})
    now = _now(at)
    with transaction.atomic():
        programme, locked = _lock_enrolment(enrolment)
        _fail(locked, actor=actor, reason=reason, now=now)
        _promote_waiting(programme, actor=actor, at=now)
    return locked


def cohort_close(*, cohort: Cohort, actor, at: datetime.datetime | None = None) -> dict[str, int]:
    """End a cohort: who meets the rule completes (with a certificate), the others fail; waiting ends."""
    now = _now(at)
    today = timezone.localtime(now).date()
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=cohort.programme_id)
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if locked.closed_at:
            raise ValidationError(_("Angkatan ini sudah ditutup."))
        schedule = schedule_progress(locked, on=today)
        if not schedule.finished:
            raise ValidationError(schedule.refusal, code="not_finished")
        summary = {"completed": 0, "failed": 0, "waiting_ended": 0}
        for enrolment, check in cohort_completion(locked, on=today, schedule=schedule):
            if check.ok:
                _complete(enrolment, check, actor=actor, now=now)
                summary["completed"] += 1
            else:
                _fail(enrolment, actor=actor, reason="; ".join(check.failures), now=now)
                summary["failed"] += 1
        for waiting in locked.enrolments.filter(status=EnrolmentStatus.WAITING):
            _end(
                waiting,
                EnrolmentStatus.WITHDRAWN,
                actor=actor,
                reason=_("Angkatan ditutup sebelum ada kursi kosong."),
                at=now,
            )
            summary["waiting_ended"] += 1
        locked.closed_at = now
        locked.closed_by = _user(actor)
        locked.save(update_fields=["closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action="training.cohort.close",
            target=locked,
            changes={k: [None, v] for k, v in summary.items()},
        )
        _promote_waiting(programme, actor=actor, at=now)
    return summary


def _completion_revoke(enrolment: Enrolment, *, actor, reason: str) -> None:
    """The pass behind a revoked certificate no longer counts: the enrolment stops being
    completed, so it no longer blocks a new enrolment in the programme. When and why the course
    ended stay as they were; the revocation is its own audited change."""
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status != EnrolmentStatus.COMPLETED:
        return
    _move(
        locked,
        EnrolmentStatus.REVOKED,
        actor=actor,
        action="training.enrolment.revoked",
        reason=reason,
        at=timezone.now(),
    )
    enrolment.status = locked.status


def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan sertifikat dicabut.")})
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__candidate")
            .get(pk=certificate.pk)
        )
        if locked.status == CertificateStatus.REVOKED:
            raise ValidationError(_("Sertifikat ini sudah dicabut."))
        locked.status = CertificateStatus.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_by = _user(actor)
        locked.revoked_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
        audit_record(
            actor=actor,
            action="training.certificate.revoke",
            target=locked,
            changes={"status": [CertificateStatus.VALID, CertificateStatus.REVOKED]},
            reason=reason,
        )
        _completion_revoke(locked.enrolment, actor=actor, reason=reason)
        candidate = locked.enrolment.candidate
        _notify(
            candidate, "training_certificate_revoked", {"number": locked.number, "reason": reason}
        )
        # Without a valid certificate the training no longer counts: someone not yet in selection
        # goes back to VERIFIED (to train again); later stages are stopped by the departure gate.
        if candidate.stage == Stage.TRAINED and certificate_revoked_standing(candidate):
            candidate_stage_change(
                candidate=candidate,
                to_stage=Stage.VERIFIED,
                actor=actor,
                reason=_("Sertifikat pelatihan %(number)s dicabut: %(reason)s")
                % {"number": locked.number, "reason": reason},
            )
    return locked


# --- costs ----------------------------------------------------------------------------------------
COST_FIELDS = ["item", "description", "amount", "payer", "legal_basis"]


def cohort_zero_cost_job_types(cohort: Cohort) -> list[JobType]:
    """Zero-cost job types this cohort trains for: the programme's own and its trainees' targets."""
    trainees = cohort.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).values_list(
        "candidate_id", flat=True
    )
    found = {j.pk: j for j in cohort.programme.job_types.filter(zero_cost=True)}
    for job_type in candidate_zero_cost_job_types(trainees):
        found.setdefault(job_type.pk, job_type)
    return list(found.values())


def cost_ruling(*, item: str, payer: str, zero_cost: bool) -> fees.Ruling:
    """What the rule of who may pay (`jalur.rules.fees`) says of one line of a cohort's budget.

    Each training cost item is judged as the placement cost it is (training or certification); only
    a line paid by the trainee, the future worker, can be refused."""
    worker = fees.Payer.WORKER if payer == Payer.CANDIDATE else payer
    return fees.payer_may_pay(fees.training_cost_item(item), worker, zero_cost=zero_cost)


def cost_record(*, cohort: Cohort, actor, data: dict) -> TrainingCost:
    """Record a training cost. The trainee never pays this programme's training or certification."""
    with transaction.atomic():
        locked = (
            Cohort.objects.select_for_update(of=("self",))
            .select_related("programme")
            .get(pk=cohort.pk)
        )
        cost = TrainingCost(
            cohort=locked,
            recorded_by=_user(actor),
            **{k: v for k, v in data.items() if k in COST_FIELDS},
        )
        zero = cohort_zero_cost_job_types(locked)
        ruling = cost_ruling(item=cost.item, payer=cost.payer, zero_cost=bool(zero))
        if not ruling.allowed:
            message = ruling.message
            if zero:
                message += " " + _("Jabatan bebas biaya yang dilatih angkatan ini: %(jobs)s.") % {
                    "jobs": ", ".join(j.name for j in zero)
                }
            raise ValidationError({"payer": message})
        if cost.amount is not None and cost.amount < 0:
            raise ValidationError({"amount": _("Jumlah biaya tidak boleh negatif.")})
        cost.full_clean()
        cost.save()
        audit_record(
            actor=actor,
            action="training.cost.record",
            target=cost,
            changes=diff({}, snapshot(cost, COST_FIELDS)),
        )
    return cost


def cost_delete(*, cost: TrainingCost, actor, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan biaya ini dihapus.")})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="training.cost.delete",
            target=cost,
            changes=diff(snapshot(cost, COST_FIELDS), {}),
            reason=reason,
        )
        cost.delete()

"""Setting training up: providers, programmes (with their required results), cohorts and sessions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.roles import OrganisationKind
from jalur.audit.services import audit_record, diff, snapshot
from jalur.core.phone import normalize_phone
from jalur.pathways.models import JlptLevel

from .. import scales
from ..models import (
    Cohort,
    Programme,
    Provider,
    Session,
)
from ..scales import Test
from ..selectors import (
    JOB_TESTS,
    quota_used,
    seats_taken,
)
from ._shared import _check_some_pathway_open, _pathway_problem
from .enrolment import _promote_waiting

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

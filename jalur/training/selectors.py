"""Reads for training: lists, attendance rates, the completion check, a candidate's results."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.core.pagination import count_for_page
from jalur.pathways.models import JlptLevel
from jalur.rules import training as training_rules
from jalur.rules.eligibility import ExamResult

from .models import (
    ATTENDED,
    Assessment,
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Programme,
    ResultKind,
    ScaleSetting,
    Session,
)
from .scales import Test


# --- attendance ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rate:
    """Attendance over every session of the cohort held so far, those held before the person
    joined and those whose register was never taken included: a certificate says the programme
    was attended, not part of it (`jalur.rules.training`). Once the schedule is finished, `total`
    is the whole schedule."""

    attended: int
    total: int
    late: int = 0
    excused: int = 0
    absent: int = 0
    attended_seconds: int = 0

    @property
    def pct(self) -> Decimal | None:
        return training_rules.attendance_pct(self.attended, self.total)

    @property
    def missed_before_joining(self) -> int:
        """Sessions held with no mark for the person: before they joined the cohort, or whose
        register was not taken (late arrivals are among the attended)."""
        return self.total - self.attended - self.excused - self.absent

    @property
    def hours(self) -> int:
        """Whole clock hours of the sessions the person attended (what a certificate prints)."""
        return self.attended_seconds // 3600

    @property
    def attended_hours(self) -> Decimal:
        return Decimal(self.attended_seconds) / 3600


def _held_sessions(cohort_ids, on: datetime.date) -> dict[int, int]:
    """Per cohort, how many of its sessions were held on or before `on`."""
    return dict(
        Session.objects.filter(cohort_id__in=set(cohort_ids), date__lte=on)
        .values("cohort_id")
        .annotate(n=Count("id"))
        .values_list("cohort_id", "n")
    )


@dataclass(frozen=True)
class LateJoining:
    """What someone enrolled today can still reach: sessions already held count as missed."""

    taken: int
    total: int
    min_pct: int

    @property
    def best_pct(self) -> Decimal:
        return training_rules.attendance_pct(self.total - self.taken, self.total)

    @property
    def ruling(self) -> training_rules.Requirement:
        return training_rules.late_enrolment(
            held=self.taken, scheduled=self.total, min_pct=self.min_pct
        )

    @property
    def cannot_pass(self) -> bool:
        return not self.ruling.passed


def late_joining(cohort: Cohort, *, on: datetime.date | None = None) -> LateJoining | None:
    """None while no session was held before `on` (joining now misses nothing)."""
    on = on or timezone.localdate()
    held = _held_sessions([cohort.pk], on - datetime.timedelta(days=1)).get(cohort.pk, 0)
    if not held:
        return None
    return LateJoining(held, cohort.sessions.count(), cohort.programme.min_attendance_pct)


def attendance_rates(enrolment_ids, *, on: datetime.date | None = None) -> dict[int, Rate]:
    """Attendance per enrolment over its cohort's sessions held by `on` (today), in three queries.
    Enrolments whose cohort has held no session yet are left out."""
    on = on or timezone.localdate()
    ids = list(enrolment_ids)
    cohort_of = dict(Enrolment.objects.filter(pk__in=ids).values_list("pk", "cohort_id"))
    taken = _held_sessions(cohort_of.values(), on)
    counts: dict[int, dict] = {
        pk: {"attended": 0, "late": 0, "excused": 0, "absent": 0, "seconds": 0}
        for pk in ids
        if taken.get(cohort_of.get(pk), 0)
    }
    marks = Attendance.objects.filter(enrolment_id__in=list(counts)).values_list(
        "enrolment_id", "status", "session__date", "session__start_time", "session__end_time"
    )
    for enrolment_id, status, day, start, end in marks:
        row = counts[enrolment_id]
        if status in ATTENDED:
            row["attended"] += 1
            row["seconds"] += int(
                (
                    datetime.datetime.combine(day, end) - datetime.datetime.combine(day, start)
                ).total_seconds()
            )
        if status == AttendanceStatus.LATE:
            row["late"] += 1
        elif status == AttendanceStatus.EXCUSED:
            row["excused"] += 1
        elif status == AttendanceStatus.ABSENT:
            row["absent"] += 1
    return {
        pk: Rate(
            attended=row["attended"],
            total=taken[cohort_of[pk]],
            late=row["late"],
            excused=row["excused"],
            absent=row["absent"],
            attended_seconds=row["seconds"],
        )
        for pk, row in counts.items()
    }


@dataclass
class RegisterRow:
    enrolment: Enrolment
    status: str
    saved: bool
    rate: Rate


def register_rows(session: Session) -> list[RegisterRow]:
    """Everyone on a session's register: current trainees plus anyone already marked for it.

    Four queries whatever the cohort size: trainees, this session's marks, rates.
    """
    marks = {
        a.enrolment_id: a.status
        for a in Attendance.objects.filter(session=session).only("enrolment_id", "status")
    }
    expected = Q(status=EnrolmentStatus.ENROLLED) & ~Q(enrolled_at__date__gt=session.date)
    enrolments = list(
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .filter(expected | Q(pk__in=list(marks)))
        .select_related("candidate")
        .order_by("candidate__full_name", "pk")
    )
    rates = attendance_rates(e.pk for e in enrolments)
    return [
        RegisterRow(
            enrolment=e,
            status=marks.get(e.pk, AttendanceStatus.PRESENT),
            saved=e.pk in marks,
            rate=rates.get(e.pk, Rate(0, 0)),
        )
        for e in enrolments
    ]


def register_row(session: Session, enrolment: Enrolment) -> RegisterRow:
    mark = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    rate = attendance_rates([enrolment.pk]).get(enrolment.pk, Rate(0, 0))
    return RegisterRow(
        enrolment=enrolment,
        status=mark.status if mark else AttendanceStatus.PRESENT,
        saved=mark is not None,
        rate=rate,
    )


# --- schedule --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduleProgress:
    """How far a cohort's timetable has got on a day. Nobody completes, and the cohort does not
    close, before the whole of it has been held: its end date reached and no session left after."""

    on: datetime.date
    ends_on: datetime.date  # the end date, or the last session should one lie beyond it
    held: int  # sessions dated on or before `on`
    total: int
    hours: Decimal  # clock hours of every scheduled session

    @property
    def finished(self) -> bool:
        return self.on >= self.ends_on

    @property
    def whole_hours(self) -> int:
        """The whole clock hours the schedule holds (compared with the programme's hours)."""
        return int(self.hours)

    @property
    def refusal(self) -> str:
        """Why completion must wait, or "" once the schedule is finished."""
        if self.finished:
            return ""
        if not self.total:
            return _(
                "Angkatan belum selesai dan belum punya jadwal sesi; kelulusan bisa dinyatakan "
                "mulai tanggal selesai angkatan (%(date)s)."
            ) % {"date": self.ends_on.strftime("%d-%m-%Y")}
        return _(
            "Angkatan belum selesai: %(held)s dari %(total)s sesi sudah berlangsung; kelulusan "
            "bisa dinyatakan mulai %(date)s, setelah sesi terakhir."
        ) % {"held": self.held, "total": self.total, "date": self.ends_on.strftime("%d-%m-%Y")}


def schedule_progress(
    cohort: Cohort, *, on: datetime.date | None = None, sessions: list[Session] | None = None
) -> ScheduleProgress:
    """The cohort's schedule on a day, in one query (none when its `sessions` are passed in)."""
    on = on or timezone.localdate()
    if sessions is None:
        slots = list(cohort.sessions.values_list("date", "start_time", "end_time"))
    else:
        slots = [(s.date, s.start_time, s.end_time) for s in sessions]
    seconds = sum(
        (
            datetime.datetime.combine(day, end) - datetime.datetime.combine(day, start)
        ).total_seconds()
        for day, start, end in slots
    )
    return ScheduleProgress(
        on=on,
        ends_on=max([cohort.end_date, *(day for day, _start, _end in slots)]),
        held=sum(1 for day, _start, _end in slots if day <= on),
        total=len(slots),
        hours=Decimal(int(seconds)) / 3600,
    )


# --- completion ------------------------------------------------------------------------------------
# Results that are taken for a job type: they count only for a programme training for that job type.
JOB_TESTS = (Test.SKILL, Test.LICENCE)


@dataclass(frozen=True)
class CheckItem:
    label: str
    passed: bool
    message: str
    printed: str | None = None  # what the certificate prints for a passed item; None: the message

    @classmethod
    def of(cls, requirement: training_rules.Requirement) -> "CheckItem":
        return cls(requirement.label, requirement.passed, requirement.message, requirement.printed)


@dataclass(frozen=True)
class CompletionCheck:
    items: tuple[CheckItem, ...]
    rate: Rate
    schedule: ScheduleProgress | None = None

    @property
    def requirements_met(self) -> bool:
        """The trainee's own part: attendance, hours and the required results."""
        return all(i.passed for i in self.items)

    @property
    def ok(self) -> bool:
        """Whether the trainee may complete now: requirements met and the schedule finished."""
        return self.requirements_met and (self.schedule is None or self.schedule.finished)

    @property
    def failures(self) -> list[str]:
        """The unmet requirements (the schedule speaks for itself through `schedule.refusal`)."""
        return [f"{i.label}: {i.message}" for i in self.items if not i.passed]

    def result_text(self) -> str:
        """What the certificate prints under "hasil"."""
        parts = [_("Lulus")]
        parts += [
            i.message if i.printed is None else i.printed
            for i in self.items
            if i.passed and (i.printed is None or i.printed)
        ]
        return "; ".join(parts)[:300]


def requirement_label(req: dict) -> str:
    name = Test(req["test"]).label
    if req.get("min_score") is not None:
        name = f"{name} ≥ {req['min_score']}"
    elif req.get("min_level"):
        name = f"{name} {req['min_level']}"
    if req.get("official"):
        name = _("%(name)s (hasil resmi)") % {"name": name}
    return name


def _meets(req: dict, a: Assessment) -> bool:
    if req.get("min_score") is not None:
        return a.score is not None and a.score >= req["min_score"]
    if a.test == Test.JLPT and req.get("min_level"):
        return a.passed and JlptLevel.rank(a.jlpt_level) >= JlptLevel.rank(req["min_level"])
    return a.passed


def _result_item(
    req: dict,
    enrolment: Enrolment,
    assessments: list[Assessment],
    *,
    on: datetime.date,
    job_types: dict[int, str],
) -> CheckItem:
    """One required test, judged by `jalur.rules.training.required_result`: an official result
    speaks before a mock one, and a skill test or licence counts only for the programme's job types."""
    results = [
        training_rules.Result(
            ref=a,
            official=a.kind == ResultKind.OFFICIAL,
            meets=_meets(req, a),
            taken_on=a.taken_on,
            valid=a.is_valid_on(on),
            this_enrolment=a.enrolment_id == enrolment.pk,
            order=a.pk,
        )
        for a in assessments
        if a.test == req["test"]
        and (a.test not in JOB_TESTS or training_rules.fits_programme(a.job_type_id, job_types))
    ]
    ruling = training_rules.required_result(results, official_required=bool(req.get("official")))
    label = requirement_label(req)
    quoted = ruling.quoted.ref if ruling.quoted else None
    if ruling.passed:
        text = f"{quoted.get_test_display()} {quoted.summary}"
        if quoted.kind == ResultKind.MOCK:
            text = _("%(result)s, ujian simulasi") % {"result": text}
        return CheckItem(label, True, text)
    if quoted is not None:
        message = _("hasil terakhir %(result)s belum memenuhi") % {"result": quoted.summary}
        if ruling.official_only and any(
            r.meets and not r.official and r.this_enrolment for r in results
        ):
            message = _("%(message)s (hasil resmi didahulukan dari ujian simulasi)") % {
                "message": message
            }
        return CheckItem(label, False, message)
    if req["test"] in JOB_TESTS:
        if not job_types:
            return CheckItem(label, False, _("program ini belum menetapkan jenis pekerjaannya"))
        return CheckItem(
            label,
            False,
            _("belum ada hasil untuk jenis pekerjaan program (%(jobs)s)")
            % {"jobs": ", ".join(job_types.values())},
        )
    return CheckItem(label, False, _("belum ada hasil"))


def programme_job_types(programme: Programme) -> dict[int, str]:
    """The job types a programme trains for, {id: name}, in one query."""
    return dict(programme.job_types.values_list("pk", "name"))


def completion_check(
    enrolment: Enrolment,
    *,
    on: datetime.date | None = None,
    rate: Rate | None = None,
    assessments: list[Assessment] | None = None,
    schedule: ScheduleProgress | None = None,
    job_types: dict[int, str] | None = None,
) -> CompletionCheck:
    """Whether a trainee may complete, by the rules of `jalur.rules.training`: the cohort's schedule
    finished, attendance over the whole schedule and the hours attended at the programme's pass
    mark, and the required tests passed.

    Pass `rate`, `assessments`, `schedule` and `job_types` when checking a whole cohort, to keep
    the query count flat.
    """
    on = on or timezone.localdate()
    programme = enrolment.cohort.programme
    if schedule is None:
        schedule = schedule_progress(enrolment.cohort, on=on)
    if rate is None:
        rate = attendance_rates([enrolment.pk], on=on).get(enrolment.pk, Rate(0, 0))
    if assessments is None:
        assessments = list(Assessment.objects.filter(candidate_id=enrolment.candidate_id))
    if job_types is None and any(r["test"] in JOB_TESTS for r in programme.required_assessments):
        job_types = programme_job_types(programme)
    items = [
        CheckItem.of(
            training_rules.attendance_requirement(
                attended=rate.attended,
                scheduled=schedule.total,
                min_pct=programme.min_attendance_pct,
            )
        )
    ]
    hours = training_rules.hours_requirement(
        attended_hours=rate.attended_hours,
        programme_hours=programme.hours,
        min_pct=programme.min_attendance_pct,
    )
    if hours is not None:
        items.append(CheckItem.of(hours))
    for req in programme.required_assessments:
        items.append(_result_item(req, enrolment, assessments, on=on, job_types=job_types or {}))
    return CompletionCheck(tuple(items), rate, schedule)


def cohort_completion(
    cohort: Cohort, *, on: datetime.date | None = None, schedule: ScheduleProgress | None = None
) -> list[tuple]:
    """(enrolment, check) for every current trainee of a cohort, in a fixed number of queries."""
    if schedule is None:
        schedule = schedule_progress(cohort, on=on)
    enrolments = list(
        cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .select_related("candidate", "cohort__programme")
        .order_by("candidate__full_name", "pk")
    )
    rates = attendance_rates((e.pk for e in enrolments), on=schedule.on)
    by_candidate = defaultdict(list)
    for a in Assessment.objects.filter(candidate_id__in=[e.candidate_id for e in enrolments]):
        by_candidate[a.candidate_id].append(a)
    job_types = programme_job_types(cohort.programme)
    return [
        (
            e,
            completion_check(
                e,
                on=on,
                rate=rates.get(e.pk, Rate(0, 0)),
                assessments=by_candidate[e.candidate_id],
                schedule=schedule,
                job_types=job_types,
            ),
        )
        for e in enrolments
    ]


# --- lists and pages -------------------------------------------------------------------------------
COHORT_ORDER = ("-start_date", "name", "pk")


def cohort_counts(cohorts) -> None:
    """Participants, waiting and completed of one page of cohorts (counted for those rows only)."""
    count_for_page(
        cohorts,
        Enrolment.objects,
        by="cohort_id",
        enrolled_count=Q(status=EnrolmentStatus.ENROLLED),
        waiting_count=Q(status=EnrolmentStatus.WAITING),
        completed_count=Q(status=EnrolmentStatus.COMPLETED),
    )


def quota_used(programme: Programme) -> int:
    """People holding or having used a seat of the programme (current trainees and graduates)."""
    return (
        Enrolment.objects.filter(
            cohort__programme=programme,
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED],
        )
        .values("candidate_id")
        .distinct()
        .count()
    )


def seats_taken(cohort: Cohort) -> int:
    return cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


# The waiting list's one order, wherever it is shown or seats are given: by the time people
# joined it, ties by id (`_promote_waiting` orders by the same fields).
WAITING_ORDER = ("created_at", "pk")


def waiting_key(enrolment: Enrolment) -> tuple:
    return (enrolment.created_at, enrolment.pk)


def waiting_position(enrolment: Enrolment) -> int | None:
    """The person's number on their cohort's waiting list (1 is the next to get a seat)."""
    if enrolment.status != EnrolmentStatus.WAITING:
        return None
    return (
        Enrolment.objects.filter(cohort_id=enrolment.cohort_id, status=EnrolmentStatus.WAITING)
        .filter(
            Q(created_at__lt=enrolment.created_at)
            | Q(created_at=enrolment.created_at, pk__lt=enrolment.pk)
        )
        .count()
        + 1
    )


def scale_settings() -> dict[str, ScaleSetting]:
    return {s.test: s for s in ScaleSetting.objects.all()}


def candidate_training(candidate) -> dict:
    """A candidate's enrolments with attendance rates, their test results and certificates."""
    enrolments = list(
        Enrolment.objects.filter(candidate=candidate)
        .select_related("cohort__programme", "cohort__provider__organisation", "certificate")
        .order_by("-created_at")
    )
    rates = attendance_rates(e.pk for e in enrolments)
    for e in enrolments:
        e.position = waiting_position(e)
    return {
        "enrolments": [(e, rates.get(e.pk, Rate(0, 0))) for e in enrolments],
        "assessments": list(
            Assessment.objects.filter(candidate=candidate).select_related("job_type")
        ),
    }


def certificate_revoked_standing(candidate) -> Certificate | None:
    """The revoked certificate that leaves `candidate` with no valid one, else None: their training
    no longer counts (departure is stopped until they hold a valid certificate again)."""
    certificates = Certificate.objects.filter(enrolment__candidate=candidate)
    if certificates.filter(status=CertificateStatus.VALID).exists():
        return None
    return certificates.filter(status=CertificateStatus.REVOKED).order_by("-revoked_at").first()


def certificate_by_number(number: str) -> Certificate | None:
    number = (number or "").strip().upper()
    if not number:
        return None
    return Certificate.objects.filter(number=number).first()


# --- results for the pathway eligibility engine ---------------------------------------------------
def official_results(candidate_ids) -> dict[int, list[ExamResult]]:
    """Official results by candidate, in the engine's terms (registered in apps.py)."""
    results: dict[int, list[ExamResult]] = defaultdict(list)
    rows = Assessment.objects.filter(candidate_id__in=list(candidate_ids), kind=ResultKind.OFFICIAL)
    for a in rows:
        results[a.candidate_id].append(
            ExamResult(
                test=a.test,
                official=True,
                passed=a.passed,
                taken_on=a.taken_on,
                score=a.score,
                level=a.jlpt_level,
                job_type_id=a.job_type_id,
                valid_until=a.valid_until,
                label=f"{a.get_test_display()} {a.summary}",
            )
        )
    return results

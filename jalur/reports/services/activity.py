"""Training and other apps' figures in the summary tables: training per cohort, language scores,
and the documents that expire."""

import datetime
from collections import Counter, defaultdict

from django.apps import apps
from django.db import transaction
from django.db.models import BooleanField, Case, Count, DateField, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from jalur.candidates.models import CandidateDocument, DocumentStatus

from .. import facts
from ..models import ActivityTally, CandidateStat, CohortFigures

IN_PROCESS = [s for s, group in facts.STAGE_GROUP.items() if group == facts.PROCESS]


def _listed(values) -> str:
    return f",{','.join(str(v) for v in values)}," if values else ""


def _cohort_figures_refresh(now) -> int:
    """Recompute every cohort not yet final; a cohort closed before this run becomes final."""
    if not apps.is_installed("jalur.training"):
        return 0
    from jalur.training.models import ATTENDED, Attendance, Cohort, Enrolment, EnrolmentStatus

    final = set(CohortFigures.objects.filter(final=True).values_list("cohort_id", flat=True))
    cohorts = list(
        Cohort.objects.exclude(pk__in=final)
        .select_related("programme", "provider__organisation")
        .prefetch_related("programme__pathways", "programme__job_types")
    )
    if not cohorts:
        return 0
    ids = [c.pk for c in cohorts]
    statuses: dict[int, Counter] = defaultdict(Counter)
    for cohort_id, status, n in (
        Enrolment.objects.filter(cohort_id__in=ids)
        .order_by()
        .values_list("cohort_id", "status")
        .annotate(n=Count("id"))
    ):
        statuses[cohort_id][status] = n
    marks = {
        row[0]: (row[1], row[2])
        for row in Attendance.objects.filter(session__cohort_id__in=ids)
        .order_by()
        .values_list("session__cohort_id")
        .annotate(total=Count("id"), attended=Count("id", filter=Q(status__in=ATTENDED)))
    }
    rows = []
    for cohort in cohorts:
        count = statuses[cohort.pk]
        total, attended = marks.get(cohort.pk, (0, 0))
        programme = cohort.programme
        rows.append(
            CohortFigures(
                cohort_id=cohort.pk,
                provider_id=cohort.provider_id,
                provider_name=str(cohort.provider.organisation.name)[:200],
                programme_name=programme.name[:200],
                cohort_name=cohort.name[:100],
                start_date=cohort.start_date,
                end_date=cohort.end_date,
                countries=_listed(sorted({p.country for p in programme.pathways.all()})),
                job_type_ids=_listed(sorted(j.pk for j in programme.job_types.all())),
                capacity=cohort.capacity,
                enrolled=count[EnrolmentStatus.ENROLLED],
                waiting=count[EnrolmentStatus.WAITING],
                completed=count[EnrolmentStatus.COMPLETED],
                failed=count[EnrolmentStatus.FAILED],
                withdrawn=count[EnrolmentStatus.WITHDRAWN],
                attended=attended,
                marks=total,
                final=cohort.closed_at is not None,
                computed_at=now,
            )
        )
    with transaction.atomic():
        CohortFigures.objects.filter(cohort_id__in=ids).delete()
        CohortFigures.objects.bulk_create(rows, batch_size=1000)
        CohortFigures.objects.exclude(
            cohort_id__in=Cohort.objects.values("pk")
        ).delete()  # cohorts deleted since
    return len(rows)


def score_bucket(test: str, score: int | None, level: str, passed: bool) -> str:
    """The histogram bar a language result falls in (see selectors.SCORE_SCALES for the labels)."""
    if test == "eps_topik":
        return str(min(180, (score or 0) // 20 * 20))
    if test == "jft_basic":
        from jalur.training.scales import jft_band

        return jft_band(score or 0)
    return f"{level}:{'1' if passed else '0'}"


LANGUAGE_TESTS = ("eps_topik", "jft_basic", "jlpt")
GRIEVANCE = ActivityTally.GRIEVANCE


def _stat_of(field: str):
    return Subquery(
        CandidateStat.objects.filter(candidate_id=OuterRef("candidate_id")).values(field)[:1]
    )


def _grievance_cells(now) -> Counter:
    """The dashboard's grievance figures as cells (kind "grievance"), under the worker's
    destination and the person's job type as counted: the open ones by status ("status:<s>") and
    those past their deadline ("late"), both as of this refresh and kept on its day; the opened
    ones by category ("category:<c>") and the closed ones ("closed"), by month. A page then sums
    a few hundred cells however many grievances there are (one pass here, not one per page)."""
    from jalur.protection.models import Grievance, GrievanceStatus

    today = timezone.localdate(now)
    still_open = ~Q(status=GrievanceStatus.CLOSED)
    rows = (
        Grievance.objects.order_by()
        .annotate(
            j=Coalesce(_stat_of("job_type_id"), 0),
            opened_in=TruncMonth("opened_at", output_field=DateField()),
            closed_in=TruncMonth("closed_at", output_field=DateField()),
            late=Case(
                When(still_open & Q(due_at__lt=now), then=True),
                default=False,
                output_field=BooleanField(),
            ),
        )
        .values_list("status", "category", "opened_in", "closed_in", "late", "worker_country", "j")
        .annotate(n=Count("id"))
    )
    cells: Counter = Counter()
    for status, category, opened_in, closed_in, late, country, job_type_id, n in rows:
        where = (country or "", job_type_id or 0)
        if status != GrievanceStatus.CLOSED:
            cells[(GRIEVANCE, f"status:{status}", today, *where)] += n
            if late:
                cells[(GRIEVANCE, "late", today, *where)] += n
        if opened_in is not None:
            cells[(GRIEVANCE, f"category:{category}", opened_in, *where)] += n
        if closed_in is not None:
            cells[(GRIEVANCE, "closed", closed_in, *where)] += n
    return cells


def _activity_refresh(now) -> int:
    """Language-score histogram, the documents still needed that expire within a year, and the
    grievance figures."""
    today = timezone.localdate(now)
    horizon = today + datetime.timedelta(days=366)
    counts: Counter = Counter()
    if apps.is_installed("jalur.training"):
        from jalur.training.models import Assessment, ResultKind

        rows = (
            Assessment.objects.filter(kind=ResultKind.OFFICIAL, test__in=LANGUAGE_TESTS)
            .order_by()
            .annotate(
                exam_month=TruncMonth("taken_on"),
                c=_stat_of("country"),
                j=_stat_of("job_type_id"),
            )
            .values_list("test", "score", "jlpt_level", "passed", "exam_month", "c", "j")
            .annotate(n=Count("id"))
        )
        for test, score, level, passed, month, country, job_type_id, n in rows:
            key = f"{test}:{score_bucket(test, score, level, passed)}"
            counts[("score", key, month, country or "", job_type_id or 0)] += n
    if apps.is_installed("jalur.departure"):
        from jalur.departure.models import CaseStatus, ChecklistItem

        rows = (
            ChecklistItem.objects.filter(
                case__status__in=[CaseStatus.OPEN, CaseStatus.READY],
                valid_until__gte=today,
                valid_until__lte=horizon,
            )
            .order_by()
            .values_list(
                "code",
                "valid_until",
                "case__application__order__employer_country",
                "case__application__order__job_type_id",
            )
            .annotate(n=Count("id"))
        )
        for code, day, country, job_type_id, n in rows:
            counts[("expiry", f"item:{code}", day, country or "", job_type_id or 0)] += n
    rows = (
        CandidateDocument.objects.filter(
            superseded_at__isnull=True,
            status__in=[DocumentStatus.ACCEPTED, DocumentStatus.UPLOADED],
            expires_on__gte=today,
            expires_on__lte=horizon,
            candidate__stage__in=IN_PROCESS,
        )
        .order_by()
        .annotate(c=_stat_of("country"), j=_stat_of("job_type_id"))
        .values_list("document_type__code", "expires_on", "c", "j")
        .annotate(n=Count("id"))
    )
    for code, day, country, job_type_id, n in rows:
        counts[("expiry", f"doc:{code}", day, country or "", job_type_id or 0)] += n
    if apps.is_installed("jalur.protection"):
        counts.update(_grievance_cells(now))
    with transaction.atomic():
        ActivityTally.objects.all().delete()
        ActivityTally.objects.bulk_create(
            [
                ActivityTally(
                    kind=kind, key=key, day=day, country=country, job_type_id=job_type_id, n=n
                )
                for (kind, key, day, country, job_type_id), n in counts.items()
            ],
            batch_size=2000,
        )
    return len(counts)

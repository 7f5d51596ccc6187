"""Work waiting for someone in training, for the home page counts and the to-do page.

Training staff: registers to take, scores to enter, completions to decide, cohorts to close (which
issues the certificates), their proposals awaiting the manager. Programme manager: proposals to
decide. Each list is scoped to what the user may see (`cohorts_for`).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from jalur.accounts.roles import can

from .access import cohorts_for
from .models import Assessment, Cohort, Enrolment, EnrolmentStatus, Session
from .proposals import EnrolmentProposal, ProposalStatus

# Scores are asked for from the last week of a cohort: results usually come at the end.
SCORES_DUE_DAYS = 7


def pending_proposals(user) -> QuerySet[EnrolmentProposal]:
    """Proposals waiting for the manager, oldest first, among the cohorts the user sees."""
    return (
        EnrolmentProposal.objects.filter(
            status=ProposalStatus.PENDING, cohort__in=cohorts_for(user).values("pk")
        )
        .select_related("candidate", "cohort__programme", "cohort__provider__organisation")
        .select_related("proposed_by")
        .order_by("proposed_at", "pk")
    )


def sessions_unrecorded(user, *, on: datetime.date | None = None) -> QuerySet[Session]:
    """Sessions held (today or before) in open cohorts whose register was not taken."""
    on = on or timezone.localdate()
    return (
        Session.objects.filter(
            cohort__in=cohorts_for(user).filter(closed_at__isnull=True).values("pk"),
            date__lte=on,
            register_saved_at__isnull=True,
        )
        .select_related("cohort__programme")
        .order_by("date", "start_time", "pk")
    )


def cohorts_to_close(user, *, on: datetime.date | None = None) -> list[Cohort]:
    """Open cohorts whose schedule is over: closing them decides every trainee's completion and
    issues the certificates."""
    on = on or timezone.localdate()
    cohorts = cohorts_for(user).filter(closed_at__isnull=True, end_date__lte=on)
    late_sessions = Session.objects.filter(date__gt=on).values("cohort_id")
    return list(cohorts.exclude(pk__in=late_sessions).order_by("end_date", "pk"))


def completions_to_decide(user, *, on: datetime.date | None = None) -> QuerySet[Enrolment]:
    """Trainees still enrolled in a cohort whose schedule is over."""
    return (
        Enrolment.objects.filter(
            status=EnrolmentStatus.ENROLLED,
            cohort__in=[c.pk for c in cohorts_to_close(user, on=on)],
        )
        .select_related("candidate", "cohort")
        .order_by("cohort__end_date", "candidate__full_name", "pk")
    )


@dataclass
class MissingScore:
    enrolment: Enrolment
    tests: list[str] = field(default_factory=list)


def scores_missing(user, *, on: datetime.date | None = None) -> list[MissingScore]:
    """Trainees of cohorts in (or past) their last week with no result at all of a test their
    programme requires."""
    on = on or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(
            status=EnrolmentStatus.ENROLLED,
            cohort__in=cohorts_for(user)
            .filter(
                closed_at__isnull=True,
                end_date__lte=on + datetime.timedelta(days=SCORES_DUE_DAYS),
                start_date__lte=on,
            )
            .values("pk"),
        )
        .select_related("candidate", "cohort__programme")
        .order_by("cohort__end_date", "candidate__full_name", "pk")
    )
    taken: dict[int, set[str]] = {}
    rows = Assessment.objects.filter(candidate_id__in=[e.candidate_id for e in enrolments])
    for candidate_id, test in rows.values_list("candidate_id", "test"):
        taken.setdefault(candidate_id, set()).add(test)
    missing = []
    for enrolment in enrolments:
        required = [r["test"] for r in enrolment.cohort.programme.required_assessments or []]
        lacking = [t for t in required if t not in taken.get(enrolment.candidate_id, set())]
        if lacking:
            missing.append(MissingScore(enrolment, lacking))
    return missing


def waiting_work(user, *, on: datetime.date | None = None) -> dict:
    """Everything waiting for this user in training: queries and lists (the to-do page), counted
    with `count` on the home page."""
    work = {}
    if can(user, "training.manage"):
        work["sessions"] = sessions_unrecorded(user, on=on)
        work["scores"] = scores_missing(user, on=on)
        work["completions"] = completions_to_decide(user, on=on)
        work["closing"] = cohorts_to_close(user, on=on)
    if can(user, "training.enrol") or can(user, "training.manage"):
        work["proposals"] = pending_proposals(user)
    return work


def count(items) -> int:
    """A list's length, or a query's count without loading its rows (for the home page)."""
    return items.count() if isinstance(items, QuerySet) else len(items)

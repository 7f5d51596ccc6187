"""Reads for the programme managers' operational lists: who is stuck, who misses documents or
departure items, which cohorts still have seats.

These read the records themselves, one page at a time (the dashboard and public figures come from
the summary tables, in selectors.py).
"""

import datetime
from collections import defaultdict

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.candidates.document_state import required_types, stages_from
from jalur.candidates.models import (
    RUNNING_STAGES,
    Candidate,
    CandidateDocument,
    DocumentStatus,
)
from jalur.candidates.stages import Stage
from jalur.core.pagination import bounded_count

from .selectors.expiries import _item_labels

S = Stage

# The running stages (those the candidate_waiting_since index covers), people still filling in
# the form last.
STUCK_STAGES = sorted(RUNNING_STAGES, key=lambda stage: stage == S.REGISTERING)


# A list's counts stop at this many people: past it the exact figure (on the dashboard) helps
# nobody deciding whom to call first, and counting further would cost the whole table.
COUNT_CAP = 1000
LIST_ORDER = ("stage_changed_at", "pk")


def stuck_candidates(*, days: int, stage: str = "", now=None) -> QuerySet[Candidate]:
    """People who have waited in a stage that is still running for longer than `days`."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    stages = [stage] if stage in STUCK_STAGES else STUCK_STAGES
    return (
        Candidate.objects.filter(stage__in=stages, stage_changed_at__lt=cutoff)
        .select_related("district")
        .order_by(*LIST_ORDER)
    )


def stuck_counts(*, days: int, now=None) -> list[dict]:
    """People waiting longer than `days` per stage, each count stopping at COUNT_CAP."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    counts = []
    for s in STUCK_STAGES:
        # one short index range per stage on (stage, stage_changed_at)
        n, more = bounded_count(
            Candidate.objects.filter(stage=s, stage_changed_at__lt=cutoff).order_by(
                "stage_changed_at"
            ),
            cap=COUNT_CAP,
        )
        if n:
            counts.append({"stage": s, "label": str(Stage(s).label), "n": n, "more": more})
    return counts


# The documents-missing list: missing longest first, a range of candidate_documents_due.
DOCUMENTS_ORDER = ("documents_due_on", "pk")


def missing_documents(*, on: datetime.date | None = None) -> QuerySet[Candidate]:
    """Candidates past registration with a required document that is not accepted and valid on
    `on` (today or later), missing longest first.

    A document type counts from the stage it is needed in (registration types for everyone). The
    first day each person misses one is kept on their row (`candidates.document_state`).
    """
    on = on or timezone.localdate()
    return (
        Candidate.objects.filter(documents_due_on__lte=on)  # only DOCUMENT_STAGES have one
        .select_related("district")
        .order_by(*DOCUMENTS_ORDER)
    )


def missing_for(candidates: list[Candidate], *, on: datetime.date | None = None) -> dict[int, list]:
    """{candidate pk: names of the required documents they still miss} for one page of people."""
    on = on or timezone.localdate()
    types = required_types()
    good = set(
        CandidateDocument.objects.filter(
            candidate__in=candidates,
            superseded_at__isnull=True,
            status=DocumentStatus.ACCEPTED,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .values_list("candidate_id", "document_type_id")
    )
    return {
        c.pk: [
            t.name for t in types if c.stage in stages_from(t.stage) and (c.pk, t.pk) not in good
        ]
        for c in candidates
    }


CASE_ORDER = ("departs_on", "created_at", "pk")


def missing_departure_items():
    """Departure cases still open with checklist items missing or sent back, soonest departure first
    (a case without a planned date last)."""
    if not apps.is_installed("jalur.departure"):
        return None
    from jalur.departure.models import CaseStatus, ChecklistItem, DepartureCase, ItemStatus

    todo = [ItemStatus.MISSING, ItemStatus.REJECTED]
    return (
        DepartureCase.objects.filter(
            Exists(ChecklistItem.objects.filter(case=OuterRef("pk"), status__in=todo)),
            status__in=[CaseStatus.OPEN, CaseStatus.READY],
        )
        .select_related("candidate", "agency__organisation")
        .annotate(departs_on=Coalesce("planned_departure_on", Value(datetime.date.max)))
        .order_by(*CASE_ORDER)
    )


def missing_items_for(cases) -> dict[int, list[str]]:
    from jalur.departure.models import ChecklistItem, ItemStatus

    labels = _item_labels()
    result: dict[int, list[str]] = defaultdict(list)
    for case_id, code, status in (
        ChecklistItem.objects.filter(
            case__in=cases, status__in=[ItemStatus.MISSING, ItemStatus.REJECTED]
        )
        .order_by("id")
        .values_list("case_id", "code", "status")
    ):
        label = labels.get(code, code)
        result[case_id].append(
            label + (f" ({_('perlu diperbaiki')})" if status == "rejected" else "")
        )
    return result


def cohorts_starting_soon(*, days: int, on: datetime.date | None = None) -> list:
    """Cohorts that start within `days` and still have free seats, soonest first."""
    if not apps.is_installed("jalur.training"):
        return []
    from jalur.training.models import Cohort, EnrolmentStatus

    on = on or timezone.localdate()
    cohorts = (
        Cohort.objects.filter(
            closed_at__isnull=True,
            start_date__gte=on,
            start_date__lte=on + datetime.timedelta(days=days),
        )
        .select_related("programme", "provider__organisation")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)),
            waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
        )
        .order_by("start_date", "pk")
    )
    result = []
    for cohort in cohorts:
        cohort.free = cohort.capacity - cohort.enrolled
        cohort.days_to_start = (cohort.start_date - on).days
        if cohort.free > 0:
            result.append(cohort)
    return result


def verified_waiting() -> int:
    """Verified people not yet in a course: who could fill the free seats."""
    return Candidate.objects.filter(stage=S.VERIFIED).count()

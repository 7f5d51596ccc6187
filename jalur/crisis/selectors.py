"""Reads for urgent cases: who may see which, the list with the open ones first, a worker's latest
contacts and the country they work in, and finding a worker by the number a message came from."""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from jalur.accounts.roles import Role, can
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.protection.selectors import workers_for
from jalur.rules import crisis as rules

from .models import UrgentCase, UrgentStep


def cases_for(user) -> QuerySet[UrgentCase]:
    """The cases `user` may see: those of the workers they may follow (a P3MI: only its own)."""
    if not getattr(user, "is_authenticated", False) or not can(user, "protection.view"):
        return UrgentCase.objects.none()
    return UrgentCase.objects.filter(candidate__in=workers_for(user).values("pk")).select_related(
        "candidate", "agency", "taken_by"
    )


def access_case(user, pk) -> UrgentCase:
    case = cases_for(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def may_do_step(user, step: UrgentStep) -> bool:
    """The office (protection.manage) does any step; the P3MI only its own steps."""
    if can(user, "protection.manage"):
        return True
    return (
        user.role == Role.AGENCY_STAFF
        and step.party == UrgentStep.Party.AGENCY
        and step.case.agency_id == user.organisation_id
    )


def require_step(user, step: UrgentStep) -> None:
    if not may_do_step(user, step):
        raise PermissionDenied


_STATUS_RANK = Case(
    When(status=UrgentCase.Status.OPEN, then=Value(0)),
    When(status=UrgentCase.Status.IN_HAND, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


URGENT_ORDER = ("rank", "opened_at", "pk")


def urgent_list(user, *, status: str = "") -> QuerySet[UrgentCase]:
    """Open cases first (the longest waiting on top), then those in hand, then the closed ones."""
    cases = cases_for(user).annotate(rank=_STATUS_RANK)
    if status == "active":
        cases = cases.exclude(status=UrgentCase.Status.CLOSED)
    elif status in UrgentCase.Status.values:
        cases = cases.filter(status=status)
    return cases.order_by(*URGENT_ORDER)


def open_cases(user) -> QuerySet[UrgentCase]:
    return urgent_list(user, status="active")


def steps_of(case: UrgentCase) -> list[UrgentStep]:
    now = timezone.now()
    steps = list(case.steps.select_related("done_by"))
    for step in steps:
        step.late = rules.is_late(due=step.due_at, done=step.done_at, now=now)
    return steps


def worker_country(candidate: Candidate) -> str | None:
    """The country the worker was sent to ("KR", "JP"), from their departure case."""
    from jalur.departure.models import CaseStatus, DepartureCase

    return (
        DepartureCase.objects.filter(candidate=candidate)
        .exclude(status=CaseStatus.ENDED)
        .order_by("-created_at")
        .values_list("application__order__employer_country", flat=True)
        .first()
    )


def latest_contacts(candidate: Candidate) -> dict:
    """How to reach the worker now: phones, the address abroad they gave on arrival, their last
    check-in, and who to call at home."""
    arrival = candidate.arrivals.exclude(address_abroad="").first()
    checkin = candidate.checkins.first()
    return {
        "phone": candidate.phone,
        "phone_abroad": getattr(candidate, "phone_abroad", "") or "",
        "emergency_name": getattr(candidate, "emergency_name", "") or "",
        "emergency_phone": candidate.emergency_phone,
        "address_abroad": arrival.address_abroad if arrival else "",
        "arrived_on": arrival.arrived_on if arrival else None,
        "last_checkin": checkin,
        "country": worker_country(candidate),
    }


def _has_phone_abroad() -> bool:
    return any(f.name == "phone_abroad" for f in Candidate._meta.get_fields())


def candidates_with_number(number: str) -> QuerySet[Candidate]:
    """The people whose phone (or phone abroad) is this E.164 number, those abroad first."""
    match = Q(phone=number)
    if _has_phone_abroad():
        match |= Q(phone_abroad=number)
    return Candidate.objects.filter(match).order_by(
        Case(When(stage=Stage.DEPARTED, then=Value(0)), default=Value(1)), "-stage_changed_at"
    )


def sender_worker(number: str) -> Candidate | None:
    """The one worker abroad (or returned) a message from this number comes from; None when no one
    or more than one person has it (a shared family phone must not open a case for the wrong one)."""
    people = list(
        candidates_with_number(number).filter(stage__in=[Stage.DEPARTED, Stage.RETURNED])[:2]
    )
    if len(people) == 1:
        return people[0]
    departed = [p for p in people if p.stage == Stage.DEPARTED]
    return departed[0] if len(departed) == 1 else None

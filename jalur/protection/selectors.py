"""Reads for protection: who may see which case, the monitoring list of workers abroad, deadlines."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import OFFICE_ROLES, Role, can
from jalur.candidates.access import candidates_for
from jalur.candidates.models import CHECKIN_SINCE, Candidate, CheckInClass
from jalur.candidates.stages import Stage
from jalur.rules import grievances as rules

from .models import Grievance, GrievanceStatus


def worker_agency(candidate: Candidate):
    """The P3MI that placed this worker (its Organisation), or None if Jalur does not know it."""
    from jalur.departure.selectors import placing_agency

    return placing_agency(candidate)


def may_complain_from_account(candidate: Candidate | None) -> bool:
    """Whether this person may open a complaint from their own account: once their registration
    has been sent, at any stage (fees are demanded and passports held before departure too)."""
    if candidate is None or candidate.stage == Stage.REGISTERING:
        return False
    if candidate.stage == Stage.WITHDRAWN:  # withdrawn before or after sending it?
        return candidate.stage_history.filter(to_stage=Stage.REGISTERED).exists()
    return True


def departure_date(candidate: Candidate) -> datetime.date:
    """The day a departed worker left: the flight date of their departure when Jalur has it,
    otherwise the day they were moved to 'departed'."""
    from jalur.departure.models import CaseStatus, DepartureCase

    flown = (
        DepartureCase.objects.filter(candidate=candidate, status=CaseStatus.DEPARTED)
        .order_by("-departed_on")
        .values_list("departed_on", flat=True)
        .first()
    )
    return flown or timezone.localdate(candidate.stage_changed_at)


def current_arrival(candidate: Candidate):
    """The arrival confirmed for the worker's stay abroad now: one recorded since their latest move
    to 'departed' (an arrival can only be recorded while departed, so a first cycle's arrival does
    not count in the second). For someone no longer abroad, their latest arrival."""
    arrivals = candidate.arrivals.all()
    if candidate.stage == Stage.DEPARTED:
        arrivals = arrivals.filter(created_at__gte=candidate.stage_changed_at)
    return arrivals.first()


def checkin_interval() -> datetime.timedelta:
    return datetime.timedelta(days=settings.JALUR_CHECKIN_INTERVAL_DAYS)


def workers_for(user) -> QuerySet[Candidate]:
    """Workers abroad (and returned) that `user` may follow."""
    workers = candidates_for(user).filter(stage__in=[Stage.DEPARTED, Stage.RETURNED])
    if user.role == Role.AGENCY_STAFF:
        from jalur.departure.selectors import candidates_placed_by

        workers = workers.filter(pk__in=candidates_placed_by(user.organisation).values("pk"))
    return workers


# The monitoring list's order: urgent first (a call for help, a passport held by someone else),
# then other problems, then missed check-ins, then good news.
URGENT, PROBLEM, MISSED, GOOD = range(4)
# A short label for each finding (rules.checkins.checkin_findings) on the list's badges.
FINDING_BADGES = {
    "need_help": _("minta bantuan"),
    "passport_held": _("paspor ditahan"),
    "wage_below_contract": _("gaji di bawah kontrak"),
    "wage_late": _("gaji terlambat"),
    "hours_above_contract": _("jam kerja lebih"),
    "housing": _("tempat tinggal"),
    "health": _("kesehatan"),
}
URGENT_FINDINGS = ("need_help", "passport_held")


def _overdue_threshold():
    return (
        timezone.now()
        - checkin_interval()
        - datetime.timedelta(days=settings.JALUR_CHECKIN_GRACE_DAYS)
    )


def checkin_since():
    """In SQL, for departed workers: the moment their next check-in counts from, the later of their
    last check-in and their latest departure (the move to 'departed', `stage_changed_at` while they
    are departed). A check-in from an earlier stay abroad does not make a worker back abroad late.
    Read from the worker's own row (`Candidate.checkin_last_at`), so it needs no join or grouping;
    the monitoring list's index holds it."""
    return CHECKIN_SINCE


def checkin_since_before(moment, *, inclusive: bool = False) -> Q:
    """`checkin_since() < moment` (<= with `inclusive`) on the row's two columns: both the move to
    'departed' and the latest check-in are before it. The partial index `candidate_departed_since`
    answers it alone, where the expression would visit every matching row."""
    op = "lte" if inclusive else "lt"
    return Q(**{f"stage_changed_at__{op}": moment}) & (
        Q(checkin_last_at__isnull=True) | Q(**{f"checkin_last_at__{op}": moment})
    )


# The list's order over the index `candidate_monitoring`: the latest check-in's class (URGENT,
# PROBLEM, then OTHER), then `since`, oldest first. It is the order of the ranks URGENT, PROBLEM,
# MISSED, GOOD: a worker of class OTHER is MISSED exactly when their `since` is older than the
# overdue threshold, so the missed ones are the first of OTHER. The rank shown is `rank`.
MONITORING_ORDER = ("checkin_class", "since", "pk")


def monitoring_queryset(
    user, *, only_overdue: bool = False, only_problems: bool = False
) -> QuerySet[Candidate]:
    """Departed workers, problems first (URGENT, PROBLEM, MISSED, GOOD), then the longest silence.
    The order and both filters read the worker's own row over an index, so a page costs what its
    rows do however many workers are abroad; `monitoring_flag` adds the page's latest check-ins
    and arrivals."""
    threshold = _overdue_threshold()
    rows = (
        workers_for(user)
        .filter(stage=Stage.DEPARTED)
        .annotate(since=checkin_since(), last_checkin=F("checkin_last_at"))
        .annotate(
            rank=Case(
                When(checkin_class=CheckInClass.URGENT, then=Value(URGENT)),
                When(checkin_class=CheckInClass.PROBLEM, then=Value(PROBLEM)),
                When(since__lt=threshold, then=Value(MISSED)),
                default=Value(GOOD),
                output_field=IntegerField(),
            )
        )
    )
    if only_overdue:
        rows = rows.filter(since__lt=threshold)
    if only_problems:
        rows = rows.filter(checkin_class__lt=CheckInClass.OTHER)
    return rows.order_by(*MONITORING_ORDER)


def overdue_checkin_count(user) -> int:
    return (
        workers_for(user)
        .filter(stage=Stage.DEPARTED)
        .filter(checkin_since_before(_overdue_threshold()))
        .count()
    )


def _page_details(rows: list[Candidate]) -> tuple[dict, dict]:
    """For one page of departed workers: {pk: latest check-in}, {pk: arrival day of this stay}."""
    from .models import ArrivalConfirmation, CheckIn

    latest = {}
    with_checkin = [row.pk for row in rows if row.checkin_last_at is not None]
    if with_checkin:
        # the check-ins at each worker's `checkin_last_at`: the latest (two at one moment: the
        # higher pk, as `checkin_state` chose)
        for checkin in CheckIn.objects.filter(
            candidate_id__in=with_checkin, created_at=F("candidate__checkin_last_at")
        ).order_by("candidate_id", "created_at", "pk"):
            latest[checkin.candidate_id] = checkin
    arrived = dict(
        ArrivalConfirmation.objects.filter(
            candidate_id__in=[row.pk for row in rows],
            # the arrival of this stay abroad, not of an earlier cycle (see current_arrival)
            created_at__gte=F("candidate__stage_changed_at"),
        )
        .values("candidate_id")
        .annotate(day=Max("arrived_on"))
        .values_list("candidate_id", "day")
    )
    return latest, arrived


def monitoring_flag(rows) -> list[Candidate]:
    """Add each worker's latest check-in (its status, answers and findings), arrival of this stay,
    next check-in date, overdue flag, missing-arrival flag and the badges of the latest check-in's
    findings (one page of rows: two queries)."""
    now = timezone.now()
    grace = datetime.timedelta(days=settings.JALUR_CHECKIN_GRACE_DAYS)
    rows = list(rows)
    latest, arrived = _page_details(rows)
    for row in rows:
        checkin = latest.get(row.pk)
        row.latest_checkin = checkin
        row.latest_status = checkin.status if checkin else None
        row.latest_need_help = checkin.need_help if checkin else None
        row.latest_passport_held = checkin.passport_held if checkin else None
        row.latest_wage = checkin.wage_amount if checkin else None
        row.latest_currency = checkin.wage_currency if checkin else None
        row.latest_hours = checkin.hours_per_week if checkin else None
        row.arrived_on = arrived.get(row.pk)
        row.next_checkin_due = row.since + checkin_interval()
        row.checkin_overdue = now > row.next_checkin_due + grace
        row.arrival_missing = (
            row.arrived_on is None and now - row.stage_changed_at > datetime.timedelta(days=3)
        )
        findings = (checkin.findings if checkin else None) or []
        row.latest_findings = findings
        row.badges = [
            (FINDING_BADGES.get(f.get("kind"), f.get("kind")), f.get("kind") in URGENT_FINDINGS)
            for f in findings
        ]
    return rows


def monitoring_rows(user, *, only_overdue: bool = False) -> list[Candidate]:
    return monitoring_flag(
        monitoring_queryset(user, only_overdue=only_overdue).select_related("district", "village")
    )


def grievances_for(user) -> QuerySet[Grievance]:
    cases = Grievance.objects.select_related("agency", "assigned_to", "candidate")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return cases.none()
    if user.role in OFFICE_ROLES and can(user, "protection.view"):
        return cases
    if user.role == Role.AGENCY_STAFF:
        return cases.filter(agency=user.organisation)
    if user.role == Role.CANDIDATE:
        return cases.filter(candidate__user=user)
    return cases.none()


def access_grievance(user, pk, *, write: bool = False) -> Grievance:
    """The case if `user` may see it (404 otherwise); write=True: may also act on it as the office (403)."""
    grievance = grievances_for(user).filter(pk=pk).first()
    if grievance is None:
        raise Http404
    if write and not can(user, "protection.manage"):
        raise PermissionDenied
    return grievance


def grievance_events_for(user, grievance: Grievance) -> QuerySet:
    """The case timeline as this user may read it: the office sees every event; the P3MI concerned
    and the reporter see only what is marked for the reporter (internal notes and assignments stay
    inside the office)."""
    events = grievance.events.select_related("actor")
    if user.role in OFFICE_ROLES:
        return events
    return events.filter(public=True)


def _late(party: str, now) -> Q:
    """The cases whose party (rules.Party, or "" for either) has passed its deadline, in SQL: the
    same judgement as jalur.rules.grievances.standing, which a test holds them to."""
    late = Q(due_at__lt=now) & ~Q(status=GrievanceStatus.CLOSED)
    agency = Q(status__in=rules.AGENCY_TURN, agency_answered_at__isnull=True)
    if party == rules.Party.AGENCY:
        return late & agency
    if party == rules.Party.OFFICE:
        return late & ~agency
    return late


GRIEVANCE_ORDER = ("due_key", "-opened_at", "-pk")
NO_DEADLINE = datetime.datetime.max.replace(tzinfo=datetime.UTC) - datetime.timedelta(days=1)


def grievance_list(
    user, *, status: str = "", overdue: bool = False, late: str = "", q: str = ""
) -> QuerySet[Grievance]:
    """Cases `user` may see; `overdue`: only those past a deadline; `late`: only those where the
    P3MI ("agency") or the office ("office") is past its deadline."""
    cases = grievances_for(user)
    if status == "open":
        cases = cases.exclude(status=GrievanceStatus.CLOSED)
    elif status:
        cases = cases.filter(status=status)
    if overdue or late:
        cases = cases.filter(_late(late, timezone.now()))
    if q:
        cases = cases.filter(
            Q(number__icontains=q) | Q(worker_name__icontains=q) | Q(reporter_name__icontains=q)
        )
    # a case without a deadline last; keyset pages need a key that is never NULL
    return cases.annotate(due_key=Coalesce("due_at", Value(NO_DEADLINE))).order_by(*GRIEVANCE_ORDER)


def grievance_closing_options(grievance: Grievance) -> list[rules.ClosingCheck]:
    """Every closing reason with whether the rules allow it now, and from which day if not yet."""
    return rules.closing_options(facts=grievance.closing_facts(), now=timezone.now())


def worker_contract(candidate: Candidate) -> tuple[Decimal | None, str, int | None]:
    """(monthly wage, its currency, weekly hours) of the contract a worker went abroad on: the
    signed contract the office verified when its wage is written there, otherwise the terms the
    worker accepted (the offer's, never below the job order's). (None, "", None) when Jalur has no
    departure for them (a worker recorded only after they left)."""
    from jalur.departure.models import CaseStatus, DepartureCase, ItemStatus
    from jalur.departure.services import contract_terms, signed_terms

    case = (
        DepartureCase.objects.filter(candidate=candidate)
        .exclude(status=CaseStatus.ENDED)
        .select_related("application__order")
        .order_by(F("departed_on").desc(nulls_last=True), "-created_at")
        .first()
    )
    if case is None or case.application_id is None:
        return None, "", None
    terms = contract_terms(case.application)
    wage, currency, hours = terms.wage, terms.currency or "", terms.hours_per_week
    signed = case.items.filter(code="employment_contract", status=ItemStatus.VERIFIED).first()
    if signed is not None:
        written = signed_terms(signed.data or {})
        if written.wage and written.currency:
            wage, currency = written.wage, written.currency
        hours = written.hours_per_week or hours
    return wage, currency, int(hours) if hours else None


def worker_timeline(user, candidate: Candidate) -> list[dict]:
    """What happened about a worker abroad, newest first: check-ins, reminders, missed check-ins,
    the P3MI's answers, the family and office told, cases opened (those `user` may see)."""
    from .models import CheckInEscalation

    events = []
    for checkin in candidate.checkins.select_related("recorded_by")[:24]:
        events.append({"at": checkin.created_at, "kind": "checkin", "checkin": checkin})
    for esc in CheckInEscalation.objects.filter(candidate=candidate).select_related(
        "agency", "agency_answered_by", "family_message"
    )[:24]:
        for field, kind in (
            ("reminded_at", "reminded"),
            ("agency_told_at", "agency_told"),
            ("agency_answered_at", "agency_answered"),
            ("agency_late_told_at", "agency_late"),
            ("family_office_told_at", "family_office_told"),
        ):
            if getattr(esc, field):
                events.append({"at": getattr(esc, field), "kind": kind, "escalation": esc})
    for grievance in grievance_list(user).filter(candidate=candidate)[:24]:
        events.append({"at": grievance.opened_at, "kind": "case", "grievance": grievance})
    for arrival in candidate.arrivals.all()[:5]:
        events.append({"at": arrival.created_at, "kind": "arrival", "arrival": arrival})
    return sorted(events, key=lambda e: e["at"], reverse=True)


def open_escalations(candidate: Candidate):
    """The worker's missed check-ins still waiting for a check-in, newest first."""
    from .models import CheckInEscalation

    return CheckInEscalation.objects.filter(candidate=candidate, closed_at__isnull=True).exclude(
        level="reminded"
    )

"""Reads for the SISKOP2MI reconciliation: what Jalur holds of each person it compares (in a
fixed number of queries per chunk of people), and the office's reconciliations and their rows."""

from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.http import Http404

from jalur.accounts.roles import can
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage

from ..models import ChecklistItem, DepartureCase
from .compare import Person
from .models import Reconciliation, ReconciliationRow, RowCategory

CAPABILITY = "departure.endorse"  # the office: the programme manager (and the system administrator)
# People Jalur has sent into the placement process: SISKOP2MI should know each of them.
DEPARTURE_STAGES = (Stage.PRE_DEPARTURE, Stage.READY, Stage.DEPARTED)
CHUNK = 2000


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _people(candidates: list[Candidate]) -> dict[str, Person]:
    """Person facts for `candidates`: their latest departure case's country, position, P3MI and
    passport number, three queries whatever their number."""
    stages = dict(Stage.choices)
    latest: dict[int, DepartureCase] = {}
    cases = (
        DepartureCase.objects.filter(candidate__in=[c.pk for c in candidates])
        .select_related("agency__organisation", "application__order")
        .only(
            "candidate_id",
            "created_at",
            "agency__organisation__name",
            "application__order__employer_country",
            "application__order__position_title",
        )
        .order_by("candidate_id", "-created_at", "-pk")
    )
    for case in cases:
        latest.setdefault(case.candidate_id, case)
    passports = dict(
        ChecklistItem.objects.filter(
            case_id__in=[case.pk for case in latest.values()], code="passport"
        ).values_list("case_id", "data__number")
    )
    people = {}
    for candidate in candidates:
        case = latest.get(candidate.pk)
        order = case.application.order if case else None
        people[candidate.nik] = Person(
            candidate_id=candidate.pk,
            nik=candidate.nik,
            name=candidate.full_name,
            id_pmi=candidate.siskop2mi_id_pmi,
            passport=(passports.get(case.pk) or "") if case else "",
            country=order.employer_country if order else "",
            position=order.position_title if order else "",
            agency=case.agency.organisation.name if case else "",
            stage=str(stages.get(candidate.stage, candidate.stage)),
        )
    return people


_FIELDS = ("nik", "full_name", "siskop2mi_id_pmi", "stage")


def people_by_nik(niks: Iterable[str]) -> dict[str, Person]:
    """What Jalur holds of each person whose NIK is among `niks`."""
    people = {}
    for chunk in _chunks(sorted(set(niks))):
        people.update(_people(list(Candidate.objects.filter(nik__in=chunk).only(*_FIELDS))))
    return people


def people_at_departure_stages() -> dict[str, Person]:
    """Jalur's people at the departure stages (preparing, ready, departed), who should all be in
    SISKOP2MI."""
    ids = list(
        Candidate.objects.filter(stage__in=DEPARTURE_STAGES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    people = {}
    for chunk in _chunks(ids):
        people.update(_people(list(Candidate.objects.filter(pk__in=chunk).only(*_FIELDS))))
    return people


def reconciliations_for(user) -> QuerySet[Reconciliation]:
    if not can(user, CAPABILITY):
        return Reconciliation.objects.none()
    return Reconciliation.objects.select_related("uploaded_by")


def access_reconciliation(user, pk) -> Reconciliation:
    reconciliation = reconciliations_for(user).filter(pk=pk).first()
    if reconciliation is None:
        raise Http404
    return reconciliation


def access_reconciliation_row(user, pk) -> ReconciliationRow:
    row = (
        ReconciliationRow.objects.filter(pk=pk, reconciliation__in=reconciliations_for(user))
        .select_related("reconciliation", "candidate")
        .first()
    )
    if row is None:
        raise Http404
    return row


def category_counts(reconciliation: Reconciliation) -> dict[str, int]:
    """How many rows fall in each category (every category named, 0 when none)."""
    counted = dict(
        reconciliation.rows.values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    return {category: counted.get(category, 0) for category in RowCategory.values}


def report_rows(reconciliation: Reconciliation, category: str) -> QuerySet[ReconciliationRow]:
    return reconciliation.rows.filter(category=category).select_related("candidate", "accepted_by")

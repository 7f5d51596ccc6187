"""Reading candidates in bulk for the summary tables: who they are, where they are going, and
the facts each one counts in (facts.py)."""

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db import connection

from jalur.candidates.models import Candidate, StageHistory
from jalur.pathways.models import JobType, PathwayAssignment

from .. import bulk, facts
from ..facts import Destination, Fact, Move


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _scope(ids: list[int], field: str = "candidate_id") -> dict:
    """A rebuild's batch is every candidate in a range of keys: read the range (an IN list of
    twenty thousand ids costs PostgreSQL more to plan than the range costs to read)."""
    return {f"{field}__gte": min(ids), f"{field}__lte": max(ids)}


def _destinations(ids: list[int]) -> dict[int, Destination]:
    """Each candidate's destination by the rule in facts.py, for a rebuild's batch of contiguous
    ids, in five queries (a stage move reads the same sources in `_people_with_sources`)."""
    orders: dict[int, Destination] = {}
    if apps.is_installed("jalur.placement"):
        from jalur.placement.models import Application
        from jalur.placement.states import ApplicationStatus

        # the latest accepted offer wins: a returnee's next cycle goes where their new offer is
        for row in (
            Application.objects.filter(**_scope(ids), status=ApplicationStatus.ACCEPTED)
            .order_by("id")
            .values_list(
                "candidate_id", "order__employer_country", "order__pathway_id", "order__job_type_id"
            )
        ):
            orders[row[0]] = Destination(row[1] or "", row[2] or 0, row[3] or 0)
    assignments = {
        row[0]: Destination(row[1] or "", row[2] or 0, row[3] or 0)
        for row in PathwayAssignment.objects.filter(**_scope(ids), is_active=True)
        .order_by("assigned_at", "id")
        .values_list("candidate_id", "pathway__country", "pathway_id", "job_type_id")
    }
    job_type_rank = {
        pk: rank
        for rank, pk in enumerate(
            JobType.objects.order_by("sort_order", "name", "pk").values_list("pk", flat=True)
        )
    }
    preferred_job: dict[int, int] = {}
    through = Candidate.preferred_job_types.through
    for candidate_id, job_type_id in through.objects.filter(**_scope(ids)).values_list(
        "candidate_id", "jobtype_id"
    ):
        best = preferred_job.get(candidate_id)
        if best is None or job_type_rank.get(job_type_id, 1 << 30) < job_type_rank.get(
            best, 1 << 30
        ):
            preferred_job[candidate_id] = job_type_id
    countries = dict(
        Candidate.objects.filter(**_scope(ids, "pk")).values_list("pk", "preferred_countries")
    )
    result = {}
    for pk in ids:
        result[pk] = facts.destination_pick(
            order=orders.get(pk),
            assignment=assignments.get(pk),
            preference=facts.preference(countries.get(pk), preferred_job.get(pk)),
        )
    return result


def _current(
    ids: list[int], *, contiguous: bool = False
) -> tuple[dict[int, Fact], dict[int, list[Move]]]:
    """Facts and stage histories of the candidates that still exist (plain SQL: a rebuild reads
    every candidate and every history row, and the ORM's per-row work would dominate).

    `contiguous`: the ids are every candidate between the smallest and the largest (a rebuild's
    batch), so ranges are read; otherwise they are looked up 500 at a time.
    """
    if not ids:
        return {}, {}
    if not contiguous and len(ids) > 500:
        found: dict[int, Fact] = {}
        moves: dict[int, list[Move]] = {}
        for chunk in _chunks(sorted(ids), 500):
            part_found, part_moves = _current(chunk)
            found |= part_found
            moves |= part_moves
        return found, moves
    if contiguous:
        where, params = "BETWEEN %s AND %s", [min(ids), max(ids)]
        people = _people_in_range(where, params, set(ids))
    else:  # a stage move or a refresh batch: one query brings each person with their sources
        where, params = f"IN ({', '.join(['%s'] * len(ids))})", list(ids)
        people = _people_with_sources(where, params)
    found = {
        pk: facts.fact_build(
            created_at=bulk.aware(created_at),
            birth_date=bulk.as_date(birth_date),
            district=district,
            sex=sex,
            stage=stage,
            destination=destination,
        )
        for pk, created_at, birth_date, district, sex, stage, destination in people
    }
    moves: dict[int, list[Move]] = defaultdict(list)
    with connection.cursor() as cursor:
        # Table names come from the models; the ids are parameters.
        cursor.execute(
            f"SELECT candidate_id, id, to_stage, created_at{_utc()} "  # noqa: S608
            f"FROM {bulk.table_of(StageHistory)} WHERE candidate_id {where}",
            params,
        )
        for candidate_id, pk, to_stage, at in cursor.fetchall():
            if candidate_id in found:
                moves[candidate_id].append(Move(pk, to_stage, bulk.aware(at)))
    return found, moves


def _utc() -> str:
    """PostgreSQL: read timestamps as UTC without a zone (several times faster to load)."""
    return " AT TIME ZONE 'UTC'" if connection.vendor == "postgresql" else ""


PERSON_COLUMNS = "c.id, c.created_at{utc}, c.birth_date, c.district_id, c.sex, c.stage"


def _people_in_range(where: str, params: list, wanted: set[int]) -> list[tuple]:
    destinations = _destinations(sorted(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {PERSON_COLUMNS.format(utc=_utc())} "  # noqa: S608
            f"FROM {bulk.table_of(Candidate)} c WHERE c.id {where}",
            params,
        )
        return [(*row, destinations[row[0]]) for row in cursor.fetchall() if row[0] in wanted]


def _source(text: str | None) -> Destination | None:
    """'JP|3|7' (country, pathway, job type) from the sub-queries below, or None."""
    if not text:
        return None
    country, pathway, job_type = (str(text).split("|") + ["", "", ""])[:3]
    return Destination(country or "", int(pathway or 0), int(job_type or 0))


def _people_with_sources(where: str, params: list) -> list[tuple]:
    """Each person and the three sources of their destination, in one statement (a stage move
    runs this inside its transaction, so fewer round trips mean shorter locks). The sub-queries
    are built from model table names only; every value is a parameter."""
    q = connection.ops.quote_name
    job_types = bulk.table_of(JobType)
    through = bulk.table_of(Candidate.preferred_job_types.through)
    assignments = bulk.table_of(PathwayAssignment)
    from jalur.pathways.models import Pathway

    pathways = bulk.table_of(Pathway)
    offer = "NULL"
    if apps.is_installed("jalur.placement"):
        from jalur.placement.models import Application, JobOrder

        offer = (
            f"(SELECT o.employer_country || '|' || o.pathway_id || '|' || o.job_type_id "  # noqa: S608
            f"FROM {bulk.table_of(Application)} a JOIN {bulk.table_of(JobOrder)} o "
            f"ON o.id = a.order_id WHERE a.candidate_id = c.id AND a.status = 'accepted' "
            f"ORDER BY a.id DESC LIMIT 1)"
        )
    assignment = (
        f"(SELECT p.country || '|' || pa.pathway_id || '|' || COALESCE(pa.job_type_id, 0) "  # noqa: S608
        f"FROM {assignments} pa JOIN {pathways} p ON p.id = pa.pathway_id "
        f"WHERE pa.candidate_id = c.id AND pa.is_active ORDER BY pa.assigned_at, pa.id LIMIT 1)"
    )
    preferred_job = (
        f"(SELECT t.{q('jobtype_id')} FROM {through} t JOIN {job_types} j "  # noqa: S608
        f"ON j.id = t.{q('jobtype_id')} WHERE t.{q('candidate_id')} = c.id "
        f"ORDER BY j.sort_order, j.name, j.id LIMIT 1)"
    )
    with connection.cursor() as cursor:
        # Table names come from the models; the ids are parameters.
        cursor.execute(
            f"SELECT {PERSON_COLUMNS.format(utc=_utc())}, c.preferred_countries, "  # noqa: S608
            f"{offer}, {assignment}, {preferred_job} "
            f"FROM {bulk.table_of(Candidate)} c WHERE c.id {where}",
            params,
        )
        rows = cursor.fetchall()
    people = []
    for *person, countries, order, assigned, job_type in rows:
        destination = facts.destination_pick(
            order=_source(order),
            assignment=_source(assigned),
            preference=facts.preference(bulk.json_value(countries), job_type),
        )
        people.append((*person, destination))
    return people

"""Keeping the summary tables current.

Three ways in, one definition (facts.py):
- `stats_candidate_sync`: called by the candidates app inside every stage move and every new record
  (the listener registered in apps.py; an import's batch of new records in one call, its batch form
  `stats_candidate_sync.many`), so the funnel, breakdowns and days per stage are exact the moment
  the move or the registration commits.
- `stats_refresh`: a background task every few minutes (enqueued by the dashboard when the figures
  are older than JALUR_REPORTS_REFRESH_MINUTES): candidates changed without a stage move (edited,
  given a pathway or an accepted offer), training per cohort, language scores and the documents
  that expire.
- `stats_rebuild`: everything from scratch (`manage.py rebuild_stats`), e.g. nightly or after a
  restore. On PostgreSQL it holds an advisory lock that stage moves wait for, so no move is lost or
  counted twice while it runs.

Each sync locks the candidate rows first and the advisory lock second, in that order everywhere.
"""

import datetime
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jalur.candidates.models import Candidate, CandidateDocument, DocumentStatus, StageHistory
from jalur.candidates.services import NewRecord
from jalur.pathways.models import JobType, PathwayAssignment

from . import bulk, facts, recount
from .facts import Destination, Fact, Move
from .models import ActivityTally, CandidateStat, CohortFigures, DwellTally, RefreshState, Tally

STAT_COLUMNS = [
    "candidate_id",
    "registered_month",
    "country",
    "pathway_id",
    "job_type_id",
    "district",
    "sex",
    "age_band",
    "stage",
    "last_history_id",
    "synced_at",
]
ADVISORY_KEY = 7_300_710  # "reports": stage moves take it shared, the rebuild exclusive
BATCH = 2_000
# Changes that commit a little after the refresh started are picked up by the next one.
REFRESH_OVERLAP = datetime.timedelta(minutes=5)
IN_PROCESS = [s for s, group in facts.STAGE_GROUP.items() if group == facts.PROCESS]


# --- locks ----------------------------------------------------------------------------------------
def _advisory(function: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [ADVISORY_KEY])


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- reading candidates in bulk -----------------------------------------------------------------
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


def _stored_fact(stat: CandidateStat) -> Fact:
    return Fact(
        registered_month=stat.registered_month,
        country=stat.country,
        pathway_id=stat.pathway_id,
        job_type_id=stat.job_type_id,
        district=stat.district,
        sex=stat.sex,
        age_band=stat.age_band,
        stage=stat.stage,
    )


def _stat_row(pk: int, fact: Fact, moves: list[Move], now) -> CandidateStat:
    return CandidateStat(
        candidate_id=pk,
        registered_month=fact.registered_month,
        country=fact.country,
        pathway_id=fact.pathway_id,
        job_type_id=fact.job_type_id,
        district=fact.district,
        sex=fact.sex,
        age_band=fact.age_band,
        stage=fact.stage,
        last_history_id=max((m.id for m in moves), default=0),
        synced_at=now,
    )


# --- writing counts -------------------------------------------------------------------------------
def _upsert_add(model, key_fields: list[str], add_fields: list[str], rows: list[tuple]) -> None:
    """Add to counters: INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n (PostgreSQL, SQLite).

    Rows are sorted by the unique key, so concurrent transactions lock the rows in the same order.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = key_fields + add_fields
    updates = ", ".join(
        f"{quote(f)} = {table}.{quote(f)} + excluded.{quote(f)}" for f in add_fields
    )
    conflict = ", ".join(quote(f) for f in key_fields)
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(rows), 500):
            # Table and column names come from the model, values are parameters.
            sql = (
                f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
                f"VALUES {', '.join([placeholder] * len(chunk))} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
            )
            cursor.execute(sql, [value for row in chunk for value in row])


def _apply(tallies: Counter, dwell_n: Counter, dwell_seconds: Counter) -> None:
    tally_rows = [
        (month, dimension, value, grp, country, job_type_id, n)
        for (dimension, value, grp, month, country, job_type_id), n in tallies.items()
        if n
    ]
    _upsert_add(
        Tally, ["month", "dimension", "value", "grp", "country", "job_type_id"], ["n"], tally_rows
    )
    keys = {k for k, v in dwell_n.items() if v} | {k for k, v in dwell_seconds.items() if v}
    dwell_rows = []
    for key in keys:
        stage, month, country, job_type_id, days = key
        dwell_rows.append(
            (month, stage, country, job_type_id, days, dwell_n[key], dwell_seconds[key])
        )
    _upsert_add(
        DwellTally,
        ["month", "stage", "country", "job_type_id", "days"],
        ["n", "seconds"],
        dwell_rows,
    )


def _sync(ids: list[int], *, now) -> int:
    """Apply the difference between what is counted for these candidates and what should be.

    The caller holds the candidates' row locks (or the candidates are new in its transaction).
    """
    _advisory("pg_advisory_xact_lock_shared")
    stored = {s.candidate_id: s for s in CandidateStat.objects.filter(candidate_id__in=ids)}
    found, moves = _current(ids)
    tallies: Counter = Counter()
    dwell_n: Counter = Counter()
    dwell_seconds: Counter = Counter()
    changed = []
    for pk in ids:
        stat = stored.get(pk)
        if stat is not None:
            counted = [m for m in moves.get(pk, []) if m.id <= stat.last_history_id]
            old = facts.contributions(_stored_fact(stat), counted)
            tallies.subtract(old[0])
            dwell_n.subtract(old[1])
            dwell_seconds.subtract(old[2])
        if pk in found:
            new = facts.contributions(found[pk], moves.get(pk, []))
            tallies.update(new[0])
            dwell_n.update(new[1])
            dwell_seconds.update(new[2])
            row = _stat_row(pk, found[pk], moves.get(pk, []), now)
            if (
                stat is None
                or _stored_fact(stat) != found[pk]
                or (stat.last_history_id != row.last_history_id)
            ):
                changed.append(row)
    _apply(tallies, dwell_n, dwell_seconds)
    gone = [pk for pk in stored if pk not in found]
    if gone:
        CandidateStat.objects.filter(candidate_id__in=gone).delete()
    _stats_write(changed)
    return len(changed) + len(gone)


def _stats_write(rows: list[CandidateStat]) -> None:
    if rows:
        CandidateStat.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["candidate_id"],
            update_fields=[c for c in STAT_COLUMNS if c != "candidate_id"],
        )


def _preferred_job_types(job_type_ids: Iterable[tuple[int, ...]]) -> list[int]:
    """For each record's job types, the first in the list order (the rule `_destinations`
    applies); one query for all of them, none when no record has more than one."""
    job_type_ids = list(job_type_ids)
    several = {pk for ids in job_type_ids if len(ids) > 1 for pk in ids}
    rank = {}
    if several:
        ranked = JobType.objects.filter(pk__in=sorted(several)).order_by("sort_order", "name", "pk")
        rank = {pk: n for n, pk in enumerate(ranked.values_list("pk", flat=True))}
    return [
        (ids[0] if ids else 0)
        if len(ids) < 2
        else min((pk for pk in ids if pk in rank), key=rank.__getitem__, default=0)
        for ids in job_type_ids
    ]


def _start(records: list[tuple[Candidate, NewRecord]], *, now) -> None:
    """Records created a moment ago, in the transaction that created them: what each counts for
    is all in memory (see `NewRecord`), so nothing is read back. The same facts as `_sync` would
    read, with every record's increments added up per summary row: a fixed number of statements
    however many records (the lock, the job types' order when someone chose several, the tally and
    days-per-stage upserts, the fact rows; more only past 500 summary rows a statement)."""
    if not records:
        return
    _advisory("pg_advisory_xact_lock_shared")
    counts: tuple[Counter, Counter, Counter] = (Counter(), Counter(), Counter())
    rows = []
    job_types = _preferred_job_types(new.job_type_ids for _candidate, new in records)
    for (candidate, new), job_type_id in zip(records, job_types, strict=True):
        fact = facts.fact_build(
            created_at=candidate.created_at,
            birth_date=candidate.birth_date,
            district=candidate.district_id,
            sex=candidate.sex,
            stage=candidate.stage,
            destination=facts.destination_pick(
                order=None,
                assignment=None,
                preference=facts.preference(candidate.preferred_countries, job_type_id),
            ),
        )
        history = new.history
        moves = [Move(history.pk, history.to_stage, history.created_at)]
        facts.contributions(fact, moves, into=counts)
        rows.append(_stat_row(candidate.pk, fact, moves, now))
    _apply(*counts)
    _stats_write(rows)


def stats_candidate_sync(candidate: Candidate, *, new: NewRecord | None = None) -> None:
    """The stage listener: runs inside `candidate_stage_change` and `candidate_history_start`."""
    if new is not None:
        _start([(candidate, new)], now=timezone.now())
    else:
        _sync([candidate.pk], now=timezone.now())


def stats_candidates_start(records: list[tuple[Candidate, NewRecord]]) -> None:
    """The stage listener's batch form (`stats_candidate_sync.many`), for the records
    `candidates_create` writes together (an import's batch): all of them in the statements one
    record takes."""
    _start(list(records), now=timezone.now())


stats_candidate_sync.many = stats_candidates_start


def stats_candidates_sync(ids: Iterable[int]) -> int:
    """Re-count candidates changed outside a stage move, in batches, each under its row locks."""
    ids = sorted(set(ids))
    done = 0
    for chunk in _chunks(ids, BATCH):
        with transaction.atomic():
            locked = list(
                Candidate.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            gone = set(chunk) - set(locked)
            done += _sync(sorted(set(locked) | gone), now=timezone.now())
    return done


# --- training and other apps' figures -----------------------------------------------------------
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


def _stat_of(field: str):
    return Subquery(
        CandidateStat.objects.filter(candidate_id=OuterRef("candidate_id")).values(field)[:1]
    )


def _activity_refresh(now) -> int:
    """Language-score histogram and the documents still needed that expire within a year."""
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


# --- refresh and rebuild ------------------------------------------------------------------------
def refresh_state() -> RefreshState:
    state = RefreshState.objects.order_by("pk").first()
    return state or RefreshState.objects.create()


def _changed_since(since: datetime.datetime) -> set[int]:
    """Candidates whose facts may have changed without a stage move since `since`."""
    ids = set(
        Candidate.objects.filter(Q(updated_at__gte=since) | Q(created_at__gte=since)).values_list(
            "pk", flat=True
        )
    )
    ids |= set(
        PathwayAssignment.objects.filter(
            Q(assigned_at__gte=since) | Q(ended_at__gte=since)
        ).values_list("candidate_id", flat=True)
    )
    if apps.is_installed("jalur.placement"):
        from jalur.placement.models import Application

        ids |= set(
            Application.objects.filter(status_changed_at__gte=since).values_list(
                "candidate_id", flat=True
            )
        )
    return ids


def stats_refresh() -> dict:
    """The periodic refresh (see the module docstring). Returns what it did, for logs."""
    started, clock = timezone.now(), time.monotonic()
    state = refresh_state()
    if state.rebuilt_at is None:
        return {"candidates": stats_rebuild(), "cohorts": None, "activity": None}
    since = (state.refreshed_at or state.rebuilt_at) - REFRESH_OVERLAP
    result = {
        "candidates": stats_candidates_sync(_changed_since(since)),
        "cohorts": _cohort_figures_refresh(started),
        "activity": _activity_refresh(started),
    }
    RefreshState.objects.filter(pk=state.pk).update(
        refreshed_at=started, refresh_seconds=time.monotonic() - clock
    )
    return result


def stats_refresh_if_stale() -> bool:
    """Enqueue a refresh when the figures are older than the setting, once per interval however
    many pages ask (the claim is one conditional UPDATE, safe across processes)."""
    interval = datetime.timedelta(minutes=getattr(settings, "JALUR_REPORTS_REFRESH_MINUTES", 10))
    now = timezone.now()
    state = refresh_state()
    if state.refreshed_at is not None and now - state.refreshed_at < interval:
        return False
    claimed = (
        RefreshState.objects.filter(pk=state.pk)
        .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=now - interval))
        .update(requested_at=now)
    )
    if not claimed:
        return False
    from .tasks import stats_refresh_task

    stats_refresh_task.enqueue()
    return True


def _truncate(*models) -> None:
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        names = ", ".join(quote(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {names}")
    else:
        for model in models:
            model.objects.all().delete()


def _rebuild_in_python(started, batch_size: int, progress) -> int:
    """The rebuild person by person (SQLite; PostgreSQL counts the same in SQL, recount.py)."""
    total = 0
    # Plain int dicts add up faster than Counters over a million people.
    counters = (defaultdict(int), defaultdict(int), defaultdict(int))
    last = 0
    while True:
        ids = list(
            Candidate.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        found, moves = _current(ids, contiguous=True)
        rows = []
        for pk, fact in found.items():
            mine = moves.get(pk, [])
            facts.contributions(fact, mine, into=counters)
            rows.append(
                (
                    pk,
                    fact.registered_month,
                    fact.country,
                    fact.pathway_id,
                    fact.job_type_id,
                    fact.district,
                    fact.sex,
                    fact.age_band,
                    fact.stage,
                    max((m.id for m in mine), default=0),
                    started,
                )
            )
        bulk.fast_insert(CandidateStat, STAT_COLUMNS, rows)
        total += len(rows)
        last = ids[-1]
        if progress:
            progress(total)
    tallies, dwell_n, dwell_seconds = counters
    bulk.fast_insert(
        Tally,
        ["dimension", "value", "grp", "month", "country", "job_type_id", "n"],
        (key + (n,) for key, n in tallies.items() if n),
    )
    bulk.fast_insert(
        DwellTally,
        ["stage", "month", "country", "job_type_id", "days", "n", "seconds"],
        (key + (n, dwell_seconds[key]) for key, n in dwell_n.items() if n),
    )
    return total


def stats_rebuild(*, batch_size: int = 20_000, progress: Callable[[int], None] | None = None):
    """Recount everything from the records themselves. Returns the number of candidates counted."""
    started, clock = timezone.now(), time.monotonic()
    total = 0
    with transaction.atomic():
        _advisory("pg_advisory_xact_lock")
        _truncate(CandidateStat, Tally, DwellTally)
        if connection.vendor == "postgresql":
            total = recount.recount(started)
        else:
            total = _rebuild_in_python(started, batch_size, progress)
    CohortFigures.objects.all().delete()
    _cohort_figures_refresh(started)
    _activity_refresh(started)
    state = refresh_state()
    RefreshState.objects.filter(pk=state.pk).update(
        rebuilt_at=started,
        rebuild_seconds=time.monotonic() - clock,
        refreshed_at=started,
        refresh_seconds=None,
    )
    return total

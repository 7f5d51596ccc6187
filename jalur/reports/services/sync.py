"""Writing the counts: a candidate's facts in the summary tables, kept exact at every stage move
and every new record (`stats_candidate_sync`, its batch form `stats_candidate_sync.many`)."""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.services import NewRecord
from jalur.pathways.models import JobType

from .. import facts
from ..facts import Fact, Move
from ..models import CandidateStat, DwellTally, Tally
from .people import _chunks, _current

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


def _advisory(function: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [ADVISORY_KEY])


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

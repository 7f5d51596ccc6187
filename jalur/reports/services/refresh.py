"""Keeping the summary tables current in the background (`stats_refresh`, `stats_refresh_if_stale`)
and rebuilding them from scratch (`stats_rebuild`)."""

import datetime
import time
from collections import defaultdict
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.pathways.models import PathwayAssignment

from .. import bulk, facts, recount
from ..models import CandidateStat, CohortFigures, DwellTally, RefreshState, Tally
from .activity import _activity_refresh, _cohort_figures_refresh
from .people import _current
from .sync import STAT_COLUMNS, _advisory, stats_candidates_sync

# Changes that commit a little after the refresh started are picked up by the next one.
REFRESH_OVERLAP = datetime.timedelta(minutes=5)


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
    from ..tasks import stats_refresh_task

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

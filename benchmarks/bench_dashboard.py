"""Benchmark: the leadership dashboard over 1,000,000 candidates on PostgreSQL (target: p95 < 500 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jalur_bench \\
        .venv/bin/python benchmarks/bench_dashboard.py [--candidates 1000000] [--requests 40]

The database named in DATABASE_URL is the benchmark's own (it is created if missing; never point
it at a real one). The first run fills it with `generate_synthetic` up to --candidates people
(with their stage histories, training, offers, departures and grievances; minutes) and counts the
summary tables; later runs reuse it. Then, warm (after --warmup requests):

1. the real dashboard view through Django's test client (session, middleware, view, templates),
   logged in as leadership, for five filter combinations; p50 / p95 / max and queries per request;
2. the SQL that view ran, replayed with a raw cursor: the summary-table aggregates it needs, so
   dashboard / SQL is the cost of Python and templates on top of the database;
3. the same figures computed by hand-written SQL aggregates over the base tables
   (bench_dashboard_sql.py), without summary tables: what the dashboard would cost without them;
4. the public statistics page and the refresh task, for the record;
5. what keeping the tables current costs a stage move: --moves people moved from "registered" to
   "verified" with the reports listener and as many without it (those are counted afterwards).
   This changes the benchmark database; run it only there.

Not part of the test suite: timings belong here, not in tests.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalur.settings")


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist (connecting to the server's 'postgres')."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms   "
        f"max {max(values):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="measured requests per variant")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--sql-runs", type=int, default=5, help="runs of each SQL baseline")
    parser.add_argument(
        "--moves", type=int, default=100, help="stage moves timed with and without the listener"
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://…/jalur_bench (a database for the benchmark only).")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    setup_test_environment()  # lets the test client see templates' context; no test database
    call_command("migrate", verbosity=0)

    from jalur.accounts.models import Organisation, User
    from jalur.accounts.roles import OrganisationKind, Role
    from jalur.candidates.models import Candidate, StageHistory
    from jalur.pathways.models import JobType
    from jalur.reports.models import DwellTally, RefreshState, Tally
    from jalur.reports.services import stats_rebuild, stats_refresh
    from jalur.reports.synthetic import NIK_PREFIX, Generator

    have = Candidate.objects.filter(nik__startswith=NIK_PREFIX).count()
    if have < args.candidates:
        missing = args.candidates - have
        print(f"generating {missing:,} synthetic candidates (have {have:,}) …", flush=True)
        clock = time.monotonic()
        Generator(seed=have + 7, log=lambda text: print(f"  {text}", flush=True)).run(missing)
        print(f"  generated in {time.monotonic() - clock:.0f} s", flush=True)
        have = args.candidates
    state = RefreshState.objects.order_by("pk").first()
    if state is None or state.rebuilt_at is None or Tally.objects.count() == 0:
        print("counting the summary tables (rebuild_stats) …", flush=True)
        clock = time.monotonic()
        stats_rebuild()
        print(f"  rebuilt in {time.monotonic() - clock:.0f} s", flush=True)
    clock = time.monotonic()
    refreshed = stats_refresh()
    refresh_seconds = time.monotonic() - clock
    state = RefreshState.objects.order_by("pk").first()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load (seconds)
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print()
    print(f"database: {version}, {connection.settings_dict['NAME']}")
    print(
        f"data: {Candidate.objects.count():,} candidates, "
        f"{StageHistory.objects.count():,} stage-history rows; summary tables: "
        f"{Tally.objects.count():,} tally rows, {DwellTally.objects.count():,} dwell rows"
    )
    if state.rebuild_seconds:
        print(f"last rebuild_stats: {state.rebuild_seconds:.0f} s")
    print(f"refresh task: {refresh_seconds:.1f} s ({refreshed})")

    office, _ = Organisation.objects.get_or_create(
        code="bench-disnaker",
        defaults={"kind": OrganisationKind.LABOUR_OFFICE, "name": "Disnakertrans (benchmark)"},
    )
    leader, _ = User.objects.get_or_create(
        username="bench-pimpinan", defaults={"role": Role.LEADERSHIP, "organisation": office}
    )
    client = Client()
    client.force_login(leader, backend="jalur.accounts.backends.PhoneOrEmailBackend")
    this_month = timezone.localdate().replace(day=1)
    job_type = str(JobType.objects.get(code="industrial").pk)
    variants = {
        "last 12 months (default)": {},
        "last 12 months, Japan": {"country": "JP"},
        "last 12 months, Korea, industrial work": {"country": "KR", "job_type": job_type},
        "one month": {"start": f"{this_month:%Y-%m}", "end": f"{this_month:%Y-%m}"},
        "since 2020 (everything)": {"start": "2020-01"},
    }

    print()
    print(f"1. dashboard through the test client ({args.requests} warm requests per variant)")
    all_times: list[float] = []
    captured = {}
    for label, params in variants.items():
        for _ in range(args.warmup):
            assert client.get("/laporan/", params).status_code == 200
        times = []
        for _ in range(args.requests):
            clock = time.perf_counter()
            response = client.get("/laporan/", params)
            times.append((time.perf_counter() - clock) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get("/laporan/", params)
        captured[label] = [q["sql"] for q in queries.captured_queries]
        all_times += times
        print(f"   {label:<40} {summary(times)}   {len(queries)} queries")
    dashboard_p95 = percentile(all_times, 0.95)
    print(f"   {'all variants':<40} {summary(all_times)}")

    print()
    print("2. the same SQL, replayed with a raw cursor (summary-table aggregates)")
    sql_times: list[float] = []
    for label, statements in captured.items():
        times = []
        for _ in range(args.sql_runs):
            clock = time.perf_counter()
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    cursor.fetchall()
            times.append((time.perf_counter() - clock) * 1000)
        sql_times += times
        print(f"   {label:<40} {summary(times)}")
    sql_p95 = percentile(sql_times, 0.95)

    print()
    print("3. the same figures from the base tables, hand-written SQL, no summary tables")
    from bench_dashboard_sql import QUERIES

    zone = timezone.get_default_timezone()
    start_month = (this_month - datetime.timedelta(days=335)).replace(day=1)
    params = {
        "start": datetime.datetime.combine(start_month, datetime.time.min, zone),
        "end": datetime.datetime.combine(
            (this_month + datetime.timedelta(days=32)).replace(day=1), datetime.time.min, zone
        ),
        "zone": str(zone),
        "today": timezone.localdate(),
        "horizon": timezone.localdate() + datetime.timedelta(days=60),
    }
    base_totals: list[float] = []
    per_query: dict[str, list[float]] = {name: [] for name in QUERIES}
    runs = max(1, min(args.sql_runs, 3))
    for _ in range(runs):
        total = 0.0
        for name, sql in QUERIES.items():
            clock = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
            elapsed = (time.perf_counter() - clock) * 1000
            per_query[name].append(elapsed)
            total += elapsed
        base_totals.append(total)
    for name, times in per_query.items():
        print(f"   {name:<62} median {statistics.median(times):8.0f} ms")
    base_median = statistics.median(base_totals)
    print(f"   {'all of them (last 12 months)':<62} median {base_median:8.0f} ms over {runs} runs")

    print()
    print("4. public statistics page (anonymous)")
    public = Client()
    for _ in range(args.warmup):
        public.get("/laporan/statistik/")
    times = []
    for _ in range(args.requests):
        clock = time.perf_counter()
        assert public.get("/laporan/statistik/").status_code == 200
        times.append((time.perf_counter() - clock) * 1000)
    print(f"   {'/laporan/statistik/':<40} {summary(times)}")

    if args.moves:
        print()
        print(f"5. cost of keeping the tables current: {args.moves} stage moves each way")
        from jalur.candidates import services as candidate_services
        from jalur.candidates.stages import Stage
        from jalur.reports.services import stats_candidate_sync, stats_candidates_sync

        waiting = list(
            Candidate.objects.filter(stage=Stage.REGISTERED).values_list("pk", flat=True)[
                : 2 * args.moves
            ]
        )
        for label, group, listening in (
            ("with the reports listener", waiting[: args.moves], True),
            ("without it", waiting[args.moves :], False),
        ):
            listeners = candidate_services.STAGE_LISTENERS
            saved = list(listeners)
            if not listening:
                listeners.clear()
            times = []
            try:
                for pk in group:
                    candidate = Candidate.objects.get(pk=pk)
                    clock = time.perf_counter()
                    candidate_services.candidate_stage_change(
                        candidate=candidate, to_stage=Stage.VERIFIED, actor=None
                    )
                    times.append((time.perf_counter() - clock) * 1000)
            finally:
                listeners[:] = saved
            print(f"   {label:<40} {summary(times)}")
        # The moves made without the listener are counted now, as the refresh would.
        stats_candidates_sync(waiting[args.moves :])
        assert stats_candidate_sync in candidate_services.STAGE_LISTENERS

    print()
    print(
        f"dashboard p95 (all variants): {dashboard_p95:.0f} ms  (target < 500 ms: "
        f"{'met' if dashboard_p95 < 500 else 'NOT met'})"
    )
    print(f"ratio dashboard p95 / its own SQL p95: {dashboard_p95 / sql_p95:.1f}")
    print(f"ratio base-table SQL (median) / dashboard p95: {base_median / dashboard_p95:.0f}")


if __name__ == "__main__":
    main()

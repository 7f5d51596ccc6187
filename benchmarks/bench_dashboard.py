"""Benchmark: the leadership dashboard and the public statistics page at national scale on
PostgreSQL (issue 20, target 5: p95 < 500 ms and at most 3 × the page's own SQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jalur_bench_10m \\
        .venv/bin/python benchmarks/bench_dashboard.py [--rounds 40] [--warmup 5]

The database named in DATABASE_URL is a benchmark database (never a real one). When it holds
fewer than --candidates synthetic people, the missing ones are generated first (`--national`
spreads them over every kecamatan) and the summary tables are recounted; later runs reuse it.
DEBUG is off, as in production (the script refuses to run otherwise).

For each page variant (five dashboard filters, the public statistics page), warm:
- A: the page through Django's test client (session, middleware, view, templates), logged in as
  leadership (anonymous for the public page);
- B: the SQL that page ran, captured once and replayed with a raw cursor.
A and B are measured interleaved, A B A B …, round after round over every variant, so a ratio
holds while the machine's speed drifts (other work on the same cores). Any answer other than
200 stops the run with the status and the URL.

--base-sql adds the same figures computed from the base tables (bench_dashboard_sql.py, no
summary tables: minutes at ten million). --moves N times N stage moves with and without the
reports listener (this changes the database: only on a benchmark database of your own).

Not part of the test suite: timings belong here, not in tests.
"""

import argparse
import datetime
import math
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalur.settings")
os.environ["DEBUG"] = "0"  # measured as production runs: no query log, no debug templates


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
    """Nearest rank."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def spread(values: list[float]) -> str:
    return (
        f"min {min(values):6.1f}  p50 {statistics.median(values):6.1f}  "
        f"p95 {percentile(values, 0.95):6.1f}  max {max(values):6.1f} ms"
    )


def backend_cpu(pid: int) -> float:
    """CPU seconds the PostgreSQL backend has used (same machine only: /proc), else 0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fetch(client, url: str, params: dict):
    """GET the page; anything but 200 ends the benchmark, loudly."""
    response = client.get(url, params)
    if response.status_code != 200:
        sys.exit(
            f"FAILED: GET {url}?{urlencode(params)} answered {response.status_code}; "
            "a benchmark of a failing page measures nothing"
        )
    return response


def prepare(args) -> None:
    from django.core.management import call_command

    from jalur.candidates.models import Candidate
    from jalur.reports.models import RefreshState, Tally
    from jalur.reports.services.refresh import stats_rebuild
    from jalur.reports.synthetic import NIK_PREFIX, Generator

    call_command("migrate", verbosity=0)
    have = Candidate.objects.filter(nik__startswith=NIK_PREFIX).count()
    if have < args.candidates:
        missing = args.candidates - have
        print(f"generating {missing:,} synthetic candidates (have {have:,}) …", flush=True)
        clock = time.monotonic()
        generator = Generator(
            seed=have + 7, national=args.national, log=lambda text: print(f"  {text}", flush=True)
        )
        generator.run(missing)
        print(f"  generated in {time.monotonic() - clock:.0f} s", flush=True)
    state = RefreshState.objects.order_by("pk").first()
    if state is None or state.rebuilt_at is None or not Tally.objects.exists():
        print("counting the summary tables (rebuild_stats) …", flush=True)
        clock = time.monotonic()
        stats_rebuild()
        print(f"  rebuilt in {time.monotonic() - clock:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=0, help="generate up to this many")
    parser.add_argument("--national", action="store_true", help="generate over every kecamatan")
    parser.add_argument("--rounds", type=int, default=40, help="A B pairs per variant")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--base-sql", action="store_true", help="also the base-table SQL")
    parser.add_argument("--moves", type=int, default=0, help="stage moves with/without listener")
    parser.add_argument(
        "--slowest", type=int, default=0, help="print each page's N slowest statements (profile)"
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://…/jalur_bench_10m (a database for benchmarks only).")
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    if settings.DEBUG:
        sys.exit("DEBUG is on: the benchmark measures production settings only.")
    setup_test_environment()  # the test client's host; no test database
    prepare(args)

    from jalur.accounts.models import Organisation, User
    from jalur.accounts.roles import OrganisationKind, Role
    from jalur.pathways.models import JobType
    from jalur.reports.models import CohortFigures, DwellTally, RefreshState, Tally

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", ["candidates_candidate"]
        )
        people = cursor.fetchone()[0]
    state = RefreshState.objects.order_by("pk").first()
    print(f"database: {version}, {connection.settings_dict['NAME']}, DEBUG {settings.DEBUG}")
    print(
        f"data: about {people:,} candidates; summary tables: {Tally.objects.count():,} tally rows, "
        f"{DwellTally.objects.count():,} days-per-stage rows, {CohortFigures.objects.count():,} cohorts"
    )
    if state and state.rebuild_seconds:
        print(f"last rebuild_stats: {state.rebuild_seconds:.0f} s")
    print(f"load average at start: {os.getloadavg()}")

    office, _ = Organisation.objects.get_or_create(
        code="bench-disnaker",
        defaults={"kind": OrganisationKind.LABOUR_OFFICE, "name": "Disnakertrans (benchmark)"},
    )
    leader, _ = User.objects.get_or_create(
        username="bench-pimpinan", defaults={"role": Role.LEADERSHIP, "organisation": office}
    )
    staff = Client()
    staff.force_login(leader, backend="jalur.accounts.backends.PhoneOrEmailBackend")
    public = Client()
    this_month = timezone.localdate().replace(day=1)
    job_type = str(JobType.objects.get(code="industrial").pk)
    variants = {
        "dashboard, last 12 months (default)": (staff, "/laporan/", {}),
        "dashboard, last 12 months, Japan": (staff, "/laporan/", {"country": "JP"}),
        "dashboard, 12 months, Korea, industrial": (
            staff,
            "/laporan/",
            {"country": "KR", "job_type": job_type},
        ),
        "dashboard, one month": (
            staff,
            "/laporan/",
            {"start": f"{this_month:%Y-%m}", "end": f"{this_month:%Y-%m}"},
        ),
        "dashboard, since 2020 (everything)": (staff, "/laporan/", {"start": "2020-01"}),
        "public statistics (anonymous)": (public, "/laporan/statistik/", {}),
    }

    # the SQL each page runs, captured once (warm), then replayed as it is
    statements = {}
    for label, (client, path, params) in variants.items():
        for _ in range(args.warmup):
            fetch(client, path, params)
        with CaptureQueriesContext(connection) as queries:
            fetch(client, path, params)
        statements[label] = [q["sql"] for q in queries.captured_queries]

    def replay(sql_list: list[str]) -> None:
        with connection.cursor() as cursor:
            for sql in sql_list:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    if args.slowest:  # where a page's SQL time goes: each statement alone, best of three
        print(f"\nthe {args.slowest} slowest statements of each page (ms, best of 3)")
        for label, sql_list in statements.items():
            timed = []
            for sql in sql_list:
                best = math.inf
                for _ in range(3):
                    clock = time.perf_counter()
                    replay([sql])
                    best = min(best, (time.perf_counter() - clock) * 1000)
                timed.append((best, " ".join(sql.split())))
            timed.sort(reverse=True)
            print(f"  {label}: all {sum(t for t, _ in timed):.1f} ms")
            for best, sql in timed[: args.slowest]:
                print(f"    {best:8.1f}  {sql[:160]}")

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    page_times = {label: [] for label in variants}
    sql_times = {label: [] for label in variants}
    # CPU seconds (this process, the database backend) over all rounds: what a request costs
    # whatever else the machine is doing (wall time on a busy machine includes waiting for a core)
    cpu = {label: [0.0, 0.0, 0.0] for label in variants}
    for _round in range(args.rounds):
        for label, (client, path, params) in variants.items():
            mine, theirs = time.process_time(), backend_cpu(backend)
            clock = time.perf_counter()
            fetch(client, path, params)
            page_times[label].append((time.perf_counter() - clock) * 1000)
            cpu[label][0] += time.process_time() - mine
            cpu[label][1] += backend_cpu(backend) - theirs
            theirs = backend_cpu(backend)
            clock = time.perf_counter()
            replay(statements[label])
            sql_times[label].append((time.perf_counter() - clock) * 1000)
            cpu[label][2] += backend_cpu(backend) - theirs

    print()
    print(f"A page / B its own SQL, interleaved, {args.rounds} rounds after {args.warmup} warm-up")
    for label in variants:
        ratio = percentile(page_times[label], 0.95) / percentile(sql_times[label], 0.95)
        print(f"  {label:<42} queries {len(statements[label]):3}")
        print(f"    page {spread(page_times[label])}")
        print(f"    SQL  {spread(sql_times[label])}   page/SQL p95 {ratio:.1f}")
        python, database, replayed = (1000 * c / args.rounds for c in cpu[label])
        print(
            f"    CPU per request: page {python + database:6.1f} ms (Python {python:.1f}, "
            f"PostgreSQL {database:.1f}); SQL replay {replayed:.1f} ms"
        )
    dashboards = [t for label, times in page_times.items() if "dashboard" in label for t in times]
    dashboard_sql = [t for label, times in sql_times.items() if "dashboard" in label for t in times]
    print(f"  {'all dashboard requests':<42}")
    print(f"    page {spread(dashboards)}")
    print(f"    SQL  {spread(dashboard_sql)}")
    print(f"load average at end: {os.getloadavg()}")

    if args.base_sql:
        base_sql(connection, timezone, this_month)
    if args.moves:
        stage_moves(args.moves)

    worst = max(percentile(times, 0.95) for times in page_times.values())
    worst_ratio = max(
        percentile(page_times[label], 0.95) / percentile(sql_times[label], 0.95)
        for label in variants
    )
    print()
    print(
        f"slowest page p95 {worst:.0f} ms (target < 500 ms: {'met' if worst < 500 else 'NOT met'}); "
        f"largest page/SQL p95 ratio {worst_ratio:.1f} (target <= 3: "
        f"{'met' if worst_ratio <= 3 else 'NOT met'})"
    )


def base_sql(connection, timezone, this_month) -> None:
    """The same figures from the base tables by hand-written SQL: what summary tables save."""
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
    print()
    print("base-table SQL, no summary tables (last 12 months), one run")
    total = 0.0
    for name, sql in QUERIES.items():
        clock = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
        elapsed = (time.perf_counter() - clock) * 1000
        total += elapsed
        print(f"  {name:<62} {elapsed:9.0f} ms")
    print(f"  {'all of them':<62} {total:9.0f} ms")


def stage_moves(count: int) -> None:
    """What keeping the tables current costs a stage move: with and without the listener."""
    from jalur.candidates import services as candidate_services
    from jalur.candidates.models import Candidate
    from jalur.candidates.stages import Stage
    from jalur.reports.services.sync import stats_candidate_sync, stats_candidates_sync

    print()
    print(f"cost of keeping the tables current: {count} stage moves each way")
    waiting = list(
        Candidate.objects.filter(stage=Stage.REGISTERED).values_list("pk", flat=True)[: 2 * count]
    )
    for label, group, listening in (
        ("with the reports listener", waiting[:count], True),
        ("without it", waiting[count:], False),
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
        print(f"  {label:<40} {spread(times)}")
    # The moves made without the listener are counted now, as the refresh would.
    stats_candidates_sync(waiting[count:])
    assert stats_candidate_sync in candidate_services.STAGE_LISTENERS


if __name__ == "__main__":
    main()

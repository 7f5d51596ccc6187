"""Benchmark: the API's candidates list at 100,000 candidates on PostgreSQL (issue 14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jalur_bench_api \\
        .venv/bin/python benchmarks/bench_api.py [--candidates 100000] [--requests 30]

The database named in DATABASE_URL is the benchmark's own (created if missing; never point it at a
real one). The first run fills it with `generate_synthetic` up to --candidates people; later runs
reuse it. Then, warm, through Django's test client with an office token (programme manager: the
identity columns too) and DEBUG off, for each variant: p50 / p95 / max of --requests calls, and
the SQL queries of one call, split into the endpoint's own and the API core's (token, rate count,
audit row). Variants: the first page, a deep page (the cursor of the row --deep rows in), the
same two filtered by stage and kab/kota, a name search, and the first page at 200 rows.

Target: a deep page costs what the first one does, in time and in queries (keyset cursor: one
index range scan; no OFFSET, no COUNT).

Everything the calls write (the token, its audit rows, the rate counts) is in one transaction rolled
back at the end. Not part of the test suite: timings belong here, not in tests.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalur.settings")
os.environ["DEBUG"] = "0"

from bench_dashboard import ensure_database, percentile  # noqa: E402

URL = "/api/v1/candidates/"
OWN_TABLES = ("candidates_candidate", "pathways_")


class Rollback(Exception):
    pass


def summary(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms   "
        f"max {max(values):7.1f} ms"
    )


def fill(target: int) -> int:
    from jalur.candidates.models import Candidate
    from jalur.reports.synthetic import NIK_PREFIX, Generator

    have = Candidate.objects.filter(nik__startswith=NIK_PREFIX).count()
    if have < target:
        missing = target - have
        print(f"generating {missing:,} synthetic candidates (have {have:,}) …", flush=True)
        clock = time.monotonic()
        Generator(seed=have + 7, log=lambda text: print(f"  {text}", flush=True)).run(missing)
        print(f"  generated in {time.monotonic() - clock:.0f} s", flush=True)
    return Candidate.objects.count()


def variants(deep: int) -> list[tuple[str, dict]]:
    """(name, query parameters); cursors point `deep` rows into the list they page."""
    from django.db.models import Count

    from jalur.candidates.models import Candidate

    def cursor_at(rows) -> tuple[int, int]:
        """The row `deep` rows in, or 90 % of the way into a shorter list, and its cursor (its id)."""
        at = min(deep, rows.count() * 9 // 10)
        return at, rows.order_by("-pk").values_list("pk", flat=True)[at]

    by_stage = Candidate.objects.values("stage").annotate(n=Count("pk")).order_by("-n")
    stage, rare = by_stage.first()["stage"], by_stage.last()["stage"]
    regency = (
        Candidate.objects.exclude(district=None)
        .values("district__regency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["district__regency"]
    )
    filtered = {"stage": stage, "regency": regency}
    middle = Candidate.objects.order_by("pk")[Candidate.objects.count() // 2]
    word = middle.full_name.split()[-1]
    at, deep_cursor = cursor_at(Candidate.objects.all())
    at_filtered, filtered_cursor = cursor_at(
        Candidate.objects.filter(stage=stage, district__code__startswith=f"{regency}.")
    )
    return [
        ("first page (50)", {}),
        (f"deep page (row {at:,})", {"cursor": deep_cursor}),
        (f"stage={stage}&regency={regency}, first", filtered),
        (f"  same, deep (row {at_filtered:,})", {**filtered, "cursor": filtered_cursor}),
        (f"stage={rare} (the rarest), first", {"stage": rare}),
        (f"search q={word}", {"q": word}),
        ("first page (200)", {"limit": 200}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="measured calls per variant")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--deep", type=int, default=90_000, help="rows into the list")
    parser.add_argument("--show-sql", action="store_true", help="print each variant's queries")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL=postgres://…/jalur_bench_api (a database for the benchmark only)."
        )
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the rate counts live in the cache
    total = fill(args.candidates)
    settings.JALUR_API_TOKEN_RATE = 10**9  # the rate limit is not what is measured here
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print()
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, {platform.python_version()}")
    print(f"database: {version}, {connection.settings_dict['NAME']}, {total:,} candidates")
    print(f"date: {timezone.now():%Y-%m-%d %H:%M} UTC")

    try:
        with transaction.atomic():
            run(args, Client, CaptureQueriesContext, connection)
            raise Rollback
    except Rollback:
        pass


def run(args, Client, CaptureQueriesContext, connection) -> None:
    import datetime

    from django.utils import timezone

    from jalur.accounts.models import Organisation, User
    from jalur.accounts.roles import OrganisationKind, Role
    from jalur.api.services import token_create

    office, _ = Organisation.objects.get_or_create(
        code="bench-api-office",
        defaults={"kind": OrganisationKind.LABOUR_OFFICE, "name": "Disnakertrans (benchmark)"},
    )
    admin = User.objects.create(
        username="bench-api-admin", role=Role.SYSADMIN, organisation=office, is_staff=True
    )
    _token, key = token_create(
        actor=admin,
        organisation=office,
        role=Role.PROGRAMME_MANAGER,
        name="Benchmark",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client = Client(headers={"Authorization": f"Bearer {key}"})
    print()
    print(f"{'variant':42} {'rows':>5} {'own SQL':>7} {'all SQL':>7}   timing")
    for name, params in variants(args.deep):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, params)
        assert response.status_code == 200, response.content[:300]
        # counted now: the next request clears the connection's query log
        everything = [q["sql"] for q in queries.captured_queries]
        own = sum(1 for sql in everything if any(table in sql for table in OWN_TABLES))
        rows = len(response.json()["items"])
        if args.show_sql:
            print("\n".join(f"    {sql[:160]}" for sql in everything))
        for _ in range(args.warmup):
            client.get(URL, params)
        times = []
        for _ in range(args.requests):
            clock = time.perf_counter()
            response = client.get(URL, params)
            times.append((time.perf_counter() - clock) * 1000)
            assert response.status_code == 200
        print(f"{name:42} {rows:5} {own:7} {len(everything):7}   {summary(times)}", flush=True)


if __name__ == "__main__":
    main()

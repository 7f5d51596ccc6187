"""Benchmark: every staff list page at 1,000,000 candidates on PostgreSQL (issue 20, target 3).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jalur_bench_1m \\
        .venv/bin/python benchmarks/bench_lists.py [--requests 20] [--only cohorts,stuck]

Target: each page p95 < 300 ms and at most 3 x the raw SQL that fetches the page's own rows, at a
cost that does not grow with the table (the deep page costs what the first one does).

For every staff list (first page, a deep page some thousands of rows in, filters applied where the
page has them) it requests the real view through Django's test client with DEBUG off (session,
middleware, view, template), logged in as the role that uses the list, and interleaves each request
with the SQL that fetched that page's own rows (the view's query with `LIMIT size + 1`, as the view
ran it, replayed with a raw cursor): A B A B, so the ratio holds while the machine's speed drifts.
It prints each page's p50 / p95 for both, their ratio and the spread (p5 to p95), and stops with an
error on any response that is not 2xx or 3xx.

Everything runs in one transaction that is rolled back at the end (the benchmark users and their
sessions included): the 1M database is shared and stays as it was. Not part of the test suite.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalur.settings")
os.environ["DEBUG"] = "0"
os.environ["JALUR_2FA_REQUIRED"] = "0"  # the code step is not what is measured here
DEEP_ROW = 5000


class Rollback(Exception):
    pass


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def users():
    """One user per role that works a list, in the organisations with the most rows to see."""
    from django.db.models import Count

    from jalur.accounts.models import Organisation, User
    from jalur.accounts.roles import OrganisationKind, Role
    from jalur.placement.models import JobOrder
    from jalur.training.models import Cohort

    office, _ = Organisation.objects.get_or_create(
        code="bench-lists-office",
        defaults={"kind": OrganisationKind.LABOUR_OFFICE, "name": "Disnakertrans (benchmark)"},
    )
    agency = (
        JobOrder.objects.values("agency__organisation")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    provider = (
        Cohort.objects.values("provider__organisation")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )

    def make(name, role, organisation_id):
        return User.objects.create(
            username=f"bench-lists-{name}", role=role, organisation_id=organisation_id
        )

    return {
        "manager": make("manager", Role.PROGRAMME_MANAGER, office.pk),
        "verifier": make("verifier", Role.VERIFIER, office.pk),
        "sysadmin": make("sysadmin", Role.SYSADMIN, office.pk),
        "agency": make("agency", Role.AGENCY_STAFF, agency["agency__organisation"]),
        "trainer": make("trainer", Role.TRAINING_STAFF, provider["provider__organisation"]),
    }


def pages(people) -> list[dict]:
    """(name, user, path, filters, size, the queryset and order the page walks, page parameter)."""
    from django.utils import timezone

    from jalur.audit.selectors import AUDIT_ORDER, audit_search
    from jalur.candidates import selectors as candidates
    from jalur.candidates.access import candidates_for
    from jalur.candidates.stages import Stage
    from jalur.crisis.selectors import URGENT_ORDER, urgent_list
    from jalur.departure.selectors import CASE_LIST_ORDER, case_list
    from jalur.pathways.suggestions import WAITING_ORDER, waiting_for_pathway
    from jalur.placement import selectors as placement
    from jalur.placement import waiting
    from jalur.privacy.models import RightsRequest
    from jalur.protection.return_selectors import RETURNEE_ORDER, returnees_for
    from jalur.protection.selectors import (
        GRIEVANCE_ORDER,
        MONITORING_ORDER,
        grievance_list,
        monitoring_queryset,
    )
    from jalur.reports import operational
    from jalur.training.access import cohorts_for
    from jalur.training.selectors import COHORT_ORDER

    manager, verifier = people["manager"], people["verifier"]
    now = timezone.now()
    return [
        {
            "name": "candidates: list",
            "user": manager,
            "path": "/pencaker/",
            "filters": {},
            "size": 25,
            "rows": lambda: (candidates.candidate_list(manager), candidates.CANDIDATE_ORDER),
        },
        {
            "name": "candidates: list, stage verified",
            "user": manager,
            "path": "/pencaker/",
            "filters": {"stage": Stage.VERIFIED},
            "size": 25,
            "rows": lambda: (
                candidates.candidate_list(manager, stage=Stage.VERIFIED),
                candidates.CANDIDATE_ORDER,
            ),
        },
        {
            "name": "candidates: verification queue",
            "user": verifier,
            "path": "/pencaker/verifikasi/",
            "filters": {},
            "size": 25,
            "rows": lambda: (candidates.verification_queue(), candidates.QUEUE_ORDER),
        },
        {
            "name": "training: cohorts",
            "user": manager,
            "path": "/pelatihan/",
            "filters": {},
            "size": 30,
            "rows": lambda: (cohorts_for(manager), COHORT_ORDER),
        },
        {
            "name": "training: cohorts, finished (trainer)",
            "user": people["trainer"],
            "path": "/pelatihan/",
            "filters": {"status": "finished"},
            "size": 30,
            "rows": lambda: (
                cohorts_for(people["trainer"]).filter(
                    end_date__lt=timezone.localdate(), closed_at__isnull=True
                ),
                COHORT_ORDER,
            ),
        },
        {
            "name": "placement: job orders",
            "user": manager,
            "path": "/penempatan/",
            "filters": {},
            "size": 50,
            "rows": lambda: (placement.order_list(manager), placement.ORDER_LIST_ORDER),
        },
        {
            "name": "placement: job orders, approved, JP",
            "user": manager,
            "path": "/penempatan/",
            "filters": {"status": "approved", "country": "JP"},
            "size": 50,
            "rows": lambda: (
                placement.order_list(manager, status="approved", country="JP"),
                placement.ORDER_LIST_ORDER,
            ),
        },
        {
            "name": "placement: applications at a step (P3MI)",
            "user": people["agency"],
            "path": "/penempatan/lamaran/",
            "filters": {},
            "size": 50,
            "rows": lambda: (
                waiting.step_applications(people["agency"], waiting.AGENCY_STEPS[0].key),
                waiting.STEP_ORDER,
            ),
        },
        {
            "name": "reports: stuck > 30 days",
            "user": manager,
            "path": "/laporan/operasional/",
            "filters": {"days": 30},
            "size": 50,
            "rows": lambda: (
                operational.stuck_candidates(days=30, now=now),
                operational.LIST_ORDER,
            ),
        },
        {
            "name": "reports: stuck > 90 days, verified",
            "user": manager,
            "path": "/laporan/operasional/",
            "filters": {"days": 90, "stage": Stage.VERIFIED},
            "size": 50,
            "rows": lambda: (
                operational.stuck_candidates(days=90, stage=Stage.VERIFIED, now=now),
                operational.LIST_ORDER,
            ),
        },
        {
            "name": "reports: documents missing",
            "user": manager,
            "path": "/laporan/operasional/dokumen/",
            "filters": {},
            "size": 50,
            "rows": lambda: (operational.missing_documents(), operational.DOCUMENTS_ORDER),
        },
        {
            "name": "reports: departure items missing",
            "user": manager,
            "path": "/laporan/operasional/dokumen/",
            "filters": {},
            "size": 50,
            "param": "kasus",
            "rows": lambda: (operational.missing_departure_items(), operational.CASE_ORDER),
        },
        {
            "name": "candidates: possible duplicates",
            "user": verifier,
            "path": "/pencaker/duplikat/",
            "filters": {},
            "size": 25,
            "rows": lambda: (candidates.duplicate_queue(), candidates.DUPLICATE_ORDER),
        },
        {
            "name": "pathways: waiting for a pathway",
            "user": manager,
            "path": "/skema/menunggu/",
            "filters": {},
            "size": 50,
            "rows": lambda: (waiting_for_pathway(manager), WAITING_ORDER),
        },
        {
            "name": "pathways: eligibility, verified",
            "user": manager,
            "path": "/skema/kelayakan/",
            "filters": {},
            "size": 25,
            "rows": lambda: (
                candidates_for(manager).filter(stage=Stage.VERIFIED),
                ("full_name", "pk"),
            ),
        },
        {
            "name": "departure: cases",
            "user": manager,
            "path": "/keberangkatan/",
            "filters": {},
            "size": 50,
            "rows": lambda: (case_list(manager), CASE_LIST_ORDER),
        },
        {
            "name": "departure: cases (P3MI)",
            "user": people["agency"],
            "path": "/keberangkatan/",
            "filters": {},
            "size": 50,
            "rows": lambda: (case_list(people["agency"]), CASE_LIST_ORDER),
        },
        {
            "name": "protection: monitoring",
            "user": manager,
            "path": "/pelindungan/pemantauan/",
            "filters": {},
            "size": 50,
            "rows": lambda: (monitoring_queryset(manager), MONITORING_ORDER),
        },
        {
            "name": "protection: monitoring, late",
            "user": manager,
            "path": "/pelindungan/pemantauan/",
            "filters": {"tampil": "terlambat"},
            "size": 50,
            "rows": lambda: (monitoring_queryset(manager, only_overdue=True), MONITORING_ORDER),
        },
        {
            "name": "protection: returnees",
            "user": manager,
            "path": "/pelindungan/kepulangan/",
            "filters": {},
            "size": 50,
            "rows": lambda: (
                returnees_for(manager, today=timezone.localdate()),
                RETURNEE_ORDER,
            ),
        },
        {
            "name": "protection: grievances, open",
            "user": manager,
            "path": "/pelindungan/pengaduan/",
            "filters": {},
            "size": 30,
            "rows": lambda: (grievance_list(manager, status="open"), GRIEVANCE_ORDER),
        },
        {
            "name": "crisis: urgent cases",
            "user": manager,
            "path": "/darurat/",
            "filters": {},
            "size": 50,
            "rows": lambda: (urgent_list(manager, status="active"), URGENT_ORDER),
        },
        {
            "name": "privacy: rights requests",
            "user": manager,
            "path": "/data-pribadi/permintaan/",
            "filters": {},
            "size": 30,
            "rows": lambda: (
                RightsRequest.objects.filter(status=RightsRequest.Status.OPEN),
                ("-created_at", "-pk"),
            ),
        },
        {
            "name": "audit trail",
            "user": people["sysadmin"],
            "path": "/audit/",
            "filters": {},
            "size": 50,
            "rows": lambda: (audit_search(), AUDIT_ORDER),
        },
    ]


def deep_url(spec) -> str:
    """The page that starts some thousand rows in (or halfway, on a shorter list)."""
    from jalur.core.pagination import cursor_after

    queryset, order = spec["rows"]()
    ordered = queryset.order_by(*order)
    row = ordered[DEEP_ROW : DEEP_ROW + 1].first()
    if row is None:
        n = ordered.count()
        if n <= spec["size"]:
            return ""
        row = ordered[n // 2 : n // 2 + 1].first()
    number = 1 + (DEEP_ROW // spec["size"])
    return cursor_after(row, order=order, number=number)


def measure(client, connection, path, params, size, runs) -> dict:
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(path, params)
        if not 200 <= response.status_code < 400:
            raise SystemExit(f"{path} {params} answered {response.status_code}")
        return response

    for _ in range(3):
        get()
    with CaptureQueriesContext(connection) as queries:
        get()
    # read them now: the next request's request_started signal empties the query log
    captured = [q["sql"] for q in queries.captured_queries]
    marker = f"LIMIT {size + 1}"
    own = [sql for sql in captured if marker in sql]
    if not own:
        raise SystemExit(f"{path} {params}: no query with {marker} (is the page keyset-paged?)")
    sql = own[0]
    every = captured
    view_ms, sql_ms, all_ms = [], [], []

    def replay(statements) -> float:
        clock = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                if cursor.description:
                    cursor.fetchall()
        return (time.perf_counter() - clock) * 1000

    for _ in range(runs):
        clock = time.perf_counter()
        get()
        view_ms.append((time.perf_counter() - clock) * 1000)
        sql_ms.append(replay([sql]))
        all_ms.append(replay(every))
    return {"view": view_ms, "sql": sql_ms, "all": all_ms, "queries": len(captured)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="measured A B pairs per page")
    parser.add_argument("--only", default="", help="comma-separated parts of page names")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://…/jalur_bench_1m (PostgreSQL).")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    from jalur.candidates.models import Candidate

    assert not settings.DEBUG
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}  {platform.node()}  {os.cpu_count()} CPUs  "
        f"{version}  {connection.settings_dict['NAME']}: {Candidate.objects.count():,} candidates"
    )
    print(f"{args.requests} interleaved pairs per page (view, then its own rows' SQL)")
    print()
    header = (
        f"{'page':<44} {'where':<6} {'view p50':>8} {'p95':>7} {'p5-p95':>13} "
        f"{'SQL p50':>8} {'p95':>6} {'ratio p50':>9} {'p95':>5} {'all SQL p50':>11} "
        f"{'ratio':>5} {'q':>3}"
    )
    print(header)
    worst = []
    try:
        with transaction.atomic():
            people = users()
            for spec in pages(people):
                if args.only and not any(p in spec["name"] for p in args.only.split(",")):
                    continue
                client = Client()
                client.force_login(
                    spec["user"], backend="jalur.accounts.backends.PhoneOrEmailBackend"
                )
                param = spec.get("param", "page")
                deep = deep_url(spec)
                for where, extra in (("first", {}), ("deep", {param: deep} if deep else None)):
                    if extra is None:
                        continue
                    params = {**spec["filters"], **extra}
                    r = measure(
                        client, connection, spec["path"], params, spec["size"], args.requests
                    )
                    v, s, every = r["view"], r["sql"], r["all"]
                    ratio50 = statistics.median(v) / statistics.median(s)
                    ratio95 = percentile(v, 0.95) / percentile(s, 0.95)
                    worst.append((percentile(v, 0.95), ratio95, spec["name"], where))
                    print(
                        f"{spec['name']:<44} {where:<6} {statistics.median(v):8.1f} "
                        f"{percentile(v, 0.95):7.1f} {percentile(v, 0.05):6.1f}-"
                        f"{percentile(v, 0.95):<6.1f} {statistics.median(s):8.2f} "
                        f"{percentile(s, 0.95):6.2f} {ratio50:9.1f} {ratio95:5.1f} "
                        f"{statistics.median(every):11.1f} "
                        f"{statistics.median(v) / statistics.median(every):5.1f} "
                        f"{r['queries']:3d}",
                        flush=True,
                    )
            raise Rollback
    except Rollback:
        pass
    print()
    slowest = max(worst)
    print(f"slowest p95: {slowest[0]:.0f} ms ({slowest[2]}, {slowest[3]} page)")
    over = [w for w in worst if w[0] >= 300 or w[1] > 3]
    for p95, ratio, name, where in over:
        print(f"  over target: {name} ({where}): p95 {p95:.0f} ms, {ratio:.1f} x its SQL")
    if not over:
        print("every page: p95 < 300 ms and <= 3 x its own rows' SQL")


if __name__ == "__main__":
    main()

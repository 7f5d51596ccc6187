"""Benchmark: registering job seekers through the real web stack under concurrent load, against a
bare view that does a single insert on the same database (target: ratio of at least 0.5).

    .venv/bin/python benchmarks/bench_registration.py [--requests 1000] [--threads 8] [--workers 4]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jalur .venv/bin/python benchmarks/bench_registration.py

It builds a fresh database (SQLite in a temp directory, or a scratch PostgreSQL database that is
dropped afterwards), starts gunicorn on 127.0.0.1 at a free port with Jalur's settings plus the
bare view (bench_registration_urls.py), and drives it from a bounded pool of client threads, each
request a new connection, a fixed number of requests per scenario, loopback only:

- bare:   POST /bench/bare/                 one INSERT, nothing else (the yardstick);
- desk:   POST /pencaker/baru/              an officer registers a person at the desk: every
                                            rule, NIK uniqueness, duplicate look-ups, a log-in
                                            for the person, candidate, history, consent, audit;
- self:   POST /pencaker/daftar/identitas/  a logged-in job seeker saves the identity step, which
                                            creates their candidate record (same service);
- floor:  POST /bench/floor/                a logged-in job seeker's post to a view that does
                                            nothing of its own (session, user, CSRF, redirect):
                                            the ceiling for any registration's ratio;
- account: POST /pencaker/daftar/           the first self-registration step, which hashes the
                                            chosen password with Argon2 (slow on purpose; shown
                                            for completeness, not part of the ratio).

Each scenario is warmed up first, then the scenarios take turns in rounds (so a change in the
machine's load hits them alike); the figures are requests per second and latency percentiles.
"""

import argparse
import datetime
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(HERE)]
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_registration_settings"
VAR_DIR = None
if "JALUR_VAR_DIR" not in os.environ:  # a throw-away SQLite database and media folder
    VAR_DIR = tempfile.mkdtemp(prefix="jalur-bench-reg-")
    os.environ["JALUR_VAR_DIR"] = VAR_DIR

ADMIN_URL = os.environ.get("DATABASE_URL", "")
SCRATCH_DB = "jalur_bench_registration"
if ADMIN_URL.startswith("postgres"):
    import psycopg

    parts = urllib.parse.urlsplit(ADMIN_URL)
    with psycopg.connect(
        urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True
    ) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
        admin.execute(f"CREATE DATABASE {SCRATCH_DB}")
    os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{SCRATCH_DB}"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from jalur.candidates.rules import SECTIONS  # noqa: E402

NAMES = ["Agus", "Budi", "Dewi", "Eko", "Fitri", "Gilang", "Indah", "Joko", "Lina", "Rizki"]
FAMILY = ["Hidayat", "Saputra", "Permana", "Kurniasih", "Rohmah", "Maulana", "Setiawan"]
DISTRICTS = ["36.73.01", "36.73.02", "36.73.03", "36.73.04", "36.73.05", "36.73.06"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def person(i: int) -> dict:
    """A unique, valid adult living in the home region (NIK, phone and name vary with i)."""
    from jalur.regions.models import Village
    from jalur.rules.identity import nik_build

    global _VILLAGES
    if not _VILLAGES:
        _VILLAGES = list(
            Village.objects.filter(district__regency_id="36.73").values_list("code", "district_id")
        )
    female = i % 2 == 0
    birth = datetime.date(1980 + i % 24, 1 + (i // 24) % 12, 1 + (i // 9999) % 28)
    village, district = _VILLAGES[i % len(_VILLAGES)]
    nik = nik_build(district_code=district, birth_date=birth, female=female, serial=i % 9999 + 1)
    return {
        "nik": nik,
        "kk_number": nik[:6] + f"{i:010d}",
        "full_name": f"{NAMES[i % len(NAMES)]} {NAMES[(i // 10) % len(NAMES)]} {FAMILY[i % len(FAMILY)]}",
        "birth_place": "Serang",
        "birth_date": birth.isoformat(),
        "sex": "P" if female else "L",
        "religion": "islam",
        "marital_status": "belum_kawin",
        "village": village,
        "rt": "3",
        "rw": "5",
        "street": "Jl. Kampung Baru No. 12",
        "phone": f"0813{i:08d}",
        "emergency_name": "Ahmad Hidayat",
        "emergency_relation": "Orang tua",
        "emergency_phone": "081311112222",
    }


_VILLAGES: list = []


def session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "jalur.accounts.backends.PhoneOrEmailBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


CSRF = "benchCsrfToken0123456789abcdefgh"  # a 32-character secret: cookie and form field


def desk_body(i: int, job_type: int) -> dict:
    data = person(i)
    body = {"csrfmiddlewaretoken": CSRF, "consent-agree": "on"}
    for section in ("identity", "address"):  # the desk form's first two sections, as prefixed
        body.update({f"{section}-{key}": data[key] for key in SECTIONS[section] if key in data})
    body["education-education_level"] = "SMK"
    body["preferences-preferred_countries"] = "JP"
    body["preferences-preferred_job_types"] = str(job_type)
    return body


def self_body(i: int) -> dict:
    data = person(i)
    return {"csrfmiddlewaretoken": CSRF, **{k: data[k] for k in SECTIONS["identity"]}}


def account_body(i: int) -> dict:
    return {
        "csrfmiddlewaretoken": CSRF,
        "full_name": person(i)["full_name"],
        "phone": f"0857{i:08d}",
        "password": f"Serang-Maju-{i}-x",
        "password_again": f"Serang-Maju-{i}-x",
    }


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and of their children that have exited (Linux /proc):
    the gunicorn workers, and PostgreSQL's postmaster, whose per-connection backends end with each
    request (CONN_MAX_AGE=0) and are counted into it."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / tick


def server_pids(server) -> tuple[list[int], list[int]]:
    """(gunicorn master and workers, PostgreSQL postmaster or nothing)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    workers = [int(x) for x in children.read_text().split()] if children.exists() else []
    postmaster = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        parent = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1]
        postmaster = [int(parent)]
    return [server.pid, *workers], postmaster


def drive(port: int, requests: list[tuple[str, dict, str, int]], threads: int) -> dict:
    """Send every request once from `threads` client threads; returns throughput and latencies."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    position = iter(range(len(requests)))

    def worker():
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                return
            path, body, cookie, expected = requests[index]
            payload = urllib.parse.urlencode(body, doseq=True)
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request(
                "POST",
                path,
                body=payload,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                    "Host": "127.0.0.1",
                },
            )
            response = conn.getresponse()
            response.read()
            conn.close()
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if response.status != expected:
                    failures.append(f"{path} -> {response.status}")

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    return {"seconds": wall, "latencies": latencies, "failures": failures}


def combine(parts: list[dict]) -> dict:
    latencies = sorted(x for part in parts for x in part["latencies"])
    seconds = sum(part["seconds"] for part in parts)
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "failures": [f for part in parts for f in part["failures"]],
        "app_cpu_ms": 1000 * sum(part["app_cpu"] for part in parts) / len(latencies),
        "db_cpu_ms": 1000 * sum(part["db_cpu"] for part in parts) / len(latencies),
    }


SCENARIOS = ["bare", "desk", "self", "floor", "account"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="per scenario")
    parser.add_argument("--account-requests", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5, help="scenarios take turns this often")
    parser.add_argument(
        "--only", nargs="+", choices=SCENARIOS, default=SCENARIOS, help="e.g. to profile one"
    )
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from bench_registration_urls import bare_table_create

    bare_table_create()

    from jalur.accounts.models import Organisation, User
    from jalur.accounts.roles import OrganisationKind, Role
    from jalur.candidates.models import Candidate
    from jalur.pathways.models import JobType

    office = Organisation.objects.create(
        kind=OrganisationKind.LABOUR_OFFICE, name="Disnakertrans", code="bench-office"
    )
    officer = User.objects.create(
        username="bench-officer", role=Role.REGISTRATION_OFFICER, organisation=office
    )
    officer_cookie = f"sessionid={session_for(officer)}; csrftoken={CSRF}"
    job_type = JobType.objects.get(code="caregiver").pk
    n, w = args.requests, args.warmup

    # Self-registration: one account per request, logged in, without a candidate record yet.
    accounts = User.objects.bulk_create(
        [User(username=f"bench-self-{i}", role=Role.CANDIDATE, password="!") for i in range(n + w)]
    )
    self_cookies = [f"sessionid={session_for(u)}; csrftoken={CSRF}" for u in accounts]

    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            "jalur.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        scenarios = {
            "bare": [("/bench/bare/", {"n": str(i)}, "", 200) for i in range(n + w)],
            "desk": [
                ("/pencaker/baru/", desk_body(i, job_type), officer_cookie, 302)
                for i in range(n + w)
            ],
            "self": [
                ("/pencaker/daftar/identitas/", self_body(100_000 + i), self_cookies[i], 302)
                for i in range(n + w)
            ],
            "floor": [
                ("/bench/floor/", self_body(200_000 + i), self_cookies[i], 302)
                for i in range(n + w)
            ],
            "account": [
                ("/pencaker/daftar/", account_body(i), f"csrftoken={CSRF}", 302)
                for i in range(args.account_requests + w)
            ],
        }
        scenarios = {name: scenarios[name] for name in args.only}
        for requests in scenarios.values():  # warm-up: imports, connections, caches
            drive(port, requests[:w], args.threads)
        app_pids, db_pids = server_pids(server)
        # Scenarios take turns in rounds, so a change in the machine's load during the run
        # (other processes) weighs on all of them alike instead of skewing the ratio.
        totals = {name: [] for name in scenarios}
        for round_number in range(args.rounds):
            for name, requests in scenarios.items():
                todo = requests[w:]
                size = -(-len(todo) // args.rounds)
                chunk = todo[round_number * size : (round_number + 1) * size]
                if chunk:
                    app_before, db_before = cpu_seconds(app_pids), cpu_seconds(db_pids)
                    part = drive(port, chunk, args.threads)
                    part["app_cpu"] = cpu_seconds(app_pids) - app_before
                    part["db_cpu"] = cpu_seconds(db_pids) - db_before
                    totals[name].append(part)
        results = {name: combine(parts) for name, parts in totals.items()}
        bare_rounds = [len(part["latencies"]) / part["seconds"] for part in totals.get("bare", [])]
        for name in [n for n in ("desk", "self", "floor") if n in totals and bare_rounds]:
            results[name]["round_ratios"] = [
                (len(part["latencies"]) / part["seconds"]) / bare
                for part, bare in zip(totals[name], bare_rounds, strict=False)
            ]
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"database: {connection.vendor}; gunicorn {args.workers} sync workers; "
        f"{args.threads} client threads; {n} requests per scenario (account: {args.account_requests})"
    )
    for name, r in results.items():
        print(
            f"{name:8} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
            f"CPU/request: app {r['app_cpu_ms']:5.2f} ms, database {r['db_cpu_ms']:5.2f} ms  "
            f"failures {len(r['failures'])}{' e.g. ' + r['failures'][0] if r['failures'] else ''}"
        )
    for name in [n for n in ("desk", "self", "floor") if "round_ratios" in results.get(n, {})]:
        bare = results["bare"]["rps"]
        ratio = results[name]["rps"] / bare
        rounds = results[name]["round_ratios"]
        median = statistics.median(rounds)
        print(
            f"ratio {name}/bare: {ratio:.2f} overall, median of {len(rounds)} rounds {median:.2f} "
            f"(range {min(rounds):.2f}-{max(rounds):.2f}; {'PASS' if median >= 0.5 else 'MISS'}, "
            "target >= 0.5)"
        )
    expected = sum(n + w for name in ("desk", "self") if name in args.only)
    print(f"candidates created: {Candidate.objects.count()} (expected {expected})")
    connection.close()
    if VAR_DIR:
        shutil.rmtree(VAR_DIR, ignore_errors=True)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        parts = urllib.parse.urlsplit(ADMIN_URL)
        with psycopg.connect(
            urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True
        ) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")


if __name__ == "__main__":
    main()

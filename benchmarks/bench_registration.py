"""Benchmark: each self-registration step through the real web stack under concurrent load, against
a logged-in no-op POST through the same stack (issue 20: each step at least 0.6 x the yardstick).

    .venv/bin/python benchmarks/bench_registration.py [--requests 400] [--rounds 8] [--threads 8]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jalur .venv/bin/python benchmarks/bench_registration.py
    CONN_MAX_AGE=60 CONN_HEALTH_CHECKS=1 ... (persistent connections, as docs/deploy.md advises)

It builds a fresh database (SQLite in a temp directory, or a scratch PostgreSQL database that is
dropped afterwards) with its cache table, starts gunicorn on 127.0.0.1 at a free port with DEBUG
off (bench_registration_settings.py) and drives it from a bounded pool of client threads, each
request a new connection, loopback only. Scenarios:

- noop:        POST /bench/noop/                  the yardstick: a logged-in job seeker's post to a
                                                  view that does nothing of its own;
- identitas:   POST /pencaker/daftar/identitas/   the identity step, which creates the record;
- alamat, pendidikan, minat:                      the next steps, each saving its part;
- desk:        POST /pencaker/baru/               an officer registers a person in one form;
- account:     POST /pencaker/daftar/             the first step: a log-in, its password hashed
                                                  with Argon2id (OWASP parameters).

Every scenario runs in chunks, each step chunk between two yardstick chunks (A B A B ... A), so
each step's ratio is taken against the yardstick measured just before and just after it, while the
machine's speed drifts; the ratio reported is the median over rounds, with its range. Any answer
other than the one expected (a redirect for a saved step) stops the run with the page's start.
"""

import argparse
import http.client
import os
import re
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
# another name (JALUR_BENCH_SCRATCH_DB) lets two runs share one PostgreSQL server
SCRATCH_DB = os.environ.get("JALUR_BENCH_SCRATCH_DB", "jalur_bench_registration")


def scratch_database(create: bool) -> None:
    """Drop the scratch PostgreSQL database (and create it afresh when `create`)."""
    import psycopg

    parts = urllib.parse.urlsplit(ADMIN_URL)
    with psycopg.connect(
        urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True
    ) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
        if create:
            admin.execute(f"CREATE DATABASE {SCRATCH_DB}")


if ADMIN_URL.startswith("postgres"):
    scratch_database(create=True)
    parts = urllib.parse.urlsplit(ADMIN_URL)
    os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{SCRATCH_DB}"))

import django  # noqa: E402

django.setup()

from bench_registration_people import (  # noqa: E402
    CSRF,
    NEXT_STEP,
    STEP_FIELDS,
    account_body,
    client_address,
    person,
    step_body,
)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

STEPS = list(STEP_FIELDS)  # identitas, alamat, pendidikan, minat
SCENARIOS = ["noop", *STEPS, "desk", "account"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_for(user, device: str = "") -> str:
    """A logged-in session for `user` in the configured session store (verified with the two-step
    `device` when given); the cookie's value."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "jalur.accounts.backends.PhoneOrEmailBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device:
        store[DEVICE_ID_SESSION_KEY] = device
    store.save(must_create=True)
    return store.session_key


def desk_body(data: dict) -> dict:
    body = {"csrfmiddlewaretoken": CSRF, "consent-agree": "on"}
    sections = {"identity": "identitas", "address": "alamat"}
    for prefix, step in sections.items():  # the desk form's first two sections, as prefixed
        body.update({f"{prefix}-{key}": data[key] for key in STEP_FIELDS[step]})
    body["education-education_level"] = data["education_level"]
    body["preferences-preferred_countries"] = data["preferred_countries"]
    body["preferences-preferred_job_types"] = data["preferred_job_types"]
    return body


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and of their children that have exited (Linux /proc):
    the gunicorn workers, and PostgreSQL's postmaster, whose per-connection backends are counted
    into it when they end (with persistent connections, at the end of the run only)."""
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


def post(port: int, path: str, payload: str, cookie: str, address: str) -> tuple[int, str, bytes]:
    """One POST on a new connection: (status, Location, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request(
            "POST",
            path,
            body=payload,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Host": "127.0.0.1",
                "X-Forwarded-For": address,
            },
        )
        response = conn.getresponse()
        return response.status, response.getheader("Location", ""), response.read()
    finally:
        conn.close()


class Failed(Exception):
    """An answer that was not the expected one: the benchmark stops (a 500 is not a result)."""


def drive(port: int, requests: list[tuple], threads: int) -> dict:
    """Send every request once from `threads` client threads; returns the wall time and latencies.
    A request: (path, body, cookie, client address, expected status, expected redirect pattern)."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    position = iter(range(len(requests)))

    def worker():
        while True:
            with lock:
                index = next(position, None)
            if index is None or failures:
                return
            path, body, cookie, address, expected, where = requests[index]
            payload = urllib.parse.urlencode(body, doseq=True)
            start = time.perf_counter()
            try:
                status, location, page = post(port, path, payload, cookie, address)
            except OSError as error:  # a worker killed or a connection dropped: a failure too
                with lock:
                    failures.append(f"POST {path} -> {error!r}")
                return
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if status != expected or not re.fullmatch(where, location):
                    failures.append(
                        f"POST {path} -> {status} {location} (expected {expected} {where}): "
                        + page.decode("utf-8", "replace")[:600]
                    )

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failures:
        raise Failed(f"{len(failures)} failed; the first: {failures[0]}")
    return {"seconds": time.perf_counter() - started, "latencies": latencies}


def summary(parts: list[dict]) -> dict:
    latencies = sorted(x for part in parts for x in part["latencies"])
    seconds = sum(part["seconds"] for part in parts)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "app_cpu_ms": 1000 * sum(part["app_cpu"] for part in parts) / len(latencies),
        "db_cpu_ms": 1000 * sum(part["db_cpu"] for part in parts) / len(latencies),
    }


def rps(part: dict) -> float:
    return len(part["latencies"]) / part["seconds"]


def build(args) -> dict[str, list[tuple]]:
    """The database's people and sessions, and every scenario's requests (warm-up first)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jalur.accounts.models import Organisation, User
    from jalur.accounts.roles import OrganisationKind, Role
    from jalur.pathways.models import JobType
    from jalur.regions.models import Village

    villages = list(
        Village.objects.filter(district__regency_id=settings.JALUR_HOME_REGION).values_list(
            "code", "district_id"
        )
    )
    job_type = JobType.objects.get(code="caregiver").pk
    office = Organisation.objects.create(
        kind=OrganisationKind.LABOUR_OFFICE, name="Disnakertrans", code="bench-office"
    )
    officer = User.objects.create(
        username="bench-officer", role=Role.REGISTRATION_OFFICER, organisation=office
    )
    # staff who see identities log in with a second step: the session records the device used
    device = TOTPDevice.objects.create(user=officer, name="bench", confirmed=True)
    officer_session = session_for(officer, device=device.persistent_id)
    officer_cookie = f"sessionid={officer_session}; csrftoken={CSRF}"
    n = args.requests + args.warmup
    # One account per person, logged in, without a record yet: the steps save in order for each.
    # The account has the phone the person signed up with, which the address step keeps.
    people = [person(100_000 + i, villages, job_type) for i in range(n)]
    accounts = User.objects.bulk_create(
        [
            User(
                username=f"bench-self-{i}",
                role=Role.CANDIDATE,
                password="!",
                phone="+62" + people[i]["phone"][1:],
            )
            for i in range(n)
        ]
    )
    cookies = [f"sessionid={session_for(u)}; csrftoken={CSRF}" for u in accounts]
    scenarios = {
        "noop": [
            (
                "/bench/noop/",
                step_body("identitas", people[i]),
                cookies[i],
                client_address(i),
                302,
                "/pencaker/daftar/alamat/",
            )
            for i in range(n)
        ],
        **{
            step: [
                (
                    f"/pencaker/daftar/{step}/",
                    step_body(step, people[i]),
                    cookies[i],
                    client_address(i),
                    302,
                    f"/pencaker/daftar/{NEXT_STEP[step]}/",
                )
                for i in range(n)
            ]
            for step in STEPS
        },
        "desk": [
            (
                "/pencaker/baru/",
                desk_body(person(300_000 + i, villages, job_type)),
                officer_cookie,
                client_address(0),
                302,
                r"/pencaker/\d+/",  # the new record's page
            )
            for i in range(n)
        ],
        "account": [
            (
                "/pencaker/daftar/",
                account_body(i, person(200_000 + i, villages, job_type)),
                f"csrftoken={CSRF}",
                client_address(200_000 + i),
                302,
                "/pencaker/daftar/identitas/",
            )
            for i in range(args.account_requests + args.warmup)
        ],
    }
    return {name: scenarios[name] for name in SCENARIOS if name in args.only}


def serve(workers: int, access_log: Path | None = None):
    """gunicorn on a free port; with `access_log`, one line a request: the moment it ended (Unix
    seconds), the path, the status and the time the worker spent on it in microseconds."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    logging = (
        ("--access-logfile", str(access_log), "--access-logformat", "%(t)s %(U)s %(s)s %(D)s")
        if access_log
        else ()
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--worker-class", "sync", "--log-level", "warning", "jalur.wsgi:application"),
            # each worker's first request imports every view: on a loaded machine that can take
            # longer than the default 30 s, which would end the worker instead of measuring it
            *("--timeout", "300"),
            *logging,
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def run(args, scenarios: dict, port: int, server) -> dict[str, list[dict]]:
    w = args.warmup
    for requests in scenarios.values():  # warm-up, in step order: imports, connections, caches
        drive(port, requests[:w], args.threads)
    app_pids, db_pids = server_pids(server)
    parts: dict[str, list[dict]] = {name: [] for name in scenarios}
    others = [name for name in scenarios if name != "noop"]

    def measured(name: str, chunk: list) -> None:
        app_before, db_before = cpu_seconds(app_pids), cpu_seconds(db_pids)
        part = drive(port, chunk, args.threads)
        part["app_cpu"] = cpu_seconds(app_pids) - app_before
        part["db_cpu"] = cpu_seconds(db_pids) - db_before
        parts[name].append(part)

    # A B A C A D ... A, every round: each step between two yardstick chunks of the same size.
    noop = scenarios.get("noop", [])[w:]
    noop_size = -(-len(noop) // (args.rounds * (len(others) + 1))) if noop else 0
    noop_chunks = iter(noop[i : i + noop_size] for i in range(0, len(noop), noop_size or 1))
    for number in range(args.rounds):
        if noop:
            measured("noop", next(noop_chunks, noop[:noop_size]))
        for name in others:
            todo = scenarios[name][w:]
            size = -(-len(todo) // args.rounds)
            chunk = todo[number * size : (number + 1) * size]
            if chunk:
                measured(name, chunk)
            if noop:
                measured("noop", next(noop_chunks, noop[:noop_size]))
    return parts


def report(args, parts: dict[str, list[dict]]) -> None:
    print(
        f"database: {connection.vendor}; CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']}"
        f"; sessions: {settings.SESSION_ENGINE.rsplit('.', 1)[1]}; cache: "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1]}; gunicorn {args.workers} sync "
        f"workers; {args.threads} client threads; {args.requests} requests a step "
        f"(account {args.account_requests}), {args.rounds} rounds"
    )
    for name, chunks in parts.items():
        r = summary(chunks)
        print(
            f"{name:11} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
            f"CPU/request: app {r['app_cpu_ms']:6.2f} ms, database {r['db_cpu_ms']:5.2f} ms"
        )
    noop = parts.get("noop", [])
    others = [name for name in parts if name != "noop"]
    if not noop:
        return
    for position, name in enumerate(others):
        # round r's chunk of `name` ran between yardstick chunks r*(k+1)+position and the next
        ratios = [
            rps(chunk)
            / statistics.mean(
                [
                    rps(noop[r * (len(others) + 1) + position]),
                    rps(noop[r * (len(others) + 1) + position + 1]),
                ]
            )
            for r, chunk in enumerate(parts[name])
        ]
        verdict = "PASS" if statistics.median(ratios) >= 0.6 else "MISS"
        print(
            f"ratio {name:11}/ noop: median {statistics.median(ratios):.2f} of {len(ratios)} rounds "
            f"(range {min(ratios):.2f}-{max(ratios):.2f})"
            + (f"  {verdict}, target >= 0.6" if name in STEPS else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="per step and for the yardstick")
    parser.add_argument("--account-requests", type=int, default=80)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument(
        "--only", nargs="+", choices=SCENARIOS, default=SCENARIOS, help="e.g. to profile one"
    )
    args = parser.parse_args()
    if "noop" in args.only and args.requests < args.rounds * len(args.only):
        parser.error("--requests too small for the yardstick's chunks")
    # the steps after the first need the record the identity step creates
    wanted = set(args.only)
    if wanted & set(STEPS[1:]):
        wanted.add("identitas")
    args.only = [name for name in SCENARIOS if name in wanted]

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the throttles count in it
    try:
        scenarios = build(args)
        server, port = serve(args.workers)
        try:
            parts = run(args, scenarios, port, server)
        finally:
            server.terminate()
            server.wait(timeout=30)
        report(args, parts)
        from jalur.candidates.models import Candidate

        expected = sum(len(scenarios[name]) for name in ("identitas", "desk") if name in scenarios)
        print(f"candidates created: {Candidate.objects.count()} (expected {expected})")
    except Failed as error:
        raise SystemExit(f"FAILED: {error}") from None
    finally:
        connection.close()
        if VAR_DIR:
            shutil.rmtree(VAR_DIR, ignore_errors=True)
        if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            scratch_database(create=False)


if __name__ == "__main__":
    main()

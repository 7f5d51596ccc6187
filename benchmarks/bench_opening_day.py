"""Opening day (issue 20): the highest rate of self-registrations a second that Jalur sustains with
p95 < 300 ms and no error, and the same for the yardstick (a logged-in no-op POST), as a ratio.

    .venv/bin/python benchmarks/bench_opening_day.py                      # SQLite, then PostgreSQL
    .venv/bin/python benchmarks/bench_opening_day.py --databases postgres --redis

For each database it builds a fresh one (the scratch database of bench_registration.py), starts
gunicorn with production-like settings (DEBUG off, persistent connections with health checks,
behind one proxy; `--redis` adds a Redis cache and cached sessions) and runs locust headless
(locust_registration.py) twice: people registering step by step at a rising arrival rate, then the
yardstick driven the same way. Each stage lasts `--stage-seconds`; the answer is the last stage
before the first one with p95 >= 300 ms or a failure. `--arrivals` says how people arrive
(locust_registration.py: a Poisson process by default). Beside each stage's p95 as locust saw it,
the report gives the p95 of the time gunicorn's workers spent on the requests (its access log):
the difference is time spent waiting for a free worker.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/13"  # a database of its own, emptied before each run


def prepare_and_serve(args) -> None:
    """In a child process (the database and settings are fixed at import): build the database and
    the yardstick's sessions, start gunicorn, run locust for both user classes, print the result."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    import bench_registration as bench
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from jalur.accounts.models import User
    from jalur.accounts.roles import Role
    from jalur.pathways.models import JobType
    from jalur.regions.models import Village

    sessions = [
        bench.session_for(user)
        for user in User.objects.bulk_create(
            [User(username=f"noop-{i}", role=Role.CANDIDATE, password="!") for i in range(400)]
        )
    ]
    folder = Path(tempfile.mkdtemp(prefix="jalur-opening-day-"))
    data = folder / "data.json"
    data.write_text(
        json.dumps(
            {
                "villages": list(
                    Village.objects.filter(
                        district__regency_id=settings.JALUR_HOME_REGION
                    ).values_list("code", "district_id")
                ),
                "job_type": JobType.objects.get(code="caregiver").pk,
                "noop_sessions": sessions,
            }
        )
    )
    bench.connection.close()
    access_log = folder / "access.log"
    server, port = bench.serve(args.workers, access_log)
    results, started = {}, {}
    try:
        # every worker's first request imports every view (seconds): not part of any stage
        body = bench.step_body("identitas", dict.fromkeys(bench.STEP_FIELDS["identitas"], ""))
        warm = ("/bench/noop/", body, f"sessionid={sessions[0]}; csrftoken={bench.CSRF}")
        bench.drive(port, [(*warm, "10.0.0.1", 302, "/pencaker/daftar/alamat/")] * 40, 8)
        for offset, kind in enumerate(("Registrant", "Yardstick")):
            target = folder / f"{kind}.json"
            env = {
                **os.environ,
                "JALUR_LOCUST_DATA": str(data),
                "JALUR_LOCUST_RESULT": str(target),
                "JALUR_LOCUST_PACING": str(args.pacing),
                "JALUR_LOCUST_STAGE_SECONDS": str(args.stage_seconds),
                "JALUR_LOCUST_STEP_RATE": str(args.step_rate),
                "JALUR_LOCUST_FIRST_PERSON": str(offset * 1_000_000),
                "JALUR_LOCUST_ARRIVALS": args.arrivals,
            }
            started[kind] = time.time()
            subprocess.run(
                [
                    str(ROOT / ".venv/bin/locust"),
                    *("-f", str(HERE / "locust_registration.py"), "--headless"),
                    *(
                        "--host",
                        f"http://127.0.0.1:{port}",
                        "--only-summary",
                        "--loglevel",
                        "ERROR",
                    ),
                    kind,
                ],
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
            )
            results[kind] = json.loads(target.read_text()) if target.exists() else []
    finally:
        server.terminate()
        server.wait(timeout=30)
        bench.connection.close()
        if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            bench.scratch_database(create=False)
    served = worker_times(access_log, started, args.stage_seconds)
    for kind, stages in results.items():
        for stage in stages:
            stage["served"] = served.get((kind, stage["stage"]), {})
    report(args, results, settings)


def p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
    )


STEP_OF_PATH = {"/pencaker/daftar/": "account", "/bench/noop/": "noop"} | {
    f"/pencaker/daftar/{step}/": step for step in ("identitas", "alamat", "pendidikan", "minat")
}


def worker_times(log: Path, started: dict[str, float], stage_seconds: int) -> dict:
    """{(kind, stage): {step: p95 ms of the worker's own time}} from gunicorn's access log; a
    request belongs to the run that started last before it, and to that run's stage by its time."""
    runs = sorted(started.items(), key=lambda item: item[1])
    times: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for line in log.read_text().splitlines() if log.exists() else []:
        moment, path, _status, micros = line.rsplit(" ", 3)
        when = datetime.datetime.strptime(moment, "[%d/%b/%Y:%H:%M:%S %z]").timestamp()
        ours = [(kind, start) for kind, start in runs if start <= when]
        if not ours or path not in STEP_OF_PATH:
            continue
        kind, start = ours[-1]
        stage = int((when - start) // stage_seconds) + 1
        times[(kind, stage)][STEP_OF_PATH[path]].append(int(micros) / 1000)
    return {
        key: {step: p95(values) for step, values in steps.items()} for key, steps in times.items()
    }


def sustained(stages: list[dict]) -> dict | None:
    """The last stage before the first over the limit (p95 >= 300 ms or any failure)."""
    best = None
    for stage in stages:
        if stage["failures"] or (stage["p95_ms"] or 0) >= 300:
            break
        best = stage
    return best


def report(args, results: dict, settings) -> None:
    database = settings.DATABASES["default"]
    print(
        f"\n== {database['ENGINE'].rsplit('.', 1)[1]}; CONN_MAX_AGE={database['CONN_MAX_AGE']}, "
        f"health checks {database['CONN_HEALTH_CHECKS']}; cache "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1]}; sessions "
        f"{settings.SESSION_ENGINE.rsplit('.', 1)[1]}; gunicorn {args.workers} sync workers; "
        f"stages of {args.stage_seconds} s, +{args.step_rate} arrivals/s each, "
        f"{args.arrivals} arrivals"
    )
    for kind, stages in results.items():
        print(f"{kind}:")
        for s in stages:
            served = s.get("served", {})
            steps = ", ".join(
                f"{name} p95 {row['p95_ms']:.0f} (worker {served.get(name, 0):.0f})"
                for name, row in s["per_step"].items()
            )
            print(
                f"  offered {s['offered_per_s']:5.1f}/s: {s['requests_per_s']:6.1f} req/s, "
                f"p50 {s['p50_ms'] or 0:5.0f} ms, p95 {s['p95_ms'] or 0:5.0f} ms, failures "
                f"{s['failures']}  ({steps}){'  ' + '; '.join(s['errors']) if s['errors'] else ''}"
            )
    registrant, yardstick = (sustained(results.get(k, [])) for k in ("Registrant", "Yardstick"))
    if registrant and yardstick:
        done = registrant["per_step"].get("minat", {}).get("requests", 0) / args.stage_seconds
        print(
            f"highest sustained (p95 < 300 ms, no error): {done:.1f} registrations/s "
            f"({registrant['requests_per_s']:.1f} requests/s); yardstick "
            f"{yardstick['requests_per_s']:.1f} requests/s; ratio of requests/s "
            f"{registrant['requests_per_s'] / yardstick['requests_per_s']:.2f}"
        )
    else:
        print("no stage met p95 < 300 ms without errors:", registrant, yardstick)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"])
    parser.add_argument("--redis", action="store_true", help="Redis cache and cached sessions")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--stage-seconds", type=int, default=30)
    parser.add_argument("--step-rate", type=float, default=1.0, help="arrivals/s added a stage")
    parser.add_argument("--pacing", type=float, default=10.0, help="seconds between a user's runs")
    parser.add_argument(
        "--arrivals",
        choices=["poisson", "even", "together"],
        default="poisson",
        help="how a stage's people arrive (locust_registration.py)",
    )
    parser.add_argument("--one", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        prepare_and_serve(args)
        return
    for database in args.databases or ["sqlite", "postgres"]:
        env = {
            **os.environ,
            "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
            "CONN_HEALTH_CHECKS": os.environ.get("CONN_HEALTH_CHECKS", "1"),
        }
        env.pop("DATABASE_URL", None)
        if database == "postgres":
            env["DATABASE_URL"] = POSTGRES
        if args.redis:
            subprocess.run(["redis-cli", "-n", REDIS.rsplit("/", 1)[1], "FLUSHDB"], check=True)
            env["REDIS_URL"] = REDIS
        rest = [a for a in sys.argv[1:] if a not in ("sqlite", "postgres", "--databases")]
        subprocess.run([sys.executable, __file__, *rest, "--one", database], env=env, check=True)


if __name__ == "__main__":
    main()

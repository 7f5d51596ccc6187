"""generate_synthetic on PostgreSQL: people per second, and whose CPU the time is (issue 20).

    .venv/bin/python benchmarks/bench_synthetic.py 100000 --rounds 2 --base 834fd22
    .venv/bin/python benchmarks/bench_synthetic.py 1000000 --rounds 1

Each run gets a fresh database cloned from a migrated template (`h5gen_tpl`, made when missing) and
builds N people with `Generator.run` in a child process, without the recount. With `--base REV`
the generator of that revision (jalur/reports/synthetic as it was) runs too, interleaved with the
current one (base, head, base, head…), so a ratio holds while the shared machine's speed drifts.

Printed per run: wall seconds, people per second, the child's own CPU (numpy, encoding, its
threads) and the CPU of the PostgreSQL processes serving that database (backends, the writer's,
index builds and their parallel workers: /proc/<pid>/stat of every pid pg_stat_activity shows for
the database, sampled every 0.2 s), and the load average.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432")
TEMPLATE = "h5gen_tpl"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


class ServerCpu(threading.Thread):
    """The CPU seconds of every server process of one database, sampled until stopped."""

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.database, self.seen, self.stop = database, {}, threading.Event()

    def run(self):
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            while not self.stop.is_set():
                pids = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.database],
                ).fetchall()
                for (pid,) in pids:
                    self.seen[pid] = max(self.seen.get(pid, 0.0), cpu_of(pid))
                time.sleep(0.2)

    def total(self) -> float:
        return sum(self.seen.values())


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def ensure_template() -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
    env = os.environ | {"DATABASE_URL": f"{SERVER}/{TEMPLATE}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def base_package(revision: str) -> Path:
    """That revision's jalur/reports/synthetic, written out to a temporary directory."""
    folder = Path(tempfile.mkdtemp(prefix="synthetic-base-")) / "synthetic"
    folder.mkdir()
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{revision}:jalur/reports/synthetic"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in names:
        text = subprocess.run(
            ["git", "show", f"{revision}:jalur/reports/synthetic/{name}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (folder / name).write_text(text)
    return folder


def child(n: int, batch: int, package: str | None) -> None:
    """In the child: build n people and print what it took as JSON."""
    import resource

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalur.settings")
    import django

    django.setup()
    if package:
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "jalur.reports._synthetic_base",
            Path(package) / "__init__.py",
            submodule_search_locations=[package],
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        generator_class = module.Generator
    else:
        from jalur.reports.synthetic import Generator as generator_class

    started = time.monotonic()
    totals = generator_class().run(n, batch=batch)
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"wall": wall, "python": usage.ru_utime + usage.ru_stime, "rows": totals}))


def one(n: int, batch: int, label: str, package: Path | None, database: str) -> dict:
    admin(f"DROP DATABASE IF EXISTS {database}")
    admin(f"CREATE DATABASE {database} TEMPLATE {TEMPLATE}")
    sampler = ServerCpu(database)
    sampler.start()
    env = os.environ | {"DATABASE_URL": f"{SERVER}/{database}"}
    command = [sys.executable, __file__, str(n), "--child", "--batch", str(batch)]
    if package:
        command += ["--package", str(package)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    sampler.stop.set()
    sampler.join()
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{label}: the generator failed")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result |= {"label": label, "server": sampler.total(), "load": os.getloadavg()[0]}
    rows = sum(result["rows"].values())
    print(
        f"{label:5s} {n:>9,} people  wall {result['wall']:7.1f} s  "
        f"{n / result['wall']:7,.0f} people/s  CPU: Python {result['python']:6.1f} s, "
        f"PostgreSQL {result['server']:6.1f} s  ({rows:,} rows)  load {result['load']:.1f}",
        flush=True,
    )
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--batch", type=int, default=200_000)
    parser.add_argument("--base", help="also run the generator of this git revision, interleaved")
    parser.add_argument("--database", default="h5gen_run")
    parser.add_argument("--keep", action="store_true", help="keep the last database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--package", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.n, args.batch, args.package)
        return
    ensure_template()
    variants = [("head", None)]
    if args.base:
        variants.insert(0, ("base", base_package(args.base)))
    results = []
    for _round in range(args.rounds):
        for label, package in variants:
            results.append(one(args.n, args.batch, label, package, args.database))
    if not args.keep:
        admin(f"DROP DATABASE IF EXISTS {args.database}")
    if args.base:
        for key in ("wall", "python", "server"):
            ratios = [
                b[key] / h[key]
                for b, h in zip(results[::2], results[1::2], strict=True)
                if h[key] > 0
            ]
            print(f"base / head {key}: " + ", ".join(f"{r:.2f}" for r in ratios))


if __name__ == "__main__":
    main()

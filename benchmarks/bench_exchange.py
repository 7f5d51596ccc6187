"""Benchmark: moving the whole programme at 100,000 candidates, on PostgreSQL (docs/exchange.md).

Builds (once) a source database with `create_admin` and `generate_synthetic 100000` (every stage,
their training, orders, departure cases and grievances), then times the real commands, each in
its own process as an operator runs them:

1. `export_programme OUT.zip --actor bench-admin` from the source;
2. a new target database made with `migrate` (not timed), then `import_programme OUT.zip` into it
   (frictionless validation, Jalur's own checks and the load, then `rebuild_stats`);
3. `export_programme` again from the target, and the two packages compared: every byte the same
   but the import's own audit row;

and, in this process, how long frictionless's validator takes alone on the package (it is part of
step 2).

    .venv/bin/python benchmarks/bench_exchange.py            # build if needed, then measure
    .venv/bin/python benchmarks/bench_exchange.py --rebuild  # build the source again

BENCH_DATABASE_URL overrides the source (default postgres://postgres@127.0.0.1:5432/jalur_exchange_src);
the target is the same server's jalur_exchange_dst, dropped and made again on every run.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432/"
SOURCE = os.environ.get("BENCH_DATABASE_URL", SERVER + "jalur_exchange_src")
TARGET = SOURCE.rsplit("/", 1)[0] + "/jalur_exchange_dst"
PEOPLE = 100_000
ACTOR = "bench-admin"
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def manage(*args: str, database: str, quiet: bool = False) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": database, "JALUR_ADMIN_PASSWORD": "bench-Password-2026"}
    env["MEDIA_ROOT"] = tempfile.gettempdir() + "/jalur-bench-exchange-media"
    started, cpu_before = time.monotonic(), _children_cpu()
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    took, cpu = time.monotonic() - started, _children_cpu() - cpu_before
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    if not quiet:
        print(
            f"  {took:7.1f} s  ({cpu:.1f} s of CPU)  manage.py {' '.join(args)}\n"
            f"           {done.stdout.strip()}"
        )
    return took, done.stdout


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes: on a machine other jobs
    share, the wall time alone says little (the load average was 18 on 2 cores during one run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def psql(sql: str) -> str:
    return subprocess.run(
        ["psql", SERVER + "postgres", "-tAc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def recreate(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")


def source_ready() -> bool:
    name = SOURCE.rsplit("/", 1)[1]
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        return False
    count = subprocess.run(
        ["psql", SOURCE, "-tAc", "SELECT count(*) FROM candidates_candidate"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return count.isdigit() and int(count) >= PEOPLE


def build() -> None:
    print(f"building {SOURCE} with {PEOPLE:,} synthetic candidates")
    recreate(SOURCE)
    manage("migrate", "--no-input", database=SOURCE)
    manage("create_admin", "--username", ACTOR, database=SOURCE)
    manage("generate_synthetic", str(PEOPLE), database=SOURCE)


def django_setup() -> None:
    os.environ["DATABASE_URL"] = SOURCE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalur.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def frictionless_alone(package: Path) -> float:
    import zipfile

    from jalur.exchange.load import _descriptor, _frictionless_rows, _resources

    with zipfile.ZipFile(package) as archive:
        descriptor = _descriptor(archive)
        by_name, _files = _resources(descriptor, set(archive.namelist()))
        started = time.monotonic()
        _frictionless_rows(archive, descriptor, by_name)
    return time.monotonic() - started


def main() -> None:
    if "--rebuild" in sys.argv or not source_ready():
        build()
    workdir = Path(tempfile.mkdtemp(prefix="jalur-bench-exchange-"))
    first, second = workdir / "first.zip", workdir / "second.zip"
    print("export from the source")
    export_s, _out = manage("export_programme", str(first), "--actor", ACTOR, database=SOURCE)
    print(f"           package: {first.stat().st_size / 1e6:.1f} MB")
    print("new target (migrate, not timed)")
    recreate(TARGET)
    manage("migrate", "--no-input", database=TARGET, quiet=True)
    print("import into the target")
    import_s, _out = manage("import_programme", str(first), "--actor", ACTOR, database=TARGET)
    print("export again from the target")
    manage("export_programme", str(second), "--actor", ACTOR, database=TARGET)
    django_setup()
    from jalur.exchange.tests.conftest import assert_same_records

    assert_same_records(first, second, imports=1)
    print("           the same records, byte for byte (plus the import's own audit row)")
    validation_s = frictionless_alone(first)
    print(
        f"  {validation_s:7.1f} s  frictionless row validator alone (import_programme --frictionless-rows adds it)"
    )
    print(f"\nexport {export_s:.1f} s, import {import_s:.1f} s (target: under 120 s each)")


if __name__ == "__main__":
    main()

"""Benchmark: importing 10,000 job seekers from Excel with full validation (target: under 20 s).

    .venv/bin/python benchmarks/bench_import.py [--rows 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jalur .venv/bin/python benchmarks/bench_import.py

Builds a throw-away database (SQLite file in a temp directory; with DATABASE_URL=postgres://… a
scratch `test_…` database that is dropped afterwards) with every installed app, so every
registration listener runs as in production. It writes an .xlsx the way kelurahan offices send
them (header variants, text and Excel dates, Indonesian month names, phones in every format, NIKs
with spaces and dots, a few numeric NIKs that lost digits, under-age rows, duplicate rows, shared
phones) and times, through `import_rows` (what both the command and the web job call), each step
with the process's CPU time beside it (SQLite runs in the process: on a busy shared machine the CPU
time compares two runs better than the wall-clock time):

1. reading the sheet;
2. a dry run (every rule, database look-ups, nothing written);
3. the real import (rules, log-ins, candidates, history, audit rows, duplicate flags, the
   reports' figures: everything a registration writes, through the same `candidates_create`);
4. importing the same file again (idempotence: nothing new is written).
"""

import argparse
import datetime
import random
import shutil
import tempfile
import time
from pathlib import Path

from scratch import build_database, drop_database  # sets Django up: import it first

# isort: split

from django.apps import apps
from django.db import connection

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]  # fmt: skip
FIRST = ["Agus", "Budi", "Siti", "Dewi", "Eko", "Fitri", "Gilang", "Indah", "Joko", "Lina", "Rizki",
         "Sri", "Teguh", "Wulan", "Yuli", "Nur", "Hadi", "Ratna"]  # fmt: skip
LAST = ["Hidayat", "Saputra", "Permana", "Kurniasih", "Rohmah", "Maulana", "Setiawan", "Lestari",
        "Nurhayati", "Firmansyah", "Suryani", "Wibowo"]  # fmt: skip


def write_sheet(path: Path, rows: int, seed: int = 2026) -> dict:
    """A realistic messy sheet; returns how many rows of each kind it holds."""
    from openpyxl import Workbook

    from jalur.regions.models import Village
    from jalur.rules.identity import nik_build

    rng = random.Random(seed)
    villages = list(Village.objects.filter(district__regency_id="36.73").select_related("district"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(["REKAP PENCARI KERJA 2026"])
    sheet.append(["No", "Nama Lengkap", "No. KTP", "Tgl Lahir", "L/P", "No HP/WA", "Kec", "Desa/Kelurahan", "Pendidikan", "Negara Tujuan"])  # fmt: skip
    kinds = {"valid": 0, "lost_digits": 0, "under_age": 0, "duplicate_nik": 0, "shared_phone": 0}
    issued = []
    for n in range(1, rows + 1):
        female = rng.random() < 0.5
        birth = datetime.date(rng.randint(1975, 2005), rng.randint(1, 12), rng.randint(1, 28))
        village = rng.choice(villages)
        nik = nik_build(
            district_code=village.district_id, birth_date=birth, female=female, serial=n % 9999 + 1
        )
        phone = f"0812{n:08d}"
        kind = "valid"
        roll = rng.random()
        if roll < 0.01:
            kind, nik_cell = "lost_digits", float(nik[:15] + "0")
        elif roll < 0.02:
            kind = "under_age"
            birth = datetime.date.today().replace(year=datetime.date.today().year - 16)
            nik = nik_build(
                district_code=village.district_id,
                birth_date=birth,
                female=female,
                serial=n % 9999 + 1,
            )
            nik_cell = nik
        elif roll < 0.03 and issued:
            kind, nik_cell = "duplicate_nik", rng.choice(issued)
        else:
            nik_cell = rng.choice([nik, f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}", f"{nik[:6]}.{nik[6:12]}.{nik[12:]}"])  # fmt: skip
            issued.append(nik)
            if roll < 0.05 and n > 1:
                kind, phone = "shared_phone", f"0812{n - 1:08d}"
        kinds[kind] += 1
        date_cell = rng.choice(
            [
                datetime.datetime(birth.year, birth.month, birth.day),
                birth.strftime("%d-%m-%Y"),
                birth.strftime("%d/%m/%Y"),
                birth.isoformat(),
                f"{birth.day} {MONTHS[birth.month - 1]} {birth.year}",
            ]
        )
        phone_cell = rng.choice([phone, "+62" + phone[1:], f"{phone[:4]}-{phone[4:8]}-{phone[8:]}", int(phone)])  # fmt: skip
        sheet.append(
            [
                n,
                f"{rng.choice(FIRST)} {rng.choice(FIRST)} {rng.choice(LAST)}",
                nik_cell,
                date_cell,
                rng.choice(["P", "Perempuan", "p"])
                if female
                else rng.choice(["L", "Laki-laki", "l"]),
                phone_cell,
                rng.choice(
                    [
                        village.district.name,
                        village.district.name.upper(),
                        "Kec. " + village.district.name,
                    ]
                ),  # fmt: skip
                rng.choice([village.name, village.name.lower(), village.name.upper()]),
                rng.choice(["SMA", "SMK", "SMP", "D3", "STM", "SLTA"]),
                rng.choice(["Jepang", "Korea", "Korea, Jepang", ""]),
            ]
        )
    workbook.save(path)
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    original = build_database()

    from jalur.accounts.models import User
    from jalur.audit.models import AuditLog
    from jalur.candidates.importing import Outcome, import_rows, sheet_read
    from jalur.candidates.models import Candidate, DuplicateFlag, StageHistory

    officer = User.objects.create(username="bench-manager", role="programme_manager")
    path = Path(tempfile.mkdtemp(prefix="jalur-bench-xlsx-")) / "pencaker.xlsx"
    kinds = write_sheet(path, args.rows)
    print(
        f"database: {connection.vendor}; sheet: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB"
    )
    print(f"rows by kind: {kinds}")

    started, cpu = time.perf_counter(), time.process_time()
    sheet = sheet_read(path)
    read_s = time.perf_counter() - started
    print(f"read sheet:            {read_s:6.2f} s  (cpu {time.process_time() - cpu:.2f} s)")

    started, cpu = time.perf_counter(), time.process_time()
    dry = import_rows(sheet, actor=officer, dry_run=True)
    dry_s = time.perf_counter() - started
    print(
        f"dry run (no writes):   {dry_s:6.2f} s  (cpu {time.process_time() - cpu:.2f} s)  {dry.counts}"
    )

    started, cpu = time.perf_counter(), time.process_time()
    sheet = sheet_read(path)
    summary = import_rows(sheet, actor=officer)
    full_s = time.perf_counter() - started
    print(
        f"import (read + write): {full_s:6.2f} s  (cpu {time.process_time() - cpu:.2f} s)  "
        f"{summary.counts}  ({args.rows / full_s:,.0f} rows/s)"
    )
    figures = (
        apps.get_model("reports", "CandidateStat").objects.count()
        if apps.is_installed("jalur.reports")
        else 0
    )
    print(
        f"  written: {Candidate.objects.count()} candidates, {User.objects.count() - 1} log-ins, "
        f"{StageHistory.objects.count()} history rows, {DuplicateFlag.objects.count()} duplicate "
        f"flags, {AuditLog.objects.count()} audit rows, {figures} candidates in the figures"
    )

    before = Candidate.objects.count()
    started, cpu = time.perf_counter(), time.process_time()
    again = import_rows(sheet_read(path), actor=officer)
    again_s = time.perf_counter() - started
    again_cpu = time.process_time() - cpu
    assert Candidate.objects.count() == before
    assert again.count(Outcome.ACCEPTED) + again.count(Outcome.FLAGGED) == 0
    print(
        f"same file again:       {again_s:6.2f} s  (cpu {again_cpu:.2f} s)  {again.counts} "
        "(nothing new written)"
    )
    target = "PASS" if full_s < 20 else "MISS"
    print(f"target < 20 s for the import of {args.rows} rows: {target} ({full_s:.1f} s)")
    drop_database(original)
    shutil.rmtree(path.parent, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Loading region codes from the CSV files shipped in regions/data (sources in data/SOURCES.md)."""

import csv
from pathlib import Path

from django.db import transaction

from .models import District, HistoricalCode, Province, Regency, Village

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str, directory: Path = DATA_DIR):
    with open(directory / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _upsert(model, rows: list, fields: list[str]) -> int:
    existing = set(model.objects.values_list("pk", flat=True))
    new = [r for r in rows if r.pk not in existing]
    old = [r for r in rows if r.pk in existing]
    model.objects.bulk_create(new, batch_size=1000)
    if old:
        model.objects.bulk_update(old, fields, batch_size=1000)
    return len(rows)


@transaction.atomic
def regions_load(
    *, villages_file: Path | None = None, directory: Path = DATA_DIR
) -> dict[str, int]:
    """Load (or refresh) every region table. Safe to run again: it updates in place."""
    counts = {}
    counts["provinces"] = _upsert(
        Province,
        [Province(code=r["kode"], name=r["nama"]) for r in _rows("provinsi.csv", directory)],
        ["name"],
    )
    counts["regencies"] = _upsert(
        Regency,
        [
            Regency(code=r["kode"], province_id=r["provinsi"], name=r["nama"])
            for r in _rows("kabupaten_kota.csv", directory)
        ],
        ["province", "name"],
    )
    counts["districts"] = _upsert(
        District,
        [
            District(code=r["kode"], regency_id=r["kabupaten_kota_kode"], name=r["nama"])
            for r in _rows("kecamatan.csv", directory)
        ],
        ["regency", "name"],
    )
    counts["historical"] = _upsert(
        HistoricalCode,
        [
            HistoricalCode(
                code=r["kode_lama"],
                level=r["level"],
                last_name=r["nama_terakhir"],
                last_seen_in=r["terakhir_ada_di"],
                current_code=r["kode_sekarang_kandidat"] or "",
                note=r["catatan"],
            )
            for r in _rows("kode_wilayah_historis.csv", directory)
        ],
        ["level", "last_name", "last_seen_in", "current_code", "note"],
    )
    counts["villages"] = villages_load(path=villages_file)
    return counts


def villages_load(*, path: Path | None = None) -> int:
    """Kelurahan of the home region: `kode,kecamatan_kode,kecamatan,kelurahan` (+ optional crosswalk)."""
    source = path or DATA_DIR / "serang_kelurahan.csv"
    aliases: dict[str, list[str]] = {}
    postcodes: dict[str, str] = {}
    crosswalk = source.parent / "serang_kelurahan_bps_crosswalk.csv"
    if path is None and crosswalk.exists():
        for r in _rows(crosswalk.name, crosswalk.parent):
            bps = r["nama_bps_2018"].strip().title()
            if bps and bps.casefold() != r["kelurahan_kemendagri"].casefold():
                aliases[r["kode_kemendagri"]] = [bps]
            postcodes[r["kode_kemendagri"]] = (r.get("kodepos_single_source") or "").strip()
    rows = [
        Village(
            code=r["kode"],
            district_id=r["kecamatan_kode"],
            name=r["kelurahan"],
            aliases=aliases.get(r["kode"], []),
            postcode=postcodes.get(r["kode"], ""),
        )
        for r in _rows(source.name, source.parent)
    ]
    return _upsert(Village, rows, ["district", "name", "aliases", "postcode"])

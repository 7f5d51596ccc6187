"""Reading an import sheet: finding the header row among the first rows, recognising the
column names seen in real sheets, refusing a file that cannot be imported as a whole, and
collecting each row's cells by field."""

import re
import time
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ..spreadsheets import TEMPLATE_COLUMNS

MAX_ROWS = 50_000
HEADER_SEARCH_ROWS = 10  # a title or a logo often sits above the header row
REQUIRED_COLUMNS = ("nik", "full_name", "birth_date", "sex", "village", "phone")

# Limits checked before openpyxl parses anything (a 2 MB workbook with a huge shared-strings table
# took 2.2 GB of a worker's memory; a 1.5 KB one claiming row 100,000,000 kept it busy 3 minutes).
# A real 50,000-row sheet of the template unpacks to about 40 MB; these leave room for that.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts of the .xlsx together, unpacked
# Any part but a worksheet (which openpyxl streams): it holds the shared strings table whole in
# memory, whatever the part is named ([Content_Types].xml may point anywhere).
MAX_HELD_PART_BYTES = 32 * 1024 * 1024
MAX_PARTS = 500
MAX_COLUMNS = 100  # the template has 24; read-only rows are as wide as the sheet claims to be
MAX_ROW_NUMBER = MAX_ROWS + 10_000  # blank rows between data are skipped but still read
READ_SECONDS = 120  # reading stops after this, whatever the file holds


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not an .xlsx, required columns missing…)."""


def _norm_header(text) -> str:
    text = str(text or "").casefold()
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"[_.:*,#]", " ", text)
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip()


# Candidate field (or a combined column) -> header names seen in real sheets.
HEADERS: dict[str, tuple[str, ...]] = {
    "nik": (
        "nik",
        "no ktp",
        "nomor ktp",
        "no nik",
        "nik ktp",
        "nomor nik",
        "nomor induk kependudukan",
    ),
    "kk_number": ("no kk", "nomor kk", "kk", "no kartu keluarga", "nomor kartu keluarga"),
    "full_name": ("nama", "nama lengkap", "nama pencaker", "nama peserta", "nama sesuai ktp"),
    "birth_place": ("tempat lahir", "tmp lahir", "tpt lahir"),
    "birth_date": ("tgl lahir", "tanggal lahir", "tgl lhr", "tanggal lhr"),
    "place_and_date": (
        "ttl",
        "tempat tanggal lahir",
        "tempat tgl lahir",
        "tempat/tanggal lahir",
        "tempat/tgl lahir",
    ),
    "sex": ("l/p", "jenis kelamin", "jk", "kelamin", "gender", "p/l"),
    "religion": ("agama",),
    "marital_status": ("status perkawinan", "status kawin", "status pernikahan", "perkawinan"),
    "district": ("kec", "kecamatan"),
    "village": ("kel", "kelurahan", "desa/kelurahan", "kelurahan/desa", "kel/desa", "desa"),
    "rt": ("rt",),
    "rw": ("rw",),
    "rt_rw": ("rt/rw",),
    "street": ("alamat", "jalan", "alamat jalan", "alamat lengkap"),
    "phone": (
        "no hp",
        "no wa",
        "telepon",
        "no telepon",
        "no telp",
        "telp",
        "hp",
        "wa",
        "nomor hp",
        "nomor wa",
        "no hp/wa",
        "whatsapp",
        "no whatsapp",
    ),
    "email": ("email", "e-mail", "alamat email"),
    "emergency_name": ("nama kontak darurat", "kontak darurat", "nama keluarga"),
    "emergency_relation": ("hubungan", "hubungan keluarga"),
    "emergency_phone": ("no hp kontak darurat", "hp keluarga", "no hp keluarga"),
    "education_level": ("pendidikan", "pendidikan terakhir", "pend terakhir", "ijazah terakhir"),
    "education_major": ("jurusan",),
    "height_cm": ("tinggi badan", "tinggi", "tb"),
    "weight_kg": ("berat badan", "berat", "bb"),
    "preferred_countries": ("negara tujuan", "tujuan", "negara"),
    "preferred_job_types": ("jenis pekerjaan", "pekerjaan yang diminati", "minat pekerjaan"),
}
_HEADER_INDEX = {_norm_header(alias): key for key, aliases in HEADERS.items() for alias in aliases}
# What a reason calls a column: its header in the template ('No HP', 'Jenis Kelamin'), by field.
COLUMN_HEADERS = {
    _HEADER_INDEX[_norm_header(header)]: re.sub(r"\s*\(.*\)", "", header)
    for header, _example, _width in TEMPLATE_COLUMNS
}
COLUMN_LABELS = {
    "nik": "NIK",
    "full_name": "Nama Lengkap",
    "birth_date": "Tanggal Lahir",
    "sex": "Jenis Kelamin (L/P)",
    "village": "Kelurahan",
    "phone": "No HP",
}


@dataclass
class Sheet:
    columns: dict[int, str]  # column index -> field key
    rows: list[tuple[int, dict]]  # (row number in Excel, {field key: raw value})
    ignored: list[str] = field(default_factory=list)  # header names not recognised


def sheet_read(source) -> Sheet:
    """Read the first worksheet of an .xlsx file (a path or a binary file object)."""
    workbook, worksheet = workbook_open(source)
    try:
        deadline = time.monotonic() + READ_SECONDS
        iterator = worksheet.iter_rows(values_only=True)
        columns, ignored, header_row = {}, [], 0
        for number, values in enumerate(iterator, start=1):
            found = {i: _HEADER_INDEX.get(_norm_header(v)) for i, v in enumerate(values)}
            if {"nik", "full_name"} <= set(found.values()):
                columns = {i: key for i, key in found.items() if key}
                ignored = [
                    str(v) for i, v in enumerate(values) if v not in (None, "") and not found[i]
                ]
                header_row = number
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if not columns:
            raise ImportFileError(
                _(
                    "Baris judul kolom tidak ditemukan di 10 baris pertama. Pastikan ada kolom 'NIK' dan 'Nama'; pakai templat yang disediakan."
                )
            )
        present = set(columns.values())
        if "place_and_date" in present:
            present |= {"birth_place", "birth_date"}
        missing = [COLUMN_LABELS[k] for k in REQUIRED_COLUMNS if k not in present]
        if missing:
            raise ImportFileError(
                _("Kolom wajib tidak ditemukan: %(list)s.") % {"list": ", ".join(missing)}
            )
        rows = []
        for number, values in enumerate(iterator, start=header_row + 1):
            if number > MAX_ROW_NUMBER:
                raise ImportFileError(_too_many_rows())
            if number % 1000 == 0 and time.monotonic() > deadline:
                raise ImportFileError(
                    _(
                        "Berkas ini terlalu lama dibaca (lebih dari %(seconds)d detik). Simpan ulang "
                        "hanya lembar datanya sebagai .xlsx baru, atau bagi menjadi beberapa berkas."
                    )
                    % {"seconds": READ_SECONDS}
                )
            raw = {key: values[i] for i, key in columns.items() if i < len(values)}
            if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in raw.values()):
                continue
            rows.append((number, raw))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    _("Berkas berisi lebih dari %(max)d baris. Bagi menjadi beberapa berkas.")
                    % {"max": MAX_ROWS}
                )
    finally:
        workbook.close()
    return Sheet(columns=columns, rows=rows, ignored=ignored)


def workbook_open(source) -> tuple:
    """The workbook (read-only; close it when done) and its first worksheet of an .xlsx file (a
    path or a binary file object), after refusing an old .xls, a file that is not an .xlsx, one
    that unpacks beyond the limits or claims more rows or columns than an import can hold."""
    if hasattr(source, "read"):
        source.seek(0)
        head = source.read(8)
        source.seek(0)
    else:
        with open(source, "rb") as handle:
            head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "Format .xls lama tidak didukung. Buka di Excel, lalu Simpan Sebagai 'Excel Workbook (.xlsx)'."
            )
        )
    if not head.startswith(b"PK"):
        raise ImportFileError(
            _("Berkas ini bukan berkas Excel .xlsx. Pakai templat yang disediakan.")
        )
    _parts_check(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            _("Berkas Excel ini rusak atau tidak bisa dibaca. Simpan ulang sebagai .xlsx.")
        ) from error
    try:
        worksheet = workbook.worksheets[0]
        _size_check(worksheet)
    except BaseException:
        workbook.close()
        raise
    return workbook, worksheet


def _too_many_rows() -> str:
    return _(
        "Lembar ini sampai ke baris %(max)s atau lebih. Hapus baris kosong dan baris lain di bawah "
        "data, atau bagi menjadi beberapa berkas berisi paling banyak %(rows)s orang."
    ) % {"max": f"{MAX_ROW_NUMBER:,}".replace(",", "."), "rows": f"{MAX_ROWS:,}".replace(",", ".")}


def _parts_check(source) -> None:
    """Refuse an .xlsx whose parts unpack beyond the limits, from the sizes its zip directory
    declares (Python's zip reader stops at a part's declared size, so they cannot lie upward)."""
    unreadable = ImportFileError(
        _("Berkas Excel ini rusak atau tidak bisa dibaca. Simpan ulang sebagai .xlsx.")
    )
    too_big = ImportFileError(
        _(
            "Isi berkas Excel ini terlalu besar untuk diimpor (lebih dari %(mb)d MB setelah dibuka). "
            "Simpan ulang hanya lembar datanya sebagai .xlsx baru, tanpa lembar dan gambar lain, atau "
            "bagi menjadi beberapa berkas."
        )
        % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
    )
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise unreadable from error
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise too_big
    held = [p for p in parts if not p.filename.startswith("xl/worksheets/")]
    if any(part.file_size > MAX_HELD_PART_BYTES for part in held):
        raise too_big


def _size_check(worksheet) -> None:
    """Refuse a sheet that claims more columns or rows than an import can hold, before reading it."""
    columns = worksheet.max_column or 0
    rows = worksheet.max_row or 0
    if columns > MAX_COLUMNS:
        raise ImportFileError(
            _(
                "Lembar ini punya %(count)s kolom; impor menerima paling banyak %(max)d. Hapus kolom "
                "kosong di kanan data, atau pakai templat yang disediakan."
            )
            % {"count": f"{columns:,}".replace(",", "."), "max": MAX_COLUMNS}
        )
    if rows > MAX_ROW_NUMBER:
        raise ImportFileError(_too_many_rows())

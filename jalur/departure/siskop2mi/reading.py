"""Reading a SISKOP2MI export (CSV or Excel) into rows of the fields the reconciliation compares.

The export's columns are named as SISKOP2MI names them (NIK, Nama, ID PMI, Nomor Paspor, Negara,
Jabatan, P3MI, Status); the header names seen in real files vary in case, spacing and wording, so
each is matched after `candidates.importing.sheet._norm_header`'s normalising. Excel files go
through the candidates import's checks (`workbook_open`: size, parts, old .xls); CSV files may be
comma- or semicolon-separated, in UTF-8 (with or without BOM) or Windows-1252.
"""

import csv
import io
import time
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jalur.candidates.importing.sheet import (
    HEADER_SEARCH_ROWS,
    READ_SECONDS,
    ImportFileError,
    _norm_header,
    workbook_open,
)

# The comparison runs while the office waits for the page (about 2 ms a row on the city's server):
# a larger export is split, e.g. by P3MI or by month of registration.
MAX_ROWS = 20_000
FIELDS = ("nik", "name", "id_pmi", "passport", "country", "position", "agency", "status")
HEADERS: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no ktp", "nomor ktp", "no nik", "nomor nik", "nomor induk kependudukan"),
    "name": ("nama", "nama pmi", "nama cpmi", "nama lengkap", "nama pekerja", "nama tki"),
    "id_pmi": ("id pmi", "idpmi", "id-pmi", "no id pmi", "nomor id pmi", "id cpmi", "id pekerja"),
    "passport": (
        "nomor paspor",
        "no paspor",
        "paspor",
        "nomor passport",
        "no passport",
        "passport",
        "passport no",
    ),
    "country": ("negara", "negara tujuan", "negara penempatan", "negara tujuan penempatan"),
    "position": ("jabatan", "nama jabatan", "posisi", "pekerjaan", "jenis pekerjaan"),
    "agency": ("p3mi", "nama p3mi", "perusahaan", "nama perusahaan", "p3mi pengirim"),
    "status": ("status", "status pmi", "status cpmi", "tahapan", "status proses"),
}
_INDEX = {_norm_header(alias): key for key, aliases in HEADERS.items() for alias in aliases}
REQUIRED = ("nik", "name")
LABELS = {
    "nik": "NIK",
    "name": "Nama",
    "id_pmi": "ID PMI",
    "passport": "Nomor Paspor",
    "country": "Negara",
    "position": "Jabatan",
    "agency": "P3MI",
    "status": "Status",
}


@dataclass
class Export:
    rows: list[tuple[int, dict]]  # (line or row number in the file, {field: text})
    columns: list[str] = field(default_factory=list)  # the fields found, in FIELDS order


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a NIK stored as a number
    return " ".join(str(value).split())


def _rows(lines, *, deadline: float) -> Export:
    """The header row among the first rows, then each data row as {field: text}."""
    columns: dict[int, str] = {}
    header_row = 0
    for header_row, values in enumerate(lines, start=1):
        found = {i: _INDEX.get(_norm_header(v)) for i, v in enumerate(values)}
        if set(REQUIRED) <= set(found.values()):
            columns = {i: key for i, key in found.items() if key}
            break
        if header_row >= HEADER_SEARCH_ROWS:
            break
    if not columns:
        raise ImportFileError(
            _(
                "Baris judul kolom tidak ditemukan di 10 baris pertama. Berkas ekspor SISKOP2MI "
                "harus punya kolom 'NIK' dan 'Nama' (juga dibaca: ID PMI, Nomor Paspor, Negara, "
                "Jabatan, P3MI, Status)."
            )
        )
    rows = []
    for number, values in enumerate(lines, start=header_row + 1):
        if number % 1000 == 0 and time.monotonic() > deadline:
            raise ImportFileError(
                _("Berkas ini terlalu lama dibaca. Bagi menjadi beberapa berkas.")
            )
        raw = {key: _cell(values[i]) for i, key in columns.items() if i < len(values)}
        if not any(raw.values()):
            continue
        rows.append((number, raw))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _(
                    "Berkas berisi lebih dari %(max)s baris. Bagi menjadi beberapa berkas, "
                    "misalnya per P3MI atau per bulan pendaftaran."
                )
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
    present = set(columns.values())
    return Export(rows=rows, columns=[f for f in FIELDS if f in present])


def _csv_text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Berkas CSV ini tidak bisa dibaca. Simpan ulang sebagai CSV UTF-8."))


def export_read(upload, *, name: str = "") -> Export:
    """The rows of a SISKOP2MI export: an .xlsx, or a CSV (by its name or its content). Raises
    ImportFileError, in words the office can act on, for a file that cannot be read as a whole."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    deadline = time.monotonic() + READ_SECONDS
    if head.startswith((b"PK", b"\xd0\xcf\x11\xe0")) or name.lower().endswith((".xlsx", ".xls")):
        workbook, worksheet = workbook_open(upload)
        try:
            return _rows(worksheet.iter_rows(values_only=True), deadline=deadline)
        finally:
            workbook.close()
    if b"\x00" in upload.read(4096):
        raise ImportFileError(
            _("Berkas ini bukan CSV atau Excel .xlsx. Unduh ulang ekspornya dari SISKOP2MI.")
        )
    upload.seek(0)
    text = _csv_text(upload.read())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return _rows(csv.reader(io.StringIO(text), dialect), deadline=deadline)

"""Importing job seekers from an Excel sheet, from the command line or the web.

Real sheets from kelurahan offices and job fairs are messy: header names vary, NIKs are stored as
numbers, dates come in five shapes, kelurahan names are misspelt. Each cell is read forgivingly here,
then the row goes through the same rules as every registration (rules.py). A row is all or nothing:
it is accepted (created), flagged (created, and sent to the duplicate review), a duplicate (the NIK
is already registered: nothing changes), or rejected with every reason. Importing the same file again
creates nothing new, and a dry run writes nothing.

Rows are checked by `services.registration_check` and written by `services.candidates_create`,
the two steps of every registration, in batches; if a batch hits a database conflict (someone
registered the same NIK a moment ago), that batch is redone row by row through `candidate_register`.
"""

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from jalur.audit.services import audit_record
from jalur.core.xlsx import csv_safe
from jalur.regions.selectors import (
    home_districts,
    match_district,
    match_village,
    village_districts,
)

from .models import (
    Candidate,
    DuplicateFlag,
    Education,
    ImportJob,
    MaritalStatus,
    RegistrationChannel,
    Religion,
    Sex,
)
from .routes import job_type_countries
from .routes import job_types as active_job_types
from .rules import (
    REQUIRED_TO_CREATE,
    CheckResult,
    digits_only,
    home_village_districts,
    job_route_problems,
)
from .services import (
    Matches,
    NewCandidate,
    NikTaken,
    candidate_register,
    candidates_create,
    duplicate_candidates,
    registration_check,
)
from .spreadsheets import EXAMPLE_NAME, EXAMPLE_NIK, TEMPLATE_COLUMNS, table_workbook

BATCH_SIZE = 500
MAX_ROWS = 50_000
HEADER_SEARCH_ROWS = 10  # a title or a logo often sits above the header row
REQUIRED_COLUMNS = ("nik", "full_name", "birth_date", "sex", "village", "phone")
# Every record needs REQUIRED_TO_CREATE; a sheet's row has no later step for the address and phone.
IMPORT_REQUIRED = (*REQUIRED_TO_CREATE, "village", "phone")


class Outcome:
    ACCEPTED = "accepted"
    FLAGGED = "flagged"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"

    LABELS = {
        ACCEPTED: gettext_lazy("diterima"),
        FLAGGED: gettext_lazy("diterima, perlu cek duplikat"),
        DUPLICATE: gettext_lazy("sudah terdaftar"),
        REJECTED: gettext_lazy("ditolak"),
    }


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

MONTHS = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "agus", "agust", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
_DMY = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})[\s\-/.]*([a-z]+)[\s\-/.,]*(\d{4}|\d{2})$")
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?e\+?\d+$", re.I)

SEXES = {
    **dict.fromkeys(("l", "lk", "laki", "lakilaki", "pria", "male", "m"), Sex.MALE),
    **dict.fromkeys(("p", "pr", "perempuan", "wanita", "female", "f", "w"), Sex.FEMALE),
}
EDUCATION = {
    **dict.fromkeys(("sd", "sdn", "mi", "sekolahdasar", "sdsederajat"), Education.SD),
    **dict.fromkeys(("smp", "smpn", "mts", "sltp", "smpsederajat"), Education.SMP),
    **dict.fromkeys(("sma", "sman", "ma", "slta", "smu", "smama", "smasederajat"), Education.SMA),
    **dict.fromkeys(("smk", "smkn", "stm", "smea", "smk/stm"), Education.SMK),
    **dict.fromkeys(("d3", "diii", "diploma3", "diplomaiii", "d3/diplomaiii"), Education.D3),
    **dict.fromkeys(("d4", "div", "diploma4", "diplomaiv"), Education.D4),
    **dict.fromkeys(("s1", "s2", "s3", "sarjana", "magister", "s1ataulebihtinggi"), Education.S1),
}
MARITAL = {
    **dict.fromkeys(
        ("belumkawin", "belummenikah", "lajang", "bk", "single", "tidakkawin"), MaritalStatus.SINGLE
    ),
    **dict.fromkeys(("kawin", "menikah", "k", "married", "sudahmenikah"), MaritalStatus.MARRIED),
    **dict.fromkeys(("ceraihidup", "ch", "cerai"), MaritalStatus.DIVORCED),
    **dict.fromkeys(("ceraimati", "cm"), MaritalStatus.WIDOWED),
}
RELIGIONS = {
    "islam": Religion.ISLAM,
    **dict.fromkeys(("kristen", "protestan", "kristenprotestan"), Religion.PROTESTANT),
    **dict.fromkeys(("katolik", "katholik", "kristenkatolik"), Religion.CATHOLIC),
    "hindu": Religion.HINDU,
    **dict.fromkeys(("buddha", "budha", "budhha"), Religion.BUDDHIST),
    **dict.fromkeys(("khonghucu", "konghucu", "konghuchu"), Religion.CONFUCIAN),
    **dict.fromkeys(("kepercayaan", "penghayatkepercayaan"), Religion.OTHER),
}
COUNTRIES = {
    **dict.fromkeys(("korea", "koreaselatan", "korsel", "kr", "southkorea"), "KR"),
    **dict.fromkeys(("jepang", "japan", "jp", "nihon"), "JP"),
}


def _letters(value) -> str:
    return re.sub(r"[^a-z0-9/]", "", str(value or "").casefold())


@dataclass
class Sheet:
    columns: dict[int, str]  # column index -> field key
    rows: list[tuple[int, dict]]  # (row number in Excel, {field key: raw value})
    ignored: list[str] = field(default_factory=list)  # header names not recognised


@dataclass
class RowResult:
    row: int
    outcome: str
    nik: str = ""
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    candidate_id: int | None = None

    @property
    def outcome_label(self) -> str:
        return str(Outcome.LABELS[self.outcome])


@dataclass
class Summary:
    results: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {
            o: self.count(o)
            for o in (Outcome.ACCEPTED, Outcome.FLAGGED, Outcome.DUPLICATE, Outcome.REJECTED)
        }


# --- reading -----------------------------------------------------------------------------------------


def sheet_read(source) -> Sheet:
    """Read the first worksheet of an .xlsx file (a path or a binary file object)."""
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
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            _("Berkas Excel ini rusak atau tidak bisa dibaca. Simpan ulang sebagai .xlsx.")
        ) from error
    try:
        worksheet = workbook.worksheets[0]
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


# --- cell values -------------------------------------------------------------------------------------


def parse_nik(value) -> tuple[str, str | None]:
    """(digits, error). A NIK kept as a number in Excel has only 15 significant digits left."""
    lost = _(
        "NIK tersimpan sebagai angka di Excel, sehingga angka terakhirnya bisa hilang (Excel hanya menyimpan 15 angka). Ubah format kolom NIK menjadi Teks, lalu ketik ulang NIK ini."
    )
    if value is None or value == "":
        return "", None
    if isinstance(value, bool):
        return "", _("NIK tidak valid.")
    if isinstance(value, float):
        if not value.is_integer():
            return "", lost
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if len(text) >= 16 and text.endswith("0"):
            return "", lost
        return text, None
    text = str(value).strip().lstrip("'").strip()
    if _SCIENTIFIC.match(text.replace(" ", "")):
        return "", lost
    return digits_only(text), None


def parse_date(value, *, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    """Excel dates, dd-mm-yyyy, dd/mm/yyyy, yyyy-mm-dd, or '17 Agustus 1998'."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80_000:  # an Excel serial date without a date format
            return from_excel(value).date(), None
        return None, _unknown_date(value)
    text = re.sub(r"\s+", " ", str(value).strip().casefold())
    day = month = year = None
    if match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        if month > 12 >= day:  # written month first (an English-language export)
            day, month = month, day
    elif match := _D_MONTH_Y.match(text):
        day, month, year = int(match[1]), MONTHS.get(match[2]), int(match[3])
        if month is None:
            return None, _unknown_date(value)
    else:
        return None, _unknown_date(value)
    if year < 100:
        year += 1900 if year > today.year % 100 else 2000
    try:
        return datetime.date(year, month, day), None
    except ValueError:
        return None, _("Tanggal lahir '%(value)s' tidak ada di kalender.") % {"value": value}


def _unknown_date(value) -> str:
    return _(
        "Tanggal lahir '%(value)s' tidak dikenali. Tulis seperti 17-05-1998, 17/05/1998, 1998-05-17 atau 17 Mei 1998."
    ) % {"value": value}


def _choice(value, table: dict, message: str) -> tuple[str, str | None]:
    if value in (None, ""):
        return "", None
    key = _letters(value).replace("/", "")
    if key in table:
        return table[key], None
    return "", message % {"value": value}


def _number(value, label: str) -> tuple[int | None, str | None]:
    if value in (None, ""):
        return None, None
    text = re.sub(r"[^0-9,.]", "", str(value)).replace(",", ".")
    try:
        return round(float(text)), None
    except ValueError:
        return None, _("%(label)s '%(value)s' bukan angka.") % {"label": label, "value": value}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _JobTypes:
    def __init__(self):
        self.types = list(active_job_types())
        self.routes = job_type_countries()  # read once per import, like the types

    def match(self, value) -> tuple[list[int], list[str]]:
        ids, errors = [], []
        for token in re.split(r"[,;/]| dan ", _text(value)):
            token = token.strip().casefold()
            if not token:
                continue
            found = [t for t in self.types if token == t.code or token in t.name.casefold()]
            if len(found) == 1:
                ids.append(found[0].pk)
            else:
                errors.append(
                    _("Jenis pekerjaan '%(value)s' tidak dikenali atau ambigu.") % {"value": token}
                )
        return ids, errors


def row_parse(
    raw: dict, *, today: datetime.date, job_types: _JobTypes
) -> tuple[dict, dict[str, list[str]]]:
    """Turn one row's cells into Candidate field values; return them with the reading errors."""
    data: dict = {}
    errors: dict[str, list[str]] = defaultdict(list)

    def keep(name, pair):
        value, error = pair
        if error:
            errors[name].append(error)
        else:
            data[name] = value

    keep("nik", parse_nik(raw.get("nik")))
    data["full_name"] = _text(raw.get("full_name"))
    if data.get("nik") == EXAMPLE_NIK and data["full_name"] == EXAMPLE_NAME:
        errors["nik"].append(
            _("Ini baris contoh dari templat: hapus baris ini atau ganti dengan data sebenarnya.")
        )
    if "place_and_date" in raw and raw["place_and_date"] not in (None, ""):
        combined = raw["place_and_date"]
        if isinstance(combined, datetime.date):
            keep("birth_date", parse_date(combined, today=today))
        else:
            place, _sep, when = str(combined).rpartition(",")
            data["birth_place"] = place.strip()
            keep("birth_date", parse_date(when.strip(), today=today))
    if "birth_place" in raw:
        data["birth_place"] = _text(raw["birth_place"])
    if raw.get("birth_date") not in (None, ""):
        keep("birth_date", parse_date(raw["birth_date"], today=today))
    data.setdefault("birth_date", None)
    keep(
        "sex",
        _choice(
            raw.get("sex"),
            SEXES,
            _("Jenis kelamin '%(value)s' tidak dikenali. Tulis L atau P (Laki-laki/Perempuan)."),
        ),
    )
    for name, table, message in (
        ("religion", RELIGIONS, _("Agama '%(value)s' tidak dikenali.")),
        (
            "marital_status",
            MARITAL,
            _(
                "Status perkawinan '%(value)s' tidak dikenali. Tulis Belum kawin, Kawin, Cerai hidup atau Cerai mati."
            ),
        ),
        (
            "education_level",
            EDUCATION,
            _("Pendidikan '%(value)s' tidak dikenali. Tulis SD, SMP, SMA, SMK, D3, D4 atau S1."),
        ),
    ):
        if name in raw:
            keep(name, _choice(raw[name], table, message))
    for name in ("kk_number",):
        if name in raw:
            value = raw[name]
            if isinstance(value, float | int) and not isinstance(value, bool):
                nik_like, error = parse_nik(value)
                if error:
                    errors[name].append(error.replace("NIK", "Nomor KK"))
                    continue
                value = nik_like
            data[name] = digits_only(value)
    for name in ("street", "email", "emergency_name", "emergency_relation", "education_major"):
        if name in raw:
            data[name] = _text(raw[name])
    for name in ("phone", "emergency_phone"):
        if name in raw:
            data[name] = _text(raw[name])
    if raw.get("rt_rw") not in (None, ""):
        rt, _sep, rw = str(raw["rt_rw"]).partition("/")
        data["rt"], data["rw"] = rt.strip(), rw.strip()
    for name in ("rt", "rw"):
        if name in raw:
            data[name] = _text(raw[name])
    for name, label in (("height_cm", _("Tinggi badan")), ("weight_kg", _("Berat badan"))):
        if name in raw:
            keep(name, _number(raw[name], label))
    if raw.get("preferred_countries") not in (None, ""):
        codes = []
        for token in re.split(r"[,;/]| dan ", _text(raw["preferred_countries"])):
            key = _letters(token)
            if not key:
                continue
            if key in COUNTRIES:
                codes.append(COUNTRIES[key])
            else:
                errors["preferred_countries"].append(
                    _("Negara tujuan '%(value)s' tidak dikenali: tulis Korea atau Jepang.")
                    % {"value": token.strip()}
                )
        data["preferred_countries"] = codes
    if raw.get("preferred_job_types") not in (None, ""):
        ids, job_errors = job_types.match(raw["preferred_job_types"])
        names = {t.pk: t.name for t in job_types.types}
        job_errors += job_route_problems(
            [(pk, names[pk]) for pk in ids], data.get("preferred_countries"), job_types.routes
        )
        errors["preferred_job_types"].extend(job_errors)
        data["preferred_job_types"] = ids
    place_errors = _place(raw, data)
    if place_errors:
        errors["village"].extend(place_errors)
    return data, {k: v for k, v in errors.items() if v}


def _place(raw: dict, data: dict) -> list[str]:
    """Kecamatan and kelurahan by name, forgiving case and small misspellings."""
    district_name, village_name = _text(raw.get("district")), _text(raw.get("village"))
    district = match_district(district_name) if district_name else None
    if district_name and district is None:
        return [
            _("Kecamatan '%(name)s' tidak ada di wilayah program. Periksa ejaannya.")
            % {"name": district_name}
        ]
    if not village_name:
        data["village"] = None
        return []
    if not district and len(places := village_districts(village_name)) > 1:
        names = dict(home_districts().values_list("code", "name"))
        return [
            _(
                "Kelurahan '%(village)s' ada di lebih dari satu kecamatan (%(districts)s). Isi kolom Kecamatan."
            )
            % {"village": village_name, "districts": ", ".join(sorted(names[c] for c in places))}
        ]
    village = match_village(village_name, district) if district else match_village(village_name)
    if village is None and district:
        elsewhere = match_village(village_name)
        if elsewhere:
            return [
                _("Kelurahan '%(village)s' tidak berada di Kecamatan '%(district)s'.")
                % {"village": village_name, "district": district_name}
            ]
    if village is None:
        return [
            _(
                "Kelurahan '%(name)s' tidak ditemukan di wilayah program. Periksa ejaannya (daftar kelurahan ada di templat)."
            )
            % {"name": village_name}
        ]
    data["village"] = village
    data["district"] = home_village_districts()[village]
    return []


# --- processing --------------------------------------------------------------------------------------


@dataclass
class _Row:
    result: RowResult
    checked: CheckResult  # what `registration_check` made of the row

    @property
    def data(self) -> dict:
        return self.checked.data


def import_rows(
    sheet: Sheet,
    *,
    actor,
    dry_run: bool = False,
    today: datetime.date | None = None,
    progress: Callable[[int, Summary], None] | None = None,
) -> Summary:
    """Check every row and (unless dry_run) write the good ones. Returns every row's outcome."""
    today = today or timezone.localdate()
    summary = Summary(dry_run=dry_run)
    job_types = _JobTypes()
    seen_niks: dict[str, int] = {}
    file_phones: dict[str, list[int]] = defaultdict(list)  # dry run: earlier rows of the file
    file_names: dict[tuple, list[int]] = defaultdict(list)
    by_candidate: dict[int, RowResult] = {}
    for start in range(0, len(sheet.rows), BATCH_SIZE):
        batch = sheet.rows[start : start + BATCH_SIZE]
        good = _check_batch(batch, today=today, job_types=job_types, seen_niks=seen_niks)
        summary.results.extend(r.result for r in good.all)
        if good.valid:
            if dry_run:
                _dry_run_duplicates(good.valid, file_phones, file_names)
            else:
                matches = _write_batch(good.valid, actor=actor, today=today)
                for row in good.valid:
                    if row.result.candidate_id:
                        by_candidate[row.result.candidate_id] = row.result
                # earlier rows of the file matched by this batch are flagged, too
                _flag_results(matches, by_candidate)
        if progress:
            progress(start + len(batch), summary)
    return summary


@dataclass
class _Checked:
    all: list[_Row]
    valid: list[_Row]


def _check_batch(batch, *, today, job_types, seen_niks) -> _Checked:
    rows = []
    for number, raw in batch:
        data, read_errors = row_parse(raw, today=today, job_types=job_types)
        result = RowResult(
            row=number,
            outcome=Outcome.REJECTED,
            nik=data.get("nik") or _text(raw.get("nik")),
            name=data.get("full_name", ""),
        )
        checked = registration_check(
            data, channel=RegistrationChannel.IMPORT, today=today, require=IMPORT_REQUIRED
        )
        reasons = [m for messages in read_errors.values() for m in messages]
        # a cell that could not be read already says why
        reasons += _reasons({k: v for k, v in checked.errors.items() if k not in read_errors})
        result.warnings = checked.warning_messages()
        result.reasons = reasons
        rows.append(_Row(result=result, checked=checked))
    valid = []
    niks = [r.data["nik"] for r in rows if not r.result.reasons]
    registered = set()
    for chunk in _chunks(niks, 900):
        registered |= set(Candidate.objects.filter(nik__in=chunk).values_list("nik", flat=True))
    for row in rows:
        if row.result.reasons:
            continue
        nik = row.data["nik"]
        if nik in seen_niks:
            row.result.outcome = Outcome.DUPLICATE
            row.result.reasons = [
                _("NIK ini sudah ada di baris %(row)d berkas ini; baris ini dilewati.")
                % {"row": seen_niks[nik]}
            ]
        elif nik in registered:
            _registered(row.result)
        else:
            row.result.outcome = Outcome.ACCEPTED
            valid.append(row)
        seen_niks.setdefault(nik, row.result.row)
    return _Checked(all=rows, valid=valid)


def _column_label(name: str) -> str:
    """The field's column header in the template ('NIK', 'No HP', …); '' for a row-wide rule."""
    return COLUMN_HEADERS.get(name.removesuffix("_id"), "")


def _names_field(name: str, message: str) -> bool:
    """Whether the message already says which field it is about ('NIK harus 16 angka…',
    'Nomor HP tidak valid…'), so the column is not named twice."""
    label = _column_label(name).casefold()
    words = {label, re.sub(r"^no ", "nomor ", label)}
    try:
        verbose = str(Candidate._meta.get_field(name.removesuffix("_id")).verbose_name).casefold()
    except FieldDoesNotExist:
        verbose = ""
    words |= {verbose, re.split(r"[/(]", verbose)[0].strip()}
    text = message.casefold()
    return any(w and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in words)


def _reasons(errors: dict[str, list]) -> list[str]:
    """'No HP: Wajib diisi.', but 'NIK harus 16 angka…' as it is: the column is named once."""
    reasons = []
    for name, messages in errors.items():
        label = _column_label(name)
        for message in messages:
            message = str(message)
            if not label or _names_field(name, message):
                reasons.append(message)
            else:
                reasons.append(f"{label}: {message}")
    return reasons


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_batch(rows: list[_Row], *, actor, today) -> Matches:
    """Write one batch through the registration service; returns the possible duplicates it
    flagged. A database conflict (a NIK or phone written a moment ago by someone else) rolls the
    batch back, and it is redone row by row."""
    people = [NewCandidate(checked=row.checked) for row in rows]
    try:
        created = candidates_create(people=people, actor=actor, channel=RegistrationChannel.IMPORT)
    except IntegrityError:
        return _write_one_by_one(rows, actor=actor, today=today)
    for row, candidate in zip(rows, created.candidates, strict=True):
        if candidate is None:  # registered since the batch was checked
            _registered(row.result)
        else:
            row.result.candidate_id = candidate.pk
    return created.matches


def _registered(result: RowResult) -> None:
    result.outcome = Outcome.DUPLICATE
    result.reasons = [_("NIK sudah terdaftar di Jalur; data yang ada tidak diubah.")]


def _duplicate_reason(reason: str, *, row: int | None = None, pk: int = 0, name: str = "") -> str:
    """Why a row went to the duplicate review: the row of this file, or the record, it matches."""
    same_phone = reason == DuplicateFlag.Reason.SAME_PHONE
    if row is not None:
        text = (
            _("Nomor HP sama dengan baris %(row)d")
            if same_phone
            else _("Nama dan tanggal lahir sama dengan baris %(row)d")
        )
        return text % {"row": row}
    text = (
        _("Nomor HP sama dengan #%(pk)d %(name)s")
        if same_phone
        else _("Nama dan tanggal lahir sama dengan #%(pk)d %(name)s")
    )
    return text % {"pk": pk, "name": name}


def _flag_results(matches: Matches, by_candidate: dict[int, RowResult]) -> None:
    """Mark the rows of the file that were flagged, each with what it matches (a row of the file
    or a record already in Jalur, with its number and name, as the duplicate review shows it)."""
    outside = sorted(
        {
            other
            for pk, found in matches.items()
            if pk in by_candidate
            for other, _reason in found
            if other not in by_candidate
        }
    )
    names = {}
    for chunk in _chunks(outside, 900):
        names.update(Candidate.objects.filter(pk__in=chunk).values_list("pk", "full_name"))
    for pk, found in matches.items():
        result = by_candidate.get(pk)
        if result is None:
            continue
        result.outcome = Outcome.FLAGGED
        for other, reason in sorted(found):
            mate = by_candidate.get(other)
            text = _duplicate_reason(
                reason, row=mate.row if mate else None, pk=other, name=names.get(other, "")
            )
            if text not in result.reasons:
                result.reasons.append(text)


def _write_one_by_one(rows: list[_Row], *, actor, today) -> Matches:
    """The slow, safe path: each row in its own transaction through the registration service."""
    matches: Matches = defaultdict(list)
    for row in rows:
        data = {k: v for k, v in row.data.items() if k not in ("district_id", "village_id")}
        data["village"] = row.data.get("village_id")
        try:
            candidate = candidate_register(
                data=data, actor=actor, channel=RegistrationChannel.IMPORT, today=today
            )
        except NikTaken:
            _registered(row.result)
            continue
        except ValidationError as error:
            row.result.outcome = Outcome.REJECTED
            row.result.reasons = (
                _reasons(error.message_dict) if hasattr(error, "error_dict") else error.messages
            )
            continue
        row.result.candidate_id = candidate.pk
        for other, reason in duplicate_candidates(candidate=candidate):
            matches[candidate.pk].append((other, reason))
            matches[other].append((candidate.pk, reason))
    return matches


def _dry_run_duplicates(rows: list[_Row], file_phones: dict, file_names: dict) -> None:
    """What would be flagged, and why: matches in the database and in earlier rows of the file."""
    phones = sorted({r.data["phone"] for r in rows if r.data.get("phone")})
    db_phones: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(phones, 900):
        for pk, phone, name in Candidate.objects.filter(phone__in=chunk).values_list(
            "pk", "phone", "full_name"
        ):
            db_phones[phone].append((pk, name))
    keys = {(r.data["full_name"].lower(), r.data["birth_date"]) for r in rows}
    db_names: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(sorted({k[0] for k in keys}), 900):
        for pk, name, name_ci, birth in (
            Candidate.objects.annotate(name_ci=Lower("full_name"))
            .filter(name_ci__in=chunk)
            .values_list("pk", "full_name", "name_ci", "birth_date")
        ):
            if (name_ci, birth) in keys:
                db_names[(name_ci, birth)].append((pk, name))
    phone_reason, name_reason = (
        DuplicateFlag.Reason.SAME_PHONE,
        DuplicateFlag.Reason.SAME_NAME_BIRTH,
    )
    for row in rows:
        result = row.result
        phone = row.data.get("phone")
        key = (row.data["full_name"].lower(), row.data["birth_date"])
        found = []
        if phone:
            found += [
                (phone_reason, None, pk, name) for pk, name in sorted(db_phones.get(phone, []))
            ]
            found += [(phone_reason, earlier, 0, "") for earlier in file_phones.get(phone, [])]
        found += [(name_reason, None, pk, name) for pk, name in sorted(db_names.get(key, []))]
        found += [(name_reason, earlier, 0, "") for earlier in file_names.get(key, [])]
        for reason, earlier, pk, name in found:
            result.outcome = Outcome.FLAGGED
            row_number = earlier.row if earlier else None
            result.reasons.append(_duplicate_reason(reason, row=row_number, pk=pk, name=name))
            if earlier:
                earlier.outcome = Outcome.FLAGGED
                earlier.reasons.append(_duplicate_reason(reason, row=result.row))
        if phone:
            file_phones[phone].append(result)
        file_names[key].append(result)


# --- report ------------------------------------------------------------------------------------------


def reasons_text(reasons) -> str:
    """Several reasons in one cell, as on the job page and in the reports: "a; b; c." (each
    reason's own closing full stop dropped, so none reads ".;")."""
    parts = [str(r).strip().rstrip(".") for r in reasons if str(r).strip()]
    return "; ".join(parts) + "." if parts else ""


REPORT_HEADER = ["baris", "hasil", "NIK", "nama", "alasan", "peringatan", "id_pencaker"]
REPORT_WIDTHS = {0: 7, 1: 26, 2: 20, 3: 26, 4: 80, 5: 50, 6: 12}


def report_rows(summary: Summary) -> Iterable[list]:
    for r in summary.results:
        yield [
            r.row,
            r.outcome_label,
            r.nik,
            r.name,
            reasons_text(r.reasons),
            reasons_text(r.warnings),
            r.candidate_id or "",
        ]


def report_write(summary: Summary, stream) -> None:
    """The per-row report as CSV (UTF-8 with BOM so Excel shows Indonesian text correctly), for
    scripts; people get `report_xlsx`, where Excel keeps the NIKs whole."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(REPORT_HEADER)
    writer.writerows([csv_safe(value) for value in row] for row in report_rows(summary))


def report_xlsx(summary: Summary) -> bytes:
    """The per-row report as an Excel file, the NIK column as text (like the template)."""
    return table_workbook(
        _("Laporan impor"),
        REPORT_HEADER,
        report_rows(summary),
        text_columns={REPORT_HEADER.index("NIK")},
        widths=REPORT_WIDTHS,
    )


# --- import jobs (the web upload and its background run) ---------------------------------------------

PROBLEMS_SHOWN = 200  # rows not accepted, kept on the job for the page; the report has them all


def import_job_create(*, upload, actor, dry_run: bool) -> ImportJob:
    """Store an uploaded sheet as a queued job. Call `import_job_enqueue` after the commit."""
    from django.core.files.base import File

    name = (getattr(upload, "name", "") or "impor.xlsx").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        job = ImportJob(original_name=name, dry_run=dry_run, created_by=_user(actor))
        job.file.save("impor.xlsx", File(upload), save=False)
        job.save()
        audit_record(
            actor=actor,
            action="candidate.import_upload",
            target=job,
            changes={"dry_run": [None, dry_run]},
        )
    return job


def import_job_enqueue(job: ImportJob) -> None:
    from .tasks import import_candidates_task

    import_candidates_task.enqueue(job.pk)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def import_job_run(*, job_id: int) -> ImportJob:
    """Run one queued job: read, check, write, save the report, and drop the uploaded sheet."""
    from django.core.files.base import ContentFile

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job  # already taken by another worker
    actor = job.created_by

    def progress(done: int, summary: Summary) -> None:
        counts = summary.counts
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=done,
            accepted=counts[Outcome.ACCEPTED],
            flagged=counts[Outcome.FLAGGED],
            duplicates=counts[Outcome.DUPLICATE],
            rejected=counts[Outcome.REJECTED],
        )

    try:
        with job.file.open("rb") as handle:
            sheet = sheet_read(io.BytesIO(handle.read()))
        ImportJob.objects.filter(pk=job.pk).update(total_rows=len(sheet.rows))
        summary = import_rows(sheet, actor=actor, dry_run=job.dry_run, progress=progress)
    except ImportFileError as error:
        job.refresh_from_db()
        job.status, job.error, job.finished_at = ImportJob.Status.FAILED, str(error), timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        _drop_upload(job)
        return job
    job.refresh_from_db()
    counts = summary.counts
    job.total_rows = job.processed_rows = len(summary.results)
    job.accepted, job.flagged = counts[Outcome.ACCEPTED], counts[Outcome.FLAGGED]
    job.duplicates, job.rejected = counts[Outcome.DUPLICATE], counts[Outcome.REJECTED]
    job.problems = [
        {"row": r.row, "outcome": r.outcome_label, "reasons": r.reasons + r.warnings}
        for r in summary.results
        if r.outcome != Outcome.ACCEPTED or r.warnings
    ][:PROBLEMS_SHOWN]
    if sheet.ignored:
        job.error = _("Kolom yang tidak dikenali dan diabaikan: %(list)s.") % {
            "list": ", ".join(sheet.ignored)
        }
    job.report.save("laporan.xlsx", ContentFile(report_xlsx(summary)), save=False)
    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
    with transaction.atomic():
        job.save()
        audit_record(
            actor=actor,
            action="candidate.import",
            target=job,
            changes={"counts": [None, counts], "dry_run": [None, job.dry_run]},
        )
    _drop_upload(job)
    return job


def _drop_upload(job: ImportJob) -> None:
    """The uploaded sheet is personal data no longer needed once the report exists."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")

"""One row from cells to checked data: each cell read (cells.py), the place and job types
matched, then `services.registration_check`, the check of every registration; a NIK already
registered, or earlier in the file, makes the row a duplicate."""

import datetime
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from jalur.regions.selectors import (
    home_districts,
    home_villages,
    match_district,
    match_village,
    village_districts,
)

from ..models import Candidate, RegistrationChannel
from ..routes import job_type_countries
from ..routes import job_types as active_job_types
from ..rules import (
    REQUIRED_TO_CREATE,
    CheckResult,
    digits_only,
    home_village_districts,
    job_route_problems,
)
from ..services import registration_check
from ..spreadsheets import EXAMPLE_NAME, EXAMPLE_NIK
from .cells import (
    COUNTRIES,
    EDUCATION,
    MARITAL,
    RELIGIONS,
    SEXES,
    _choice,
    _letters,
    _number,
    _text,
    parse_date,
    parse_nik,
)
from .report import Outcome, RowResult
from .sheet import COLUMN_HEADERS

# Every record needs REQUIRED_TO_CREATE; a sheet's row has no later step for the address and phone.
IMPORT_REQUIRED = (*REQUIRED_TO_CREATE, "village", "phone")


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
    raw: dict, *, today: datetime.date, job_types: _JobTypes, notes: list[str] | None = None
) -> tuple[dict, dict[str, list[str]]]:
    """Turn one row's cells into Candidate field values; return them with the reading errors.
    What was settled on the row's behalf (a kecamatan taken from the kelurahan) goes in `notes`."""
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
    place_errors = _place(raw, data, notes)
    if place_errors:
        errors["village"].extend(place_errors)
    return data, {k: v for k, v in errors.items() if v}


def _place(raw: dict, data: dict, notes: list[str] | None = None) -> list[str]:
    """Kecamatan and kelurahan by name, forgiving case and small misspellings. A kecamatan written
    short or otherwise unrecognised ('Cipocok', 'Kota Serang') is taken from the kelurahan when
    that kelurahan lies in one kecamatan only (said in `notes`); otherwise the nearest kecamatan
    name is suggested."""
    district_name, village_name = _text(raw.get("district")), _text(raw.get("village"))
    district = match_district(district_name) if district_name else None
    if district_name and district is None:
        settled = _district_from_village(village_name)
        if settled is None:
            return [_district_unknown(district_name)]
        district, village = settled
        if notes is not None:
            notes.append(
                _(
                    "Kecamatan ditetapkan dari kelurahan %(village)s: Kecamatan %(district)s (tertulis '%(written)s')."
                )
                % {
                    "village": _place_name(village),
                    "district": _district_names()[district],
                    "written": district_name,
                }
            )
    if not village_name:
        data["village"] = None
        return []
    if not district and len(places := village_districts(village_name)) > 1:
        names = _district_names()
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


def _district_names() -> dict[str, str]:
    return dict(home_districts().values_list("code", "name"))


def _place_name(village_code: str) -> str:
    return home_villages().get(code=village_code).name


def _district_from_village(village_name: str) -> tuple[str, str] | None:
    """(kecamatan code, kelurahan code) when the kelurahan named lies in one kecamatan only."""
    if not village_name or len(village_districts(village_name)) > 1:
        return None
    village = match_village(village_name)
    if village is None:
        return None
    return home_village_districts()[village], village


def _letters_only(name: str) -> str:
    name = re.sub(r"^\s*(kec(amatan)?)[.\s]+", "", name, flags=re.I)
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def _district_unknown(written: str) -> str:
    """'not in the programme's area', with the nearest kecamatan name when one is near enough
    (difflib), or the one the name begins ('Cipocok' for 'Cipocok Jaya')."""
    message = _("Kecamatan '%(name)s' tidak ada di wilayah program. Periksa ejaannya.") % {
        "name": written
    }
    names = {_letters_only(name): name for name in _district_names().values()}
    key = _letters_only(written)
    near = [names[k] for k in names if key and (k.startswith(key) or key.startswith(k))]
    if len(near) != 1:
        near = [names[k] for k in difflib.get_close_matches(key, names, n=1, cutoff=0.5)]
    if near:
        message += " " + _("Maksud Anda: %(name)s?") % {"name": near[0]}
    return message


@dataclass
class _Row:
    result: RowResult
    checked: CheckResult  # what `registration_check` made of the row

    @property
    def data(self) -> dict:
        return self.checked.data


@dataclass
class _Checked:
    all: list[_Row]
    valid: list[_Row]


def _check_batch(batch, *, today, job_types, seen_niks) -> _Checked:
    rows = []
    for number, raw in batch:
        notes: list[str] = []
        data, read_errors = row_parse(raw, today=today, job_types=job_types, notes=notes)
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
        result.warnings = notes + checked.warning_messages()
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


def _registered(result: RowResult) -> None:
    result.outcome = Outcome.DUPLICATE
    result.reasons = [_("NIK sudah terdaftar di Jalur; data yang ada tidak diubah.")]

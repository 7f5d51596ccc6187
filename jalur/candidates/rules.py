"""The registration rules, in one place: the self-registration steps, walk-in registration, staff
edits and the Excel import all check a candidate's data here.

`candidate_data_check(data, today=…)` takes raw values keyed by Candidate field names, returns them
normalised, with every error (blocking) and warning (for an officer to confirm) per field, each in
plain Indonesian that says what to fix. Only the keys present are checked, so one step of the form
checks only its own fields; rules that need two fields run when both are present.

The rules of identity themselves (NIK, KK, the minimum age of 18) are `jalur.rules.identity`; this
module adds what needs the database (region codes, the programme's kelurahan) and the form's own
checks (names, phones, numbers, preferences). Background: docs/law.md §7.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from jalur.core.phone import normalize_phone
from jalur.regions.selectors import nik_region_parts_known
from jalur.rules import identity
from jalur.rules.identity import nik_birth_mismatch
from jalur.rules.jobs import COUNTRY_NAMES, country_name

from .models import Education, MaritalStatus, Religion, Sex

_SEPARATORS = re.compile(r"[\s.\-_']")
_DIGITS = re.compile(r"^\d+$")
_NAME_FORBIDDEN = re.compile(r"[0-9@#$%^*_=+<>{}\[\]|\\/~`\"]")
_SPACES = re.compile(r"\s+")

# Countries where people from Banten commonly worked before (ISO 3166 alpha-2; ZZ = another one).
PRIOR_COUNTRIES = [
    ("MY", "Malaysia"),
    ("SA", "Arab Saudi"),
    ("TW", "Taiwan"),
    ("HK", "Hong Kong"),
    ("SG", "Singapura"),
    ("KR", "Korea Selatan"),
    ("JP", "Jepang"),
    ("AE", "Uni Emirat Arab"),
    ("QA", "Qatar"),
    ("KW", "Kuwait"),
    ("OM", "Oman"),
    ("BN", "Brunei Darussalam"),
    ("TR", "Turki"),
    ("PL", "Polandia"),
    ("ZZ", "Negara lain"),
]
PRIOR_COUNTRY_CODES = {code for code, _label in PRIOR_COUNTRIES}

# The parts of a registration, in the order of the self-registration steps, with the fields a
# registration needs before it can be sent for verification.
SECTIONS: dict[str, tuple[str, ...]] = {
    "identity": (
        "nik",
        "kk_number",
        "full_name",
        "birth_place",
        "birth_date",
        "sex",
        "religion",
        "marital_status",
    ),
    "address": (
        "village",
        "rt",
        "rw",
        "street",
        "phone",
        "email",
        "emergency_name",
        "emergency_relation",
        "emergency_phone",
    ),
    "education": (
        "education_level",
        "education_major",
        "work_experience",
        "experience_years",
        "height_cm",
        "weight_kg",
        "prior_abroad_country",
        "prior_abroad_years",
    ),
    "preferences": ("preferred_countries", "preferred_job_types"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "identity": (
        "nik",
        "kk_number",
        "full_name",
        "birth_place",
        "birth_date",
        "sex",
        "marital_status",
    ),
    "address": (
        "village",
        "rt",
        "rw",
        "street",
        "phone",
        "emergency_name",
        "emergency_relation",
        "emergency_phone",
    ),
    "education": ("education_level",),
    "preferences": ("preferred_countries", "preferred_job_types"),
}
# What a record needs to exist at all (the rest can follow step by step).
REQUIRED_TO_CREATE = ("nik", "full_name", "birth_date", "sex")

# field -> (minimum, maximum)
_RANGES = {
    "height_cm": (100, 230),
    "weight_kg": (30, 200),
    "experience_years": (0, 60),
    "prior_abroad_years": (0, 50),
}


@dataclass
class CheckResult:
    data: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def warn(self, name: str, message: str) -> None:
        self.warnings.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_errors(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def messages(self) -> list[str]:
        return [m for messages in self.errors.values() for m in messages]

    def warning_messages(self) -> list[str]:
        return [m for messages in self.warnings.values() for m in messages]


def digits_only(raw) -> str:
    """'3673 0157.0598-0001' -> '3673015705980001'; numbers typed into spreadsheets lose '.0'."""
    if raw is None:
        return ""
    text = str(raw).strip()
    if text.endswith(".0") and _DIGITS.match(text[:-2].replace(" ", "")):
        text = text[:-2]
    return _SEPARATORS.sub("", text)


def nik_errors(nik: str) -> list[str]:
    """Every structural problem of a NIK (already stripped of spaces and dots), in Indonesian
    (`jalur.rules.identity.nik_problems`, with the region codes looked up here)."""
    problems = identity.nik_format_problems(nik)
    if problems:
        return problems
    return identity.nik_problems(nik, region_known=nik_region_parts_known(nik[:6]))


@lru_cache(maxsize=4)
def _home_villages(home_region: str) -> dict[str, str]:
    """{kelurahan code: kecamatan code} for the home region (reference data; never edited live)."""
    from jalur.regions.models import Village

    return dict(
        Village.objects.filter(district__regency_id=home_region).values_list("code", "district_id")
    )


def home_village_districts() -> dict[str, str]:
    return _home_villages(settings.JALUR_HOME_REGION)


def normalize_name(raw) -> str:
    """Single spaces; a name typed all in lower case or all in capitals (as on the KTP) is written
    with a capital at the start of each word, as it is printed on letters and certificates. A name
    already in mixed case is left as typed."""
    name = _SPACES.sub(" ", str(raw or "")).strip()
    if name == name.lower() or name == name.upper():
        name = " ".join(
            "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
            for word in name.split(" ")
        )
    return name


def _code(value) -> str:
    return str(getattr(value, "pk", value) or "")


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def candidate_data_check(
    data: dict,
    *,
    today: datetime.date,
    require: Iterable[str] = (),
) -> CheckResult:
    """Check and normalise `data` (keys are Candidate field names; see the module docstring)."""
    result = CheckResult()
    out = result.data
    for name in require:
        if _blank(data.get(name)):
            result.error(name, _("Wajib diisi."))

    if "nik" in data and not _blank(data["nik"]):
        nik = digits_only(data["nik"])
        problems = nik_errors(nik)
        for message in problems:
            result.error("nik", message)
        if not problems:
            out["nik"] = nik

    if "kk_number" in data:
        kk = digits_only(data["kk_number"])
        problem = identity.kk_problem(kk)
        if problem:
            result.error("kk_number", problem)
        elif kk:
            known = all(nik_region_parts_known(kk[:6])[:2])
            warning = identity.kk_region_warning(kk, region_known=known)
            if warning:
                result.warn("kk_number", warning)
        out["kk_number"] = kk

    for name in ("full_name", "emergency_name"):
        if name in data:
            value = normalize_name(data[name])
            if value and _NAME_FORBIDDEN.search(value):
                result.error(name, _("Nama hanya boleh berisi huruf, spasi, titik, koma dan '-'."))
            elif name == "full_name" and value and len(value) < 2:
                result.error(name, _("Tulis nama lengkap sesuai KTP."))
            out[name] = value

    for name in ("birth_place", "emergency_relation", "education_major", "street"):
        if name in data:
            out[name] = normalize_name(data[name])
    if "work_experience" in data:
        out["work_experience"] = str(data["work_experience"] or "").strip()

    if "birth_date" in data and data["birth_date"]:
        birth = data["birth_date"]
        problem = identity.birth_date_problem(birth, today=today)
        if problem:
            result.error("birth_date", problem)
        out["birth_date"] = birth

    if "sex" in data and data["sex"]:
        if data["sex"] in Sex.values:
            out["sex"] = data["sex"]
        else:
            result.error("sex", _("Pilih jenis kelamin: L (laki-laki) atau P (perempuan)."))

    for name, choices, message in (
        ("religion", Religion, _("Pilih agama dari daftar, atau kosongkan.")),
        ("marital_status", MaritalStatus, _("Pilih status perkawinan dari daftar.")),
        ("education_level", Education, _("Pilih pendidikan terakhir dari daftar.")),
    ):
        if name in data:
            value = data[name] or ""
            if value and value not in choices.values:
                result.error(name, message)
            out[name] = value

    _check_contact(data, result)
    _check_address(data, result)
    _check_numbers(data, result)
    _check_preferences(data, result)
    _check_cross_fields(data, result, today)
    return result


def _check_contact(data: dict, result: CheckResult) -> None:
    for name in ("phone", "emergency_phone"):
        if name not in data:
            continue
        raw = str(data[name] or "").strip()
        if not raw:
            result.data[name] = ""
            continue
        phone = normalize_phone(raw)
        if phone is None:
            digits = digits_only(raw)
            if digits.startswith("02") or digits.startswith("622"):
                message = _(
                    "Ini nomor telepon rumah/kantor. Isi nomor HP (WhatsApp) yang diawali 08."
                )
            else:
                message = _(
                    "Nomor HP tidak valid. Tulis nomor HP Indonesia yang diawali 08 atau +62 8, misalnya 0812-3456-7890."
                )
            result.error(name, message)
        else:
            result.data[name] = phone
    own, family = result.data.get("phone"), result.data.get("emergency_phone")
    if own and own == family:
        # The family number is how the office reaches someone when the worker cannot be reached.
        result.error(
            "emergency_phone",
            _("Nomor HP keluarga harus nomor orang lain, bukan nomor Anda sendiri."),
        )
    if "email" in data:
        email = str(data["email"] or "").strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                result.error("email", _("Alamat e-mail tidak valid, contoh: nama@gmail.com."))
        result.data["email"] = email


def _check_address(data: dict, result: CheckResult) -> None:
    villages = home_village_districts()
    district = _code(data.get("district")) if "district" in data else None
    if district and district not in set(villages.values()):
        result.error(
            "district",
            _("Kecamatan ini tidak ada di wilayah program. Pilih kecamatan dari daftar."),
        )
        district = None
    elif district:
        result.data["district_id"] = district
    if "village" in data:
        village = _code(data["village"])
        if not village:
            result.data["village_id"] = None
        elif village not in villages:
            # Domicile is decided by the kelurahan of the address, never by the NIK prefix.
            result.error(
                "village",
                _(
                    "Alamat harus di salah satu kelurahan di wilayah program. Pilih kelurahan tempat Anda tinggal sekarang."
                ),
            )
        elif district and villages[village] != district:
            result.error(
                "village",
                _(
                    "Kelurahan ini tidak berada di kecamatan yang dipilih. Periksa kecamatan atau kelurahan."
                ),
            )
        else:
            result.data["village_id"] = village
            result.data["district_id"] = villages[village]
    for name in ("rt", "rw"):
        if name in data:
            value = digits_only(data[name])
            if value and (not _DIGITS.match(value) or len(value) > 3 or int(value) == 0):
                result.error(
                    name, _("Tulis angka %(what)s, misalnya 003.") % {"what": name.upper()}
                )
            else:
                result.data[name] = value.zfill(3) if value else ""


def _check_numbers(data: dict, result: CheckResult) -> None:
    for name, (low, high) in _RANGES.items():
        if name not in data:
            continue
        value = data[name]
        if value in (None, ""):
            result.data[name] = 0 if name in ("experience_years", "prior_abroad_years") else None
            continue
        if not low <= value <= high:
            result.error(
                name,
                _("Isi angka antara %(low)s dan %(high)s.") % {"low": low, "high": high},
            )
        else:
            result.data[name] = value
    if "prior_abroad_country" in data or "prior_abroad_years" in data:
        country = str(data.get("prior_abroad_country") or "").upper()
        if country and country not in PRIOR_COUNTRY_CODES:
            result.error("prior_abroad_country", _("Pilih negara dari daftar."))
        if "prior_abroad_country" in data:
            result.data["prior_abroad_country"] = country
        years = data.get("prior_abroad_years") or 0
        if years and not country:
            result.error(
                "prior_abroad_country", _("Isi negara tempat Anda pernah bekerja di luar negeri.")
            )
        if country and not years:
            result.error(
                "prior_abroad_years", _("Isi berapa tahun Anda bekerja di luar negeri (boleh 0,5).")
            )


def _check_preferences(data: dict, result: CheckResult) -> None:
    if "preferred_countries" in data:
        countries = list(dict.fromkeys(data["preferred_countries"] or []))
        unknown = [c for c in countries if c not in COUNTRY_NAMES]
        if unknown:
            result.error(
                "preferred_countries",
                _("Negara tujuan program ini hanya: %(list)s.")
                % {"list": ", ".join(str(name) for name in COUNTRY_NAMES.values())},
            )
        result.data["preferred_countries"] = [c for c in countries if c in COUNTRY_NAMES]
    if "preferred_job_types" in data:
        result.data["preferred_job_types"] = list(data["preferred_job_types"] or [])


def _check_cross_fields(data: dict, result: CheckResult, today: datetime.date) -> None:
    nik = result.data.get("nik")
    if not nik:
        return
    sex = data.get("sex")
    if sex in Sex.values:
        problem = identity.nik_sex_problem(nik, female=sex == Sex.FEMALE)
        if problem:
            result.error("sex", problem)
    birth = data.get("birth_date")
    if birth and "birth_date" not in result.errors:
        mismatch = nik_birth_mismatch(nik, birth, today=today)
        if mismatch:
            result.warn("birth_date", mismatch)


def job_route_problems(jobs, countries, routes: dict[int, set[str]]) -> list[str]:
    """The legal-route rule for preferences, for the forms and the import alike: a job type with
    no open pathway cannot be chosen, and one chosen with countries needs one of the countries its
    pathways lead to. `jobs`: (pk, name) pairs; `routes`: routes.job_type_countries()."""
    countries = set(countries or [])
    problems = []
    for pk, name in jobs:
        reach = routes.get(pk, set())
        if not reach:
            problems.append(
                _("Saat ini belum ada jalur resmi untuk %(job)s; pilih pekerjaan lain.")
                % {"job": name}
            )
        elif countries and not countries & reach:
            problems.append(
                _(
                    "Untuk %(job)s saat ini hanya ada jalur resmi ke %(countries)s. Pilih negara itu juga, atau pekerjaan lain."
                )
                % {"job": name, "countries": ", ".join(country_name(c) for c in sorted(reach))}
            )
    return problems

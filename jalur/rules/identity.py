"""Identity rules: the NIK and KK numbers, and the age a migrant worker must have.

- NIK (Nomor Induk Kependudukan): 16 digits `PP KK CC DD MM YY SSSS`: the province, kabupaten/kota
  and kecamatan where the NIK was first registered (not where the person lives: never require the
  city's own prefix), the day of birth (women + 40), month and two-digit year of birth, and a serial
  from 0001. The NIK is for life and is not changed when a birth date is corrected, so a birth date
  that differs from the NIK's is a warning for an officer, not an error.
- KK (Kartu Keluarga) number: 16 digits, the first six the region where it was issued; the rest is
  not checked.
- Age: at least 18 on the day of registration (UU 18/2017 Pasal 5 huruf a); above 80 the birth year
  is almost certainly mistyped.

The region codes are reference data in the database: the caller looks the first six digits up and
passes whether each part is known.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule

MINIMUM_AGE = 18
MAXIMUM_AGE = 80  # above this the birth year is almost certainly mistyped

_DIGITS = re.compile(r"^\d+$")


# --- age -------------------------------------------------------------------------------------------


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    """Whole years of age on `on` (someone born on 29 February turns a year older on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@rule(
    title=gettext_lazy("Umur minimal 18 tahun saat mendaftar"),
    sources=(sources.MINIMUM_AGE,),
)
def birth_date_problem(birth_date: datetime.date, *, today: datetime.date) -> str:
    """Empty, or why the birth date cannot be registered: in the future, under 18 on the day of
    registration, or over 80 (a mistyped year)."""
    if birth_date > today:
        return _("Tanggal lahir tidak boleh di masa depan.")
    age = age_on(birth_date, today)
    if age < MINIMUM_AGE:
        return _(
            "Usia minimal %(min)d tahun pada hari pendaftaran; menurut tanggal lahir ini usianya "
            "%(age)d tahun."
        ) % {"min": MINIMUM_AGE, "age": age}
    if age > MAXIMUM_AGE:
        return _("Menurut tanggal lahir ini usianya %(age)d tahun. Periksa tahun lahir.") % {
            "age": age
        }
    return ""


# --- NIK -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NikParts:
    region: str  # six digits
    day: int  # as printed (women + 40)
    month: int
    year2: int
    serial: str

    @property
    def is_female(self) -> bool:
        return self.day > 40

    @property
    def birth_day(self) -> int:
        return self.day - 40 if self.day > 40 else self.day


def nik_split(nik: str) -> NikParts:
    return NikParts(
        region=nik[:6],
        day=int(nik[6:8]),
        month=int(nik[8:10]),
        year2=int(nik[10:12]),
        serial=nik[12:],
    )


def nik_build(
    *, district_code: str, birth_date: datetime.date, female: bool, serial: int = 1
) -> str:
    """A NIK for a person first registered in `district_code` (dotted, e.g. 36.73.01)."""
    day = birth_date.day + (40 if female else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def nik_birth_date(nik: str, *, today: datetime.date) -> datetime.date | None:
    """The birth date a NIK encodes, or None if the digits do not make a date.

    The century is not encoded: a two-digit year after this year's means the 1900s.
    """
    parts = nik_split(nik)
    century = 1900 if parts.year2 > today.year % 100 else 2000
    try:
        return datetime.date(century + parts.year2, parts.month, parts.birth_day)
    except ValueError:
        return None


def nik_format_problems(nik: str) -> list[str]:
    """Whether the NIK (stripped of spaces and dots) is 16 digits; [] when it is."""
    if not _DIGITS.match(nik or ""):
        return [_("NIK hanya boleh berisi angka.")]
    if len(nik) != 16:
        return [
            _("NIK harus 16 angka; yang diisi %(n)d angka. Salin persis dari KTP atau KK.")
            % {"n": len(nik)}
        ]
    return []


@rule(
    title=gettext_lazy("Susunan NIK"),
    sources=(sources.ADMINDUK_NIK, sources.NIK_LAYOUT),
)
def nik_problems(nik: str, *, region_known: tuple[bool, bool, bool]) -> list[str]:
    """Every structural problem of a NIK, in plain Indonesian; [] for a well-formed one.

    `region_known` says whether the province, kabupaten/kota and kecamatan of the first six digits
    are known (current or historical codes). The day is 01–31 for men and 41–71 for women and must
    exist in its month (29 February always does: the century is not encoded); the serial is never
    0000.
    """
    problems = nik_format_problems(nik)
    if problems:
        return problems
    province, regency, district = region_known
    if not province:
        problems.append(
            _("Kode provinsi di NIK (angka ke-1–2: %(code)s) tidak dikenal. Periksa lagi NIK Anda.")
            % {"code": nik[:2]}
        )
    elif not regency:
        problems.append(
            _(
                "Kode kabupaten/kota di NIK (angka ke-3–4: %(code)s) tidak ada di provinsi itu. Periksa lagi NIK Anda."
            )
            % {"code": nik[2:4]}
        )
    elif not district:
        problems.append(
            _(
                "Kode kecamatan di NIK (angka ke-5–6: %(code)s) tidak dikenal, juga di daftar kode lama. Periksa lagi NIK Anda."
            )
            % {"code": nik[4:6]}
        )
    parts = nik_split(nik)
    if not (1 <= parts.day <= 31 or 41 <= parts.day <= 71):
        problems.append(
            _(
                "Tanggal lahir di NIK (angka ke-7–8: %(day)s) tidak mungkin: laki-laki 01–31, perempuan 41–71."
            )
            % {"day": nik[6:8]}
        )
    elif not 1 <= parts.month <= 12:
        problems.append(
            _("Bulan lahir di NIK (angka ke-9–10: %(month)s) harus 01–12.") % {"month": nik[8:10]}
        )
    # 29 February is allowed: the century is not encoded, and 2000 was a leap year.
    elif parts.birth_day > calendar.monthrange(2000, parts.month)[1]:
        problems.append(
            _("Tanggal lahir di NIK (%(day)02d-%(month)02d) tidak ada di kalender.")
            % {"day": parts.birth_day, "month": parts.month}
        )
    if parts.serial == "0000":
        problems.append(_("Nomor urut NIK (4 angka terakhir) tidak boleh 0000."))
    return problems


@rule(
    title=gettext_lazy("Jenis kelamin sesuai NIK"),
    sources=(sources.NIK_LAYOUT,),
)
def nik_sex_problem(nik: str, *, female: bool) -> str:
    """Empty when the sex matches the NIK (women's day of birth + 40), else what to check."""
    if female == nik_split(nik).is_female:
        return ""
    if not female:
        return _(
            "Jenis kelamin tidak cocok dengan NIK: NIK ini milik perempuan (tanggal lahir di NIK ditambah 40). Periksa NIK atau jenis kelamin."
        )
    return _(
        "Jenis kelamin tidak cocok dengan NIK: pada NIK perempuan, tanggal lahir ditambah 40 (misalnya 57 untuk tanggal 17). Periksa NIK atau jenis kelamin."
    )


@rule(
    title=gettext_lazy("Tanggal lahir berbeda dengan NIK hanya peringatan"),
    sources=(sources.ADMINDUK_NIK, sources.NIK_LAYOUT),
)
def nik_birth_mismatch(nik: str, birth_date: datetime.date, *, today: datetime.date) -> str:
    """A warning when the birth date differs from the NIK's, else ''. The century is not compared.

    A NIK is for life and is not reissued when a birth date is corrected, so a difference is for an
    officer to check against the KTP, never a refusal.
    """
    parts = nik_split(nik)
    if (parts.birth_day, parts.month, parts.year2) == (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ):
        return ""
    encoded = nik_birth_date(nik, today=today)
    shown = f"{encoded:%d-%m-%Y}" if encoded else nik[6:12]
    return _(
        "Tanggal lahir di NIK (%(nik_date)s) berbeda dengan tanggal lahir yang diisi (%(given)s). Ini boleh terjadi, tetapi petugas harus mencocokkannya dengan KTP."
    ) % {"nik_date": shown, "given": f"{birth_date:%d-%m-%Y}"}


# --- KK --------------------------------------------------------------------------------------------


@rule(
    title=gettext_lazy("Nomor Kartu Keluarga"),
    sources=(sources.ADMINDUK_NIK,),
)
def kk_problem(kk: str) -> str:
    """Empty when the KK number (stripped of spaces and dots) is empty or 16 digits, else what to fix.

    Only the length is an error; an unknown region prefix is a warning (`kk_region_warning`), and
    the rest of the number is not checked.
    """
    if kk and (not _DIGITS.match(kk) or len(kk) != 16):
        return _("Nomor KK harus 16 angka; yang diisi %(n)d. Salin dari Kartu Keluarga.") % {
            "n": len(kk)
        }
    return ""


def kk_region_warning(kk: str, *, region_known: bool) -> str:
    """A warning when the first six digits of a 16-digit KK name no known province and regency."""
    if not kk or region_known:
        return ""
    return _(
        "Kode wilayah di nomor KK (%(code)s) tidak dikenal. Pastikan sesuai Kartu Keluarga."
    ) % {"code": kk[:6]}

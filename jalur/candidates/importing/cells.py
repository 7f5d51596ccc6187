"""Reading one cell forgivingly: NIKs kept as numbers, dates in five shapes, L/P and other
choices written in many ways, numbers with units. Each reader returns (value, error), the
error in Indonesian saying what to write instead."""

import datetime
import re

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from ..models import Education, MaritalStatus, Religion, Sex
from ..rules import digits_only

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

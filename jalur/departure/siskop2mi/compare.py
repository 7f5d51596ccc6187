"""Comparing a SISKOP2MI export with Jalur, person by person (by NIK), field by field.

Plain Python over plain values: `Person` is what Jalur holds of someone, a file row is {field:
text}. Each field is compared as its kind of value is written differently in two systems: a name
by its letters (case, spaces and punctuation aside), the ID PMI and the passport by their letters
and digits (`rules.documents.identity_number_key`), the country by the country it names ("JEPANG",
"Japan" and "JP" are one), the position and the P3MI by their words ("PT" aside). SISKOP2MI's
status has its own vocabulary, so it is shown next to Jalur's stage and never counted as a
difference.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jalur.rules import documents, identity

from .models import RowCategory

COMPARED = ("name", "id_pmi", "passport", "country", "position", "agency")
# What an officer may accept from SISKOP2MI into Jalur (through the existing services); the other
# differences are for SISKOP2MI or the P3MI to fix.
ACCEPTABLE = ("id_pmi", "passport")

COUNTRY_NAMES = {
    "JP": ("jp", "jpn", "jepang", "japan", "nihon", "nippon"),
    "KR": ("kr", "kor", "korea", "korea selatan", "korsel", "south korea", "republic of korea"),
}
_COUNTRY = {name: code for code, names in COUNTRY_NAMES.items() for name in names}


@dataclass(frozen=True)
class Person:
    candidate_id: int
    nik: str
    name: str
    id_pmi: str = ""
    passport: str = ""
    country: str = ""  # a Country code ("JP")
    position: str = ""
    agency: str = ""
    stage: str = ""  # Jalur's stage, in words

    def values(self) -> dict:
        return {
            "nik": self.nik,
            "name": self.name,
            "id_pmi": self.id_pmi,
            "passport": self.passport,
            "country": self.country,
            "position": self.position,
            "agency": self.agency,
            "status": self.stage,
        }


@dataclass
class Outcome:
    category: str
    line: int | None = None
    person: Person | None = None
    row: dict = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)
    note: str = ""


def _words(value: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", str(value or "").casefold()))


def _agency(value: str) -> str:
    return re.sub(r"^(pt|p t)\s+", "", _words(value))


def country_code(value: str) -> str:
    """A country as its code: "Jepang", "JAPAN" and "jp" are "JP"; an unknown name stays words."""
    words = _words(value)
    return _COUNTRY.get(words, words.upper() if len(words) == 2 else words)


KEYS = {
    "name": _words,
    "id_pmi": documents.identity_number_key,
    "passport": documents.identity_number_key,
    "country": country_code,
    "position": _words,
    "agency": _agency,
}


def nik_key(value) -> str:
    """A NIK as written, without the spaces, dots and dashes that group its digits."""
    return re.sub(r"[\s.-]", "", str(value or ""))


def differences(person: Person, row: dict, columns) -> list[str]:
    """The compared fields (of those the file has) whose values differ, one side empty included."""
    values = person.values()
    return [
        name
        for name in COMPARED
        if name in columns and KEYS[name](values[name]) != KEYS[name](row.get(name, ""))
    ]


def compare(
    rows: list[tuple[int, dict]],
    columns,
    found: dict[str, Person],
    expected: dict[str, Person],
) -> list[Outcome]:
    """Sort the file's rows and Jalur's people: each row matched (the same in every compared field,
    or with its differences), in SISKOP2MI only (no one in Jalur with that NIK), or unreadable (no
    valid NIK, or the NIK twice in the file); then each person of `expected` (Jalur's people at
    the departure stages) the file does not name. `found` holds Jalur's people by NIK for the NIKs
    in the file."""
    outcomes, seen = [], set()
    for line, row in rows:
        nik = nik_key(row.get("nik"))
        problems = identity.nik_format_problems(nik) if nik else [_("NIK kosong.")]
        if problems:
            outcomes.append(Outcome(RowCategory.UNREADABLE, line, row=row, note=problems[0]))
            continue
        if nik in seen:
            note = _("NIK ini sudah ada di baris sebelumnya dalam berkas yang sama.")
            outcomes.append(Outcome(RowCategory.UNREADABLE, line, row=row, note=note))
            continue
        seen.add(nik)
        person = found.get(nik)
        if person is None:
            outcomes.append(Outcome(RowCategory.ONLY_SISKOP2MI, line, row=row))
            continue
        differing = differences(person, row, columns)
        category = RowCategory.DIFFERENT if differing else RowCategory.MATCHED
        outcomes.append(Outcome(category, line, person, row, differing))
    for nik, person in expected.items():
        if nik not in seen:
            outcomes.append(Outcome(RowCategory.ONLY_JALUR, person=person))
    return outcomes

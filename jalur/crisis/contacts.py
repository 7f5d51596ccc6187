"""The directory of the Indonesian missions and helplines a worker in Korea or Japan can call
(`data/contacts.json`: each entry with its source and the date it was checked; numbers that could
not be verified from a source are left out and named in "not_listed")."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "contacts.json"
COUNTRIES = ("KR", "JP")


@dataclass(frozen=True)
class Number:
    label: str
    number: str
    sos: bool  # one of the few numbers the SOS reply gives

    @property
    def tel(self) -> str:
        """The number for a tel: link (digits and a leading +)."""
        return "".join(c for c in self.number if c.isdigit() or c == "+")


@dataclass(frozen=True)
class Contact:
    code: str
    country: str  # "KR", "JP", or "" for Indonesia's own lines (any country)
    name: str
    kind: str
    numbers: tuple[Number, ...]
    address: str
    sources: tuple[tuple[str, str], ...]  # (url, checked on)


@cache
def directory() -> tuple[Contact, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(
        Contact(
            code=entry["code"],
            country=entry["country"],
            name=entry["name"],
            kind=entry["kind"],
            numbers=tuple(Number(**n) for n in entry["numbers"]),
            address=entry.get("address", ""),
            sources=tuple((s["url"], s["checked_on"]) for s in entry["sources"]),
        )
        for entry in data["contacts"]
    )


def contacts_for(country: str | None) -> list[Contact]:
    """The entries for a worker in `country` (its own, then Indonesia's); every entry when the
    country is unknown."""
    if country not in COUNTRIES:
        return list(directory())
    own = [c for c in directory() if c.country == country]
    return own + [c for c in directory() if not c.country]


def sos_lines(country: str | None) -> list[str]:
    """The short list the SOS reply gives: the numbers marked for it, for the worker's country
    (both countries' missions when it is unknown), and Indonesia's call centre."""
    lines = []
    for contact in contacts_for(country):
        for number in contact.numbers:
            if number.sos and (country in COUNTRIES or contact.kind != "host_helpline"):
                lines.append(f"{contact.name.split(' (')[0]}: {number.number}")
    return lines

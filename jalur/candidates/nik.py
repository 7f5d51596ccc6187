"""NIK (Nomor Induk Kependudukan): layout PP KK CC DDMMYY SSSS, women's day + 40.

See shared/domain/identity_and_phone.md §1. The first six digits name where the NIK was first
registered, not where the person lives.
"""

import datetime
from dataclasses import dataclass


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

"""The recruitment permit (SIP2MI): a job order recruits only within a permit valid on the day, and
all the orders on one permit together hold no more positions than its quota.

The SIP2MI is the ministry's document (PP 59/2021 Pasal 35 huruf l): its quota and its validity are
the figures written on it. Jalur records them from the permit and changes them only after the labour
office has checked the new permit's scan; until then the figures on record are the ones that count.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule


@dataclass(frozen=True)
class PermitProblem:
    """One way a job order fails its permit: a code for the page and tests, and what to do."""

    code: str  # permit_not_yet_valid, permit_expired, permit_quota
    message: str


def _date(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


@rule(title=gettext_lazy("SIP2MI: kuota dan masa berlaku"), sources=(sources.SIP2MI,))
def permit_problems(
    *,
    number: str,
    quota: int,
    used: int,
    positions: int,
    on: datetime.date,
    issued_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> list[PermitProblem]:
    """What stops a job order for `positions` places from recruiting under a permit on `on`.

    The permit must be valid on the day (issued on or before it, not ended before it), and the
    positions must fit in what is left of its quota: `positions <= quota - used`, where `used` is
    what the permit's other orders already hold. An empty list means the order may use the permit.
    """
    basis = sources.SIP2MI.cite()
    problems = []
    if issued_on is not None and issued_on > on:
        problems.append(
            PermitProblem(
                "permit_not_yet_valid",
                _("SIP2MI %(number)s baru berlaku mulai %(date)s (%(basis)s).")
                % {"number": number, "date": _date(issued_on), "basis": basis},
            )
        )
    if valid_until is not None and valid_until < on:
        problems.append(
            PermitProblem(
                "permit_expired",
                _(
                    "SIP2MI %(number)s berakhir pada %(date)s (%(basis)s). Ajukan perubahan "
                    "SIP2MI dengan scan SIP2MI yang diperpanjang, atau pakai SIP2MI lain."
                )
                % {"number": number, "date": _date(valid_until), "basis": basis},
            )
        )
    left = quota - used
    if positions > left:
        problems.append(
            PermitProblem(
                "permit_quota",
                _(
                    "Jumlah lowongan (%(positions)s) melebihi sisa kuota SIP2MI %(number)s: kuota "
                    "%(quota)s, sudah dipakai %(used)s, sisa %(left)s (%(basis)s)."
                )
                % {
                    "positions": positions,
                    "number": number,
                    "quota": quota,
                    "used": used,
                    "left": max(left, 0),
                    "basis": basis,
                },
            )
        )
    return problems

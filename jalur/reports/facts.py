"""What one candidate counts for in the summary tables: the definitions every figure rests on.

These are the only definitions; the live update, the rebuild and the tests all use them.

- Destination and job type: from the order of the candidate's accepted application when there is
  one, else from their active pathway assignment, else from their own preferences (first country they
  named; the preferred job type that comes first in the job-type list). Each of the three (country,
  pathway, job type) comes from the first source that has it.
- Registration month and age band: the month the record was created and the age on that day.
- Stage reached: every stage the history shows the candidate entering, plus the current stage.
- Days in a stage: each finished stay, from entering a stage to the next move, in the month it ended.
- Where someone lives: their kecamatan when it is in the home kab/kota (`JALUR_HOME_REGION`), else
  their kab/kota when it is in the home province, else their province (`district_counted`), so a
  register spread over all of Indonesia counts at most a few dozen places, not 7,285 kecamatan.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.candidates.stages import Stage
from jalur.rules.identity import age_on

S = Stage

# Breakdowns split every group of people into these three.
PROCESS, DEPARTED, STOPPED = "process", "departed", "stopped"
GROUPS = (PROCESS, DEPARTED, STOPPED)
GROUP_LABELS = {
    PROCESS: _("Masih berproses"),
    DEPARTED: _("Sudah berangkat"),
    STOPPED: _("Berhenti atau ditolak"),
}
STAGE_GROUP = dict.fromkeys(Stage.values, PROCESS) | {
    S.DEPARTED: DEPARTED,
    S.RETURNED: DEPARTED,
    S.REJECTED: STOPPED,
    S.WITHDRAWN: STOPPED,
}

# Stages whose "first" tally counts every entry, not only the first: a departure is a departure,
# also a returnee's second (Candidate.cycle).
EACH_ENTRY_COUNTED = frozenset({S.DEPARTED})

# Age on the day of registration, in the bands the labour office reports.
AGE_BANDS: list[tuple[int, int | None, str]] = [
    (0, 17, "<18"),
    (18, 24, "18-24"),
    (25, 29, "25-29"),
    (30, 34, "30-34"),
    (35, 39, "35-39"),
    (40, 44, "40-44"),
    (45, None, "45+"),
]
AGE_BAND_ORDER = [band for _low, _high, band in AGE_BANDS]

# Breakdown dimensions counted per registration month, and their order on the page.
BREAKDOWNS = ("country", "pathway", "job_type", "district", "sex", "age")

# Stays longer than this are counted as this many days (the average still uses exact durations).
DWELL_DAYS_CAP = 365


def age_band(birth_date: datetime.date | None, day: datetime.date) -> str:
    if birth_date is None:
        return ""
    age = age_on(birth_date, day)
    for low, high, band in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return band
    return ""


def local_date(moment: datetime.datetime) -> datetime.date:
    """The date in the installation's time zone (Asia/Jakarta), whoever is looking."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(timezone.get_default_timezone()).date()


def month_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.get_default_timezone())
        return datetime.date(moment.year, moment.month, 1)
    return datetime.date(moment.year, moment.month, 1)


@lru_cache(maxsize=16_384)
def district_counted(district: str | None, home: str) -> str:
    """The place a kecamatan code ("36.73.01") is counted under, seen from the home kab/kota `home`
    ("36.73"): the kecamatan itself at home, its kab/kota ("36.04") elsewhere in the home province,
    its province ("32") elsewhere; "" when not known. recount.py writes the same in SQL."""
    if not district:
        return ""
    if district.startswith(home + "."):
        return district
    if district.startswith(home[:2] + "."):
        return district[:5]
    return district[:2]


def home_region() -> str:
    return settings.JALUR_HOME_REGION


@dataclass(frozen=True)
class Destination:
    country: str = ""
    pathway_id: int = 0
    job_type_id: int = 0


def preference(countries: list | None, job_type_id: int | None) -> Destination:
    """The candidate's own choice: the first preferred country and the first preferred job type."""
    first = countries[0] if countries else ""
    return Destination(
        country=first if isinstance(first, str) else "", job_type_id=job_type_id or 0
    )


def destination_pick(
    *, order: Destination | None, assignment: Destination | None, preference: Destination
) -> Destination:
    """Each part from the first source that has it: accepted order, pathway assignment, preferences."""
    sources = [s for s in (order, assignment, preference) if s is not None]
    return Destination(
        country=next((s.country for s in sources if s.country), ""),
        pathway_id=next((s.pathway_id for s in sources if s.pathway_id), 0),
        job_type_id=next((s.job_type_id for s in sources if s.job_type_id), 0),
    )


@dataclass(frozen=True)
class Fact:
    """One candidate as the tallies see them."""

    registered_month: datetime.date
    country: str
    pathway_id: int
    job_type_id: int
    district: str  # as counted: see `district_counted`
    sex: str
    age_band: str
    stage: str


class Move(NamedTuple):
    """One stage-history row: the candidate entered `to_stage` at `at`."""

    id: int
    to_stage: str
    at: datetime.datetime


def fact_build(
    *,
    created_at: datetime.datetime,
    birth_date: datetime.date | None,
    district: str | None,
    sex: str,
    stage: str,
    destination: Destination,
    home: str | None = None,
) -> Fact:
    return Fact(
        registered_month=month_of(created_at),
        country=destination.country,
        pathway_id=destination.pathway_id,
        job_type_id=destination.job_type_id,
        district=district_counted(district, home or home_region()),
        sex=sex or "",
        age_band=age_band(birth_date, local_date(created_at)),
        stage=stage,
    )


def _ordered(moves: list[Move]) -> list[Move]:
    return sorted(moves, key=lambda m: (m.at, m.id)) if len(moves) > 1 else moves


# A tally key: (dimension, value, grp, month, country, job_type_id).
TallyKey = tuple[str, str, str, datetime.date, str, int]
# A dwell key: (stage, month, country, job_type_id, days).
DwellKey = tuple[str, datetime.date, str, int, int]


def contributions(
    fact: Fact, moves: list[Move], into: tuple[Counter, Counter, Counter] | None = None
) -> tuple[Counter, Counter, Counter]:
    """What this candidate adds to the tables: tally counts, dwell counts and dwell seconds
    (added to `into` when given, so a rebuild adds up a million people without merging).

    - ("stage", current stage) and ("reached", every stage entered, plus the current one) by
      registration month;
    - each breakdown value, split by the current stage's group, by registration month;
    - ("first", stage) in the month the candidate first entered it (every departure, for
      `EACH_ENTRY_COUNTED`: a returnee's second cycle departs a second time);
    - each finished stay: (stage left, month it was left, whole days), its count and seconds.
    """
    tallies, dwell_n, dwell_seconds = into or (Counter(), Counter(), Counter())
    country, job = fact.country, fact.job_type_id
    month = fact.registered_month
    ordered = _ordered(moves)
    months = [month_of(m.at) for m in ordered]
    entered: set[str] = set()
    for move, moved_in in zip(ordered, months, strict=True):
        # a returnee who goes again departs again: each departure counts in its own month
        if move.to_stage not in entered or move.to_stage in EACH_ENTRY_COUNTED:
            entered.add(move.to_stage)
            tallies[("first", move.to_stage, "", moved_in, country, job)] += 1
    tallies[("stage", fact.stage, "", month, country, job)] += 1
    for stage in entered | {fact.stage}:
        tallies[("reached", stage, "", month, country, job)] += 1
    group = STAGE_GROUP.get(fact.stage, PROCESS)
    for dimension, value in (
        ("country", country),
        ("pathway", str(fact.pathway_id)),
        ("job_type", str(job)),
        ("district", fact.district),
        ("sex", fact.sex),
        ("age", fact.age_band),
    ):
        tallies[(dimension, value, group, month, country, job)] += 1
    for i in range(len(ordered) - 1):
        seconds = max(0.0, (ordered[i + 1].at - ordered[i].at).total_seconds())
        key = (
            ordered[i].to_stage,
            months[i + 1],
            country,
            job,
            min(int(seconds // 86400), DWELL_DAYS_CAP),
        )
        dwell_n[key] += 1
        dwell_seconds[key] += round(seconds)
    return tallies, dwell_n, dwell_seconds

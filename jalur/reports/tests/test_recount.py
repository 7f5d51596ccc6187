"""The PostgreSQL rebuild (recount.py, set-based SQL) counts exactly what the Python rebuild does."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from jalur.candidates.stages import Stage
from jalur.reports.models import CandidateStat, DwellTally, Tally
from jalur.reports.services import refresh, sync
from jalur.reports.synthetic import Generator

from .conftest import PATH, accepted, along, at, make_agency, make_order, tally_tables

S = Stage


def _stats() -> dict:
    columns = [c for c in sync.STAT_COLUMNS if c != "synced_at"]
    return {row[0]: row[1:] for row in CandidateStat.objects.values_list(*columns)}


@pytest.mark.postgres
def test_the_sql_rebuild_fills_every_cell_as_the_python_rebuild_does(walk, agency):
    # given synthetic people at every stage, with training, offers and departures
    Generator(seed=3, months=30).run(600)
    # and people the generator does not make: born on 29 February, registered just before
    # midnight in Jakarta on the last day of a month, a returnee who departs a second time with
    # a new accepted offer, someone with no history after registering, stays of exactly half a
    # second more than whole seconds
    start = at(timezone.localdate() - datetime.timedelta(days=700))
    walk(start, along(start, [1, 2, 3]), birth_date=datetime.date(2000, 2, 29))
    late = timezone.make_aware(datetime.datetime(2026, 1, 31, 23, 59, 30))
    walk(late, along(late, [0.3, 0.5]), preferred_countries=["KR"])
    again = start + datetime.timedelta(days=340)
    returnee = walk(
        start,
        along(start, [1, 1, 1, 1, 90, 5, 5, 20, 200])
        + along(again, [0, 1, 1, 1, 1, 5, 5, 5, 5], stages=[S.REGISTERING, *PATH[:8]]),
    )
    accepted(make_order(make_agency(agency), country="KR"), returnee)
    walk(start, [])
    # people living elsewhere: in another kab/kota of the province, in other provinces, nowhere
    # known (counted by kab/kota, by province, as unknown: facts.district_counted)
    for code in ("36.02.01", "36.02.07", "32.01.01", "31.71.01", "91.03.01", None):
        walk(start, along(start, [1, 2]), district_id=code, village_id=None)
    half = start + datetime.timedelta(days=1, seconds=2.5)
    walk(start, [(S.REGISTERED, half), (S.VERIFIED, half + datetime.timedelta(seconds=3.5))])
    # when the summary tables are counted person by person in Python …
    with transaction.atomic():
        refresh._truncate(CandidateStat, Tally, DwellTally)
        refresh._rebuild_in_python(timezone.now(), 20_000, None)
    python_tables, python_stats = tally_tables(), _stats()
    # … and again by the PostgreSQL rebuild
    refresh.stats_rebuild()
    # then every tally cell, every days-per-stage cell and every person's facts agree
    assert python_stats and tally_tables()[0]
    assert tally_tables() == python_tables
    assert _stats() == python_stats
    places = set(Tally.objects.filter(dimension="district").values_list("value", flat=True))
    assert {"36.02", "32", "31", "91", ""} <= places
    assert all(p.startswith("36.73.") or len(p) <= 5 for p in places)

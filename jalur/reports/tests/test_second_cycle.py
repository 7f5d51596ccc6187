"""A returnee who goes again (issue 15, Candidate.cycle): each departure counts in its month, and
people already departed stay in the departed figure while in their next cycle."""

import datetime

import pytest
from django.utils import timezone

from jalur.candidates.stages import Stage
from jalur.reports import facts
from jalur.reports.models import Tally
from jalur.reports.selectors.public import public_statistics
from jalur.reports.suppression import THRESHOLD

S = Stage


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def test_a_second_departure_counts_in_its_own_month():
    path = [S.REGISTERING, S.REGISTERED, S.VERIFIED, S.TRAINED, S.SELECTION, S.PRE_DEPARTURE]
    path += [S.READY, S.DEPARTED, S.RETURNED, S.REGISTERING, S.REGISTERED, S.VERIFIED, S.TRAINED]
    path += [S.SELECTION, S.PRE_DEPARTURE, S.READY, S.DEPARTED]
    days = list(range(1300, 0, -1300 // len(path)))[: len(path)]
    moves = [
        facts.Move(i, stage, _at(d)) for i, (stage, d) in enumerate(zip(path, days, strict=True))
    ]
    fact = facts.fact_build(
        created_at=moves[0].at,
        birth_date=datetime.date(1995, 5, 5),
        district="",
        sex="F",
        stage=S.DEPARTED,
        destination=facts.Destination(country="JP"),
    )
    tallies, _n, _seconds = facts.contributions(fact, moves)
    departures = {k[3]: n for k, n in tallies.items() if k[:2] == ("first", S.DEPARTED)}
    departed_at = [facts.month_of(m.at) for m in moves if m.to_stage == S.DEPARTED]
    assert sum(departures.values()) == 2 and set(departures) == set(departed_at)
    # everything else is still counted once per person
    assert sum(n for k, n in tallies.items() if k[:2] == ("first", S.REGISTERING)) == 1
    assert sum(n for k, n in tallies.items() if k[:2] == ("reached", S.DEPARTED)) == 1


@pytest.mark.django_db
def test_the_public_departed_figure_keeps_those_now_in_a_next_cycle():
    month = timezone.localdate().replace(day=1)
    n = THRESHOLD + 2
    # n people departed once; all of them came home and registered again
    Tally.objects.create(dimension="first", value=S.DEPARTED, month=month, n=n)
    Tally.objects.create(dimension="stage", value=S.REGISTERING, month=month, n=n)
    assert public_statistics()["departed"] == n

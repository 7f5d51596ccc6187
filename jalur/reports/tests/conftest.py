"""Reports fixtures: people walked through their stages at chosen moments, with the real services."""

import datetime

import pytest
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_history_start, candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory

S = Stage
PATH = [
    S.REGISTERED,
    S.VERIFIED,
    S.TRAINING,
    S.TRAINED,
    S.SELECTION,
    S.PRE_DEPARTURE,
    S.READY,
    S.DEPARTED,
    S.RETURNED,
]


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def month_start(months_back: int) -> datetime.date:
    today = timezone.localdate().replace(day=1)
    index = today.year * 12 + today.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def walk(db, manager):
    """walk(created, [(stage, moment), …], **candidate fields) -> Candidate.

    The record is created at `created` (in REGISTERING) and moved through each stage by
    `candidate_stage_change` at the given moments, exactly as the apps do it.
    """

    def make(created: datetime.datetime, moves: list[tuple[str, datetime.datetime]], **fields):
        candidate = CandidateFactory(stage=S.REGISTERING, **fields)
        Candidate.objects.filter(pk=candidate.pk).update(created_at=created)
        candidate.refresh_from_db()
        candidate_history_start(candidate=candidate, actor=manager, at=created)
        for stage, moment in moves:
            candidate_stage_change(candidate=candidate, to_stage=stage, actor=manager, at=moment)
        candidate.refresh_from_db()
        return candidate

    return make


def along(start: datetime.datetime, days: list[float], stages=PATH) -> list:
    """Moves along the main path, each `days[i]` days after the previous one."""
    moves, moment = [], start
    for stage, gap in zip(stages, days, strict=False):
        moment = moment + datetime.timedelta(days=gap)
        moves.append((stage, moment))
    return moves

"""On PostgreSQL, people moved at the same moment by different officers are all counted once."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.reports.services.refresh import stats_rebuild

from .conftest import tally_tables

S = Stage


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_stage_moves_lose_no_count_and_match_a_rebuild(walk):
    # given eight people registering at once (they share every cell of the tables)
    people = [walk(timezone.now(), []) for _ in range(8)]
    start = threading.Barrier(len(people))
    errors = []

    def move(pk):
        try:
            start.wait(timeout=10)
            for stage in (S.REGISTERED, S.VERIFIED, S.TRAINING):
                candidate = Candidate.objects.get(pk=pk)
                candidate_stage_change(candidate=candidate, to_stage=stage, actor=None)
        except Exception as error:  # noqa: BLE001 (reported to the test below)
            errors.append(error)
        finally:
            connection.close()

    # when eight officers move them through three stages at the same time
    threads = [threading.Thread(target=move, args=(p.pk,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then no move failed, every count is there, and a rebuild finds the same tables
    assert errors == []
    live = tally_tables()
    stage_cells = {k: n for k, n in live[0].items() if k[0] == "stage"}
    assert sum(stage_cells.values()) == 8
    assert {k[1] for k in stage_cells} == {S.TRAINING}
    stats_rebuild()
    assert tally_tables() == live

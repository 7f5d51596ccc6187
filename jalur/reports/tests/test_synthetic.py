"""generate_synthetic: people with histories that the stage machine allows, counted by the tables."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from jalur.candidates.models import Candidate, StageHistory
from jalur.candidates.stages import TRANSITIONS, Stage
from jalur.reports.models import CandidateStat, Tally

pytestmark = pytest.mark.django_db


def test_it_creates_n_people_whose_histories_follow_the_stage_machine(client_for, leader):
    # when 400 synthetic people are generated
    call_command("generate_synthetic", "400", "--months", "18", verbosity=0)
    people = Candidate.objects.filter(nik__startswith="98")
    assert people.count() == 400
    # then each history starts at registration, moves only as the transition table allows and
    # ends at the person's current stage, in time order
    history: dict[int, list] = {}
    for candidate_id, from_stage, to_stage, at in StageHistory.objects.order_by(
        "created_at", "id"
    ).values_list("candidate_id", "from_stage", "to_stage", "created_at"):
        history.setdefault(candidate_id, []).append((from_stage, to_stage, at))
    for person in people:
        moves = history[person.pk]
        assert moves[0][:2] == ("", Stage.REGISTERING)
        for (_f, before, _at), (after_from, after, _at2) in zip(moves, moves[1:], strict=False):
            assert after_from == before and after in TRANSITIONS[before], (person.pk, before, after)
        assert moves[-1][1] == person.stage
        assert moves[0][2] == person.created_at
    # and some reach each part of the journey, and the tables count every one of them
    stages = set(people.values_list("stage", flat=True))
    assert {Stage.TRAINING, Stage.DEPARTED, Stage.WITHDRAWN} <= stages
    assert CandidateStat.objects.count() == 400
    assert sum(Tally.objects.filter(dimension="stage").values_list("n", flat=True)) == 400
    response = client_for(leader).get(reverse("reports:dashboard"), {"start": "2020-01"})
    assert response.status_code == 200
    assert response.context["funnel"]["total"] == 400
    assert response.context["training"]["providers"]
    assert response.context["scores"]


def test_running_it_again_adds_new_people_with_new_niks():
    call_command("generate_synthetic", "50", "--no-rebuild", verbosity=0)
    call_command("generate_synthetic", "50", "--seed", "8", verbosity=0)
    assert Candidate.objects.filter(nik__startswith="98").values("nik").distinct().count() == 100
    assert CandidateStat.objects.count() == 100


def test_serial_numbers_are_zero_padded_and_never_cut():
    import numpy as np

    from jalur.reports.synthetic.columns import _digits

    text, sizes = _digits(np.array([5, 999, 123456]), "SIN-", 3)
    assert [t.decode() for t in text] == ["SIN-005", "SIN-999", "SIN-123456"]
    assert sizes.tolist() == [7, 7, 10]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_writer_thread_commits_each_batch_with_every_row():
    from jalur.reports.synthetic import Generator
    from jalur.training.models import Attendance

    # when people are made outside a transaction, in three batches
    totals = Generator(seed=3).run(300, batch=120)
    # then the writer thread's connection committed every row the batches counted
    assert Candidate.objects.filter(nik__startswith="98").count() == 300
    assert StageHistory.objects.count() == totals["history"]
    assert Attendance.objects.count() == totals["attendance"]
    assert not StageHistory.objects.exclude(candidate__in=Candidate.objects.all()).exists()

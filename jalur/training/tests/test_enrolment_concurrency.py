"""The last seat under concurrent enrolment (PostgreSQL: row locks do the work there)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.training.models import Enrolment, EnrolmentStatus
from jalur.training.services import enrolment_create

from .factories import CohortFactory, ProgrammeFactory

RACERS = 12


def race(cohorts, candidates, actor, allow_waiting):
    barrier = threading.Barrier(len(candidates))
    outcomes = []
    lock = threading.Lock()

    def enrol(cohort, candidate):
        close_old_connections()
        try:
            barrier.wait()
            enrolment = enrolment_create(
                cohort=cohort, candidate=candidate, actor=actor, allow_waiting=allow_waiting
            )
            with lock:
                outcomes.append(enrolment.status)
        except ValidationError as error:
            with lock:
                outcomes.append(error.code)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=enrol, args=(cohorts[i % len(cohorts)], c))
        for i, c in enumerate(candidates)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_enrolments_at_the_last_seat_give_it_to_exactly_one(lpk, make_verified, manager):
    cohort = CohortFactory(provider=lpk, capacity=5)
    from jalur.candidates.tests.factories import CandidateFactory

    for _ in range(4):
        enrolment_create(
            cohort=cohort, candidate=CandidateFactory(stage=Stage.VERIFIED), actor=manager
        )
    racers = [CandidateFactory(stage=Stage.VERIFIED) for _ in range(RACERS)]
    outcomes = race([cohort], racers, manager, allow_waiting=True)
    assert outcomes.count(EnrolmentStatus.ENROLLED) == 1
    assert outcomes.count(EnrolmentStatus.WAITING) == RACERS - 1
    assert cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 5
    assert Candidate.objects.filter(stage=Stage.TRAINING).count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_a_waiting_list_all_but_one_are_refused(lpk, manager):
    from jalur.candidates.tests.factories import CandidateFactory

    cohort = CohortFactory(provider=lpk, capacity=1)
    racers = [CandidateFactory(stage=Stage.VERIFIED) for _ in range(RACERS)]
    outcomes = race([cohort], racers, manager, allow_waiting=False)
    assert sorted(outcomes) == sorted([EnrolmentStatus.ENROLLED] + ["full"] * (RACERS - 1))
    assert Enrolment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_programme_quota_holds_when_several_cohorts_race_for_its_last_place(lpk, manager):
    from jalur.candidates.tests.factories import CandidateFactory

    programme = ProgrammeFactory(quota=3)
    cohorts = [CohortFactory(programme=programme, provider=lpk, capacity=10) for _ in range(3)]
    for cohort in cohorts[:2]:
        enrolment_create(
            cohort=cohort, candidate=CandidateFactory(stage=Stage.VERIFIED), actor=manager
        )
    racers = [CandidateFactory(stage=Stage.VERIFIED) for _ in range(RACERS)]
    outcomes = race(cohorts, racers, manager, allow_waiting=False)
    assert outcomes.count(EnrolmentStatus.ENROLLED) == 1
    assert (
        Enrolment.objects.filter(
            cohort__programme=programme, status=EnrolmentStatus.ENROLLED
        ).count()
        == 3
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_person_enrolled_twice_at_once_gets_one_place(lpk, manager):
    from jalur.candidates.tests.factories import CandidateFactory

    cohort = CohortFactory(provider=lpk, capacity=10)
    person = CandidateFactory(stage=Stage.VERIFIED)
    outcomes = race([cohort], [person] * 6, manager, allow_waiting=True)
    assert outcomes.count(EnrolmentStatus.ENROLLED) == 1
    assert outcomes.count("duplicate") == 5

"""Training costs: who pays, the city budget by default, never the candidate for zero-cost jobs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType
from jalur.training.models import Payer, TrainingCost
from jalur.training.services import cost_record, enrolment_create

from .factories import CohortFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def job(code):
    return JobType.objects.get(code=code)


def cost(cohort, actor, **data):
    return cost_record(
        cohort=cohort,
        actor=actor,
        data={"item": "instructor", "amount": Decimal(1_500_000), **data},
    )


def test_the_city_budget_pays_unless_someone_else_is_named(cohort, manager):
    line = cost(cohort, manager)
    assert line.payer == Payer.CITY_BUDGET
    assert AuditLog.objects.get(action="training.cost.record").changes["amount"][1] == "1500000"


def test_a_candidate_cannot_pay_for_training_for_a_zero_cost_job_type(lpk, manager):
    programme = ProgrammeFactory()
    programme.job_types.set([job("caregiver")])
    cohort = CohortFactory(provider=lpk, programme=programme)
    with pytest.raises(ValidationError) as error:
        cost(cohort, manager, payer=Payer.CANDIDATE)
    message = error.value.message_dict["payer"][0]
    assert "tidak boleh dibebankan kepada peserta" in message
    assert "Perawat lansia (caregiver)" in message
    assert not TrainingCost.objects.exists()


def test_a_trainee_aiming_at_a_zero_cost_job_makes_the_cohort_zero_cost(cohort, manager):
    person = CandidateFactory(stage=Stage.VERIFIED)
    person.preferred_job_types.set([job("driver")])
    enrolment_create(cohort=cohort, candidate=person, actor=manager)
    with pytest.raises(ValidationError) as error:
        cost(cohort, manager, payer=Payer.CANDIDATE)
    assert "Sopir/pengemudi" in error.value.message_dict["payer"][0]


def test_a_candidate_may_pay_where_no_zero_cost_job_is_involved(lpk, manager):
    programme = ProgrammeFactory()
    programme.job_types.set([job("industrial")])
    cohort = CohortFactory(provider=lpk, programme=programme)
    assert cost(cohort, manager, payer=Payer.CANDIDATE).pk


def test_a_zero_cost_candidate_is_not_enrolled_where_trainees_pay(lpk, manager):
    cohort = CohortFactory(provider=lpk)
    cost(cohort, manager, payer=Payer.CANDIDATE, item="test_fee")
    person = CandidateFactory(stage=Stage.VERIFIED)
    person.preferred_job_types.set([job("plantation")])
    with pytest.raises(ValidationError) as error:
        enrolment_create(cohort=cohort, candidate=person, actor=manager)
    assert error.value.code == "zero_cost"


def test_a_negative_amount_is_refused(cohort, manager):
    with pytest.raises(ValidationError):
        cost(cohort, manager, amount=Decimal(-1))

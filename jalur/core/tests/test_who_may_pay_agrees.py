"""Four stages judge who may pay, and they agree with the one rule (`jalur.rules.fees`) and so with
each other: the job-order gate, the training cost form, the fee ledger and the departure gate.

Before the rules layer, each stage had its own copy and they disagreed: a job order on an ordinary
job with the agency fee and the ticket paid by the worker was published; the training form let a
trainee pay training on ordinary jobs; a worker-paid "Lainnya" was never flagged. Hypothesis draws
job types, cost items and payers at random; every example runs in a savepoint that is rolled back.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalur.departure import gates
from jalur.departure import services as departure_services
from jalur.departure.models import FeeEntry
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.pathways.models import JobType
from jalur.placement import services as placement_services
from jalur.placement.models import CostPayer, JobOrder, JobOrderCost
from jalur.rules import fees
from jalur.training import services as training_services
from jalur.training.models import CostItem as TrainingItem
from jalur.training.models import Payer as TrainingPayer
from jalur.training.tests.factories import CohortFactory, ProgrammeFactory, ProviderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.rule("fees.worker_may_pay")]

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JOBS = st.sampled_from(["industrial", "caregiver", "welder", "plantation", "driver"])
ITEMS = st.sampled_from([item.value for item in fees.CostItem])
PAYERS = st.sampled_from(CostPayer.values)


class Rollback(Exception):
    """Raised at the end of each example so its savepoint is rolled back."""


def _example(check):
    try:
        with transaction.atomic():
            check()
            raise Rollback
    except Rollback:
        pass


def _training_cost_saved(cohort, actor, data) -> bool:
    return training_services.cost_record(cohort=cohort, actor=actor, data=data).pk is not None


def _judged(item: str, payer: str, job_code: str) -> fees.Ruling:
    zero_cost = JobType.objects.get(code=job_code).zero_cost
    return fees.payer_may_pay(item, payer, zero_cost=zero_cost)


@pytest.fixture
def order(agency):
    return make_order(make_agency(agency))


@pytest.fixture
def case(order, agent):
    return departure_services.case_open(application=accept(order), actor=agent)


@EXAMPLES
@given(job=JOBS, item=ITEMS, payer=PAYERS)
def test_the_job_order_gate_agrees_with_the_rule(order, job, item, payer):
    def check():
        JobOrder.objects.filter(pk=order.pk).update(job_type=JobType.objects.get(code=job))
        JobOrderCost.objects.create(
            order=order, item=item, description="Uraian biaya", amount=100, paid_by=payer
        )
        fresh = JobOrder.objects.select_related("job_type").get(pk=order.pk)
        codes = {
            p.code
            for p in placement_services.order_problems(
                fresh, on=timezone.localdate(), for_approval=True
            )
        }
        ruling = _judged(item, payer, job)
        assert ("cost_forbidden" in codes) == (ruling.verdict == fees.Verdict.FORBIDDEN)
        assert ("cost_undecided" in codes) == (ruling.verdict == fees.Verdict.DECIDE)

    _example(check)


@EXAMPLES
@given(
    job=JOBS, item=st.sampled_from(TrainingItem.values), payer=st.sampled_from(TrainingPayer.values)
)
def test_the_training_cost_form_agrees_with_the_rule(trainer, job, item, payer):
    def check():
        programme = ProgrammeFactory()
        programme.job_types.set([JobType.objects.get(code=job)])
        cohort = CohortFactory(
            provider=ProviderFactory(organisation=trainer.organisation), programme=programme
        )
        worker = payer == TrainingPayer.CANDIDATE
        ruling = _judged(fees.training_cost_item(item), "worker" if worker else "employer", job)
        data = {
            "item": item,
            "description": "Dasar: keputusan anggaran angkatan",
            "amount": Decimal("1000"),
            "payer": payer,
        }
        if ruling.allowed:
            assert _training_cost_saved(cohort, trainer, data)
        else:
            with pytest.raises(ValidationError) as refused:
                _training_cost_saved(cohort, trainer, data)
            # worded for the trainee, on the rule's decision and with the rule's sources
            [message] = refused.value.message_dict["payer"]
            assert ruling.basis in message and "Peserta tidak membayar" in message

    _example(check)


@EXAMPLES
@given(
    job=JOBS,
    item=ITEMS,
    payer=PAYERS,
    paid=st.booleans(),
)
def test_the_fee_ledger_and_the_departure_gate_agree_with_the_rule(
    case, agent, job, item, payer, paid
):
    def check():
        JobOrder.objects.filter(pk=case.application.order_id).update(
            job_type=JobType.objects.get(code=job)
        )
        fresh = type(case).objects.select_related("application__order__job_type").get(pk=case.pk)
        departure = timezone.localdate() + datetime.timedelta(days=20)
        before = set(gates.gate_problems(fresh, departure))
        ruling = _judged(item, payer, job)
        data = {
            "item": item,
            "description": "Uraian biaya",
            "amount": Decimal("250000"),
            "paid_by": payer,
            "state": FeeEntry.State.PAID if paid else FeeEntry.State.PLANNED,
            "paid_on": timezone.localdate() if paid else None,
        }
        if ruling.verdict == fees.Verdict.FORBIDDEN and not paid:
            with pytest.raises(ValidationError) as refused:
                departure_services.fee_record(case=fresh, data=data, actor=agent)
            assert refused.value.message_dict["paid_by"] == [ruling.message]
            return
        fee = departure_services.fee_record(case=fresh, data=data, actor=agent)
        assert fee.violation == (ruling.verdict == fees.Verdict.FORBIDDEN)
        assert (fee.decision == FeeEntry.Decision.PENDING) == (
            ruling.verdict == fees.Verdict.DECIDE
        )
        facts = gates.gate_facts(fresh, departure)
        assert (facts.open_fee_violation or facts.undecided_worker_fee) == (not ruling.allowed)
        after = set(gates.gate_problems(fresh, departure))
        assert (after != before) == (not ruling.allowed)

    _example(check)

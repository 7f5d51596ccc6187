"""Training costs: who pays, the city budget by default, never the trainee (the rule of `jalur.rules.fees`)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType
from jalur.rules import fees
from jalur.training.models import Enrolment, Payer, TrainingCost
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


@pytest.mark.rule("fees.worker_may_pay")
def test_a_candidate_cannot_pay_for_training_for_a_zero_cost_job_type(lpk, manager):
    programme = ProgrammeFactory()
    programme.job_types.set([job("caregiver")])
    cohort = CohortFactory(provider=lpk, programme=programme)
    with pytest.raises(ValidationError) as error:
        cost(cohort, manager, payer=Payer.CANDIDATE)
    message = error.value.message_dict["payer"][0]
    ruling = fees.worker_may_pay(fees.CostItem.TRAINING, zero_cost=True)
    assert message.startswith('Peserta tidak membayar "Honor instruktur"')
    assert ruling.basis in message and "bebas biaya penempatan" in message
    assert "Perban BP2MI 9/2020" in message
    assert "Perawat lansia (caregiver)" in message
    assert not TrainingCost.objects.exists()


@pytest.mark.rule("fees.worker_may_pay")
def test_a_trainee_aiming_at_a_zero_cost_job_makes_the_cohort_zero_cost(cohort, manager):
    person = CandidateFactory(stage=Stage.VERIFIED)
    person.preferred_job_types.set([job("driver")])
    enrolment_create(cohort=cohort, candidate=person, actor=manager)
    with pytest.raises(ValidationError) as error:
        cost(cohort, manager, payer=Payer.CANDIDATE)
    assert "Sopir/pengemudi" in error.value.message_dict["payer"][0]


@pytest.mark.parametrize(
    ("item", "placement_item"),
    [
        ("instructor", fees.CostItem.TRAINING),
        ("meals", fees.CostItem.TRAINING),
        ("other", fees.CostItem.TRAINING),
        ("test_fee", fees.CostItem.CERTIFICATION),
        ("certification", fees.CostItem.CERTIFICATION),
    ],
)
def test_a_trainee_never_pays_training_or_certification_even_on_an_ordinary_job(
    lpk, manager, item, placement_item
):
    """QA: a cohort for industrial workers (not zero-cost) let the trainee pay the instructor."""
    programme = ProgrammeFactory()
    programme.job_types.set([job("industrial")])
    cohort = CohortFactory(provider=lpk, programme=programme)
    with pytest.raises(ValidationError) as error:
        cost(cohort, manager, payer=Payer.CANDIDATE, item=item)
    ruling = fees.worker_may_pay(placement_item, zero_cost=False)
    message = error.value.message_dict["payer"][0]
    assert ruling.basis in message and "UU 18/2017 Pasal 30 ayat (1)" in message
    assert not TrainingCost.objects.exists()


@pytest.mark.parametrize(
    ("item", "description", "named"),
    [
        ("materials", "", '"Modul dan bahan latihan"'),
        ("other", "Seragam pelatihan", '"Lainnya: Seragam pelatihan"'),
        ("test_fee", "", '"Biaya ujian (EPS-TOPIK, JFT, JLPT, uji keterampilan)"'),
    ],
)
@pytest.mark.parametrize("job_type", ["caregiver", "industrial"])
@pytest.mark.rule("fees.worker_may_pay")
def test_the_refusal_speaks_of_the_trainee_and_the_chosen_item(
    lpk, manager, item, description, named, job_type
):
    """QA: it named the placement item ("Pelatihan kerja"), said "pekerja" and left out the
    training provider as a payer."""
    programme = ProgrammeFactory()
    programme.job_types.set([job(job_type)])
    cohort = CohortFactory(provider=lpk, programme=programme)
    with pytest.raises(ValidationError) as error:
        cost(cohort, manager, payer=Payer.CANDIDATE, item=item, description=description)
    message = error.value.message_dict["payer"][0]
    assert named in message
    assert "Pelatihan kerja" not in message and "pekerja tidak boleh" not in message
    assert "peserta" in message.lower()
    ruling = fees.worker_may_pay(fees.training_cost_item(item), zero_cost=job_type == "caregiver")
    assert ruling.basis in message
    assert "APBD, pemberi kerja, P3MI atau lembaga pelatihan" in message


@pytest.mark.parametrize("payer", [Payer.PROVIDER, Payer.P3MI, Payer.EMPLOYER, Payer.OTHER])
@pytest.mark.rule("fees.worker_may_pay")
def test_anyone_but_the_trainee_may_pay_training(lpk, manager, payer):
    programme = ProgrammeFactory()
    programme.job_types.set([job("caregiver")])
    cohort = CohortFactory(provider=lpk, programme=programme)
    line = cost(cohort, manager, payer=payer, item="test_fee", description="Dana hibah yayasan")
    assert line.payer == payer


@pytest.mark.parametrize("description", ["", "  "])
def test_a_cost_paid_by_someone_unnamed_must_say_who_and_why(cohort, manager, description):
    """QA: payer "Lainnya" was accepted with no description or basis."""
    with pytest.raises(ValidationError) as error:
        cost(cohort, manager, payer=Payer.OTHER, description=description)
    assert "Tulis uraiannya" in error.value.message_dict["description"][0]
    assert not TrainingCost.objects.exists()


def trainee_paid_line(cohort, item="test_fee"):
    """A line recorded before the rule applied: the trainee pays it."""
    return TrainingCost.objects.create(
        cohort=cohort, item=item, amount=Decimal(400_000), payer=Payer.CANDIDATE
    )


@pytest.mark.rule("fees.worker_may_pay")
def test_a_zero_cost_candidate_is_not_enrolled_where_trainees_pay(lpk, manager):
    cohort = CohortFactory(provider=lpk)
    trainee_paid_line(cohort)
    person = CandidateFactory(stage=Stage.VERIFIED)
    person.preferred_job_types.set([job("plantation")])
    with pytest.raises(ValidationError) as error:
        enrolment_create(cohort=cohort, candidate=person, actor=manager)
    assert error.value.code == "trainee_pays"
    assert "bebas biaya penempatan" in error.value.messages[0]


@pytest.mark.rule("fees.worker_may_pay")
def test_no_one_is_enrolled_where_trainees_pay_even_on_an_ordinary_job(lpk, manager):
    programme = ProgrammeFactory()
    programme.job_types.set([job("industrial")])
    cohort = CohortFactory(provider=lpk, programme=programme)
    trainee_paid_line(cohort, item="instructor")
    person = CandidateFactory(stage=Stage.VERIFIED)
    with pytest.raises(ValidationError) as error:
        enrolment_create(cohort=cohort, candidate=person, actor=manager)
    assert error.value.code == "trainee_pays"
    ruling = fees.worker_may_pay(fees.CostItem.TRAINING, zero_cost=False)
    (message,) = error.value.messages
    assert message.startswith(
        'Angkatan ini mencatat biaya "Honor instruktur" yang dibayar peserta.'
    )
    assert ruling.basis in message and "lembaga pelatihan" in message
    assert not Enrolment.objects.exists()


@pytest.mark.rule("fees.worker_may_pay")
def test_the_cost_page_says_the_trainee_never_pays_and_flags_a_line_they_pay(
    client_for, lpk, manager
):
    programme = ProgrammeFactory()
    programme.job_types.set([job("industrial")])
    cohort = CohortFactory(provider=lpk, programme=programme)
    trainee_paid_line(cohort)
    page = client_for(manager).get(reverse("training:cohort_costs", args=[cohort.pk]))
    text = page.content.decode()
    assert "Peserta tidak pernah membayar pelatihan atau sertifikasi program ini" in text
    assert "UU 18/2017 Pasal 30 ayat (1)" in text
    assert "dilarang" in text


def test_a_negative_amount_is_refused(cohort, manager):
    with pytest.raises(ValidationError):
        cost(cohort, manager, amount=Decimal(-1))


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("750.000", 750000), ("1.250.000", 1250000), ("12500", 12500), ("Rp 180.000", 180000)],
)
def test_the_cost_form_takes_amounts_as_other_money_fields_do(typed, amount):
    """Issue 17: the cost box was a number box with steps of 1000 that blocked these."""
    from jalur.training.forms import CostForm

    form = CostForm({"item": "venue", "amount": typed, "payer": "city_budget"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount
    html = str(form["amount"])
    assert 'inputmode="numeric"' in html and "step" not in html and 'type="number"' not in html

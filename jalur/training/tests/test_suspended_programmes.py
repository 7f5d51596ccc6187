"""A programme whose pathways are all suspended or closed: the cohort and enrolment refusals say
what training staff can do (the cohort form has no pathway to choose), and the cohort form marks it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jalur.pathways.models import Pathway
from jalur.training.forms import CohortForm
from jalur.training.models import Provider
from jalur.training.services import cohort_create, enrolment_create

from .factories import CohortFactory, ProgrammeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.rule("pathways.pathway_open_problem")]


@pytest.fixture
def e8():
    return Pathway.objects.get(code="kr-e8-seasonal")


def assert_says_what_training_staff_can_do(message, e8):
    assert f'Skema "{e8.name}" ditangguhkan' in message
    assert e8.state_reason.rstrip(". ") in message and e8.legal_basis.rstrip(". ") in message
    assert "Pilih skema lain" not in message
    assert "Pilih program lain" in message and "Disnakertrans" in message


def test_the_cohort_refusal_says_to_choose_another_programme(lpk, manager, e8):
    programme = ProgrammeFactory(pathways=[e8])  # made before the pathway was suspended
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        cohort_create(
            actor=manager,
            programme=programme,
            provider=lpk,
            data={
                "name": "Angkatan musiman",
                "start_date": today,
                "end_date": today + datetime.timedelta(days=30),
                "venue": "Ruang 1",
                "instructor": "Kim",
                "capacity": 10,
            },
        )
    assert_says_what_training_staff_can_do(error.value.message_dict["programme"][0], e8)


def test_the_enrolment_refusal_says_so_too(lpk, make_verified, manager, e8):
    cohort = CohortFactory(programme=ProgrammeFactory(pathways=[e8]), provider=lpk)
    with pytest.raises(ValidationError) as error:
        enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
    assert error.value.code == "pathway_not_open"
    assert_says_what_training_staff_can_do(error.value.messages[0], e8)


def test_the_cohort_form_marks_a_programme_with_no_open_pathway(lpk, e8):
    shut = ProgrammeFactory(pathways=[e8])
    fine = ProgrammeFactory(
        pathways=list(Pathway.objects.filter(code__in=["kr-e8-seasonal", "kr-e7"]))
    )
    form = CohortForm(providers=Provider.objects.all())
    labels = {str(value): label for value, label in form.fields["programme"].choices if value}
    assert labels[str(shut.pk)].endswith(" — skema ditangguhkan/ditutup")
    assert "ditangguhkan" not in labels[str(fine.pk)]

"""Issue 17: finishing training leads somewhere. Where the rules leave one legal pathway whose every
rule the person meets, completing the course assigns it; otherwise the person waits on the
manager's list (never in silence)."""

import datetime

import pytest
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.pathways.suggestions import waiting_for_pathway
from jalur.training.services import (
    assessment_record,
    attendance_register_save,
    enrolment_complete,
    enrolment_create,
)

from .factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def complete_course(lpk, programme, trainer, manager, **person):
    cohort = CohortFactory(
        provider=lpk,
        programme=programme,
        start_date=TODAY - datetime.timedelta(days=10),
        end_date=TODAY,
    )
    candidate = CandidateFactory(stage=Stage.VERIFIED, preferred_countries=["JP"], **person)
    candidate.preferred_job_types.set(JobType.objects.filter(code="caregiver"))
    first_day = timezone.make_aware(datetime.datetime.combine(cohort.start_date, datetime.time(7)))
    enrolment = enrolment_create(cohort=cohort, candidate=candidate, actor=manager, at=first_day)
    session = SessionFactory(cohort=cohort, date=TODAY)
    attendance_register_save(session=session, statuses={}, actor=trainer)
    assessment_record(
        candidate=candidate,
        enrolment=enrolment,
        actor=trainer,
        data={"test": "jft_basic", "kind": "mock", "taken_on": TODAY, "score": 215},
    )
    enrolment_complete(enrolment=enrolment, actor=trainer)
    return Candidate.objects.get(pk=candidate.pk)


def test_completing_training_assigns_the_only_legal_pathway(
    lpk, programme, trainer, manager, candidate_user
):
    Pathway.objects.filter(code="jp-ssw-p2p").update(
        jft_min_score=None, jlpt_min_level="", skill_test_required=False, job_type_tests={}
    )
    Pathway.objects.filter(code__in=["jp-ssw-mandiri", "jp-ijepa"]).update(
        state="suspended", state_reason="uji"
    )
    person = complete_course(lpk, programme, trainer, manager, user=candidate_user)
    assert person.stage == Stage.TRAINED
    assignment = PathwayAssignment.objects.get(candidate=person, is_active=True)
    assert assignment.pathway.code == "jp-ssw-p2p" and assignment.assigned_by is None
    assert candidate_user.notifications.filter(key="pathway_assigned").exists()
    assert not waiting_for_pathway(manager).exists()


def test_with_a_choice_left_the_trained_person_waits_on_the_managers_list(
    lpk, programme, trainer, manager
):
    person = complete_course(lpk, programme, trainer, manager)
    assert person.stage == Stage.TRAINED
    assert not PathwayAssignment.objects.filter(candidate=person).exists()
    assert list(waiting_for_pathway(manager)) == [person]

"""The protection section on the candidate's own page and the staff candidate page (apps.py)."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.protection import services
from jalur.protection.models import ReporterKind

pytestmark = pytest.mark.django_db


def complain(candidate, **extra):
    grievance, _secret = services.grievance_open(
        reporter_kind=ReporterKind.WORKER,
        reporter_name=candidate.full_name,
        candidate=candidate,
        category="fees",
        description="Diminta Rp 5 juta untuk seleksi.",
        **extra,
    )
    return grievance


class TestComplaintsBeforeDeparture:
    """Fees may be demanded between verification and selection: from submission on, the page
    links to the complaint form and lists the person's complaints."""

    @pytest.mark.parametrize(
        "stage", [Stage.REGISTERED, Stage.VERIFIED, Stage.TRAINING, Stage.SELECTION]
    )
    def test_a_candidate_who_may_complain_finds_the_form(self, client_for, candidate_user, stage):
        CandidateFactory(stage=stage, user=candidate_user)
        page = client_for(candidate_user).get(reverse("candidates:me")).content.decode()
        assert reverse("protection:my_grievance_new") in page

    def test_a_complaint_filed_before_departure_is_found_again(self, client_for, candidate_user):
        candidate = CandidateFactory(stage=Stage.VERIFIED, user=candidate_user)
        grievance = complain(candidate)
        page = client_for(candidate_user).get(reverse("candidates:me")).content.decode()
        assert reverse("protection:grievance_detail", args=[grievance.pk]) in page
        assert grievance.number in page and grievance.get_status_display() in page

    def test_someone_still_filling_in_is_not_offered_the_form(self, client_for, candidate_user):
        CandidateFactory(stage=Stage.REGISTERING, user=candidate_user)
        page = client_for(candidate_user).get(reverse("candidates:me")).content.decode()
        assert reverse("protection:my_grievance_new") not in page

    def test_staff_see_the_complaints_they_may_open(self, client_for, manager, agency, agent_b):
        candidate = CandidateFactory(stage=Stage.VERIFIED)
        grievance = complain(candidate, agency=agency)
        url = reverse("candidates:detail", args=[candidate.pk])
        page = client_for(manager).get(url).content.decode()
        assert grievance.number in page
        assert reverse("protection:my_grievance_new") not in page  # not their own account
        # another P3MI: nothing about a case that is not theirs
        assert apps.get_app_config("protection").candidate_sections(candidate, agent_b) == []


class TestArrival:
    def test_after_the_arrival_the_date_replaces_the_link(self, client_for, candidate_user):
        candidate = CandidateFactory(stage=Stage.DEPARTED, user=candidate_user)
        client = client_for(candidate_user)
        assert (
            reverse("protection:my_arrival")
            in client.get(reverse("candidates:me")).content.decode()
        )
        arrived = timezone.localdate() - datetime.timedelta(days=2)
        candidate.stage_changed_at = timezone.now() - datetime.timedelta(days=5)
        candidate.save(update_fields=["stage_changed_at"])
        services.arrival_confirm(
            candidate=candidate,
            arrived_on=arrived,
            confirmed_by_kind=ReporterKind.WORKER,
            actor=candidate_user,
        )
        page = client.get(reverse("candidates:me")).content.decode()
        assert reverse("protection:my_arrival") not in page
        assert "Tiba di negara tujuan" in page
        assert date_format(arrived, "DATE_FORMAT") in page


def test_news_from_abroad_is_for_the_office_not_for_a_p3mi_applied_to_once_nor_the_trainer(
    client_for, manager, agency_b, agent_b, trainer, provider
):
    """A check-in may say the passport is held: the office follows it (and the P3MI that placed
    the worker, see test_workers); a P3MI the person once applied to and the training provider,
    who may still open the person's page, do not see it."""
    from jalur.departure.tests.conftest import make_agency, make_order
    from jalur.placement.models import Application
    from jalur.placement.states import ApplicationStatus
    from jalur.protection.models import CheckIn
    from jalur.training.models import Enrolment, EnrolmentStatus
    from jalur.training.tests.factories import CohortFactory, ProviderFactory

    worker = CandidateFactory(stage=Stage.DEPARTED)
    Enrolment.objects.create(
        cohort=CohortFactory(provider=ProviderFactory(organisation=provider)),
        candidate=worker,
        status=EnrolmentStatus.COMPLETED,
    )
    Application.objects.create(
        order=make_order(make_agency(agency_b)),
        candidate=worker,
        status=ApplicationStatus.NOT_SELECTED,
        origin="applied",
    )
    CheckIn.objects.create(
        candidate=worker,
        status=CheckIn.Status.PROBLEM,
        note="Majikan menahan paspor saya",
        reporter_kind=ReporterKind.WORKER,
        created_at=timezone.now(),
    )
    url = reverse("candidates:detail", args=[worker.pk])
    assert "Majikan menahan paspor" in client_for(manager).get(url).content.decode()
    for outsider in (agent_b, trainer):
        response = client_for(outsider).get(url)
        assert response.status_code == 200  # they may still open the person's page
        assert "Majikan menahan paspor" not in response.content.decode()

"""Urgent cases on the web: who sees them, the steps the law asks, the worker's own button."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.crisis import services
from jalur.crisis.models import UrgentCase, UrgentStep
from jalur.crisis.selectors import latest_contacts, urgent_list
from jalur.protection.models import ArrivalConfirmation, ReporterKind
from jalur.rules import crisis as rules

from .conftest import WORKER_PHONE_ABROAD, placed_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def sos(worker):
    case, _new = services.sos_open(candidate=worker, words="tolong", via=UrgentCase.Via.REPLY)
    return case


class TestWhoSees:
    def test_a_p3mi_sees_only_its_own_workers_cases(
        self, client_for, sos, agent, agent_b, agency_b
    ):
        other = placed_worker(agency_b, agent_b)
        other_case, _ = services.sos_open(candidate=other, words="", via=UrgentCase.Via.WEB)
        assert list(urgent_list(agent)) == [sos]
        assert list(urgent_list(agent_b)) == [other_case]
        assert client_for(agent_b).get(reverse("crisis:case", args=[sos.pk])).status_code == 404
        page = client_for(agent).get(reverse("crisis:case", args=[sos.pk]))
        assert page.status_code == 200
        assert WORKER_PHONE_ABROAD in page.content.decode()

    def test_the_office_list_shows_open_cases_first_oldest_on_top(
        self, sos, manager, agency, agent
    ):
        later = placed_worker(agency, agent)
        newer, _ = services.sos_open(candidate=later, words="", via=UrgentCase.Via.WEB)
        services.case_take(case=sos, actor=manager)
        assert list(urgent_list(manager)) == [newer, sos]
        services.case_close(case=newer, outcome="false_alarm", note="salah pencet", actor=manager)
        assert list(urgent_list(manager, status="active")) == [sos]

    def test_other_roles_are_refused(self, client_for, sos, trainer, candidate_user):
        for user in (trainer, candidate_user):
            assert client_for(user).get(reverse("crisis:urgent_list")).status_code == 403


class TestSteps:
    @pytest.mark.rule("crisis.steps_for")
    def test_an_sos_named_as_a_death_gets_the_p3mis_duty_to_bring_the_body_home(self, sos, manager):
        added = services.case_classify(case=sos, kind=rules.Kind.DEATH, actor=manager)
        assert "remains_home" in added and "family_told" in added
        step = sos.steps.get(code="remains_home")
        assert step.party == UrgentStep.Party.AGENCY
        assert rules.sources.REMAINS_REPATRIATION in rules.BY_CODE["remains_home"].sources
        assert step.due_at - timezone.now() > datetime.timedelta(days=13)

    def test_the_p3mi_records_its_own_steps_only(self, client_for, sos, agent, agent_b):
        own = sos.steps.get(code="agency_contact")
        office = sos.steps.get(code="call_worker")
        client = client_for(agent)
        client.post(reverse("crisis:step_done", args=[own.pk]), {"note": "Sudah bicara"})
        own.refresh_from_db()
        assert own.done_at and own.done_by == agent
        response = client.post(reverse("crisis:step_done", args=[office.pk]), {"note": "x"})
        assert response.status_code == 403
        other = client_for(agent_b).post(reverse("crisis:step_done", args=[own.pk]), {"note": "x"})
        assert other.status_code == 404

    def test_a_step_needs_a_note_and_is_audited(self, sos, manager):
        step = sos.steps.get(code="call_worker")
        with pytest.raises(ValidationError):
            services.step_done(step=step, actor=manager, note="  ")
        services.step_done(step=step, actor=manager, note="Ditelepon, aman di shelter")
        assert AuditLog.objects.filter(action="crisis.step_done", actor=manager).exists()

    def test_a_late_step_shows_late(self, client_for, sos, manager):
        UrgentStep.objects.filter(case=sos, code="call_worker").update(
            due_at=timezone.now() - datetime.timedelta(hours=1)
        )
        page = client_for(manager).get(reverse("crisis:case", args=[sos.pk])).content.decode()
        assert "terlambat" in page

    def test_closing_needs_an_outcome_and_a_note_and_names_undone_steps(self, sos, manager, agent):
        with pytest.raises(ValidationError):
            services.case_close(case=sos, outcome="safe", note="", actor=manager)
        services.case_close(case=sos, outcome="safe", note="Pindah majikan", actor=manager)
        sos.refresh_from_db()
        assert sos.status == UrgentCase.Status.CLOSED and sos.closed_by == manager
        row = AuditLog.objects.get(action="crisis.case_close")
        assert "call_worker" in row.reason
        assert agent.notifications.filter(key="urgent_closed").exists()
        with pytest.raises(ValidationError):
            services.case_take(case=sos, actor=manager)


class TestWorkerPage:
    def test_the_button_opens_a_case_and_the_page_lists_numbers_for_japan(
        self, client_for, worker, candidate_user, manager
    ):
        client = client_for(candidate_user)
        page = client.get(reverse("crisis:my_sos")).content.decode()
        assert "KBRI Tokyo" in page and "KBRI Seoul" not in page
        assert "Saya butuh bantuan darurat" in page
        response = client.post(reverse("crisis:my_sos"), {"words": "majikan memukul"})
        assert response.status_code == 302
        case = UrgentCase.objects.get(candidate=worker)
        assert case.opened_via == UrgentCase.Via.WEB and case.opened_by == candidate_user
        assert manager.notifications.filter(key="urgent_opened").exists()

    def test_before_departure_the_page_shows_numbers_but_no_button(
        self, client_for, candidate_user
    ):
        CandidateFactory(stage=Stage.TRAINED, user=candidate_user)
        page = client_for(candidate_user).get(reverse("crisis:my_sos")).content.decode()
        assert "KBRI Tokyo" in page and "Saya butuh bantuan darurat" not in page


class TestStaff:
    def test_the_office_opens_a_repatriation_with_its_steps(self, client_for, worker, manager):
        response = client_for(manager).post(
            reverse("crisis:staff_open", args=[worker.pk]),
            {"kind": "illness", "words": "Keluarga menelepon: dirawat di RS Nagoya"},
        )
        case = UrgentCase.objects.get()
        assert response["Location"] == reverse("crisis:case", args=[case.pk])
        assert {"treatment", "return_home"} <= set(case.steps.values_list("code", flat=True))

    def test_a_worker_not_yet_abroad_cannot_have_a_case(self, manager):
        person = CandidateFactory(stage=Stage.VERIFIED)
        with pytest.raises(ValidationError):
            services.urgent_open(candidate=person, kind="illness", words="x", actor=manager)

    def test_the_case_shows_the_latest_address_abroad(self, worker, manager):
        ArrivalConfirmation.objects.create(
            candidate=worker,
            arrived_on=timezone.localdate() - datetime.timedelta(days=20),
            confirmed_by_kind=ReporterKind.WORKER,
            address_abroad="Asrama Sakura, Nagoya",
        )
        contacts = latest_contacts(worker)
        assert contacts["address_abroad"] == "Asrama Sakura, Nagoya"
        assert contacts["phone_abroad"] == WORKER_PHONE_ABROAD
        assert contacts["country"] == "JP"


@pytest.mark.rule("crisis.steps_for")
def test_every_kind_has_steps_each_with_a_source():
    for kind in rules.Kind:
        steps = rules.steps_for(kind)
        assert steps and all(step.sources and step.hours > 0 for step in steps)
    assert {k.value for k in rules.Kind} == set(UrgentCase.Kind.values)


def test_the_tags_other_pages_include(rf, sos, manager, agent_b, worker):
    from django.template import Context, Template

    page = Template("{% load crisis %}{% urgent_first %}{% emergency_contacts worker %}")
    request = rf.get("/")
    request.user = manager
    html = page.render(Context({"request": request, "worker": worker}))
    assert reverse("crisis:case", args=[sos.pk]) in html and "KBRI Tokyo" in html
    request.user = agent_b
    assert reverse("crisis:case", args=[sos.pk]) not in page.render(
        Context({"request": request, "worker": worker})
    )

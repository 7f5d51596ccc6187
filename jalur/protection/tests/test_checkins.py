"""The structured monthly check-in: answers against the contract, the cases they open, and a missed
check-in escalating over the weeks (the clock moved with time_machine)."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure import services as departure
from jalur.departure.models import CaseStatus
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.notifications.models import Notification
from jalur.protection import services
from jalur.protection.models import (
    CheckIn,
    CheckInEscalation,
    Grievance,
    GrievanceCategory,
    ReporterKind,
)
from jalur.protection.selectors import monitoring_rows
from jalur.rules import checkins as rules

GOOD = {
    "wage_on_time": True,
    "passport_held": True,
    "housing_ok": True,
    "health_ok": True,
    "need_help": False,
}


def _depart(candidate: Candidate, case, *, days_ago: int = 10) -> Candidate:
    left = timezone.now() - datetime.timedelta(days=days_ago)
    type(case).objects.filter(pk=case.pk).update(
        status=CaseStatus.DEPARTED, departed_on=timezone.localdate(left)
    )
    Candidate.objects.filter(pk=candidate.pk).update(stage=Stage.DEPARTED, stage_changed_at=left)
    candidate.refresh_from_db()
    return candidate


@pytest.fixture
def worker(agency, agent, candidate_user):
    """A worker who left 10 days ago on a 210,000 JPY, 40-hour contract, placed by `agency`."""
    application = accept(make_order(make_agency(agency)), user=candidate_user)
    case = departure.case_open(application=application, actor=agent)
    return _depart(application.candidate, case)


@pytest.mark.django_db
class TestAnswers:
    def test_good_answers_are_good_news_and_keep_the_contract_they_were_compared_with(
        self, worker, candidate_user, manager
    ):
        checkin = services.checkin_answers_record(
            candidate=worker,
            answers={**GOOD, "wage_amount": Decimal("210000"), "hours_per_week": 40},
            reporter_kind=ReporterKind.WORKER,
            actor=candidate_user,
        )
        assert checkin.status == CheckIn.Status.GOOD
        assert (checkin.contract_wage, checkin.wage_currency) == (Decimal("210000"), "JPY")
        assert checkin.findings == [] and not Grievance.objects.exists()
        assert not manager.notifications.filter(key="checkin_problem").exists()

    def test_a_low_wage_opens_a_contract_violation_case_told_to_office_and_agency(
        self, worker, candidate_user, manager, agent
    ):
        checkin = services.checkin_answers_record(
            candidate=worker,
            answers={**GOOD, "wage_amount": Decimal("209999"), "hours_per_week": None},
            reporter_kind=ReporterKind.WORKER,
            actor=candidate_user,
            channel="sms",
        )
        assert checkin.status == CheckIn.Status.PROBLEM
        case = Grievance.objects.get(candidate=worker)
        assert case.category == GrievanceCategory.CONTRACT
        assert case.agency == agent.organisation
        assert "209.999 JPY" in case.description and "210.000 JPY" in case.description
        assert checkin.findings[0]["case"] == case.number
        problem = manager.notifications.get(key="checkin_problem")
        assert worker.full_name in problem.title and "#" not in problem.title
        assert manager.notifications.filter(key="grievance_opened").exists()
        assert agent.notifications.get(key="checkin_problem_agency").candidate_id == worker.pk
        audit = AuditLog.objects.filter(action="protection.checkin").latest("pk")
        assert audit.changes["cases"] == [None, [case.number]]

    def test_a_passport_held_by_someone_else_opens_a_passport_case_once(
        self, worker, candidate_user
    ):
        for _month in range(2):
            services.checkin_answers_record(
                candidate=worker,
                answers={**GOOD, "passport_held": False},
                reporter_kind=ReporterKind.WORKER,
                actor=candidate_user,
            )
        case = Grievance.objects.get(candidate=worker)  # the case still open, not a second
        assert case.category == GrievanceCategory.DOCUMENT_WITHHELD
        assert all(c.findings[0]["case_id"] == case.pk for c in worker.checkins.all())

    def test_a_call_for_help_is_a_problem_without_a_case(self, worker, candidate_user, manager):
        checkin = services.checkin_answers_record(
            candidate=worker,
            answers={**GOOD, "need_help": True},
            reporter_kind=ReporterKind.WORKER,
            actor=candidate_user,
        )
        assert checkin.status == CheckIn.Status.PROBLEM
        assert [f["kind"] for f in checkin.findings] == ["need_help"]
        assert not Grievance.objects.exists()

    def test_wrong_answers_say_what_to_fix_and_save_nothing(self, worker, candidate_user):
        with pytest.raises(ValidationError) as error:
            services.checkin_answers_record(
                candidate=worker,
                answers={"wage_on_time": True, "hours_per_week": 200, "wage_amount": "-5"},
                reporter_kind=ReporterKind.WORKER,
                actor=candidate_user,
            )
        fields = error.value.message_dict
        assert fields["passport_held"] == ["Jawab ya atau tidak."]
        assert "168" in fields["hours_per_week"][0]
        assert "angka" in fields["wage_amount"][0]
        assert not CheckIn.objects.exists()

    def test_the_old_check_in_still_works_for_staff_and_family(self, worker, manager):
        checkin = services.checkin_record(
            candidate=worker,
            status=CheckIn.Status.PROBLEM,
            note="Ibunya menelepon: belum digaji",
            reporter_kind=ReporterKind.FAMILY,
            actor=manager,
        )
        assert not checkin.answered
        message = manager.notifications.get(key="checkin_problem")
        assert worker.full_name in message.title and "belum digaji" in message.body


def _due(worker) -> datetime.date:
    return timezone.localdate(worker.stage_changed_at) + datetime.timedelta(days=30)


def _at(day: datetime.date):
    moment = datetime.datetime.combine(day, datetime.time(9), timezone.get_current_timezone())
    return time_machine.travel(moment, tick=False)


@pytest.mark.django_db
class TestEscalation:
    def test_a_missed_check_in_escalates_step_by_step_and_a_check_in_ends_it(
        self, worker, candidate_user, agent, manager, phone_outbox
    ):
        Candidate.objects.filter(pk=worker.pk).update(emergency_phone="+6281234567890")
        worker.refresh_from_db()
        services.family_notice_consent_set(candidate=worker, agreed=True, actor=candidate_user)
        due = _due(worker)
        with _at(due - datetime.timedelta(days=5)):
            assert services.checkin_escalations_run()["reminded"] == 0
        with _at(due - datetime.timedelta(days=2)):
            assert services.checkin_escalations_run()["reminded"] == 1
            services.checkin_escalations_run()  # run twice on a day: nothing sent twice
        assert candidate_user.notifications.filter(key="checkin_reminder").count() == 1
        escalation = CheckInEscalation.objects.get(candidate=worker)
        assert escalation.level == rules.Level.REMINDED and escalation.due_on == due
        with _at(due + datetime.timedelta(days=8)):  # past the 7 grace days: missed once
            out = io.StringIO()
            call_command("flag_missed_checkins", stdout=out)
        assert "told to the P3MI: 1" in out.getvalue()
        escalation.refresh_from_db()
        assert escalation.level == rules.Level.AGENCY_TOLD
        assert escalation.agency == agent.organisation
        assert escalation.agency_answer_due == due + datetime.timedelta(days=15)
        assert agent.notifications.filter(key="checkin_missed_agency").count() == 1
        assert not manager.notifications.filter(key="checkin_missed_twice").exists()
        with _at(due + datetime.timedelta(days=9)):
            services.checkin_escalation_answer(
                escalation=escalation, actor=agent, text="Majikan bilang pekerja sedang dirawat."
            )
        assert manager.notifications.filter(key="checkin_agency_answered").exists()
        with _at(due + datetime.timedelta(days=38)):  # a month and the grace days later
            services.checkin_escalations_run()
        escalation.refresh_from_db()
        assert escalation.level == rules.Level.FAMILY_OFFICE_TOLD
        twice = manager.notifications.get(key="checkin_missed_twice")
        assert "dirawat" in twice.body and worker.full_name in twice.title
        assert escalation.family_message.recipient == "+6281234567890"
        steps = AuditLog.objects.filter(action="protection.checkin_escalation")
        assert [row.changes["level"][1] for row in steps.order_by("pk")] == [
            "reminded",
            "agency_told",
            "family_office_told",
        ]
        with _at(due + datetime.timedelta(days=39)):
            checkin = services.checkin_answers_record(
                candidate=worker, answers=GOOD, reporter_kind=ReporterKind.WORKER, actor=agent
            )
            services.checkin_escalations_run()
        escalation.refresh_from_db()
        assert escalation.closed_by == checkin
        assert CheckInEscalation.objects.filter(candidate=worker).count() == 1

    def test_the_family_is_not_told_without_the_workers_agreement(
        self, worker, manager, phone_outbox
    ):
        Candidate.objects.filter(pk=worker.pk).update(emergency_phone="+6281234567890")
        due = _due(worker)
        with _at(due + datetime.timedelta(days=40)):  # the command did not run for weeks
            counts = services.checkin_escalations_run()
        assert counts == {"reminded": 1, "agency_told": 1, "family_office_told": 1}
        escalation = CheckInEscalation.objects.get(candidate=worker)
        assert escalation.family_message is None
        assert "tidak diberi tahu" in manager.notifications.get(key="checkin_missed_twice").body

    def test_the_agency_answers_once_and_only_when_asked(self, worker, agent):
        due = _due(worker)
        with _at(due - datetime.timedelta(days=1)):
            services.checkin_escalations_run()
        escalation = CheckInEscalation.objects.get(candidate=worker)
        with pytest.raises(ValidationError):
            services.checkin_escalation_answer(escalation=escalation, actor=agent, text="Sudah")
        with _at(due + datetime.timedelta(days=10)):
            services.checkin_escalations_run()
            with pytest.raises(ValidationError) as error:
                services.checkin_escalation_answer(escalation=escalation, actor=agent, text=" ")
            assert "text" in error.value.message_dict
            services.checkin_escalation_answer(escalation=escalation, actor=agent, text="Sudah")
            with pytest.raises(ValidationError):
                services.checkin_escalation_answer(escalation=escalation, actor=agent, text="Lagi")


class TestRules:
    def test_the_schedule(self):
        due = datetime.date(2028, 2, 29)

        def level(days):
            return rules.escalation_level(
                due=due, today=due + datetime.timedelta(days=days), interval_days=30, grace_days=7
            )

        assert [level(d) for d in (-4, -3, 0, 7, 8, 37, 38)] == [
            rules.Level.NONE,
            rules.Level.REMINDED,
            rules.Level.REMINDED,
            rules.Level.REMINDED,
            rules.Level.AGENCY_TOLD,
            rules.Level.AGENCY_TOLD,
            rules.Level.FAMILY_OFFICE_TOLD,
        ]

    def test_the_cases_are_grievance_categories(self):
        assert {c.value for c in rules.Case} <= set(GrievanceCategory.values)

    def test_hours_above_the_contract_and_a_late_wage(self):
        found = rules.checkin_findings(
            {**GOOD, "wage_on_time": False, "hours_per_week": 41}, contract_hours=40
        )
        assert [(f.kind, f.case) for f in found] == [
            ("hours_above_contract", "contract"),
            ("wage_late", "wages"),
        ]

    def test_no_contract_wage_nothing_to_compare(self):
        assert rules.checkin_findings({**GOOD, "wage_amount": Decimal(1)}) == []


@pytest.mark.django_db
def test_notifications_name_the_worker(worker, manager):
    services.checkin_record(
        candidate=worker,
        status=CheckIn.Status.PROBLEM,
        note="x",
        reporter_kind=ReporterKind.STAFF,
        actor=manager,
    )
    assert not Notification.objects.filter(title__contains="#").exists()


@pytest.mark.django_db
class TestPages:
    def test_the_worker_answers_on_the_phone_page_with_the_contract_as_hint(
        self, worker, client_for, candidate_user
    ):
        client = client_for(candidate_user)
        page = client.get(reverse("protection:my_checkin")).content.decode()
        assert "Menurut kontrak: 210.000 JPY sebulan" in page
        assert 'inputmode="numeric"' in page and 'type="radio"' in page
        refused = client.post(
            reverse("protection:my_checkin"),
            {"wage_on_time": "ya", "wage_amount": "180.000", "note": "gaji dipotong"},
        )
        assert refused.status_code == 200 and "Jawab ya atau tidak." in refused.content.decode()
        assert 'value="180.000"' in refused.content.decode()  # what was typed stays
        sent = client.post(
            reverse("protection:my_checkin"),
            {
                "wage_on_time": "ya",
                "wage_amount": "180.000",
                "passport_held": "ya",
                "hours_per_week": "40",
                "housing_ok": "ya",
                "health_ok": "ya",
                "need_help": "tidak",
                "note": "gaji dipotong",
            },
        )
        assert sent.status_code == 302
        checkin = worker.checkins.get()
        assert checkin.wage_amount == Decimal("180000") and checkin.status == "masalah"
        assert Grievance.objects.get(candidate=worker).category == "contract"

    def test_the_worker_sets_whether_the_family_may_be_told(
        self, worker, client_for, candidate_user
    ):
        Candidate.objects.filter(pk=worker.pk).update(emergency_phone="+6281234567890")
        client = client_for(candidate_user)
        client.post(reverse("protection:my_family_notice"), {"agreed": "ya"})
        assert services.family_may_be_told(worker)
        client.post(reverse("protection:my_family_notice"), {"agreed": "tidak"})
        assert not services.family_may_be_told(worker)
        assert AuditLog.objects.filter(action="protection.family_notice_consent").count() == 2

    def test_the_list_shows_names_answers_and_problems_first(
        self, worker, manager, client_for, candidate_user
    ):
        quiet = CandidateFactory(stage=Stage.DEPARTED, full_name="Sepi Tanpa Kabar")
        Candidate.objects.filter(pk=quiet.pk).update(
            stage_changed_at=timezone.now() - datetime.timedelta(days=60)
        )
        fine = CandidateFactory(stage=Stage.DEPARTED, full_name="Baik Baik Saja")
        services.checkin_answers_record(
            candidate=fine, answers=GOOD, reporter_kind=ReporterKind.WORKER
        )
        services.checkin_answers_record(
            candidate=worker,
            answers={**GOOD, "need_help": True, "wage_amount": Decimal("1")},
            reporter_kind=ReporterKind.WORKER,
            actor=candidate_user,
        )
        rows = monitoring_rows(manager)
        assert [r.pk for r in rows] == [worker.pk, quiet.pk, fine.pk]
        assert ("minta bantuan", True) in rows[0].badges
        page = client_for(manager).get(reverse("protection:monitoring")).content.decode()
        assert worker.full_name in page and "gaji di bawah kontrak" in page
        problems = client_for(manager).get(reverse("protection:monitoring") + "?tampil=masalah")
        assert worker.full_name in problems.content.decode()
        assert "Sepi Tanpa Kabar" not in problems.content.decode()

    def test_the_agency_answers_from_the_worker_page_another_agency_cannot(
        self, worker, agent, agent_b, client_for
    ):
        with _at(_due(worker) + datetime.timedelta(days=8)):
            services.checkin_escalations_run()
        escalation = CheckInEscalation.objects.get(candidate=worker)
        url = reverse("protection:worker_escalation_answer", args=[worker.pk, escalation.pk])
        assert client_for(agent_b).post(url, {"text": "x"}).status_code == 404
        page = client_for(agent).get(reverse("protection:worker", args=[worker.pk]))
        assert url in page.content.decode()
        client_for(agent).post(url, {"text": "Pekerja sakit, sudah kami hubungi."})
        escalation.refresh_from_db()
        assert escalation.agency_answered_by == agent
        timeline = client_for(agent).get(reverse("protection:worker", args=[worker.pk]))
        assert "Pekerja sakit, sudah kami hubungi." in timeline.content.decode()

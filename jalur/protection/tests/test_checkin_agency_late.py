"""A P3MI that lets its deadline to answer a missed check-in pass: the office is told, once, and it
is on the worker's timeline. And the reminder reaches a worker without an account at the number
where they are (abroad), not at the Indonesian one they left behind. The clock is moved with
time_machine; the days are counted from the worker's departure, never pinned."""

import datetime

import pytest

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate
from jalur.departure import services as departure
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.notifications.models import OutboxMessage
from jalur.protection import services
from jalur.protection.models import CheckInEscalation, ReporterKind

from .test_checkins import GOOD, _at, _depart, _due

KOREAN = "+821012345678"


@pytest.fixture
def placed(agency, agent, candidate_user):
    """A worker who left 10 days ago, placed by `agency` (whose staff is `agent`)."""
    application = accept(make_order(make_agency(agency)), user=candidate_user)
    case = departure.case_open(application=application, actor=agent)
    return _depart(application.candidate, case)


def _missed(worker) -> CheckInEscalation:
    """The check-in missed and the P3MI told (the day after the grace days)."""
    due = _due(worker)
    with _at(due + datetime.timedelta(days=8)):
        services.checkin_escalations_run()
    escalation = CheckInEscalation.objects.get(candidate=worker)
    assert escalation.agency_told_at is not None and escalation.agency_answer_due is not None
    return escalation


@pytest.mark.django_db
class TestAgencyLate:
    def test_the_office_is_told_once_when_the_agency_lets_the_deadline_pass(
        self, placed, agent, manager, client_for
    ):
        escalation = _missed(placed)
        deadline = escalation.agency_answer_due
        with _at(deadline):  # the last day to answer: not late yet
            services.checkin_escalations_run()
        assert not manager.notifications.filter(key="checkin_agency_late").exists()
        with _at(deadline + datetime.timedelta(days=1)):
            services.checkin_escalations_run()
            services.checkin_escalations_run()  # run twice on a day: told once
        with _at(deadline + datetime.timedelta(days=2)):
            services.checkin_escalations_run()
        told = manager.notifications.filter(key="checkin_agency_late")
        assert told.count() == 1
        note = told.get()
        assert placed.full_name in note.title
        assert agent.organisation.name in note.body
        assert deadline.strftime("%d-%m-%Y") in note.body
        assert note.link == f"/pelindungan/pekerja/{placed.pk}/"
        assert not agent.notifications.filter(key="checkin_agency_late").exists()
        escalation.refresh_from_db()
        assert escalation.agency_late_told_at is not None
        audit = AuditLog.objects.get(action="protection.checkin_escalation_agency_late")
        assert audit.changes["agency_answer_due"] == [None, deadline.isoformat()]
        with _at(deadline + datetime.timedelta(days=30)):  # the second miss: still told once
            services.checkin_escalations_run()
        assert told.count() == 1
        with _at(deadline + datetime.timedelta(days=30)):
            response = client_for(manager).get(f"/pelindungan/pekerja/{placed.pk}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "tidak menjawab sampai" in page and "Disnakertrans diberi tahu" in page

    def test_not_told_when_the_agency_answered_in_time(self, placed, agent, manager):
        escalation = _missed(placed)
        with _at(escalation.agency_answer_due):
            services.checkin_escalation_answer(
                escalation=escalation, actor=agent, text="Pekerja pindah asrama, sudah dihubungi."
            )
        with _at(escalation.agency_answer_due + datetime.timedelta(days=3)):
            services.checkin_escalations_run()
        assert not manager.notifications.filter(key="checkin_agency_late").exists()
        escalation.refresh_from_db()
        assert escalation.agency_late_told_at is None

    def test_not_told_when_the_worker_checked_in_before_the_deadline(
        self, placed, candidate_user, manager
    ):
        escalation = _missed(placed)
        with _at(escalation.agency_answer_due - datetime.timedelta(days=1)):
            services.checkin_answers_record(
                candidate=placed,
                answers=GOOD,
                reporter_kind=ReporterKind.WORKER,
                actor=candidate_user,
            )
        with _at(escalation.agency_answer_due + datetime.timedelta(days=3)):
            services.checkin_escalations_run()
        assert not manager.notifications.filter(key="checkin_agency_late").exists()


@pytest.mark.django_db
def test_agency_late_is_true_only_past_the_deadline_while_unanswered_and_open(placed, agent):
    escalation = _missed(placed)
    deadline = escalation.agency_answer_due
    with _at(deadline):
        assert escalation.agency_late is False
    with _at(deadline + datetime.timedelta(days=1)):
        assert escalation.agency_late is True
    answered = CheckInEscalation(
        agency_answer_due=deadline, agency_answered_at=escalation.agency_told_at
    )
    closed = CheckInEscalation(agency_answer_due=deadline, closed_at=escalation.agency_told_at)
    never_asked = CheckInEscalation(agency_answer_due=None)
    with _at(deadline + datetime.timedelta(days=1)):
        assert not answered.agency_late and not closed.agency_late
        assert not never_asked.agency_late


@pytest.mark.django_db
class TestReminderNumber:
    def _without_account(self, worker, **fields):
        Candidate.objects.filter(pk=worker.pk).update(user=None, **fields)
        worker.refresh_from_db()
        return worker

    def _remind(self, worker) -> list[str]:
        with _at(_due(worker) - datetime.timedelta(days=2)):
            services.checkin_escalations_run()
        return list(
            OutboxMessage.objects.filter(subject="Pengingat kabar bulanan").values_list(
                "recipient", flat=True
            )
        )

    def test_the_reminder_goes_to_the_number_abroad(self, placed, phone_outbox):
        worker = self._without_account(placed, phone_abroad=KOREAN)
        assert self._remind(worker) == [KOREAN]
        assert worker.phone not in self._remind(worker)

    def test_without_a_number_abroad_it_goes_to_the_indonesian_one(self, placed, phone_outbox):
        worker = self._without_account(placed, phone="+6281234567890", phone_abroad="")
        assert self._remind(worker) == ["+6281234567890"]

"""Issue 15's gaps, closed: a second stay abroad is judged on its own (arrival, check-in due date,
escalation), the office finds a worker by their number abroad, texts to numbers without an account
go through one helper, and the office records a phoned-in check-in with the same seven answers."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.selectors import candidate_search
from jalur.notifications.models import OutboxMessage
from jalur.notifications.services import text_send
from jalur.protection import services
from jalur.protection.models import (
    ArrivalConfirmation,
    CheckIn,
    CheckInEscalation,
    Grievance,
    GrievanceCategory,
    ReporterKind,
)
from jalur.protection.selectors import current_arrival, monitoring_rows, overdue_checkin_count

from .test_checkins import GOOD, worker  # noqa: F401 - `worker`: the fixture, left 10 days ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_stay(worker):  # noqa: F811
    """The worker is abroad again (left 10 days ago); their first stay left an arrival confirmed
    and a check-in, both long before this departure."""
    long_ago = timezone.now() - datetime.timedelta(days=700)
    arrival = ArrivalConfirmation.objects.create(
        candidate=worker,
        arrived_on=timezone.localdate(long_ago),
        confirmed_by_kind=ReporterKind.WORKER,
    )
    ArrivalConfirmation.objects.filter(pk=arrival.pk).update(created_at=long_ago)
    CheckIn.objects.create(
        candidate=worker,
        status=CheckIn.Status.GOOD,
        reporter_kind=ReporterKind.WORKER,
        created_at=timezone.now() - datetime.timedelta(days=400),
    )
    return worker


class TestSecondStay:
    def test_the_worker_is_asked_for_this_stays_arrival(
        self, second_stay, candidate_user, client_for
    ):
        assert current_arrival(second_stay) is None
        client = client_for(candidate_user)
        html = client.get(reverse("protection:my_arrival")).content.decode()
        assert 'name="arrived_on"' in html  # the form, not the first stay's arrival
        home = client.get(reverse("candidates:me")).content.decode()
        assert reverse("protection:my_arrival") in home  # "Konfirmasi tiba" is offered again
        today = timezone.localdate()
        client.post(reverse("protection:my_arrival"), {"arrived_on": today.isoformat()})
        assert current_arrival(second_stay).arrived_on == today
        html = client.get(reverse("protection:my_arrival")).content.decode()
        assert 'name="arrived_on"' not in html

    def test_the_office_sees_this_stays_arrival_missing(self, second_stay, manager, client_for):
        row = next(r for r in monitoring_rows(manager) if r.pk == second_stay.pk)
        assert row.arrived_on is None and row.arrival_missing
        html = client_for(manager).get(reverse("protection:worker", args=[second_stay.pk]))
        assert "Kedatangan untuk keberangkatan terakhir belum dikonfirmasi" in html.content.decode()

    def test_the_check_in_is_due_a_month_after_this_departure(self, second_stay, manager):
        row = next(r for r in monitoring_rows(manager) if r.pk == second_stay.pk)
        assert not row.checkin_overdue
        expected = second_stay.stage_changed_at + datetime.timedelta(days=30)
        assert row.next_checkin_due == expected
        assert overdue_checkin_count(manager) == 0

    def test_the_daily_run_does_not_escalate_the_first_stays_silence(self, second_stay):
        assert sum(services.checkin_escalations_run().values()) == 0
        assert not CheckInEscalation.objects.filter(candidate=second_stay).exists()
        # and it does remind once this stay's check-in comes near
        later = timezone.localdate() + datetime.timedelta(days=19)
        assert services.checkin_escalations_run(today=later)["reminded"] == 1
        escalation = CheckInEscalation.objects.get(candidate=second_stay)
        assert escalation.due_on == timezone.localdate(
            second_stay.stage_changed_at
        ) + datetime.timedelta(days=30)


class TestSearchAbroad:
    def test_the_office_finds_a_worker_by_their_number_abroad(self, worker, manager, leader):  # noqa: F811
        Candidate.objects.filter(pk=worker.pk).update(phone_abroad="+819012345678")
        everyone = Candidate.objects.all()
        for typed in ("+81 90-1234-5678", "0081 90 1234 5678", "+819012345678"):
            assert list(candidate_search(everyone, typed, user=manager)) == [worker]
        # a role that may not see identities cannot look a number up
        assert not candidate_search(everyone, "+81 90-1234-5678", user=leader).exists()

    def test_the_list_page_finds_them_too(self, worker, manager, client_for):  # noqa: F811
        Candidate.objects.filter(pk=worker.pk).update(phone_abroad="+821098765432")
        html = client_for(manager).get(reverse("candidates:list"), {"q": "+82 10-9876-5432"})
        assert worker.full_name in html.content.decode()


class TestTextSend:
    def test_a_text_without_an_account_is_queued_and_sent(self, phone_outbox):
        message = text_send(to="+6281234567890", subject="Uji", body="Halo dari Disnakertrans")
        assert message.notification_id is None and message.recipient == "+6281234567890"
        assert message.channel == "whatsapp" and message.status == OutboxMessage.Status.PENDING

    def test_nothing_is_written_when_phones_are_off(self, settings):
        settings.JALUR_PHONE_GATEWAY = ""
        assert text_send(to="+6281234567890", subject="Uji", body="Halo") is None
        assert not OutboxMessage.objects.exists()

    def test_nothing_without_a_number_or_a_text(self, phone_outbox):
        assert text_send(to="", subject="Uji", body="Halo") is None
        assert text_send(to="+6281234567890", subject="Uji", body="") is None
        assert not OutboxMessage.objects.exists()


class TestStaffCheckIn:
    def answers(self, **changed) -> dict:
        base = {
            "reporter_kind": "staff",
            "wage_on_time": "ya",
            "wage_amount": "210.000",
            "passport_held": "ya",
            "hours_per_week": "40",
            "housing_ok": "ya",
            "health_ok": "ya",
            "need_help": "tidak",
            "note": "Pekerja menelepon kantor",
        }
        return {**base, **changed}

    def test_a_low_wage_told_by_phone_opens_the_contract_case(
        self,
        worker,  # noqa: F811
        manager,
        agent,
        client_for,
    ):
        response = client_for(manager).post(
            reverse("protection:worker_checkin", args=[worker.pk]),
            self.answers(wage_amount="150.000"),
        )
        assert response.status_code == 302
        checkin = worker.checkins.get()
        assert checkin.channel == "phone" and checkin.reporter_kind == ReporterKind.STAFF
        assert checkin.wage_amount == Decimal("150000") and checkin.status == "masalah"
        assert checkin.note == "Pekerja menelepon kantor" and checkin.recorded_by == manager
        case = Grievance.objects.get(candidate=worker)
        assert case.category == GrievanceCategory.CONTRACT
        assert agent.notifications.filter(key="checkin_problem_agency").exists()
        html = client_for(manager).get(reverse("protection:worker", args=[worker.pk]))
        assert "lewat telepon ke kantor" in html.content.decode()

    def test_good_news_told_by_the_family(self, worker, manager, client_for):  # noqa: F811
        client_for(manager).post(
            reverse("protection:worker_checkin", args=[worker.pk]),
            self.answers(reporter_kind="family", note="Ibunya menelepon"),
        )
        checkin = worker.checkins.get()
        assert checkin.status == "baik" and checkin.reporter_kind == ReporterKind.FAMILY
        assert not Grievance.objects.filter(candidate=worker).exists()

    def test_a_wrong_answer_comes_back_with_everything_typed_kept(
        self,
        worker,  # noqa: F811
        manager,
        client_for,
    ):
        response = client_for(manager).post(
            reverse("protection:worker_checkin", args=[worker.pk]),
            self.answers(hours_per_week="200", note="Kakaknya menelepon dari Cilegon"),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Kakaknya menelepon dari Cilegon" in html and "<details open>" in html
        assert 'value="210.000"' in html or 'value="210000"' in html
        assert not worker.checkins.exists()

"""Return and after (issue 15): the reintegration follow-ups at 1, 3 and 6 months, their reminders
with the clock moved, and "Daftar lagi" starting a returnee's next cycle."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.placement.models import Application
from jalur.protection import services
from jalur.protection.models import FollowUpChannel, ReintegrationFollowUp
from jalur.protection.return_selectors import returnees_for
from jalur.rules.reintegration import follow_up_schedule

pytestmark = pytest.mark.django_db

RETURN = {
    "reason": "contract_finished",
    "handover_to": "Ibu Sari",
    "handover_witness": "Ahmad",
    "handover_witness_role": "Lurah Cipare",
    "handover_place": "Kantor Kelurahan Cipare",
    "reintegration": "business",
}
ANSWERS = {
    "working": False,
    "business_started": True,
    "business_what": "Warung makan Jepang",
    "income_band": "1to3",
    "wants_to_go_again": "yes",
    "go_again_where": "Jepang, perawat lansia",
    "needs": ["capital", "training"],
    "note": "",
}


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def travel(day: datetime.date):
    jakarta = datetime.timezone(datetime.timedelta(hours=7))
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), jakarta), tick=False
    )


@pytest.fixture
def departed(candidate_user):
    return CandidateFactory(stage=Stage.DEPARTED, user=candidate_user)


def come_home(candidate, manager, *, returned_on=None, **extra):
    return services.return_record(
        candidate=candidate,
        data={**RETURN, "returned_on": returned_on or timezone.localdate(), **extra},
        actor=manager,
    )


class TestFollowUps:
    def test_a_return_schedules_the_three_follow_ups_by_the_rule(self, departed, manager):
        record = come_home(departed, manager, returned_on=days_ago(3))
        rows = list(record.follow_ups.order_by("month").values_list("month", "due_on"))
        assert rows == [(f.month, f.due_on) for f in follow_up_schedule(days_ago(3))]
        audit = AuditLog.objects.filter(action="protection.return").latest("pk")
        assert len(audit.changes["follow_ups"][1]) == 3

    def test_no_follow_ups_after_a_death_abroad(self, departed, manager):
        record = come_home(departed, manager, reason="deceased")
        assert not record.follow_ups.exists()

    def test_the_stays_open_missed_check_ins_end_with_the_return(self, departed, manager):
        from jalur.protection.models import CheckInEscalation
        from jalur.protection.models.checkins import EscalationLevel

        missed = CheckInEscalation.objects.create(
            candidate=departed, due_on=days_ago(10), level=EscalationLevel.AGENCY_TOLD
        )
        come_home(departed, manager, returned_on=days_ago(1))
        missed.refresh_from_db()
        assert missed.closed_at is not None  # a next stay starts its own count

    def test_the_worked_offer_no_longer_holds_the_returnee(self, departed, manager, agency):
        application = accept(make_order(make_agency(agency)), candidate=departed)
        come_home(departed, manager, returned_on=days_ago(2))
        application.refresh_from_db()
        assert application.status == "accepted" and application.returned_on == days_ago(2)

    def test_the_returnee_answers_on_their_own_page(
        self, departed, manager, client_for, candidate_user
    ):
        come_home(departed, manager, returned_on=days_ago(40))
        client = client_for(candidate_user)
        page = client.get(reverse("protection:my_reintegration"))
        assert page.status_code == 200 and page.context["due"].month == 1
        refused = client.post(
            reverse("protection:my_reintegration"),
            {"working": "yes", "business_started": "no", "wants_to_go_again": "maybe"},
        )
        assert refused.status_code == 200  # working, but where? the rest kept as typed
        assert refused.context["form"].errors["work_where"]
        assert refused.context["form"]["wants_to_go_again"].value() == "maybe"
        done = client.post(
            reverse("protection:my_reintegration"),
            {
                "working": "yes",
                "work_where": "Pabrik garmen, Cikande",
                "business_started": "no",
                "income_band": "3to5",
                "wants_to_go_again": "maybe",
                "needs": ["legal"],
            },
        )
        assert done.status_code == 302
        follow_up = departed.reintegration_follow_ups.get(month=1)
        assert follow_up.channel == FollowUpChannel.SELF and follow_up.done_by == candidate_user
        assert follow_up.work_where == "Pabrik garmen, Cikande" and follow_up.needs == ["legal"]
        assert AuditLog.objects.filter(action="protection.reintegration_follow_up").exists()
        # the 3-month one is not yet due: nothing to answer, the next day is said
        again = client.get(reverse("protection:my_reintegration"))
        assert again.context["due"] is None and again.context["coming"].month == 3

    def test_a_follow_up_cannot_be_answered_early_or_twice(self, departed, manager):
        come_home(departed, manager, returned_on=days_ago(40))
        one, three = departed.reintegration_follow_ups.order_by("month")[:2]
        with pytest.raises(ValidationError, match="baru bisa diisi"):
            services.follow_up_record(
                follow_up=three, data=ANSWERS, channel=FollowUpChannel.PHONE, actor=manager
            )
        services.follow_up_record(
            follow_up=one, data=ANSWERS, channel=FollowUpChannel.PHONE, actor=manager
        )
        with pytest.raises(ValidationError, match="sudah diisi"):
            services.follow_up_record(
                follow_up=one, data=ANSWERS, channel=FollowUpChannel.PHONE, actor=manager
            )

    def test_the_office_records_a_phone_follow_up(self, departed, manager, client_for):
        come_home(departed, manager, returned_on=days_ago(40))
        client = client_for(manager)
        page = client.get(reverse("protection:returnee", args=[departed.pk]))
        assert page.status_code == 200 and page.context["due"].month == 1
        response = client.post(
            reverse("protection:returnee_follow_up", args=[departed.pk]),
            {
                "channel": "phone",
                "working": "no",
                "business_started": "no",
                "wants_to_go_again": "no",
                "go_again_where": "tidak dipakai",
            },
        )
        assert response.status_code == 302
        follow_up = departed.reintegration_follow_ups.get(month=1)
        assert follow_up.channel == "phone" and follow_up.go_again_where == ""


class TestReminders:
    def test_the_daily_job_reminds_the_returnee_then_tells_the_office(
        self, departed, manager, candidate_user
    ):
        record = come_home(departed, manager)
        first = record.follow_ups.get(month=1)
        with travel(first.due_on - datetime.timedelta(days=1)):
            assert services.follow_ups_remind() == {"returnees": 0, "office": 0}
        with travel(first.due_on):
            call_command("reintegration_remind")
            call_command("reintegration_remind")  # once only
        assert candidate_user.notifications.filter(key="reintegration_due").count() == 1
        with travel(first.due_on + datetime.timedelta(days=14)):
            assert services.follow_ups_remind()["office"] == 0
        with travel(first.due_on + datetime.timedelta(days=15)):
            assert services.follow_ups_remind() == {"returnees": 0, "office": 1}
            assert services.follow_ups_remind()["office"] == 0
            overdue = list(returnees_for(manager, today=timezone.localdate(), only_overdue=True))
            assert overdue == [departed]
        told = manager.notifications.get(key="reintegration_overdue")
        assert departed.full_name in told.body

    def test_no_reminder_for_someone_abroad_again(self, departed, manager, candidate_user):
        record = come_home(departed, manager)
        departed.refresh_from_db()
        type(departed).objects.filter(pk=departed.pk).update(stage=Stage.DEPARTED)
        with travel(record.follow_ups.get(month=6).due_on + datetime.timedelta(days=20)):
            assert services.follow_ups_remind() == {"returnees": 0, "office": 0}


class TestDaftarLagi:
    def test_a_returnee_starts_again_from_their_page(
        self, departed, manager, client_for, candidate_user
    ):
        come_home(departed, manager, returned_on=days_ago(10))
        client = client_for(candidate_user)
        empty = client.post(reverse("protection:my_restart"), {"reason": ""})
        assert empty.status_code == 200 and empty.context["form"].errors["confirm"]
        response = client.post(
            reverse("protection:my_restart"),
            {"reason": "Ingin bekerja lagi di Jepang", "confirm": "on"},
        )
        assert response.status_code == 302 and response["Location"] == reverse("candidates:me")
        departed.refresh_from_db()
        assert departed.stage == Stage.REGISTERING and departed.cycle == 2
        last = departed.stage_history.latest("created_at", "pk")
        assert last.from_stage == Stage.RETURNED and "Ingin bekerja lagi" in last.reason
        assert manager.notifications.filter(key="returnee_registered_again").exists()
        assert AuditLog.objects.filter(action="candidate.cycle_restart").exists()
        # the candidate's own registration form is open again, with their data
        step = client.get(reverse("candidates:register_step", args=["identitas"]))
        assert step.status_code == 200

    def test_only_a_returnee_may_start_again(self, departed, manager):
        with pytest.raises(ValidationError, match="sudah pulang"):
            services.cycle_restart(candidate=departed, actor=manager, reason="lagi")
        come_home(departed, manager, reason="deceased")
        with pytest.raises(ValidationError, match="meninggal"):
            services.cycle_restart(candidate=departed, actor=manager, reason="lagi")

    def test_the_desk_starts_again_on_the_returnees_behalf(self, departed, manager, client_for):
        come_home(departed, manager)
        response = client_for(manager).post(
            reverse("protection:returnee_restart", args=[departed.pk]),
            {"reason": "Datang ke kantor, ingin ke Korea", "confirm": "on"},
        )
        assert response.status_code == 302
        departed.refresh_from_db()
        assert departed.cycle == 2 and departed.stage == Stage.REGISTERING

    def test_the_office_list_shows_returnees_and_hides_them_from_agencies(
        self, departed, manager, client_for, agent
    ):
        come_home(departed, manager, returned_on=days_ago(60))
        page = client_for(manager).get(reverse("protection:returnees"))
        assert page.status_code == 200
        assert [row.pk for row in page.context["rows"]] == [departed.pk]
        assert page.context["rows"][0].follow_up_overdue
        assert client_for(agent).get(reverse("protection:returnees")).status_code == 403
        assert ReintegrationFollowUp.objects.filter(candidate=departed).count() == 3
        assert not Application.objects.exists()

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import Candidate, StageHistory
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.protection import services
from jalur.protection.models import CheckIn, ReporterKind, ReturnRecord
from jalur.protection.selectors import monitoring_rows


@pytest.fixture
def departed(candidate_user):
    return CandidateFactory(stage=Stage.DEPARTED, user=candidate_user)


@pytest.mark.django_db
class TestCheckIns:
    def test_a_worker_reports_good_news_from_a_phone(self, client_for, candidate_user, departed):
        client = client_for(candidate_user)
        yes = {"wage_on_time": "ya", "passport_held": "ya", "housing_ok": "ya", "health_ok": "ya"}
        response = client.post(reverse("protection:my_checkin"), {**yes, "need_help": "tidak"})
        assert response.status_code == 302
        assert departed.checkins.get().reporter_kind == ReporterKind.WORKER

    def test_a_problem_needs_a_note_and_alerts_the_managers(
        self, departed, manager, candidate_user
    ):
        with pytest.raises(ValidationError):
            services.checkin_record(
                candidate=departed,
                status=CheckIn.Status.PROBLEM,
                note=" ",
                reporter_kind=ReporterKind.WORKER,
                actor=candidate_user,
            )
        services.checkin_record(
            candidate=departed,
            status=CheckIn.Status.PROBLEM,
            note="Jam kerja 14 jam",
            reporter_kind=ReporterKind.WORKER,
            actor=candidate_user,
        )
        assert manager.notifications.filter(key="checkin_problem").exists()

    def test_someone_not_yet_departed_cannot_check_in(self, candidate_user):
        candidate = CandidateFactory(stage=Stage.VERIFIED, user=candidate_user)
        with pytest.raises(ValidationError) as error:
            services.checkin_record(
                candidate=candidate,
                status="baik",
                note="",
                reporter_kind=ReporterKind.WORKER,
                actor=candidate_user,
            )
        assert "sudah berangkat" in str(error.value)

    def test_a_missed_check_in_is_visible_to_the_office(
        self, departed, manager, client_for, settings
    ):
        fresh = CandidateFactory(stage=Stage.DEPARTED)
        CheckIn.objects.create(
            candidate=fresh,
            status="baik",
            reporter_kind=ReporterKind.WORKER,
            created_at=timezone.now(),
        )
        # left two months ago; the last check-in 40 days ago
        Candidate.objects.filter(pk=departed.pk).update(
            stage_changed_at=timezone.now() - datetime.timedelta(days=60)
        )
        CheckIn.objects.create(
            candidate=departed,
            status="baik",
            reporter_kind=ReporterKind.WORKER,
            created_at=timezone.now() - datetime.timedelta(days=40),
        )
        rows = monitoring_rows(manager)
        assert [r.pk for r in rows] == [departed.pk, fresh.pk]  # overdue first
        assert rows[0].checkin_overdue and not rows[1].checkin_overdue
        page = (
            client_for(manager)
            .get(reverse("protection:monitoring") + "?overdue=1")
            .content.decode()
        )
        assert departed.full_name in page and fresh.full_name not in page
        call_command("flag_missed_checkins", stdout=__import__("io").StringIO())
        assert manager.notifications.filter(key="checkins_missed").exists()

    def test_the_office_records_news_the_family_gave_by_phone(self, client_for, manager, departed):
        client_for(manager).post(
            reverse("protection:worker_checkin", args=[departed.pk]),
            {
                "reporter_kind": "family",
                **dict.fromkeys(("wage_on_time", "passport_held", "housing_ok"), "ya"),
                "health_ok": "ya",
                "need_help": "tidak",
                "note": "Ibunya menelepon",
            },
        )
        checkin = departed.checkins.get()
        assert checkin.reporter_kind == ReporterKind.FAMILY and checkin.channel == "phone"


@pytest.mark.django_db
class TestArrivalAndReturn:
    def test_the_worker_confirms_arrival(self, client_for, candidate_user, departed):
        today = timezone.localdate()
        client_for(candidate_user).post(
            reverse("protection:my_arrival"), {"arrived_on": today.isoformat()}
        )
        assert departed.arrivals.get().arrived_on == today

    def test_an_arrival_date_in_the_future_is_refused(self, departed, candidate_user):
        with pytest.raises(ValidationError):
            services.arrival_confirm(
                candidate=departed,
                arrived_on=timezone.localdate() + datetime.timedelta(days=2),
                confirmed_by_kind="worker",
                actor=candidate_user,
            )

    def test_an_arrival_before_the_departure_date_is_refused_with_the_date(
        self, departed, candidate_user
    ):
        left = timezone.localdate(departed.stage_changed_at).strftime("%d-%m-%Y")
        with pytest.raises(ValidationError) as error:
            services.arrival_confirm(
                candidate=departed,
                arrived_on=datetime.date(2020, 1, 1),
                confirmed_by_kind="worker",
                actor=candidate_user,
            )
        assert error.value.message_dict["arrived_on"] == [
            f"Tanggal tiba tidak boleh sebelum tanggal berangkat ({left})."
        ]
        assert not departed.arrivals.exists()

    def test_the_flight_date_of_the_departure_counts_when_there_is_one(
        self, departed, candidate_user, agency, agent
    ):
        """The group was marked departed days after the flight: the worker may have arrived before
        the day of the click, never before the flight."""
        from jalur.departure import services as departure
        from jalur.departure.models import CaseStatus
        from jalur.departure.tests.conftest import accept, make_agency, make_order

        flight = timezone.localdate() - datetime.timedelta(days=10)
        case = departure.case_open(
            application=accept(make_order(make_agency(agency)), candidate=departed), actor=agent
        )
        type(case).objects.filter(pk=case.pk).update(status=CaseStatus.DEPARTED, departed_on=flight)
        with pytest.raises(ValidationError) as error:
            services.arrival_confirm(
                candidate=departed,
                arrived_on=flight - datetime.timedelta(days=1),
                confirmed_by_kind="agency",
                actor=agent,
            )
        assert flight.strftime("%d-%m-%Y") in str(error.value)
        arrival = services.arrival_confirm(
            candidate=departed,
            arrived_on=flight + datetime.timedelta(days=1),
            confirmed_by_kind="agency",
            actor=agent,
        )
        assert arrival.arrived_on == flight + datetime.timedelta(days=1)

    def test_the_worker_sees_the_refusal_beside_the_date(
        self, client_for, candidate_user, departed
    ):
        response = client_for(candidate_user).post(
            reverse("protection:my_arrival"),
            {"arrived_on": "2020-01-01", "address_abroad": "Ansan, Gyeonggi"},
        )
        assert response.status_code == 200
        assert "Tanggal tiba tidak boleh sebelum tanggal berangkat" in str(
            response.context["form"].errors["arrived_on"]
        )
        assert "Ansan, Gyeonggi" in response.content.decode()

    def test_the_office_is_told_why_its_arrival_date_is_refused(
        self, client_for, manager, departed
    ):
        response = client_for(manager).post(
            reverse("protection:worker_arrival", args=[departed.pk]),
            {"arrived_on": "2020-01-01"},
            follow=True,
        )
        assert "Tanggal tiba tidak boleh sebelum tanggal berangkat" in response.content.decode()
        assert not departed.arrivals.exists()

    def test_once_arrived_the_worker_sees_the_arrival_instead_of_a_blank_form(
        self, client_for, candidate_user, departed
    ):
        today = timezone.localdate()
        client = client_for(candidate_user)
        client.post(
            reverse("protection:my_arrival"),
            {"arrived_on": today.isoformat(), "address_abroad": "Ansan, Gyeonggi"},
        )
        page = client.get(reverse("protection:my_arrival")).content.decode()
        assert 'name="arrived_on"' not in page
        assert "Ansan, Gyeonggi" in page and "sudah tercatat" in page
        # sending the old form again records nothing more
        client.post(
            reverse("protection:my_arrival"),
            {"arrived_on": (today - datetime.timedelta(days=1)).isoformat()},
        )
        assert departed.arrivals.count() == 1

    def test_a_return_with_a_witnessed_handover_moves_the_stage(
        self, client_for, manager, departed
    ):
        response = client_for(manager).post(
            reverse("protection:worker_return", args=[departed.pk]),
            {
                "returned_on": timezone.localdate().isoformat(),
                "reason": "contract_finished",
                "handover_to": "Ibu Sari",
                "handover_witness": "Ahmad",
                "handover_witness_role": "Lurah Cipare",
                "handover_place": "Kantor Kelurahan Cipare",
                "reintegration": "business",
            },
        )
        assert response.status_code == 302
        departed.refresh_from_db()
        assert departed.stage == Stage.RETURNED
        assert ReturnRecord.objects.get(candidate=departed).handover_witness_role == "Lurah Cipare"
        assert StageHistory.objects.filter(candidate=departed, to_stage=Stage.RETURNED).exists()

    def test_a_return_form_with_missing_witness_says_what_to_fill(
        self, client_for, manager, departed
    ):
        response = client_for(manager).post(
            reverse("protection:worker_return", args=[departed.pk]),
            {"returned_on": timezone.localdate().isoformat()},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["handover_witness"]
        departed.refresh_from_db()
        assert departed.stage == Stage.DEPARTED

    def test_other_roles_cannot_record_a_return(self, client_for, role_users, departed):
        for role in (
            "registration_officer",
            "verifier",
            "leadership",
            "training_staff",
            "agency_staff",
            "candidate",
        ):
            assert (
                client_for(role_users[role])
                .get(reverse("protection:worker_return", args=[departed.pk]))
                .status_code
                == 403
            ), role

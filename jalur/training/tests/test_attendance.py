"""The attendance register: present by default, one tap per exception, rates, fixed query count."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.training.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from jalur.training.selectors import attendance_rates
from jalur.training.services import (
    attendance_mark,
    attendance_register_save,
    cohort_close,
    enrolment_create,
)

from .factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


def enrol_many(cohort, n, actor):
    return [
        enrolment_create(
            cohort=cohort, candidate=CandidateFactory(stage=Stage.VERIFIED), actor=actor
        )
        for _ in range(n)
    ]


def cohort_start(cohort):
    return timezone.make_aware(datetime.datetime.combine(cohort.start_date, datetime.time(7)))


def seed_trainees(cohort, n):
    """Many trainees fast (bulk), for the query-count tests."""
    people = [CandidateFactory(stage=Stage.TRAINING) for _ in range(n)]
    now = timezone.now()
    return Enrolment.objects.bulk_create(
        [
            Enrolment(cohort=cohort, candidate=p, status=EnrolmentStatus.ENROLLED, enrolled_at=now)
            for p in people
        ]
    )


class TestRegister:
    def test_the_first_tap_marks_everyone_present_and_the_tapped_one_absent(self, cohort, trainer):
        trainees = enrol_many(cohort, 3, trainer)
        session = SessionFactory(cohort=cohort)
        attendance_mark(
            session=session, enrolment=trainees[1], status=AttendanceStatus.ABSENT, actor=trainer
        )
        statuses = dict(
            Attendance.objects.filter(session=session).values_list("enrolment_id", "status")
        )
        assert statuses == {
            trainees[0].pk: "present",
            trainees[1].pk: "absent",
            trainees[2].pk: "present",
        }
        session.refresh_from_db()
        assert session.register_saved_at and session.register_saved_by == trainer
        log = AuditLog.objects.get(action="training.attendance.mark")
        assert log.changes == {"status": ["present", "absent"]}

    def test_saving_the_whole_register_keeps_everyone_not_listed_present(self, cohort, trainer):
        trainees = enrol_many(cohort, 3, trainer)
        session = SessionFactory(cohort=cohort)
        counts = attendance_register_save(
            session=session,
            statuses={trainees[0].pk: "late", trainees[2].pk: "excused"},
            actor=trainer,
        )
        assert counts == {"present": 1, "late": 1, "excused": 1, "absent": 0}

    def test_rate_counts_present_and_late_but_not_excused(self, cohort, trainer):
        (trainee,) = enrol_many(cohort, 1, trainer)
        Enrolment.objects.filter(pk=trainee.pk).update(enrolled_at=cohort_start(cohort))
        today = timezone.localdate()
        for offset, status in enumerate(["present", "late", "excused"]):
            session = SessionFactory(cohort=cohort, date=today - datetime.timedelta(days=offset))
            attendance_mark(session=session, enrolment=trainee, status=status, actor=trainer)
        rate = attendance_rates([trainee.pk])[trainee.pk]
        assert (rate.attended, rate.total, rate.excused) == (2, 3, 1)
        assert str(rate.pct) == "66.7"

    def test_a_future_session_cannot_be_marked(self, cohort, trainer):
        (trainee,) = enrol_many(cohort, 1, trainer)
        session = SessionFactory(
            cohort=cohort, date=timezone.localdate() + datetime.timedelta(days=1)
        )
        with pytest.raises(ValidationError) as error:
            attendance_mark(session=session, enrolment=trainee, status="absent", actor=trainer)
        assert "belum berlangsung" in error.value.messages[0]

    def test_a_trainee_of_another_cohort_cannot_be_marked(self, cohort, cohort_b, trainer):
        (trainee,) = enrol_many(cohort_b, 1, trainer)
        with pytest.raises(ValidationError):
            attendance_mark(
                session=SessionFactory(cohort=cohort),
                enrolment=trainee,
                status="absent",
                actor=trainer,
            )

    def test_a_closed_cohort_register_is_frozen(self, lpk, programme, trainer, manager):
        today = timezone.localdate()
        cohort = CohortFactory(
            provider=lpk,
            programme=programme,
            start_date=today - datetime.timedelta(days=5),
            end_date=today,
        )
        (trainee,) = enrol_many(cohort, 1, manager)
        session = SessionFactory(cohort=cohort, date=today)
        cohort_close(cohort=cohort, actor=manager)
        with pytest.raises(ValidationError):
            attendance_mark(session=session, enrolment=trainee, status="absent", actor=trainer)


class TestRegisterPage:
    def test_a_tap_through_htmx_returns_the_updated_row(self, cohort, trainer, client_for):
        trainees = enrol_many(cohort, 2, trainer)
        session = SessionFactory(cohort=cohort)
        response = client_for(trainer).post(
            reverse("training:register_mark", args=[session.pk, trainees[0].pk]),
            {f"s-{trainees[0].pk}": "absent"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'value="absent" checked' in html and "<html" not in html
        assert Attendance.objects.get(enrolment=trainees[0]).status == "absent"

    def test_the_form_without_javascript_saves_the_register(self, cohort, trainer, client_for):
        trainees = enrol_many(cohort, 2, trainer)
        session = SessionFactory(cohort=cohort)
        response = client_for(trainer).post(
            reverse("training:register", args=[session.pk]),
            {f"s-{trainees[0].pk}": "present", f"s-{trainees[1].pk}": "late"},
            follow=True,
        )
        assert "Absensi disimpan: 1 hadir, 1 terlambat" in response.content.decode()

    def test_a_refused_tap_shows_the_reason_in_the_row(self, cohort, trainer, client_for):
        (trainee,) = enrol_many(cohort, 1, trainer)
        session = SessionFactory(
            cohort=cohort, date=timezone.localdate() + datetime.timedelta(days=2)
        )
        response = client_for(trainer).post(
            reverse("training:register_mark", args=[session.pk, trainee.pk]),
            {f"s-{trainee.pk}": "absent"},
            HTTP_HX_REQUEST="true",
        )
        assert "belum berlangsung" in response.content.decode()

    @pytest.mark.parametrize("size", [5, 40])
    def test_the_register_page_runs_a_fixed_number_of_queries(
        self, size, cohort, trainer, client_for, django_assert_num_queries
    ):
        cohort.capacity = 40
        cohort.save()
        trainees = seed_trainees(cohort, size)
        Enrolment.objects.filter(cohort=cohort).update(enrolled_at=cohort_start(cohort))
        earlier = SessionFactory(
            cohort=cohort, date=timezone.localdate() - datetime.timedelta(days=1)
        )
        attendance_register_save(
            session=earlier, statuses={trainees[0].pk: "absent"}, actor=trainer
        )
        session = SessionFactory(cohort=cohort)
        client = client_for(trainer)
        # session + user (auth), unread notifications, the session with its cohort, the marks of
        # this session, the trainees with their names, their attendance rates (their cohorts, the
        # cohort's taken sessions, their marks)
        with django_assert_num_queries(9):
            response = client.get(reverse("training:register", args=[session.pk]))
        assert response.status_code == 200
        assert response.content.decode().count('class="reg-row"') == size

    @pytest.mark.parametrize("size", [5, 40])
    def test_one_tap_runs_a_fixed_number_of_queries(
        self, size, cohort, trainer, client_for, django_assert_max_num_queries
    ):
        cohort.capacity = 40
        cohort.save()
        trainees = seed_trainees(cohort, size)
        session = SessionFactory(cohort=cohort)
        client = client_for(trainer)
        client.post(
            reverse("training:register_mark", args=[session.pk, trainees[0].pk]),
            {f"s-{trainees[0].pk}": "late"},
            HTTP_HX_REQUEST="true",
        )
        with django_assert_max_num_queries(20):
            client.post(
                reverse("training:register_mark", args=[session.pk, trainees[-1].pk]),
                {f"s-{trainees[-1].pk}": "absent"},
                HTTP_HX_REQUEST="true",
            )


def test_a_trainee_who_joined_later_is_not_on_an_earlier_sessions_register(cohort, trainer):
    early = enrol_many(cohort, 1, trainer)[0]
    session = SessionFactory(cohort=cohort, date=timezone.localdate() - datetime.timedelta(days=3))
    for days in range(1, 5):  # sessions left, so the late joiner can still pass
        SessionFactory(cohort=cohort, date=timezone.localdate() + datetime.timedelta(days=days))
    late = enrol_many(cohort, 1, trainer)[0]
    Enrolment.objects.filter(pk=early.pk).update(
        enrolled_at=timezone.now() - datetime.timedelta(days=5)
    )
    attendance_register_save(session=session, statuses={}, actor=trainer)
    assert list(Attendance.objects.values_list("enrolment_id", flat=True)) == [early.pk]
    from jalur.training.selectors import register_rows

    assert [row.enrolment.pk for row in register_rows(session)] == [early.pk]
    # the session held before they joined counts as missed: a certificate is for the programme
    assert attendance_rates([late.pk])[late.pk].missed_before_joining == 1

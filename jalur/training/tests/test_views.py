"""Training pages for every role: who may see and change what, and the work done through them."""

import datetime

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.access import candidates_for
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import Pathway
from jalur.training.models import (
    Assessment,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Provider,
    Session,
)
from jalur.training.selectors import attendance_rates
from jalur.training.services import (
    assessment_record,
    attendance_mark,
    attendance_register_save,
    enrolment_create,
)

from .factories import SessionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def enrol(cohort, actor, **kwargs):
    return enrolment_create(
        cohort=cohort, candidate=CandidateFactory(stage=Stage.VERIFIED, **kwargs), actor=actor
    )


class TestWhoSeesWhat:
    def test_training_staff_see_only_their_own_providers_cohorts(
        self, client_for, cohort, cohort_b, trainer, verifier
    ):
        page = client_for(trainer).get(reverse("training:cohort_list")).content.decode()
        assert cohort.name in page and cohort_b.name not in page
        page = client_for(verifier).get(reverse("training:cohort_list")).content.decode()
        assert cohort.name in page and cohort_b.name in page

    def test_another_providers_cohort_is_not_found(self, client_for, cohort, trainer_b):
        for name in ["cohort_detail", "cohort_edit", "cohort_schedule", "cohort_costs"]:
            assert (
                client_for(trainer_b).get(reverse(f"training:{name}", args=[cohort.pk])).status_code
                == 404
            ), name

    def test_agencies_and_candidates_have_no_training_pages(
        self, client_for, cohort, agent, candidate_user
    ):
        for user in (agent, candidate_user):
            client = client_for(user)
            assert client.get(reverse("training:cohort_list")).status_code == 403
            assert (
                client.get(reverse("training:cohort_detail", args=[cohort.pk])).status_code == 403
            )

    def test_verifiers_and_leaders_read_but_do_not_change(
        self, client_for, cohort, verifier, leader
    ):
        for user in (verifier, leader):
            client = client_for(user)
            assert (
                client.get(reverse("training:cohort_detail", args=[cohort.pk])).status_code == 200
            )
            assert client.get(reverse("training:cohort_edit", args=[cohort.pk])).status_code == 403
            response = client.post(
                reverse("training:cohort_costs", args=[cohort.pk]),
                {"item": "venue", "amount": 1000, "payer": "city_budget"},
            )
            assert response.status_code == 403

    def test_office_managers_enrol_and_the_provider_proposes(
        self, client_for, cohort, trainer, manager, verifier
    ):
        url = reverse("training:cohort_enrol", args=[cohort.pk])
        assert "Usulkan peserta" in client_for(trainer).get(url).content.decode()
        assert client_for(verifier).get(url).status_code == 403
        assert "Daftarkan peserta" in client_for(manager).get(url).content.decode()

    def test_enrolling_nobody_or_someone_just_enrolled_says_what_to_do(
        self, client_for, cohort, manager, trainer
    ):
        person = CandidateFactory(stage=Stage.VERIFIED)
        url = reverse("training:cohort_enrol", args=[cohort.pk])
        client = client_for(manager)
        empty = client.post(url, {})
        assert "Centang minimal satu orang" in empty.content.decode()
        client.post(url, {"candidates": [person.pk]})
        again = client.post(url, {"candidates": [person.pk]})  # Back, then submit again
        assert "Muat ulang halaman" in again.content.decode()
        assert cohort.enrolments.count() == 1
        page = client_for(trainer).get(reverse("training:cohort_detail", args=[cohort.pk]))
        assert "pengelola program" not in page.content.decode()  # there is a trainee now

    def test_the_enrol_page_warns_when_sessions_already_held_make_passing_impossible(
        self, client_for, cohort, trainer, manager
    ):
        """QA: someone enrolled 16 sessions into a 68-session cohort could reach 76% at most.
        A session held counts whether or not its register was taken."""
        url = reverse("training:cohort_enrol", args=[cohort.pk])
        assert "sudah berlangsung" not in client_for(manager).get(url).content.decode()
        for days in range(0, 10):
            SessionFactory(cohort=cohort, date=TODAY + datetime.timedelta(days=days))
        assert "sudah berlangsung" not in client_for(manager).get(url).content.decode()
        SessionFactory(cohort=cohort, date=TODAY - datetime.timedelta(days=1))
        page = client_for(manager).get(url).content.decode()
        assert "1 dari 11 sesi sudah berlangsung" in page and "paling tinggi 90,9%" in page
        assert "tidak bisa lulus" not in page  # 90.9% still passes the 80% minimum
        for days in range(2, 5):
            SessionFactory(cohort=cohort, date=TODAY - datetime.timedelta(days=days))
        page = client_for(manager).get(url).content.decode()
        assert "4 dari 14 sesi" in page and "tidak bisa lulus di angkatan ini" in page

    def test_a_provider_is_told_who_enrols(self, client_for, cohort, trainer):
        page = client_for(trainer).get(reverse("training:cohort_detail", args=[cohort.pk]))
        assert "didaftarkan oleh pengelola program" in page.content.decode()

    def test_the_enrol_page_finds_a_person_by_name_or_nik(self, client_for, cohort, manager):
        person = CandidateFactory(stage=Stage.VERIFIED, full_name="Wulan Sari")
        url = reverse("training:cohort_enrol", args=[cohort.pk])
        for q in ("wulan", person.nik, person.nik[:10]):
            page = client_for(manager).get(url, {"q": q}).content.decode()
            assert "Wulan Sari" in page, q

    def test_a_provider_deletes_only_results_recorded_in_its_own_cohorts(
        self, client_for, cohort, cohort_b, trainer, trainer_b, manager
    ):
        """Provider B trains the same person later and sees their results, but may not delete
        provider A's official one."""
        from jalur.training.models import ResultKind
        from jalur.training.scales import Test as Scale

        enrolment_a = enrol(cohort, manager)
        Enrolment.objects.create(
            cohort=cohort_b, candidate=enrolment_a.candidate, status=EnrolmentStatus.ENROLLED
        )
        result = Assessment.objects.create(
            candidate=enrolment_a.candidate,
            enrolment=enrolment_a,
            test=Scale.JFT_BASIC,
            kind=ResultKind.OFFICIAL,
            taken_on=timezone.localdate() - datetime.timedelta(days=3),
            score=220,
            passed=True,
        )
        url = reverse("training:assessment_delete", args=[result.pk])
        assert client_for(trainer_b).post(url, {"reason": "salah input"}).status_code == 403
        assert Assessment.objects.filter(pk=result.pk).exists()
        assert client_for(trainer).post(url, {"reason": "salah input"}).status_code == 302
        assert not Assessment.objects.filter(pk=result.pk).exists()

    def test_the_register_belongs_to_the_cohorts_provider(
        self, client_for, cohort, trainer, trainer_b, leader, manager
    ):
        trainee = enrol(cohort, manager)
        session = SessionFactory(cohort=cohort)
        url = reverse("training:register", args=[session.pk])
        assert client_for(trainer).get(url).status_code == 200
        assert client_for(trainer_b).get(url).status_code == 404
        assert client_for(leader).get(url).status_code == 200
        assert client_for(leader).post(url, {f"s-{trainee.pk}": "absent"}).status_code == 403
        mark = reverse("training:register_mark", args=[session.pk, trainee.pk])
        assert client_for(trainer_b).post(mark, {f"s-{trainee.pk}": "absent"}).status_code == 404

    def test_training_staff_see_their_trainees_and_no_one_else(
        self, cohort, cohort_b, trainer, manager
    ):
        mine = enrol(cohort, manager).candidate
        theirs = enrol(cohort_b, manager).candidate
        stranger = CandidateFactory(stage=Stage.VERIFIED)
        visible = set(candidates_for(trainer).values_list("pk", flat=True))
        assert mine.pk in visible and theirs.pk not in visible and stranger.pk not in visible

    def test_a_trainee_page_of_another_provider_is_not_found(
        self, client_for, cohort, trainer, trainer_b, manager
    ):
        trainee = enrol(cohort, manager)
        url = reverse("training:enrolment_detail", args=[trainee.pk])
        assert client_for(trainer).get(url).status_code == 200
        assert client_for(trainer_b).get(url).status_code == 404
        add_score = reverse("training:assessment_create", args=[trainee.pk])
        assert client_for(trainer_b).get(add_score).status_code == 404

    def test_programmes_and_providers_are_managed_by_the_office(self, client_for, trainer, manager):
        for name in ["programme_create", "provider_create"]:
            assert client_for(trainer).get(reverse(f"training:{name}")).status_code == 403
            assert client_for(manager).get(reverse(f"training:{name}")).status_code == 200


class TestCandidateSection:
    def render(self, candidate, user):
        sections = apps.get_app_config("training").candidate_sections(candidate, user)
        return "".join(
            render_to_string(s["template"], {"ctx": s["context"]}) for s in sections
        ), sections

    def test_a_candidate_sees_their_own_attendance_and_scores(
        self, cohort, manager, trainer, candidate_user
    ):
        trainee = enrol(cohort, manager, user=candidate_user)
        attendance_mark(
            session=SessionFactory(cohort=cohort), enrolment=trainee, status="late", actor=trainer
        )
        assessment_record(
            candidate=trainee.candidate,
            enrolment=trainee,
            actor=trainer,
            data={"test": "jft_basic", "kind": "mock", "taken_on": TODAY, "score": 188},
        )
        html, _sections = self.render(trainee.candidate, candidate_user)
        assert cohort.programme.name in html
        assert "100,0%" in html  # late counts as attended
        assert "188/250 (A2.1)" in html

    def test_a_candidate_sees_nothing_of_another_candidate(self, cohort, manager, candidate_user):
        other = enrol(cohort, manager)
        _html, sections = self.render(other.candidate, candidate_user)
        assert sections == []

    def test_an_agency_sees_official_results_but_not_attendance(
        self, cohort, manager, trainer, agent
    ):
        trainee = enrol(cohort, manager)
        for kind, score in (("mock", 150), ("official", 205)):
            assessment_record(
                candidate=trainee.candidate,
                actor=trainer,
                data={"test": "jft_basic", "kind": kind, "taken_on": TODAY, "score": score},
            )
        html, _sections = self.render(trainee.candidate, agent)
        assert "205/250" in html and "150/250" not in html
        assert cohort.programme.name not in html


class TestWorkThroughThePages:
    def test_a_trainer_runs_a_cohort_from_creation_to_certificates(
        self, client_for, lpk, programme, trainer, manager
    ):
        client = client_for(trainer)
        response = client.post(
            reverse("training:cohort_create"),
            {
                "programme": programme.pk,
                "provider": lpk.pk,
                "name": "Angkatan Uji",
                "start_date": (TODAY - datetime.timedelta(days=7)).isoformat(),
                "end_date": TODAY.isoformat(),
                "venue": "Aula BLK",
                "instructor": "Sensei Sato",
                "capacity": 10,
            },
        )
        cohort = Cohort.objects.get(name="Angkatan Uji")
        assert response.status_code == 302
        # people are enrolled before the sessions are held (a late joiner who can no longer
        # reach the pass mark is refused)
        people = [CandidateFactory(stage=Stage.VERIFIED) for _ in range(2)]
        manager_client = client_for(manager)
        manager_client.post(
            reverse("training:cohort_enrol", args=[cohort.pk]),
            {"candidates": [p.pk for p in people]},
        )
        trainees = list(cohort.enrolments.order_by("pk"))
        assert [t.status for t in trainees] == ["enrolled", "enrolled"]
        client.post(
            reverse("training:cohort_schedule", args=[cohort.pk]),
            {
                "first_date": (TODAY - datetime.timedelta(days=7)).isoformat(),
                "last_date": TODAY.isoformat(),
                "weekdays": [0, 1, 2, 3, 4, 5, 6],
                "start_time": "08:00",
                "end_time": "12:00",
                "topic": "Percakapan",
            },
        )
        assert cohort.sessions.count() == 8
        # enrolled before the first session (sessions held before joining count as missed)
        cohort.enrolments.update(enrolled_at=timezone.now() - datetime.timedelta(days=8))
        client = client_for(trainer)
        for session in cohort.sessions.all():
            client.post(
                reverse("training:register", args=[session.pk]),
                {f"s-{trainees[1].pk}": "absent"},
            )
        for trainee in trainees:
            client.post(
                reverse("training:assessment_create", args=[trainee.pk]) + "?ujian=jft_basic",
                {"ujian": "jft_basic", "kind": "mock", "taken_on": TODAY.isoformat(), "score": 210},
            )
        assert Assessment.objects.count() == 2
        page = client.get(reverse("training:cohort_close", args=[cohort.pk])).content.decode()
        assert "1 dari 2 peserta memenuhi syarat lulus" in page
        client.post(reverse("training:cohort_close", args=[cohort.pk]))
        statuses = sorted(Enrolment.objects.values_list("status", flat=True))
        assert statuses == [EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED]
        bundle = client.get(reverse("training:cohort_certificates_pdf", args=[cohort.pk]))
        assert bundle.status_code == 200 and bundle.content.startswith(b"%PDF")

    def test_a_trainer_cannot_create_a_cohort_for_another_provider(
        self, client_for, lpk, lpk_b, programme, trainer
    ):
        response = client_for(trainer).post(
            reverse("training:cohort_create"),
            {
                "programme": programme.pk,
                "provider": lpk_b.pk,
                "name": "Angkatan Curian",
                "start_date": TODAY.isoformat(),
                "end_date": TODAY.isoformat(),
                "venue": "x",
                "instructor": "y",
                "capacity": 5,
            },
        )
        assert response.status_code == 200
        assert not Cohort.objects.filter(name="Angkatan Curian").exists()

    def test_a_late_joiner_is_not_certified_for_sessions_held_before_they_joined(
        self, client_for, cohort, trainer, manager
    ):
        """QA: enrolled after five sessions, present at the one left, the certificate said
        "kehadiran 100%" and printed the whole schedule's hours."""
        for days in (-5, -4, -3, -2, -1):
            session = SessionFactory(cohort=cohort, date=TODAY + datetime.timedelta(days=days))
            attendance_register_save(session=session, statuses={}, actor=trainer)
        # seated from the waiting list late (enrolling them now is refused: they cannot pass)
        trainee = Enrolment.objects.create(
            cohort=cohort,
            candidate=CandidateFactory(stage=Stage.TRAINING),
            status=EnrolmentStatus.ENROLLED,
            enrolled_at=timezone.now(),
        )
        last = SessionFactory(cohort=cohort, date=TODAY)
        attendance_mark(session=last, enrolment=trainee, status="present", actor=trainer)
        rate = attendance_rates([trainee.pk])[trainee.pk]
        assert (rate.attended, rate.total, rate.missed_before_joining, rate.hours) == (1, 6, 5, 4)
        page = client_for(trainer).get(reverse("training:enrolment_detail", args=[trainee.pk]))
        assert "1 dari 6 sesi" in page.content.decode()

    def test_the_certificate_prints_the_hours_the_person_attended(self, cohort, trainer, manager):
        from jalur.training.selectors import completion_check
        from jalur.training.services import certificate_issue

        trainee = enrol(cohort, manager)
        Enrolment.objects.filter(pk=trainee.pk).update(
            enrolled_at=timezone.now() - datetime.timedelta(days=10)
        )
        for days, status in ((-3, "present"), (-2, "present"), (-1, "absent")):
            session = SessionFactory(cohort=cohort, date=TODAY + datetime.timedelta(days=days))
            attendance_mark(session=session, enrolment=trainee, status=status, actor=trainer)
        trainee.refresh_from_db()
        check = completion_check(trainee)
        certificate = certificate_issue(enrolment=trainee, check=check, actor=trainer, on=TODAY)
        assert certificate.hours == 8  # two 4-hour sessions attended, not the 12 scheduled

    def test_a_trainee_is_not_declared_passed_through_the_page_before_the_course_ends(
        self, client_for, cohort, trainer, manager
    ):
        trainee = enrol(cohort, manager)
        started = timezone.make_aware(
            datetime.datetime.combine(cohort.start_date, datetime.time(7))
        )
        Enrolment.objects.filter(pk=trainee.pk).update(enrolled_at=started)
        for days in (-2, -1, 5, 10):
            SessionFactory(cohort=cohort, date=TODAY + datetime.timedelta(days=days))
        for session in cohort.sessions.filter(date__lte=TODAY):
            attendance_mark(session=session, enrolment=trainee, status="present", actor=trainer)
        assessment_record(
            candidate=trainee.candidate,
            enrolment=trainee,
            actor=trainer,
            data={"test": "jft_basic", "kind": "official", "taken_on": TODAY, "score": 230},
        )
        client = client_for(trainer)
        refusal = (
            "Angkatan belum selesai: 2 dari 4 sesi sudah berlangsung; kelulusan bisa dinyatakan "
            f"mulai {cohort.end_date:%d-%m-%Y}, setelah sesi terakhir."
        )
        page = client.get(reverse("training:enrolment_detail", args=[trainee.pk])).content.decode()
        assert refusal in page
        assert reverse("training:enrolment_complete", args=[trainee.pk]) not in page
        response = client.post(
            reverse("training:enrolment_complete", args=[trainee.pk]), follow=True
        )
        assert refusal in response.content.decode()
        trainee.refresh_from_db()
        assert trainee.status == EnrolmentStatus.ENROLLED

    def test_a_capacity_of_zero_is_refused_beside_the_capacity_field(
        self, client_for, lpk, programme, trainer
    ):
        url = reverse("training:cohort_create")
        assert 'min="1"' in client_for(trainer).get(url).content.decode()
        response = client_for(trainer).post(
            url,
            {
                "programme": programme.pk,
                "provider": lpk.pk,
                "name": "Angkatan Kosong",
                "start_date": TODAY.isoformat(),
                "end_date": TODAY.isoformat(),
                "venue": "Aula BLK",
                "instructor": "Sensei Sato",
                "capacity": 0,
            },
        )
        form = response.context["form"]
        assert form.errors["capacity"] == ["Kapasitas paling sedikit 1 orang."]
        assert not form.non_field_errors()
        assert "cohort_capacity_positive" not in response.content.decode()
        assert not Cohort.objects.filter(name="Angkatan Kosong").exists()

    def test_an_out_of_range_score_is_shown_beside_its_field(
        self, client_for, cohort, trainer, manager
    ):
        trainee = enrol(cohort, manager)
        response = client_for(trainer).post(
            reverse("training:assessment_create", args=[trainee.pk]),
            {
                "ujian": "eps_topik",
                "kind": "official",
                "taken_on": TODAY.isoformat(),
                "reading": 120,
                "listening": 40,
            },
        )
        assert (
            "Nilai membaca EPS-TOPIK harus antara 0 dan 100; yang diisi 120."
            in response.content.decode()
        )

    def test_a_care_japanese_result_is_recorded_through_the_form_and_listed(
        self, client_for, cohort, trainer, manager
    ):
        trainee = enrol(cohort, manager)
        client = client_for(trainer)
        url = reverse("training:assessment_create", args=[trainee.pk])
        form = client.get(url + "?ujian=kaigo_jp").content.decode()
        assert "Catat hasil Ujian Bahasa Jepang Perawatan (Kaigo Nihongo)" in form
        assert 'name="score"' not in form  # pass or fail only
        response = client.post(
            url,
            {
                "ujian": "kaigo_jp",
                "kind": "official",
                "taken_on": TODAY.isoformat(),
                "issuer": "Prometric",
                "passed": "1",
            },
        )
        assert response.status_code == 302
        result = Assessment.objects.get(candidate=trainee.candidate)
        assert (result.test, result.kind, result.passed) == ("kaigo_jp", "official", True)
        page = client.get(reverse("training:enrolment_detail", args=[trainee.pk])).content.decode()
        assert "Ujian Bahasa Jepang Perawatan (Kaigo Nihongo)" in page

    def test_withdrawal_through_the_page_needs_a_reason(self, client_for, cohort, trainer, manager):
        trainee = enrol(cohort, manager)
        url = reverse("training:enrolment_withdraw", args=[trainee.pk])
        client_for(trainer).post(url, {"reason": ""})
        trainee.refresh_from_db()
        assert trainee.status == EnrolmentStatus.ENROLLED
        client_for(trainer).post(url, {"reason": "Pindah ke luar kota"})
        trainee.refresh_from_db()
        assert trainee.status == EnrolmentStatus.WITHDRAWN

    def test_a_manager_creates_a_programme_with_its_required_tests(self, client_for, manager):
        ssw = Pathway.objects.get(code="jp-ssw-p2p")
        response = client_for(manager).post(
            reverse("training:programme_create"),
            {
                "code": "jp-n4",
                "name": "Bahasa Jepang N4",
                "kind": "language",
                "hours": 300,
                "pathways": [ssw.pk],
                "min_attendance_pct": 85,
                "quota": 200,
                "is_active": "on",
                "req_jlpt": "on",
                "req_jlpt_level": "N4",
                "req_jft_basic": "on",
                "req_jft_basic_min": 200,
            },
        )
        assert response.status_code == 302
        programme = Programme.objects.get(code="jp-n4")
        assert programme.required_assessments == [
            {"test": "jft_basic", "min_score": 200, "min_level": "", "official": False},
            {"test": "jlpt", "min_score": None, "min_level": "N4", "official": False},
        ]

    def test_a_manager_registers_a_provider_with_its_licence(self, client_for, manager, provider_b):
        response = client_for(manager).post(
            reverse("training:provider_create"),
            {
                "organisation": provider_b.pk,
                "kind": "blk",
                "licence_number": "BLK/12/2024",
                "licence_valid_until": "2028-12-31",
                "address": "Jl. Raya Taktakan No. 3",
                "contact_name": "Dedi",
                "contact_phone": "0812-3456-7890",
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        assert Provider.objects.get(organisation=provider_b).contact_phone == "+6281234567890"

    def test_today_lists_the_sessions_to_take(self, client_for, cohort, trainer):
        SessionFactory(cohort=cohort, topic="Katakana")
        page = client_for(trainer).get(reverse("training:today")).content.decode()
        assert "Katakana" in page and "belum diabsen" in page

    def test_a_session_with_a_saved_register_cannot_be_deleted(
        self, client_for, cohort, trainer, manager
    ):
        trainee = enrol(cohort, manager)
        session = SessionFactory(cohort=cohort)
        attendance_mark(session=session, enrolment=trainee, status="absent", actor=trainer)
        client_for(trainer).post(reverse("training:session_delete", args=[session.pk]))
        assert Session.objects.filter(pk=session.pk).exists()

    def test_the_home_page_shows_the_training_widget(self, client_for, cohort, trainer):
        SessionFactory(cohort=cohort)
        page = client_for(trainer).get("/").content.decode()
        assert "Sesi hari ini belum diabsen" in page

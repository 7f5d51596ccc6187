"""Completion: attendance at the minimum and required results passed; the stage follows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate, StageHistory
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.core.tests.pdf_helpers import pdf_text
from jalur.pathways.models import JobType, Pathway
from jalur.training.certificates import certificate_pdf
from jalur.training.models import (
    Certificate,
    Enrolment,
    EnrolmentStatus,
    Programme,
    ProgrammeKind,
)
from jalur.training.services import (
    assessment_record,
    attendance_register_save,
    cohort_close,
    enrolment_complete,
    enrolment_create,
    enrolment_fail,
    enrolment_withdraw,
    programme_create,
)

from .factories import CohortFactory, ProgrammeFactory, SessionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def ending_cohort(lpk, programme):
    """A cohort that ends today, with five sessions in the past week."""
    cohort = CohortFactory(
        provider=lpk,
        programme=programme,
        start_date=TODAY - datetime.timedelta(days=10),
        end_date=TODAY,
        capacity=5,
    )
    for day in range(5):
        SessionFactory(cohort=cohort, date=TODAY - datetime.timedelta(days=day))
    return cohort


@pytest.fixture
def running_cohort(lpk, programme):
    """A cohort a quarter of the way through: 2 of its 8 sessions held, the last one in 20 days."""
    cohort = CohortFactory(
        provider=lpk,
        programme=programme,
        start_date=TODAY - datetime.timedelta(days=10),
        end_date=TODAY + datetime.timedelta(days=20),
        capacity=5,
    )
    for day in (-7, -3, 2, 5, 9, 12, 16, 20):
        SessionFactory(cohort=cohort, date=TODAY + datetime.timedelta(days=day))
    return cohort


def enrol(cohort, actor, user=None):
    """Enrolled from the first day, so every session of the cohort counts."""
    candidate = CandidateFactory(stage=Stage.VERIFIED, user=user)
    first_day = timezone.make_aware(datetime.datetime.combine(cohort.start_date, datetime.time(7)))
    return enrolment_create(cohort=cohort, candidate=candidate, actor=actor, at=first_day)


def attend(cohort, enrolment, absent_days, actor):
    for n, session in enumerate(cohort.sessions.order_by("date")):
        status = "absent" if n < absent_days else "present"
        attendance_register_save(session=session, statuses={enrolment.pk: status}, actor=actor)


def score(enrolment, value, actor, kind="mock"):
    return assessment_record(
        candidate=enrolment.candidate,
        enrolment=enrolment,
        actor=actor,
        data={"test": "jft_basic", "kind": kind, "taken_on": TODAY, "score": value},
    )


def stage(enrolment):
    return Candidate.objects.get(pk=enrolment.candidate_id).stage


class TestOneTrainee:
    def test_a_trainee_meeting_the_rule_completes_gets_a_certificate_and_is_trained(
        self, ending_cohort, trainer, manager, candidate_user
    ):
        enrolment = enrol(ending_cohort, manager, user=candidate_user)
        attend(ending_cohort, enrolment, absent_days=1, actor=trainer)  # 80%
        score(enrolment, 210, trainer)
        certificate = enrolment_complete(enrolment=enrolment, actor=trainer)
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.COMPLETED
        assert certificate.number.startswith(f"PLT-3673-{TODAY.year}-")
        assert certificate.holder_name == enrolment.candidate.full_name
        assert "kehadiran 80,0%" in certificate.result and "210/250 (A2)" in certificate.result
        assert "ujian simulasi" in certificate.result  # a mock score says so on the certificate
        assert stage(enrolment) == Stage.TRAINED
        last = StageHistory.objects.filter(candidate_id=enrolment.candidate_id).last()
        assert (last.from_stage, last.to_stage, last.actor) == (
            Stage.TRAINING,
            Stage.TRAINED,
            trainer,
        )
        assert AuditLog.objects.filter(action="training.certificate.issue").exists()
        assert candidate_user.notifications.filter(title__startswith="Selamat, Anda lulus").exists()

    @pytest.mark.rule("training.attendance_requirement")
    def test_attendance_below_the_minimum_is_refused_with_the_numbers(
        self, ending_cohort, trainer, manager
    ):
        enrolment = enrol(ending_cohort, manager)
        attend(ending_cohort, enrolment, absent_days=2, actor=trainer)  # 60%
        score(enrolment, 220, trainer)
        with pytest.raises(ValidationError) as error:
            enrolment_complete(enrolment=enrolment, actor=trainer)
        assert "kehadiran 60,0% (3 dari 5 sesi), minimal 80%" in error.value.messages[0]
        assert not Certificate.objects.exists()

    def test_a_failed_required_test_blocks_completion(self, ending_cohort, trainer, manager):
        enrolment = enrol(ending_cohort, manager)
        attend(ending_cohort, enrolment, absent_days=0, actor=trainer)
        score(enrolment, 180, trainer)
        with pytest.raises(ValidationError) as error:
            enrolment_complete(enrolment=enrolment, actor=trainer)
        assert "hasil terakhir 180/250 (A2.1) belum memenuhi" in error.value.messages[0]

    @pytest.mark.rule("training.required_result")
    def test_a_mock_result_from_another_course_does_not_count_but_an_official_one_does(
        self, ending_cohort, lpk, trainer, manager
    ):
        enrolment = enrol(ending_cohort, manager)
        attend(ending_cohort, enrolment, absent_days=0, actor=trainer)
        assessment_record(
            candidate=enrolment.candidate,
            actor=trainer,
            data={"test": "jft_basic", "kind": "mock", "taken_on": TODAY, "score": 230},
        )
        with pytest.raises(ValidationError):
            enrolment_complete(enrolment=enrolment, actor=trainer)
        score(enrolment, 205, trainer, kind="official")
        assert enrolment_complete(enrolment=enrolment, actor=trainer).pk

    @pytest.mark.rule("training.required_result")
    def test_the_certificate_quotes_the_official_result_before_a_later_mock(
        self, ending_cohort, trainer, manager
    ):
        enrolment = enrol(ending_cohort, manager)
        attend(ending_cohort, enrolment, absent_days=0, actor=trainer)
        official = score(enrolment, 206, trainer, kind="official")
        official.taken_on = TODAY - datetime.timedelta(days=3)
        official.save()
        score(enrolment, 221, trainer)  # the internal mock test, taken later
        certificate = enrolment_complete(enrolment=enrolment, actor=trainer)
        assert "206/250" in certificate.result and "221/250" not in certificate.result
        assert "simulasi" not in certificate.result

    def test_a_programme_may_demand_official_results_and_a_higher_score(
        self, lpk, trainer, manager
    ):
        programme = ProgrammeFactory(
            required_assessments=[
                {"test": "jft_basic", "min_score": 220, "min_level": "", "official": True}
            ]
        )
        cohort = CohortFactory(provider=lpk, programme=programme, end_date=TODAY, capacity=2)
        SessionFactory(cohort=cohort, date=TODAY)
        enrolment = enrol(cohort, manager)
        attend(cohort, enrolment, absent_days=0, actor=trainer)
        score(enrolment, 240, trainer, kind="mock")
        score(enrolment, 210, trainer, kind="official")
        with pytest.raises(ValidationError):
            enrolment_complete(enrolment=enrolment, actor=trainer)
        score(enrolment, 221, trainer, kind="official")
        assert enrolment_complete(enrolment=enrolment, actor=trainer).pk

    def test_no_one_completes_while_sessions_of_the_cohort_are_still_to_come(
        self, running_cohort, trainer, manager
    ):
        enrolment = enrol(running_cohort, manager)
        for session in running_cohort.sessions.filter(date__lte=TODAY):
            attendance_register_save(session=session, statuses={}, actor=trainer)
        score(enrolment, 230, trainer, kind="official")
        with pytest.raises(ValidationError) as error:
            enrolment_complete(enrolment=enrolment, actor=trainer)
        assert error.value.code == "not_finished"
        assert error.value.messages == [
            "Angkatan belum selesai: 2 dari 8 sesi sudah berlangsung; kelulusan bisa dinyatakan "
            f"mulai {running_cohort.end_date:%d-%m-%Y}, setelah sesi terakhir."
        ]
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.ENROLLED
        assert not Certificate.objects.exists()
        assert stage(enrolment) == Stage.TRAINING

    def test_no_one_completes_before_the_end_date_even_after_the_last_session(
        self, lpk, programme, trainer, manager
    ):
        cohort = CohortFactory(
            provider=lpk, programme=programme, end_date=TODAY + datetime.timedelta(days=3)
        )
        SessionFactory(cohort=cohort, date=TODAY - datetime.timedelta(days=1))
        enrolment = enrol(cohort, manager)
        attend(cohort, enrolment, absent_days=0, actor=trainer)
        score(enrolment, 230, trainer)
        with pytest.raises(ValidationError) as error:
            enrolment_complete(enrolment=enrolment, actor=trainer)
        assert "1 dari 1 sesi sudah berlangsung" in error.value.messages[0]
        later = timezone.make_aware(datetime.datetime.combine(cohort.end_date, datetime.time(9)))
        assert enrolment_complete(enrolment=enrolment, actor=trainer, at=later).pk

    def test_the_certificate_prints_the_hours_attended_not_the_programmes(
        self, ending_cohort, trainer, manager
    ):
        Programme.objects.filter(pk=ending_cohort.programme_id).update(hours=24)
        enrolment = enrol(ending_cohort, manager)
        attend(ending_cohort, enrolment, absent_days=0, actor=trainer)
        score(enrolment, 210, trainer)
        certificate = enrolment_complete(enrolment=enrolment, actor=trainer)
        assert certificate.hours == 20  # five sessions of four hours, of a 24-hour programme
        assert "jam" not in certificate.result  # the hours have a line of their own

    @pytest.mark.rule("training.attendance_requirement")
    @pytest.mark.rule("training.hours_requirement")
    def test_someone_enrolled_on_the_last_day_is_counted_over_the_whole_schedule(
        self, ending_cohort, trainer, manager, client_for
    ):
        """QA: enrolled on the cohort's last day, present at its one session whose register was
        taken, shown "1 dari 1 sesi" and certified in a five-session cohort of a 200-hour
        programme."""
        Programme.objects.filter(pk=ending_cohort.programme_id).update(hours=200)
        # seated from the waiting list on the last day (enrolling them now is refused: they
        # cannot reach the pass mark)
        late = Enrolment.objects.create(
            cohort=ending_cohort,
            candidate=CandidateFactory(stage=Stage.TRAINING),
            status=EnrolmentStatus.ENROLLED,
            enrolled_at=timezone.now(),
        )
        last = ending_cohort.sessions.get(date=TODAY)
        attendance_register_save(session=last, statuses={}, actor=trainer)
        score(late, 230, trainer, kind="official")
        with pytest.raises(ValidationError) as error:
            enrolment_complete(enrolment=late, actor=trainer)
        message = error.value.messages[0]
        assert "kehadiran 20,0% (1 dari 5 sesi), minimal 80%" in message
        assert "hadir 4 jam, minimal 160 jam (80% dari 200 jam program)" in message
        page = client_for(trainer).get(reverse("training:enrolment_detail", args=[late.pk]))
        assert "1 dari 5 sesi" in page.content.decode()
        assert cohort_close(cohort=ending_cohort, actor=trainer)["completed"] == 0
        late.refresh_from_db()
        assert late.status == EnrolmentStatus.FAILED
        assert not Certificate.objects.exists()

    @pytest.mark.rule("training.hours_requirement")
    def test_the_hours_attended_must_reach_the_pass_mark_share_of_the_programmes_hours(
        self, ending_cohort, trainer, manager
    ):
        """Full attendance of a schedule holding 20 hours does not complete a 200-hour programme."""
        Programme.objects.filter(pk=ending_cohort.programme_id).update(hours=200)
        enrolment = enrol(ending_cohort, manager)
        attend(ending_cohort, enrolment, absent_days=0, actor=trainer)
        score(enrolment, 230, trainer)
        with pytest.raises(ValidationError) as error:
            enrolment_complete(enrolment=enrolment, actor=trainer)
        assert error.value.messages == [
            "Belum memenuhi syarat lulus: Jam pelajaran: hadir 20 jam, minimal 160 jam "
            "(80% dari 200 jam program)."
        ]
        Programme.objects.filter(pk=ending_cohort.programme_id).update(hours=25)
        assert enrolment_complete(enrolment=enrolment, actor=trainer).hours == 20  # 20 of 20 needed

    def test_a_failed_trainee_returns_to_verified_and_can_enrol_again(
        self, ending_cohort, lpk, programme, trainer, manager
    ):
        enrolment = enrol(ending_cohort, manager)
        enrolment_fail(enrolment=enrolment, actor=trainer, reason="Kehadiran 40%")
        assert stage(enrolment) == Stage.VERIFIED
        next_cohort = CohortFactory(provider=lpk, programme=programme)
        again = enrolment_create(cohort=next_cohort, candidate=enrolment.candidate, actor=manager)
        assert again.status == EnrolmentStatus.ENROLLED

    def test_a_graduate_cannot_enrol_in_the_same_programme_again(
        self, ending_cohort, lpk, programme, trainer, manager
    ):
        enrolment = enrol(ending_cohort, manager)
        attend(ending_cohort, enrolment, absent_days=0, actor=trainer)
        score(enrolment, 210, trainer)
        enrolment_complete(enrolment=enrolment, actor=trainer)
        with pytest.raises(ValidationError) as error:
            enrolment_create(
                cohort=CohortFactory(provider=lpk, programme=programme),
                candidate=enrolment.candidate,
                actor=manager,
            )
        assert error.value.code == "completed"

    def test_leaving_a_second_course_keeps_a_graduate_trained(
        self, ending_cohort, lpk, trainer, manager
    ):
        enrolment = enrol(ending_cohort, manager)
        attend(ending_cohort, enrolment, absent_days=0, actor=trainer)
        score(enrolment, 210, trainer)
        enrolment_complete(enrolment=enrolment, actor=trainer)
        skills = CohortFactory(
            provider=lpk,
            programme=ProgrammeFactory(kind=ProgrammeKind.SKILL, required_assessments=[]),
        )
        second = enrolment_create(cohort=skills, candidate=enrolment.candidate, actor=manager)
        assert stage(second) == Stage.TRAINING
        enrolment_withdraw(enrolment=second, actor=manager, reason="Dapat kerja lokal")
        assert stage(second) == Stage.TRAINED


class TestClosingACohort:
    def test_closing_completes_who_passes_fails_the_rest_and_ends_the_waiting_list(
        self, ending_cohort, trainer, manager
    ):
        ending_cohort.capacity = 2
        ending_cohort.save()
        good, weak = enrol(ending_cohort, manager), enrol(ending_cohort, manager)
        waiting = enrol(ending_cohort, manager)
        assert waiting.status == EnrolmentStatus.WAITING
        attend(ending_cohort, good, absent_days=0, actor=trainer)  # everyone present by default
        score(good, 200, trainer)
        score(weak, 150, trainer)
        summary = cohort_close(cohort=ending_cohort, actor=trainer)
        assert summary == {"completed": 1, "failed": 1, "waiting_ended": 1}
        good.refresh_from_db()
        weak.refresh_from_db()
        waiting.refresh_from_db()
        assert (good.status, stage(good)) == (EnrolmentStatus.COMPLETED, Stage.TRAINED)
        assert (weak.status, stage(weak)) == (EnrolmentStatus.FAILED, Stage.VERIFIED)
        assert "150/250 (A1) belum memenuhi" in weak.end_reason
        assert waiting.status == EnrolmentStatus.WITHDRAWN
        ending_cohort.refresh_from_db()
        assert ending_cohort.closed_at is not None
        assert Certificate.objects.count() == 1

    def test_a_cohort_cannot_be_closed_before_its_schedule_is_finished(
        self, running_cohort, trainer, manager
    ):
        enrolment = enrol(running_cohort, manager)
        with pytest.raises(ValidationError) as error:
            cohort_close(cohort=running_cohort, actor=trainer)
        assert error.value.messages == [
            "Angkatan belum selesai: 2 dari 8 sesi sudah berlangsung; kelulusan bisa dinyatakan "
            f"mulai {running_cohort.end_date:%d-%m-%Y}, setelah sesi terakhir."
        ]
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.ENROLLED
        running_cohort.refresh_from_db()
        assert running_cohort.closed_at is None

    def test_a_cohort_without_sessions_waits_for_its_end_date(self, cohort, trainer):
        with pytest.raises(ValidationError) as error:
            cohort_close(cohort=cohort, actor=trainer)
        assert (
            f"mulai tanggal selesai angkatan ({cohort.end_date:%d-%m-%Y})"
            in (error.value.messages[0])
        )

    def test_a_cohort_is_closed_only_once(self, ending_cohort, trainer):
        cohort_close(cohort=ending_cohort, actor=trainer)
        with pytest.raises(ValidationError):
            cohort_close(cohort=ending_cohort, actor=trainer)


def job(code):
    return JobType.objects.get(code=code)


def skill_result(enrolment, actor, job_type, kind="official"):
    return assessment_record(
        candidate=enrolment.candidate,
        enrolment=enrolment,
        actor=actor,
        data={
            "test": "skill",
            "kind": kind,
            "taken_on": TODAY,
            "title": f"Uji keterampilan {job_type.name}",
            "issuer": "Prometric Indonesia",
            "passed": True,
            "score": 80,
            "job_type": job_type,
        },
    )


class TestRequiredResults:
    @pytest.fixture
    def caregiver_cohort(self, lpk, manager):
        programme = programme_create(
            actor=manager,
            data={
                "code": "caregiver",
                "name": "Keterampilan caregiver (kaigo)",
                "kind": ProgrammeKind.SKILL,
                "hours": 20,
                "required_assessments": [
                    {"test": "skill", "min_score": None, "min_level": "", "official": False}
                ],
            },
            pathways=Pathway.objects.filter(code="jp-ssw-p2p"),
            job_types=[job("caregiver")],
        )
        cohort = CohortFactory(
            provider=lpk,
            programme=programme,
            start_date=TODAY - datetime.timedelta(days=10),
            end_date=TODAY,
        )
        for day in range(5):
            SessionFactory(cohort=cohort, date=TODAY - datetime.timedelta(days=day))
        return cohort

    @pytest.mark.rule("training.fits_programme")
    def test_a_skill_test_of_another_job_type_does_not_pass_a_caregiver_course(
        self, caregiver_cohort, trainer, manager
    ):
        """QA: a manufacturing skill test ticked the caregiver programme's pass condition."""
        enrolment = enrol(caregiver_cohort, manager)
        attend(caregiver_cohort, enrolment, absent_days=0, actor=trainer)
        skill_result(enrolment, trainer, job("industrial"))
        with pytest.raises(ValidationError) as error:
            enrolment_complete(enrolment=enrolment, actor=trainer)
        assert (
            "Uji keterampilan: belum ada hasil untuk jenis pekerjaan program "
            "(Perawat lansia (caregiver))" in error.value.messages[0]
        )
        skill_result(enrolment, trainer, job("caregiver"))
        certificate = enrolment_complete(enrolment=enrolment, actor=trainer)
        assert "Uji keterampilan Perawat lansia (caregiver)" in certificate.result

    @pytest.mark.rule("training.fits_programme")
    def test_a_programme_requiring_a_skill_test_names_the_job_types_it_trains_for(self, manager):
        with pytest.raises(ValidationError) as error:
            programme_create(
                actor=manager,
                data={
                    "code": "tanpa-jenis",
                    "name": "Keterampilan tanpa jenis pekerjaan",
                    "kind": ProgrammeKind.SKILL,
                    "hours": 100,
                    "required_assessments": [
                        {"test": "skill", "min_score": None, "min_level": "", "official": False}
                    ],
                },
                pathways=Pathway.objects.filter(code="jp-ssw-p2p"),
                job_types=[],
            )
        assert (
            "Pilih jenis pekerjaan yang dilatih program ini"
            in (error.value.message_dict["job_types"][0])
        )
        assert not Programme.objects.filter(code="tanpa-jenis").exists()

    @pytest.mark.rule("training.required_result")
    def test_an_official_result_speaks_before_a_mock_one_on_the_certificate(
        self, ending_cohort, trainer, manager
    ):
        """QA: the certificate printed a mock result although an official one existed."""
        enrolment = enrol(ending_cohort, manager)
        attend(ending_cohort, enrolment, absent_days=0, actor=trainer)
        official = score(enrolment, 190, trainer, kind="official")  # below A2
        official.taken_on = TODAY - datetime.timedelta(days=2)
        official.save()
        score(enrolment, 215, trainer)  # a mock result above it
        with pytest.raises(ValidationError) as error:
            enrolment_complete(enrolment=enrolment, actor=trainer)
        assert (
            "JFT-Basic: hasil terakhir 190/250 (A2.1) belum memenuhi (hasil resmi didahulukan "
            "dari ujian simulasi)" in error.value.messages[0]
        )
        score(enrolment, 204, trainer, kind="official")
        certificate = enrolment_complete(enrolment=enrolment, actor=trainer)
        assert "204/250" in certificate.result
        assert "215/250" not in certificate.result and "simulasi" not in certificate.result
        printed = pdf_text(certificate_pdf(certificate))
        assert "Hasil: Lulus" in printed and "204/250" in printed
        assert "215/250" not in printed and "simulasi" not in printed

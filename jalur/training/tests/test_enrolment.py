"""Enrolment: seats, the programme quota, the waiting list, withdrawal, and the candidate's stage."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate, StageHistory
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.pathways.models import Pathway
from jalur.training.models import Enrolment, EnrolmentStatus, Programme
from jalur.training.services import (
    cohort_create,
    cohort_update,
    enrolment_create,
    enrolment_withdraw,
    programme_create,
    programme_update,
)

from .factories import CohortFactory, ProgrammeFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def stage_of(candidate) -> str:
    return Candidate.objects.get(pk=candidate.pk).stage


class TestSeats:
    def test_a_verified_candidate_gets_a_seat_and_moves_to_training(
        self, cohort, make_verified, manager, candidate_user
    ):
        person = make_verified(user=candidate_user)
        enrolment = enrolment_create(cohort=cohort, candidate=person, actor=manager)
        assert enrolment.status == EnrolmentStatus.ENROLLED and enrolment.enrolled_at
        assert stage_of(person) == Stage.TRAINING
        history = StageHistory.objects.get(candidate=person)
        assert (history.from_stage, history.to_stage, history.actor) == (
            Stage.VERIFIED,
            Stage.TRAINING,
            manager,
        )
        assert AuditLog.objects.filter(action="training.enrolment.create").exists()
        assert AuditLog.objects.filter(action="candidate.stage_change").exists()
        message = candidate_user.notifications.get()
        assert message.title.startswith("Anda terdaftar di")

    @pytest.mark.parametrize(
        "stage", [Stage.REGISTERED, Stage.CORRECTION, Stage.SELECTION, Stage.WITHDRAWN]
    )
    def test_only_verified_or_trained_candidates_can_enrol(self, cohort, manager, stage):
        from jalur.candidates.tests.factories import CandidateFactory

        with pytest.raises(ValidationError) as error:
            enrolment_create(cohort=cohort, candidate=CandidateFactory(stage=stage), actor=manager)
        assert error.value.code == "stage"
        assert not Enrolment.objects.exists()

    def test_a_full_cohort_puts_the_next_person_on_the_waiting_list(
        self, cohort, make_verified, manager
    ):
        for _ in range(3):
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        late = make_verified()
        enrolment = enrolment_create(cohort=cohort, candidate=late, actor=manager)
        assert enrolment.status == EnrolmentStatus.WAITING
        assert stage_of(late) == Stage.VERIFIED  # waiting does not start training

    def test_a_full_cohort_refuses_when_no_waiting_is_wanted(self, cohort, make_verified, manager):
        for _ in range(3):
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        with pytest.raises(ValidationError) as error:
            enrolment_create(
                cohort=cohort, candidate=make_verified(), actor=manager, allow_waiting=False
            )
        assert error.value.code == "full"

    def test_the_programme_quota_holds_across_cohorts(self, lpk, make_verified, manager):
        programme = ProgrammeFactory(quota=2)
        first = CohortFactory(programme=programme, provider=lpk, capacity=5)
        second = CohortFactory(programme=programme, provider=lpk, capacity=5)
        enrolment_create(cohort=first, candidate=make_verified(), actor=manager)
        enrolment_create(cohort=second, candidate=make_verified(), actor=manager)
        third = enrolment_create(cohort=second, candidate=make_verified(), actor=manager)
        assert third.status == EnrolmentStatus.WAITING

    def test_the_default_quota_is_the_programme_target_setting(self, settings):
        settings.JALUR_PROGRAMME_TARGET = 750
        from jalur.training.models import Programme

        assert Programme(code="x").quota == 750

    def test_a_candidate_is_not_enrolled_twice_in_one_programme(
        self, cohort, lpk, programme, make_verified, manager
    ):
        person = make_verified()
        enrolment_create(cohort=cohort, candidate=person, actor=manager)
        other = CohortFactory(programme=programme, provider=lpk)
        with pytest.raises(ValidationError) as error:
            enrolment_create(cohort=other, candidate=person, actor=manager)
        assert error.value.code == "duplicate"

    @pytest.mark.rule("pathways.pathway_open_problem")
    def test_a_programme_preparing_only_for_a_suspended_pathway_takes_no_one_and_says_why(
        self, lpk, make_verified, manager
    ):
        """QA: the refusal said "Ditangguhkan" without the pathway's stored reason."""
        e8 = Pathway.objects.get(code="kr-e8-seasonal")
        programme = ProgrammeFactory(pathways=[e8])  # made before the pathway was suspended
        cohort = CohortFactory(programme=programme, provider=lpk)
        with pytest.raises(ValidationError) as error:
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        assert error.value.code == "pathway_not_open"
        message = error.value.messages[0]
        assert e8.state_reason.rstrip(". ") in message and e8.legal_basis.rstrip(". ") in message
        assert f'Skema "{e8.name}" ditangguhkan' in message
        assert not Enrolment.objects.exists()

    def test_a_provider_with_an_expired_licence_takes_no_one(
        self, provider, programme, make_verified, manager
    ):
        lpk = ProviderFactory(
            organisation=provider,
            licence_valid_until=timezone.localdate() - datetime.timedelta(days=1),
        )
        cohort = CohortFactory(programme=programme, provider=lpk)
        with pytest.raises(ValidationError) as error:
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        assert error.value.code == "licence"

    def test_a_finished_cohort_takes_no_one(self, lpk, programme, make_verified, manager):
        today = timezone.localdate()
        cohort = CohortFactory(
            programme=programme,
            provider=lpk,
            start_date=today - datetime.timedelta(days=30),
            end_date=today - datetime.timedelta(days=1),
        )
        with pytest.raises(ValidationError) as error:
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        assert error.value.code == "finished"


class TestWithdrawal:
    def test_withdrawal_needs_a_reason(self, cohort, make_verified, manager):
        enrolment = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        with pytest.raises(ValidationError):
            enrolment_withdraw(enrolment=enrolment, actor=manager, reason="  ")

    def test_a_withdrawn_trainee_returns_to_verified_and_can_enrol_again(
        self, cohort, make_verified, manager
    ):
        person = make_verified()
        enrolment = enrolment_create(cohort=cohort, candidate=person, actor=manager)
        enrolment_withdraw(enrolment=enrolment, actor=manager, reason="Sakit")
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.end_reason) == (EnrolmentStatus.WITHDRAWN, "Sakit")
        assert stage_of(person) == Stage.VERIFIED
        again = enrolment_create(cohort=cohort, candidate=person, actor=manager)
        assert again.status == EnrolmentStatus.ENROLLED

    def test_a_freed_seat_goes_to_the_person_waiting_longest(self, cohort, make_verified, manager):
        seated = [
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
            for _ in range(3)
        ]
        first_waiting = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        second_waiting = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        enrolment_withdraw(enrolment=seated[0], actor=manager, reason="Pindah kerja")
        first_waiting.refresh_from_db()
        second_waiting.refresh_from_db()
        assert first_waiting.status == EnrolmentStatus.ENROLLED
        assert second_waiting.status == EnrolmentStatus.WAITING
        assert stage_of(first_waiting.candidate) == Stage.TRAINING
        assert AuditLog.objects.filter(action="training.enrolment.promote").count() == 1

    def test_someone_no_longer_eligible_is_taken_off_the_waiting_list(
        self, cohort, make_verified, manager, verifier
    ):
        seated = [
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
            for _ in range(3)
        ]
        gone = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        candidate_stage_change(
            candidate=gone.candidate, to_stage=Stage.WITHDRAWN, actor=verifier, reason="Menikah"
        )
        next_one = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        enrolment_withdraw(enrolment=seated[1], actor=manager, reason="Sakit")
        gone.refresh_from_db()
        next_one.refresh_from_db()
        assert gone.status == EnrolmentStatus.WITHDRAWN and "Tidak lagi memenuhi" in gone.end_reason
        assert next_one.status == EnrolmentStatus.ENROLLED

    def test_raising_the_capacity_promotes_people_waiting(self, cohort, make_verified, manager):
        for _ in range(3):
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        waiting = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        cohort_update(actor=manager, cohort=cohort, data={"capacity": 4})
        waiting.refresh_from_db()
        assert waiting.status == EnrolmentStatus.ENROLLED

    def test_the_capacity_cannot_drop_below_the_current_trainees(
        self, cohort, make_verified, manager
    ):
        for _ in range(3):
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        with pytest.raises(ValidationError) as error:
            cohort_update(actor=manager, cohort=cohort, data={"capacity": 2})
        assert "capacity" in error.value.message_dict

    def test_a_waiting_person_who_withdraws_keeps_their_stage(self, cohort, make_verified, manager):
        for _ in range(3):
            enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        person = make_verified()
        waiting = enrolment_create(cohort=cohort, candidate=person, actor=manager)
        enrolment_withdraw(enrolment=waiting, actor=manager, reason="Tidak jadi")
        assert stage_of(person) == Stage.VERIFIED


def forty_one(make_verified):
    today = timezone.localdate()
    return make_verified(birth_date=today.replace(year=today.year - 41, day=1))  # 41 on any day


@pytest.mark.rule("eligibility.eligibility_evaluate")
class TestAgeOfThePathway:
    """QA: a 41-year-old was put on the waiting list of a Korea EPS-TOPIK course without a word,
    although putting them on the pathway refuses them ("umur 41, batas 39")."""

    @pytest.fixture
    def eps_cohort(self, lpk):
        programme = ProgrammeFactory(pathways=[Pathway.objects.get(code="kr-eps-g2g")])
        return CohortFactory(programme=programme, provider=lpk, capacity=1)

    def test_someone_older_than_the_pathway_allows_is_not_enrolled(
        self, eps_cohort, make_verified, manager
    ):
        with pytest.raises(ValidationError) as error:
            enrolment_create(cohort=eps_cohort, candidate=forty_one(make_verified), actor=manager)
        assert error.value.code == "age"
        assert "umur 41, batas 39" in error.value.messages[0]
        assert "Korea EPS" in error.value.messages[0]
        assert not Enrolment.objects.exists()

    def test_nor_put_on_the_waiting_list(self, eps_cohort, make_verified, manager):
        enrolment_create(cohort=eps_cohort, candidate=make_verified(), actor=manager)  # full now
        with pytest.raises(ValidationError) as error:
            enrolment_create(cohort=eps_cohort, candidate=forty_one(make_verified), actor=manager)
        assert error.value.code == "age"
        assert eps_cohort.enrolments.count() == 1

    def test_a_programme_also_preparing_a_pathway_without_the_limit_takes_them(
        self, lpk, make_verified, manager
    ):
        programme = ProgrammeFactory(
            pathways=list(Pathway.objects.filter(code__in=["kr-eps-g2g", "kr-e7"]))
        )
        cohort = CohortFactory(programme=programme, provider=lpk)
        enrolment = enrolment_create(
            cohort=cohort, candidate=forty_one(make_verified), actor=manager
        )
        assert enrolment.status == EnrolmentStatus.ENROLLED

    def test_a_seat_freed_later_is_not_given_to_someone_the_open_pathways_no_longer_take(
        self, lpk, make_verified, manager
    ):
        programme = ProgrammeFactory(
            pathways=list(Pathway.objects.filter(code__in=["kr-eps-g2g", "kr-e7"]))
        )
        cohort = CohortFactory(programme=programme, provider=lpk, capacity=1)
        seated = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        waiting = enrolment_create(cohort=cohort, candidate=forty_one(make_verified), actor=manager)
        assert waiting.status == EnrolmentStatus.WAITING  # E-7 takes a 41-year-old
        Pathway.objects.filter(code="kr-e7").update(
            state="suspended", state_reason="Kuota E-7 dihentikan sementara."
        )
        enrolment_withdraw(enrolment=seated, actor=manager, reason="Pindah kota")
        waiting.refresh_from_db()
        assert waiting.status == EnrolmentStatus.WITHDRAWN
        assert "umur 41, batas 39" in waiting.end_reason


@pytest.mark.rule("pathways.pathway_open_problem")
class TestSuspendedPathways:
    """QA: a suspended pathway (Korea E-8 seasonal) could still get programmes and cohorts."""

    def programme_data(self, code):
        return {"code": code, "name": "Pertanian musiman Korea", "kind": "skill", "hours": 120}

    def test_a_programme_is_not_made_for_a_suspended_pathway(self, manager):
        e8 = Pathway.objects.get(code="kr-e8-seasonal")
        with pytest.raises(ValidationError) as error:
            programme_create(actor=manager, data=self.programme_data("musiman"), pathways=[e8])
        message = error.value.message_dict["pathways"][0]
        assert e8.state_reason.rstrip(". ") in message and e8.legal_basis.rstrip(". ") in message
        assert not Programme.objects.filter(code="musiman").exists()

    def test_a_programme_is_not_changed_to_prepare_for_one(self, programme, manager):
        pathways = [*programme.pathways.all(), Pathway.objects.get(code="kr-e8-seasonal")]
        with pytest.raises(ValidationError) as error:
            programme_update(
                actor=manager,
                programme=programme,
                data={"quota": 500},
                pathways=pathways,
            )
        assert "ditangguhkan" in error.value.message_dict["pathways"][0]
        programme.refresh_from_db()
        assert programme.quota == 1000
        assert list(programme.pathways.values_list("code", flat=True)) == ["jp-ssw-p2p"]

    def test_no_cohort_is_opened_for_a_programme_whose_pathways_are_all_suspended(
        self, lpk, manager
    ):
        e8 = Pathway.objects.get(code="kr-e8-seasonal")
        programme = ProgrammeFactory(pathways=[e8])  # made before the pathway was suspended
        today = timezone.localdate()
        with pytest.raises(ValidationError) as error:
            cohort_create(
                actor=manager,
                programme=programme,
                provider=lpk,
                data={
                    "name": "Angkatan musiman",
                    "start_date": today,
                    "end_date": today + datetime.timedelta(days=30),
                    "venue": "Ruang 1",
                    "instructor": "Kim",
                    "capacity": 10,
                },
            )
        assert e8.state_reason.rstrip(". ") in error.value.message_dict["programme"][0]
        assert not programme.cohorts.exists()

    def test_no_one_waiting_is_seated_while_every_pathway_of_the_programme_is_suspended(
        self, cohort, make_verified, manager
    ):
        cohort.capacity = 1
        cohort.save()
        seated = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        waiting = enrolment_create(cohort=cohort, candidate=make_verified(), actor=manager)
        Pathway.objects.filter(code="jp-ssw-p2p").update(
            state="suspended", state_reason="Penempatan dihentikan sementara."
        )
        enrolment_withdraw(enrolment=seated, actor=manager, reason="Pindah kota")
        waiting.refresh_from_db()
        assert waiting.status == EnrolmentStatus.WAITING

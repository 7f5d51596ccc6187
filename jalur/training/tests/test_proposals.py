"""Issue 17: training staff propose people for their cohort, the programme manager confirms, and
an enrolment that cannot lead to a pass (a closed cohort, too many sessions missed) is refused
before anyone is picked."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.rules.training import late_enrolment
from jalur.training.models import Enrolment, EnrolmentProposal, EnrolmentStatus, ProposalStatus
from jalur.training.services import (
    enrolment_create,
    enrolment_propose,
    enrolment_withdraw,
    proposal_accept,
    proposal_decline,
)

from .factories import SessionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def verified(**kwargs):
    return CandidateFactory(stage=Stage.VERIFIED, **kwargs)


class TestProposals:
    def test_staff_propose_and_are_told_it_waits_for_the_manager(self, client_for, cohort, trainer):
        person = verified(full_name="Siti Rahmawati")
        url = reverse("training:cohort_enrol", args=[cohort.pk])
        page = client_for(trainer).get(url)
        assert page.status_code == 200
        assert "Siti Rahmawati" not in page.content.decode()  # no list of strangers to browse
        found = client_for(trainer).get(url, {"q": "rahma"}).content.decode()
        assert "Siti Rahmawati" in found
        response = client_for(trainer).post(url, {"candidates": [person.pk]}, follow=True)
        html = response.content.decode()
        assert "Usulan Anda menunggu persetujuan pengelola program" in html
        assert not Enrolment.objects.exists()
        proposal = EnrolmentProposal.objects.get()
        assert (proposal.status, proposal.proposed_by) == (ProposalStatus.PENDING, trainer)
        assert AuditLog.objects.filter(action="training.proposal.create", actor=trainer).exists()

    def test_staff_of_another_provider_cannot_propose_for_this_cohort(
        self, client_for, cohort, trainer_b
    ):
        url = reverse("training:cohort_enrol", args=[cohort.pk])
        assert client_for(trainer_b).get(url).status_code == 404
        person = verified()
        assert client_for(trainer_b).post(url, {"candidates": [person.pk]}).status_code == 404
        assert not EnrolmentProposal.objects.exists()

    def test_the_manager_confirms_many_at_once_from_the_home_page(
        self, client_for, cohort, trainer, manager
    ):
        people = [verified() for _ in range(2)]
        for person in people:
            enrolment_propose(cohort=cohort, candidate=person, actor=trainer)
        home = client_for(manager).get("/").content.decode()
        assert "Usulan peserta menunggu persetujuan Anda" in home
        assert reverse("training:proposals") in home
        page = client_for(manager).get(reverse("training:proposals")).content.decode()
        assert all(p.full_name in page for p in people)
        response = client_for(manager).post(
            reverse("training:proposal_decide"),
            {
                "proposals": list(EnrolmentProposal.objects.values_list("pk", flat=True)),
                "decision": "accept",
            },
        )
        assert response.status_code == 302
        assert Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED).count() == 2
        assert set(EnrolmentProposal.objects.values_list("status", flat=True)) == {"accepted"}
        assert (
            AuditLog.objects.filter(action="training.proposal.accepted", actor=manager).count() == 2
        )
        assert all(p.enrolment_id for p in EnrolmentProposal.objects.all())

    def test_declining_needs_a_reason_and_keeps_the_proposal_until_given(
        self, client_for, cohort, trainer, manager
    ):
        proposal = enrolment_propose(cohort=cohort, candidate=verified(), actor=trainer)
        url = reverse("training:proposal_decide")
        page = client_for(manager).post(url, {"proposals": [proposal.pk], "decision": "decline"})
        assert "Tulis alasan usulan ditolak" in page.content.decode()
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.PENDING
        client_for(manager).post(
            url, {"proposals": [proposal.pk], "decision": "decline", "reason": "kuota habis"}
        )
        proposal.refresh_from_db()
        assert (proposal.status, proposal.decision_reason) == ("declined", "kuota habis")
        page = client_for(trainer).get(reverse("training:cohort_enrol", args=[cohort.pk]))
        assert "Ditolak" in page.content.decode() and "kuota habis" in page.content.decode()
        with pytest.raises(ValidationError):
            proposal_accept(proposal=proposal, actor=manager)

    def test_a_person_is_proposed_once_per_programme(self, cohort, trainer):
        person = verified()
        enrolment_propose(cohort=cohort, candidate=person, actor=trainer)
        with pytest.raises(ValidationError) as error:
            enrolment_propose(cohort=cohort, candidate=person, actor=trainer)
        assert error.value.code == "duplicate"

    def test_accepting_a_proposal_the_checks_now_refuse_leaves_it_waiting(
        self, cohort, trainer, manager
    ):
        person = verified()
        proposal = enrolment_propose(cohort=cohort, candidate=person, actor=trainer)
        enrolment_create(cohort=cohort, candidate=person, actor=manager)  # enrolled meanwhile
        with pytest.raises(ValidationError):
            proposal_accept(proposal=proposal, actor=manager)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.PENDING
        proposal_decline(proposal=proposal, actor=manager, reason="sudah terdaftar")

    def test_staff_see_their_proposals_waiting_on_their_home_page(
        self, client_for, cohort, trainer
    ):
        enrolment_propose(cohort=cohort, candidate=verified(), actor=trainer)
        home = client_for(trainer).get("/").content.decode()
        assert "Usulan Anda menunggu persetujuan pengelola program" in home


class TestNoEnrolmentThatCannotPass:
    def test_a_closed_cohort_says_so_before_anyone_is_picked(self, client_for, cohort, manager):
        verified(full_name="Budi Santoso")
        cohort.closed_at = timezone.now()
        cohort.save(update_fields=["closed_at"])
        page = client_for(manager).get(reverse("training:cohort_enrol", args=[cohort.pk]))
        html = page.content.decode()
        assert "Angkatan ini sudah ditutup pada" in html
        assert "Budi Santoso" not in html and 'name="candidates"' not in html

    @pytest.mark.rule("training.late_enrolment")
    def test_the_rule_says_whether_the_sessions_left_can_reach_the_pass_mark(self):
        assert late_enrolment(held=0, scheduled=10, min_pct=80).passed
        assert late_enrolment(held=2, scheduled=10, min_pct=80).passed  # 80% exactly
        ruling = late_enrolment(held=3, scheduled=10, min_pct=80)
        assert not ruling.passed
        assert "paling tinggi hadir 70,0%" in ruling.message
        assert "tidak bisa lulus di angkatan ini" in ruling.message
        assert late_enrolment(held=0, scheduled=0, min_pct=80).passed

    @pytest.mark.rule("training.late_enrolment")
    def test_enrolling_or_proposing_someone_who_cannot_pass_is_refused(
        self, client_for, cohort, trainer, manager
    ):
        """Issue 17: the page warned they could no longer pass, yet enrolled them."""
        for days in range(1, 5):
            SessionFactory(cohort=cohort, date=TODAY - datetime.timedelta(days=days))
        for days in range(0, 10):
            SessionFactory(cohort=cohort, date=TODAY + datetime.timedelta(days=days))
        person = verified()
        for service, actor in ((enrolment_create, manager), (enrolment_propose, trainer)):
            with pytest.raises(ValidationError) as error:
                service(cohort=cohort, candidate=person, actor=actor)
            assert error.value.code == "cannot_pass"
            assert "4 dari 14 sesi" in error.value.messages[0]
        page = client_for(manager).get(reverse("training:cohort_enrol", args=[cohort.pk]))
        html = page.content.decode()
        assert "tidak bisa lulus di angkatan ini" in html and 'name="candidates"' not in html
        client_for(manager).post(
            reverse("training:cohort_enrol", args=[cohort.pk]), {"candidates": [person.pk]}
        )
        assert not Enrolment.objects.exists()

    @pytest.mark.rule("training.late_enrolment")
    def test_a_seat_freed_too_late_ends_the_wait_instead_of_seating_someone_who_cannot_pass(
        self, cohort, manager, candidate_user
    ):
        """Waiting in a cohort they can no longer pass would also block the next cohort of the
        programme (one open enrolment per programme): the wait ends, with the reason."""
        seated = [
            enrolment_create(cohort=cohort, candidate=verified(), actor=manager) for _ in range(3)
        ]
        waiting = enrolment_create(
            cohort=cohort, candidate=verified(user=candidate_user), actor=manager
        )
        assert waiting.status == EnrolmentStatus.WAITING
        for days in range(1, 5):
            SessionFactory(cohort=cohort, date=TODAY - datetime.timedelta(days=days))
        SessionFactory(cohort=cohort, date=TODAY + datetime.timedelta(days=1))
        enrolment_withdraw(enrolment=seated[0], actor=manager, reason="pindah kota")
        waiting.refresh_from_db()
        assert waiting.status == EnrolmentStatus.WITHDRAWN
        assert "tidak bisa lulus di angkatan ini" in waiting.end_reason
        assert candidate_user.notifications.filter(key="training_withdrawn").exists()

"""The verifier's queue, document review, decisions, and the possible-duplicate review."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.models import (
    Decision,
    DocumentStatus,
    DuplicateFlag,
    RegistrationChannel,
    StageHistory,
    VerificationDecision,
)
from jalur.candidates.selectors import verification_blockers, verification_queue
from jalur.candidates.services import (
    candidate_register,
    candidate_update,
    candidate_verify,
    document_review,
    duplicate_decide,
    duplicates_flag,
)
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory

from .conftest import registration_data

pytestmark = pytest.mark.django_db


class TestQueue:
    def test_oldest_first_and_filtered_by_kecamatan_and_status(self):
        now = timezone.now()
        old = CandidateFactory(stage=Stage.REGISTERED, stage_changed_at=now)
        new = CandidateFactory(stage=Stage.REGISTERED)
        other_district = CandidateFactory(
            stage=Stage.REGISTERED, district_id="36.73.02", village_id="36.73.02.1001"
        )
        fixing = CandidateFactory(stage=Stage.CORRECTION)
        for days, candidate in ((9, old), (2, new), (5, other_district), (1, fixing)):
            type(candidate).objects.filter(pk=candidate.pk).update(
                stage_changed_at=now - datetime.timedelta(days=days)
            )
        assert list(verification_queue()) == [old, other_district, new]
        assert list(verification_queue(district="36.73.01")) == [old, new]
        assert list(verification_queue(stage=Stage.CORRECTION)) == [fixing]
        assert list(verification_queue(stage="all")) == [old, other_district, new, fixing]

    def test_the_queue_page_counts_documents_and_flags(self, client_for, verifier, submitted):
        page = client_for(verifier).get(reverse("candidates:queue")).content.decode()
        assert submitted.full_name in page and "7 baru" in page

    def test_the_queue_page_runs_a_fixed_number_of_queries(
        self, client_for, verifier, django_assert_max_num_queries
    ):
        CandidateFactory.create_batch(3, stage=Stage.REGISTERED)
        client = client_for(verifier)
        client.get(reverse("candidates:queue"))
        CandidateFactory.create_batch(20, stage=Stage.REGISTERED)
        with django_assert_max_num_queries(12):
            client.get(reverse("candidates:queue"))

    @pytest.mark.parametrize("role", ["officer", "leader", "trainer", "agent", "candidate_user"])
    def test_only_verifiers_and_managers_see_the_queue(self, client_for, request, role):
        user = request.getfixturevalue(role)
        assert client_for(user).get(reverse("candidates:queue")).status_code == 403


class TestDocumentReview:
    def test_a_verifier_accepts_a_document_with_htmx_and_gets_the_row_back(
        self, client_for, verifier, submitted
    ):
        document = submitted.documents.first()
        response = client_for(verifier).post(
            reverse("candidates:review_document", args=[document.pk]),
            {"accept": "1"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and "Diterima" in response.content.decode()
        document.refresh_from_db()
        assert (document.status, document.reviewed_by) == (DocumentStatus.ACCEPTED, verifier)
        assert AuditLog.objects.filter(
            action="document.review", object_id=str(document.pk)
        ).exists()

    def test_a_rejection_needs_a_reason(self, client_for, verifier, submitted):
        document = submitted.documents.first()
        response = client_for(verifier).post(
            reverse("candidates:review_document", args=[document.pk]),
            {"accept": "0", "reason": ""},
            HTTP_HX_REQUEST="true",
        )
        assert "Tulis alasan penolakan" in response.content.decode()
        document.refresh_from_db()
        assert document.status == DocumentStatus.UPLOADED

    def test_a_rejection_keeps_its_reason(self, verifier, submitted):
        document = submitted.documents.first()
        document_review(document=document, actor=verifier, accept=False, reason="Foto buram")
        document.refresh_from_db()
        assert (document.status, document.rejection_reason) == (
            DocumentStatus.REJECTED,
            "Foto buram",
        )

    @pytest.mark.parametrize("role", ["officer", "leader", "agent", "candidate_user"])
    def test_others_cannot_review(self, client_for, request, role, submitted):
        document = submitted.documents.first()
        user = request.getfixturevalue(role)
        response = client_for(user).post(
            reverse("candidates:review_document", args=[document.pk]), {"accept": "1"}
        )
        assert response.status_code == 403
        document.refresh_from_db()
        assert document.status == DocumentStatus.UPLOADED


class TestDecision:
    def test_verifying_needs_every_required_document_accepted(self, verifier, submitted):
        blockers = verification_blockers(submitted, today=timezone.localdate())
        assert "KTP belum diperiksa." in blockers
        with pytest.raises(ValidationError):
            candidate_verify(candidate=submitted, actor=verifier, decision=Decision.VERIFIED)
        submitted.refresh_from_db()
        assert submitted.stage == Stage.REGISTERED

    def test_a_checked_registration_is_verified_through_the_stage_machine(
        self, client_for, verifier, checked
    ):
        response = client_for(verifier).post(
            reverse("candidates:verify", args=[checked.pk]), {"decision": "verified"}
        )
        assert response["Location"] == reverse("candidates:queue")
        checked.refresh_from_db()
        assert checked.stage == Stage.VERIFIED
        history = StageHistory.objects.filter(candidate=checked).latest("created_at")
        assert (history.to_stage, history.actor) == (Stage.VERIFIED, verifier)
        assert AuditLog.objects.filter(action="candidate.verification", actor=verifier).exists()
        assert AuditLog.objects.filter(action="candidate.stage_change", actor=verifier).exists()

    def test_back_for_correction_with_a_list_that_the_candidate_reads(
        self, client_for, verifier, submitted
    ):
        document = submitted.documents.get(document_type__code="kk")
        document_review(document=document, actor=verifier, accept=False, reason="halaman terpotong")
        page = client_for(verifier).get(reverse("candidates:verify", args=[submitted.pk]))
        assert "Kartu Keluarga: halaman terpotong" in page.content.decode()  # prefilled list
        client_for(verifier).post(
            reverse("candidates:verify", args=[submitted.pk]),
            {
                "decision": "correction",
                "items": "Kartu Keluarga: halaman terpotong\nRT belum diisi",
            },
        )
        submitted.refresh_from_db()
        assert submitted.stage == Stage.CORRECTION
        decision = VerificationDecision.objects.get(candidate=submitted)
        assert decision.items == ["Kartu Keluarga: halaman terpotong", "RT belum diisi"]
        page = client_for(submitted.user).get(reverse("candidates:me")).content.decode()
        assert "Yang harus diperbaiki menurut petugas" in page and "RT belum diisi" in page

    def test_the_correction_list_starts_with_rejected_documents_and_what_is_missing(
        self, client_for, verifier, submitted
    ):
        submitted.preferred_job_types.clear()
        client = client_for(verifier)
        document = submitted.documents.get(document_type__code="kk")
        response = client.post(
            reverse("candidates:review_document", args=[document.pk]),
            {"accept": "0", "reason": "Foto KK buram, halaman terpotong"},
            HTTP_HX_REQUEST="true",
        )
        # the review answers with the row and, out of band, the list the box is filled from
        oob = re.search(
            r'<div id="correction-items" hidden data-items="([^"]*)" hx-swap-oob="true">',
            response.content.decode(),
        )
        expected = (
            "Kartu Keluarga: Foto KK buram, halaman terpotong\n"
            "Negara dan pekerjaan tujuan belum lengkap (jenis pekerjaan yang diminati)."
        )
        assert oob and oob[1] == expected
        page = client.get(reverse("candidates:verify", args=[submitted.pk]))
        assert page.context["form"].initial["items"] == expected
        # the list of what stops a verification follows the review too, without a reload
        blockers = re.search(
            r'<div id="verify-blockers" hx-swap-oob="true">(.*?)</div>\s*$',
            response.content.decode(),
            re.S,
        )
        assert blockers and "Kartu Keluarga" in blockers[1]

    def test_a_list_left_in_the_box_is_not_kept_with_a_verification(self, verifier, checked):
        decision = candidate_verify(
            candidate=checked, actor=verifier, decision=Decision.VERIFIED, items=["Foto ulang KTP"]
        )
        assert decision.items == []

    def test_a_refused_verification_lists_what_blocks_it_once(
        self, client_for, verifier, submitted
    ):
        response = client_for(verifier).post(
            reverse("candidates:verify", args=[submitted.pk]), {"decision": "verified"}
        )
        page = response.content.decode()
        submitted.refresh_from_db()
        assert submitted.stage == Stage.REGISTERED
        assert page.count("Kartu Keluarga belum diperiksa.") == 1
        assert "Belum bisa diverifikasi: selesaikan dulu daftar di atas" in page

    def test_what_was_checked_and_why_is_shown_to_the_office_not_to_partners(
        self, client_for, verifier, trainer, submitted, scope
    ):
        candidate_verify(
            candidate=submitted,
            actor=verifier,
            decision=Decision.CORRECTION,
            items=["Foto KTP buram"],
            reason="Alamat di KTP berbeda dengan domisili.",
        )
        url = reverse("candidates:detail", args=[submitted.pk])
        office = client_for(verifier).get(url).content.decode()
        assert "Foto KTP buram" in office and "Alamat di KTP berbeda" in office
        scope("training_staff", lambda user, qs: qs)  # as if the person trained with them
        partner = client_for(trainer).get(url).content.decode()
        assert "Keputusan terakhir" in partner
        assert "Foto KTP buram" not in partner and "Alamat di KTP berbeda" not in partner

    def test_correction_needs_the_list(self, verifier, submitted):
        with pytest.raises(ValidationError) as error:
            candidate_verify(candidate=submitted, actor=verifier, decision=Decision.CORRECTION)
        assert "satu per baris" in str(error.value)

    def test_a_rejection_needs_a_reason_that_the_candidate_reads(
        self, client_for, verifier, submitted
    ):
        with pytest.raises(ValidationError):
            candidate_verify(candidate=submitted, actor=verifier, decision=Decision.REJECTED)
        candidate_verify(
            candidate=submitted,
            actor=verifier,
            decision=Decision.REJECTED,
            reason="Domisili ternyata di luar Kota Serang.",
        )
        page = client_for(submitted.user).get(reverse("candidates:me")).content.decode()
        assert "Domisili ternyata di luar Kota Serang." in page and "berhenti di sini" in page

    def test_a_corrected_registration_comes_back_to_the_queue(
        self, client_for, verifier, submitted
    ):
        candidate_verify(
            candidate=submitted,
            actor=verifier,
            decision=Decision.CORRECTION,
            items=["Foto ulang KTP"],
        )
        client = client_for(submitted.user)
        client.post(reverse("candidates:register_step", args=["persetujuan"]), {"agree": "on"})
        submitted.refresh_from_db()
        assert submitted.stage == Stage.REGISTERED

    def test_an_unconfirmed_birth_date_mismatch_blocks_verification_until_confirmed(
        self, client_for, verifier, checked
    ):
        type(checked).objects.filter(pk=checked.pk).update(
            birth_date=datetime.date(1998, 5, 18), birth_date_confirmed_at=None
        )
        checked.refresh_from_db()
        assert any(
            "belum dicocokkan" in b
            for b in verification_blockers(checked, today=timezone.localdate())
        )
        client_for(verifier).post(reverse("candidates:confirm_birth_date", args=[checked.pk]))
        checked.refresh_from_db()
        assert checked.birth_date_confirmed_by == verifier
        assert verification_blockers(checked, today=timezone.localdate()) == []

    @pytest.mark.parametrize("role", ["officer", "leader", "trainer", "agent"])
    def test_only_verifiers_decide(self, client_for, request, role, checked):
        user = request.getfixturevalue(role)
        response = client_for(user).post(
            reverse("candidates:verify", args=[checked.pk]), {"decision": "verified"}
        )
        assert response.status_code == 403
        checked.refresh_from_db()
        assert checked.stage == Stage.REGISTERED

    def test_the_verify_page_shows_data_and_documents_side_by_side(
        self, client_for, verifier, submitted
    ):
        page = (
            client_for(verifier)
            .get(reverse("candidates:verify", args=[submitted.pk]))
            .content.decode()
        )
        assert submitted.nik in page and "Ijazah terakhir" in page and 'class="doc-preview"' in page


class TestDuplicates:
    def test_the_same_phone_on_a_different_nik_is_flagged(self, officer, registering):
        other = candidate_register(
            data=registration_data(
                serial=2, full_name="Dewi Lestari", birth_date=datetime.date(1999, 1, 2)
            ),
            actor=officer,
            channel=RegistrationChannel.WALK_IN,
        )
        flag = DuplicateFlag.objects.get()
        assert flag.reason == DuplicateFlag.Reason.SAME_PHONE
        assert {flag.first_id, flag.second_id} == {registering.pk, other.pk}

    def test_the_same_name_and_birth_date_is_flagged_whatever_the_case(self, officer, registering):
        candidate_register(
            data=registration_data(serial=2, full_name="SITI  RAHMAWATI", phone="081299990000"),
            actor=officer,
            channel=RegistrationChannel.WALK_IN,
        )
        assert DuplicateFlag.objects.get().reason == DuplicateFlag.Reason.SAME_NAME_BIRTH

    def test_flagging_again_keeps_a_decided_flag_decided(self, officer, verifier, registering):
        other = CandidateFactory(phone=registering.phone)
        flag = duplicates_flag(candidate=other)[0]
        duplicate_decide(flag=flag, actor=verifier, confirmed=False)
        duplicates_flag(candidate=other)
        assert DuplicateFlag.objects.get().status == DuplicateFlag.Status.DISMISSED

    def test_a_flag_whose_reason_no_longer_holds_leaves_the_queue(self, officer, registering):
        other = CandidateFactory(phone=registering.phone)
        flag = duplicates_flag(candidate=other)[0]
        candidate_update(candidate=other, data={"phone": "0857-7777-1111"}, actor=officer)
        flag.refresh_from_db()
        assert flag.status == DuplicateFlag.Status.DISMISSED
        assert "tidak sama lagi" in flag.note
        assert AuditLog.objects.filter(
            action="candidate.duplicate_obsolete", object_id=str(flag.pk), actor=officer
        ).exists()

    def test_an_open_flag_blocks_verification_and_a_dismissal_unblocks_it(self, verifier, checked):
        flag = duplicates_flag(candidate=CandidateFactory(phone=checked.phone))[0]
        assert any(
            "kemungkinan duplikat" in b
            for b in verification_blockers(checked, today=timezone.localdate())
        )
        duplicate_decide(
            flag=flag, actor=verifier, confirmed=False, note="Saudara kembar, HP bersama"
        )
        assert verification_blockers(checked, today=timezone.localdate()) == []
        assert AuditLog.objects.filter(action="candidate.duplicate_decide").exists()

    def test_a_confirmed_duplicate_blocks_until_the_other_registration_is_rejected(
        self, verifier, checked
    ):
        other = CandidateFactory(phone=checked.phone, stage=Stage.REGISTERED)
        flag = duplicates_flag(candidate=other)[0]
        with pytest.raises(ValidationError):
            duplicate_decide(flag=flag, actor=verifier, confirmed=True)  # a note is required
        duplicate_decide(flag=flag, actor=verifier, confirmed=True, note="NIK kedua salah ketik")
        assert any(
            "orang yang sama" in b
            for b in verification_blockers(checked, today=timezone.localdate())
        )
        candidate_verify(
            candidate=other, actor=verifier, decision=Decision.REJECTED, reason="Duplikat"
        )
        assert verification_blockers(checked, today=timezone.localdate()) == []

    def test_nothing_is_merged(self, verifier, registering):
        other = CandidateFactory(phone=registering.phone)
        flag = duplicates_flag(candidate=other)[0]
        duplicate_decide(flag=flag, actor=verifier, confirmed=True, note="sama")
        registering.refresh_from_db()
        other.refresh_from_db()
        assert registering.nik != other.nik and type(other).objects.count() == 2

    def test_the_review_page_decides_with_a_form(self, client_for, verifier, registering):
        flag = duplicates_flag(candidate=CandidateFactory(phone=registering.phone))[0]
        client = client_for(verifier)
        page = client.get(reverse("candidates:duplicates")).content.decode()
        assert registering.full_name in page
        client.post(
            reverse("candidates:duplicate_decision", args=[flag.pk]), {"confirmed": "0", "note": ""}
        )
        flag.refresh_from_db()
        assert flag.status == DuplicateFlag.Status.DISMISSED and flag.decided_by == verifier

    def test_each_card_on_the_review_page_has_its_own_field_ids(
        self, client_for, verifier, registering
    ):
        """A label must work the radio button of its own pair, never the first card's."""
        duplicates_flag(candidate=CandidateFactory(phone=registering.phone))
        duplicates_flag(candidate=CandidateFactory(phone=registering.phone))
        page = client_for(verifier).get(reverse("candidates:duplicates")).content.decode()
        ids = re.findall(r' id="([^"]+)"', page)
        assert len([i for i in ids if i.endswith("note")]) >= 2
        assert len(ids) == len(set(ids))

    def test_the_review_page_only_goes_back_within_jalur(self, client_for, verifier, registering):
        flag = duplicates_flag(candidate=CandidateFactory(phone=registering.phone))[0]
        response = client_for(verifier).post(
            reverse("candidates:duplicate_decision", args=[flag.pk]),
            {"confirmed": "0", "next": "https://contoh.example/phish"},
        )
        assert response.url == reverse("candidates:duplicates")

    @pytest.mark.parametrize("role", ["officer", "leader", "agent", "candidate_user"])
    def test_others_do_not_learn_that_a_flag_exists(self, client_for, request, role, registering):
        flag = duplicates_flag(candidate=CandidateFactory(phone=registering.phone))[0]
        user = request.getfixturevalue(role)
        response = client_for(user).post(
            reverse("candidates:duplicate_decision", args=[flag.pk]), {"confirmed": "0"}
        )
        assert response.status_code in (403, 404)
        flag.refresh_from_db()
        assert flag.status == DuplicateFlag.Status.OPEN


@pytest.mark.django_db
def test_a_kelurahan_outside_the_chosen_kecamatan_is_said_not_silently_empty(client_for, verifier):
    response = client_for(verifier).get(
        reverse("candidates:queue"), {"district": "36.73.02", "village": "36.73.04.1010"}
    )
    form = response.context["form"]
    assert "tidak ada di kecamatan yang dipilih" in form.errors["village"][0]
    assert "tidak ada di kecamatan yang dipilih" in response.content.decode()
    assert form.filters() == {"district": "36.73.02"}

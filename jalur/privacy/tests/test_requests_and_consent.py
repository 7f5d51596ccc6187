"""Correction and erasure requests decided by the office (UU PDP Pasal 6 and 8), consent versions
answered at the next visit, and the retention run finishing accepted erasures."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate, ConsentRecord, ConsentText
from jalur.candidates.reference import consent_text_fields
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure.models import DepartureCase
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.notifications.models import Notification
from jalur.privacy.consent import consent_answer, consent_pending, consent_publish
from jalur.privacy.models import ConsentAnswer, RightsRequest
from jalur.privacy.requests import (
    erasure_plan,
    erasure_request,
    rectification_request,
    request_decide,
)

pytestmark = pytest.mark.django_db


class TestRectification:
    def test_accepted_correction_is_applied_through_the_update_service(
        self, candidate_user, verifier
    ):
        person = CandidateFactory(user=candidate_user, stage=Stage.VERIFIED, street="Jl. Lama 1")
        request = rectification_request(
            candidate=person, actor=candidate_user, field="street", value="Jl. Baru 2"
        )
        request_decide(request=request, actor=verifier, accept=True)
        person.refresh_from_db()
        request.refresh_from_db()
        assert person.street == "Jl. Baru 2"
        assert request.status == RightsRequest.Status.ACCEPTED and request.decided_by == verifier
        change = AuditLog.objects.get(action="candidate.update", actor=verifier)
        assert change.object_id == str(person.pk) and "street" in change.changes
        assert candidate_user.notifications.filter(key="privacy_request_decided").exists()

    def test_refusal_needs_a_reason_the_person_reads(self, client_for, candidate_user, verifier):
        person = CandidateFactory(user=candidate_user, stage=Stage.VERIFIED)
        request = rectification_request(
            candidate=person, actor=candidate_user, field="rt", value="009"
        )
        with pytest.raises(ValidationError):
            request_decide(request=request, actor=verifier, accept=False, reason=" ")
        request_decide(
            request=request, actor=verifier, accept=False, reason="Sesuai KTP, RT Anda 008."
        )
        page = client_for(candidate_user).get(reverse("privacy:my_data")).content.decode()
        assert "Sesuai KTP, RT Anda 008." in page

    def test_bad_input_is_refused_with_a_clear_message(self, candidate_user):
        person = CandidateFactory(user=candidate_user, stage=Stage.VERIFIED)
        with pytest.raises(ValidationError) as error:
            rectification_request(
                candidate=person, actor=candidate_user, field="birth_date", value="17/05"
            )
        assert "tahun-bulan-tanggal" in str(error.value)
        rectification_request(candidate=person, actor=candidate_user, field="rt", value="009")
        with pytest.raises(ValidationError, match="masih menunggu"):
            rectification_request(candidate=person, actor=candidate_user, field="rw", value="002")

    def test_the_form_and_the_office_list(self, client_for, candidate_user, verifier):
        person = CandidateFactory(user=candidate_user, stage=Stage.VERIFIED)
        client_for(candidate_user).post(
            reverse("privacy:rectify"), {"field": "education_major", "value": "Teknik Mesin"}
        )
        request = RightsRequest.objects.get(candidate=person)
        office = client_for(verifier)
        assert request in office.get(reverse("privacy:requests")).context["page_obj"]
        office.post(reverse("privacy:request_detail", args=[request.pk]), {"accept": "1"})
        assert Candidate.objects.get(pk=person.pk).education_major == "Teknik Mesin"


class TestErasure:
    def test_an_active_participant_must_withdraw_first(self, candidate_user):
        person = CandidateFactory(user=candidate_user, stage=Stage.TRAINING)
        allowed, why, _kept = erasure_plan(person)
        assert not allowed and "Mengundurkan diri" in why
        with pytest.raises(ValidationError):
            erasure_request(candidate=person, actor=candidate_user)

    def test_without_kept_records_everything_goes_at_once(self, candidate_user, manager):
        person = CandidateFactory(user=candidate_user, stage=Stage.WITHDRAWN, full_name="Siti")
        request = erasure_request(candidate=person, actor=candidate_user)
        request_decide(request=request, actor=manager, accept=True)
        person.refresh_from_db()
        assert person.full_name.startswith("(dihapus)") and hasattr(person, "anonymisation")

    def test_kept_records_stay_with_their_reason_and_go_on_their_day(
        self, candidate_user, manager, agency
    ):
        order = make_order(make_agency(agency))
        person = CandidateFactory(
            user=candidate_user, stage=Stage.WITHDRAWN, full_name="Siti", street="Jl. Melati 3"
        )
        application = accept(order, candidate=person)
        case = DepartureCase.objects.create(
            application=application, candidate=person, agency=order.agency
        )
        allowed, _why, kept = erasure_plan(person)
        assert allowed and kept
        assert all(k.until.year == timezone.localdate().year + 10 for k in kept)
        request = erasure_request(candidate=person, actor=candidate_user)
        request_decide(request=request, actor=manager, accept=True)
        person.refresh_from_db()
        request.refresh_from_db()
        assert person.full_name == "Siti" and person.street == ""  # kept: what ties the records
        assert request.erase_after == max(k.until for k in kept)
        assert DepartureCase.objects.filter(pk=case.pk).exists()
        call_command("apply_retention")
        assert not hasattr(Candidate.objects.get(pk=person.pk), "anonymisation")
        RightsRequest.objects.filter(pk=request.pk).update(
            erase_after=timezone.localdate() - datetime.timedelta(days=1)
        )
        call_command("apply_retention")
        assert Candidate.objects.get(pk=person.pk).full_name.startswith("(dihapus)")


@pytest.fixture
def versions():
    first = ConsentText.objects.filter(is_current=True).first() or ConsentText.objects.create(
        **consent_text_fields(), is_current=True
    )
    return first


def _agreed(person, consent):
    Candidate.objects.filter(pk=person.pk).update(
        consent_version=consent.version, consent_at=timezone.now()
    )
    person.refresh_from_db()


class TestConsentVersions:
    def _new(self, manager, version="2099.1"):
        data = {**consent_text_fields(), "version": version, "title": "Persetujuan baru"}
        return consent_publish(data=data, actor=manager)

    def test_publishing_keeps_the_old_version_and_asks_again(
        self, versions, manager, candidate_user
    ):
        person = CandidateFactory(user=candidate_user, stage=Stage.VERIFIED)
        _agreed(person, versions)
        assert consent_pending(person) is None
        new = self._new(manager)
        assert ConsentText.objects.get(pk=versions.pk).is_current is False
        assert consent_pending(person) == new
        assert AuditLog.objects.filter(action="privacy.consent_publish").exists()
        with pytest.raises(ValidationError):
            self._new(manager)  # the same version twice

    def test_agreeing_is_kept_per_version(self, versions, manager, candidate_user):
        person = CandidateFactory(user=candidate_user, stage=Stage.VERIFIED)
        _agreed(person, versions)
        new = self._new(manager)
        consent_answer(candidate=person, consent=new, agreed=True, actor=candidate_user)
        person.refresh_from_db()
        assert person.consent_version == new.version
        assert ConsentRecord.objects.filter(candidate=person, consent_text=new).exists()
        assert ConsentAnswer.objects.get(candidate=person).agreed is True
        assert consent_pending(person) is None

    def test_not_agreeing_withdraws(self, versions, manager, candidate_user):
        person = CandidateFactory(user=candidate_user, stage=Stage.VERIFIED)
        _agreed(person, versions)
        new = self._new(manager)
        consent_answer(candidate=person, consent=new, agreed=False, actor=candidate_user)
        assert Candidate.objects.get(pk=person.pk).stage == Stage.WITHDRAWN
        assert ConsentAnswer.objects.get(candidate=person, consent_text=new).agreed is False

    def test_the_next_visit_is_sent_to_the_answer_page(
        self, settings, client_for, versions, manager, candidate_user
    ):
        settings.MIDDLEWARE = [
            *settings.MIDDLEWARE,
            "jalur.privacy.middleware.ConsentVersionMiddleware",
        ]
        person = CandidateFactory(user=candidate_user, stage=Stage.VERIFIED)
        _agreed(person, versions)
        client = client_for(candidate_user)
        assert client.get(reverse("candidates:me")).status_code == 200
        self._new(manager, version="2099.2")
        client = client_for(candidate_user)  # a new log-in
        response = client.get(reverse("candidates:me"))
        assert response.status_code == 302 and "persetujuan" in response["Location"]
        client.post(response["Location"], {"agreed": "1"})
        assert client.get(reverse("candidates:me")).status_code == 200
        # the office is never stopped
        assert client_for(manager).get(reverse("privacy:consent_publish")).status_code == 200

    def test_the_manager_previews_then_publishes(self, client_for, versions, manager):
        client = client_for(manager)
        data = {**consent_text_fields(), "version": "2099.3", "title": "Judul baru"}
        preview = client.post(reverse("privacy:consent_publish"), {**data, "preview": "1"})
        assert "Pratinjau" in preview.content.decode()
        assert not ConsentText.objects.filter(version="2099.3").exists()
        client.post(reverse("privacy:consent_publish"), {**data, "publish": "1"})
        assert ConsentText.objects.get(is_current=True).version == "2099.3"


def test_no_message_outside_the_inbox_reaches_a_withdrawn_person_via_notification(
    db, candidate_user
):
    """The inbox keeps every message: the person can still log in and read them."""
    person = CandidateFactory(user=candidate_user, stage=Stage.WITHDRAWN)
    from jalur.notifications.services import notify

    notify(user=candidate_user, key="welcome", context={"candidate": person})
    assert Notification.objects.filter(user=candidate_user).count() == 1


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


class TestEvidence:
    def test_evidence_is_checked_by_content_and_shown_to_the_office(
        self, client_for, candidate_user, verifier
    ):
        person = CandidateFactory(user=candidate_user, stage=Stage.VERIFIED)
        client = client_for(candidate_user)
        fake = SimpleUploadedFile("ktp.png", b"MZ not an image", content_type="image/png")
        refused = client.post(
            reverse("privacy:rectify"), {"field": "rt", "value": "009", "evidence": fake}
        )
        assert refused.context["form"].errors["evidence"]
        assert not RightsRequest.objects.exists()
        photo = SimpleUploadedFile("ktp.png", _png(), content_type="image/png")
        client.post(reverse("privacy:rectify"), {"field": "rt", "value": "009", "evidence": photo})
        request = RightsRequest.objects.get(candidate=person)
        assert request.evidence and request.evidence_type == "image/png"
        response = client_for(verifier).get(reverse("privacy:request_evidence", args=[request.pk]))
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
        assert AuditLog.objects.filter(action="privacy.request_evidence", actor=verifier).exists()


def test_the_duplicate_queue_records_a_read_of_both_people(client_for, verifier):
    from jalur.candidates.models import DuplicateFlag

    first, second = CandidateFactory(), CandidateFactory()
    DuplicateFlag.objects.create(first=first, second=second, reason="same_name_birth")
    client_for(verifier).get(reverse("candidates:duplicates"))
    read = AuditLog.objects.filter(action="candidate.duplicate_view")
    assert sorted(read.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )

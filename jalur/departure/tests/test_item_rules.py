"""What an item's fields accept (items.py): dates of things that already happened, fixed formats,
choices and required boxes; and the dates and statements the case itself records."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jalur.departure import services
from jalur.departure.items import ITEM_TYPES, item_clean
from jalur.departure.models import CaseStatus, ItemStatus, NoFeeStatement
from jalur.placement.models import Currency

from .conftest import GOOD, TODAY, on
from .test_checklist import PDF, fill, parse, refused, sign_no_fee, submit
from .test_fees_and_groups import fee

TOMORROW = TODAY + datetime.timedelta(days=1)

# Every date on which something already happened, by item (the QA report found the first four).
HAPPENED = [
    ("medical", "examined_on", "Tanggal pemeriksaan"),
    ("psychological", "examined_on", "Tanggal pemeriksaan"),
    ("placement_agreement", "signed_on", "Tanggal ditandatangani"),
    ("opp", "held_on", "Tanggal"),
    ("employment_contract", "signed_on", "Tanggal ditandatangani"),
    ("passport", "issued_on", "Tanggal terbit"),
    ("visa", "issued_on", "Tanggal terbit"),
    ("coe", "issued_on", "Tanggal terbit"),
    ("ccvi", "issued_on", "Tanggal terbit"),
]
CCVI = {"number": "CCVI-1", "issued_on": on(-13)}


def good(code: str) -> dict:
    return parse(GOOD.get(code, CCVI if code == "ccvi" else {}))


class TestDatesOfWhatAlreadyHappened:
    @pytest.mark.parametrize(("code", "name", "label"), HAPPENED)
    def test_it_rejects_a_date_in_the_future(self, code, name, label):
        with pytest.raises(ValidationError) as error:
            item_clean(ITEM_TYPES[code], {**good(code), name: TOMORROW}, today=TODAY)
        assert error.value.message_dict == {name: [f"{label} tidak boleh di masa depan."]}

    @pytest.mark.parametrize(("code", "name", "label"), HAPPENED)
    def test_it_accepts_today(self, code, name, label):
        assert item_clean(ITEM_TYPES[code], {**good(code), name: TODAY}, today=TODAY)[name] == TODAY

    def test_expiry_and_coverage_dates_may_be_in_the_future(self):
        for code in ("medical", "bpjs", "passport", "visa", "skck"):
            item_clean(ITEM_TYPES[code], good(code), today=TODAY)
        bpjs = {**good("bpjs"), "period_from": TOMORROW}
        assert item_clean(ITEM_TYPES["bpjs"], bpjs, today=TODAY)["period_from"] == TOMORROW

    @pytest.mark.django_db
    def test_the_checklist_refuses_a_future_medical_and_keeps_the_item_missing(self, case, agent):
        medical = case.items.get(code="medical")
        assert refused(medical, {**GOOD["medical"], "examined_on": on(65)}, agent) == {
            "examined_on": ["Tanggal pemeriksaan tidak boleh di masa depan."]
        }

    @pytest.mark.django_db
    def test_a_refused_item_says_its_chosen_scan_must_be_chosen_again(
        self, client_for, case, agent
    ):
        """QA: the PDF chosen with a future date was dropped without a word."""
        item = case.items.get(code="placement_agreement")
        response = client_for(agent).post(
            reverse("departure:item_submit", args=[item.pk]),
            {"signed_on": on(30), "document": SimpleUploadedFile("pp.pdf", PDF)},
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert "pilih berkasnya lagi sebelum menyimpan" in page
        assert "tidak boleh di masa depan" in page

    @pytest.mark.django_db
    def test_the_page_shows_the_refusal_beside_the_opp_date(self, client_for, case, agent):
        opp = case.items.get(code="opp")
        response = client_for(agent).post(
            reverse("departure:item_submit", args=[opp.pk]),
            {"held_on": on(93), "place": "BP3MI Banten"},
        )
        assert response.status_code == 400
        assert (
            f'<p class="error" id="butir{opp.pk}_held_on_error">'
            "Tanggal tidak boleh di masa depan.</p>" in response.content.decode()
        )
        opp.refresh_from_db()
        assert opp.status == ItemStatus.MISSING


class TestFormats:
    def test_a_passport_number_is_one_or_two_letters_then_six_or_seven_digits(self):
        passport = ITEM_TYPES["passport"]
        for number in ("123", "C123", "ABC1234567", "C12345678", "1234567C"):
            with pytest.raises(ValidationError) as error:
                item_clean(passport, {**good("passport"), "number": number}, today=TODAY)
            assert error.value.message_dict == {
                "number": [
                    "Nomor paspor harus 1–2 huruf lalu 6–7 angka, misalnya C1234567 atau XA123456."
                ]
            }
        for typed, stored in (("c 123 4567", "C1234567"), ("xa123456", "XA123456")):
            cleaned = item_clean(passport, {**good("passport"), "number": typed}, today=TODAY)
            assert cleaned["number"] == stored

    @pytest.mark.django_db
    def test_the_passport_number_is_stored_upper_cased(self, case, agent):
        passport = case.items.get(code="passport")
        submit(passport, {**GOOD["passport"], "number": " c1234567 "}, agent)
        passport.refresh_from_db()
        assert passport.data["number"] == "C1234567"

    @pytest.mark.parametrize("missing", ["jkk", "jkm"])
    def test_bpjs_needs_both_jkk_and_jkm_and_names_the_missing_one(self, missing):
        with pytest.raises(ValidationError) as error:
            item_clean(ITEM_TYPES["bpjs"], {**good("bpjs"), missing: False}, today=TODAY)
        assert list(error.value.message_dict) == [missing]
        [message] = error.value.message_dict[missing]
        assert message.startswith(f"{missing.upper()} aktif belum dicentang.")
        assert "JKK dan JKM keduanya wajib" in message

    def test_the_contract_currency_is_one_a_job_order_uses(self):
        contract = ITEM_TYPES["employment_contract"]
        currency = next(f for f in contract.fields if f.name == "currency")
        assert dict(currency.choices) == dict(Currency.choices)
        with pytest.raises(ValidationError) as error:
            item_clean(contract, {**good("employment_contract"), "currency": "jpy"}, today=TODAY)
        assert error.value.message_dict == {"currency": ["Pilih mata uang dari daftar."]}

    @pytest.mark.django_db
    def test_the_contract_form_offers_the_currencies_as_a_list(self, client_for, case, agent):
        contract = case.items.get(code="employment_contract")
        page = client_for(agent).get(reverse("departure:case", args=[case.pk])).content.decode()
        assert f'<select name="currency" required id="butir{contract.pk}_currency">' in page
        assert '<option value="KRW">Won Korea (KRW)</option>' in page
        response = client_for(agent).post(
            reverse("departure:item_submit", args=[contract.pk]),
            {**GOOD["employment_contract"], "currency": "jpy"},
        )
        assert response.status_code == 400
        contract.refresh_from_db()
        assert contract.status == ItemStatus.MISSING


@pytest.mark.django_db
class TestPlannedDeparture:
    def test_a_case_cannot_be_marked_ready_for_a_date_in_the_past(self, case, agent, manager):
        fill(case, agent, manager)
        sign_no_fee(case, agent)
        with pytest.raises(ValidationError) as error:
            services.case_mark_ready(
                case=case, planned_departure_on=TODAY - datetime.timedelta(days=27), actor=agent
            )
        assert error.value.messages == ["Tanggal berangkat tidak boleh di masa lalu."]
        case.refresh_from_db()
        assert case.status == CaseStatus.OPEN and case.planned_departure_on is None
        services.case_mark_ready(case=case, planned_departure_on=TODAY, actor=agent)

    def test_a_past_date_and_the_missing_items_are_said_in_one_round(self, case, agent):
        """QA: the past date hid the ten missing items until it was fixed."""
        with pytest.raises(ValidationError) as error:
            services.case_mark_ready(
                case=case, planned_departure_on=TODAY - datetime.timedelta(days=3), actor=agent
            )
        messages = error.value.messages
        assert messages[0] == "Tanggal berangkat tidak boleh di masa lalu."
        assert len(messages) > 5  # every missing item is listed too

    def test_the_ready_page_says_why(self, client_for, case, agent, manager):
        fill(case, agent, manager)
        sign_no_fee(case, agent)
        response = client_for(agent).post(
            reverse("departure:mark_ready", args=[case.pk]),
            {"planned_departure_on": on(-27)},
            follow=True,
        )
        assert "Tanggal berangkat tidak boleh di masa lalu." in response.content.decode()
        case.refresh_from_db()
        assert case.status == CaseStatus.OPEN


@pytest.mark.django_db
class TestNoFeeStatementAndViolations:
    def test_it_is_refused_while_a_violation_is_not_followed_up(self, case, agent, manager):
        entry = fee(
            case,
            agent,
            item="agency_fee",
            description="Biaya administrasi",
            amount=2_500_000,
            state="paid",
            paid_on=TODAY - datetime.timedelta(days=3),
        )
        assert entry.violation
        for occasion in NoFeeStatement.Occasion.values:
            with pytest.raises(ValidationError) as error:
                services.no_fee_record(case=case, occasion=occasion, signed_on=TODAY, actor=agent)
            assert error.value.code == "unresolved_fee_violation"
            [message] = error.value.messages
            assert "Biaya administrasi" in message and "2.500.000" in message
            assert "belum ditindaklanjuti" in message
        assert not NoFeeStatement.objects.filter(case=case).exists()
        services.fee_violation_follow_up(
            fee=entry, note="Uang dikembalikan kepada pekerja.", actor=manager
        )
        services.no_fee_record(case=case, occasion="contract", signed_on=TODAY, actor=agent)
        assert NoFeeStatement.objects.filter(case=case).count() == 1

    def test_an_allowed_fee_does_not_stop_it(self, case, agent):
        fee(case, agent, item="passport", amount=350_000, state="paid", paid_on=TODAY)
        services.no_fee_record(case=case, occasion="contract", signed_on=TODAY, actor=agent)
        assert NoFeeStatement.objects.filter(case=case).exists()


def registration_document(candidate, code, verifier, *, accept=True, expires_on=None):
    """A document uploaded at registration and, unless `accept` is False, accepted by the office."""
    from jalur.candidates.models import DocumentType
    from jalur.candidates.services import document_review, document_upload

    document = document_upload(
        candidate=candidate,
        document_type=DocumentType.objects.get(code=code),
        upload=SimpleUploadedFile("d.pdf", PDF, content_type="application/pdf"),
        expires_on=expires_on,
        actor=verifier,
    )
    if accept:
        document = document_review(document=document, actor=verifier, accept=True)
    return document


@pytest.mark.django_db
class TestDocumentsFromRegistration:
    def test_an_accepted_skck_and_family_permission_are_offered_and_used_with_one_button(
        self, client_for, case, agent, manager, verifier
    ):
        from jalur.audit.models import AuditLog

        expires = TODAY + datetime.timedelta(days=200)
        skck_doc = registration_document(case.candidate, "skck", verifier, expires_on=expires)
        permission_doc = registration_document(case.candidate, "izin-keluarga", verifier)
        skck, permission = case.items.get(code="skck"), case.items.get(code="family_permission")
        client = client_for(agent)
        page = client.get(reverse("departure:case", args=[case.pk])).content.decode()
        for item in (skck, permission):
            assert f'id="butir{item.pk}_pendaftaran"' in page
        assert page.count("Pakai dokumen dari pendaftaran") == 2
        assert f"Berlaku sampai {expires:%d-%m-%Y}" in page

        response = client.post(
            reverse("departure:item_submit", args=[skck.pk]),
            {"from_registration": "1"},
            follow=True,
        )
        assert "diisi dengan dokumen dari pendaftaran" in response.content.decode()
        skck.refresh_from_db()
        assert skck.status == ItemStatus.SUBMITTED and skck.submitted_by == agent
        assert skck.document.name == skck_doc.file.name
        assert skck.content_type == "application/pdf"
        assert (skck.valid_until, skck.data) == (expires, {"valid_until": expires.isoformat()})
        assert AuditLog.objects.filter(
            action="departure.item_from_registration",
            object_id=str(skck.pk),
            changes__registration_document=[None, skck_doc.pk],
        ).exists()
        document = client_for(manager).get(reverse("departure:item_document", args=[skck.pk]))
        assert document.status_code == 200
        # It then goes through the normal check, and is not offered again.
        services.item_verify(item=skck, accept=True, note="", actor=manager)
        services.item_use_registration_document(item=permission, actor=agent)
        permission.refresh_from_db()
        assert permission.document.name == permission_doc.file.name
        page = client.get(reverse("departure:case", args=[case.pk])).content.decode()
        assert "Pakai dokumen dari pendaftaran" not in page

    def test_documents_not_accepted_expired_or_without_expiry_are_not_offered(
        self, client_for, case, agent, verifier
    ):
        from jalur.candidates.models import CandidateDocument

        registration_document(case.candidate, "izin-keluarga", verifier, accept=False)
        skck_doc = registration_document(
            case.candidate, "skck", verifier, expires_on=TODAY + datetime.timedelta(days=30)
        )
        CandidateDocument.objects.filter(pk=skck_doc.pk).update(
            expires_on=TODAY - datetime.timedelta(days=1)
        )
        page = client_for(agent).get(reverse("departure:case", args=[case.pk])).content.decode()
        assert "Pakai dokumen dari pendaftaran" not in page
        for code in ("skck", "family_permission"):
            item = case.items.get(code=code)
            with pytest.raises(ValidationError) as error:
                services.item_use_registration_document(item=item, actor=agent)
            assert error.value.code == "no_registration_document"
            assert "Unggah dokumennya di butir ini" in error.value.messages[0]
            item.refresh_from_db()
            assert item.status == ItemStatus.MISSING and not item.document
        # An SKCK with no expiry date says nothing of the item's validity.
        CandidateDocument.objects.filter(pk=skck_doc.pk).update(expires_on=None)
        with pytest.raises(ValidationError):
            services.item_use_registration_document(item=case.items.get(code="skck"), actor=agent)

    def test_only_those_who_prepare_the_case_may_use_it(
        self, client_for, case, agent_b, leader, verifier, p3mi_b
    ):
        registration_document(
            case.candidate, "skck", verifier, expires_on=TODAY + datetime.timedelta(days=90)
        )
        skck = case.items.get(code="skck")
        url = reverse("departure:item_submit", args=[skck.pk])
        assert client_for(agent_b).post(url, {"from_registration": "1"}).status_code == 404
        assert client_for(leader).post(url, {"from_registration": "1"}).status_code == 403
        page = client_for(leader).get(reverse("departure:case", args=[case.pk])).content.decode()
        assert "Pakai dokumen dari pendaftaran" not in page
        skck.refresh_from_db()
        assert skck.status == ItemStatus.MISSING

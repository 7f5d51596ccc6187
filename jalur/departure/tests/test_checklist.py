import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.models import StageHistory
from jalur.candidates.stages import Stage
from jalur.departure import services
from jalur.departure.gates import gate_problems
from jalur.departure.models import CaseStatus, ContractReview, ItemStatus, NoFeeStatement
from jalur.placement.demo import ONE_PAGE_PDF
from jalur.placement.states import ApplicationStatus
from jalur.rules.documents import add_months
from jalur.training.models import Enrolment, EnrolmentStatus
from jalur.training.selectors import CompletionCheck, Rate
from jalur.training.services import certificate_issue, certificate_revoke
from jalur.training.tests.factories import CohortFactory

from .conftest import DEPARTURE, GOOD, TODAY, accept, make_order, on

PDF = ONE_PAGE_PDF  # the upload check opens PDFs with qpdf: a real one has a page


def parse(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        out[key] = (
            datetime.date.fromisoformat(value)
            if isinstance(value, str) and len(value) == 10 and value[4] == "-"
            else value
        )
    return out


def submit(item, data: dict, agent):
    """Submit `data` for `item` with a PDF document, as the P3MI does."""
    return services.item_submit(
        item=item, data=parse(data), document=SimpleUploadedFile("d.pdf", PDF), actor=agent
    )


def refused(item, data: dict, agent) -> dict:
    """Submit `data` (with a document) for `item`: the refusal's messages by field, after checking
    that the item is still missing and has no document."""
    with pytest.raises(ValidationError) as error:
        submit(item, data, agent)
    item.refresh_from_db()
    assert item.status == ItemStatus.MISSING and not item.document
    return error.value.message_dict


def certificate_for(case, trainer):
    """A training certificate held by the case's worker (a completed enrolment)."""
    enrolment = Enrolment.objects.create(
        cohort=CohortFactory(), candidate=case.candidate, status=EnrolmentStatus.COMPLETED
    )
    return certificate_issue(
        enrolment=enrolment,
        check=CompletionCheck((), Rate(9, 10)),
        actor=trainer,
        on=timezone.localdate(),
    )


def own_numbers(case) -> dict:
    """A passport, ID PMI and E-PMI number of the case's worker alone (one number, one person)."""
    n = case.candidate_id
    return {
        "passport": {"number": f"C{1000000 + n}"},
        "e_pmi": {"id_pmi": f"IDPMI-{n}", "e_pmi": f"EPMI-{n}"},
    }


def fill(case, agent, manager, *, skip=(), overrides=None):
    """Submit and verify every item with good data (except those in `skip`)."""
    overrides = overrides or {}
    numbers = own_numbers(case)
    for item in case.items.all():
        if item.code in skip:
            continue
        data = parse(
            {**GOOD[item.code], **numbers.get(item.code, {}), **overrides.get(item.code, {})}
        )
        doc = SimpleUploadedFile("d.pdf", PDF) if item.type.needs_document else None
        services.item_submit(item=item, data=data, document=doc, actor=agent)
        item.refresh_from_db()
        if (
            case.contract_reviews.filter(status="open").exists()
            and item.code == "employment_contract"
        ):
            continue
        services.item_verify(item=item, accept=True, note="", actor=manager)


def sign_no_fee(case, agent, *occasions):
    for occasion in occasions or ("contract",):
        services.no_fee_record(
            case=case, occasion=occasion, signed_on=timezone.localdate(), actor=agent
        )


@pytest.mark.django_db
class TestChecklist:
    def test_the_items_come_from_the_pathway_plus_skck_and_family_permission(self, case, order):
        codes = list(case.items.values_list("code", flat=True))
        for code in order.pathway.checklist_items:
            assert code in codes
        assert "skck" in codes and "family_permission" in codes
        assert len(codes) == len(set(codes))

    def test_opening_twice_gives_the_same_case(self, case, agent):
        assert services.case_open(application=case.application, actor=agent) == case

    def test_only_an_accepted_offer_gets_a_checklist(self, order, agent):
        application = accept(order)
        application.status = ApplicationStatus.OFFERED
        application.save()
        with pytest.raises(ValidationError):
            services.case_open(application=application, actor=agent)

    def test_an_item_needs_its_document_and_records_who_checked_it(self, case, agent, manager):
        passport = case.items.get(code="passport")
        with pytest.raises(ValidationError) as error:
            services.item_submit(item=passport, data=parse(GOOD["passport"]), actor=agent)
        assert "Unggah dokumen" in str(error.value)
        services.item_submit(
            item=passport,
            data=parse(GOOD["passport"]),
            document=SimpleUploadedFile("p.pdf", PDF),
            actor=agent,
        )
        passport.refresh_from_db()
        assert passport.status == ItemStatus.SUBMITTED
        assert passport.valid_until == parse(GOOD["passport"])["valid_until"]
        services.item_verify(item=passport, accept=True, note="", actor=manager)
        passport.refresh_from_db()
        assert (passport.status, passport.checked_by) == (ItemStatus.VERIFIED, manager)
        assert passport.checked_at is not None
        assert AuditLog.objects.filter(
            action="departure.item_verify", object_id=str(passport.pk)
        ).exists()

    def test_a_document_valid_until_before_its_issue_date_is_refused(self, case, agent):
        visa = case.items.get(code="visa")
        data = {**GOOD["visa"], "issued_on": on(-8), "valid_until": on(-20)}
        assert refused(visa, data, agent) == {
            "valid_until": ["Tanggal berlaku harus sesudah tanggal terbit."]
        }

    def test_an_expired_document_is_refused(self, case, agent):
        visa = case.items.get(code="visa")
        expired = TODAY - datetime.timedelta(days=1)
        with pytest.raises(ValidationError) as error:
            services.item_submit(
                item=visa,
                data=parse({**GOOD["visa"], "issued_on": on(-100), "valid_until": on(-1)}),
                document=SimpleUploadedFile("v.pdf", PDF),
                actor=agent,
            )
        assert error.value.message_dict == {
            "valid_until": [f"Dokumen ini sudah kedaluwarsa (berlaku sampai {expired:%d-%m-%Y})."]
        }
        skck = case.items.get(code="skck")
        with pytest.raises(ValidationError):
            services.item_submit(
                item=skck,
                data=parse({**GOOD["skck"], "valid_until": on(-1)}),
                document=SimpleUploadedFile("s.pdf", PDF),
                actor=agent,
            )

    def test_sending_an_item_back_needs_a_reason(self, case, agent, manager):
        opp = case.items.get(code="opp")
        services.item_submit(item=opp, data=parse(GOOD["opp"]), actor=agent)
        with pytest.raises(ValidationError):
            services.item_verify(item=opp, accept=False, note="", actor=manager)
        services.item_verify(item=opp, accept=False, note="Tanggal OPP salah", actor=manager)
        assert agent.notifications.filter(key="departure_item_rejected").exists()


@pytest.mark.django_db
class TestGates:
    def test_ready_only_when_every_item_is_done_and_valid(self, case, agent, manager):
        fill(case, agent, manager, skip=("visa",))
        sign_no_fee(case, agent)
        with pytest.raises(ValidationError) as error:
            services.case_mark_ready(case=case, planned_departure_on=DEPARTURE, actor=agent)
        assert "Visa kerja" in str(error.value)
        visa = case.items.get(code="visa")
        services.item_submit(
            item=visa,
            data=parse(GOOD["visa"]),
            document=SimpleUploadedFile("v.pdf", PDF),
            actor=agent,
        )
        services.item_verify(item=visa, accept=True, note="", actor=manager)
        services.case_mark_ready(case=case, planned_departure_on=DEPARTURE, actor=agent)
        case.refresh_from_db()
        case.candidate.refresh_from_db()
        assert case.status == CaseStatus.READY and case.candidate.stage == Stage.READY

    def test_the_passport_must_outlast_the_contract_by_six_months(self, case, agent, manager):
        needed = add_months(DEPARTURE, 36 + 6)  # a 36-month contract plus six months
        short = (needed - datetime.timedelta(days=1)).isoformat()
        fill(case, agent, manager, overrides={"passport": {"valid_until": short}})
        sign_no_fee(case, agent)
        problems = gate_problems(case, DEPARTURE)
        assert any(
            "Paspor berlaku sampai" in p and needed.strftime("%d-%m-%Y") in p for p in problems
        )
        case.items.filter(code="passport").update(
            data={**GOOD["passport"], "valid_until": needed.isoformat()}
        )
        assert gate_problems(case, DEPARTURE) == []

    def test_a_revoked_training_certificate_blocks_departure(self, case, agent, manager, trainer):
        fill(case, agent, manager)
        sign_no_fee(case, agent)
        assert gate_problems(case, DEPARTURE) == []
        certificate = certificate_for(case, trainer)
        certificate_revoke(certificate=certificate, actor=trainer, reason="Absensi dipalsukan")
        problems = gate_problems(case, DEPARTURE)
        assert len(problems) == 1
        assert certificate.number in problems[0] and "Absensi dipalsukan" in problems[0]
        with pytest.raises(ValidationError, match="dicabut"):
            services.case_mark_ready(case=case, planned_departure_on=DEPARTURE, actor=agent)

    def test_the_case_page_shows_a_revoked_certificate_at_once(
        self, client_for, case, agent, manager, trainer
    ):
        """Before any departure date is planned, for the P3MI and the office alike."""
        certificate = certificate_for(case, trainer)
        url = reverse("departure:case", args=[case.pk])
        assert "Sertifikat pelatihan dicabut" not in client_for(agent).get(url).content.decode()
        certificate_revoke(certificate=certificate, actor=trainer, reason="Nilai resmi palsu")
        for user in (agent, manager):
            page = client_for(user).get(url).content.decode()
            assert "Sertifikat pelatihan dicabut" in page and "Nilai resmi palsu" in page

    def test_a_medical_that_expires_before_departure_blocks_it(self, case, agent, manager):
        day_before = DEPARTURE - datetime.timedelta(days=1)
        fill(case, agent, manager, overrides={"medical": {"valid_until": day_before.isoformat()}})
        sign_no_fee(case, agent)
        expected = f"Pemeriksaan kesehatan hanya berlaku sampai {day_before:%d-%m-%Y}"
        assert any(expected in p for p in gate_problems(case, DEPARTURE))

    def test_an_unfit_medical_ends_the_path_for_this_order(self, case, agent, manager):
        medical = case.items.get(code="medical")
        submit(medical, {**GOOD["medical"], "fit": "unfit"}, agent)
        services.item_verify(item=medical, accept=True, note="TB paru", actor=manager)
        case.refresh_from_db()
        case.application.refresh_from_db()
        case.candidate.refresh_from_db()
        assert case.status == CaseStatus.ENDED and "unfit" in case.ended_reason
        assert case.application.status == ApplicationStatus.WITHDRAWN
        assert case.candidate.stage == Stage.TRAINED
        assert StageHistory.objects.filter(
            candidate=case.candidate, to_stage=Stage.TRAINED
        ).exists()

    def test_the_placement_agreement_cannot_be_endorsed_beyond_the_orders_positions(
        self, p3mi, agent, manager
    ):
        order = make_order(p3mi, positions=1, reference="JO-Q1")
        first = services.case_open(application=accept(order), actor=agent)
        second = services.case_open(application=accept(order), actor=agent)
        for case in (first, second):
            item = case.items.get(code="placement_agreement")
            services.item_submit(
                item=item,
                data=parse(GOOD["placement_agreement"]),
                document=SimpleUploadedFile("a.pdf", PDF),
                actor=agent,
            )
        services.item_verify(
            item=first.items.get(code="placement_agreement"), accept=True, note="", actor=manager
        )
        with pytest.raises(ValidationError) as error:
            services.item_verify(
                item=second.items.get(code="placement_agreement"),
                accept=True,
                note="",
                actor=manager,
            )
        assert "Kuota lowongan" in str(error.value)
        assert AuditLog.objects.filter(action="departure.placement_agreement_endorse").count() == 1

    def test_the_permit_quota_is_shared_by_its_orders(self, p3mi, agent, manager):
        order_a = make_order(p3mi, positions=5, quota=1, reference="JO-P1")
        order_b = make_order(p3mi, positions=5, quota=1, reference="JO-P2")
        order_b.permit = order_a.permit
        order_b.save()
        cases = [services.case_open(application=accept(o), actor=agent) for o in (order_a, order_b)]
        for case in cases:
            item = case.items.get(code="placement_agreement")
            services.item_submit(
                item=item,
                data=parse(GOOD["placement_agreement"]),
                document=SimpleUploadedFile("a.pdf", PDF),
                actor=agent,
            )
        services.item_verify(
            item=cases[0].items.get(code="placement_agreement"), accept=True, note="", actor=manager
        )
        with pytest.raises(ValidationError) as error:
            services.item_verify(
                item=cases[1].items.get(code="placement_agreement"),
                accept=True,
                note="",
                actor=manager,
            )
        assert "Kuota SIP2MI" in str(error.value)


@pytest.mark.django_db
class TestContractSubstitution:
    def test_a_lower_wage_is_flagged_and_blocks_until_a_manager_decides(self, case, agent, manager):
        fill(case, agent, manager, overrides={"employment_contract": {"wage": "180000"}})
        sign_no_fee(case, agent)
        review = ContractReview.objects.get(case=case)
        assert review.differences["wage"] == ["JPY 210.000", "JPY 180.000"]
        assert manager.notifications.filter(key="contract_substitution").exists()
        contract = case.items.get(code="employment_contract")
        with pytest.raises(ValidationError):
            services.item_verify(item=contract, accept=True, note="", actor=manager)
        assert any("berbeda dari lowongan" in p for p in gate_problems(case, DEPARTURE))
        services.contract_review_decide(
            review=review, accept=False, note="Upah harus sesuai lowongan", actor=manager
        )
        contract.refresh_from_db()
        assert contract.status == ItemStatus.REJECTED
        # the agency uploads the corrected contract
        services.item_submit(
            item=contract,
            data=parse(GOOD["employment_contract"]),
            document=SimpleUploadedFile("k.pdf", PDF),
            actor=agent,
        )
        services.item_verify(item=contract, accept=True, note="", actor=manager)
        assert gate_problems(case, DEPARTURE) == []
        assert AuditLog.objects.filter(
            action="departure.contract_review_decide", reason="Upah harus sesuai lowongan"
        ).exists()

    def test_the_contract_is_held_to_the_accepted_offer_not_only_to_the_order(
        self, case, agent, manager
    ):
        """An offer above the approved wage is what the worker accepted: a contract at that wage
        is not a difference, and one at the order's lower wage is."""
        application = case.application
        application.offer_position_title = case.application.order.position_title
        application.offer_wage_amount = 230000
        application.offer_contract_months = case.application.order.contract_months
        application.save()
        fill(case, agent, manager, overrides={"employment_contract": {"wage": "230000"}})
        assert not ContractReview.objects.filter(case=case).exists()
        contract = case.items.get(code="employment_contract")
        services.item_submit(
            item=contract,
            data=parse(GOOD["employment_contract"]),  # the order's 210000
            document=SimpleUploadedFile("k.pdf", PDF),
            actor=agent,
        )
        review = ContractReview.objects.get(case=case, status=ContractReview.Status.OPEN)
        assert review.differences["wage"] == ["JPY 230.000", "JPY 210.000"]

    def test_longer_hours_are_a_difference_and_one_worse_for_the_worker_cannot_be_accepted(
        self, case, agent, manager
    ):
        fill(case, agent, manager, overrides={"employment_contract": {"hours_per_week": "60"}})
        review = ContractReview.objects.get(case=case)
        assert review.differences["hours_per_week"] == [40, "60"]
        with pytest.raises(ValidationError) as error:
            services.contract_review_decide(review=review, accept=True, note="ok", actor=manager)
        assert error.value.code == "contract_worse"
        assert "Jam kerja per minggu" in error.value.messages[0]
        review.refresh_from_db()
        assert review.status == ContractReview.Status.OPEN

    @pytest.mark.rule("contracts.contract_differences")
    def test_a_wage_is_compared_as_a_decimal_so_a_fraction_lower_is_lower(
        self, case, agent, manager
    ):
        """The order's 210000 written as 210000.00 is the same wage; 209999.999 is lower, however
        little (a float comparison with a tolerance let it through)."""
        fill(case, agent, manager, overrides={"employment_contract": {"wage": "210000.00"}})
        assert not ContractReview.objects.filter(case=case).exists()
        contract = services.item_submit(
            item=case.items.get(code="employment_contract"),
            data=parse({**GOOD["employment_contract"], "wage": "209999.999"}),
            document=SimpleUploadedFile("k.pdf", PDF),
            actor=agent,
        )
        review = ContractReview.objects.get(case=case, status=ContractReview.Status.OPEN)
        assert list(review.differences) == ["wage"]
        assert services.contract_differences(case.application, contract.data)[1] == ["wage"]
        with pytest.raises(ValidationError) as error:
            services.contract_review_decide(review=review, accept=True, note="ok", actor=manager)
        assert error.value.code == "contract_worse"

    def test_a_harmless_difference_may_be_accepted(self, case, agent, manager):
        fill(
            case,
            agent,
            manager,
            overrides={"employment_contract": {"employer": "PT Nagoya Seiki (cabang Aichi)"}},
        )
        review = ContractReview.objects.get(case=case)
        services.contract_review_decide(
            review=review, accept=True, note="Nama cabang pemberi kerja yang sama", actor=manager
        )
        review.refresh_from_db()
        assert review.status == ContractReview.Status.ACCEPTED

    def test_the_case_page_names_the_differences_and_the_contract_in_words(
        self, client_for, case, agent, manager
    ):
        fill(case, agent, manager, overrides={"employment_contract": {"wage": "180000"}})
        page = client_for(manager).get(reverse("departure:case", args=[case.pk])).content.decode()
        assert "<td>Upah</td><td>JPY 210.000</td><td>JPY 180.000</td>" in page
        assert "<dt>Lama kontrak (bulan)</dt>" in page and "<dt>contract_months</dt>" not in page

    def test_the_decision_needs_a_reason(self, case, agent, manager):
        fill(
            case,
            agent,
            manager,
            overrides={"employment_contract": {"position": "Petugas kebersihan"}},
        )
        review = ContractReview.objects.get(case=case)
        with pytest.raises(ValidationError):
            services.contract_review_decide(review=review, accept=True, note=" ", actor=manager)


@pytest.mark.django_db
class TestPassportCustody:
    def test_a_passport_away_from_the_worker_blocks_departure_and_is_flagged_after_n_days(
        self, case, agent, manager, settings
    ):
        from jalur.departure.selectors import passports_held_too_long

        fill(case, agent, manager)
        sign_no_fee(case, agent)
        custody = services.passport_handover(
            case=case,
            holder_kind="embassy",
            holder_name="Kedutaan Jepang",
            purpose="visa",
            handed_over_on=timezone.localdate() - datetime.timedelta(days=20),
            actor=agent,
        )
        assert any(
            "Paspor sedang tidak dipegang pekerja" in p for p in gate_problems(case, DEPARTURE)
        )
        settings.JALUR_PASSPORT_HOLD_DAYS = 14
        assert list(passports_held_too_long(manager)) == [custody]
        with pytest.raises(ValidationError):
            services.passport_handover(
                case=case,
                holder_kind="agency",
                holder_name="x",
                purpose="y",
                handed_over_on=timezone.localdate(),
                actor=agent,
            )
        services.passport_return(custody=custody, returned_on=timezone.localdate(), actor=agent)
        assert gate_problems(case, DEPARTURE) == []
        assert not passports_held_too_long(manager).exists()


@pytest.mark.django_db
class TestAccess:
    def test_an_agency_sees_only_its_own_cases(self, client_for, case, agent, agent_b, p3mi_b):
        assert client_for(agent).get(reverse("departure:case", args=[case.pk])).status_code == 200
        assert client_for(agent_b).get(reverse("departure:case", args=[case.pk])).status_code == 404
        item = case.items.get(code="opp")
        response = client_for(agent_b).post(
            reverse("departure:item_submit", args=[item.pk]),
            {"held_on": on(-3), "place": "x"},
        )
        assert response.status_code == 404

    def test_the_candidate_sees_their_checklist_but_cannot_change_it(
        self, client_for, case, candidate_user
    ):
        client = client_for(candidate_user)
        assert client.get(reverse("departure:case", args=[case.pk])).status_code == 200
        item = case.items.get(code="opp")
        assert (
            client.post(
                reverse("departure:item_submit", args=[item.pk]),
                {"held_on": on(-3), "place": "x"},
            ).status_code
            == 403
        )

    def test_only_the_office_verifies(self, client_for, case, agent, leader):
        item = case.items.get(code="opp")
        services.item_submit(item=item, data=parse(GOOD["opp"]), actor=agent)
        for user in (agent, leader):
            assert (
                client_for(user)
                .post(reverse("departure:item_verify", args=[item.pk]), {"decision": "accept"})
                .status_code
                == 403
            )

    def test_documents_are_served_to_those_who_see_the_case_and_the_view_is_logged(
        self, client_for, case, agent, agent_b, manager, leader
    ):
        item = case.items.get(code="passport")
        services.item_submit(
            item=item,
            data=parse(GOOD["passport"]),
            document=SimpleUploadedFile("p.pdf", PDF),
            actor=agent,
        )
        url = reverse("departure:item_document", args=[item.pk])
        assert client_for(manager).get(url).status_code == 200
        assert client_for(agent_b).get(url).status_code == 404
        assert AuditLog.objects.filter(action="departure.document_view", actor=manager).exists()
        # Leadership follows the case but does not open passport, medical or visa scans.
        assert client_for(leader).get(url).status_code == 403
        page = client_for(leader).get(reverse("departure:case", args=[case.pk])).content.decode()
        assert url not in page and "Dokumen terunggah" in page

    def test_the_page_flow_submit_verify_ready(self, client_for, case, agent, manager):
        client = client_for(agent)
        item = case.items.get(code="opp")
        response = client.post(
            reverse("departure:item_submit", args=[item.pk]),
            {"held_on": on(-3), "place": "BP3MI Banten"},
            follow=True,
        )
        assert "menunggu pemeriksaan" in response.content.decode()
        response = client_for(manager).post(
            reverse("departure:item_verify", args=[item.pk]),
            {"decision": "accept", "note": ""},
            follow=True,
        )
        item.refresh_from_db()
        assert item.status == ItemStatus.VERIFIED
        response = client.post(
            reverse("departure:mark_ready", args=[case.pk]),
            {"planned_departure_on": DEPARTURE.isoformat()},
            follow=True,
        )
        assert "Belum bisa ditandai siap berangkat" in response.content.decode()


@pytest.mark.django_db
class TestFailedFormsOnTheCasePage:
    """A small form on the case page that fails comes back filled in, with the error by its field."""

    def test_a_checklist_item_keeps_what_was_typed_and_shows_the_error_by_the_field(
        self, client_for, case, agent
    ):
        visa = case.items.get(code="visa")
        response = client_for(agent).post(
            reverse("departure:item_submit", args=[visa.pk]),
            {"number": "V-77", "issued_on": on(-8), "valid_until": on(-20)},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'value="V-77"' in html
        assert (
            f'<p class="error" id="butir{visa.pk}_valid_until_error">'
            "Tanggal berlaku harus sesudah tanggal terbit.</p>" in html
        )
        assert f'id="butir-{visa.pk}" open' in html
        visa.refresh_from_db()
        assert visa.status == ItemStatus.MISSING

    def test_a_passport_handover_names_the_missing_field_and_keeps_the_rest(
        self, client_for, case, agent
    ):
        response = client_for(agent).post(
            reverse("departure:passport_handover", args=[case.pk]),
            {"holder_kind": "embassy", "purpose": "Visa kerja", "handed_over_on": on(-1)},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'value="Visa kerja"' in html
        assert '<p class="error" id="id_holder_name_error">' in html
        assert "Penyerahan paspor belum tersimpan" in html
        assert not case.passport_custody.exists()

    def test_a_fee_refused_by_the_rules_comes_back_with_the_reason_by_the_date(
        self, client_for, case, agent
    ):
        tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
        response = client_for(agent).post(
            reverse("departure:fee_add", args=[case.pk]),
            {
                "item": "ticket",
                "description": "Tiket Jakarta-Nagoya",
                "amount": "7500000",
                "currency": "IDR",
                "paid_by": "employer",
                "state": "paid",
                "paid_on": tomorrow,
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'value="Tiket Jakarta-Nagoya"' in html and f'value="{tomorrow}"' in html
        assert (
            '<p class="error" id="id_paid_on_error">Tanggal pembayaran tidak boleh di masa depan; '
            "catat sebagai direncanakan.</p>" in html
        )
        assert not case.fees.exists()


@pytest.mark.django_db
def test_no_fee_statements_are_recorded_once_per_occasion_and_printable(client_for, case, agent):
    services.no_fee_record(
        case=case, occasion="contract", signed_on=timezone.localdate(), actor=agent
    )
    with pytest.raises(ValidationError):
        services.no_fee_record(
            case=case, occasion="contract", signed_on=timezone.localdate(), actor=agent
        )
    response = client_for(agent).get(reverse("departure:no_fee_pdf", args=[case.pk, "departure"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert NoFeeStatement.objects.filter(case=case).count() == 1


def test_the_persons_own_page_links_the_reminder_to_the_complaint_form(client_for, case):
    """'Report it if anyone asks' (for a fee, for the passport) leads straight to a complaint."""
    page = client_for(case.candidate.user).get(reverse("candidates:me")).content.decode()
    assert (
        f'<a href="{reverse("protection:my_grievance_new")}">Laporkan jika ada yang meminta.'
        in page
    )

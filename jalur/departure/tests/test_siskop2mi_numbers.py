"""The ID PMI and the E-PMI number: recorded each when it comes, checked for shape, one person's
only, and the ID PMI written on the person when the office accepts the item."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.departure import services
from jalur.departure.gates import gate_problems
from jalur.departure.models import ItemStatus
from jalur.departure.siskop2mi.numbers import candidate_id_pmi_record

from .conftest import DEPARTURE
from .test_checklist import fill, sign_no_fee
from .test_identity_numbers import other_case


def submit(item, agent, **data):
    return services.item_submit(item=item, data=data, actor=agent)


@pytest.mark.django_db
class TestRecorded:
    @pytest.mark.rule("siskop2mi.reference_number_problem")
    def test_a_badly_shaped_number_is_refused_with_its_field_and_nothing_is_saved(
        self, case, agent
    ):
        item = case.items.get(code="e_pmi")
        with pytest.raises(ValidationError) as error:
            submit(item, agent, id_pmi="Siti Aminah", e_pmi="E-PMI/2026/1")
        assert set(error.value.message_dict) == {"id_pmi"}
        assert "tidak dikenali" in error.value.message_dict["id_pmi"][0]
        item.refresh_from_db()
        assert item.status == ItemStatus.MISSING and item.data == {}

    def test_the_form_keeps_what_was_typed_and_says_what_to_fix(self, client_for, case, agent):
        item = case.items.get(code="e_pmi")
        response = client_for(agent).post(
            reverse("departure:item_submit", args=[item.pk]),
            {"id_pmi": "PMI-3673-000009", "e_pmi": "#1"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Nomor E-PMI #1 tidak dikenali" in page
        assert 'value="PMI-3673-000009"' in page

    @pytest.mark.rule("siskop2mi.missing_before_departure")
    def test_the_id_pmi_is_accepted_before_the_e_pmi_exists_and_departure_waits_for_it(
        self, case, agent, manager
    ):
        fill(case, agent, manager, skip=("e_pmi",))
        sign_no_fee(case, agent, "contract", "departure")
        item = case.items.get(code="e_pmi")
        submit(item, agent, id_pmi="pmi 3673 000123")
        services.item_verify(item=item, accept=True, note="", actor=manager)
        case.candidate.refresh_from_db()
        assert case.candidate.siskop2mi_id_pmi == "PMI3673000123"
        problems = gate_problems(case, DEPARTURE)
        assert any("Nomor E-PMI belum dicatat" in p for p in problems)
        item.refresh_from_db()
        submit(item, agent, id_pmi="PMI3673000123", e_pmi="E-PMI/2026/000123")
        item.refresh_from_db()
        assert item.status == ItemStatus.SUBMITTED  # goes back to the office's check
        services.item_verify(item=item, accept=True, note="", actor=manager)
        assert not any("E-PMI" in p for p in gate_problems(case, DEPARTURE))

    def test_accepting_the_item_writes_the_id_pmi_on_the_person_audited_and_shows_it(
        self, client_for, case, agent, manager
    ):
        item = case.items.get(code="e_pmi")
        submit(item, agent, id_pmi="PMI-3673-000777", e_pmi="E-PMI/2026/000777")
        case.candidate.refresh_from_db()
        assert case.candidate.siskop2mi_id_pmi == ""  # not before the office accepts it
        services.item_verify(item=item, accept=True, note="", actor=manager)
        case.candidate.refresh_from_db()
        assert case.candidate.siskop2mi_id_pmi == "PMI-3673-000777"
        row = AuditLog.objects.get(action="departure.id_pmi_record")
        assert row.actor == manager and row.changes == {"siskop2mi_id_pmi": ["", "PMI-3673-000777"]}
        page = client_for(manager).get(reverse("departure:case", args=[case.pk])).content.decode()
        assert '<strong id="id-pmi">PMI-3673-000777</strong>' in page

    def test_a_sent_back_item_writes_nothing_on_the_person(self, case, agent, manager):
        item = case.items.get(code="e_pmi")
        submit(item, agent, id_pmi="PMI-3673-000778")
        services.item_verify(item=item, accept=False, note="Salah ketik", actor=manager)
        case.candidate.refresh_from_db()
        assert case.candidate.siskop2mi_id_pmi == ""


@pytest.mark.django_db
@pytest.mark.rule("documents.identity_number_problem")
class TestOnePerson:
    def test_an_id_pmi_of_another_person_is_refused_on_the_person_too(
        self, case, order, agent, manager
    ):
        candidate_id_pmi_record(
            candidate=case.candidate, number="PMI-3673-000001", actor=manager, reason="uji"
        )
        second = other_case(order, agent)
        with pytest.raises(ValidationError) as error:
            candidate_id_pmi_record(
                candidate=second.candidate, number="pmi3673000001", actor=manager, reason="uji"
            )
        assert set(error.value.message_dict) == {"id_pmi"}
        assert "sudah tercatat untuk pekerja lain" in error.value.message_dict["id_pmi"][0]
        # and on the second person's checklist item
        with pytest.raises(ValidationError) as error:
            submit(second.items.get(code="e_pmi"), agent, id_pmi="PMI 3673 000001")
        assert set(error.value.message_dict) == {"id_pmi"}
        second.candidate.refresh_from_db()
        assert second.candidate.siskop2mi_id_pmi == ""

    def test_the_same_number_again_for_the_same_person_changes_nothing(self, case, manager):
        for _ in range(2):
            candidate_id_pmi_record(
                candidate=case.candidate, number="PMI-3673-000002", actor=manager, reason="uji"
            )
        assert AuditLog.objects.filter(action="departure.id_pmi_record").count() == 1

"""A passport number, an E-PMI number and an ID PMI belong to one person: never recorded for two."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from django.urls import reverse

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure import services
from jalur.departure.models import IdentityNumber, ItemStatus
from jalur.placement.models import Application
from jalur.placement.states import ApplicationStatus

from .conftest import GOOD, accept, make_order
from .test_checklist import PDF, parse


def other_case(order, agent):
    candidate = CandidateFactory(stage=Stage.PRE_DEPARTURE)
    return services.case_open(application=accept(order, candidate=candidate), actor=agent)


def submit(case, code, agent, **data):
    return services.item_submit(
        item=case.items.get(code=code),
        data=parse({**GOOD[code], **data}),
        document=SimpleUploadedFile("d.pdf", PDF),
        actor=agent,
    )


@pytest.mark.django_db
@pytest.mark.rule("documents.identity_number_problem")
class TestOneNumberOnePerson:
    def test_a_passport_number_already_anothers_is_refused_and_nothing_is_saved(
        self, case, order, agent
    ):
        submit(case, "passport", agent, number="C7654321")
        second = other_case(order, agent)
        with pytest.raises(ValidationError) as error:
            submit(second, "passport", agent, number="c 765 4321")
        assert error.value.message_dict == {
            "number": [
                "Nomor paspor C7654321 sudah tercatat untuk pekerja lain. Periksa lagi nomornya "
                "pada dokumen: satu nomor hanya milik satu orang. Bila nomornya memang benar, "
                "hubungi Disnakertrans."
            ]
        }
        item = second.items.get(code="passport")
        assert item.status == ItemStatus.MISSING and not item.data and not item.document

    def test_an_e_pmi_number_is_the_same_whatever_its_dashes_slashes_and_capitals(
        self, case, order, agent
    ):
        submit(case, "e_pmi", agent, id_pmi="PMI-3673-000001", e_pmi="E-PMI/2026/000001")
        second = other_case(order, agent)
        with pytest.raises(ValidationError) as error:
            submit(second, "e_pmi", agent, id_pmi="PMI-3673-000002", e_pmi="epmi 2026 000001")
        assert set(error.value.message_dict) == {"e_pmi"}
        with pytest.raises(ValidationError) as error:
            submit(second, "e_pmi", agent, id_pmi="pmi3673000001", e_pmi="E-PMI/2026/000002")
        assert set(error.value.message_dict) == {"id_pmi"}
        submit(second, "e_pmi", agent, id_pmi="PMI-3673-000002", e_pmi="E-PMI/2026/000002")

    def test_the_same_worker_keeps_their_number_on_a_second_case(self, case, p3mi, agent):
        submit(case, "passport", agent, number="C7654321")
        # that placement ended; the same person is placed again through another order
        Application.objects.filter(pk=case.application_id).update(
            status=ApplicationStatus.WITHDRAWN
        )
        again = services.case_open(
            application=accept(make_order(p3mi, reference="JO-2"), candidate=case.candidate),
            actor=agent,
        )
        submit(again, "passport", agent, number="C7654321")
        assert IdentityNumber.objects.get(kind="passport.number").candidate == case.candidate

    def test_a_corrected_number_is_released_for_its_real_holder(self, case, order, agent):
        submit(case, "passport", agent, number="C7654321")  # a typo
        submit(case, "passport", agent, number="C7654312")  # corrected
        second = other_case(order, agent)
        submit(second, "passport", agent, number="C7654321")
        assert set(IdentityNumber.objects.values_list("number", "candidate")) == {
            ("C7654312", case.candidate_id),
            ("C7654321", second.candidate_id),
        }

    def test_the_checklist_page_says_it_beside_the_number(self, client_for, case, order, agent):
        submit(case, "passport", agent, number="C7654321")
        second = other_case(order, agent)
        item = second.items.get(code="passport")
        response = client_for(agent).post(
            reverse("departure:item_submit", args=[item.pk]),
            {
                **GOOD["passport"],
                "number": "C7654321",
                "document": SimpleUploadedFile("p.pdf", PDF),
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert f'<p class="error" id="butir{item.pk}_number_error">Nomor paspor C7654321' in html


def race(calls) -> list[str]:
    """Run every call at the same moment, each on its own connection; 'ok' or the refusal's fields."""
    barrier = threading.Barrier(len(calls))
    outcomes, lock = [], threading.Lock()

    def run(call):
        close_old_connections()
        try:
            barrier.wait()
            call()
            result = "ok"
        except ValidationError as error:
            result = ",".join(sorted(error.message_dict))
        finally:
            close_old_connections()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_saved_with_one_passport_number_at_the_same_moment_one_is_refused(order, agent):
    cases = [other_case(order, agent) for _ in range(4)]
    outcomes = race([lambda c=c: submit(c, "passport", agent, number="C7654321") for c in cases])
    assert sorted(outcomes) == ["number", "number", "number", "ok"]
    holder = IdentityNumber.objects.get(kind="passport.number", number="C7654321").candidate_id
    saved = [c for c in cases if c.items.get(code="passport").status == ItemStatus.SUBMITTED]
    assert [c.candidate_id for c in saved] == [holder]

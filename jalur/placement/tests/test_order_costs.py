"""Who pays each cost of a job order is the one rule of `jalur.rules.fees`: a cost line it forbids
the worker to pay is refused where it is typed and blocks the order's gate; a worker-paid cost it
leaves to the labour office ("Lainnya") must be described, and the office decides on it, with a
reason, before the order can be approved."""

import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.notifications.models import Notification
from jalur.placement import services
from jalur.placement.models import CostDecision, JobOrderCost
from jalur.placement.models.orders import cost_line_key
from jalur.placement.states import OrderStatus
from jalur.rules import fees

from .conftest import days, order_data

pytestmark = pytest.mark.django_db


def _line(item: str, paid_by: str, *, amount=1_000_000, description="") -> dict:
    return {"item": item, "description": description, "amount": amount, "paid_by": paid_by}


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def _refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- where cost lines are saved --------------------------------------------------------------------
@pytest.mark.parametrize("item", ["agency_fee", "ticket", "accommodation", "visa"])
def test_an_ordinary_job_refuses_a_cost_the_worker_may_not_pay_beside_its_payer(make_order, item):
    errors = _refused(
        lambda: make_order(costs=[_line("passport", "worker"), _line(item, "worker")])
    )
    ruling = fees.worker_may_pay(item, zero_cost=False)
    assert errors == {cost_line_key(1, "paid_by"): [ruling.message]}
    assert str(fees.COST_RULES[fees.CostItem(item)].label) in ruling.message


def test_a_zero_cost_job_refuses_even_the_passport_paid_by_the_worker(make_order, caregiver):
    errors = _refused(
        lambda: make_order(
            job_type=caregiver, position_title="Kaigo", costs=[_line("passport", "worker")]
        )
    )
    [message] = errors[cost_line_key(0, "paid_by")]
    assert message == fees.worker_may_pay("passport", zero_cost=True).message
    assert "bebas biaya" in message


def test_the_same_costs_paid_by_the_employer_are_saved(make_order):
    order = make_order(costs=[_line("agency_fee", "employer"), _line("ticket", "agency")])
    assert order.costs.count() == 2


def test_the_order_page_puts_the_rules_refusal_beside_the_payer_of_its_row(
    client_for, agent, p3mi, pks, ssw, industrial
):
    data = {
        **order_data(ssw.pk, industrial.pk),
        "deadline": days(30).isoformat(),
        "attache_verified_on": days(-5).isoformat(),
        "cost-TOTAL_FORMS": 3,
        "cost-INITIAL_FORMS": 0,
        "cost-0-item": "passport",
        "cost-0-amount": "350000",
        "cost-0-paid_by": "worker",
        # an untouched blank row between the lines does not shift which row is refused
        "cost-2-item": "ticket",
        "cost-2-amount": "9000000",
        "cost-2-paid_by": "worker",
    }
    response = client_for(agent).post(reverse("placement:order_create"), data)
    assert response.status_code == 200
    rows = response.context["costs"].forms
    assert rows[2].errors["paid_by"] == [fees.worker_may_pay("ticket", zero_cost=False).message]
    assert not rows[0].errors
    html = response.content.decode()
    assert "Biaya penempatan</a>: baris 3 (Dibayar oleh)" in html
    assert not p3mi.orders.exists()


def test_a_worker_paid_other_cost_must_say_what_it_is(make_order):
    errors = _refused(lambda: make_order(costs=[_line("other", "worker", description="  ")]))
    assert list(errors) == [cost_line_key(0, "description")]
    assert "tulis uraiannya" in errors[cost_line_key(0, "description")][0]
    order = make_order(costs=[_line("other", "worker", description="Seragam kerja")])
    assert order.costs.get().description == "Seragam kerja"


# --- the gate --------------------------------------------------------------------------------------
def test_a_cost_line_saved_before_the_rule_still_blocks_submission_naming_the_line(
    make_order, agent
):
    order = make_order(costs=[_line("passport", "worker")])
    JobOrderCost.objects.create(order=order, item="agency_fee", amount=5_000_000, paid_by="worker")
    with pytest.raises(ValidationError) as caught:
        services.job_order_submit(actor=agent, order=order)
    assert _codes(caught.value) == {"cost_forbidden"}
    [message] = caught.value.messages
    assert message.startswith("Biaya baris 2 (Jasa perusahaan (P3MI))")
    assert fees.worker_may_pay("agency_fee", zero_cost=False).message in message
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def _submitted_with_other_cost(make_order, agent):
    order = make_order(
        costs=[
            _line("ticket", "employer"),
            _line("other", "worker", amount=400_000, description="Seragam kerja"),
        ]
    )
    services.job_order_submit(actor=agent, order=order)
    return order, order.costs.get(item="other")


def test_an_undecided_worker_paid_other_cost_blocks_approval_until_the_office_allows_it(
    make_order, agent, manager
):
    order, cost = _submitted_with_other_cost(make_order, agent)
    with pytest.raises(ValidationError) as caught:
        services.job_order_approve(actor=manager, order=order)
    assert _codes(caught.value) == {"cost_undecided"}
    assert "Biaya baris 2 (Lainnya: Seragam kerja)" in caught.value.messages[0]
    services.job_order_cost_decide(
        actor=manager, cost=cost, decision="allowed", reason="Seragam milik pribadi pekerja"
    )
    cost.refresh_from_db()
    assert (cost.office_decision, cost.office_decided_by) == (CostDecision.ALLOWED, manager)
    assert cost.office_decided_at is not None
    log = AuditLog.objects.get(action="job_order.cost_decide")
    assert log.reason == "Seragam milik pribadi pekerja"
    assert log.changes["office_decision"] == ["", "allowed"]
    services.job_order_approve(actor=manager, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


def test_a_refused_cost_blocks_the_order_until_the_agency_changes_who_pays(
    make_order, agent, manager
):
    order, cost = _submitted_with_other_cost(make_order, agent)
    services.job_order_cost_decide(
        actor=manager, cost=cost, decision="refused", reason="Seragam kerja biaya pemberi kerja"
    )
    with pytest.raises(ValidationError) as caught:
        services.job_order_approve(actor=manager, order=order)
    assert _codes(caught.value) == {"cost_refused"}
    assert "Seragam kerja biaya pemberi kerja" in caught.value.messages[0]
    services.job_order_return(actor=manager, order=order, reason="Ubah pembayar seragam")
    lines = [_line("ticket", "employer"), _line("other", "worker", amount=400_000)]
    lines[1]["description"] = "Seragam kerja"
    # unchanged, the line keeps the refusal and the order cannot go back
    services.job_order_update(actor=agent, order=order, data={}, costs=lines)
    with pytest.raises(ValidationError) as caught:
        services.job_order_submit(actor=agent, order=order)
    assert _codes(caught.value) == {"cost_refused"}
    lines[1]["paid_by"] = "employer"
    services.job_order_update(actor=agent, order=order, data={}, costs=lines)
    services.job_order_submit(actor=agent, order=order)
    services.job_order_approve(actor=manager, order=order)


def test_a_decision_stays_with_an_unchanged_line_and_a_changed_line_is_decided_anew(
    make_order, agent, manager
):
    order, cost = _submitted_with_other_cost(make_order, agent)
    services.job_order_cost_decide(actor=manager, cost=cost, decision="allowed", reason="Wajar")
    services.job_order_return(actor=manager, order=order, reason="Perbaiki jam kerja")
    same = [_line("ticket", "employer"), _line("other", "worker", amount=400_000)]
    same[1]["description"] = " Seragam   kerja "
    services.job_order_update(actor=agent, order=order, data={"hours_per_week": 38}, costs=same)
    assert order.costs.get(item="other").office_decision == CostDecision.ALLOWED
    same[1]["amount"] = 900_000
    services.job_order_update(actor=agent, order=order, data={}, costs=same)
    assert order.costs.get(item="other").office_decision == ""


@pytest.mark.parametrize(
    ("decision", "label"),
    [("allowed", "Boleh dibayar pekerja"), ("refused", "Tidak boleh dibayar pekerja")],
)
def test_the_agency_is_told_of_the_office_decision_on_a_cost_with_its_reason(
    make_order, agent, manager, decision, label
):
    order, cost = _submitted_with_other_cost(make_order, agent)
    services.job_order_cost_decide(
        actor=manager, cost=cost, decision=decision, reason="Seragam & sepatu milik pribadi"
    )
    note = Notification.objects.get(user=agent, key="placement_order_cost_decided")
    assert note.title == f"Lowongan {order.reference}, biaya baris 2: {label}"
    assert f"biaya baris 2 (Lainnya) lowongan {order.reference}" in note.body
    assert "Seragam kerja" in note.body and "Alasan: Seragam & sepatu milik pribadi" in note.body
    assert ("ubah pembayarnya" in note.body) == (decision == "refused")
    assert note.link == reverse("placement:order_detail", args=[order.pk])


def test_the_office_decides_only_lines_the_rules_leave_to_it_only_under_review_and_with_a_reason(
    make_order, agent, manager
):
    draft = make_order(costs=[_line("other", "worker", description="Seragam")])
    with pytest.raises(ValidationError) as caught:
        services.job_order_cost_decide(
            actor=manager, cost=draft.costs.get(), decision="allowed", reason="Wajar"
        )
    assert _codes(caught.value) == {"invalid_transition"}
    order, cost = _submitted_with_other_cost(make_order, agent)
    errors = _refused(
        lambda: services.job_order_cost_decide(
            actor=manager, cost=cost, decision="refused", reason="  "
        )
    )
    assert list(errors) == ["reason"]
    ticket = order.costs.get(item="ticket")
    with pytest.raises(ValidationError) as caught:
        services.job_order_cost_decide(actor=manager, cost=ticket, decision="allowed", reason="x")
    assert _codes(caught.value) == {"not_for_the_office"}
    cost.refresh_from_db()
    assert cost.office_decision == ""


def test_the_office_decides_a_cost_on_the_review_page(client_for, make_order, agent, manager):
    order, cost = _submitted_with_other_cost(make_order, agent)
    client = client_for(manager)
    review = reverse("placement:order_review", args=[order.pk])
    page = client.get(review).content.decode()
    assert reverse("placement:order_cost_decide", args=[order.pk, cost.pk]) in page
    assert "Belum bisa disetujui" in page
    url = reverse("placement:order_cost_decide", args=[order.pk, cost.pk])
    p = f"cost-{cost.pk}-"
    assert client.post(url, {p + "decision": "allowed", p + "reason": ""}).status_code == 302
    cost.refresh_from_db()
    assert cost.office_decision == ""
    client.post(url, {p + "decision": "allowed", p + "reason": "Seragam pribadi"})
    cost.refresh_from_db()
    assert cost.office_decision == CostDecision.ALLOWED
    page = client.get(review).content.decode()
    assert "Belum bisa disetujui" not in page and "Seragam pribadi" in page


def test_the_review_page_gives_each_form_its_own_ids(client_for, make_order, agent, manager):
    """Two cost lines to decide and the order's own decision: a label ticks only its own radio."""
    order = make_order(
        costs=[
            _line("other", "worker", amount=400_000, description="Seragam kerja"),
            _line("other", "worker", amount=300_000, description="Sepatu kerja"),
        ]
    )
    services.job_order_submit(actor=agent, order=order)
    first, second = order.costs.order_by("pk")
    page = client_for(manager).get(reverse("placement:order_review", args=[order.pk]))
    ids = re.findall(r'\sid="([^"]+)"', page.content.decode())
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert {f"id_cost-{first.pk}-decision_0", f"id_cost-{second.pk}-decision_0"} <= set(ids)
    assert "id_decision_0" in ids


def test_an_agency_cannot_decide_its_own_costs(client_for, make_order, agent):
    order, cost = _submitted_with_other_cost(make_order, agent)
    url = reverse("placement:order_cost_decide", args=[order.pk, cost.pk])
    assert client_for(agent).post(url, {"decision": "allowed", "reason": "x"}).status_code == 403


def test_the_agency_adds_as_many_cost_rows_as_it_needs_without_javascript(
    client_for, agent, p3mi, pks, ssw, industrial
):
    """Issue 17: two rows per save was all the form offered. "Tambah baris biaya" shows the page
    again with everything typed and three more rows, nothing saved; then all rows save at once and
    the fee rules still judge every one."""
    client = client_for(agent)
    url = reverse("placement:order_create")
    page = client.get(url).content.decode()
    assert 'name="add_cost_rows"' in page
    data = {
        **order_data(ssw.pk, industrial.pk),
        "deadline": days(30).isoformat(),
        "attache_verified_on": days(-5).isoformat(),
        "cost-TOTAL_FORMS": 2,
        "cost-INITIAL_FORMS": 0,
        "cost-0-item": "agency_fee",
        "cost-0-amount": "5000000",
        "cost-0-paid_by": "employer",
        "cost-1-item": "ticket",
        "cost-1-amount": "9000000",
        "cost-1-paid_by": "employer",
        "add_cost_rows": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not p3mi.orders.exists()
    rows = response.context["costs"].forms
    assert len(rows) == 5
    html = response.content.decode()
    assert 'name="cost-4-item"' in html and 'value="9000000"' in html
    assert 'class="error"' not in html and "belum disimpan. Perbaiki" not in html
    # the new rows filled in, twice more, and saved together
    del data["add_cost_rows"]
    lines = [("visa", "employer"), ("training", "agency"), ("passport", "worker")]
    for index, (item, payer) in enumerate(lines, start=2):
        data |= {f"cost-{index}-item": item, f"cost-{index}-amount": "1000000"}
        data[f"cost-{index}-paid_by"] = payer
    data["cost-TOTAL_FORMS"] = 5
    response = client.post(url, data | {"add_cost_rows": "1"})
    assert len(response.context["costs"].forms) == 8
    data["cost-TOTAL_FORMS"] = 8
    data |= {"cost-5-item": "ticket", "cost-5-amount": "100", "cost-5-paid_by": "worker"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and not p3mi.orders.exists()
    assert refused.context["costs"].forms[5].errors["paid_by"] == [
        fees.worker_may_pay("ticket", zero_cost=False).message
    ]
    for key in ("cost-5-item", "cost-5-amount", "cost-5-paid_by"):
        del data[key]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["costs"].errors
    assert p3mi.orders.get().costs.count() == 5

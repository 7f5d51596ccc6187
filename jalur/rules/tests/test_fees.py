"""The rule of who may pay, on its own: the programme's rule as data, stricter than the law."""

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from jalur.rules import fees
from jalur.rules.fees import CostItem, Payer, Verdict

ITEMS = st.sampled_from(list(CostItem))


def test_who_may_pay_for_a_ticket_to_japan_for_a_caregiver():
    ruling = fees.worker_may_pay("ticket", zero_cost=True)
    assert ruling.verdict == Verdict.FORBIDDEN
    assert "Perban BP2MI 9/2020" in ruling.basis
    assert "pemberi kerja, P3MI atau APBD" in ruling.message


@pytest.mark.parametrize("item", ["passport", "skck", "medical"])
def test_on_an_ordinary_position_the_worker_may_pay_only_personal_documents_and_the_check(item):
    assert fees.worker_may_pay(item, zero_cost=False).allowed
    assert not fees.worker_may_pay(item, zero_cost=True).allowed


@pytest.mark.parametrize(
    "item",
    ["ticket", "visa", "legalisation", "training", "certification", "agency_fee"],
)
def test_the_worker_never_pays_the_agency_fee_travel_visa_training_or_certification(item):
    assert fees.worker_may_pay(item, zero_cost=False).verdict == Verdict.FORBIDDEN
    assert fees.worker_may_pay(item, zero_cost=True).verdict == Verdict.FORBIDDEN


def test_social_security_and_accommodation_are_never_the_workers():
    for item in ("social_security", "accommodation"):
        assert not fees.worker_may_pay(item, zero_cost=False).allowed


def test_an_unnamed_worker_paid_item_is_for_the_office_to_decide_on_an_ordinary_position():
    ruling = fees.worker_may_pay("other", zero_cost=False)
    assert ruling.verdict == Verdict.DECIDE
    assert "Disnakertrans harus memutuskan" in ruling.message
    assert fees.worker_may_pay("other", zero_cost=True).verdict == Verdict.FORBIDDEN


def test_an_unknown_item_code_is_judged_as_other():
    assert fees.worker_may_pay("tea", zero_cost=False).verdict == Verdict.DECIDE


@given(item=ITEMS, zero_cost=st.booleans())
def test_a_zero_cost_position_never_allows_what_an_ordinary_one_forbids(item, zero_cost):
    ordinary = fees.worker_may_pay(item, zero_cost=False)
    zero = fees.worker_may_pay(item, zero_cost=True)
    assert not zero.allowed
    if not ordinary.allowed:
        assert zero.verdict == Verdict.FORBIDDEN


@given(item=ITEMS, zero_cost=st.booleans(), payer=st.sampled_from(list(Payer)))
def test_only_the_worker_is_ever_restricted(item, zero_cost, payer):
    ruling = fees.payer_may_pay(item, payer, zero_cost=zero_cost)
    if payer != Payer.WORKER:
        assert ruling.allowed
    else:
        assert ruling == fees.worker_may_pay(item, zero_cost=zero_cost)


@given(item=ITEMS, zero_cost=st.booleans())
def test_every_refusal_says_why_and_cites_its_source(item, zero_cost):
    ruling = fees.worker_may_pay(item, zero_cost=zero_cost)
    if not ruling.allowed:
        assert ruling.message
        assert ruling.sources


@given(item=ITEMS, zero_cost=st.booleans(), forbid=st.sets(st.sampled_from(list(CostItem))))
def test_a_city_can_make_the_rule_stricter_never_looser(item, zero_cost, forbid):
    law = fees.worker_may_pay(item, zero_cost=zero_cost)
    with override_settings(JALUR_WORKER_MAY_NOT_PAY=[i.value for i in forbid]):
        city = fees.worker_may_pay(item, zero_cost=zero_cost)
    if not law.allowed:
        assert not city.allowed
    if item in forbid:
        assert city.verdict == Verdict.FORBIDDEN


def test_every_training_cost_line_is_training_or_certification():
    assert set(fees.TRAINING_COST_ITEMS.values()) == {CostItem.TRAINING, CostItem.CERTIFICATION}
    assert fees.training_cost_item("test_fee") == CostItem.CERTIFICATION

"""Contract substitution, on its own: one comparison of terms, money as Decimal."""

from decimal import Decimal

import pytest

from jalur.rules.contracts import Terms, contract_differences

AGREED = Terms(
    employer="Sakura Seimitsu K.K.",
    position="Operator mesin",
    wage=Decimal("215000.10"),
    currency="JPY",
    contract_months=36,
    hours_per_week=Decimal("40"),
)


def differences(**changed):
    proposed = Terms(**{**AGREED.__dict__, **changed})
    return {d.term: d for d in contract_differences(AGREED, proposed)}


def test_a_wage_that_differs_only_in_how_its_decimals_are_written_is_the_same_wage():
    assert differences(wage=Decimal("215000.1")) == {}
    assert differences(wage=Decimal("215000.100")) == {}


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        Terms(wage=215000.1)
    with pytest.raises(TypeError):
        Terms(hours_per_week=40.0)


def test_a_wage_lower_by_a_thousandth_is_lower():
    found = differences(wage=Decimal("215000.099"))
    assert found["wage"].worse
    assert found["wage"].agreed == ("JPY", Decimal("215000.10"))


def test_a_higher_wage_is_a_difference_the_office_may_accept():
    found = differences(wage=Decimal("220000"))
    assert set(found) == {"wage"} and not found["wage"].worse


def test_a_wage_in_another_currency_is_worse_whatever_the_number():
    assert differences(currency="IDR", wage=Decimal("99000000"))["wage"].worse


@pytest.mark.parametrize(
    ("term", "value"),
    [("position", "Buruh harian"), ("contract_months", 24), ("contract_months", 48)],
)
def test_another_position_or_contract_length_is_contract_substitution(term, value):
    assert differences(**{term: value})[term].worse


def test_more_weekly_hours_are_worse_and_fewer_are_only_a_difference():
    assert differences(hours_per_week=Decimal("48"))["hours_per_week"].worse
    assert not differences(hours_per_week=Decimal("38"))["hours_per_week"].worse


def test_words_are_compared_whatever_the_spacing_and_capitals():
    assert differences(position="  operator   MESIN ", employer="sakura seimitsu k.k.") == {}


def test_the_employers_name_written_otherwise_is_only_a_difference():
    assert not differences(employer="PT Sakura")["employer"].worse


def test_a_term_one_document_does_not_state_is_not_compared():
    offer = Terms(position="Operator mesin", wage=Decimal("215000.10"), contract_months=36)
    assert contract_differences(AGREED, offer) == []

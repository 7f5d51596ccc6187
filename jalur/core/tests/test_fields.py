"""Amounts typed the way people here type them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jalur.core.fields import AmountField


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("180.000", Decimal("180000")),
        ("1.250.000,50", Decimal("1250000.50")),
        ("180,000", Decimal("180000")),
        ("180000", Decimal("180000")),
        ("52,5", Decimal("52.5")),
        ("52.5", Decimal("52.5")),
        (" 215 000 ", Decimal("215000")),
    ],
)
def test_an_amount_is_read_as_typed(typed, read):
    assert AmountField(max_digits=14, decimal_places=2).clean(typed) == read


def test_what_is_not_a_number_is_refused_with_an_amount_as_the_example():
    with pytest.raises(ValidationError) as error:
        AmountField().clean("dua ratus ribu")
    assert "215.000" in error.value.messages[0]


def test_it_is_a_text_box_with_the_decimal_keypad():
    html = AmountField().widget.render("wage", "180000")
    assert 'type="text"' in html and 'inputmode="decimal"' in html


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("750.000", Decimal("750000")),
        ("750000", Decimal("750000")),
        ("1.250.000", Decimal("1250000")),
        ("12500", Decimal("12500")),
        ("Rp 180.000", Decimal("180000")),
        ("Rp. 180.000,-", Decimal("180000")),
        ("rp180000", Decimal("180000")),
    ],
)
def test_a_rupiah_amount_is_read_as_typed(typed, read):
    """Issue 17: the training cost box refused 750.000, 1.250.000 and 12500."""
    assert AmountField(max_digits=14, decimal_places=0).clean(typed) == read


@pytest.mark.parametrize("typed", ["dua ratus ribu", "Rp", "180.000.00", "12,5"])
def test_garbage_or_a_fraction_of_a_rupiah_is_refused_in_indonesian(typed):
    with pytest.raises(ValidationError) as error:
        AmountField(max_digits=14, decimal_places=0).clean(typed)
    assert error.value.messages[0].split()[0] in {"Tulis", "Pastikan", "Wajib"}


def test_a_whole_rupiah_amount_gets_the_digit_keypad_and_no_step():
    html = AmountField(min_value=0, decimal_places=0).widget.render("amount", "12500")
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    assert "step" not in html and "min=" not in html

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

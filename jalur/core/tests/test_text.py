"""Typed words compared; counts written out in the reader's language."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from jalur.core import text


def test_typed_words_are_the_same_whatever_the_spacing_and_capitals():
    assert text.same_words("Operator  CNC ", "operator cnc")
    assert not text.same_words("Operator CNC", "Operator bubut")


@pytest.mark.parametrize(
    ("n", "english"),
    [(1, "1 year"), (2, "2 years"), (0, "0 years"), (Decimal("1.5"), "1.5 years")],
)
def test_years_are_singular_only_for_one_in_english_and_never_change_in_indonesian(n, english):
    with translation.override("en"):
        assert text.years(n) == english
    with translation.override("id"):
        assert text.years(n) == f"{n} tahun"


def test_months_in_both_languages():
    with translation.override("en"):
        assert [text.months(1), text.months(24)] == ["1 month", "24 months"]
    with translation.override("id"):
        assert text.months(1) == "1 bulan"


def test_the_template_filters_write_a_dash_when_there_is_no_number():
    template = Template("{% load jalur %}{{ a|months }}|{{ b|years }}|{{ c|months }}")
    with translation.override("en"):
        assert template.render(Context({"a": 1, "b": 3, "c": None})) == "1 month|3 years|—"

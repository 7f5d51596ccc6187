"""Form fields that read numbers as people here write them."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

_GROUPED_ID = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")  # 180.000 · 1.250.000,50
_GROUPED_EN = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")  # 180,000 · 1,250,000.50
_DECIMAL_COMMA = re.compile(r"\d+,\d+")  # 52,5


class AmountField(forms.DecimalField):
    """A wage, a fee, a number of hours: typed as 180.000 or 180,000 or 180000 or 52,5.

    A browser's number box would send "180.000" as 180.000 (three decimals) and Django would
    refuse it, or take it as 180; this field is a text box with the decimal keypad that reads
    Indonesian grouping (dots) and decimal commas, and English grouping (commas) too.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Tulis angkanya saja, misalnya 215.000 atau 52,5."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            text = re.sub(r"[\s\u00a0]", "", value)
            if _GROUPED_ID.fullmatch(text):
                text = text.replace(".", "").replace(",", ".")
            elif _GROUPED_EN.fullmatch(text):
                text = text.replace(",", "")
            elif _DECIMAL_COMMA.fullmatch(text):
                text = text.replace(",", ".")
            value = text
        return super().to_python(value)

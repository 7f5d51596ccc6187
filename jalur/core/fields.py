"""Form fields that read numbers as people here write them."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

_GROUPED_ID = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")  # 180.000 · 1.250.000,50
_GROUPED_EN = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")  # 180,000 · 1,250,000.50
_DECIMAL_COMMA = re.compile(r"\d+,\d+")  # 52,5
_RUPIAH = re.compile(r"^rp\.?", re.IGNORECASE)  # Rp 180.000 · Rp. 180.000 · rp180000
_TRAILING_ZERO_CENTS = re.compile(r"(,-|,00?|\.-)$")  # 180.000,- · 180.000,00


class AmountField(forms.DecimalField):
    """Every amount of money (and a number of hours): typed as 750.000, 750000, 1.250.000, 12500,
    Rp 180.000, 180,000 or 52,5.

    A browser's number box would send "180.000" as 180.000 (three decimals) and Django would
    refuse it, or take it as 180, and a `step` of 1000 blocks 12500; this field is a text box that
    reads Indonesian grouping (dots) and decimal commas, English grouping (commas), and a leading
    "Rp". A whole-rupiah amount (`decimal_places=0`) gets the digit keypad, others the decimal one.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Tulis angkanya saja, misalnya 215.000 atau 52,5."),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # a text box: no min/max/step for the browser to enforce against the typed dots
        for key in ("min", "max", "step"):
            attrs.pop(key, None)
        if self.decimal_places == 0:
            attrs["inputmode"] = "numeric"
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            text = re.sub(r"[\s\u00a0]", "", value)
            text = _RUPIAH.sub("", text)
            text = _TRAILING_ZERO_CENTS.sub("", text) if self.decimal_places == 0 else text
            if _GROUPED_ID.fullmatch(text):
                text = text.replace(".", "").replace(",", ".")
            elif _GROUPED_EN.fullmatch(text):
                text = text.replace(",", "")
            elif _DECIMAL_COMMA.fullmatch(text):
                text = text.replace(",", ".")
            value = text
        return super().to_python(value)

from django import forms
from django.core.exceptions import ValidationError

from jalur.core.forms_errors import apply_errors


class _Form(forms.Form):
    phone = forms.CharField(required=False)


def test_field_errors_land_beside_their_field_and_others_on_top():
    form = _Form({"phone": "x"})
    assert form.is_valid()
    apply_errors(form, ValidationError({"phone": "Nomor HP salah.", "nik": "NIK salah."}))
    assert form.errors["phone"] == ["Nomor HP salah."]
    assert form.non_field_errors() == ["NIK salah."]


def test_a_plain_error_goes_on_top():
    form = _Form({})
    form.is_valid()
    apply_errors(form, ValidationError("Tahap tidak bisa diubah."))
    assert form.non_field_errors() == ["Tahap tidak bisa diubah."]


class _VillageForm(forms.Form):
    village = forms.CharField(required=False)


def test_an_alias_puts_a_field_the_form_lacks_beside_the_one_that_decides_it():
    form = _VillageForm({"village": "x"})
    form.is_valid()
    apply_errors(
        form,
        ValidationError({"district": ValidationError("Di luar wilayah.", code="outside")}),
        aliases={"district": "village"},
    )
    assert form.errors["village"] == ["Di luar wilayah."]
    assert form.has_error("village", code="outside")
    assert not form.non_field_errors()

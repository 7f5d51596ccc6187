"""The family's number stays Indonesian: the emergency contact is who the office calls at home when
the worker abroad cannot be reached, so a Korean or Japanese number is refused there with the
Indonesian message (only the worker's own number abroad may be foreign)."""

import pytest

from jalur.candidates.forms import AddressForm

FOREIGN = {
    "Korea": "+82 10-1234-5678",
    "Jepang": "+81 90-1234-5678",
}


def _family_phone_errors(number: str) -> list[str]:
    form = AddressForm(
        data={"emergency_name": "Siti Aminah", "emergency_phone": number}, partial=True
    )
    form.is_valid()
    return form.errors.get("emergency_phone", [])


@pytest.mark.django_db
@pytest.mark.parametrize("number", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_foreign_family_number_is_refused_with_the_indonesian_message(number):
    errors = _family_phone_errors(number)
    assert errors, f"{number} accepted as the family's number"
    assert any("nomor HP Indonesia" in error and "08" in error for error in errors), errors


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["0812-3456-7890", "+62 812 3456 7890"])
def test_an_indonesian_family_number_is_taken(number):
    assert _family_phone_errors(number) == []

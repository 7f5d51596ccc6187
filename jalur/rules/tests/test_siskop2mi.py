"""The shape of an ID PMI or E-PMI number, and the E-PMI recorded before departure."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalur.rules import siskop2mi

LABEL = "ID PMI"


def problem(value: str) -> str:
    return siskop2mi.reference_number_problem(
        label=LABEL, value=siskop2mi.reference_number_clean(value)
    )


@pytest.mark.rule("siskop2mi.reference_number_problem")
@pytest.mark.parametrize(
    "number",
    [
        "PMI-3673-000001",  # as the demo writes them
        "E-PMI/2026/000001",
        "epmi 2026 000001",  # spaces are taken out, letters upper-cased
        "3673012345678901",  # digits only, NIK-long
        "IDPMI-1",
        "KPMI.2026.00042",
        "A" * 29 + "1",  # 30 letters and digits
    ],
)
def test_numbers_shaped_as_registers_write_them_are_accepted(number):
    assert problem(number) == ""


@pytest.mark.rule("siskop2mi.reference_number_problem")
@pytest.mark.parametrize(
    "number",
    [
        "1234",  # too short
        "A" * 30 + "1",  # too long
        "Siti Aminah",  # a name: no digit
        "PMI--0001",  # two separators in a row
        "-PMI0001",  # starts with a separator
        "PMI0001/",  # ends with one
        "PMI#0001",  # another symbol
        "PMI_0001",
    ],
)
def test_what_cannot_be_a_reference_number_is_refused_with_what_to_write(number):
    message = problem(number)
    assert message.startswith(f"{LABEL} ")
    assert "huruf dan angka" in message and "5 sampai 30 karakter" in message


@pytest.mark.rule("siskop2mi.reference_number_problem")
@given(st.text(alphabet="ABCXYZ0123456789", min_size=4, max_size=29).filter(str.isalnum))
def test_any_letters_and_digits_with_one_digit_pass_once_long_enough(body):
    number = body + "7"
    assert problem(number) == ""
    assert problem("-".join(number)) == ""  # separated digit by digit, still one number


@pytest.mark.rule("siskop2mi.missing_before_departure")
def test_the_e_pmi_is_needed_before_departure_only_when_missing():
    assert siskop2mi.missing_before_departure(item="SISKOP2MI", missing=()) == ""
    message = siskop2mi.missing_before_departure(item="SISKOP2MI", missing=("Nomor E-PMI",))
    assert message.startswith("SISKOP2MI: Nomor E-PMI belum dicatat.")

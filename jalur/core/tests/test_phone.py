import pytest

from jalur.core.phone import format_phone, is_indonesian, normalize_phone, phone_error


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+62 812 3456 7890",
        "6281234567890",
        "81234567890",
        "(0812) 3456.7890",
        "81234567890.0",
    ],
)
def test_every_common_way_of_writing_a_mobile_number_normalises_to_e164(raw):
    assert normalize_phone(raw) == "+6281234567890"


@pytest.mark.parametrize(
    "raw",
    ["", None, "0254-123456", "08412345678", "0800123456", "08123", "0812345678901234", "abc"],
)
def test_landlines_non_mobile_and_wrong_lengths_are_refused(raw):
    assert normalize_phone(raw) is None


def test_shortest_and_longest_mobile_numbers():
    assert normalize_phone("0812345678") == "+62812345678"  # 10 digits nationally
    assert normalize_phone("0812345678901") == "+62812345678901"  # 13 digits


def test_numbers_are_shown_the_way_people_write_them():
    assert format_phone("+6281234567890") == "0812-3456-7890"
    assert format_phone("+62812345678") == "0812-3456-78"
    assert format_phone("") == ""


# Numbers from other countries: a worker abroad has a local number besides the Indonesian one.


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+82 10-1234-5678", "+821012345678"),  # Korea, mobile
        ("+82 010-1234-5678", "+821012345678"),  # the trunk 0 written after the code
        ("0082 10 1234 5678", "+821012345678"),  # 00 for +
        ("+821012345678", "+821012345678"),
        ("+81 90-1234-5678", "+819012345678"),  # Japan 090
        ("+81 80-1234-5678", "+818012345678"),  # Japan 080
        ("+81 70-1234-5678", "+817012345678"),  # Japan 070
        ("(+81) 90.1234.5678", "+819012345678"),
        ("+886 912 345 678", "+886912345678"),  # Taiwan
        ("+852 5123 4567", "+85251234567"),  # Hong Kong
    ],
)
def test_a_foreign_mobile_with_its_country_code_is_taken_when_any_country_is(raw, e164):
    assert normalize_phone(raw, any_country=True) == e164
    assert (
        normalize_phone(raw) is None
    )  # the family's and the registration's numbers stay Indonesian


@pytest.mark.parametrize(
    "raw",
    [
        "+82 2-123-4567",  # Seoul, fixed line
        "+81 3-1234-5678",  # Tokyo, fixed line
        "+82 70-1234-5678",  # Korean internet phone: no SMS
        "+81 50-1234-5678",  # Japanese internet phone
        "+82 10-1234",  # too short
        "+82abc12345678",
        "+999 1234 5678",  # no such country
    ],
)
def test_fixed_lines_internet_phones_and_junk_from_abroad_are_refused(raw):
    assert normalize_phone(raw, any_country=True) is None


@pytest.mark.parametrize(
    "raw",
    ["081234567890", "+62 812 3456 7890", "6281234567890", "0062 812 3456 7890", "81234567890.0"],
)
def test_an_indonesian_number_is_the_same_with_any_country(raw):
    assert normalize_phone(raw, any_country=True) == "+6281234567890"


def test_without_a_plus_or_00_a_number_is_read_as_indonesian():
    # 82 10… is an Indonesian 0821 number, as it always was; 00 and another code is not Indonesian
    assert normalize_phone("82 1012 3456 78", any_country=True) == "+62821012345678"
    assert normalize_phone("0082 10 1234 5678") is None
    assert normalize_phone("010-1234-5678", any_country=True) is None


def test_the_message_says_what_to_fix_with_examples_for_both():
    message = phone_error("abc", any_country=True)
    assert message.startswith("Nomor HP tidak valid.")
    assert "0812-3456-7890" in message and "+82 10-1234-5678" in message
    assert phone_error("abc") == "Nomor HP tidak valid. Contoh: 0812-3456-7890."


def test_the_message_names_a_fixed_line_a_foreign_number_and_a_missing_country_code():
    assert "telepon rumah/kantor" in phone_error("+82 2-123-4567", any_country=True)
    assert "telepon rumah/kantor" in phone_error("+81 3-1234-5678", any_country=True)
    assert "telepon rumah/kantor" in phone_error("0254-123456")
    assert "hanya nomor HP Indonesia" in phone_error("+82 10-1234-5678")
    assert phone_error("010-1234-5678", any_country=True).endswith(": +82 10-1234-5678.")
    assert phone_error("090-1234-5678", any_country=True).endswith(": +81 90-1234-5678.")


def test_a_foreign_number_is_shown_in_its_international_format():
    assert format_phone("+821012345678") == "+82 10-1234-5678"
    assert format_phone("+819012345678") == "+81 90-1234-5678"
    assert format_phone("+6281234567890") == "0812-3456-7890"  # Indonesian as before


def test_is_indonesian():
    assert is_indonesian("+6281234567890")
    assert not is_indonesian("+821012345678") and not is_indonesian("")

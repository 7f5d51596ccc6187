import pytest

from jalur.core.phone import format_phone, normalize_phone


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

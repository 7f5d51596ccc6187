"""Document validity on its own: calendar months, the passport's margin, expiry on the departure day."""

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalur.rules import documents

DAYS = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31))


def test_months_are_added_on_the_calendar():
    assert documents.add_months(datetime.date(2026, 12, 20), 42) == datetime.date(2030, 6, 20)
    assert documents.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert documents.add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert documents.add_months(datetime.date(2028, 2, 29), 12) == datetime.date(2029, 2, 28)
    assert documents.add_months(datetime.date(2028, 2, 29), 48) == datetime.date(2032, 2, 29)
    assert documents.add_months(datetime.date(2027, 12, 31), 2) == datetime.date(2028, 2, 29)
    assert documents.add_months(datetime.date(2027, 8, 31), -6) == datetime.date(2027, 2, 28)


@given(DAYS, st.integers(min_value=-120, max_value=240))
def test_adding_months_lands_in_that_month_on_the_same_day_or_its_last(day, months):
    moved = documents.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])


@pytest.mark.parametrize(
    ("departure", "needed"),
    [
        (datetime.date(2028, 2, 29), datetime.date(2031, 8, 29)),  # a leap day
        (datetime.date(2027, 12, 31), datetime.date(2031, 6, 30)),  # the 31st into June
        (datetime.date(2027, 8, 31), datetime.date(2031, 2, 28)),  # the 31st into February
        (datetime.date(2029, 8, 31), datetime.date(2033, 2, 28)),
        (datetime.date(2028, 8, 31), datetime.date(2032, 2, 29)),  # into a leap February
    ],
)
def test_the_passport_must_hold_for_the_contract_and_six_months(departure, needed):
    assert documents.passport_needed_until(departure, 36) == needed
    assert (
        documents.passport_problem(departure=departure, contract_months=36, valid_until=needed)
        == ""
    )
    short = needed - datetime.timedelta(days=1)
    problem = documents.passport_problem(departure=departure, contract_months=36, valid_until=short)
    assert problem == (
        f"Paspor berlaku sampai {short:%d-%m-%Y}; harus berlaku sampai sedikitnya "
        f"{needed:%d-%m-%Y} (lama kontrak + 6 bulan)."
    )


def test_a_city_may_ask_for_more_months_but_never_fewer(settings):
    day = datetime.date(2027, 3, 15)
    settings.JALUR_PASSPORT_MARGIN_MONTHS = 12
    assert documents.passport_needed_until(day, 24) == datetime.date(2030, 3, 15)
    settings.JALUR_PASSPORT_MARGIN_MONTHS = 2
    assert documents.passport_needed_until(day, 24) == datetime.date(2029, 9, 15)


def test_a_document_must_hold_on_the_departure_day_itself():
    day = datetime.date(2028, 2, 29)
    assert documents.valid_on_departure(label="Visa kerja", valid_until=day, departure=day) == ""
    assert documents.valid_on_departure(label="Visa kerja", valid_until=None, departure=day) == ""
    assert documents.valid_on_departure(
        label="Visa kerja", valid_until=datetime.date(2028, 2, 28), departure=day
    ) == ("Visa kerja hanya berlaku sampai 28-02-2028, sebelum tanggal berangkat.")


def test_a_validity_ends_after_it_starts_and_not_before_it_is_recorded():
    today = datetime.date(2027, 12, 31)
    check = documents.validity_problem
    issued = datetime.date(2027, 6, 1)
    assert check(
        valid_from=issued, valid_until=issued, from_label="Tanggal terbit", today=today
    ) == ("Tanggal berlaku harus sesudah tanggal terbit.")
    assert check(
        valid_from=None, valid_until=datetime.date(2027, 12, 30), from_label="", today=today
    ) == ("Dokumen ini sudah kedaluwarsa (berlaku sampai 30-12-2027).")
    assert (
        check(valid_from=issued, valid_until=today, from_label="Tanggal terbit", today=today) == ""
    )


def test_an_examination_that_is_not_fit_stops_departure():
    assert documents.examination_problem(label="Pemeriksaan kesehatan", fit=True) == ""
    assert documents.examination_problem(label="Pemeriksaan kesehatan", fit=False) == (
        "Pemeriksaan kesehatan: hasilnya tidak memenuhi syarat."
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [("C1234567", "c 123 4567"), ("E-PMI/2026/000001", "epmi2026000001"), ("PMI-1", "pmi 1")],
)
def test_two_numbers_are_the_same_when_their_letters_and_digits_are(a, b):
    assert documents.identity_number_key(a) == documents.identity_number_key(b) != ""


def test_a_number_held_by_another_person_is_refused_with_what_to_do():
    assert (
        documents.identity_number_problem(label="Nomor paspor", number="C1", held_by_another=False)
        == ""
    )
    problem = documents.identity_number_problem(
        label="Nomor E-PMI", number="E-PMI/1", held_by_another=True
    )
    assert problem.startswith("Nomor E-PMI E-PMI/1 sudah tercatat untuk pekerja lain.")
    assert "hubungi Disnakertrans" in problem

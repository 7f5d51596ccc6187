"""Identity rules on plain values: the NIK, the KK number and the minimum age. No database."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalur.rules import identity
from jalur.rules.registry import REGISTRY

TODAY = datetime.date(2026, 11, 28)
KNOWN = (True, True, True)


def test_a_well_formed_nik_has_no_problem_whatever_its_region():
    assert identity.nik_problems("3673015705980001", region_known=KNOWN) == []
    assert identity.nik_problems("3171011705980001", region_known=KNOWN) == []  # Jakarta


@pytest.mark.parametrize(
    ("nik", "region", "fragment"),
    [
        ("367301570598001", KNOWN, "yang diisi 15 angka"),
        ("36730157059800A1", KNOWN, "hanya boleh berisi angka"),
        ("9901015705980001", (False, False, False), "Kode provinsi di NIK (angka ke-1–2: 99)"),
        ("3699015705980001", (True, False, False), "Kode kabupaten/kota di NIK (angka ke-3–4: 99)"),
        ("3673995705980001", (True, True, False), "Kode kecamatan di NIK (angka ke-5–6: 99)"),
        ("3673013505980001", KNOWN, "laki-laki 01–31, perempuan 41–71"),
        ("3673011713980001", KNOWN, "harus 01–12"),
        ("3673017102980001", KNOWN, "tidak ada di kalender"),
        ("3673015705980000", KNOWN, "tidak boleh 0000"),
    ],
)
def test_a_broken_nik_says_which_part_is_wrong(nik, region, fragment):
    problems = identity.nik_problems(nik, region_known=region)
    assert any(fragment in p for p in problems), problems


@given(
    birth=st.dates(datetime.date(1950, 1, 1), datetime.date(2010, 12, 31)),
    female=st.booleans(),
    serial=st.integers(1, 9999),
)
def test_every_nik_built_from_a_real_birth_date_is_well_formed_and_decodes(birth, female, serial):
    nik = identity.nik_build(
        district_code="36.73.01", birth_date=birth, female=female, serial=serial
    )
    assert identity.nik_problems(nik, region_known=KNOWN) == []
    assert identity.nik_split(nik).is_female == female
    assert identity.nik_sex_problem(nik, female=female) == ""
    assert identity.nik_sex_problem(nik, female=not female) != ""
    assert identity.nik_birth_mismatch(nik, birth, today=TODAY) == ""
    decoded = identity.nik_birth_date(nik, today=TODAY)
    assert (decoded.day, decoded.month, decoded.year % 100) == (
        birth.day,
        birth.month,
        birth.year % 100,
    )


def test_a_birth_date_that_differs_from_the_nik_is_a_warning_to_check_against_the_ktp():
    warning = identity.nik_birth_mismatch(
        "3673015705980001", datetime.date(1998, 5, 18), today=TODAY
    )
    assert "17-05-1998" in warning and "18-05-1998" in warning and "KTP" in warning


def test_the_minimum_age_is_18_on_the_day_of_registration():
    assert identity.birth_date_problem(datetime.date(2008, 11, 28), today=TODAY) == ""
    under = identity.birth_date_problem(datetime.date(2008, 11, 29), today=TODAY)
    assert "Usia minimal 18 tahun" in under and "usianya 17 tahun" in under
    assert "masa depan" in identity.birth_date_problem(datetime.date(2027, 1, 1), today=TODAY)
    assert "Periksa tahun lahir" in identity.birth_date_problem(
        datetime.date(1940, 1, 1), today=TODAY
    )
    rule = REGISTRY["identity.birth_date_problem"]
    assert [s.cite() for s in rule.sources] == ["UU 18/2017 Pasal 5 huruf a"]


def test_someone_born_on_29_february_turns_a_year_older_on_1_march():
    leap = datetime.date(2008, 2, 29)
    assert identity.age_on(leap, datetime.date(2026, 2, 28)) == 17
    assert identity.age_on(leap, datetime.date(2026, 3, 1)) == 18


def test_the_kk_number_is_16_digits_and_an_unknown_prefix_only_warns():
    assert identity.kk_problem("") == ""
    assert identity.kk_problem("3673010101200001") == ""
    assert "yang diisi 15" in identity.kk_problem("367301010120001")
    assert identity.kk_region_warning("3673010101200001", region_known=True) == ""
    assert "990101" in identity.kk_region_warning("9901010101200001", region_known=False)

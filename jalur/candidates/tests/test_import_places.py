"""The import's kecamatan as office staff type it: short, partly, with 'Kec.' or a trailing space.
When the kelurahan of the row lies in one kecamatan only, that settles it (and the row's report
says so); when nothing settles it, the nearest kecamatan name is suggested."""

import pytest
from django.urls import reverse

from jalur.candidates.importing import Outcome, import_rows
from jalur.candidates.models import Candidate

from .test_import_registration import TODAY, cells, sheet

pytestmark = pytest.mark.django_db

SERANG, KASEMEN, CIPOCOK_JAYA = "36.73.01", "36.73.02", "36.73.05"


@pytest.mark.parametrize(
    ("district", "village", "expected"),
    [
        ("SERANG", "Cipare", SERANG),
        ("Kasemen", "Terumbu", KASEMEN),
        ("Kec. Kasemen", "Terumbu", KASEMEN),
        ("kasemen ", "Terumbu", KASEMEN),
        ("Kecamatan Kasemen", "Terumbu", KASEMEN),
    ],
)
def test_a_kecamatan_in_another_case_or_with_kec_is_read_as_it_is(
    tmp_path, officer, district, village, expected
):
    rows = sheet(tmp_path / "p.xlsx", cells(Kecamatan=district, Kelurahan=village))
    (result,) = import_rows(rows, actor=officer, today=TODAY).results
    assert result.outcome == Outcome.ACCEPTED, result.reasons
    assert Candidate.objects.get().district_id == expected
    assert not any("ditetapkan" in w for w in result.warnings)  # nothing had to be settled


@pytest.mark.parametrize(
    ("district", "village", "expected", "named"),
    [
        ("Cipocok", "Dalung", CIPOCOK_JAYA, "Dalung"),  # the start of 'Cipocok Jaya'
        ("Kota Serang", "Cipare", SERANG, "Cipare"),  # the city written for the kecamatan
        ("Kasmn", "Kasunyatan", KASEMEN, "Kasunyatan"),
    ],
)
def test_a_kecamatan_written_partly_is_settled_by_a_kelurahan_of_one_kecamatan(
    tmp_path, officer, district, village, expected, named
):
    rows = sheet(tmp_path / "p.xlsx", cells(Kecamatan=district, Kelurahan=village))
    (result,) = import_rows(rows, actor=officer, today=TODAY).results
    assert result.outcome == Outcome.ACCEPTED, result.reasons
    candidate = Candidate.objects.get()
    assert candidate.district_id == expected and candidate.village.name == named
    (note,) = [w for w in result.warnings if "ditetapkan" in w]
    assert note.startswith(f"Kecamatan ditetapkan dari kelurahan {named}: Kecamatan ")
    assert f"(tertulis '{district}')" in note


def test_a_kelurahan_of_two_kecamatan_does_not_settle_it_and_the_nearest_name_is_offered(
    tmp_path, officer
):
    # Sukawana is a kelurahan of Kec. Serang and of Kec. Curug
    rows = sheet(tmp_path / "p.xlsx", cells(Kecamatan="Curuk Kota", Kelurahan="Sukawana"))
    (result,) = import_rows(rows, actor=officer, today=TODAY).results
    assert result.outcome == Outcome.REJECTED
    assert any(
        "Kecamatan 'Curuk Kota' tidak ada di wilayah program" in r and "Maksud Anda: Curug?" in r
        for r in result.reasons
    ), result.reasons
    assert not Candidate.objects.exists()


def test_an_unknown_kecamatan_with_an_unknown_kelurahan_gets_a_suggestion(tmp_path, officer):
    rows = sheet(tmp_path / "p.xlsx", cells(Kecamatan="Taktakan Barat", Kelurahan="Tidak Ada"))
    (result,) = import_rows(rows, actor=officer, today=TODAY).results
    assert result.outcome == Outcome.REJECTED
    assert any("Maksud Anda: Taktakan?" in r for r in result.reasons), result.reasons


def test_a_name_near_nothing_gets_no_suggestion(tmp_path, officer):
    rows = sheet(tmp_path / "p.xlsx", cells(Kecamatan="Bogor", Kelurahan="Tidak Ada"))
    (result,) = import_rows(rows, actor=officer, today=TODAY).results
    assert any("Kecamatan 'Bogor' tidak ada di wilayah program" in r for r in result.reasons)
    assert not any("Maksud Anda" in r for r in result.reasons)


def test_the_import_page_says_a_short_kecamatan_is_read(client_for, manager):
    page = client_for(manager).get(reverse("candidates:import")).content.decode()
    assert "Kecamatan boleh ditulis singkat" in page

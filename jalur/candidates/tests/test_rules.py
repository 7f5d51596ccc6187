"""The registration rules (rules.py): every rule of issue 3, with its Indonesian message."""

import datetime

import pytest
from django.utils import timezone

from jalur.candidates.rules import candidate_data_check, nik_errors
from jalur.rules.identity import nik_birth_date, nik_build

from .conftest import CIPARE, years_ago

TODAY = datetime.date(2026, 11, 28)
pytestmark = pytest.mark.django_db


def check(**data):
    return candidate_data_check(data, today=TODAY)


class TestNik:
    def test_a_valid_nik_passes_and_is_stripped_of_spaces_and_dots(self):
        result = check(nik="3673 0157.0598 0001")
        assert result.ok and result.data["nik"] == "3673015705980001"

    @pytest.mark.parametrize(
        ("nik", "fragment"),
        [
            ("367301570598001", "NIK harus 16 angka; yang diisi 15 angka"),
            ("36730157059800011", "yang diisi 17 angka"),
            ("36730157059800A1", "hanya boleh berisi angka"),
            ("9901015705980001", "Kode provinsi di NIK (angka ke-1–2: 99) tidak dikenal"),
            ("3699015705980001", "Kode kabupaten/kota di NIK (angka ke-3–4: 99)"),
            ("3673995705980001", "Kode kecamatan di NIK (angka ke-5–6: 99)"),
            ("3673010005980001", "laki-laki 01–31, perempuan 41–71"),
            ("3673013505980001", "laki-laki 01–31, perempuan 41–71"),
            ("3673017205980001", "laki-laki 01–31, perempuan 41–71"),
            ("3673011713980001", "Bulan lahir di NIK (angka ke-9–10: 13) harus 01–12"),
            ("3673013002980001", "tidak ada di kalender"),
            ("3673017102980001", "tidak ada di kalender"),  # a woman born 31 February
            ("3673015705980000", "Nomor urut NIK (4 angka terakhir) tidak boleh 0000"),
        ],
    )
    def test_it_refuses_a_broken_nik_saying_which_part_is_wrong(self, nik, fragment):
        result = check(nik=nik)
        assert not result.ok
        assert any(fragment in message for message in result.errors["nik"]), result.errors

    def test_29_february_is_allowed_because_the_century_is_not_encoded(self):
        assert check(nik="3673016902000001").ok  # a woman born 29-02-(20)00

    def test_it_accepts_old_papua_codes_from_before_the_2022_split(self):
        assert nik_errors("9101011705980001") == []

    def test_it_accepts_old_kabupaten_serang_prefixes_from_before_2007(self):
        assert nik_errors("3604091705980001") == []

    def test_a_nik_from_anywhere_in_indonesia_is_fine_the_prefix_is_not_the_domicile(self):
        result = check(nik="3171011705980001", village=CIPARE)  # Jakarta NIK, lives in Cipare
        assert result.ok and result.data["village_id"] == CIPARE

    def test_the_birth_date_a_nik_encodes_guesses_the_century(self):
        assert nik_birth_date("3673015705980001", today=TODAY) == datetime.date(1998, 5, 17)
        assert nik_birth_date("3673010101050001", today=TODAY) == datetime.date(2005, 1, 1)


class TestSexAndBirthDate:
    def test_the_sex_must_match_the_nik_women_add_40_to_the_day(self):
        result = check(nik="3673015705980001", sex="L")
        assert "NIK ini milik perempuan" in result.errors["sex"][0]
        result = check(nik="3673011705980001", sex="P")
        assert "ditambah 40" in result.errors["sex"][0]
        assert check(nik="3673015705980001", sex="P").ok

    def test_a_birth_date_other_than_the_niks_is_a_warning_not_an_error(self):
        result = check(nik="3673015705980001", sex="P", birth_date=datetime.date(1998, 5, 18))
        assert result.ok
        assert "Tanggal lahir di NIK (17-05-1998) berbeda" in result.warnings["birth_date"][0]

    def test_a_matching_birth_date_gives_no_warning(self):
        result = check(nik="3673015705980001", sex="P", birth_date=datetime.date(1998, 5, 17))
        assert result.ok and not result.warnings

    def test_eighteen_today_is_old_enough(self):
        today = timezone.localdate()
        assert candidate_data_check({"birth_date": years_ago(18)}, today=today).ok

    def test_one_day_short_of_eighteen_is_refused_with_the_age(self):
        today = timezone.localdate()
        result = candidate_data_check({"birth_date": years_ago(18, days=-1)}, today=today)
        assert "Usia minimal 18 tahun pada hari pendaftaran" in result.errors["birth_date"][0]
        assert "usianya 17 tahun" in result.errors["birth_date"][0]

    def test_a_birth_date_in_the_future_is_refused(self):
        result = check(birth_date=TODAY + datetime.timedelta(days=1))
        assert "masa depan" in result.errors["birth_date"][0]


class TestAddressAndContact:
    def test_domicile_is_decided_by_the_kelurahan_which_must_be_in_the_home_region(self):
        result = check(village="32.73.01.1001")  # a Bandung code, not in the home region
        assert "kelurahan di wilayah program" in result.errors["village"][0]

    def test_the_kecamatan_is_taken_from_the_kelurahan(self):
        assert check(village=CIPARE).data["district_id"] == "36.73.01"

    def test_a_kelurahan_outside_the_chosen_kecamatan_is_refused(self):
        result = check(district="36.73.02", village=CIPARE)
        assert "tidak berada di kecamatan yang dipilih" in result.errors["village"][0]

    @pytest.mark.parametrize(
        "raw", ["0812-3456-7890", "+62 812 3456 7890", "62812.3456.7890", "812 3456 7890"]
    )
    def test_phones_are_stored_in_e164(self, raw):
        assert check(phone=raw).data["phone"] == "+6281234567890"

    def test_the_family_number_must_be_someone_elses(self):
        result = check(phone="+62 857 1234 5678", emergency_phone="085712345678")
        assert "bukan nomor Anda sendiri" in result.errors["emergency_phone"][0]
        assert (
            "emergency_phone"
            not in check(phone="085712345678", emergency_phone="081311112222").errors
        )

    def test_a_landline_gets_its_own_message(self):
        assert "telepon rumah" in check(phone="0254 200123").errors["phone"][0]

    def test_a_number_that_is_not_an_indonesian_mobile_is_refused(self):
        assert "Nomor HP tidak valid" in check(phone="0812").errors["phone"][0]

    def test_the_kk_number_has_16_digits(self):
        assert check(kk_number="3673 0101 0120 0003").ok
        assert "Nomor KK harus 16 angka" in check(kk_number="367301010120").errors["kk_number"][0]

    def test_rt_and_rw_are_padded(self):
        result = check(rt="3", rw="12")
        assert (result.data["rt"], result.data["rw"]) == ("003", "012")


class TestOtherFields:
    def test_required_fields_say_so(self):
        result = candidate_data_check({"nik": ""}, today=TODAY, require=["nik", "full_name"])
        assert result.errors == {"nik": ["Wajib diisi."], "full_name": ["Wajib diisi."]}

    def test_names_are_tidied_and_digits_refused(self):
        assert check(full_name="  Siti   Rahmawati ").data["full_name"] == "Siti Rahmawati"
        assert check(full_name="  zainal   arifin  ").data["full_name"] == "Zainal Arifin"
        assert check(full_name="SITI NUR-HALIZA").data["full_name"] == "Siti Nur-Haliza"
        assert check(full_name="Muhammad bin Abdullah").data["full_name"] == (
            "Muhammad bin Abdullah"  # mixed case is left as typed
        )
        assert "hanya boleh berisi huruf" in check(full_name="Siti 2").errors["full_name"][0]

    def test_work_abroad_needs_a_country_and_years(self):
        assert "Isi negara" in check(prior_abroad_years=2).errors["prior_abroad_country"][0]
        result = check(prior_abroad_country="MY", prior_abroad_years=0)
        assert "berapa tahun" in result.errors["prior_abroad_years"][0]

    def test_only_the_programme_destinations_are_accepted(self):
        assert (
            "Korea Selatan, Jepang"
            in check(preferred_countries=["SA"]).errors["preferred_countries"][0]
        )

    def test_implausible_height_is_refused(self):
        assert "antara 100 dan 230" in check(height_cm=20).errors["height_cm"][0]


def test_nik_build_round_trips_through_the_rules():
    nik = nik_build(district_code="36.73.01", birth_date=datetime.date(1990, 2, 3), female=True)
    result = check(nik=nik, sex="P", birth_date=datetime.date(1990, 2, 3))
    assert result.ok and not result.warnings

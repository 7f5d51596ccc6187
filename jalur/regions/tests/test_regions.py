import pytest

from jalur.regions.models import District, HistoricalCode, Province, Regency, Village
from jalur.regions.selectors import (
    match_district,
    match_village,
    nik_prefix_known,
    nik_region_parts_known,
)


@pytest.mark.django_db
class TestReferenceData:
    def test_every_region_file_is_loaded(self):
        assert Province.objects.count() == 38
        assert Regency.objects.count() == 514
        assert District.objects.count() == 7285
        assert HistoricalCode.objects.count() == 620
        assert Village.objects.filter(district__regency_id="36.73").count() == 67

    def test_cibendung_exists_and_bps_spellings_are_aliases(self):
        assert Village.objects.get(code="36.73.06.1013").name == "Cibendung"
        assert match_village("kepuren") == match_village("Kapuren")

    def test_nik_prefixes_current_historical_and_old_kabupaten_serang(self):
        assert nik_prefix_known("367301")
        assert nik_prefix_known("910101")  # Merauke before the 2022 Papua split
        assert nik_prefix_known("360401")  # Kabupaten Serang, before Kota Serang was formed
        assert not nik_prefix_known("360400")
        assert not nik_prefix_known("367399")
        assert nik_region_parts_known("369901") == (True, False, False)

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("Cipocok Jaya", "36.73.05"),
            ("CIPOCOK JAYA", "36.73.05"),
            ("Kec. Cipocokjaya", "36.73.05"),
            ("Walantak", "36.73.03"),
        ],
    )
    def test_kecamatan_names_match_in_any_case_with_small_misspellings(self, text, code):
        assert match_district(text) == code

    def test_kelurahan_names_match_within_their_kecamatan(self):
        assert match_village("sumur pecung", "36.73.01") == "36.73.01.1003"
        assert match_village("Sumurpecung") == "36.73.01.1003"
        assert match_village("Cipare", "36.73.02") is None
        assert match_village("Tidak Ada Sama Sekali") is None

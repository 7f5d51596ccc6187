"""The city's, office's and programme's names: from settings when set, else from the region tables."""

import pytest

from jalur.regions import naming
from jalur.regions.models import Regency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    naming.clear_cache()
    yield
    naming.clear_cache()


def test_empty_settings_derive_every_name_from_the_home_region(settings):
    settings.JALUR_HOME_REGION = "36.73"
    settings.JALUR_PROGRAMME_NAME = ""
    settings.JALUR_OFFICE_NAME = ""
    assert naming.names() == {
        "region_name": "Kota Serang",
        "province_name": "Banten",
        "government_name": "Pemkot Serang",
        "office_name": "Disnakertrans Kota Serang",
        "programme_name": "Program Pekerja Migran Kota Serang",
    }


def test_set_names_win_over_the_derived_ones(settings):
    settings.JALUR_HOME_REGION = "36.02"
    settings.JALUR_PROGRAMME_NAME = "Lebak Kerja Resmi"
    settings.JALUR_OFFICE_NAME = "  Disnakertrans Lebak  "
    assert naming.programme_name() == "Lebak Kerja Resmi"
    assert naming.office_name() == "Disnakertrans Lebak"
    assert naming.home_region_name() == "Kabupaten Lebak"


def test_the_cache_follows_a_changed_home_region(settings):
    settings.JALUR_PROGRAMME_NAME = ""
    settings.JALUR_HOME_REGION = "36.73"
    assert naming.programme_name().endswith("Kota Serang")
    settings.JALUR_HOME_REGION = "36.02"
    assert naming.programme_name().endswith("Kabupaten Lebak")
    assert naming.government_name() == "Pemkab Lebak"


def test_a_name_stored_in_capitals_is_shown_in_title_case(settings):
    Regency.objects.filter(code="36.02").update(name="KABUPATEN  LEBAK")
    settings.JALUR_HOME_REGION = "36.02"
    assert naming.home_region_name() == "Kabupaten Lebak"


def test_jakartas_administrative_cities_get_the_short_government_name(settings):
    settings.JALUR_HOME_REGION = "31.71"
    assert naming.home_region_name().startswith("Kota Administrasi")
    assert naming.government_name().startswith("Pemkot Jakarta")


def test_an_unloaded_region_names_its_code_and_is_not_cached(settings):
    settings.JALUR_HOME_REGION = "99.99"
    settings.JALUR_OFFICE_NAME = ""
    assert naming.office_name() == "Disnakertrans 99.99"
    assert "99.99" not in naming._names

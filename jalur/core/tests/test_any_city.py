"""Jalur for any city: every public page, set up for Kabupaten Lebak, names Lebak and never Serang.

The public URLs come from the URL configuration (every view marked @public), so a new public page is
checked here without being listed; one that takes arguments must say below which ones to use.
"""

import re

import pytest
from django.urls import reverse

from jalur.candidates.models import ConsentText, Sex
from jalur.candidates.reference import candidates_reference_ensure
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.core.tests.test_access_matrix import ALL_VIEWS
from jalur.placement.tests.conftest import (  # noqa: F401 (fixtures)
    approved_order,
    caregiver,
    industrial,
    make_order,
    mou,
    p3mi,
    pks,
    ssw,
)
from jalur.regions import naming
from jalur.regions.models import District
from jalur.reports.services.refresh import stats_rebuild

pytestmark = pytest.mark.django_db

LEBAK = "36.02"
PUBLIC = sorted(name for name, p in ALL_VIEWS if getattr(p.callback, "access", None) == "public")
# Where the city is named in the page's own words, not only in the programme's name in the header.
NAMES_THE_CITY = {
    "placement:public_orders",
    "placement:public_order",
    "placement:public_agencies",
    "reports:public",
    "candidates:consent_text",
}


@pytest.fixture
def lebak(settings):
    settings.JALUR_HOME_REGION = LEBAK
    settings.JALUR_PROGRAMME_NAME = ""
    settings.JALUR_OFFICE_NAME = ""
    # A Lebak installation writes its consent text when its database is built.
    ConsentText.objects.all().delete()
    candidates_reference_ensure()
    yield
    naming.clear_cache()


@pytest.fixture
def public_data(lebak, approved_order, p3mi):  # noqa: F811
    # The agency's own address is data (the test factory's is in Serang); Lebak's P3MI is in Lebak.
    p3mi.address = "Jl. Multatuli No. 2, Rangkasbitung"
    p3mi.save(update_fields=["address"])
    order = approved_order()
    districts = list(District.objects.filter(regency_id=LEBAK).order_by("code")[:3])
    for district, count in zip(districts, (12, 7, 5), strict=True):
        CandidateFactory.create_batch(
            count, district_id=district.code, village_id=None, sex=Sex.MALE, stage=Stage.VERIFIED
        )
    stats_rebuild()
    return {"order": order}


def _kwargs(name: str, data: dict) -> dict:
    """Arguments for the public pages that take some (unknown numbers and tokens show the page's
    own "not found" text, which must not name another city either)."""
    return {
        "placement:public_order": {"pk": data["order"].pk},
        "training:certificate_verify": {"token": "tidak-ada"},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "protection:public_grievance_status": {"number": "PGD-0000-0000"},
        "protection:public_grievance_evidence": {"number": "PGD-0000-0000"},
        "placement:public_orders_data": {"fmt": "csv"},
        "placement:public_agencies_data": {"fmt": "csv"},
        "reports:public_data": {"fmt": "csv"},
    }.get(name, {})


def test_the_names_come_from_the_home_region(lebak):
    assert naming.home_region_name() == "Kabupaten Lebak"
    assert naming.office_name() == "Disnakertrans Kabupaten Lebak"
    assert naming.programme_name() == "Program Pekerja Migran Kabupaten Lebak"
    assert naming.government_name() == "Pemkab Lebak"


def test_every_public_page_names_lebak_and_never_serang(client, public_data):
    assert len(PUBLIC) > 15
    checked = []
    for name in PUBLIC:
        url = reverse(name, kwargs=_kwargs(name, public_data))
        response = client.get(url, follow=True)
        if response.status_code == 405:  # a form's target only (POST): it shows no page
            continue
        assert response.status_code in (200, 404), f"{name}: {response.status_code}"
        body = response.content.decode()
        found = re.search(r".{0,60}serang.{0,60}", body, flags=re.IGNORECASE | re.DOTALL)
        assert found is None, f"{name} ({url}) names Serang: …{found.group(0)}…"
        if response["Content-Type"].startswith("text/html"):
            assert "Lebak" in body, f"{name} ({url}) does not name the city"
            checked.append(name)
    assert set(checked) >= NAMES_THE_CITY


@pytest.mark.parametrize("name", sorted(NAMES_THE_CITY))
def test_the_city_is_named_in_the_page_text_not_only_in_the_header(client, public_data, name):
    url = reverse(name, kwargs=_kwargs(name, public_data))
    body = client.get(url).content.decode()
    main = body.split("<main", 1)[-1]
    assert "Lebak" in main, name


def test_every_public_view_with_arguments_is_given_some(public_data):
    missing = [
        name
        for name, p in ALL_VIEWS
        if name in PUBLIC and (p.pattern.converters or "<" in str(p.pattern))
        if not _kwargs(name, public_data)
    ]
    assert missing == [], f"public pages this test cannot open; add their arguments: {missing}"

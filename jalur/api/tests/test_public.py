"""The public endpoints answer what the public pages show, from the same selectors, to anyone."""

import datetime

import pytest
from django.utils import timezone

from jalur.candidates.models import Sex
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure.tests.conftest import make_agency, make_order
from jalur.placement.states import OrderStatus
from jalur.reports.selectors import public as reports
from jalur.reports.services.refresh import stats_rebuild
from jalur.reports.suppression import SECONDARY
from jalur.training.certificate_check import CERTIFICATE_MISSES_PER_HOUR
from jalur.training.models import Enrolment, EnrolmentStatus
from jalur.training.selectors import CompletionCheck, Rate
from jalur.training.services import certificate_issue
from jalur.training.tests.factories import CohortFactory, ProgrammeFactory, ProviderFactory

BASE = "/api/v1/public"


@pytest.fixture
def orders(agency, agency_b):
    """An open approved order of agency A, a draft of A and an approved one past its deadline."""
    p3mi = make_agency(agency)
    open_order = make_order(p3mi, reference="JO-BUKA")
    draft = make_order(p3mi, reference="JO-DRAF")
    draft.status = OrderStatus.DRAFT
    draft.save()
    past = make_order(p3mi, reference="JO-LEWAT")
    past.deadline = timezone.localdate() - datetime.timedelta(days=1)
    past.save()
    return open_order, draft, past


def test_the_register_lists_only_open_verified_orders(api_client, orders):
    open_order, draft, past = orders
    response = api_client().get(f"{BASE}/job-orders/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["id"], row["reference"]) == (open_order.pk, "JO-BUKA")
    assert row["agency"]["licence_number"] == open_order.agency.licence_number
    assert row["permit_number"] == open_order.permit.number
    assert api_client().get(f"{BASE}/job-orders/{open_order.pk}/").json()["reference"] == "JO-BUKA"
    for hidden in (draft, past):
        assert api_client().get(f"{BASE}/job-orders/{hidden.pk}/").status_code == 404


def test_the_register_filters_like_the_page(api_client, orders):
    open_order = orders[0]
    client = api_client()
    assert client.get(f"{BASE}/job-orders/", {"q": "jo-buka"}).json()["count"] == 1
    assert client.get(f"{BASE}/job-orders/", {"country": "KR"}).json()["count"] == 0
    assert client.get(f"{BASE}/job-orders/", {"job_type": "industrial"}).json()["count"] == 1
    assert open_order.job_type.code == "industrial"


def test_licensed_agencies_with_their_open_orders(api_client, orders, agency_b):
    make_agency(agency_b)
    body = api_client().get(f"{BASE}/agencies/").json()
    assert body["count"] == 2
    counts = {row["name"]: row["open_orders"] for row in body["items"]}
    assert counts == {"PT A": 1, "PT B": 0}
    assert api_client().get(f"{BASE}/agencies/", {"q": "PT B"}).json()["count"] == 1


def test_pages_are_bounded(api_client, orders):
    assert api_client().get(f"{BASE}/agencies/", {"limit": 201}).status_code == 422
    assert api_client().get(f"{BASE}/agencies/", {"offset": 2**40}).status_code == 422


@pytest.fixture
def certificate(provider, trainer):
    cohort = CohortFactory(
        provider=ProviderFactory(organisation=provider), programme=ProgrammeFactory(), capacity=3
    )
    enrolment = Enrolment.objects.create(
        cohort=cohort,
        candidate=CandidateFactory(stage=Stage.TRAINED, full_name="Siti Nurhaliza"),
        status=EnrolmentStatus.COMPLETED,
    )
    check = CompletionCheck((), Rate(3, 3, attended_seconds=3 * 4 * 3600))
    return certificate_issue(
        enrolment=enrolment, check=check, actor=trainer, on=timezone.localdate()
    )


def test_a_certificate_is_checked_by_its_number(api_client, certificate):
    response = api_client().get(f"{BASE}/certificates/{certificate.number.lower()}/")
    assert response.status_code == 200
    assert response.json() == {
        "holder_name": "Siti Nurhaliza",
        "programme_name": certificate.programme_name,
        "number": certificate.number,
        "valid": True,
    }


def test_twenty_unknown_numbers_then_the_address_waits_the_hour(api_client, certificate):
    client = api_client()
    head = certificate.number.rsplit("-", 1)[0]
    for guess in range(CERTIFICATE_MISSES_PER_HOUR):
        assert client.get(f"{BASE}/certificates/{head}-Z{guess:03d}/").status_code == 404
    refused = client.get(f"{BASE}/certificates/{certificate.number}/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600


def test_statistics_hide_small_cells_like_the_page(api_client):
    for district, count in (("36.73.01", 20), ("36.73.02", 9), ("36.73.03", 3)):
        CandidateFactory.create_batch(
            count, district_id=district, village_id=None, sex=Sex.MALE, stage=Stage.VERIFIED
        )
    CandidateFactory(district_id="36.73.01", village_id=None, sex=Sex.FEMALE)
    stats_rebuild()
    body = api_client().get(f"{BASE}/statistics/").json()
    tables = {table["key"]: table for table in body["tables"]}
    sexes = {cell["category"]: (cell["count"], cell["shown"]) for cell in tables["sex"]["cells"]}
    assert sexes == {"Laki-laki": (None, SECONDARY), "Perempuan": (None, "<5")}
    districts = {c["category"]: c for c in tables["district"]["cells"]}
    assert (districts["Serang"]["count"], districts["Serang"]["shown"]) == (21, "21")
    assert districts["Kasemen"]["count"] is None and districts["Walantaka"]["count"] is None
    assert tables["district"]["total"]["count"] == 33
    assert body["registered"] == {
        "category": "registered",
        "count": 33,
        "shown": "33",
        "suppressed": False,
    }
    # every hidden cell carries no number anywhere in the answer
    for table in body["tables"]:
        for cell in [*table["cells"], table["total"]]:
            assert (cell["count"] is None) == cell["suppressed"]
    # the same tables as the page, in its order
    page = reports.public_statistics()
    assert [t["title"] for t in body["tables"]] == [str(t["title"]) for t in page["tables"]]

"""Departure cases through the API: a P3MI reads its own cases with every checklist item and its
state, the office all of them; what stops a planned departure is the departure gate's words."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jalur.accounts.roles import Role
from jalur.departure import services
from jalur.departure.models import ChecklistItem, DepartureCase, ItemStatus
from jalur.departure.tests.conftest import accept, make_agency, make_order

URL = "/api/v1/departure-cases/"


@pytest.fixture
def case(agency, agent):
    return services.case_open(application=accept(make_order(make_agency(agency))), actor=agent)


@pytest.fixture
def case_b(agency_b, agent_b):
    return services.case_open(application=accept(make_order(make_agency(agency_b))), actor=agent_b)


def test_a_p3mi_reads_its_case_with_every_checklist_item(api_client, api_token, agency, case):
    item = case.items.order_by("pk").first()
    ChecklistItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.REJECTED, note="Foto paspor buram", data={"number": "X1234567"}
    )
    client = api_client(api_token(Role.AGENCY_STAFF, agency)[1])
    [row] = client.get(URL).json()["items"]
    assert row["id"] == case.pk
    assert row["items_total"] == case.items.count()
    assert row["items_sent_back"] == 1
    order = case.application.order
    assert row["job_order"] == {"id": order.pk, "name": order.reference}
    assert row["candidate"] == {"id": case.candidate_id, "name": case.candidate.full_name}
    detail = client.get(f"{URL}{case.pk}/").json()
    assert [i["code"] for i in detail["items"]] == list(
        case.items.order_by("id").values_list("code", flat=True)
    )
    sent_back = detail["items"][0]
    assert sent_back["status"] == {"code": "rejected", "label": "Perlu diperbaiki"}
    assert sent_back["note"] == "Foto paspor buram"
    assert sent_back["data"] == {"number": "X1234567"}
    assert detail["problems"] is None  # no departure date planned yet


def test_a_planned_departure_lists_what_stops_it(api_client, api_token, case):
    DepartureCase.objects.filter(pk=case.pk).update(
        planned_departure_on=timezone.localdate() + datetime.timedelta(days=21)
    )
    detail = api_client(api_token(Role.PROGRAMME_MANAGER)[1]).get(f"{URL}{case.pk}/").json()
    assert detail["problems"]
    assert all(isinstance(problem, str) and problem for problem in detail["problems"])


def test_a_p3mi_never_sees_another_agencys_case(api_client, api_token, agency, case, case_b):
    client = api_client(api_token(Role.AGENCY_STAFF, agency)[1])
    assert [row["id"] for row in client.get(URL).json()["items"]] == [case.pk]
    assert client.get(f"{URL}{case_b.pk}/").status_code == 404
    office = api_client(api_token(Role.LEADERSHIP)[1])
    assert {row["id"] for row in office.get(URL).json()["items"]} == {case.pk, case_b.pk}


def test_the_list_filters_by_status_and_item_state(api_client, api_token, case, case_b):
    ChecklistItem.objects.filter(case=case_b).update(status=ItemStatus.SUBMITTED)
    client = api_client(api_token(Role.PROGRAMME_MANAGER)[1])
    waiting = client.get(URL, {"item_status": "submitted"}).json()["items"]
    assert [row["id"] for row in waiting] == [case_b.pk]
    assert client.get(URL, {"status": "departed"}).json()["items"] == []
    refused = client.get(URL, {"item_status": "verified"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "item_status"


def test_a_page_of_cases_costs_the_same_queries_at_any_length(
    api_client, api_token, agency, agent, django_assert_max_num_queries
):
    order = make_order(make_agency(agency), positions=12, quota=20)
    for _ in range(6):
        services.case_open(application=accept(order), actor=agent)
    client = api_client(api_token(Role.PROGRAMME_MANAGER)[1])
    client.get(URL)  # the token's first call in its rate window writes its count: one more query
    with CaptureQueriesContext(connection) as short:
        assert len(client.get(URL, {"limit": 1}).json()["items"]) == 1
    with django_assert_max_num_queries(len(short)):
        assert len(client.get(URL, {"limit": 6}).json()["items"]) == 6

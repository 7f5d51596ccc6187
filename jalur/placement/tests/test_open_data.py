"""The public register as CSV and JSON: the orders and agencies of the public pages, with their
filters, and nothing personal."""

import csv
import io
import json

import pytest
from django.urls import reverse

from jalur.placement import services
from jalur.placement.open_data import AGENCY_COLUMNS, ORDER_COLUMNS

from .conftest import days

pytestmark = pytest.mark.django_db


def download(client, name, fmt, **query):
    response = client.get(reverse(f"placement:{name}", args=[fmt]), query)
    assert response.status_code == 200
    if fmt == "json":
        return json.loads(response.content)
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_orders_download_lists_the_orders_the_page_lists(
    client, approved_order, make_order, agent
):
    shown = approved_order(
        position_title="Operator pabrik plastik",
        costs=[{"item": "ticket", "description": "PP", "amount": 9_000_000, "paid_by": "employer"}],
    )
    other = approved_order(position_title="Perawat lansia")
    make_order(position_title="Lowongan rahasia", sip2mi_number="SIP2MI/9")  # a draft
    rows = download(client, "public_orders_data", "csv")
    assert list(rows[0]) == ORDER_COLUMNS
    assert sorted(r["reference"] for r in rows) == sorted([shown.reference, other.reference])
    row = next(r for r in rows if r["reference"] == shown.reference)
    assert row["permit_number"] == shown.permit.number and row["agency"] == shown.agency.name
    assert row["costs"] == "ticket:employer:9000000"
    assert row["url"] == reverse("placement:public_order", args=[shown.pk])
    # the page's search narrows the file the same way
    found = download(client, "public_orders_data", "json", q="plastik")
    assert [r["reference"] for r in found["rows"]] == [shown.reference]
    assert found["columns"] == ORDER_COLUMNS


def test_an_order_past_its_deadline_is_not_in_the_file(client, approved_order):
    order = approved_order()
    type(order).objects.filter(pk=order.pk).update(deadline=days(-1))
    assert download(client, "public_orders_data", "json")["rows"] == []


def test_the_agencies_download_has_only_active_licensed_agencies_and_no_contact_person(
    client, p3mi, p3mi_b, pks, manager
):
    services.agency_suspend(actor=manager, agency=p3mi_b, starts_on=days(-1), reason="Audit")
    rows = download(client, "public_agencies_data", "csv")
    assert list(rows[0]) == AGENCY_COLUMNS
    assert [r["name"] for r in rows] == [p3mi.name]
    assert rows[0]["agreements"] == pks.number and rows[0]["licence_number"] == p3mi.licence_number
    body = client.get(reverse("placement:public_agencies_data", args=["json"])).content.decode()
    assert p3mi.contact_name not in body and p3mi_b.name not in body


def test_the_public_pages_link_their_downloads(client, approved_order):
    approved_order()
    orders = client.get(reverse("placement:public_orders"), {"q": "x"}).content.decode()
    assert reverse("placement:public_orders_data", args=["csv"]) + "?q=x&" in orders
    agencies = client.get(reverse("placement:public_agencies")).content.decode()
    assert reverse("placement:public_agencies_data", args=["json"]) in agencies
    assert client.get(reverse("placement:public_agencies_data", args=["pdf"])).status_code == 404

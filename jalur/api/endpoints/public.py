"""What anyone may read without a token, the same as the public pages: the register of verified job
orders and licensed agencies, the certificate check, and the statistics (small counts hidden).
No personal data; rate-limited per client address."""

import datetime
import time
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import Throttled
from ninja.pagination import paginate

from jalur.core.network import client_ip
from jalur.placement import selectors as placement
from jalur.placement.open_data import agency_fields, order_fields
from jalur.reports.selectors import public as reports
from jalur.reports.services.refresh import stats_refresh_if_stale
from jalur.training.certificate_check import (
    certificate_by_number,
    count_miss,
    misses_used_up,
    public_certificate,
)

from ..pagination import Pages

router = Router(auth=None)


class Cost(Schema):
    item: str
    item_label: str
    description: str
    amount_idr: Decimal
    paid_by: str


class Agency(Schema):
    id: int
    name: str
    licence_number: str
    licence_valid_until: datetime.date
    apjati_number: str
    address: str
    phone: str


class AgencyEntry(Agency):
    agreements: list[str]
    open_orders: int


class JobOrder(Schema):
    id: int
    reference: str
    agency: Agency
    permit_number: str | None
    employer_name: str
    employer_country: str
    employer_city: str
    employer_sector: str
    pathway: str
    job_type: str
    position_title: str
    positions: int
    description: str
    min_age: int | None
    max_age: int | None
    sex: str
    min_education: str
    wage_amount: Decimal
    wage_currency: str
    wage_period: str
    hours_per_week: int
    contract_months: int
    benefits: str
    deadline: datetime.date
    costs: list[Cost]


class OrderFilters(Schema):
    q: str = ""
    country: str = ""
    job_type: str = ""


def _agency(agency) -> dict:
    return {"id": agency.pk, **agency_fields(agency)}


def _order(order) -> dict:
    return {
        "id": order.pk,
        **order_fields(order),
        "agency": _agency(order.agency),
        "permit_number": order.permit.number if order.permit else None,
        "pathway": order.pathway.name,
        "description": order.description,
        "benefits": order.benefits,
        "costs": [
            {
                "item": cost.item,
                "item_label": cost.get_item_display(),
                "description": cost.description,
                "amount_idr": cost.amount,
                "paid_by": cost.paid_by,
            }
            for cost in order.costs.all()
        ],
    }


class _Rows:
    """A queryset whose rows are turned into plain dicts as a page of it is taken."""

    def __init__(self, queryset, shape):
        self.queryset, self.shape = queryset, shape

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice):
        return [self.shape(row) for row in self.queryset[page]]


@router.get("/job-orders/", response=list[JobOrder], summary="Verified job orders still open")
@paginate(Pages)
def job_orders(request, filters: Query[OrderFilters]):
    """The public register: orders the office approved whose deadline has not passed, soonest
    deadline first. `q` matches the order or permit number exactly, or the employer, position or
    agency by part of the name; `country` is a two-letter code, `job_type` a job type's code."""
    rows = placement.public_orders(
        q=filters.q.strip()[:100],
        country=filters.country.strip()[:2],
        job_type=filters.job_type.strip()[:50],
    )
    return _Rows(rows, _order)


@router.get("/job-orders/{int:order_id}/", response=JobOrder, summary="One verified job order")
def job_order(request, order_id: int):
    order = placement.public_order(order_id)
    if order is None:
        raise Http404
    return _order(order)


@router.get("/agencies/", response=list[AgencyEntry], summary="Licensed placement agencies")
@paginate(Pages)
def agencies(request, q: str = ""):
    """Agencies whose SIP3MI is valid and not suspended today, with their agreements (PKS) in force
    and how many orders they have open; `q` matches the name in part or the licence number."""
    rows = placement.public_agencies(q=q.strip()[:100])
    return _Rows(
        rows,
        lambda agency: {
            **_agency(agency),
            "agreements": [agreement.number for agreement in agency.active_agreements],
            "open_orders": agency.open_orders,
        },
    )


class CertificateCheck(Schema):
    holder_name: str
    programme_name: str
    number: str
    valid: bool = Field(description="False: the certificate was revoked")


@router.get(
    "/certificates/{number}/", response=CertificateCheck, summary="Check a training certificate"
)
def certificate(request, number: str):
    """The same check as the page the certificate's QR code opens: the holder's name, the
    programme and whether it is still valid. Numbers that are not found count per address; after
    20 in an hour the address is refused (429) until the hour ends."""
    address = client_ip(request)
    if misses_used_up(address):
        raise Throttled(wait=_seconds_left_in_hour())
    found = public_certificate(certificate_by_number(number[:40]))
    if found is None:
        count_miss(address)
        raise Http404
    return found


def _seconds_left_in_hour() -> int:
    return max(1, 3600 - int(time.time()) % 3600)


class Cell(Schema):
    category: str
    count: int | None = Field(description="Null when hidden; `shown` says what stands in its place")
    shown: str
    suppressed: bool


class StatisticsTable(Schema):
    key: str
    title: str
    cells: list[Cell]
    total: Cell


class Statistics(Schema):
    on: datetime.date
    target: int
    registered: Cell
    departed: Cell
    tables: list[StatisticsTable]


# The public page's tables in their order (reports.selectors.public.public_statistics), by a stable key.
STATISTICS_TABLES = ("stage", *reports.PUBLIC_BREAKDOWNS, "departures_by_month")


def _cell(category, n, shown, suppressed) -> dict:
    return {
        "category": str(category),
        "count": None if suppressed else n,
        "shown": str(shown),
        "suppressed": suppressed,
    }


def _headline(category: str, value) -> dict:
    hidden = not isinstance(value, int)
    return _cell(category, None if hidden else value, value, hidden)


@router.get(
    "/statistics/", response=Statistics, summary="Programme statistics, small counts hidden"
)
def statistics(request):
    """The figures of the public statistics page, with the same small-cell suppression: a count
    under 5, and any count from which a hidden one could be worked out, has no number, only what
    the page shows in its place."""
    stats_refresh_if_stale()
    figures = reports.public_statistics()
    return {
        "on": figures["on"],
        "target": figures["target"],
        "registered": _headline("registered", figures["total"]),
        "departed": _headline("departed", figures["departed"]),
        "tables": [
            {
                "key": key,
                "title": str(item["title"]),
                "cells": [_cell(c.label, c.n, c.shown, c.suppressed) for c in item["table"].cells],
                "total": _cell(
                    "total",
                    item["table"].total,
                    item["table"].total_shown,
                    item["table"].total_suppressed,
                ),
            }
            for key, item in zip(STATISTICS_TABLES, figures["tables"], strict=True)
        ],
    }

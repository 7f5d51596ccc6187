"""What anyone may read without a token, the same as the public pages: the register of verified job
orders and licensed agencies, the certificate check, and the statistics (small counts hidden).
No personal data; rate-limited per client address."""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from jalur.placement import selectors as placement

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
    return {
        "id": agency.pk,
        "name": agency.name,
        "licence_number": agency.licence_number,
        "licence_valid_until": agency.licence_valid_until,
        "apjati_number": agency.apjati_number or "",
        "address": agency.address,
        "phone": agency.phone,
    }


def _order(order) -> dict:
    return {
        "id": order.pk,
        "reference": order.reference,
        "agency": _agency(order.agency),
        "permit_number": order.permit.number if order.permit else None,
        "employer_name": order.employer_name,
        "employer_country": order.employer_country,
        "employer_city": order.employer_city,
        "employer_sector": order.employer_sector,
        "pathway": order.pathway.name,
        "job_type": order.job_type.code,
        "position_title": order.position_title,
        "positions": order.positions,
        "description": order.description,
        "min_age": order.min_age,
        "max_age": order.max_age,
        "sex": order.sex or "",
        "min_education": order.min_education or "",
        "wage_amount": order.wage_amount,
        "wage_currency": order.wage_currency,
        "wage_period": order.wage_period,
        "hours_per_week": order.hours_per_week,
        "contract_months": order.contract_months,
        "benefits": order.benefits,
        "deadline": order.deadline,
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

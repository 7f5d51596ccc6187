"""The public register as open data records: verified job orders still open and licensed agencies,
one flat record each, read from the same selectors as the public pages (no personal data)."""

import datetime

from django.urls import reverse

from . import selectors

ORDER_COLUMNS = [
    "reference",
    "agency",
    "agency_licence_number",
    "permit_number",
    "attache_status",
    "employer_name",
    "employer_country",
    "employer_city",
    "employer_sector",
    "pathway",
    "job_type",
    "position_title",
    "positions",
    "min_age",
    "max_age",
    "sex",
    "min_education",
    "wage_amount",
    "wage_currency",
    "wage_period",
    "hours_per_week",
    "contract_months",
    "deadline",
    "costs",
    "url",
]
AGENCY_COLUMNS = [
    "name",
    "licence_number",
    "licence_valid_until",
    "apjati_number",
    "address",
    "phone",
    "agreements",
    "open_orders",
]


def order_fields(order) -> dict:
    """The fields of a public order that every published form of it carries (the open data
    downloads and the REST API's public register), each adding its own around them."""
    return {
        "reference": order.reference,
        "employer_name": order.employer_name,
        "employer_country": order.employer_country,
        "employer_city": order.employer_city,
        "employer_sector": order.employer_sector,
        "job_type": order.job_type.code,
        "position_title": order.position_title,
        "positions": order.positions,
        "min_age": order.min_age,
        "max_age": order.max_age,
        "sex": order.sex or "",
        "min_education": order.min_education or "",
        "wage_amount": order.wage_amount,
        "wage_currency": order.wage_currency,
        "wage_period": order.wage_period,
        "hours_per_week": order.hours_per_week,
        "contract_months": order.contract_months,
        "deadline": order.deadline,
    }


def agency_fields(agency) -> dict:
    """The fields of a public agency that the downloads and the REST API both publish."""
    return {
        "name": agency.name,
        "licence_number": agency.licence_number,
        "licence_valid_until": agency.licence_valid_until,
        "apjati_number": agency.apjati_number or "",
        "address": agency.address,
        "phone": agency.phone,
    }


def _in_order(record: dict, columns: list[str]) -> dict:
    return {column: record[column] for column in columns}


def order_records(*, q="", country="", job_type="", on: datetime.date) -> list[dict]:
    """One record per order of `selectors.public_orders` (the same filters as the page)."""
    return [
        _in_order(
            {
                **order_fields(order),
                "agency": order.agency.name,
                "agency_licence_number": order.agency.licence_number,
                "permit_number": order.permit.number if order.permit else "",
                "attache_status": order.attache_status,
                "pathway": order.pathway.code,
                "costs": [
                    f"{cost.item}:{cost.paid_by}:{cost.amount}" for cost in order.costs.all()
                ],
                "url": reverse("placement:public_order", args=[order.pk]),
            },
            ORDER_COLUMNS,
        )
        for order in selectors.public_orders(q=q, country=country, job_type=job_type, on=on)
    ]


def agency_records(*, q="", on: datetime.date) -> list[dict]:
    """One record per agency of `selectors.public_agencies` (licensed and not suspended on `on`)."""
    return [
        {
            **agency_fields(agency),
            "agreements": [agreement.number for agreement in agency.active_agreements],
            "open_orders": agency.open_orders,
        }
        for agency in selectors.public_agencies(q=q, on=on)
    ]

"""Months and the filters of a report: a period of months, a place, a pathway."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after `day`'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def month_points(points: list[tuple[datetime.date, int]]) -> list[tuple[str, int, str]]:
    """Chart points: the month's abbreviation, its count, and the year under January and the first."""
    return [
        (MONTH_ABBR[m.month - 1], n, str(m.year) if i == 0 or m.month == 1 else "")
        for i, (m, n) in enumerate(points)
    ]


def month_name(month: datetime.date) -> str:
    names = [
        _("Januari"),
        _("Februari"),
        _("Maret"),
        _("April"),
        _("Mei"),
        _("Juni"),
        _("Juli"),
        _("Agustus"),
        _("September"),
        _("Oktober"),
        _("November"),
        _("Desember"),
    ]
    return f"{names[month.month - 1]} {month.year}"


@dataclass(frozen=True)
class Filters:
    """Period (whole months, both ends included), destination and job type.

    country: "" every destination, "-" not known yet, else a Country code.
    job_type: "" every job type, "-" not known yet, else a JobType pk (as text).
    """

    start: datetime.date
    end: datetime.date
    country: str = ""
    job_type: str = ""

    def where(self) -> dict:
        where = {}
        if self.country:
            where["country"] = "" if self.country == "-" else self.country
        if self.job_type:
            where["job_type_id"] = 0 if self.job_type == "-" else int(self.job_type)
        return where

    @property
    def last_day(self) -> datetime.date:
        return month_end(self.end)


def _in_period(queryset: QuerySet, filters: Filters, field: str = "month") -> QuerySet:
    return queryset.filter(
        **{f"{field}__gte": filters.start, f"{field}__lte": filters.last_day}, **filters.where()
    )

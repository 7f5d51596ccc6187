"""Cursor pages for the API's lists: newest record first (by id), `limit` rows a page and a
`next_cursor` for the page after it: the id of the last row sent.

A cursor names the last row sent, not a position, so a page deep in a list of 100,000 is one index
range scan like the first (an OFFSET would read and throw away every row before it), and a row
added while an integrator walks the list never shifts a page: nothing is missed or sent twice.
Pages cost the same fixed number of queries however deep they are.
"""

import datetime
import re
from collections.abc import Callable
from typing import Annotated

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_ID = 2**63 - 1
_NUMBER = re.compile(r"\s*[+-]?\d+(\.\d*)?\s*")


def _not_a_number(value):
    """pydantic reads "0.5" as a Unix time; the schema says ISO 8601, so a bare number is refused."""
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        raise ValueError("not ISO 8601")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_not_a_number)]


def _in_utc(value: datetime.datetime) -> datetime.datetime:
    """An offset ISO 8601 allows but PostgreSQL refuses (beyond +-15:59, e.g. +20:56) is taken to
    UTC first, so any time the schema accepts is a time the database can compare."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError as error:  # before 0001-01-01 in UTC
        raise ValueError("out of range") from error


IsoDateTime = Annotated[datetime.datetime, BeforeValidator(_not_a_number), AfterValidator(_in_utc)]


class PageQuery(Schema):
    """The query parameters every list takes."""

    cursor: int | None = Field(
        None, ge=1, le=MAX_ID, description="next_cursor of the page before; none: the first"
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page (1 to 200)")


def page(queryset: QuerySet, query: PageQuery) -> tuple[list, int | None]:
    """One page of `queryset` (newest id first) after `query.cursor`, and the cursor of the next
    page (None on the last). One query: it asks for one row more than it sends to know whether
    there is a next page, and no COUNT."""
    limit = query.limit
    rows = queryset.order_by("-pk")
    if query.cursor:
        rows = rows.filter(pk__lt=query.cursor)
    found = list(rows[: limit + 1])
    if len(found) > limit:
        return found[:limit], found[limit - 1].pk
    return found, None


def page_of(queryset: QuerySet, query: PageQuery, row: Callable) -> dict:
    """The answer of a list: one page of `queryset`, each record shaped by `row`, and the cursor
    of the page after it."""
    found, next_cursor = page(queryset, query)
    return {"items": [row(record) for record in found], "next_cursor": next_cursor}

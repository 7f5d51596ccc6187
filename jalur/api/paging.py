"""Cursor pages for the API's lists: newest record first (by id), `limit` rows a page and an
opaque `next_cursor` for the page after it.

A cursor names the last row sent, not a position, so a page deep in a list of 100,000 is one index
range scan like the first (an OFFSET would read and throw away every row before it), and a row
added while an integrator walks the list never shifts a page: nothing is missed or sent twice.
Pages cost the same fixed number of queries however deep they are.
"""

import base64
import binascii

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_PREFIX = "id:"


class PageQuery(Schema):
    """The query parameters every list takes."""

    cursor: str | None = Field(None, description="next_cursor of the page before; none: the first")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page (1 to 200)")


def cursor_encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{pk}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    """The id a cursor names; a cursor this API did not give is refused naming the field."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
        raise ValidationError(
            {"cursor": _("Kursor tidak dikenal. Pakai next_cursor dari halaman sebelumnya.")}
        )
    return int(text[len(_PREFIX) :])


def page(queryset: QuerySet, query: PageQuery) -> tuple[list, str | None]:
    """One page of `queryset` (newest id first) after `query.cursor`, and the cursor of the next
    page (None on the last). One query: it asks for one row more than it sends to know whether
    there is a next page, and no COUNT."""
    limit = query.limit
    rows = queryset.order_by("-pk")
    if query.cursor:
        rows = rows.filter(pk__lt=cursor_decode(query.cursor))
    found = list(rows[: limit + 1])
    if len(found) > limit:
        return found[:limit], cursor_encode(found[limit - 1].pk)
    return found, None

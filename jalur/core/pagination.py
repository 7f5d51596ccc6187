"""Keyset pagination for staff lists: the thousandth page costs what the first one does.

An offset page (`LIMIT 30 OFFSET 29970`) makes the database read and throw away every row before
it, and "page n of N" needs a `COUNT(*)` over the whole filtered table; both grow with the table.
A keyset page remembers the sort key of the row at its edge and asks for the rows after (or before)
it, which an index on the leading key answers by reading little more than the page's own rows. The
cursor travels in the link (`?page=…`), so a list keeps its filters and has first, previous and
next, but no jump to page n and no total (a list that shows a total takes it from a summary table).

A row added or removed between two clicks never makes the next page repeat or skip a row, as an
offset does. The order must end with a unique key (`pk`), and its keys must not be NULL (annotate a
`Coalesce` for a nullable column).
"""

import base64
import binascii
import datetime
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

NEXT, PREVIOUS = "n", "p"


@dataclass(frozen=True)
class Key:
    name: str
    descending: bool

    def value(self, row):
        if isinstance(row, dict):
            return row[self.name]
        return reduce(getattr, self.name.split("__"), row)


def _keys(order: Sequence[str]) -> list[Key]:
    keys = [Key(o.lstrip("-"), o.startswith("-")) for o in order]
    if not keys or keys[-1].name not in ("pk", "id"):
        raise ValueError("a keyset order must end with the primary key")
    return keys


def _beyond(keys: list[Key], values: list, *, backwards: bool) -> Q:
    """Rows strictly past `values` in the order of `keys` (before them when `backwards`).

    (a, b, c) > (x, y, z) is written a >= x AND (a > x OR (a = x AND (b > y OR ...))), so the
    database can start an index range scan at x instead of filtering the whole table.
    """

    def past(key: Key) -> str:
        return "lt" if key.descending != backwards else "gt"

    condition = Q(**{f"{keys[-1].name}__{past(keys[-1])}": values[-1]})
    for key, value in zip(reversed(keys[:-1]), reversed(values[:-1]), strict=True):
        condition = Q(**{f"{key.name}__{past(key)}": value}) | (Q(**{key.name: value}) & condition)
    first = keys[0]
    if len(keys) > 1:
        condition &= Q(**{f"{first.name}__{past(first)}e": values[0]})
    return condition


def _plain(value):
    # isoformat keeps microseconds (DjangoJSONEncoder cuts them to milliseconds, which would
    # make a timestamp key skip or repeat rows)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be a keyset key")


def _encode(direction: str, number: int, values: list) -> str:
    raw = json.dumps([direction, number, values], default=_plain, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, width: int) -> tuple[str, int, list] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, number, values = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        return None
    if direction not in (NEXT, PREVIOUS) or not isinstance(number, int) or number < 2:
        return None
    if not isinstance(values, list) or len(values) != width:
        return None
    if not all(isinstance(v, str | int | float) for v in values):
        return None
    return direction, number, values


def cursor_after(row, *, order: Sequence[str], number: int) -> str:
    """The `?page=` value of page `number`, the page that starts after `row` in `order`."""
    keys = _keys(order)
    return _encode(NEXT, number, [k.value(row) for k in keys])


@dataclass
class KeysetPage:
    """One page of rows with the links around it; reads like a Django `Page` in templates."""

    object_list: list
    number: int
    has_next: bool
    has_previous: bool
    next_url: str = ""
    previous_url: str = ""
    first_url: str = ""

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def __bool__(self) -> bool:
        return bool(self.object_list)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _fetch(queryset: QuerySet, keys: list[Key], size: int, cursor) -> tuple[list, bool, str, int]:
    """(rows in list order, whether more lie beyond them, direction, page number)."""
    order = [("-" if k.descending else "") + k.name for k in keys]
    if cursor is None:
        rows = list(queryset.order_by(*order)[: size + 1])
        return rows, len(rows) > size, NEXT, 1
    direction, number, values = cursor
    backwards = direction == PREVIOUS
    if backwards:
        order = [o[1:] if o.startswith("-") else f"-{o}" for o in order]
    rows = list(
        queryset.filter(_beyond(keys, values, backwards=backwards)).order_by(*order)[: size + 1]
    )
    return rows, len(rows) > size, direction, number


def keyset_page(
    request, queryset: QuerySet, *, order: Sequence[str], size: int, param: str = "page"
) -> KeysetPage:
    """The page of `queryset` in `order` that the request's `param` points at (the first without).

    A cursor that was tampered with, or points past a row type it cannot compare, shows the first
    page rather than an error.
    """
    keys = _keys(order)
    cursor = _decode(request.GET.get(param, ""), len(keys))
    try:
        rows, more, direction, number = _fetch(queryset, keys, size, cursor)
    except (ValidationError, ValueError, TypeError):
        rows, more, direction, number = _fetch(queryset, keys, size, None)
    rows = rows[:size]
    if direction == PREVIOUS:
        rows.reverse()
        if not more:
            # back at the start: show a full first page (rows may have gone meanwhile)
            rows, more, direction, number = _fetch(queryset, keys, size, None)
            rows = rows[:size]
        has_previous, has_next = more, True
    else:
        has_previous, has_next = number > 1, more
    number = max(number, 2) if has_previous else 1

    def url(cursor: str | None) -> str:
        query = request.GET.copy()
        query.pop(param, None)
        if cursor:
            query[param] = cursor
        return f"?{query.urlencode()}" if query else "?"

    def edge(row, direction: str, number: int) -> str:
        return url(_encode(direction, number, [k.value(row) for k in keys]))

    return KeysetPage(
        object_list=rows,
        number=number,
        has_next=has_next,
        has_previous=has_previous,
        next_url=edge(rows[-1], NEXT, number + 1) if has_next and rows else "",
        previous_url=(
            (edge(rows[0], PREVIOUS, number - 1) if number > 2 else url(None))
            if has_previous and rows
            else (url(None) if has_previous else "")
        ),
        first_url=url(None),
    )


def count_for_page(rows, related: QuerySet, *, by: str, **counts: Q) -> None:
    """Set each named count on the page's rows, counting `related` rows of those rows only.

    `count_for_page(page, Enrolment.objects, by="cohort_id", waiting=Q(status="waiting"))` costs
    one query over the page's own children, where annotating the list would count the children of
    every row in the table before the page is cut.
    """
    ids = [row.pk for row in rows]
    # COUNT(by), not COUNT(pk): `by` is never NULL in these rows, and a query that reads only `by`
    # and the filters' columns can be answered from an index on them alone (index-only scan), where
    # the primary key would make the database visit every counted row in the table
    found = {
        r[by]: r
        for r in related.filter(**{f"{by}__in": ids})
        .order_by()
        .values(by)
        .annotate(**{name: Count(by, filter=q) for name, q in counts.items()})
    }
    for row in rows:
        for name in counts:
            setattr(row, name, found.get(row.pk, {}).get(name, 0))


def bounded_count(queryset: QuerySet, *, cap: int) -> tuple[int, bool]:
    """(rows, whether there are more than `cap`): a count that stops reading after `cap` rows.

    A list's "n people" line costs the whole filtered table in `COUNT(*)`; past a thousand the
    exact figure helps nobody deciding whom to call first, and the dashboard has the totals.
    """
    # kept in the list's order, so the database reads the rows along the list's own index and
    # stops at the cap (unordered, it may choose to join whole tables first)
    n = queryset.values("pk")[: cap + 1].count()
    return min(n, cap), n > cap

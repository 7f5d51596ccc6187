"""The changes feed, `/api/v1/changes/?after=CURSOR&limit=N`: see jalur.api.feed and docs/api.md."""

import datetime

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from ..auth import TokenAuth
from ..feed import CURSOR_PATTERN, MAX_LIMIT, OBJECT_TYPES, Cursor, changes_after

router = Router(auth=TokenAuth())


class Event(Schema):
    cursor: str = Field(description="This event's position; `after` it to continue from here")
    time: datetime.datetime
    object_type: str = Field(description="One of: " + ", ".join(OBJECT_TYPES))
    object_id: str | None = Field(description="Null when the part the event is about is gone")
    action: str = Field(description="What was done, e.g. job_order.submit")
    detail_type: str | None = Field(description="The part of the object changed, if any")
    detail_id: str | None
    fields: list[str] = Field(description="Names of the fields changed (no values)")


class Page(Schema):
    events: list[Event]
    next: str = Field(description="Ask with after=next for what comes later (same when none yet)")
    has_more: bool


class Params(Schema):
    after: str | None = Field(
        None, pattern=CURSOR_PATTERN, description="The `next` of the previous page; none: the start"
    )
    limit: int = Field(100, ge=1, le=MAX_LIMIT)


@router.get("/", response=Page, summary="Changes after a cursor, in commit order")
def changes(request, params: Query[Params]):
    """Events of the objects this token may follow, oldest first. Start without `after`; keep the
    `next` of each page and ask again with it. A change is served once every transaction that
    began before it has ended, so events never appear behind a cursor already passed."""
    after = Cursor.parse(params.after) if params.after else None
    try:
        page = changes_after(request.user, after=after, limit=params.limit)
    except PermissionError:
        raise PermissionDenied from None
    return page

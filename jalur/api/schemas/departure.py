"""Departure cases: the pre-departure checklist of an accepted offer, item by item."""

import datetime

from ninja import Field

from .common import Coded, Named, Out


class ChecklistItemOut(Out):
    code: str
    label: str
    status: Coded
    data: dict = Field(description="what was filled in, as stored (dates in ISO 8601)")
    has_document: bool
    valid_until: datetime.date | None
    submitted_at: datetime.datetime | None
    checked_at: datetime.datetime | None
    note: str = Field(description="the office's note when it sent the item back")


class DepartureCaseOut(Out):
    id: int
    status: Coded
    candidate: Named
    agency: Named
    application_id: int
    job_order: Named = Field(description="by id and reference")
    planned_departure_on: datetime.date | None
    departed_on: datetime.date | None
    group_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    items_total: int
    items_verified: int
    items_waiting: int
    items_sent_back: int


class DepartureCaseDetail(DepartureCaseOut):
    ended_reason: str
    items: list[ChecklistItemOut]
    problems: list[str] | None = Field(
        None,
        description="what stops the planned departure, by rules.departure; null before a "
        "departure date is planned",
    )


class DepartureCasePage(Out):
    items: list[DepartureCaseOut]
    next_cursor: int | None = None

"""Grievances: filing one for a person, and following it through the Perban 23/2025 workflow."""

import datetime
import uuid

from ninja import Field, Schema

from jalur.pathways.models import Country
from jalur.protection.models import GrievanceCategory, ReporterKind

from .common import Coded, Named, Out
from .placement import TEXT


class GrievanceIn(Schema):
    """What the office's complaint form asks (an office token), or the public complaint form (a
    P3MI token, which files for the worker or family who came to it: their name, relation to the
    worker and phone, so the office can reach them; the case concerns the P3MI itself). Required:
    reporter_name, category, description, worker_name; for a P3MI token also reporter_relation
    and reporter_phone; for a family reporter the phone. `submission` is the caller's id for this
    filing: sent again, it answers 200 with the case it opened the first time."""

    reporter_kind: ReporterKind | None = Field(None, description="office token only")
    reporter_name: str = Field(max_length=200, pattern=TEXT)
    reporter_relation: str = Field("", max_length=50)
    reporter_phone: str = Field("", max_length=24, description="mobile, any country (+82 10-…)")
    worker_name: str = Field(max_length=200, pattern=TEXT)
    worker_country: Country | None = None
    agency: int | None = Field(
        None, ge=1, le=2**31 - 1, description="office token only: the P3MI's organisation id"
    )
    category: GrievanceCategory
    description: str = Field(max_length=5000, pattern=TEXT)
    submission: uuid.UUID | None = None


class StandingOut(Out):
    """Whose turn it is and whether they are late (rules.grievances.standing)."""

    code: str = Field(description="agency_waiting, agency_late, office_waiting, office_late or ''")
    turn: str = Field(description="agency, office, or '' once closed")
    due_at: datetime.datetime | None
    late: bool
    agency_due_at: datetime.datetime | None
    agency_answered_at: datetime.datetime | None
    agency_answered_late: bool


class GrievanceEventOut(Out):
    kind: Coded
    created_at: datetime.datetime
    from_status: str
    to_status: str
    text: str
    actor: str
    public: bool = Field(description="shown to the reporter too")


class GrievanceOut(Out):
    id: int
    number: str
    status: Coded
    category: Coded
    worker_name: str
    worker_country: str
    agency: Named | None
    reporter_kind: Coded
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    standing: StandingOut


class GrievanceDetail(GrievanceOut):
    description: str
    reporter_name: str
    reporter_relation: str
    reporter_phone: str | None = Field(None, description="the office only, as on the web")
    assigned_to: str
    documents_requested: str
    documents_requested_at: datetime.datetime | None
    documents_received_at: datetime.datetime | None
    closing_reason: Coded | None
    outcome: str
    events: list[GrievanceEventOut]


class GrievanceCreated(GrievanceDetail):
    secret: str | None = Field(
        None,
        description="the follow-up code for the public status page, shown once (null when the "
        "same filing was sent before)",
    )


class GrievancePage(Out):
    items: list[GrievanceOut]
    next_cursor: int | None = None

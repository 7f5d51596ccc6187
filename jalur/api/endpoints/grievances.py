"""Grievances: an integrator files one for a person (workers have no tokens) and follows it. The
office's system files as the office's complaint form does (`protection.manage`); a P3MI's system
files as the public complaint form does, for the worker or family who came to it, about itself
(`protection.respond`). Both open the case through `services.grievance_open`, as the web; the
P3MI sees its own cases, the office all, and each sees the timeline it sees on the web."""

from typing import Literal

from ninja import Query, Router, Status

from jalur.accounts.roles import Role, can
from jalur.audit.services import audit_read
from jalur.protection import services
from jalur.protection.forms import PublicGrievanceForm, StaffGrievanceForm
from jalur.protection.models import Grievance, GrievanceStatus, ReporterKind
from jalur.protection.selectors import access_grievance, grievance_events_for, grievance_list
from jalur.rules import grievances as rules

from ..auth import TokenAuth
from ..checks import require
from ..inputs import form_check
from ..paging import PageQuery, page_of
from ..schemas.common import choice, coded
from ..schemas.grievances import GrievanceCreated, GrievanceDetail, GrievanceIn, GrievancePage

router = Router(auth=TokenAuth(), tags=["grievances"])

LATE = {"agency": rules.Party.AGENCY, "office": rules.Party.OFFICE}


class GrievanceFilters(PageQuery):
    status: Literal[("open", *GrievanceStatus.values)] | None = None
    late: Literal["agency", "office"] | None = None
    q: str | None = None


def _office(user) -> bool:
    return can(user, "protection.view") and user.role != Role.AGENCY_STAFF


def grievance_row(grievance: Grievance) -> dict:
    standing = grievance.standing
    agency = grievance.agency
    return {
        "id": grievance.pk,
        "number": grievance.number,
        "status": coded(grievance.status, grievance.status_label),
        "category": choice(grievance, "category"),
        "worker_name": grievance.worker_name,
        "worker_country": grievance.worker_country,
        "agency": {"id": agency.pk, "name": agency.name} if agency else None,
        "reporter_kind": choice(grievance, "reporter_kind"),
        "opened_at": grievance.opened_at,
        "closed_at": grievance.closed_at,
        "standing": {
            "code": standing.code,
            "turn": str(standing.turn),
            "due_at": standing.due_at,
            "late": standing.late,
            "agency_due_at": standing.agency_due_at,
            "agency_answered_at": standing.agency_answered_at,
            "agency_answered_late": standing.agency_answered_late,
        },
    }


def grievance_detail_data(user, grievance: Grievance) -> dict:
    data = grievance_row(grievance)
    data.update(
        description=grievance.description,
        reporter_name=grievance.reporter_name,
        reporter_relation=grievance.reporter_relation,
        reporter_phone=grievance.reporter_phone if _office(user) else None,
        assigned_to=str(grievance.assigned_to) if grievance.assigned_to_id else "",
        documents_requested=grievance.documents_requested,
        documents_requested_at=grievance.documents_requested_at,
        documents_received_at=grievance.documents_received_at,
        closing_reason=choice(grievance, "closing_reason"),
        outcome=grievance.outcome,
        events=[
            {
                "kind": choice(event, "kind"),
                "created_at": event.created_at,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "text": event.text,
                "actor": event.actor_label,
                "public": event.public,
            }
            for event in grievance_events_for(user, grievance)
        ],
    )
    return data


@router.get("/", response=GrievancePage, summary="Grievances, newest first")
def grievance_list_api(request, filters: Query[GrievanceFilters]):
    """`status`: a state, or `open` for every case not closed; `late`: `agency` or `office`, the
    cases where that party is past its deadline (rules.grievances.standing)."""
    require(request, "protection.view")
    rows = grievance_list(
        request.user,
        status=filters.status or "",
        late=LATE.get(filters.late or "", ""),
        q=(filters.q or "").strip()[:100],
    )
    return page_of(rows, filters, grievance_row)


@router.get("/{int:grievance_id}/", response=GrievanceDetail, summary="Follow one grievance")
def grievance_detail(request, grievance_id: int):
    require(request, "protection.view")
    grievance = access_grievance(request.user, grievance_id)
    audit_read(
        actor=request.user, action="grievance.view", targets=grievance, purpose="api:grievance"
    )
    return grievance_detail_data(request.user, grievance)


def _form_for(user, body: GrievanceIn):
    """The web form whose rules the filing follows, bound to what was sent."""
    data = {k: v for k, v in body.dict().items() if v not in (None, "")}
    if can(user, "protection.manage"):
        return StaffGrievanceForm(data=data), {}
    data["agency"] = user.organisation_id  # a P3MI files about itself, and so can follow it
    return PublicGrievanceForm(data=data), {"reporter_kind": ReporterKind.AGENCY}


@router.post(
    "/",
    response={200: GrievanceCreated, 201: GrievanceCreated},
    summary="File a grievance for a person",
    auth=TokenAuth("protection.manage", "protection.respond"),
)
def grievance_create(request, payload: GrievanceIn):
    """201 with the new case and its follow-up code (shown once); 200 with the case the same
    filing opened before (the same `submission`, or the same complaint by the same reporter about
    the same worker within a day)."""
    user = request.user
    form, fixed = _form_for(user, payload)
    values = {**form_check(form), **fixed}
    values.pop("evidence", None)
    try:
        grievance, secret = services.grievance_open(actor=user, **values)
    except services.AlreadySent as sent:
        grievance = access_grievance(user, sent.grievance.pk)
        return Status(200, {**grievance_detail_data(user, grievance), "secret": None})
    grievance = access_grievance(user, grievance.pk)
    return Status(201, {**grievance_detail_data(user, grievance), "secret": secret})

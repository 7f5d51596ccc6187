"""Departure cases for a P3MI's own system (its own cases only; another agency's are 404) and for
the office (all), with each checklist item and its state, read through the web's selectors."""

from typing import Literal

from django.db.models import Q
from ninja import Query, Router

from jalur.core.pagination import count_for_page
from jalur.departure.gates import gate_problems
from jalur.departure.models import ChecklistItem, DepartureCase, ItemStatus
from jalur.departure.selectors import access_case, case_detail, case_list
from jalur.departure.states import CaseStatus

from ..auth import TokenAuth
from ..checks import require
from ..paging import PageQuery, page
from ..schemas.common import choice
from ..schemas.departure import DepartureCaseDetail, DepartureCasePage

router = Router(auth=TokenAuth(), tags=["departure cases"])


class CaseFilters(PageQuery):
    status: CaseStatus | None = None
    item_status: Literal["submitted", "rejected"] | None = None


COUNTS = {
    "items_total": Q(),
    "items_verified": Q(status=ItemStatus.VERIFIED),
    "items_waiting": Q(status=ItemStatus.SUBMITTED),
    "items_sent_back": Q(status=ItemStatus.REJECTED),
}


def case_rows(cases: list[DepartureCase]) -> list[dict]:
    """The cases as the list shows them, their items counted in one query for them all."""
    count_for_page(cases, ChecklistItem.objects, by="case_id", **COUNTS)
    return [
        {
            "id": case.pk,
            "status": choice(case, "status"),
            "candidate": {"id": case.candidate_id, "name": case.candidate.full_name},
            "agency": {"id": case.agency_id, "name": case.agency.name},
            "application_id": case.application_id,
            "job_order": {
                "id": case.application.order_id,
                "name": case.application.order.reference,
            },
            "planned_departure_on": case.planned_departure_on,
            "departed_on": case.departed_on,
            "group_id": case.group_id,
            "created_at": case.created_at,
            "updated_at": case.updated_at,
            **{name: getattr(case, name) for name in COUNTS},
        }
        for case in cases
    ]


@router.get("/", response=DepartureCasePage, summary="Departure cases, newest first")
def departure_case_list(request, filters: Query[CaseFilters]):
    """`item_status` (submitted or rejected) keeps the cases with an item in that state."""
    require(request, "departure.view")
    rows = case_list(
        request.user, status=filters.status or "", item_status=filters.item_status or ""
    )
    found, next_cursor = page(rows, filters)
    return {"items": case_rows(found), "next_cursor": next_cursor}


@router.get("/{int:case_id}/", response=DepartureCaseDetail, summary="One departure case")
def departure_case_detail(request, case_id: int):
    require(request, "departure.view")
    case = case_detail(access_case(request.user, case_id))
    items = list(case.items.all())
    [data] = case_rows([case])
    planned = case.planned_departure_on
    data.update(
        ended_reason=case.ended_reason,
        problems=[str(p) for p in gate_problems(case, planned)] if planned else None,
        items=[
            {
                "code": item.code,
                "label": str(item.type.label),
                "status": choice(item, "status"),
                "data": item.data or {},
                "has_document": bool(item.document),
                "valid_until": item.valid_until,
                "submitted_at": item.submitted_at,
                "checked_at": item.checked_at,
                "note": item.note,
            }
            for item in items
        ],
    )
    return data

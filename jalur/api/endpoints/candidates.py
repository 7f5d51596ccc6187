"""Candidates for the office's integrations: the list with the web list's filters and search, one
record, and its stage history. Who sees whom and which fields is the web's: `candidates_for`,
`candidates.view`, `candidates.view_identity`, `candidates.stage_history`; reading a record and
searching by NIK or phone leave the same audit rows as the pages."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from ninja import Query, Router

from jalur.accounts.roles import can
from jalur.audit.services import audit_read, audit_search_read
from jalur.candidates import selectors
from jalur.candidates.access import access_candidate
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.pathways.models import PathwayAssignment
from jalur.rules.identity import age_on

from ..auth import TokenAuth
from ..checks import require
from ..paging import IsoDate, IsoDateTime, PageQuery, page
from ..schemas.candidates import CandidateDetail, CandidatePage, StageHistoryOut
from ..schemas.common import choice

router = Router(auth=TokenAuth(), tags=["candidates"])


class CandidateFilters(PageQuery):
    stage: Stage | None = None
    regency: str | None = None
    district: str | None = None
    village: str | None = None
    pathway: str | None = None
    registered_since: IsoDate | None = None
    registered_until: IsoDate | None = None
    updated_since: IsoDateTime | None = None
    q: str | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filtered(user, filters: CandidateFilters):
    rows = selectors.candidate_list(
        user,
        stage=filters.stage or "",
        district=filters.district or "",
        village=filters.village or "",
        q=(filters.q or "")[:100],
    )
    if filters.regency:
        # by the code's prefix, not a join: the planner then estimates the rows and pages by the
        # primary key (a join to regions made it sort every match, 1 s at 100,000 people)
        rows = rows.filter(district__code__startswith=f"{filters.regency}.")
    if filters.pathway:
        rows = rows.filter(
            pathway_assignments__is_active=True, pathway_assignments__pathway__code=filters.pathway
        )
    if filters.registered_since:
        rows = rows.filter(created_at__gte=_day_start(filters.registered_since))
    if filters.registered_until:
        until = filters.registered_until + datetime.timedelta(days=1)
        rows = rows.filter(created_at__lt=_day_start(until))
    if filters.updated_since:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        rows = rows.filter(updated_at__gte=since)
    return rows.select_related("district").prefetch_related(
        Prefetch(
            "pathway_assignments",
            queryset=PathwayAssignment.objects.filter(is_active=True).select_related("pathway"),
            to_attr="active_assignments",
        )
    )


def _pathway(candidate: Candidate) -> dict | None:
    assignments = getattr(candidate, "active_assignments", None)
    if assignments is None:
        assignments = list(
            candidate.pathway_assignments.filter(is_active=True).select_related("pathway")
        )
    if not assignments:
        return None
    pathway = assignments[0].pathway
    return {"id": pathway.code, "name": pathway.name}


def _region(place) -> dict | None:
    return {"code": place.code, "name": place.name} if place else None


def candidate_row(candidate: Candidate, *, identity: bool, today: datetime.date) -> dict:
    """What the list shows of a person; identifying fields only with `identity`."""
    return {
        "id": candidate.pk,
        "full_name": candidate.full_name,
        "sex": choice(candidate, "sex"),
        "age": age_on(candidate.birth_date, today),
        "stage": choice(candidate, "stage"),
        "stage_changed_at": candidate.stage_changed_at,
        "cycle": candidate.cycle,
        "regency_code": candidate.district.regency_id if candidate.district else None,
        "district": _region(candidate.district),
        "village": _region(candidate.village),
        "pathway": _pathway(candidate),
        "preferred_countries": list(candidate.preferred_countries or []),
        "preferred_job_types": [
            {"id": j.code, "name": j.name} for j in candidate.preferred_job_types.all()
        ],
        "education_level": candidate.education_level,
        "channel": choice(candidate, "channel"),
        "created_at": candidate.created_at,
        "updated_at": candidate.updated_at,
        "nik": candidate.nik if identity else None,
        "birth_date": candidate.birth_date if identity else None,
        "phone": candidate.phone if identity else None,
    }


IDENTITY_DETAIL = (
    "kk_number",
    "birth_place",
    "marital_status",
    "street",
    "rt",
    "rw",
    "email",
    "phone_abroad",
    "siskop2mi_id_pmi",
)


@router.get("/", response=CandidatePage, summary="Candidates, filtered, newest first")
def candidate_list(request, filters: Query[CandidateFilters]):
    """The candidates the token may see, with the filters of the web list. Searching by NIK or
    phone needs `candidates.view_identity` and is recorded for the people it finds."""
    require(request, "candidates.view")
    user = request.user
    rows, next_cursor = page(_filtered(user, filters), filters)
    if filters.q:  # who searched for whom is shown to the people found (UU PDP Pasal 7)
        audit_search_read(
            actor=user, q=filters.q, found=rows, count=len(rows), purpose="api:candidates"
        )
    identity = can(user, "candidates.view_identity")
    today = timezone.localdate()
    return {
        "items": [candidate_row(c, identity=identity, today=today) for c in rows],
        "next_cursor": next_cursor,
    }


@router.get("/{int:candidate_id}/", response=CandidateDetail, summary="One candidate")
def candidate_detail(request, candidate_id: int):
    require(request, "candidates.view")
    user = request.user
    candidate = access_candidate(user, candidate_id)
    audit_read(actor=user, action="candidate.view", targets=candidate, purpose="api:candidate")
    identity = can(user, "candidates.view_identity")
    data = candidate_row(candidate, identity=identity, today=timezone.localdate())
    data.update(
        education_major=candidate.education_major,
        experience_years=candidate.experience_years,
        height_cm=candidate.height_cm,
        weight_kg=candidate.weight_kg,
    )
    data.update({name: getattr(candidate, name) if identity else None for name in IDENTITY_DETAIL})
    return data


@router.get(
    "/{int:candidate_id}/stages/", response=StageHistoryOut, summary="A candidate's stage history"
)
def candidate_stages(request, candidate_id: int):
    """Every stage move, oldest first, for those who see it on the web (the office's verifiers,
    managers and leadership)."""
    require(request, "candidates.view")
    candidate = access_candidate(request.user, candidate_id)
    require(request, "candidates.stage_history")
    history = candidate.stage_history.select_related("actor").order_by("created_at", "id")
    return {
        "items": [
            {
                "from_stage": choice(h, "from_stage"),
                "to_stage": choice(h, "to_stage"),
                "created_at": h.created_at,
                "actor": str(h.actor) if h.actor_id else "",
                "reason": h.reason,
            }
            for h in history
        ]
    }

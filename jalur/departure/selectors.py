"""Reads for departure: who may see which case, lists with their warnings, the placing agency."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import OFFICE_ROLES, Role, can
from jalur.core.pagination import count_for_page
from jalur.placement.states import ApplicationStatus

from .items import item_clean, registration_data
from .models import (
    CASE_STATUS_RANK,
    CaseStatus,
    ChecklistItem,
    ContractReview,
    DepartureCase,
    DepartureGroup,
    FeeEntry,
    ItemStatus,
    PassportCustody,
)


def cases_for(user) -> QuerySet[DepartureCase]:
    cases = DepartureCase.objects.select_related(
        "candidate",
        "candidate__district",
        "agency__organisation",
        "application__order__pathway",
        "application__order__job_type",
        "group",
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return cases.none()
    if user.role in OFFICE_ROLES and can(user, "departure.view"):
        return cases
    if user.role == Role.AGENCY_STAFF:
        return cases.filter(agency__organisation=user.organisation)
    if user.role == Role.CANDIDATE:
        return cases.filter(candidate__user=user)
    return cases.none()


def access_case(user, pk, *, write: bool = False) -> DepartureCase:
    case = cases_for(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    if write and not can(user, "departure.manage"):
        raise PermissionDenied
    return case


def access_case_part(user, model, pk, **filters):
    """A checklist item, contract review, passport record or fee of a case `user` may see (404 otherwise)."""
    obj = model.objects.filter(pk=pk, case__in=cases_for(user), **filters).first()
    if obj is None:
        raise Http404
    return obj


def may_open_case_files(user) -> bool:
    """The scans on a case (medical result, passport, visa, proof of payment) are for the person,
    the P3MI preparing them and the office that checks them; leadership follows the figures."""
    return user.role == Role.CANDIDATE or can(user, "departure.manage")


def access_case_file(user, model, pk, **filters):
    """A checklist item or fee whose file `user` may open: 404 outside their cases, 403 for a role
    that sees the case but not its scans."""
    obj = access_case_part(user, model, pk, **filters)
    if not may_open_case_files(user):
        raise PermissionDenied
    return obj


def groups_for(user) -> QuerySet[DepartureGroup]:
    groups = DepartureGroup.objects.select_related("agency__organisation").annotate(
        size=Count("cases")
    )
    if user.role in OFFICE_ROLES and can(user, "departure.view"):
        return groups
    if user.role == Role.AGENCY_STAFF:
        return groups.filter(agency__organisation=user.organisation)
    return groups.none()


def access_group(user, pk, *, write: bool = False) -> DepartureGroup:
    group = groups_for(user).filter(pk=pk).first()
    if group is None:
        raise Http404
    if write and not can(user, "departure.manage"):
        raise PermissionDenied
    return group


CASE_LIST_ORDER = ("status_rank", "-created_at", "-pk")


def case_counts(cases) -> None:
    """Items, open contract reviews, passports held and unresolved fee violations of one page of
    cases, counted for those cases only (four queries whatever the page)."""
    count_for_page(
        cases,
        ChecklistItem.objects,
        by="case_id",
        items_total=Q(),
        items_done=Q(status="verified"),
        items_waiting=Q(status="submitted"),
        items_back=Q(status="rejected"),
    )
    count_for_page(
        cases,
        ContractReview.objects,
        by="case_id",
        open_reviews=Q(status=ContractReview.Status.OPEN),
    )
    count_for_page(
        cases, PassportCustody.objects, by="case_id", passport_out=Q(returned_on__isnull=True)
    )
    count_for_page(
        cases,
        FeeEntry.objects,
        by="case_id",
        violations=Q(violation=True, violation_followed_up=""),
    )


def case_list(user, *, status: str = "", item_status: str = "") -> QuerySet[DepartureCase]:
    """The cases `user` may see (their counts by `case_counts`, for a page); `item_status` keeps
    those with an item in that state (waiting for the office's check, sent back)."""
    cases = cases_for(user)
    if status:
        cases = cases.filter(status=status)
    if item_status in (ItemStatus.SUBMITTED, ItemStatus.REJECTED):
        cases = cases.filter(
            pk__in=ChecklistItem.objects.filter(status=item_status).values("case_id")
        ).exclude(status__in=[CaseStatus.DEPARTED, CaseStatus.ENDED])
    # Work still to do first: preparing, then ready, then departed, then ended.
    return cases.annotate(status_rank=CASE_STATUS_RANK).order_by(*CASE_LIST_ORDER)


def registration_documents(
    case: DepartureCase, items, *, today: datetime.date | None = None
) -> dict:
    """{checklist item pk: the registration document that can stand for it}. For each of `items`
    not yet verified whose type names a registration document type (SKCK, family permission): the
    candidate's current document of that type, if the office accepted it at registration, it has
    not expired, and the item's own rules accept what it tells (`registration_data`). A document
    already used for the item is not offered again. One query."""
    from jalur.candidates.models import CandidateDocument, DocumentStatus

    today = today or timezone.localdate()
    wanted = {
        item.type.registration_document: item
        for item in items
        if item.type.registration_document and item.status != ItemStatus.VERIFIED
    }
    if not wanted:
        return {}
    found = {}
    for document in CandidateDocument.objects.filter(
        candidate_id=case.candidate_id,
        superseded_at__isnull=True,
        status=DocumentStatus.ACCEPTED,
        document_type__code__in=list(wanted),
    ).select_related("document_type", "reviewed_by"):
        item = wanted[document.document_type.code]
        data = registration_data(item.type, document)
        if (
            document.is_expired_on(today)
            or data is None
            or item.document.name == document.file.name
        ):
            continue
        try:
            item_clean(item.type, data, today=today)
        except ValidationError:
            continue
        found[item.pk] = document
    return found


def case_detail(case: DepartureCase) -> DepartureCase:
    return (
        DepartureCase.objects.select_related(
            "candidate",
            "application__order__pathway",
            "application__order__job_type",
            "agency__organisation",
        )
        .prefetch_related(
            Prefetch(
                "items", queryset=ChecklistItem.objects.select_related("checked_by", "submitted_by")
            ),
            "contract_reviews",
            "passport_custody",
            "fees",
            "no_fee_statements",
        )
        .get(pk=case.pk)
    )


def passports_held_too_long(
    user, *, today: datetime.date | None = None
) -> QuerySet[PassportCustody]:
    """Passports out of the worker's hands for longer than JALUR_PASSPORT_HOLD_DAYS."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=settings.JALUR_PASSPORT_HOLD_DAYS)
    return PassportCustody.objects.filter(
        case__in=cases_for(user), returned_on__isnull=True, handed_over_on__lt=limit
    ).select_related("case__candidate")


def accepted_without_case(user):
    """Accepted offers whose checklist has not been started yet (for the agency's and office's to-do list)."""
    from jalur.placement.models import Application

    applications = Application.objects.filter(
        status=ApplicationStatus.ACCEPTED, departure_case__isnull=True
    ).select_related("candidate", "order__agency__organisation")
    if user.role == Role.AGENCY_STAFF:
        return applications.filter(order__agency__organisation=user.organisation)
    if user.role in OFFICE_ROLES and can(user, "departure.view"):
        return applications
    return applications.none()


def placing_agency(candidate):
    """The Organisation of the P3MI that is placing (or placed) this candidate, or None."""
    case = (
        DepartureCase.objects.filter(candidate=candidate)
        .exclude(status=CaseStatus.ENDED)
        .select_related("agency__organisation")
        .order_by("-created_at")
        .first()
    )
    return case.agency.organisation if case else None


def candidates_placed_by(organisation):
    """Candidates this P3MI has sent (or is sending) abroad."""
    from jalur.candidates.models import Candidate

    return Candidate.objects.filter(
        departure_cases__agency__organisation=organisation,
        departure_cases__status__in=[CaseStatus.READY, CaseStatus.DEPARTED],
    ).distinct()


def waiting_items(user) -> QuerySet[ChecklistItem]:
    """The checklist items of the cases `user` sees that are still being prepared (not departed or
    ended); filter by status for what waits on whom."""
    return ChecklistItem.objects.filter(
        case__in=cases_for(user), case__status__in=[CaseStatus.OPEN, CaseStatus.READY]
    )


def groups_ready(user) -> QuerySet[DepartureGroup]:
    """Planned groups whose members are all ready to depart."""
    return (
        groups_for(user)
        .filter(status=DepartureGroup.Status.PLANNED, size__gt=0)
        .annotate(
            not_ready=Count("cases", filter=~Q(cases__status=CaseStatus.READY), distinct=True)
        )
        .filter(not_ready=0)
    )


ITEM_ACTIONS = {
    "departure.item_submit": _("diisi"),
    "departure.item_from_registration": _("diisi dengan dokumen dari pendaftaran"),
    "departure.item_draft": _("keterangan bersama rombongan dicatat"),
    "departure.item_verify": _("diperiksa"),
    "departure.placement_agreement_endorse": _("disahkan"),
}


def item_history(items) -> dict:
    """{item pk: its history, oldest first}: each change from the audit log (who, when, what, why),
    with the status before and after, the facts and the document it replaced. One query."""
    from django.contrib.contenttypes.models import ContentType

    from jalur.audit.models import AuditLog

    from .items import data_rows

    by_pk = {str(item.pk): item for item in items}
    rows = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(ChecklistItem),
        object_id__in=list(by_pk),
        action__in=list(ITEM_ACTIONS),
    ).order_by("created_at", "id")
    labels = dict(ItemStatus.choices)
    history: dict[int, list] = {}
    for row in rows:
        item = by_pk[row.object_id]
        changes = row.changes or {}
        status = changes.get("status") or [None, None]
        data = changes.get("data") or [None, None]
        document = changes.get("document") or [None, None]
        history.setdefault(item.pk, []).append(
            {
                "at": row.created_at,
                "who": row.actor_label,
                "what": ITEM_ACTIONS[row.action],
                "status_before": labels.get(status[0], ""),
                "status_after": labels.get(status[1], ""),
                "earlier_data": data_rows(item.code, data[0]) if data[0] and data[1] else [],
                "earlier_document": row.pk if document[0] and document[1] else None,
                "reason": row.reason,
            }
        )
    return history


def item_version_file(item: ChecklistItem, version: str):
    """(file, content type) of the document `item` held before the change logged as audit row
    `version` replaced it; 404 when that row is not such a change of this item."""
    from django.contrib.contenttypes.models import ContentType

    from jalur.audit.models import AuditLog

    row = AuditLog.objects.filter(
        pk=int(version) if version.isdigit() else 0,
        content_type=ContentType.objects.get_for_model(ChecklistItem),
        object_id=str(item.pk),
        action__in=list(ITEM_ACTIONS),
    ).first()
    earlier = ((row.changes or {}).get("document") or [None])[0] if row else None
    if not earlier:
        raise Http404
    field = ChecklistItem._meta.get_field("document")
    file = field.attr_class(item, field, earlier)
    if not file.storage.exists(earlier):
        raise Http404
    extension = earlier.rsplit(".", 1)[-1].lower()
    content_type = {"pdf": "application/pdf", "png": "image/png"}.get(extension, "image/jpeg")
    return file, content_type

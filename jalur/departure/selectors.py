"""Reads for departure: who may see which case, lists with their warnings, the placing agency."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from jalur.accounts.roles import OFFICE_ROLES, Role, can
from jalur.placement.states import ApplicationStatus

from .items import item_clean, registration_data
from .models import (
    CaseStatus,
    ChecklistItem,
    ContractReview,
    DepartureCase,
    DepartureGroup,
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


def case_list(user, *, status: str = "") -> QuerySet[DepartureCase]:
    cases = cases_for(user).annotate(
        items_total=Count("items", distinct=True),
        items_done=Count("items", filter=Q(items__status="verified"), distinct=True),
        open_reviews=Count(
            "contract_reviews",
            filter=Q(contract_reviews__status=ContractReview.Status.OPEN),
            distinct=True,
        ),
        passport_out=Count(
            "passport_custody", filter=Q(passport_custody__returned_on__isnull=True), distinct=True
        ),
        violations=Count(
            "fees", filter=Q(fees__violation=True, fees__violation_followed_up=""), distinct=True
        ),
    )
    if status:
        cases = cases.filter(status=status)
    # Work still to do first: preparing, then ready, then departed, then ended.
    order = Case(
        *(When(status=s, then=Value(i)) for i, s in enumerate(CaseStatus.values)),
        output_field=IntegerField(),
    )
    return cases.order_by(order, "-created_at")


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

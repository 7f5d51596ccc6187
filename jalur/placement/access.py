"""Fetching placement objects for a user, never bare.

Office roles with `placement.view` see every agency, agreement, order and application. Agency staff
see their own agency, their own PKS (and the city–APJATI MoU, which binds every member), their own
orders and the applications to them, and nothing of another agency: those are 404, not 403. A
candidate sees their own applications through `my_application`.

Not visible → Http404. Visible but not theirs to change → PermissionDenied.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from jalur.accounts.roles import Role, can

from .models import (
    Agency,
    Agreement,
    AgreementKind,
    Application,
    JobOrder,
    PermitChange,
    RecruitmentPermit,
)


def _is_agency(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role == Role.AGENCY_STAFF


def agency_of(user) -> Agency | None:
    """The agency record of an agency staff member's organisation (None if not registered yet)."""
    if not _is_agency(user) or user.organisation_id is None:
        return None
    return (
        Agency.objects.select_related("organisation")
        .prefetch_related("suspensions")
        .filter(organisation_id=user.organisation_id)
        .first()
    )


def agencies_for(user) -> QuerySet[Agency]:
    base = Agency.objects.select_related("organisation").prefetch_related("suspensions")
    if not can(user, "placement.view"):
        return base.none()
    if _is_agency(user):
        return base.filter(organisation_id=user.organisation_id)
    return base


def access_agency(user, pk, *, write: bool = False) -> Agency:
    agency = agencies_for(user).filter(pk=pk).first()
    if agency is None:
        raise Http404
    if write and not can(user, "placement.agreements.manage"):
        raise PermissionDenied
    return agency


def agreements_for(user) -> QuerySet[Agreement]:
    base = Agreement.objects.select_related("agency__organisation", "mou")
    if not can(user, "placement.view"):
        return base.none()
    if _is_agency(user):
        return base.filter(
            Q(kind=AgreementKind.MOU) | Q(agency__organisation_id=user.organisation_id)
        )
    return base


def access_agreement(user, pk, *, write: bool = False) -> Agreement:
    agreement = agreements_for(user).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    if write and not can(user, "placement.agreements.manage"):
        raise PermissionDenied
    return agreement


def orders_for(user) -> QuerySet[JobOrder]:
    base = JobOrder.objects.select_related("agency__organisation", "pathway", "job_type", "permit")
    if not can(user, "placement.view"):
        return base.none()
    if _is_agency(user):
        return base.filter(agency__organisation_id=user.organisation_id)
    return base


def access_order(user, pk, *, write: bool = False) -> JobOrder:
    """With write=True: the order's own agency (content, submission, recruitment work)."""
    order = orders_for(user).filter(pk=pk).first()
    if order is None:
        raise Http404
    if write and not (
        can(user, "placement.agency") and order.agency.organisation_id == user.organisation_id
    ):
        raise PermissionDenied
    return order


def permits_for(user) -> QuerySet[RecruitmentPermit]:
    base = RecruitmentPermit.objects.select_related("agency__organisation")
    if not can(user, "placement.view"):
        return base.none()
    if _is_agency(user):
        return base.filter(agency__organisation_id=user.organisation_id)
    return base


def access_permit(user, pk, *, write: bool = False) -> RecruitmentPermit:
    """With write=True: the permit's own agency (asking for a change of its figures)."""
    permit = permits_for(user).filter(pk=pk).first()
    if permit is None:
        raise Http404
    if write and not (
        can(user, "placement.agency") and permit.agency.organisation_id == user.organisation_id
    ):
        raise PermissionDenied
    return permit


def access_permit_change(user, pk, *, write: bool = False) -> PermitChange:
    """With write=True: the labour office deciding on it."""
    change = (
        PermitChange.objects.select_related("permit__agency__organisation")
        .filter(permit__in=permits_for(user), pk=pk)
        .first()
    )
    if change is None:
        raise Http404
    if write and not can(user, "placement.review"):
        raise PermissionDenied
    return change


def applications_for(user) -> QuerySet[Application]:
    base = Application.objects.select_related(
        "order__agency__organisation", "order__pathway", "order__job_type", "candidate"
    )
    if not can(user, "placement.view"):
        return base.none()
    if _is_agency(user):
        return base.filter(order__agency__organisation_id=user.organisation_id)
    return base


def access_application(user, pk, *, write: bool = False) -> Application:
    application = applications_for(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    if write and not (
        can(user, "placement.agency")
        and application.order.agency.organisation_id == user.organisation_id
    ):
        raise PermissionDenied
    return application


def my_application(user, pk) -> Application:
    """A candidate's own application; anyone else's is 404."""
    if not can(user, "candidates.self"):
        raise Http404
    application = (
        Application.objects.select_related(
            "order__agency__organisation", "order__pathway", "order__job_type", "candidate"
        )
        .filter(pk=pk, candidate__user=user)
        .first()
    )
    if application is None:
        raise Http404
    return application


def candidates_of_agency(user, candidates: QuerySet) -> QuerySet:
    """The candidate scope for agency staff: people recommended for or applying to its orders."""
    return candidates.filter(applications__order__agency__organisation_id=user.organisation_id)

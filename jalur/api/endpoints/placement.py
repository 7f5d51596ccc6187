"""Job orders and applications for a P3MI's own system (its own agency's only: another agency's
are 404, as on the web) and for the office (all of them). A job order is submitted through the
web form's own form, service and legal gate (`placement.forms.JobOrderForm`,
`services.job_order_create`, `services.job_order_submit`), so the rules of `rules.fees`,
`rules.pathways` and `rules.placement`, the audit rows and the messages are the web's."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from jalur.pathways.models import Country, JobType, Pathway
from jalur.placement import selectors, services
from jalur.placement.access import access_application, access_order, agency_of, applications_for
from jalur.placement.forms import CostForm, JobOrderForm
from jalur.placement.models import Application, JobOrder
from jalur.placement.models.orders import cost_line_key
from jalur.placement.services.orders import COST_FIELDS
from jalur.placement.states import ORDER_EDITABLE, ApplicationStatus, OrderStatus

from ..auth import TokenAuth
from ..checks import require
from ..inputs import form_errors
from ..paging import PageQuery, page_of
from ..schemas.common import choice
from ..schemas.placement import (
    ApplicationDetail,
    ApplicationPage,
    JobOrderDetail,
    JobOrderIn,
    JobOrderPage,
)

router = Router(auth=TokenAuth(), tags=["job orders and applications"])


class OrderFilters(PageQuery):
    status: OrderStatus | None = None
    country: Country | None = None
    q: str | None = None


def order_row(order: JobOrder) -> dict:
    return {
        "id": order.pk,
        "reference": order.reference,
        "status": choice(order, "status"),
        "status_changed_at": order.status_changed_at,
        "agency": {"id": order.agency_id, "name": order.agency.name},
        "employer_name": order.employer_name,
        "employer_country": order.employer_country,
        "employer_city": order.employer_city,
        "employer_sector": order.employer_sector,
        "pathway": {"id": order.pathway.code, "name": order.pathway.name},
        "job_type": {"id": order.job_type.code, "name": order.job_type.name},
        "position_title": order.position_title,
        "positions": order.positions,
        "deadline": order.deadline,
        "wage_amount": order.wage_amount,
        "wage_currency": order.wage_currency,
        "wage_period": order.wage_period,
        "hours_per_week": order.hours_per_week,
        "contract_months": order.contract_months,
        "attache_status": choice(order, "attache_status"),
        "submitted_at": order.submitted_at,
        "decided_at": order.decided_at,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
    }


DETAIL_FIELDS = (
    "description",
    "min_age",
    "max_age",
    "sex",
    "sex_reason",
    "min_education",
    "min_height_cm",
    "min_experience_years",
    "eps_topik_min_score",
    "jft_min_score",
    "jlpt_min_level",
    "licence_required",
    "licence_name",
    "other_requirements",
    "benefits",
    "attache_reference",
    "attache_verified_on",
)


def order_detail_data(order: JobOrder) -> dict:
    """The order as its page shows it, with what the legal gate finds wrong today."""
    data = order_row(order)
    data.update({name: getattr(order, name) for name in DETAIL_FIELDS})
    permit = order.permit
    data["permit"] = (
        {
            "number": permit.number,
            "quota": permit.quota,
            "issued_on": permit.issued_on,
            "valid_until": permit.valid_until,
        }
        if permit
        else None
    )
    data["costs"] = [
        {
            "item": choice(cost, "item"),
            "description": cost.description,
            "amount": cost.amount,
            "paid_by": choice(cost, "paid_by"),
            "office_decision": choice(cost, "office_decision"),
        }
        for cost in order.costs.order_by("pk")
    ]
    data["application_counts"] = selectors.application_counts(order)
    problems = []
    if order.status in (OrderStatus.DRAFT, OrderStatus.RETURNED, OrderStatus.SUBMITTED):
        problems = services.order_problems(
            order,
            on=timezone.localdate(),
            for_approval=order.status == OrderStatus.SUBMITTED,
        )
    data["problems"] = [{"code": p.code, "message": p.message} for p in problems]
    return data


@router.get("/job-orders/", response=JobOrderPage, summary="Job orders, newest first")
def job_order_list(request, filters: Query[OrderFilters]):
    """A P3MI token sees its own agency's orders; the office's, every order."""
    require(request, "placement.view")
    rows = selectors.order_list(
        request.user,
        status=filters.status or "",
        country=filters.country or "",
        q=(filters.q or "").strip()[:100],
    )
    return page_of(rows, filters, order_row)


@router.get("/job-orders/{int:order_id}/", response=JobOrderDetail, summary="One job order")
def job_order_detail(request, order_id: int):
    require(request, "placement.view")
    return order_detail_data(access_order(request.user, order_id))


def _code_pk(model, code: str | None):
    """The primary key of the row with `code`, or the code as sent, which the form then refuses as
    an unknown choice."""
    if not code:
        return code
    pk = model.objects.filter(code=code).values_list("pk", flat=True).first()
    return pk if pk is not None else code


def _judged(body: JobOrderIn) -> tuple[dict, list[dict]]:
    """The order and its cost lines as the web form's forms read them, or every problem at once,
    each beside its field (a cost line's as `costs-<n>-<field>`)."""
    values = body.dict(exclude={"costs", "submit"})
    values["pathway"] = _code_pk(Pathway, body.pathway)
    values["job_type"] = _code_pk(JobType, body.job_type)
    form = JobOrderForm(data={k: v for k, v in values.items() if v is not None})
    errors = form_errors(form)
    costs = []
    for index, line in enumerate(body.costs):
        row = CostForm(data={k: v for k, v in line.dict().items() if v is not None})
        if row.is_valid():
            costs.append({name: row.cleaned_data[name] for name in COST_FIELDS})
        for name, problems in row.errors.as_data().items():
            errors[cost_line_key(index, name)] = problems
    if errors:
        raise ValidationError(errors)
    data = dict(form.cleaned_data)
    data.pop("attache_file", None)
    return data, costs


@router.post(
    "/job-orders/",
    response={201: JobOrderDetail},
    summary="Create a job order and submit it through the legal gate",
    auth=TokenAuth("placement.agency"),
)
def job_order_create(request, payload: JobOrderIn):
    """For a P3MI token: its agency's new order, judged as the web form judges it. With `submit`
    (the default) the order goes to the office at once if every legal gate passes, else nothing is
    kept and the refusal lists each problem in the rule's words."""
    agency = agency_of(request.user)
    if agency is None:
        raise PermissionDenied(_("Organisasi token ini belum terdaftar sebagai P3MI."))
    data, costs = _judged(payload)
    with transaction.atomic():
        order = services.job_order_create(actor=request.user, agency=agency, data=data, costs=costs)
        if payload.submit:
            order = services.job_order_submit(actor=request.user, order=order)
    return Status(201, order_detail_data(access_order(request.user, order.pk)))


@router.post(
    "/job-orders/{int:order_id}/submit/",
    response=JobOrderDetail,
    summary="Submit a draft or returned job order",
    auth=TokenAuth("placement.agency"),
)
def job_order_submit(request, order_id: int):
    """The "Ajukan" button: the legal gate, then the office's review queue."""
    order = access_order(request.user, order_id, write=True)
    if order.status not in ORDER_EDITABLE:
        # A state conflict, not a fault in the request: 409, as for any step taken twice.
        raise HttpError(
            409, _("Lowongan ini sudah diajukan. Muat ulang halaman untuk melihat statusnya.")
        )
    services.job_order_submit(actor=request.user, order=order)
    return order_detail_data(access_order(request.user, order.pk))


# --- applications ------------------------------------------------------------------------------


class ApplicationFilters(PageQuery):
    status: ApplicationStatus | None = None


def application_row(application: Application) -> dict:
    contact = selectors.may_see_contact(application)
    return {
        "id": application.pk,
        "order": {"id": application.order_id, "name": application.order.reference},
        "candidate": {"id": application.candidate_id, "name": application.candidate.full_name},
        "status": choice(application, "status"),
        "status_changed_at": application.status_changed_at,
        "origin": choice(application, "origin"),
        "score": application.score,
        "rank": application.rank,
        "recommended_at": application.recommended_at,
        "applied_at": application.applied_at,
        "selected_at": application.selected_at,
        "interview_at": application.interview_at,
        "interview_mode": application.interview_mode,
        "interview_result": application.interview_result,
        "offered_at": application.offered_at,
        "responded_at": application.responded_at,
        "candidate_phone": application.candidate.phone if contact else None,
    }


@router.get(
    "/job-orders/{int:order_id}/applications/",
    response=ApplicationPage,
    summary="The applications to one job order",
)
def job_order_applications(request, order_id: int, filters: Query[ApplicationFilters]):
    require(request, "placement.view")
    order = access_order(request.user, order_id)
    rows = applications_for(request.user).filter(order=order)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return page_of(rows, filters, application_row)


@router.get(
    "/applications/{int:application_id}/", response=ApplicationDetail, summary="One application"
)
def application_detail(request, application_id: int):
    require(request, "placement.view")
    application = access_application(request.user, application_id)
    data = application_row(application)
    data.update(
        interview_place=application.interview_place,
        offer_position_title=application.offer_position_title,
        offer_wage_amount=application.offer_wage_amount,
        offer_contract_months=application.offer_contract_months,
        offer_respond_by=application.offer_respond_by,
        status_reason=application.status_reason,
        score_parts=application.score_parts or {},
    )
    return data

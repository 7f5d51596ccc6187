"""Job order pages for the agencies and the office: the form, the detail, the review and the
moves of an order (the list is in list_views.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.forms_errors import apply_errors, form_page, post_action

from .. import selectors, services
from ..access import access_order, agency_of
from ..forms import (
    CostDecisionForm,
    CostFormSet,
    JobOrderForm,
    ReasonForm,
    ReviewForm,
    apply_order_errors,
    cost_lines,
    order_form_error_summary,
)
from ..states import ORDER_EDITABLE, OrderStatus
from ._shared import file_response

ADD_COST_ROWS = "add_cost_rows"
COST_ROWS_ADDED = 3


def _unjudged(form) -> None:
    """A bound form shown again without being validated: no error is said for what is not sent."""
    form._errors = ErrorDict()
    form.cleaned_data = {}


def _order_form_with_more_rows(request, *, order, initial):
    data = request.POST.copy()
    try:
        rows = int(data.get("cost-TOTAL_FORMS", 0))
    except ValueError:
        rows = 0
    data["cost-TOTAL_FORMS"] = str(min(max(rows, 0) + COST_ROWS_ADDED, CostFormSet.max_num))
    form = JobOrderForm(data, request.FILES, instance=order)
    costs = CostFormSet(data, prefix="cost", initial=initial)
    _unjudged(form)
    for row in costs.forms:
        _unjudged(row)
    costs._errors = [row.errors for row in costs.forms]
    costs._non_form_errors = costs.error_class()
    form.note_unsent_file()
    return form, costs


def _order_form_page(request, *, order=None):
    agency = agency_of(request.user) if order is None else order.agency
    if agency is None:
        return render(request, "placement/no_agency.html", status=200)
    # The same initial rows on GET and POST, so an untouched row is seen as unchanged.
    initial = [
        {"item": c.item, "description": c.description, "amount": c.amount, "paid_by": c.paid_by}
        for c in (order.costs.all() if order else [])
    ]
    summary = []
    if request.method == "POST" and ADD_COST_ROWS in request.POST:
        # "Tambah baris biaya": the page again with everything typed and more empty rows, nothing
        # saved nor judged yet (works without JavaScript).
        form, costs = _order_form_with_more_rows(request, order=order, initial=initial)
    elif request.method == "POST":
        form = JobOrderForm(request.POST, request.FILES, instance=order)
        costs = CostFormSet(request.POST, prefix="cost", initial=initial)
        if form.is_valid() and costs.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("attache_file", None)
            try:
                if order is None:
                    saved = services.job_order_create(
                        actor=request.user,
                        agency=agency,
                        data=data,
                        costs=cost_lines(costs),
                        attache_file=upload,
                    )
                    messages.success(
                        request,
                        _("Draf lowongan %(ref)s disimpan. Periksa daftar syarat, lalu ajukan.")
                        % {"ref": saved.reference},
                    )
                else:
                    saved = services.job_order_update(
                        actor=request.user,
                        order=order,
                        data=data,
                        costs=cost_lines(costs),
                        attache_file=upload,
                    )
                    messages.success(request, _("Perubahan lowongan disimpan."))
                return redirect("placement:order_detail", pk=saved.pk)
            except ValidationError as error:
                apply_order_errors(form, costs, error)
        form.note_unsent_file()
        summary = order_form_error_summary(form, costs)
    else:
        form = JobOrderForm(instance=order)
        costs = CostFormSet(prefix="cost", initial=initial)
    return render(
        request,
        "placement/order_form.html",
        {
            "form": form,
            "costs": costs,
            "order": order,
            "agency": agency,
            "sections": JobOrderForm.SECTIONS,
            "costs_anchor": JobOrderForm.COSTS_SECTION[0],
            "summary": summary,
            "add_cost_rows": ADD_COST_ROWS,
        },
    )


@capability_required("placement.agency")
def order_create(request):
    return _order_form_page(request)


@capability_required("placement.agency")
def order_edit(request, pk):
    order = access_order(request.user, pk, write=True)
    if order.status not in ORDER_EDITABLE:
        messages.error(request, _("Lowongan ini tidak bisa diubah lagi."))
        return redirect("placement:order_detail", pk=order.pk)
    return _order_form_page(request, order=order)


@capability_required("placement.view")
def order_detail(request, pk):
    order = access_order(request.user, pk)
    on = timezone.localdate()
    own = can(request.user, "placement.agency") and (
        order.agency.organisation_id == request.user.organisation_id
    )
    reviewer = can(request.user, "placement.review")
    context = {
        "order": order,
        "own": own,
        "reviewer": reviewer,
        "costs": list(order.costs.all()),
        "events": selectors.order_events(order),
        "status_by": selectors.order_status_by(order),
        "quota": selectors.quota_summary(order),
        "return_reason": selectors.latest_return_reason(order)
        if order.status == OrderStatus.RETURNED
        else "",
        "applications": selectors.order_applications(order),
        "application_counts": selectors.application_counts(order),
        "today": on,
        "editable": order.status in ORDER_EDITABLE,
    }
    if order.status in (OrderStatus.DRAFT, OrderStatus.RETURNED, OrderStatus.SUBMITTED):
        context["problems"] = services.order_problems(
            order, on=on, for_approval=order.status == OrderStatus.SUBMITTED
        )
        if order.status in ORDER_EDITABLE and not context["problems"]:
            # Ready to submit, but say what approval will still wait for (the attaché's check).
            context["approval_problems"] = services.order_problems(order, on=on, for_approval=True)
    return render(request, "placement/order_detail.html", context)


@capability_required("placement.agency")
@require_POST
def order_submit(request, pk):
    order = access_order(request.user, pk, write=True)
    try:
        services.job_order_submit(actor=request.user, order=order)
        messages.success(request, _("Lowongan diajukan ke Disnakertrans untuk ditinjau."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("placement:order_detail", pk=order.pk)


@capability_required("placement.review")
def order_review(request, pk):
    order = access_order(request.user, pk)
    on = timezone.localdate()
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        action = {
            ReviewForm.APPROVE: services.job_order_approve,
            ReviewForm.RETURN: services.job_order_return,
            ReviewForm.REJECT: services.job_order_reject,
        }[decision]
        try:
            action(actor=request.user, order=order, reason=reason)
            messages.success(request, _("Keputusan disimpan dan P3MI diberi tahu."))
            return redirect("placement:order_detail", pk=order.pk)
        except ValidationError as error:
            apply_errors(form, error)
    costs = list(order.costs.all())
    return render(
        request,
        "placement/order_review.html",
        {
            "order": order,
            "form": form,
            "problems": services.order_problems(order, on=on, for_approval=True),
            "costs": costs,
            "to_decide": [
                (
                    number,
                    cost,
                    CostDecisionForm(
                        initial={"decision": cost.office_decision},
                        prefix=CostDecisionForm.prefix_for(cost),
                    ),
                )
                for number, cost in enumerate(costs, start=1)
                if cost.needs_office_decision
            ],
            "quota": selectors.quota_summary(order),
        },
    )


@capability_required("placement.review")
@require_POST
def order_cost_decide(request, pk, cost_pk):
    order = access_order(request.user, pk)
    cost = get_object_or_404(order.costs, pk=cost_pk)
    return post_action(
        request,
        CostDecisionForm(request.POST, prefix=CostDecisionForm.prefix_for(cost)),
        save=lambda data: services.job_order_cost_decide(
            actor=request.user, cost=cost, decision=data["decision"], reason=data["reason"]
        ),
        success=_("Keputusan atas biaya ini disimpan."),
        done=reverse("placement:order_review", args=[order.pk]),
        invalid=_("Pilih keputusannya dan tulis alasannya."),
    )


@capability_required("placement.agency", "placement.review")
def order_close(request, pk):
    order = access_order(request.user, pk, write=not can(request.user, "placement.review"))
    return form_page(
        request,
        ReasonForm(request.POST or None),
        save=lambda data: services.job_order_close(
            actor=request.user, order=order, reason=data["reason"]
        ),
        success=_("Lowongan ditutup."),
        done=reverse("placement:order_detail", args=[order.pk]),
        template="placement/form.html",
        context={
            "title": _("Tutup lowongan %(ref)s") % {"ref": order.reference},
            "intro": _(
                "Lamaran yang masih berjalan akan berakhir sebagai tidak terpilih, dengan alasan ini."
            ),
            "submit": _("Tutup lowongan"),
            "danger": True,
            "back": reverse("placement:order_detail", args=[order.pk]),
        },
    )


@capability_required("placement.view")
def order_attache_document(request, pk):
    order = access_order(request.user, pk)
    return file_response(
        request,
        field=order.attache_document,
        content_type=order.attache_content_type,
        target=order,
        action="job_order.attache_document_view",
        filename=f"verifikasi-atase-{order.reference}",
    )

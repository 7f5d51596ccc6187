"""Pages of placement: staff pages for the city and the agencies, the public register, and the
candidate's own pages. Views fetch through access.py, write through services.py, read through
selectors.py."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required, public
from jalur.accounts.roles import can
from jalur.audit.files import private_file_response
from jalur.candidates.access import own_candidate
from jalur.candidates.models import Candidate
from jalur.core.forms_errors import apply_errors, form_page, post_action
from jalur.pathways.models import PathwayAssignment
from jalur.pathways.results import results_for
from jalur.rules.eligibility import age_on

from . import selectors, services
from .access import (
    access_agency,
    access_agreement,
    access_application,
    access_order,
    access_permit,
    access_permit_change,
    agency_of,
    agreements_for,
    my_application,
    orders_for,
)
from .eligibility import (
    MATCHABLE_STAGES,
    PLACED_STAGES,
    eligible_candidates,
    matchable_candidates,
    order_eligibility,
)
from .forms import (
    AgencyForm,
    AgreementForm,
    CostDecisionForm,
    CostFormSet,
    InterviewForm,
    InterviewHeldForm,
    InterviewResultForm,
    JobOrderForm,
    LiftForm,
    OfferForm,
    PermitChangeForm,
    PermitDecisionForm,
    PublicOrderSearchForm,
    ReasonForm,
    ReviewForm,
    SuspensionForm,
    apply_order_errors,
    cost_lines,
    order_form_error_summary,
)
from .models import AgreementKind, InterviewResult, PermitChangeStatus
from .selection import (
    PART_LABELS,
    WEIGHTS,
    ScorePart,
    describe_weights,
    ranked_paginated,
    score_parts,
)
from .states import APPLICATION_OPEN, ORDER_EDITABLE, ApplicationStatus, OrderStatus

AS = ApplicationStatus
PAGE = 50


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


def _file_response(request, *, field, content_type: str, target, action: str, filename: str):
    extension = mimetypes.guess_extension(content_type) or ""
    return private_file_response(
        request,
        file=field,
        content_type=content_type,
        target=target,
        action=action,
        filename=f"{filename}{extension}",
    )


# --- job orders (the list is in list_views.py) -------------------------------------------------
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
    return _file_response(
        request,
        field=order.attache_document,
        content_type=order.attache_content_type,
        target=order,
        action="job_order.attache_document_view",
        filename=f"verifikasi-atase-{order.reference}",
    )


# --- SIP2MI permits --------------------------------------------------------------------------------
@capability_required("placement.view")
def permit_list(request):
    return render(
        request,
        "placement/permit_list.html",
        {"permits": list(selectors.permit_list(request.user)), "today": timezone.localdate()},
    )


@capability_required("placement.view")
def permit_detail(request, pk):
    permit = access_permit(request.user, pk)
    changes = selectors.permit_changes(permit)
    pending = next((c for c in changes if c.is_pending), None)
    own = can(request.user, "placement.agency") and (
        permit.agency.organisation_id == request.user.organisation_id
    )
    reviewer = can(request.user, "placement.review")
    return render(
        request,
        "placement/permit_detail.html",
        {
            "permit": permit,
            "history": selectors.permit_history(permit),
            "changes": changes,
            "pending": pending,
            "own": own,
            "decision_form": PermitDecisionForm() if reviewer and pending else None,
            "used": services.positions_used(permit=permit),
            "orders": list(permit.orders.order_by("-created_at")[:50]),
        },
    )


@capability_required("placement.agency")
def permit_change_request(request, pk):
    permit = access_permit(request.user, pk, write=True)
    back = reverse("placement:permit_detail", args=[permit.pk])
    form = PermitChangeForm(request.POST or None, request.FILES or None, permit=permit)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.permit_change_request(
                    actor=request.user,
                    permit=permit,
                    quota=data["quota"],
                    issued_on=data["issued_on"],
                    valid_until=data["valid_until"],
                    document=data["document"],
                    note=data["note"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Perubahan SIP2MI diajukan. Angka yang tercatat tetap berlaku sampai "
                        "Disnakertrans menyetujuinya."
                    ),
                )
                return redirect(back)
        form.note_unsent_file()
    return render(
        request,
        "placement/form.html",
        {
            "form": form,
            "title": _("Ajukan perubahan SIP2MI %(number)s") % {"number": permit.number},
            "intro": _(
                "Tulis angka yang tertulis di SIP2MI baru dan unggah scan-nya. Disnakertrans "
                "memeriksanya; sampai disetujui, lowongan memakai angka yang tercatat sekarang "
                "(kuota %(quota)s)."
            )
            % {"quota": permit.quota},
            "submit": _("Ajukan perubahan"),
            "multipart": True,
            "back": back,
        },
    )


@capability_required("placement.review")
@require_POST
def permit_change_decide(request, pk):
    change = access_permit_change(request.user, pk, write=True)
    return post_action(
        request,
        PermitDecisionForm(request.POST),
        save=lambda data: services.permit_change_decide(
            actor=request.user,
            change=change,
            approve=data["decision"] == PermitDecisionForm.APPROVE,
            reason=data["reason"],
        ),
        success=lambda saved: (
            _("Perubahan SIP2MI disetujui; angka barunya berlaku.")
            if saved.status == PermitChangeStatus.APPROVED
            else _("Perubahan SIP2MI ditolak; angka yang tercatat tetap berlaku.")
        ),
        done=reverse("placement:permit_detail", args=[change.permit_id]),
        invalid=_("Pilih keputusannya: setujui atau tolak."),
    )


@capability_required("placement.view")
def permit_change_document(request, pk):
    change = access_permit_change(request.user, pk)
    return _file_response(
        request,
        field=change.document,
        content_type=change.content_type,
        target=change,
        action="permit.change_document_view",
        filename=f"sip2mi-perubahan-{change.pk}",
    )


# --- selection -------------------------------------------------------------------------------------
def _candidate_facts(candidates: list[Candidate], order, on) -> dict[int, dict]:
    """What a reviewer needs beside each row: age, kecamatan, official results (two queries)."""
    ids = [c.pk for c in candidates]
    results = results_for(ids)
    facts = {}
    for candidate in candidates:
        facts[candidate.pk] = {
            "age": age_on(candidate.birth_date, on),
            "results": [r.label for r in results.get(candidate.pk, []) if r.valid_on(on)],
        }
    return facts


@capability_required("placement.review")
def order_selection(request, pk):
    order = access_order(request.user, pk)
    on, now = timezone.localdate(), timezone.now()
    show_failing = request.GET.get("tidak_memenuhi") == "1"
    applications = {a.candidate_id: a for a in order.applications.all()}
    context = {
        "order": order,
        "weights": WEIGHTS,
        "weights_text": describe_weights(),
        "show_failing": show_failing,
        "querystring_base": _querystring(request),
        "target": order.recommendation_target,
        "held_count": sum(
            1 for a in applications.values() if a.status in {*APPLICATION_OPEN, AS.ACCEPTED}
        ),
    }
    if show_failing:
        eligible_ids = eligible_candidates(order, on).values("pk")
        pool = (
            matchable_candidates(order)
            .exclude(pk__in=eligible_ids)
            .select_related("district")
            .order_by("full_name", "pk")
            .distinct()
        )
        page = Paginator(pool, PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        results = results_for([c.pk for c in rows])
        assignments = {
            a.candidate_id: a
            for a in PathwayAssignment.objects.select_related("pathway", "job_type").filter(
                candidate__in=rows, is_active=True
            )
        }
        context["failing"] = [
            {
                "candidate": c,
                "age": age_on(c.birth_date, on),
                "failures": order_eligibility(
                    candidate=c,
                    order=order,
                    on=on,
                    results=results.get(c.pk, []),
                    assignment=assignments.get(c.pk),
                    assignment_known=True,
                ).failures,
            }
            for c in rows
        ]
    else:
        page = ranked_paginated(
            order,
            on=on,
            now=now,
            number=request.GET.get("page"),
            per_page=PAGE,
            select_related=("district",),
        )
        rows = page.object_list
        facts = _candidate_facts(rows, order, on)
        start = page.start_index()
        context["ranked"] = [
            {
                "rank": start + i,
                "candidate": c,
                "score": round(c.score, 1),
                "parts": score_parts(c),
                "facts": facts[c.pk],
                "application": applications.get(c.pk),
                "recommended_band": start + i <= order.recommendation_target,
            }
            for i, c in enumerate(rows)
        ]
    context["page_obj"] = page
    return render(request, "placement/selection.html", context)


@capability_required("placement.review")
@require_POST
def order_recommend(request, pk):
    order = access_order(request.user, pk)
    try:
        created = services.recommendations_fill(actor=request.user, order=order)
        if created:
            messages.success(
                request,
                _("%(n)s pencari kerja direkomendasikan dan diberi tahu.") % {"n": len(created)},
            )
        else:
            messages.info(
                request,
                _(
                    "Tidak ada rekomendasi baru: lamaran berjalan sudah tiga kali jumlah lowongan, atau tidak ada lagi yang memenuhi syarat."
                ),
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("placement:order_selection", pk=order.pk)


# --- fairness --------------------------------------------------------------------------------------
@capability_required("placement.fairness")
def order_fairness(request, pk):
    order = access_order(request.user, pk)
    return render(
        request,
        "placement/fairness.html",
        {"order": order, "report": selectors.fairness_for_order(order)},
    )


@capability_required("placement.fairness")
def fairness(request):
    return render(
        request,
        "placement/fairness.html",
        {
            "order": None,
            "report": selectors.fairness_overall(),
            "progress": selectors.selection_progress(request.user),
        },
    )


# --- applications (agency work, office read) -------------------------------------------------------
APPLICATION_ACTIONS = {
    "shortlist": "application_shortlist",
    "interview": "interview_schedule",
    "held": "interview_record",
    "result": "interview_record",
    "select": "application_select",
    "offer": "offer_make",
    "not_selected": "application_not_selected",
    "withdraw": "application_withdraw",
}


def _application_forms(application, data=None, action: str = ""):
    """The forms for the next steps from this application's status (bound only for `action`)."""

    def bound(name):
        return data if action == name else None

    status = application.status
    forms = {}
    if status in (AS.SHORTLISTED, AS.INTERVIEW_SCHEDULED):
        initial = {}
        if application.interview_at:
            initial = {
                "at": timezone.localtime(application.interview_at),
                "mode": application.interview_mode,
                "place": application.interview_place,
            }
        forms["interview"] = InterviewForm(bound("interview"), initial=initial, prefix="interview")
    if status == AS.SHORTLISTED:
        forms["held"] = InterviewHeldForm(bound("held"), prefix="held")
    if status == AS.INTERVIEW_SCHEDULED:
        forms["result"] = InterviewResultForm(
            bound("result"),
            initial={"held_at": timezone.localtime(application.interview_at)},
            prefix="result",
        )
    if status == AS.SELECTED:
        forms["offer"] = OfferForm(bound("offer"), prefix="offer", order=application.order)
    if status in (
        AS.RECOMMENDED,
        AS.APPLIED,
        AS.SHORTLISTED,
        AS.INTERVIEW_SCHEDULED,
        AS.INTERVIEWED,
        AS.SELECTED,
        AS.OFFERED,
    ):
        forms["not_selected"] = ReasonForm(bound("not_selected"), prefix="not_selected")
    if status == AS.ACCEPTED:
        forms["withdraw"] = ReasonForm(bound("withdraw"), prefix="withdraw")
    return forms


def _application_page(request, application, forms, status=200):
    on = timezone.localdate()
    candidate = application.candidate
    results = [r for r in results_for([candidate.pk])[candidate.pk] if r.valid_on(on)]
    own = can(request.user, "placement.agency") and (
        application.order.agency.organisation_id == request.user.organisation_id
    )
    return render(
        request,
        "placement/application_detail.html",
        {
            "application": application,
            "order": application.order,
            "candidate": candidate,
            "age": age_on(candidate.birth_date, on),
            "results": results,
            "parts": [
                ScorePart(
                    code=code, label=str(PART_LABELS[code]), weight=WEIGHTS[code], value=value
                )
                for code, value in application.score_parts.items()
                if code in WEIGHTS
            ],
            "show_contact": selectors.may_see_contact(application),
            "events": list(application.events.select_related("actor")),
            "own": own,
            "forms": forms if own else {},
            "can_shortlist": own and application.status in (AS.RECOMMENDED, AS.APPLIED),
            "can_select": own
            and application.status == AS.INTERVIEWED
            and application.interview_result != InterviewResult.FAILED,
        },
        status=status,
    )


def _offer_problems_beside(form: OfferForm, application) -> None:
    """The form could not read some of the offer (a date that does not exist): say what the service
    would refuse in the rest too, so every problem shows in this round."""
    terms = ("position_title", "wage_amount", "contract_months", "respond_by")
    problems = services.offer_check(
        application=application, **{name: form.cleaned_data.get(name) for name in terms}
    )
    rest = {name: problem for name, problem in problems.items() if name not in form.errors}
    if rest:
        apply_errors(form, ValidationError(rest))


@capability_required("placement.view")
def application_detail(request, pk):
    application = access_application(request.user, pk)
    return _application_page(request, application, _application_forms(application))


@capability_required("placement.agency")
@require_POST
def application_action(request, pk, action):
    application = access_application(request.user, pk, write=True)
    if action not in APPLICATION_ACTIONS:
        raise Http404
    forms = _application_forms(application, request.POST, action)
    form = forms.get(action)
    try:
        if action == "shortlist":
            services.application_shortlist(actor=request.user, application=application)
        elif action == "select":
            services.application_select(actor=request.user, application=application)
        elif form is None:
            raise ValidationError(
                _("Langkah ini tidak tersedia untuk lamaran berstatus ini. Muat ulang halaman.")
            )
        elif not form.is_valid():
            if action == "offer":
                _offer_problems_beside(form, application)
            return _application_page(request, application, forms, status=400)
        elif action == "interview":
            services.interview_schedule(
                actor=request.user,
                application=application,
                at=form.cleaned_data["at"],
                mode=form.cleaned_data["mode"],
                place=form.cleaned_data["place"],
            )
        elif action in ("held", "result"):
            services.interview_record(
                actor=request.user,
                application=application,
                result=form.cleaned_data["result"],
                notes=form.cleaned_data["notes"],
                held_at=form.cleaned_data["held_at"],
                mode=form.cleaned_data.get("mode", ""),
                place=form.cleaned_data.get("place", ""),
            )
        elif action == "offer":
            services.offer_make(
                actor=request.user,
                application=application,
                position_title=form.cleaned_data["position_title"],
                wage_amount=form.cleaned_data["wage_amount"],
                contract_months=form.cleaned_data["contract_months"],
                terms=form.cleaned_data["terms"],
                respond_by=form.cleaned_data["respond_by"],
            )
        elif action == "not_selected":
            services.application_not_selected(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        elif action == "withdraw":
            services.application_withdraw(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
    except ValidationError as error:
        if form is not None and form.is_bound:
            apply_errors(form, error)
            return _application_page(request, application, forms, status=400)
        for message in error.messages:
            messages.error(request, message)
        return redirect("placement:application_detail", pk=application.pk)
    messages.success(request, _("Tersimpan."))
    return redirect("placement:application_detail", pk=application.pk)


# --- agencies --------------------------------------------------------------------------------------
@capability_required("placement.view")
def agency_list(request):
    on = timezone.localdate()
    return render(
        request,
        "placement/agency_list.html",
        {"agencies": list(selectors.agency_list(request.user)), "today": on},
    )


@capability_required("placement.agreements.manage")
def agency_create(request):
    def save(data):
        organisation = data.pop("organisation")
        return services.agency_create(actor=request.user, organisation=organisation, data=data)

    return form_page(
        request,
        AgencyForm(request.POST or None),
        save=save,
        success=_("Data P3MI disimpan."),
        done=lambda agency: reverse("placement:agency_detail", args=[agency.pk]),
        template="placement/form.html",
        context={
            "title": _("Catat P3MI"),
            "intro": _(
                "Salin data dari SIP3MI yang berlaku. Status P3MI (aktif, dibekukan, izin habis) dihitung dari tanggal izin dan catatan pembekuan."
            ),
            "submit": _("Simpan"),
            "back": reverse("placement:agency_list"),
        },
    )


@capability_required("placement.view")
def agency_detail(request, pk):
    agency = access_agency(request.user, pk)
    on = timezone.localdate()
    return render(
        request,
        "placement/agency_detail.html",
        {
            "agency": agency,
            "today": on,
            "suspensions": list(agency.suspensions.select_related("created_by", "lifted_by")),
            "agreements": list(
                agency.agreements.prefetch_related("job_types", "pathways").order_by("-ends_on")
            ),
            "permits": list(agency.permits.all()),
            "orders": list(
                agency.orders.select_related("pathway", "job_type").order_by("-created_at")[:20]
            ),
            "manage": can(request.user, "placement.agreements.manage"),
            "current_suspension": agency.current_suspension(on),
            "open_suspension": agency.suspensions.filter(lifted_on__isnull=True).first(),
        },
    )


@capability_required("placement.agreements.manage")
def agency_edit(request, pk):
    agency = access_agency(request.user, pk, write=True)

    def save(data):
        reason = data.pop("reason", "")
        return services.agency_update(actor=request.user, agency=agency, data=data, reason=reason)

    return form_page(
        request,
        AgencyForm(request.POST or None, instance=agency),
        save=save,
        success=_("Data P3MI diperbarui."),
        done=reverse("placement:agency_detail", args=[agency.pk]),
        template="placement/form.html",
        context={
            "title": _("Ubah data %(name)s") % {"name": agency.name},
            "submit": _("Simpan"),
            "back": reverse("placement:agency_detail", args=[agency.pk]),
        },
    )


@capability_required("placement.agreements.manage")
def agency_suspend(request, pk):
    agency = access_agency(request.user, pk, write=True)
    return form_page(
        request,
        SuspensionForm(request.POST or None),
        save=lambda data: services.agency_suspend(actor=request.user, agency=agency, **data),
        success=_("P3MI dibekukan; stafnya diberi tahu."),
        done=reverse("placement:agency_detail", args=[agency.pk]),
        template="placement/form.html",
        context={
            "title": _("Bekukan %(name)s") % {"name": agency.name},
            "intro": _(
                "Selama dibekukan, P3MI tidak bisa mengajukan lowongan baru dan tidak tampil di daftar publik P3MI berizin."
            ),
            "submit": _("Bekukan"),
            "danger": True,
            "back": reverse("placement:agency_detail", args=[agency.pk]),
        },
    )


@capability_required("placement.agreements.manage")
def agency_lift(request, pk):
    agency = access_agency(request.user, pk, write=True)
    suspension = agency.suspensions.filter(lifted_on__isnull=True).first()
    if suspension is None:
        raise Http404
    return form_page(
        request,
        LiftForm(request.POST or None),
        save=lambda data: services.agency_suspension_lift(
            actor=request.user,
            suspension=suspension,
            lifted_on=data["lifted_on"],
            reason=data["reason"],
        ),
        success=_("Pembekuan dicabut."),
        done=reverse("placement:agency_detail", args=[agency.pk]),
        template="placement/form.html",
        context={
            "title": _("Cabut pembekuan %(name)s") % {"name": agency.name},
            "intro": _("Dibekukan sejak %(date)s: %(reason)s")
            % {"date": suspension.starts_on.strftime("%d-%m-%Y"), "reason": suspension.reason},
            "submit": _("Cabut pembekuan"),
            "back": reverse("placement:agency_detail", args=[agency.pk]),
        },
    )


# --- agreements ------------------------------------------------------------------------------------
@capability_required("placement.view")
def agreement_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in AgreementKind.values else ""
    return render(
        request,
        "placement/agreement_list.html",
        {
            "agreements": list(selectors.agreement_list(request.user, kind=kind)),
            "kinds": AgreementKind.choices,
            "kind": kind,
            "today": timezone.localdate(),
            "target": selectors.programme_target(),
        },
    )


def _agreement_form_page(request, agreement=None):
    form = AgreementForm(request.POST or None, request.FILES or None, instance=agreement)
    if request.method == "POST" and not form.is_valid():
        form.note_unsent_file()

    def save(data):
        document = data.pop("document_file", None)
        pathways = data.pop("pathways")
        job_types = data.pop("job_types")
        reason = data.pop("reason", "")
        links = {"pathways": pathways, "job_types": job_types, "document": document}
        try:
            if agreement is None:
                return services.agreement_create(actor=request.user, data=data, **links)
            return services.agreement_update(
                actor=request.user, agreement=agreement, data=data, reason=reason, **links
            )
        except ValidationError as error:
            if "document_file" not in getattr(error, "error_dict", {}):
                form.note_unsent_file()
            raise

    return form_page(
        request,
        form,
        save=save,
        success=_("Perjanjian disimpan."),
        done=lambda saved: reverse("placement:agreement_detail", args=[saved.pk]),
        template="placement/form.html",
        context={
            "multipart": True,
            "title": _("Ubah %(name)s") % {"name": agreement}
            if agreement
            else _("Catat perjanjian"),
            "intro": _(
                "MoU Pemkot–APJATI memuat target program; PKS dibuat dengan setiap P3MI dan menentukan negara, skema dan jenis pekerjaan yang boleh diajukan P3MI itu."
            ),
            "submit": _("Simpan"),
            "back": reverse("placement:agreement_list"),
        },
    )


@capability_required("placement.agreements.manage")
def agreement_create(request):
    return _agreement_form_page(request)


@capability_required("placement.agreements.manage")
def agreement_edit(request, pk):
    return _agreement_form_page(request, access_agreement(request.user, pk, write=True))


@capability_required("placement.view")
def agreement_detail(request, pk):
    agreement = access_agreement(request.user, pk)
    return render(
        request,
        "placement/agreement_detail.html",
        {
            "agreement": agreement,
            "today": timezone.localdate(),
            # Only what this user may open: a P3MI sees its own PKS under the MoU and its own
            # orders, never a link that answers "not found".
            "pks": list(agreements_for(request.user).filter(mou=agreement))
            if agreement.kind == AgreementKind.MOU
            else [],
            "orders": list(
                orders_for(request.user).filter(agreement=agreement).order_by("-created_at")[:20]
            ),
            "manage": can(request.user, "placement.agreements.manage"),
            "target": selectors.programme_target() if agreement.kind == AgreementKind.MOU else None,
        },
    )


@capability_required("placement.view")
def agreement_document(request, pk):
    agreement = access_agreement(request.user, pk)
    return _file_response(
        request,
        field=agreement.document,
        content_type=agreement.content_type,
        target=agreement,
        action="agreement.document_view",
        filename=f"perjanjian-{agreement.pk}",
    )


@capability_required("placement.view")
def expiring(request):
    return render(request, "placement/expiring.html", selectors.expiring(request.user))


# --- the public register ---------------------------------------------------------------------------
@public
def public_orders(request):
    form = PublicOrderSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    q = filters.get("q", "")
    rows = selectors.public_orders(
        q=q, country=filters.get("country", ""), job_type=filters.get("job_type", "")
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "placement/public_orders.html",
        {
            "form": form,
            "page_obj": page,
            "querystring_base": _querystring(request),
            "q": q,
            "miss": selectors.public_lookup_miss(q) if q and not page.paginator.count else {},
        },
    )


@public
def public_order(request, pk):
    order = selectors.public_order(pk)
    if order is None:
        raise Http404
    return render(request, "placement/public_order.html", {"order": order})


@public
def public_agencies(request):
    q = request.GET.get("q", "").strip()[:100]
    agencies = list(selectors.public_agencies(q=q))
    return render(
        request,
        "placement/public_agencies.html",
        {
            "agencies": agencies,
            "q": q,
            "miss": selectors.public_lookup_miss(q) if q and not agencies else {},
            "today": timezone.localdate(),
        },
    )


# --- the candidate's own pages ---------------------------------------------------------------------
@capability_required("candidates.self")
def my_placement(request):
    candidate = own_candidate(request.user)
    if candidate is None:
        return render(request, "placement/my_placement.html", {"candidate": None})
    # From pre-departure on the person has accepted an offer: other orders are not for them,
    # and a list of "requirements not met" would tell them to finish training again.
    placed = candidate.stage in PLACED_STAGES
    return render(
        request,
        "placement/my_placement.html",
        {
            "candidate": candidate,
            "placed": placed,
            "before_training_done": candidate.stage not in MATCHABLE_STAGES and not placed,
            "applications": selectors.my_applications(candidate),
            "orders": [] if placed else selectors.orders_for_candidate(candidate),
        },
    )


@capability_required("candidates.self")
def my_order(request, pk):
    candidate = own_candidate(request.user)
    order = selectors.public_order(pk)
    if candidate is None or order is None:
        raise Http404
    application = candidate.applications.filter(order=order).first()
    if request.method == "POST":
        try:
            application = services.application_apply(
                candidate=candidate, order=order, actor=request.user
            )
            messages.success(
                request,
                _("Lamaran terkirim. Perusahaan akan menghubungi Anda lewat Jalur."),
            )
            return redirect("placement:my_application", pk=application.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    on = timezone.localdate()
    return render(
        request,
        "placement/my_order.html",
        {
            "order": order,
            "candidate": candidate,
            "application": application,
            "eligibility": order_eligibility(candidate=candidate, order=order, on=on),
            "can_apply": application is None or application.status == AS.RECOMMENDED,
        },
    )


@capability_required("candidates.self")
def my_application_detail(request, pk):
    application = my_application(request.user, pk)
    decline = ReasonForm(
        request.POST if request.POST.get("answer") == "decline" else None, prefix="decline"
    )
    withdraw = ReasonForm(
        request.POST if request.POST.get("answer") == "withdraw" else None, prefix="withdraw"
    )
    decline.fields["reason"].required = False
    decline.fields["reason"].label = _("Alasan menolak (boleh dikosongkan)")
    withdraw.fields["reason"].label = _("Alasan mengundurkan diri")
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                services.offer_accept(actor=request.user, application=application)
                messages.success(
                    request,
                    _(
                        "Anda menerima tawaran ini. Langkah berikutnya: persiapan keberangkatan bersama P3MI."
                    ),
                )
                return redirect("placement:my_application", pk=application.pk)
            if answer == "decline" and decline.is_valid():
                services.offer_decline(
                    actor=request.user,
                    application=application,
                    reason=decline.cleaned_data["reason"],
                )
                messages.success(request, _("Tawaran ditolak."))
                return redirect("placement:my_application", pk=application.pk)
            if answer == "withdraw" and withdraw.is_valid():
                services.application_withdraw(
                    actor=request.user,
                    application=application,
                    reason=withdraw.cleaned_data["reason"],
                )
                messages.success(request, _("Anda mengundurkan diri dari lowongan ini."))
                return redirect("placement:my_application", pk=application.pk)
            if answer not in ("accept", "decline", "withdraw"):
                raise PermissionDenied
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("placement:my_application", pk=application.pk)
    return render(
        request,
        "placement/my_application.html",
        {
            "application": application,
            "order": application.order,
            "decline": decline,
            "withdraw": withdraw,
            "can_withdraw": application.status in {*APPLICATION_OPEN, AS.ACCEPTED},
        },
    )

"""An application's page for the agency (its next steps) and for the office (read only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.forms_errors import apply_errors
from jalur.pathways.results import results_for
from jalur.rules.eligibility import age_on

from .. import selectors, services
from ..access import access_application
from ..forms import InterviewForm, InterviewHeldForm, InterviewResultForm, OfferForm, ReasonForm
from ..models import InterviewResult
from ..selection import PART_LABELS, WEIGHTS, ScorePart
from ..states import ApplicationStatus as AS

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

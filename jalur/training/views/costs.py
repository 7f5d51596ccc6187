"""The costs of a cohort: the list with its totals, adding a cost line, deleting one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.forms_errors import apply_errors

from .. import services
from ..access import access_cohort
from ..forms import CostForm, ReasonForm
from ..models import CostItem, Payer, TrainingCost


@capability_required("training.view")
def cohort_costs(request, pk):
    cohort = access_cohort(request.user, pk, write=request.method == "POST")
    form = CostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cost_record(cohort=cohort, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Biaya dicatat."))
            return redirect("training:cohort_costs", pk=cohort.pk)
    costs = cohort.costs.select_related("recorded_by")
    by_payer = costs.values("payer").annotate(total=Sum("amount")).order_by("payer")
    zero_cost = services.cohort_zero_cost_job_types(cohort)
    lines = list(costs)
    for line in lines:
        line.ruling = services.cost_ruling(
            item=line.item,
            payer=line.payer,
            zero_cost=bool(zero_cost),
            description=line.description,
        )
    # what the trainee may pay of this programme's own costs, and on what basis (the page's note)
    trainee_rulings = [
        services.cost_ruling(item=item, payer=Payer.CANDIDATE, zero_cost=bool(zero_cost))
        for item in CostItem.values
    ]
    return render(
        request,
        "training/cohort_costs.html",
        {
            "cohort": cohort,
            "form": form,
            "costs": lines,
            "by_payer": [
                (TrainingCost(payer=row["payer"]).get_payer_display(), row["total"])
                for row in by_payer
            ],
            "total": costs.aggregate(total=Sum("amount"))["total"] or 0,
            "zero_cost": zero_cost,
            "trainee_may_pay": any(r.allowed for r in trainee_rulings),
            "trainee_basis": "; ".join(
                dict.fromkeys(s.cite() for r in trainee_rulings for s in r.sources)
            ),
            "may_manage": can(request.user, "training.manage"),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@capability_required("training.manage")
def cost_delete(request, pk):
    cost = TrainingCost.objects.filter(pk=pk).first()
    if cost is None:
        raise Http404
    access_cohort(request.user, cost.cohort_id, write=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.cost_delete(cost=cost, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Biaya dihapus."))
    else:
        messages.error(request, _("Tulis alasan biaya ini dihapus."))
    return redirect("training:cohort_costs", pk=cost.cohort_id)

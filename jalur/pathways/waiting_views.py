"""The programme manager's list of people who finished training and wait for a pathway: each with
the pathway the rules suggest and why; confirmed (or another picked) for many people in one step."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.core.pagination import keyset_page

from .models import Pathway
from .services import pathways_assign_many
from .suggestions import WAITING_ORDER, assigned_by_rule, suggest, waiting_for_pathway

PAGE_SIZE = 50
# The panel of the rules' own recent assignments shows the latest this many (a national programme
# may see thousands in a week; each person's page has the rest).
BY_RULE_SHOWN = 50


@capability_required("pathways.assign")
def waiting_list(request):
    waiting = waiting_for_pathway(request.user).prefetch_related("preferred_job_types")
    page = keyset_page(request, waiting, order=WAITING_ORDER, size=PAGE_SIZE)
    by_rule = list(assigned_by_rule(request.user)[: BY_RULE_SHOWN + 1])
    return render(
        request,
        "pathways/waiting.html",
        {
            "rows": suggest(page.object_list),
            "page_obj": page,
            "today": timezone.localdate(),
            "by_rule": by_rule[:BY_RULE_SHOWN],
            "by_rule_more": len(by_rule) > BY_RULE_SHOWN,
        },
    )


@capability_required("pathways.assign")
@require_POST
def waiting_assign(request):
    """Rows ticked, each with the pathway chosen in its row (the suggestion unless changed)."""
    waiting = {
        c.pk: c
        for c in waiting_for_pathway(request.user).filter(
            pk__in=[int(v) for v in request.POST.getlist("candidates") if v.isdigit()]
        )
    }
    if not waiting:
        messages.error(
            request,
            _(
                "Centang minimal satu orang, atau muat ulang halaman: orang yang dicentang sudah "
                "punya skema."
            ),
        )
        return redirect("pathways:waiting")
    pathways = {str(p.pk): p for p in Pathway.objects.all()}
    choices, unpicked = [], []
    for pk, candidate in waiting.items():
        pathway = pathways.get(request.POST.get(f"pathway-{pk}", ""))
        if pathway is None:
            unpicked.append(candidate.full_name)
        else:
            choices.append((candidate, pathway))
    if unpicked:
        messages.error(
            request,
            _("Pilih skema untuk: %(names)s. Yang lain tetap diproses.")
            % {"names": ", ".join(unpicked)},
        )
    outcome = pathways_assign_many(choices=choices, actor=request.user)
    for candidate, reasons in outcome["refused"]:
        messages.error(request, f"{candidate.full_name}: {' '.join(reasons)}")
    if outcome["done"]:
        messages.success(
            request,
            _("Skema ditetapkan untuk %(n)s orang. Mereka sekarang bisa melamar lowongan resmi.")
            % {"n": len(outcome["done"])},
        )
    return redirect("pathways:waiting")

"""The applications waiting at one step of a P3MI's work (the home page's counts link here)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from jalur.accounts.decorators import capability_required
from jalur.core.pagination import keyset_page

from . import waiting

PAGE = 50


@capability_required("placement.view")
@require_GET
def application_list(request):
    key = request.GET.get("langkah", "")
    key = key if key in waiting.STEPS else waiting.AGENCY_STEPS[0].key
    rows = waiting.step_applications(request.user, key).select_related("candidate")
    page = keyset_page(request, rows, order=waiting.STEP_ORDER, size=PAGE)
    return render(
        request,
        "placement/application_list.html",
        {
            "step": waiting.STEPS[key],
            "steps": waiting.agency_steps(request.user),
            "page_obj": page,
        },
    )

"""The public register of job orders and licensed agencies (no log-in, no personal data)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from jalur.accounts.decorators import public

from .. import selectors
from ..forms import PublicOrderSearchForm
from ._shared import querystring


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
            "querystring_base": querystring(request),
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

"""Staff lists of placement: job orders, one keyset page at a time with counts for that page."""

from django.shortcuts import render

from jalur.accounts.decorators import capability_required
from jalur.core.pagination import keyset_page
from jalur.pathways.models import Country

from . import selectors
from .access import agency_of
from .states import OrderStatus

PAGE = 50


@capability_required("placement.view")
def order_list(request):
    status = request.GET.get("status", "")
    status = status if status in OrderStatus.values else ""
    country = request.GET.get("country", "")
    country = country if country in Country.values else ""
    q = request.GET.get("q", "").strip()[:100]
    rows = selectors.order_list(request.user, status=status, country=country, q=q)
    counts = selectors.order_status_counts(request.user)
    page = keyset_page(request, rows, order=selectors.ORDER_LIST_ORDER, size=PAGE)
    selectors.order_counts(page)
    return render(
        request,
        "placement/order_list.html",
        {
            "page_obj": page,
            "statuses": OrderStatus.choices,
            "countries": Country.choices,
            "status": status,
            "country": country,
            "q": q,
            "status_stats": [
                (code, label, counts.get(code, 0)) for code, label in OrderStatus.choices
            ],
            "agency": agency_of(request.user),
        },
    )

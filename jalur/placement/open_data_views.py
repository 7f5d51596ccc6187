"""The public register as CSV and JSON downloads (docs/open-data.md), with the page's filters."""

from django.utils import timezone

from jalur.accounts.decorators import public
from jalur.core.open_data import data_response

from .forms import PublicOrderSearchForm
from .open_data import AGENCY_COLUMNS, ORDER_COLUMNS, agency_records, order_records


@public
def public_orders_data(request, fmt):
    form = PublicOrderSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    on = timezone.localdate()
    return data_response(
        fmt=fmt,
        name="lowongan-resmi",
        on=on,
        columns=ORDER_COLUMNS,
        rows=order_records(
            q=filters.get("q", ""),
            country=filters.get("country", ""),
            job_type=filters.get("job_type", ""),
            on=on,
        ),
    )


@public
def public_agencies_data(request, fmt):
    on = timezone.localdate()
    return data_response(
        fmt=fmt,
        name="p3mi-berizin",
        on=on,
        columns=AGENCY_COLUMNS,
        rows=agency_records(q=request.GET.get("q", "").strip()[:100], on=on),
    )

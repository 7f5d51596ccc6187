from django.shortcuts import render

from jalur.accounts.decorators import capability_required
from jalur.core.pagination import keyset_page

from .forms import AuditFilterForm
from .selectors import AUDIT_ORDER, audit_search


@capability_required("audit.view")
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    rows = audit_search()
    if form.is_valid():
        rows = audit_search(**form.cleaned_data)
    page = keyset_page(request, rows, order=AUDIT_ORDER, size=50)
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page_obj": page,
        },
    )

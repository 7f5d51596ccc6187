from django.core.paginator import Paginator
from django.shortcuts import render

from jalur.accounts.decorators import capability_required

from .forms import AuditFilterForm
from .selectors import audit_search


@capability_required("audit.view")
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    rows = audit_search()
    if form.is_valid():
        rows = audit_search(**form.cleaned_data)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page_obj": page,
            "querystring_base": query.urlencode() + "&" if query else "",
        },
    )

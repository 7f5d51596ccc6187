"""The office's and the P3MI's list of grievances, one keyset page at a time."""

from django.shortcuts import render

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.pagination import keyset_page
from jalur.rules import grievances as rules

from .models import GrievanceStatus
from .selectors import GRIEVANCE_ORDER, grievance_list

# ?overdue=…: every late case, or those where the P3MI or the office is past its deadline.
LATE_FILTERS = {"1": "", "p3mi": rules.Party.AGENCY, "kantor": rules.Party.OFFICE}


@capability_required("protection.view")
def grievance_list_view(request):
    status = request.GET.get("status", "open")
    overdue = request.GET.get("overdue", "")
    overdue = overdue if overdue in LATE_FILTERS else ""
    cases = grievance_list(
        request.user,
        status=status,
        overdue=bool(overdue),
        late=LATE_FILTERS.get(overdue, ""),
        q=request.GET.get("q", "").strip(),
    )
    page = keyset_page(request, cases, order=GRIEVANCE_ORDER, size=30)
    return render(
        request,
        "protection/grievance_list.html",
        {
            "page_obj": page,
            "status": status,
            "overdue": overdue,
            "statuses": GrievanceStatus.choices,
            "can_record": can(request.user, "protection.manage"),
        },
    )

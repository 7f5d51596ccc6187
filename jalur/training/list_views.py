"""The training staff's list of cohorts, one keyset page at a time with its counts for that page."""

from django.shortcuts import render
from django.utils import timezone

from jalur.accounts.decorators import capability_required
from jalur.core.pagination import keyset_page

from .access import cohorts_for
from .models import COHORT_STATUS_LABELS, Programme
from .selectors import COHORT_ORDER, cohort_counts


@capability_required("training.view")
def cohort_list_view(request):
    cohorts = cohorts_for(request.user)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status == "planned":
        cohorts = cohorts.filter(start_date__gt=today, closed_at__isnull=True)
    elif status == "running":
        cohorts = cohorts.filter(start_date__lte=today, end_date__gte=today, closed_at__isnull=True)
    elif status == "finished":
        cohorts = cohorts.filter(end_date__lt=today, closed_at__isnull=True)
    elif status == "closed":
        cohorts = cohorts.filter(closed_at__isnull=False)
    programme = request.GET.get("program", "")
    if programme.isdigit():
        cohorts = cohorts.filter(programme_id=programme)
    page = keyset_page(request, cohorts, order=COHORT_ORDER, size=30)
    cohort_counts(page)
    return render(
        request,
        "training/cohort_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": COHORT_STATUS_LABELS.items(),
            "programme": programme,
            "programmes": Programme.objects.all(),
            "today": today,
        },
    )

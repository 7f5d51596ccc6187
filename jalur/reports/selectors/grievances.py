"""Grievance figures for the dashboard and the monthly report."""

from django.apps import apps
from django.db.models import Q, Sum

from ..models import ActivityTally
from .periods import Filters


def grievance_figures(filters: Filters) -> dict | None:
    """Open grievances by status and those past their deadline (as of the last refresh), opened
    by category and closed in the period: sums of the cells the refresh counts
    (services.activity._grievance_cells), never a pass over the grievances themselves."""
    if not apps.is_installed("jalur.protection"):
        return None
    from jalur.protection.models import GrievanceCategory, GrievanceStatus

    in_period = Q(day__gte=filters.start, day__lte=filters.last_day)
    counts = dict(
        ActivityTally.objects.filter(kind=ActivityTally.GRIEVANCE, **filters.where())
        .filter(Q(key__startswith="status:") | Q(key="late") | in_period)
        .order_by()
        .values_list("key")
        .annotate(n=Sum("n"))
    )
    open_statuses = [s for s in GrievanceStatus.values if s != GrievanceStatus.CLOSED]
    by_status = {s: counts.get(f"status:{s}", 0) for s in open_statuses}
    by_category = {c: counts.get(f"category:{c}", 0) for c in GrievanceCategory.values}
    return {
        "open": sum(by_status.values()),
        "overdue": counts.get("late", 0),
        "opened": sum(n for key, n in counts.items() if key.startswith("category:")),
        "closed": counts.get("closed", 0),
        "by_status": [
            {"label": str(GrievanceStatus(s).label), "n": n} for s, n in by_status.items() if n
        ],
        "by_category": [
            {"label": str(GrievanceCategory(c).label), "n": n} for c, n in by_category.items() if n
        ],
    }

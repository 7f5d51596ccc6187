"""Grievance figures for the dashboard and the monthly report."""

import datetime

from django.apps import apps
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import CandidateStat
from .periods import Filters


def grievance_figures(filters: Filters) -> dict | None:
    if not apps.is_installed("jalur.protection"):
        return None
    from jalur.protection.models import Grievance, GrievanceCategory, GrievanceStatus

    cases = Grievance.objects.all()
    if filters.country:
        cases = cases.filter(worker_country="" if filters.country == "-" else filters.country)
    if filters.job_type:
        # A scalar sub-query per grievance (a primary-key probe): grievances are few, and a join
        # would make PostgreSQL read everyone's figures to find them.
        job = 0 if filters.job_type == "-" else int(filters.job_type)
        person_job = Subquery(
            CandidateStat.objects.filter(candidate_id=OuterRef("candidate_id")).values(
                "job_type_id"
            )[:1]
        )
        cases = cases.annotate(person_job=Coalesce(person_job, 0)).filter(person_job=job)
    now = timezone.now()
    open_statuses = [s for s in GrievanceStatus.values if s != GrievanceStatus.CLOSED]
    start = timezone.make_aware(datetime.datetime.combine(filters.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(filters.last_day + datetime.timedelta(days=1), datetime.time.min)
    )
    in_period = Q(opened_at__gte=start, opened_at__lt=end)
    # One pass over the grievances for every figure.
    figures = {
        "open": Count("pk", filter=Q(status__in=open_statuses)),
        "overdue": Count("pk", filter=Q(status__in=open_statuses, due_at__lt=now)),
        "opened": Count("pk", filter=in_period),
        "closed": Count("pk", filter=Q(closed_at__gte=start, closed_at__lt=end)),
    }
    figures |= {f"status_{s}": Count("pk", filter=Q(status=s)) for s in open_statuses}
    figures |= {
        f"category_{c}": Count("pk", filter=in_period & Q(category=c))
        for c in GrievanceCategory.values
    }
    counts = cases.aggregate(**figures)
    return {key: counts[key] for key in ("open", "overdue", "opened", "closed")} | {
        "by_status": [
            {"label": str(GrievanceStatus(s).label), "n": counts[f"status_{s}"]}
            for s in open_statuses
            if counts[f"status_{s}"]
        ],
        "by_category": [
            {"label": str(GrievanceCategory(c).label), "n": counts[f"category_{c}"]}
            for c in GrievanceCategory.values
            if counts[f"category_{c}"]
        ],
    }

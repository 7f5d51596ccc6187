"""Pages of the reports app. All are read-only (GET): leadership looks, nobody changes anything here."""

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jalur.accounts.decorators import capability_required, public
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access
from jalur.core.pagination import bounded_count, keyset_page

from . import exports, operational
from .forms import (
    CohortFilterForm,
    DashboardFilterForm,
    MonthlyReportForm,
    StuckFilterForm,
    this_month,
)
from .models import CandidateStat
from .selectors.dashboard import dashboard as dashboard_figures
from .selectors.labels import destination_labels
from .selectors.monthly import monthly_report
from .selectors.periods import add_months
from .selectors.public import public_statistics as public_figures
from .services.refresh import stats_refresh_if_stale

PAGE_SIZE = 50


def _month_text(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


@capability_required("reports.dashboard")
@require_GET
def dashboard(request):
    end = this_month()
    form = DashboardFilterForm(
        request.GET or None,
        initial={
            "start": _month_text(add_months(end, -11)),
            "end": _month_text(end),
        },
    )
    filters = form.filters()
    stats_refresh_if_stale()
    context = dashboard_figures(filters)
    return render(request, "reports/dashboard.html", {"form": form, **context})


@capability_required("reports.dashboard")
@require_GET
def monthly(request):
    default = add_months(this_month(), -1)
    form = MonthlyReportForm(request.GET or None, initial={"month": _month_text(default)})
    month = form.month_value()
    report = None
    if month is not None:
        stats_refresh_if_stale()
        report = monthly_report(month)
    return render(request, "reports/monthly.html", {"form": form, "month": month, "report": report})


def _report_month(year: int, month: int) -> datetime.date:
    """The month a download names; 404 for a month that has not started (the page refuses it too)."""
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise Http404
    chosen = datetime.date(year, month, 1)
    if chosen > this_month():
        raise Http404
    return chosen


def _export(request, year: int, month: int, fmt: str) -> HttpResponse:
    chosen = _report_month(year, month)
    report = monthly_report(chosen)
    audit_access(
        actor=request.user,
        action="reports.monthly_export",
        target=None,
        kind=AuditLog.Kind.EXPORT,
        detail={"month": _month_text(chosen), "format": fmt},
    )
    if fmt == "pdf":
        response = HttpResponse(exports.monthly_pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(
            exports.monthly_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        f'attachment; filename="laporan-bulanan-{_month_text(chosen)}.{fmt}"'
    )
    return response


@capability_required("reports.dashboard")
@require_GET
def monthly_pdf(request, year: int, month: int):
    return _export(request, year, month, "pdf")


@capability_required("reports.dashboard")
@require_GET
def monthly_xlsx(request, year: int, month: int):
    return _export(request, year, month, "xlsx")


@public
@require_GET
def public_statistics(request):
    # The same refresh the dashboard asks for when the figures are older than the setting: it is
    # enqueued (a background task), so the public request itself does no heavy work.
    stats_refresh_if_stale()
    return render(
        request,
        "reports/public.html",
        {
            **public_figures(),
            "refresh_minutes": getattr(settings, "JALUR_REPORTS_REFRESH_MINUTES", 10),
        },
    )


# --- operational lists ----------------------------------------------------------------------------
def _destinations(candidate_ids) -> dict[int, str]:
    labels = destination_labels()
    return {
        stat.candidate_id: labels(stat)
        for stat in CandidateStat.objects.filter(candidate_id__in=list(candidate_ids))
    }


@capability_required("reports.operational")
@require_GET
def stuck(request):
    form = StuckFilterForm(request.GET or None, initial={"days": 30})
    days, stage = form.values()
    now = timezone.now()
    page = keyset_page(
        request,
        operational.stuck_candidates(days=days, stage=stage, now=now),
        order=operational.LIST_ORDER,
        size=PAGE_SIZE,
    )
    destinations = _destinations(c.pk for c in page)
    for candidate in page:
        candidate.days_in_stage = (now - candidate.stage_changed_at).days
        candidate.destination = destinations.get(candidate.pk, "")
    counts = operational.stuck_counts(days=days, now=now)
    shown = [c for c in counts if not stage or c["stage"] == stage]
    return render(
        request,
        "reports/stuck.html",
        {
            "form": form,
            "days": days,
            "page_obj": page,
            "counts": counts,
            "total": sum(c["n"] for c in shown),
            "more": any(c["more"] for c in shown),
        },
    )


@capability_required("reports.operational")
@require_GET
def documents(request):
    today = timezone.localdate()
    people = operational.missing_documents(on=today)
    page = keyset_page(request, people, order=operational.DOCUMENTS_ORDER, size=PAGE_SIZE)
    missing = operational.missing_for(list(page), on=today)
    for candidate in page:
        candidate.missing = missing.get(candidate.pk, [])
    total, more = bounded_count(people, cap=operational.COUNT_CAP)
    cases = operational.missing_departure_items()
    case_page = case_total = case_more = None
    if cases is not None:
        case_page = keyset_page(
            request, cases, order=operational.CASE_ORDER, size=PAGE_SIZE, param="kasus"
        )
        items = operational.missing_items_for(list(case_page))
        for case in case_page:
            case.missing_labels = items.get(case.pk, [])
        case_total, case_more = bounded_count(cases, cap=operational.COUNT_CAP)
    return render(
        request,
        "reports/documents.html",
        {
            "page_obj": page,
            "total": total,
            "more": more,
            "case_page": case_page,
            "case_total": case_total,
            "case_more": case_more,
        },
    )


@capability_required("reports.operational")
@require_GET
def cohorts(request):
    form = CohortFilterForm(request.GET or None, initial={"days": 30})
    days = form.value()
    return render(
        request,
        "reports/cohorts.html",
        {
            "form": form,
            "days": days,
            "cohorts": operational.cohorts_starting_soon(days=days),
            "verified_waiting": operational.verified_waiting(),
        },
    )

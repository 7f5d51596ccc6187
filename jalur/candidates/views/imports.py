"""Bulk imports of candidates from a spreadsheet: the upload, its progress and its report."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from jalur.accounts.decorators import capability_required
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access

from ..access import access_import_job
from ..forms import ImportForm
from ..importing import import_job_create, import_job_enqueue
from ..models import ImportJob
from ..spreadsheets import import_template
from ._shared import posted


@capability_required("candidates.import")
def import_start(request):
    form = ImportForm(posted(request), (request.FILES if request.method == "POST" else None))
    if request.method == "POST" and form.is_valid():
        job = import_job_create(
            upload=form.cleaned_data["file"],
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        import_job_enqueue(job)
        return redirect("candidates:import_job", pk=job.pk)
    jobs = ImportJob.objects.select_related("created_by")[:10]
    return render(request, "candidates/import.html", {"form": form, "jobs": jobs})


@capability_required("candidates.import")
def import_template_download(request):
    response = HttpResponse(
        import_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="templat-impor-pencaker.xlsx"'
    return response


@capability_required("candidates.import")
def import_job(request, pk: int):
    job = access_import_job(request.user, pk)
    return render(request, "candidates/import_job.html", {"job": job})


@capability_required("candidates.import")
@never_cache
def import_progress(request, pk: int):
    """The progress box, polled by HTMX until the job is finished."""
    job = access_import_job(request.user, pk)
    return render(request, "candidates/_import_progress.html", {"job": job})


@capability_required("candidates.import")
def import_report(request, pk: int):
    job = access_import_job(request.user, pk)
    if not job.report:
        raise Http404
    audit_access(
        actor=request.user, action="candidate.import_report", target=job, kind=AuditLog.Kind.EXPORT
    )
    excel = job.report_is_excel  # reports written before the .xlsx report are CSV
    response = FileResponse(
        job.report.open("rb"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if excel
        else "text/csv; charset=utf-8",
        as_attachment=True,
        filename=f"laporan-impor-{job.pk}.{'xlsx' if excel else 'csv'}",
    )
    response["Cache-Control"] = "private, no-store"
    return response

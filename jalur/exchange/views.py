"""The programme manager's export page: start an export in the background, watch it, download the
package from a private link (audited), until the retention period deletes it."""

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from jalur.accounts.decorators import capability_required
from jalur.core.forms_errors import form_page

from .models import ExportJob
from .services import CAPABILITY, export_job_create, export_job_download, export_job_enqueue


class ExportForm(forms.Form):
    with_files = forms.BooleanField(
        label=gettext_lazy("Sertakan berkas unggahan (dokumen, bukti); paket jauh lebih besar"),
        required=False,
    )


def _job(pk: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk).select_related("created_by").first()
    if job is None:
        raise Http404
    return job


def _start(request, data: dict) -> ExportJob:
    job = export_job_create(actor=request.user, with_files=data["with_files"])
    export_job_enqueue(job)
    return job


@capability_required(CAPABILITY)
def export_start(request):
    jobs = ExportJob.objects.select_related("created_by")[:10]
    return form_page(
        request,
        ExportForm(request.POST if request.method == "POST" else None),
        save=lambda data: _start(request, data),
        success=_("Ekspor dimulai. Halaman ini menunjukkan kemajuannya."),
        done=lambda job: job.get_absolute_url(),
        template="exchange/exports.html",
        context={"jobs": jobs, "keep_days": settings.JALUR_EXPORT_KEEP_DAYS},
    )


@capability_required(CAPABILITY)
def export_job(request, pk: int):
    return render(request, "exchange/export_job.html", {"job": _job(pk)})


@capability_required(CAPABILITY)
@never_cache
def export_progress(request, pk: int):
    """The progress box, polled by HTMX until the export is finished."""
    return render(request, "exchange/_export_progress.html", {"job": _job(pk)})


@capability_required(CAPABILITY)
def export_download(request, pk: int):
    job = _job(pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        return redirect(job.get_absolute_url())
    response = FileResponse(
        export_job_download(job=job, actor=request.user),
        content_type="application/zip",
        as_attachment=True,
        filename=f"jalur-program-{job.pk}.zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response

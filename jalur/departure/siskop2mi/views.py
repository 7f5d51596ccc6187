"""The office's SISKOP2MI reconciliation pages: upload an export, read the report by category,
accept a row into Jalur, open the uploaded file. Office only (`selectors.CAPABILITY`)."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.audit.files import private_file_response
from jalur.audit.services import audit_access
from jalur.core.forms_errors import form_page, post_action

from .compare import COMPARED
from .models import RowCategory
from .reading import LABELS
from .selectors import (
    CAPABILITY,
    access_reconciliation,
    access_reconciliation_row,
    category_counts,
    reconciliations_for,
    report_rows,
)
from .services import acceptable, reconciliation_create, reconciliation_row_accept

PAGE_SIZE = 100


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas ekspor SISKOP2MI (CSV atau Excel .xlsx)"),
        help_text=gettext_lazy(
            "Kolom yang dibaca: NIK, Nama, ID PMI, Nomor Paspor, Negara, Jabatan, P3MI, Status. "
            "Tidak ada yang berubah di Jalur sampai petugas menerima satu baris."
        ),
    )


@capability_required(CAPABILITY)
def reconciliation_list(request):
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    return form_page(
        request,
        form,
        save=lambda data: reconciliation_create(upload=data["file"], actor=request.user),
        success=_("Berkas dibandingkan dengan Jalur. Belum ada yang diubah."),
        done=lambda reconciliation: reverse("departure:siskop2mi", args=[reconciliation.pk]),
        template="departure/siskop2mi/list.html",
        context={"reconciliations": reconciliations_for(request.user)[:20]},
    )


@capability_required(CAPABILITY)
def reconciliation_report(request, pk):
    reconciliation = access_reconciliation(request.user, pk)
    counts = category_counts(reconciliation)
    category = request.GET.get("kategori")
    if category not in counts:
        category = next((c for c in RowCategory.values if counts[c]), RowCategory.MATCHED)
    page = Paginator(report_rows(reconciliation, category), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit_access(
        actor=request.user,
        action="departure.reconciliation_view",
        target=reconciliation,
        detail={"kategori": category, "page": page.number},
    )
    for row in page.object_list:
        row.acceptable = acceptable(row)
        row.fields = [
            (name, LABELS[name], row.jalur.get(name, ""), row.siskop2mi.get(name, ""))
            for name in ("nik", *COMPARED, "status")
        ]
    labels = dict(RowCategory.choices)
    return render(
        request,
        "departure/siskop2mi/report.html",
        {
            "reconciliation": reconciliation,
            "categories": [(c, labels[c], counts[c]) for c in RowCategory.values],
            "category": category,
            "category_label": labels[category],
            "page_obj": page,
            "querystring_base": f"kategori={category}&",
        },
    )


@capability_required(CAPABILITY)
@require_POST
def reconciliation_row_accept_view(request, pk):
    row = access_reconciliation_row(request.user, pk)
    return post_action(
        request,
        None,
        save=lambda _data: reconciliation_row_accept(row=row, actor=request.user),
        success=_(
            "Baris diterima: data SISKOP2MI diterapkan di Jalur. Nomor paspor yang diperbaiki "
            "diperiksa lagi oleh Disnakertrans dengan pindaiannya."
        ),
        refused=_("Baris tidak diterima; tidak ada yang berubah."),
        done=reverse("departure:siskop2mi", args=[row.reconciliation_id])
        + f"?kategori={row.category}#baris-{row.pk}",
    )


@capability_required(CAPABILITY)
def reconciliation_file(request, pk):
    reconciliation = access_reconciliation(request.user, pk)
    excel = reconciliation.file.name.endswith(".xlsx")
    return private_file_response(
        request,
        file=reconciliation.file,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if excel
        else "text/csv",
        target=reconciliation,
        action="departure.reconciliation_file",
        filename=reconciliation.original_name,
        download=True,
    )

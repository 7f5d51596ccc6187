"""Agreement pages (the MoU and each P3MI's PKS) and the list of those about to expire."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.forms_errors import form_page

from .. import selectors, services
from ..access import access_agreement, agreements_for, orders_for
from ..forms import AgreementForm
from ..models import AgreementKind
from ._shared import file_response


@capability_required("placement.view")
def agreement_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in AgreementKind.values else ""
    return render(
        request,
        "placement/agreement_list.html",
        {
            "agreements": list(selectors.agreement_list(request.user, kind=kind)),
            "kinds": AgreementKind.choices,
            "kind": kind,
            "today": timezone.localdate(),
            "target": selectors.programme_target(),
        },
    )


def _agreement_form_page(request, agreement=None):
    form = AgreementForm(request.POST or None, request.FILES or None, instance=agreement)
    if request.method == "POST" and not form.is_valid():
        form.note_unsent_file()

    def save(data):
        document = data.pop("document_file", None)
        pathways = data.pop("pathways")
        job_types = data.pop("job_types")
        reason = data.pop("reason", "")
        links = {"pathways": pathways, "job_types": job_types, "document": document}
        try:
            if agreement is None:
                return services.agreement_create(actor=request.user, data=data, **links)
            return services.agreement_update(
                actor=request.user, agreement=agreement, data=data, reason=reason, **links
            )
        except ValidationError as error:
            if "document_file" not in getattr(error, "error_dict", {}):
                form.note_unsent_file()
            raise

    return form_page(
        request,
        form,
        save=save,
        success=_("Perjanjian disimpan."),
        done=lambda saved: reverse("placement:agreement_detail", args=[saved.pk]),
        template="placement/form.html",
        context={
            "multipart": True,
            "title": _("Ubah %(name)s") % {"name": agreement}
            if agreement
            else _("Catat perjanjian"),
            "intro": _(
                "MoU Pemkot–APJATI memuat target program; PKS dibuat dengan setiap P3MI dan menentukan negara, skema dan jenis pekerjaan yang boleh diajukan P3MI itu."
            ),
            "submit": _("Simpan"),
            "back": reverse("placement:agreement_list"),
        },
    )


@capability_required("placement.agreements.manage")
def agreement_create(request):
    return _agreement_form_page(request)


@capability_required("placement.agreements.manage")
def agreement_edit(request, pk):
    return _agreement_form_page(request, access_agreement(request.user, pk, write=True))


@capability_required("placement.view")
def agreement_detail(request, pk):
    agreement = access_agreement(request.user, pk)
    return render(
        request,
        "placement/agreement_detail.html",
        {
            "agreement": agreement,
            "today": timezone.localdate(),
            # Only what this user may open: a P3MI sees its own PKS under the MoU and its own
            # orders, never a link that answers "not found".
            "pks": list(agreements_for(request.user).filter(mou=agreement))
            if agreement.kind == AgreementKind.MOU
            else [],
            "orders": list(
                orders_for(request.user).filter(agreement=agreement).order_by("-created_at")[:20]
            ),
            "manage": can(request.user, "placement.agreements.manage"),
            "target": selectors.programme_target() if agreement.kind == AgreementKind.MOU else None,
        },
    )


@capability_required("placement.view")
def agreement_document(request, pk):
    agreement = access_agreement(request.user, pk)
    return file_response(
        request,
        field=agreement.document,
        content_type=agreement.content_type,
        target=agreement,
        action="agreement.document_view",
        filename=f"perjanjian-{agreement.pk}",
    )


@capability_required("placement.view")
def expiring(request):
    return render(request, "placement/expiring.html", selectors.expiring(request.user))

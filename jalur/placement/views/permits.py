"""SIP2MI permit pages: the list, the detail, and the changes of a permit's figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.forms_errors import apply_errors, post_action

from .. import selectors, services
from ..access import access_permit, access_permit_change
from ..forms import PermitChangeForm, PermitDecisionForm
from ..models import PermitChangeStatus
from ._shared import file_response


@capability_required("placement.view")
def permit_list(request):
    return render(
        request,
        "placement/permit_list.html",
        {"permits": list(selectors.permit_list(request.user)), "today": timezone.localdate()},
    )


@capability_required("placement.view")
def permit_detail(request, pk):
    permit = access_permit(request.user, pk)
    changes = selectors.permit_changes(permit)
    pending = next((c for c in changes if c.is_pending), None)
    own = can(request.user, "placement.agency") and (
        permit.agency.organisation_id == request.user.organisation_id
    )
    reviewer = can(request.user, "placement.review")
    return render(
        request,
        "placement/permit_detail.html",
        {
            "permit": permit,
            "history": selectors.permit_history(permit),
            "changes": changes,
            "pending": pending,
            "own": own,
            "decision_form": PermitDecisionForm() if reviewer and pending else None,
            "used": services.positions_used(permit=permit),
            "orders": list(permit.orders.order_by("-created_at")[:50]),
        },
    )


@capability_required("placement.agency")
def permit_change_request(request, pk):
    permit = access_permit(request.user, pk, write=True)
    back = reverse("placement:permit_detail", args=[permit.pk])
    form = PermitChangeForm(request.POST or None, request.FILES or None, permit=permit)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.permit_change_request(
                    actor=request.user,
                    permit=permit,
                    quota=data["quota"],
                    issued_on=data["issued_on"],
                    valid_until=data["valid_until"],
                    document=data["document"],
                    note=data["note"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Perubahan SIP2MI diajukan. Angka yang tercatat tetap berlaku sampai "
                        "Disnakertrans menyetujuinya."
                    ),
                )
                return redirect(back)
        form.note_unsent_file()
    return render(
        request,
        "placement/form.html",
        {
            "form": form,
            "title": _("Ajukan perubahan SIP2MI %(number)s") % {"number": permit.number},
            "intro": _(
                "Tulis angka yang tertulis di SIP2MI baru dan unggah scan-nya. Disnakertrans "
                "memeriksanya; sampai disetujui, lowongan memakai angka yang tercatat sekarang "
                "(kuota %(quota)s)."
            )
            % {"quota": permit.quota},
            "submit": _("Ajukan perubahan"),
            "multipart": True,
            "back": back,
        },
    )


@capability_required("placement.review")
@require_POST
def permit_change_decide(request, pk):
    change = access_permit_change(request.user, pk, write=True)
    return post_action(
        request,
        PermitDecisionForm(request.POST),
        save=lambda data: services.permit_change_decide(
            actor=request.user,
            change=change,
            approve=data["decision"] == PermitDecisionForm.APPROVE,
            reason=data["reason"],
        ),
        success=lambda saved: (
            _("Perubahan SIP2MI disetujui; angka barunya berlaku.")
            if saved.status == PermitChangeStatus.APPROVED
            else _("Perubahan SIP2MI ditolak; angka yang tercatat tetap berlaku.")
        ),
        done=reverse("placement:permit_detail", args=[change.permit_id]),
        invalid=_("Pilih keputusannya: setujui atau tolak."),
    )


@capability_required("placement.view")
def permit_change_document(request, pk):
    change = access_permit_change(request.user, pk)
    return file_response(
        request,
        field=change.document,
        content_type=change.content_type,
        target=change,
        action="permit.change_document_view",
        filename=f"sip2mi-perubahan-{change.pk}",
    )

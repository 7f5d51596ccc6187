"""P3MI agency pages: the list, the record, and its suspensions."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.forms_errors import form_page

from .. import selectors, services
from ..access import access_agency
from ..forms import AgencyForm, LiftForm, SuspensionForm


@capability_required("placement.view")
def agency_list(request):
    on = timezone.localdate()
    return render(
        request,
        "placement/agency_list.html",
        {"agencies": list(selectors.agency_list(request.user)), "today": on},
    )


@capability_required("placement.agreements.manage")
def agency_create(request):
    def save(data):
        organisation = data.pop("organisation")
        return services.agency_create(actor=request.user, organisation=organisation, data=data)

    return form_page(
        request,
        AgencyForm(request.POST or None),
        save=save,
        success=_("Data P3MI disimpan."),
        done=lambda agency: reverse("placement:agency_detail", args=[agency.pk]),
        template="placement/form.html",
        context={
            "title": _("Catat P3MI"),
            "intro": _(
                "Salin data dari SIP3MI yang berlaku. Status P3MI (aktif, dibekukan, izin habis) dihitung dari tanggal izin dan catatan pembekuan."
            ),
            "submit": _("Simpan"),
            "back": reverse("placement:agency_list"),
        },
    )


@capability_required("placement.view")
def agency_detail(request, pk):
    agency = access_agency(request.user, pk)
    on = timezone.localdate()
    return render(
        request,
        "placement/agency_detail.html",
        {
            "agency": agency,
            "today": on,
            "suspensions": list(agency.suspensions.select_related("created_by", "lifted_by")),
            "agreements": list(
                agency.agreements.prefetch_related("job_types", "pathways").order_by("-ends_on")
            ),
            "permits": list(agency.permits.all()),
            "orders": list(
                agency.orders.select_related("pathway", "job_type").order_by("-created_at")[:20]
            ),
            "manage": can(request.user, "placement.agreements.manage"),
            "current_suspension": agency.current_suspension(on),
            "open_suspension": agency.suspensions.filter(lifted_on__isnull=True).first(),
        },
    )


@capability_required("placement.agreements.manage")
def agency_edit(request, pk):
    agency = access_agency(request.user, pk, write=True)

    def save(data):
        reason = data.pop("reason", "")
        return services.agency_update(actor=request.user, agency=agency, data=data, reason=reason)

    return form_page(
        request,
        AgencyForm(request.POST or None, instance=agency),
        save=save,
        success=_("Data P3MI diperbarui."),
        done=reverse("placement:agency_detail", args=[agency.pk]),
        template="placement/form.html",
        context={
            "title": _("Ubah data %(name)s") % {"name": agency.name},
            "submit": _("Simpan"),
            "back": reverse("placement:agency_detail", args=[agency.pk]),
        },
    )


@capability_required("placement.agreements.manage")
def agency_suspend(request, pk):
    agency = access_agency(request.user, pk, write=True)
    return form_page(
        request,
        SuspensionForm(request.POST or None),
        save=lambda data: services.agency_suspend(actor=request.user, agency=agency, **data),
        success=_("P3MI dibekukan; stafnya diberi tahu."),
        done=reverse("placement:agency_detail", args=[agency.pk]),
        template="placement/form.html",
        context={
            "title": _("Bekukan %(name)s") % {"name": agency.name},
            "intro": _(
                "Selama dibekukan, P3MI tidak bisa mengajukan lowongan baru dan tidak tampil di daftar publik P3MI berizin."
            ),
            "submit": _("Bekukan"),
            "danger": True,
            "back": reverse("placement:agency_detail", args=[agency.pk]),
        },
    )


@capability_required("placement.agreements.manage")
def agency_lift(request, pk):
    agency = access_agency(request.user, pk, write=True)
    suspension = agency.suspensions.filter(lifted_on__isnull=True).first()
    if suspension is None:
        raise Http404
    return form_page(
        request,
        LiftForm(request.POST or None),
        save=lambda data: services.agency_suspension_lift(
            actor=request.user,
            suspension=suspension,
            lifted_on=data["lifted_on"],
            reason=data["reason"],
        ),
        success=_("Pembekuan dicabut."),
        done=reverse("placement:agency_detail", args=[agency.pk]),
        template="placement/form.html",
        context={
            "title": _("Cabut pembekuan %(name)s") % {"name": agency.name},
            "intro": _("Dibekukan sejak %(date)s: %(reason)s")
            % {"date": suspension.starts_on.strftime("%d-%m-%Y"), "reason": suspension.reason},
            "submit": _("Cabut pembekuan"),
            "back": reverse("placement:agency_detail", args=[agency.pk]),
        },
    )

"""Pre-departure checklist, fee ledger, passport custody, no-fee statements and group departures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required, login_only
from jalur.accounts.roles import Role, can
from jalur.audit.files import private_file_response
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access, audit_read
from jalur.core.forms_errors import apply_errors, note_unsent_file, post_action
from jalur.core.pagination import keyset_page
from jalur.training.selectors import certificate_revoked_standing

from . import exports, services
from .forms import (
    ContractDecisionForm,
    FeeDecisionForm,
    FeeForm,
    FollowUpForm,
    GroupForm,
    NoFeeForm,
    PassportHandoverForm,
    PassportReturnForm,
    ReadyForm,
    VerifyForm,
)
from .gates import gate_problems, passport_needed_until
from .items import ITEM_TYPES, item_form
from .models import (
    CaseStatus,
    ChecklistItem,
    ContractReview,
    FeeEntry,
    NoFeeStatement,
    PassportCustody,
)
from .selectors import (
    CASE_LIST_ORDER,
    accepted_without_case,
    access_case,
    access_case_file,
    access_case_part,
    access_group,
    case_counts,
    case_detail,
    case_list,
    cases_for,
    groups_for,
    item_history,
    item_version_file,
    may_open_case_files,
    passports_held_too_long,
    registration_documents,
)

# The office's and the P3MI's list of cases, one keyset page at a time.
PAGE_SIZE = 50
# The panel of accepted offers whose checklist is not started shows this many at most.
TO_START_SHOWN = 50


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _agency_for(user):
    from jalur.placement.models import Agency

    return (
        Agency.objects.filter(organisation=user.organisation).first()
        if user.role == Role.AGENCY_STAFF
        else None
    )


@capability_required("departure.view")
def case_list_view(request):
    status = request.GET.get("status", "")
    item_status = request.GET.get("butir", "")
    cases = case_list(request.user, status=status, item_status=item_status)
    page = keyset_page(request, cases, order=CASE_LIST_ORDER, size=PAGE_SIZE)
    case_counts(page)
    return render(
        request,
        "departure/list.html",
        {
            "cases": page,
            "page_obj": page,
            "status": status,
            "item_status": item_status,
            "can_endorse": can(request.user, "departure.endorse"),
            "statuses": CaseStatus.choices,
            "passports_out": passports_held_too_long(request.user),
        },
    )


@capability_required("departure.view")
def to_start_panel(request):
    """The list page's panel of accepted offers without a checklist, loaded after the page: finding
    them tests every accepted offer for a case, which grows with the programme (issue 20)."""
    to_start = list(accepted_without_case(request.user)[: TO_START_SHOWN + 1])
    return render(
        request,
        "departure/_to_start.html" if request.htmx else "departure/to_start.html",
        {
            "to_start": to_start[:TO_START_SHOWN],
            "more": len(to_start) > TO_START_SHOWN,
            "can_manage": can(request.user, "departure.manage"),
        },
    )


@capability_required("departure.manage")
@require_POST
def case_open(request, application_pk):
    application = accepted_without_case(request.user).filter(pk=application_pk).first()
    if application is None:
        raise Http404
    try:
        case = services.case_open(application=application, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("departure:list")
    return redirect("departure:case", pk=case.pk)


def _case_page(request, case, *, bound=None, item_form_for=None, status=200):
    """The departure-case page: the one place its context is built. A small form that failed comes
    back in `bound` (by its context name) or, for a checklist item, as `item_form_for` = (item pk,
    bound form): shown again with what was typed and the errors beside the fields."""
    case = case_detail(case)
    items = list(case.items.all())
    from_registration = registration_documents(case, items)
    for item in items:
        item.registration_document = from_registration.get(item.pk)
        if item_form_for and item_form_for[0] == item.pk:
            item.form = item_form_for[1]
        else:
            item.form = item_form(item.type, initial=item.data, auto_id=f"butir{item.pk}_%s")
    history = item_history(items)
    for item in items:
        item.history = history.get(item.pk, [])
    planned = case.planned_departure_on
    context = {
        "case": case,
        "order": case.application.order,
        "items": items,
        "problems": gate_problems(case, planned) if planned else None,
        "passport_needed_until": passport_needed_until(case, planned) if planned else None,
        "can_manage": can(request.user, "departure.manage")
        and case.status in (CaseStatus.OPEN, CaseStatus.READY),
        "can_endorse": can(request.user, "departure.endorse"),
        "waiting": sum(1 for item in items if item.status == "submitted"),
        "is_candidate": request.user.role == Role.CANDIDATE,
        "may_open_files": may_open_case_files(request.user),
        "verify_form": VerifyForm(),
        "contract_form": ContractDecisionForm(),
        "ready_form": ReadyForm(initial={"planned_departure_on": planned}),
        "handover_form": PassportHandoverForm(),
        "return_form": PassportReturnForm(),
        "fee_form": FeeForm(),
        "follow_up_form": FollowUpForm(),
        "no_fee_form": NoFeeForm(),
        "open_custody": next(
            (c for c in case.passport_custody.all() if c.returned_on is None), None
        ),
        "occasions": NoFeeStatement.Occasion.choices,
        # shown at once, not only when a departure date is planned: the gate refuses it anyway
        "revoked_certificate": certificate_revoked_standing(case.candidate_id)
        if case.status in (CaseStatus.OPEN, CaseStatus.READY)
        else None,
        **(bound or {}),
    }
    return render(request, "departure/case.html", context, status=status)


def _not_saved(request, what: str) -> None:
    messages.error(
        request,
        _("%(what)s belum tersimpan. Perbaiki isian yang ditandai di bawah.") % {"what": what},
    )


@login_only
def case_view(request, pk):
    return _case_page(request, access_case(request.user, pk))


@capability_required("departure.manage")
@require_POST
def item_submit(request, pk):
    item = access_case_part(request.user, ChecklistItem, pk)
    label = ITEM_TYPES[item.code].label
    if request.POST.get("from_registration"):
        # "Pakai dokumen dari pendaftaran": the item's document comes from registration, no form.
        return post_action(
            request,
            None,
            save=lambda _data: services.item_use_registration_document(
                item=item, actor=request.user
            ),
            success=_(
                "%(item)s diisi dengan dokumen dari pendaftaran dan menunggu pemeriksaan Disnakertrans."
            )
            % {"item": label},
            done=reverse("departure:case", args=[item.case_id]),
        )
    form = item_form(
        item.type, data=request.POST, files=request.FILES, auto_id=f"butir{item.pk}_%s"
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document", None)
        try:
            services.item_submit(item=item, data=data, document=document, actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(item)s tersimpan dan menunggu pemeriksaan Disnakertrans.") % {"item": label},
            )
            return redirect("departure:case", pk=item.case_id)
    if "document" in form.fields:
        note_unsent_file(form, "document")
    _not_saved(request, label)
    return _case_page(request, item.case, item_form_for=(item.pk, form), status=400)


@capability_required("departure.endorse")
@require_POST
def item_verify(request, pk):
    item = access_case_part(request.user, ChecklistItem, pk)
    return post_action(
        request,
        VerifyForm(request.POST),
        save=lambda data: services.item_verify(
            item=item, accept=data["decision"] == "accept", note=data["note"], actor=request.user
        ),
        success=_("Pemeriksaan tersimpan."),
        invalid=_("Pilih terima atau kembalikan."),
        done=reverse("departure:case", args=[item.case_id]),
    )


def _case_file(request, model, pk, field: str, action: str):
    """A scan on a case (checklist document, proof of payment), for those who may open it."""
    obj = access_case_file(request.user, model, pk, **{f"{field}__gt": ""})
    file = getattr(obj, field)
    return private_file_response(
        request,
        file=file,
        content_type=obj.content_type,
        target=obj,
        action=action,
        filename=f"{model._meta.model_name}-{obj.pk}.{file.name.rsplit('.', 1)[-1]}",
    )


@login_only
def item_document(request, pk):
    version = request.GET.get("versi", "")
    if not version:
        return _case_file(request, ChecklistItem, pk, "document", "departure.document_view")
    # An earlier version of the item's document, as its history names it.
    item = access_case_file(request.user, ChecklistItem, pk)
    file, content_type = item_version_file(item, version)
    return private_file_response(
        request,
        file=file,
        content_type=content_type,
        target=item,
        action="departure.document_view",
        filename=f"checklistitem-{item.pk}-versi-{version}.{file.name.rsplit('.', 1)[-1]}",
        detail={"version": version},
    )


@capability_required("departure.endorse")
@require_POST
def contract_decide(request, pk):
    review = access_case_part(request.user, ContractReview, pk)
    return post_action(
        request,
        ContractDecisionForm(request.POST),
        save=lambda data: services.contract_review_decide(
            review=review,
            accept=data["decision"] == "accept",
            note=data["note"],
            actor=request.user,
        ),
        success=_("Keputusan tentang kontrak tersimpan."),
        invalid=_("Tulis alasan keputusan."),
        done=reverse("departure:case", args=[review.case_id]),
    )


@capability_required("departure.manage")
@require_POST
def mark_ready(request, pk):
    case = access_case(request.user, pk, write=True)
    return post_action(
        request,
        ReadyForm(request.POST),
        save=lambda data: services.case_mark_ready(
            case=case, planned_departure_on=data["planned_departure_on"], actor=request.user
        ),
        success=_("Pekerja siap berangkat."),
        invalid=_("Isi rencana tanggal berangkat."),
        refused=_("Belum bisa ditandai siap berangkat:"),
        done=reverse("departure:case", args=[pk]),
    )


@capability_required("departure.manage")
@require_POST
def passport_handover(request, pk):
    case = access_case(request.user, pk, write=True)
    form = PassportHandoverForm(request.POST)
    if form.is_valid():
        try:
            services.passport_handover(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Penyerahan paspor tercatat. Paspor harus kembali ke pekerja.")
            )
            return redirect("departure:case", pk=pk)
    _not_saved(request, _("Penyerahan paspor"))
    return _case_page(request, case, bound={"handover_form": form}, status=400)


@capability_required("departure.manage")
@require_POST
def passport_return(request, pk):
    custody = access_case_part(request.user, PassportCustody, pk)
    return post_action(
        request,
        PassportReturnForm(request.POST),
        save=lambda data: services.passport_return(
            custody=custody, returned_on=data["returned_on"], actor=request.user
        ),
        success=_("Paspor sudah kembali ke pekerja."),
        invalid=_("Isi tanggal paspor kembali ke pekerja."),
        done=reverse("departure:case", args=[custody.case_id]),
    )


@capability_required("departure.manage")
@require_POST
def fee_add(request, pk):
    case = access_case(request.user, pk, write=True)
    form = FeeForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        proof = data.pop("proof")
        try:
            fee = services.fee_record(case=case, data=data, proof=proof, actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if fee.violation:
                messages.warning(request, fee.violation_note)
            elif fee.decision == FeeEntry.Decision.PENDING:
                messages.warning(
                    request,
                    _(
                        "Biaya tercatat. Biaya ini dibayar pekerja dan tidak ada dalam daftar "
                        "aturan: Disnakertrans memutuskan boleh atau tidak, dengan alasan."
                    ),
                )
            else:
                messages.success(request, _("Biaya tercatat."))
            return redirect("departure:case", pk=pk)
    _not_saved(request, _("Biaya"))
    return _case_page(request, case, bound={"fee_form": form}, status=400)


@capability_required("departure.endorse")
@require_POST
def fee_follow_up(request, pk):
    fee = access_case_part(request.user, FeeEntry, pk)
    return post_action(
        request,
        FollowUpForm(request.POST),
        save=lambda data: services.fee_violation_follow_up(
            fee=fee, note=data["note"], actor=request.user
        ),
        success=_("Tindak lanjut tersimpan."),
        invalid=_("Tulis tindak lanjutnya."),
        done=reverse("departure:case", args=[fee.case_id]),
    )


@capability_required("departure.endorse")
@require_POST
def fee_decide(request, pk):
    fee = access_case_part(request.user, FeeEntry, pk)
    return post_action(
        request,
        FeeDecisionForm(request.POST),
        save=lambda data: services.fee_decide(
            fee=fee,
            allowed=data["decision"] == "allowed",
            reason=data["reason"],
            actor=request.user,
        ),
        success=_("Keputusan tentang biaya ini tersimpan."),
        invalid=_("Tulis alasan keputusan."),
        done=reverse("departure:case", args=[fee.case_id]),
    )


@login_only
def fee_proof(request, pk):
    return _case_file(request, FeeEntry, pk, "proof", "departure.fee_proof_view")


@capability_required("departure.manage")
@require_POST
def no_fee_record(request, pk):
    case = access_case(request.user, pk, write=True)
    return post_action(
        request,
        NoFeeForm(request.POST),
        save=lambda data: services.no_fee_record(case=case, actor=request.user, **data),
        success=_("Tanggal pernyataan tanpa biaya tercatat."),
        invalid=_("Isi tanggal tanda tangan."),
        done=reverse("departure:case", args=[pk]),
    )


@login_only
def no_fee_pdf(request, pk, occasion):
    case = access_case(request.user, pk)
    if occasion not in NoFeeStatement.Occasion.values:
        raise Http404
    content = exports.no_fee_statement_pdf(case, str(NoFeeStatement.Occasion(occasion).label))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="pernyataan-tanpa-biaya-{case.pk}-{occasion}.pdf"'
    )
    return response


# --- groups ---------------------------------------------------------------------------------------


@capability_required("departure.view")
def group_list(request):
    form = GroupForm(request.POST or None)
    agency = _agency_for(request.user)
    if request.method == "POST":
        if agency is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                group = services.group_create(
                    agency=agency, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("departure:group", pk=group.pk)
    return render(
        request,
        "departure/groups.html",
        {"groups": groups_for(request.user), "form": form, "can_create": agency is not None},
    )


@capability_required("departure.view")
def group_view(request, pk):
    return _group_page(request, access_group(request.user, pk))


def _group_page(request, group, *, status=200):
    members = list(group.cases.select_related("candidate", "application__order"))
    candidates = []
    if group.status == group.Status.PLANNED:
        candidates = list(
            cases_for(request.user).filter(
                agency=group.agency,
                status__in=[CaseStatus.OPEN, CaseStatus.READY],
                application__order__employer_country=group.country,
            )
        )
    for case in members:
        case.problems = (
            gate_problems(case, group.departs_on, for_departure=True)
            if group.status == group.Status.PLANNED
            else []
        )
    return render(
        request,
        "departure/group.html",
        {
            "group": group,
            "members": members,
            "candidates": candidates,
            "can_manage": can(request.user, "departure.manage")
            and group.status == group.Status.PLANNED,
            "departs_later": group.departs_on > timezone.localdate(),
            "can_endorse": can(request.user, "departure.endorse")
            and group.status == group.Status.PLANNED,
        },
        status=status,
    )


def post_ids(request, name: str) -> list[int] | None:
    """The ids a form posted under `name`, or None when one is not a number (a crafted request)."""
    try:
        return [int(value) for value in request.POST.getlist(name)]
    except ValueError:
        return None


@capability_required("departure.manage")
@require_POST
def group_members(request, pk):
    group = access_group(request.user, pk, write=True)
    ids = post_ids(request, "case")
    if ids is None:
        messages.error(
            request, _("Pilihan anggota tidak dikenal. Muat ulang halaman, lalu pilih lagi.")
        )
        return _group_page(request, group, status=400)
    chosen = list(cases_for(request.user).filter(pk__in=ids))
    if len(chosen) != len(set(ids)):
        # a worker of another P3MI (or one that no longer exists): say so, never "saved"
        messages.error(
            request,
            _(
                "Anggota rombongan belum tersimpan: sebagian pekerja yang dipilih bukan pekerja P3MI rombongan ini atau tidak ditemukan."
            ),
        )
        return _group_page(request, group, status=400)
    return post_action(
        request,
        None,
        save=lambda _data: services.group_set_members(
            group=group, cases=chosen, actor=request.user
        ),
        success=_("Anggota rombongan tersimpan."),
        done=reverse("departure:group", args=[pk]),
    )


@capability_required("departure.manage")
@require_POST
def group_depart(request, pk):
    group = access_group(request.user, pk, write=True)
    return post_action(
        request,
        None,
        save=lambda _data: services.group_depart(group=group, actor=request.user),
        success=_("Rombongan tercatat berangkat. Semoga selamat sampai tujuan."),
        refused=_("Rombongan belum bisa diberangkatkan:"),
        done=reverse("departure:group", args=[pk]),
    )


@capability_required("departure.view")
def manifest(request, pk, fmt):
    group = access_group(request.user, pk)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    # each person on the manifest sees it in "Siapa yang membuka data saya" (one INSERT)
    audit_read(
        actor=request.user,
        action="departure.manifest",
        targets=[case.candidate for case in group.cases.select_related("candidate")],
        purpose="departure:manifest",
        detail={"format": fmt, "group": group.pk},
    )
    audit_access(
        actor=request.user,
        action="departure.manifest_export",
        target=group,
        kind=AuditLog.Kind.EXPORT,
        detail={"format": fmt},
    )
    if fmt == "pdf":
        response = HttpResponse(exports.manifest_pdf(group), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="manifes-{group.pk}.pdf"'
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.manifest_xlsx(group),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="manifes-{group.pk}.xlsx"'
    else:
        raise Http404
    return response

"""The office's pages of one candidate: desk registration, the candidate page and its edits,
uploads on the person's behalf, the Excel export, and the log-in slip."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access, audit_read
from jalur.core.forms_errors import apply_errors

from .. import selectors
from ..access import access_candidate, documents_visible
from ..forms import (
    FIELD_ALIASES,
    SECTION_FORMS,
    CandidateFilterForm,
    DeskConsentForm,
    DocumentUploadForm,
    IdentityForm,
)
from ..models import RegistrationChannel
from ..rules import REQUIRED
from ..services import (
    NikTaken,
    candidate_login_issue,
    candidate_register,
    candidate_submit,
    candidate_update,
    document_upload,
)
from ..spreadsheets import candidates_workbook
from ._shared import EDITABLE_BY_CANDIDATE, local_today, posted
from .documents import document_type_for


@capability_required("candidates.export")
def candidate_export(request):
    """The filtered list as Excel, with only the columns the user may see; audited as an export."""
    form = CandidateFilterForm(request.GET or None)
    filters = form.filters()
    columns = selectors.export_columns(request.user)
    candidates = list(selectors.export_rows(request.user, columns, **filters))
    audit_access(
        actor=request.user,
        action="candidate.export",
        target=None,
        kind=AuditLog.Kind.EXPORT,
        detail={"filters": filters, "rows": len(candidates), "columns": [c.key for c in columns]},
    )
    response = HttpResponse(
        candidates_workbook(candidates, columns),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="pencaker-{stamp}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@capability_required("candidates.register")
def walk_in(request):
    """An officer registers a person at the desk, with the same rules as self-registration."""
    data = posted(request)
    forms_ = {
        section: (
            form_class(data, prefix=section, officer=True)
            if form_class is IdentityForm
            else form_class(data, prefix=section)
        )
        for section, form_class in SECTION_FORMS.items()
    }
    consent_form = DeskConsentForm(data, prefix="consent")
    consent = selectors.consent_current()
    valid = request.method == "POST" and all(
        [f.is_valid() for f in forms_.values()] + [consent_form.is_valid()]
    )
    identity = forms_["identity"]
    if request.method == "POST" and "nik" not in identity.errors:
        # a person already registered is named in the first round, before any other check
        # (no officer should compare a KTP's birth date for someone not to be registered twice)
        nik = identity.cleaned_data.get("nik", "")
        if nik and selectors.nik_registered(nik):
            identity.add_error("nik", selectors.nik_holder_error(request.user, nik))
            valid = False
    if valid:
        values = {}
        for form in forms_.values():
            values.update(form.values())
        try:
            candidate = candidate_register(
                data=values,
                actor=request.user,
                channel=RegistrationChannel.WALK_IN,
                consent=consent,
                confirm_birth_date=forms_["identity"].cleaned_data.get("confirm_birth_date", False),
            )
        except NikTaken:
            forms_["identity"].add_error(
                "nik", selectors.nik_holder_error(request.user, values.get("nik", ""))
            )
        except ValidationError as error:
            _errors_to_forms(list(forms_.values()), error)
        else:
            messages.success(
                request,
                _("Terdaftar. Unggah dokumennya, lalu cetak slip log-in untuk orang ini."),
            )
            shared = selectors.phone_shared_warning(request.user, candidate)
            if shared:
                messages.warning(request, shared)
            return redirect("candidates:detail", pk=candidate.pk)
    return render(
        request,
        "candidates/walk_in.html",
        {
            "sections": [(selectors.SECTION_LABELS[k], f) for k, f in forms_.items()],
            "consent_form": consent_form,
            "consent": consent,
        },
    )


def _errors_to_forms(forms: list, error: ValidationError) -> None:
    """Put each error beside the field of whichever section form has it (else on the first)."""
    if not hasattr(error, "error_dict"):
        apply_errors(forms[0], error)
        return
    for name, errors in error.error_dict.items():
        field = FIELD_ALIASES.get(name, name)
        form = next((f for f in forms if field in f.fields), forms[0])
        apply_errors(form, ValidationError({name: errors}), aliases=FIELD_ALIASES)


@capability_required("candidates.view")
def candidate_detail(request, pk: int):
    candidate = access_candidate(request.user, pk)
    audit_read(
        actor=request.user, action="candidate.view", targets=candidate, purpose="candidates:detail"
    )
    today = local_today()
    user = request.user
    context = {
        "candidate": candidate,
        "identity": can(user, "candidates.view_identity"),
        "show_documents": documents_visible(user, candidate),
        "journey": selectors.candidate_journey(candidate),
        "decision": selectors.latest_decision(candidate),
        "decision_detail": can(user, "candidates.stage_history")
        or can(user, "candidates.view_identity"),
        "sections": selectors.candidate_sections(candidate, user),
        "birth_warning": selectors.birth_date_warning(candidate, today=today),
        "edit_sections": [(key, selectors.SECTION_LABELS[key]) for key in SECTION_FORMS],
        "data_rows": [(c.label, c.value(candidate)) for c in selectors.visible_columns(user)],
    }
    if context["show_documents"]:
        context["documents"] = selectors.document_rows(candidate, today=today)
        if can(user, "candidates.edit"):
            for row in context["documents"]:
                row["form"] = DocumentUploadForm(
                    document_type=row["type"], prefix=f"t{row['type'].pk}"
                )
    if can(user, "candidates.stage_history"):
        context["history"] = candidate.stage_history.select_related("actor").order_by(
            "-created_at", "-id"
        )
    if can(user, "candidates.verify"):
        context["flags"] = selectors.duplicate_flags_for(candidate)
    if can(user, "candidates.edit") and candidate.stage in EDITABLE_BY_CANDIDATE:
        context["missing"] = selectors.registration_missing(candidate, today=today)
    return render(request, "candidates/detail.html", context)


@capability_required("candidates.edit")
def candidate_edit(request, pk: int, section: str):
    candidate = access_candidate(request.user, pk, write=True)
    form_class = SECTION_FORMS.get(section)
    if form_class is None:
        raise Http404
    kwargs = {"candidate": candidate}
    if form_class is IdentityForm:
        kwargs["officer"] = True
    form = form_class(posted(request), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = candidate_update(
                candidate=candidate,
                data=form.values(),
                actor=request.user,
                require=REQUIRED[section],
                confirm_birth_date=form.cleaned_data.get("confirm_birth_date", False),
                reason=request.POST.get("reason", ""),
            )
        except NikTaken:
            form.add_error("nik", selectors.nik_holder_error(request.user, form.values()["nik"]))
        except ValidationError as error:
            apply_errors(form, error, aliases=FIELD_ALIASES)
        else:
            messages.success(request, _("Perubahan tersimpan."))
            if section == "address" and (
                shared := selectors.phone_shared_warning(request.user, candidate)
            ):
                messages.warning(request, shared)
            return redirect("candidates:detail", pk=candidate.pk)
    return render(
        request,
        "candidates/edit.html",
        {"candidate": candidate, "form": form, "title": selectors.SECTION_LABELS[section]},
    )


@capability_required("candidates.edit")
@require_POST
def staff_upload(request, pk: int, type_code: str):
    """An officer uploads a document on the person's behalf (scanned at the desk)."""
    candidate = access_candidate(request.user, pk, write=True)
    document_type = document_type_for(candidate, type_code)
    form = DocumentUploadForm(
        request.POST, request.FILES, document_type=document_type, prefix=f"t{document_type.pk}"
    )
    if form.is_valid():
        try:
            document_upload(
                candidate=candidate,
                document_type=document_type,
                upload=form.cleaned_data["file"],
                expires_on=form.cleaned_data.get("expires_on"),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error, aliases=FIELD_ALIASES)
    if form.errors:
        for message in [m for errors in form.errors.values() for m in errors]:
            messages.error(request, f"{document_type.name}: {message}")
    else:
        messages.success(request, _("%(doc)s tersimpan.") % {"doc": document_type.name})
    return redirect(reverse("candidates:detail", args=[candidate.pk]) + "#dokumen")


@capability_required("candidates.edit")
@require_POST
def staff_submit(request, pk: int):
    candidate = access_candidate(request.user, pk, write=True)
    try:
        candidate_submit(candidate=candidate, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Pendaftaran dikirim ke antrean verifikasi."))
    return redirect("candidates:detail", pk=candidate.pk)


class IdentityCheckForm(forms.Form):
    """What the desk checked before printing a new password for someone who already logs in."""

    ktp_seen = forms.BooleanField(
        label=gettext_lazy("KTP asli dilihat langsung, orangnya sama dengan fotonya"),
        required=False,
    )
    nik_matches = forms.BooleanField(
        label=gettext_lazy("NIK di KTP sama dengan NIK di data ini"), required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Contoh: lupa kata sandi, tidak punya e-mail, HP hilang."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("ktp_seen"):
            self.add_error("ktp_seen", _("Lihat KTP asli orangnya dulu, lalu centang."))
        if not data.get("nik_matches"):
            self.add_error("nik_matches", _("Cocokkan NIK di KTP dengan data ini, lalu centang."))
        if not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tulis alasannya; ini dicatat di log audit."))
        return data

    def record(self) -> str:
        return "KTP asli dilihat langsung; NIK cocok"


@capability_required("candidates.register", "candidates.edit")
@require_POST
@never_cache
def login_slip(request, pk: int):
    """A new initial password, shown once on a printable slip. Printing again makes a new one.
    For someone who has logged in themselves, only after an identity check the officer records."""
    candidate = access_candidate(request.user, pk)
    login_user = candidate.user
    check = {}
    if login_user is not None and login_user.last_login is not None:
        form = IdentityCheckForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return render(
                request,
                "candidates/login_slip_check.html",
                {"candidate": candidate, "form": form, "last_login": login_user.last_login},
            )
        check = {"identity_check": form.record(), "reason": form.cleaned_data["reason"]}
    try:
        user, password = candidate_login_issue(candidate=candidate, actor=request.user, **check)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("candidates:detail", pk=candidate.pk)
    response = render(
        request,
        "candidates/login_slip.html",
        {
            "candidate": candidate,
            "login_user": user,
            # the number on the record logs someone else in: say why the slip shows another way
            "phone_not_login": candidate.phone if candidate.phone != (user.phone or "") else "",
            "password": password,
            "now": timezone.now(),
            "site_url": settings.JALUR_SITE_URL,
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response

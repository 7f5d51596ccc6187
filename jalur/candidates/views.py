"""Pages for job seekers (self-registration, their own page) and for the office (desk
registration, the list, verification, duplicates, imports). Views read through selectors and the
access helpers and write only through services."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required, login_only, public
from jalur.accounts.roles import Role, can
from jalur.audit.files import private_file_response
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access, audit_read
from jalur.core.forms_errors import apply_errors, post_action
from jalur.core.network import client_ip
from jalur.core.phone import normalize_phone
from jalur.core.throttle import DAY, any_used_up, over_limit, throttled
from jalur.notifications.services import notify

from . import selectors, signup_confirm
from .access import (
    access_candidate,
    access_document,
    access_duplicate_flag,
    access_import_job,
    documents_visible,
    own_candidate,
)
from .forms import (
    FIELD_ALIASES,
    SECTION_FORMS,
    AccountForm,
    CandidateFilterForm,
    ConsentForm,
    DecisionForm,
    DeskConsentForm,
    DocumentReviewForm,
    DocumentUploadForm,
    DuplicateDecisionForm,
    IdentityForm,
    ImportForm,
)
from .importing import import_job_create, import_job_enqueue
from .models import Candidate, DocumentType, ImportJob, RegistrationChannel
from .rules import REQUIRED, digits_only
from .services import (
    NikTaken,
    candidate_account_create,
    candidate_birth_date_confirm,
    candidate_consent_give,
    candidate_login_issue,
    candidate_register,
    candidate_submit,
    candidate_update,
    candidate_verify,
    document_review,
    document_upload,
    duplicate_decide,
)
from .services.registration import AccountTaken, candidate_account_check
from .spreadsheets import candidates_workbook, import_template
from .stages import Stage

PAGE_SIZE = 25
OWN_LOGIN_PHONE_KEPT = gettext_lazy(
    "Nomor HP baru ini sudah dipakai akun lain, jadi Anda tetap masuk dengan nomor yang lama."
)
EDITABLE_BY_CANDIDATE = (Stage.REGISTERING, Stage.CORRECTION)
NIK_TAKEN_PER_DAY = 3
NIK_TRIES_PER_DAY = 10  # saves of one NIK, by anyone, taken or not: refusing says nothing about it
# Sign-ups a day from one address. On opening day many people reach Jalur through one mobile
# carrier address (CGNAT), so the day's limit per address is high; what it used to protect is
# kept by a limit per phone or e-mail signed up (any address), since every account needs its own
# contact (with JALUR_SIGNUP_CONFIRM, one that answers the code), and by the hour's and minute's
# limits on tries per address below.
SIGNUPS_PER_CLIENT_PER_DAY = 50
SIGNUPS_PER_CONTACT_PER_DAY = 3
SIGNUPS_PER_CLIENT_PER_HOUR = 20  # tries, refused ones too
# A burst from one client: each sign-up hashes a password (Argon2id, about 40 ms of a core), so on
# opening day one client sending many at once would hold the workers everyone else waits for.
SIGNUPS_PER_CLIENT_PER_MINUTE = 5
SIGNUPS_USED_UP = gettext_lazy(
    "Terlalu banyak pendaftaran dari sambungan ini. Coba lagi besok, atau datang ke meja "
    "pendaftaran Disnakertrans."
)
SIGNUPS_TOO_FAST = gettext_lazy(
    "Terlalu banyak pendaftaran dari sambungan ini dalam satu menit. Tunggu satu menit, lalu "
    'tekan "Buat akun dan lanjutkan" lagi: nama dan nomor HP Anda masih ada di halaman ini.'
)
SIGNUPS_CONTACT_USED_UP = gettext_lazy(
    "Nomor HP atau e-mail ini sudah beberapa kali dipakai untuk mendaftar hari ini. Coba lagi "
    "besok, atau datang ke meja pendaftaran Disnakertrans."
)
NIK_TRIES_USED_UP = gettext_lazy(
    "NIK yang Anda tulis beberapa kali sudah terdaftar. Untuk melindungi data orang lain, NIK "
    "tidak bisa dicoba lagi dari akun ini hari ini. Datang ke meja pendaftaran Disnakertrans "
    "dengan KTP dan KK."
)

# Self-registration steps: URL slug -> section.
STEPS = [
    ("identitas", "identity"),
    ("alamat", "address"),
    ("pendidikan", "education"),
    ("minat", "preferences"),
    ("dokumen", "documents"),
    ("persetujuan", "consent"),
]
STEP_OF_SECTION = {section: slug for slug, section in STEPS}
SECTION_OF_STEP = dict(STEPS)


def _today():
    return timezone.localdate()


def _posted(request):
    """The POST data on a POST (even an empty one: an unticked checkbox sends nothing), else None."""
    return request.POST if request.method == "POST" else None


# --- public ------------------------------------------------------------------------------------------


@public
def register_start(request):
    """Step one: create the log-in (phone or e-mail + password); then the form, step by step."""
    user = request.user
    if user.is_authenticated:
        if user.role == Role.CANDIDATE:
            return redirect("candidates:me")
        if can(user, "candidates.register"):
            return redirect("candidates:walk_in")
        return render(request, "candidates/register_staff.html")
    form = AccountForm(_posted(request))
    if request.method == "POST" and throttled(request, "signup", SIGNUPS_PER_CLIENT_PER_HOUR):
        form.is_valid()
        form.add_error(None, SIGNUPS_USED_UP)
    elif request.method == "POST" and over_limit(
        f"signup-minute:{client_ip(request)}", SIGNUPS_PER_CLIENT_PER_MINUTE, 60
    ):
        form.is_valid()
        form.add_error(None, SIGNUPS_TOO_FAST)
        response = _signup_start_page(request, form)
        response.status_code = 429  # Too Many Requests: a client that reads it waits a minute
        response["Retry-After"] = "60"
        return response
    elif request.method == "POST" and form.is_valid():
        if over_limit(f"signup-day:{client_ip(request)}", SIGNUPS_PER_CLIENT_PER_DAY, DAY):
            form.add_error(None, SIGNUPS_USED_UP)
            return _signup_start_page(request, form)
        contact = _signup_contact(form.cleaned_data)
        if contact and over_limit(f"signup-contact:{contact}", SIGNUPS_PER_CONTACT_PER_DAY, DAY):
            form.add_error(None, SIGNUPS_CONTACT_USED_UP)
            return _signup_start_page(request, form)
        if signup_confirm.confirm_needed(
            phone=form.cleaned_data["phone"], email=form.cleaned_data["email"]
        ):
            return _signup_pending_start(request, form)
        try:
            account = candidate_account_create(
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except AccountTaken as taken:
            # not "taken" (that tells anyone who has an account): the owner is told instead
            with transaction.atomic():
                for owner in taken.owners:
                    notify(user=owner, key="signup_attempt", link=reverse("accounts:login"))
            return render(request, "candidates/register_check.html", {"form": form})
        except ValidationError as error:
            apply_errors(form, error, aliases=FIELD_ALIASES)
        else:
            with transaction.atomic():
                notify(user=account, key="welcome", link=reverse("candidates:me"))
            login(request, account, backend="jalur.accounts.backends.PhoneOrEmailBackend")
            messages.success(
                request,
                _("Akun dibuat. Anda bisa berhenti kapan saja dan melanjutkan dengan masuk lagi."),
            )
            return redirect("candidates:register_step", step="identitas")
    return render(
        request,
        "candidates/register_start.html",
        {"form": form, "consent": selectors.consent_current()},
    )


def _signup_contact(cleaned: dict) -> str:
    """The phone (as E.164, however it was typed) or else the e-mail a sign-up is for."""
    phone = cleaned.get("phone") or ""
    return normalize_phone(phone, any_country=True) or phone or (cleaned.get("email") or "").lower()


def _signup_start_page(request, form):
    return render(
        request,
        "candidates/register_start.html",
        {"form": form, "consent": selectors.consent_current()},
    )


def _signup_pending_start(request, form):
    """A sign-up that waits for its code: the same answer whether or not the phone or e-mail
    already has an account (`signup_confirm`)."""
    try:
        data, owners = candidate_account_check(
            full_name=form.cleaned_data["full_name"],
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
    except ValidationError as error:
        apply_errors(form, error, aliases=FIELD_ALIASES)
        return _signup_start_page(request, form)
    signup_confirm.pending_start(
        request, data=data, password=form.cleaned_data["password"], owners=owners
    )
    return redirect("candidates:register_confirm")


class SignupCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode dari pesan"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
        error_messages={"min_length": gettext_lazy("Kodenya 6 angka.")},
    )


@public
@never_cache
def register_confirm(request):
    """The code sent to the phone or e-mail of a sign-up; the right one creates the account."""
    pending = signup_confirm.pending_get(request)
    if pending is None:
        messages.info(
            request,
            _("Kode sudah tidak berlaku atau salah terlalu sering. Isi pendaftaran sekali lagi."),
        )
        return redirect("candidates:register_start")
    form = SignupCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        confirmed = signup_confirm.pending_check(request, form.cleaned_data["code"])
        account = None
        if confirmed is not None:
            try:
                account = candidate_account_create(
                    full_name=confirmed["full_name"],
                    phone=confirmed["phone"],
                    email=confirmed["email"],
                    password_hash=confirmed["password_hash"],
                )
            except (AccountTaken, ValidationError):
                account = None  # taken in the meantime: the same answer as a wrong code
        if account is None:
            form.add_error(
                "code",
                _("Kode salah atau sudah tidak berlaku. Periksa pesan terakhir dari Jalur."),
            )
            if signup_confirm.pending_get(request) is None:
                return redirect("candidates:register_confirm")
        else:
            with transaction.atomic():
                notify(user=account, key="welcome", link=reverse("candidates:me"))
            login(request, account, backend="jalur.accounts.backends.PhoneOrEmailBackend")
            messages.success(
                request,
                _("Akun dibuat. Anda bisa berhenti kapan saja dan melanjutkan dengan masuk lagi."),
            )
            return redirect("candidates:register_step", step="identitas")
    return render(
        request,
        "candidates/register_confirm.html",
        {"form": form, "sent_to": signup_confirm.contact_shown(pending)},
    )


@public
def consent_text(request):
    return render(request, "candidates/consent_text.html", {"consent": selectors.consent_current()})


# --- the candidate's own pages -------------------------------------------------------------------------


@login_only
def me(request):
    """Where the candidate is in the whole journey, what to do next, and what the office decided."""
    if request.user.role != Role.CANDIDATE:
        return redirect("core:home")
    candidate = own_candidate(request.user)
    today = _today()
    context = {
        "candidate": candidate,
        "next_step": selectors.next_step(candidate),
        "steps": STEPS,
    }
    if candidate is not None:
        checklist = [
            {
                "label": item.label,
                "done": item.done,
                "detail": item.detail,
                "url": reverse("candidates:register_step", args=[STEP_OF_SECTION[item.section]]),
            }
            for item in selectors.registration_checklist(candidate, today=today)
        ]
        context.update(
            {
                "journey": selectors.candidate_journey(candidate),
                "checklist": checklist,
                "missing_count": sum(1 for item in checklist if not item["done"]),
                # "continue" opens the first step with something missing, not step one again
                "resume_url": next(
                    (item["url"] for item in checklist if not item["done"]),
                    reverse("candidates:register_step", args=["persetujuan"]),
                ),
                "decision": selectors.latest_decision(candidate),
                "documents": selectors.document_rows(candidate, today=today),
                "editable": candidate.stage in EDITABLE_BY_CANDIDATE,
                "sections": selectors.candidate_sections(candidate, request.user),
                "step_of_section": STEP_OF_SECTION,
                "consent_outdated": _consent_outdated(candidate),
            }
        )
    return render(request, "candidates/me.html", context)


def _consent_outdated(candidate: Candidate) -> bool:
    current = selectors.consent_current()
    return bool(candidate.consent_at and current and candidate.consent_version != current.version)


@capability_required("candidates.self")
def register_step(request, step: str):
    """One step of the self-registration form; each saves on its own."""
    section = SECTION_OF_STEP.get(step)
    if section is None:
        raise Http404
    candidate = own_candidate(request.user)
    if candidate is None and section != "identity":
        return redirect("candidates:register_step", step="identitas")
    if candidate is not None and candidate.stage not in EDITABLE_BY_CANDIDATE:
        messages.info(
            request, _("Pendaftaran Anda sudah dikirim; data tidak bisa diubah sekarang.")
        )
        return redirect("candidates:me")
    if section == "documents":
        return _documents_step(request, candidate)
    if section == "consent":
        return _consent_step(request, candidate)
    form_class = SECTION_FORMS[section]
    initial = {} if candidate else {"initial": {"full_name": request.user.full_name}}
    form = form_class(_posted(request), candidate=candidate, partial=True, **initial)
    # NIKs found registered already are counted per account and per client address (new accounts
    # are cheap), and every save of one NIK is counted, whoever tries it and whatever the answer.
    nik_keys = (f"nik-taken:{request.user.pk}", f"nik-taken-ip:{client_ip(request)}")
    typed_nik = digits_only(form.data.get("nik", "")) if request.method == "POST" else ""
    new_nik = section == "identity" and typed_nik != (candidate.nik if candidate else "")
    if (
        request.method == "POST"
        and new_nik
        and (
            any_used_up(list(nik_keys), NIK_TAKEN_PER_DAY, DAY)
            or (typed_nik and over_limit(f"nik-tries:{typed_nik}", NIK_TRIES_PER_DAY, DAY))
        )
    ):
        # Whether a NIK is in the programme is nobody else's business: after a few NIKs that are
        # registered already, this account cannot try others (taken or not) until tomorrow.
        form.add_error("nik", NIK_TRIES_USED_UP)
    elif request.method == "POST" and form.is_valid():
        try:
            if candidate is None:
                candidate = candidate_register(
                    data=form.values(),
                    actor=request.user,
                    channel=RegistrationChannel.SELF,
                    user=request.user,
                )
            else:
                candidate = candidate_update(
                    candidate=candidate, data=form.values(), actor=request.user
                )
        except NikTaken as error:
            for key in nik_keys:
                over_limit(key, NIK_TAKEN_PER_DAY, DAY)
            apply_errors(form, error, aliases=FIELD_ALIASES)
        except ValidationError as error:
            apply_errors(form, error, aliases=FIELD_ALIASES)
        else:
            if candidate.user_id == request.user.pk and not Candidate.user.is_cached(candidate):
                candidate.user = request.user  # read for this request already, and unchanged
            warning = selectors.birth_date_warning(candidate, today=_today())
            if section == "identity" and warning:
                messages.warning(request, warning)
            if selectors.login_phone_differs(candidate):
                messages.warning(request, OWN_LOGIN_PHONE_KEPT)
            if "exit" in request.POST:
                messages.success(request, _("Tersimpan. Lanjutkan kapan saja dengan masuk lagi."))
                return redirect("candidates:me")
            return redirect("candidates:register_step", step=_next_step_slug(step))
    elif request.method == "POST" and candidate is not None and section != "identity":
        # (not the identity step: whether a NIK saved or not must tell nothing about it)
        _save_the_valid_rest(request, candidate, form)
    return render(request, "candidates/step.html", _step_context(request, candidate, step, form))


def _save_the_valid_rest(request, candidate: Candidate, form) -> None:
    """One refused answer (a family number that is the person's own) does not cost the rest of
    the step: what passed is saved, as a partial step always is, and the refused answer stays on
    the page as typed, with its message."""
    valid = {
        name: value
        for name, value in form.values().items()
        if name in form.cleaned_data and name not in form.errors
    }
    if not valid:
        return
    try:
        candidate_update(candidate=candidate, data=valid, actor=request.user)
    except ValidationError:
        return  # the form already says what to fix; nothing of this step is saved
    messages.info(
        request, _("Isian lain di langkah ini sudah tersimpan. Perbaiki yang ditandai saja.")
    )


def _next_step_slug(step: str) -> str:
    slugs = [slug for slug, _section in STEPS]
    return slugs[min(slugs.index(step) + 1, len(slugs) - 1)]


def _step_context(request, candidate, step, form=None, **extra) -> dict:
    slugs = [slug for slug, _section in STEPS]
    missing = selectors.registration_missing(candidate, today=_today()) if candidate else []
    return {
        "candidate": candidate,
        "form": form,
        "step": step,
        "step_number": slugs.index(step) + 1,
        "step_count": len(STEPS),
        "section_title": selectors.SECTION_LABELS[SECTION_OF_STEP[step]],
        "steps": [
            {"slug": slug, "label": selectors.SECTION_LABELS[section], "current": slug == step}
            for slug, section in STEPS
        ],
        "missing": missing,
        "previous_step": slugs[slugs.index(step) - 1] if slugs.index(step) else None,
        **extra,
    }


def _documents_step(request, candidate, upload_form=None, failed_type=None):
    rows = selectors.document_rows(candidate, today=_today())
    for row in rows:
        row["form"] = (
            upload_form
            if upload_form is not None and failed_type == row["type"].pk
            else DocumentUploadForm(document_type=row["type"], prefix=f"t{row['type'].pk}")
        )
    return render(
        request,
        "candidates/step_documents.html",
        _step_context(
            request,
            candidate,
            "dokumen",
            rows=rows,
            upload_url=lambda row: reverse("candidates:upload", args=[row["type"].code]),
        ),
    )


def _consent_step(request, candidate):
    consent = selectors.consent_current()
    form = ConsentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if consent is not None and candidate.consent_version != consent.version:
            candidate_consent_give(candidate=candidate, consent=consent, actor=request.user)
            candidate.refresh_from_db()
        try:
            candidate_submit(candidate=candidate, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _(
                    "Pendaftaran terkirim. Petugas akan memeriksanya; pantau statusnya di halaman ini."
                ),
            )
            return redirect("candidates:me")
    return render(
        request,
        "candidates/step_consent.html",
        _step_context(
            request,
            candidate,
            "persetujuan",
            form=form,
            consent=consent,
            blocking=[
                item
                for item in selectors.registration_missing(candidate, today=_today())
                if item.section != "consent"
            ],
        ),
    )


@capability_required("candidates.self")
def upload(request, type_code: str):
    """The candidate uploads one document (while the registration can still be changed)."""
    if request.method != "POST":  # a refused upload's page reloaded or restored from history
        return redirect(reverse("candidates:register_step", args=["dokumen"]) + f"#doc-{type_code}")
    candidate = own_candidate(request.user)
    if candidate is None:
        return redirect("candidates:register_step", step="identitas")
    if candidate.stage not in EDITABLE_BY_CANDIDATE:
        raise PermissionDenied
    document_type = _document_type_for(candidate, type_code)
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
        else:
            messages.success(request, _("%(doc)s tersimpan.") % {"doc": document_type.name})
            return redirect(
                reverse("candidates:register_step", args=["dokumen"]) + f"#doc-{type_code}"
            )
    return _documents_step(request, candidate, upload_form=form, failed_type=document_type.pk)


def _document_type_for(candidate, type_code: str) -> DocumentType:
    for doc_type in selectors.document_types_for(candidate):
        if doc_type.code == type_code:
            return doc_type
    raise Http404


# --- documents -----------------------------------------------------------------------------------------


@login_only
@never_cache
def document_file(request, pk: int):
    """Serve a document file after checking access; every opening is in the audit trail."""
    document = access_document(request.user, pk)
    extension = document.file.name.rsplit(".", 1)[-1]
    return private_file_response(
        request,
        file=document.file,
        content_type=document.content_type,
        target=document,
        action="document.view",
        filename=f"{document.document_type.code}-{document.pk}.{extension}",
        download="download" in request.GET,
    )


# --- office: list, desk registration, candidate page ---------------------------------------------------


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
    data = _posted(request)
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
    today = _today()
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
    form = form_class(_posted(request), **kwargs)
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
    document_type = _document_type_for(candidate, type_code)
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


# --- verification --------------------------------------------------------------------------------------


@capability_required("candidates.verify")
def verify(request, pk: int):
    """Data and documents side by side; documents reviewed one by one; then the decision."""
    candidate = access_candidate(request.user, pk, write=True)
    if request.method == "GET":
        audit_read(
            actor=request.user,
            action="candidate.view",
            targets=candidate,
            purpose="candidates:verify",
        )
    today = _today()
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            candidate_verify(
                candidate=candidate,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                items=form.item_list(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error, aliases=FIELD_ALIASES)
            elif any(e.code == "blocked" for e in error.error_list):
                # the reasons are listed once, in the box above the form
                form.add_error(
                    "decision",
                    _(
                        "Belum bisa diverifikasi: selesaikan dulu daftar di atas, atau pilih 'Kembalikan untuk diperbaiki'."
                    ),
                )
            else:
                for message in error.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, _("Keputusan tersimpan dan pencari kerja sudah diberi tahu."))
            return redirect("candidates:queue")
    rows = selectors.document_rows(candidate, today=today)
    suggested = "\n".join(selectors.correction_items(candidate, today=today))
    if not form.is_bound:
        form.initial["items"] = suggested
    return render(
        request,
        "candidates/verify.html",
        {
            "candidate": candidate,
            "rows": rows,
            "form": form,
            "blockers": selectors.verification_blockers(candidate, today=today),
            "birth_warning": selectors.birth_date_warning(candidate, today=today),
            "flags": selectors.duplicate_flags_for(candidate),
            "checklist": selectors.registration_checklist(candidate, today=today),
            "reviewable": candidate.stage == Stage.REGISTERED,
            "suggested_items": suggested,
        },
    )


@capability_required("candidates.verify")
@require_POST
def review_document(request, pk: int):
    document = access_document(request.user, pk, write=True)
    form = DocumentReviewForm(request.POST)
    error = None
    if form.is_valid():
        try:
            document = document_review(
                document=document,
                actor=request.user,
                accept=form.cleaned_data["accept"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Pilih terima atau tolak.")
    if request.htmx:
        row = next(
            r
            for r in selectors.document_rows(document.candidate, today=_today())
            if r["type"].pk == document.document_type_id
        )
        return render(
            request,
            "candidates/_review_row.html",
            {
                "row": row,
                "error": error,
                "reviewable": True,
                # the "what to fix" list follows the review (see _correction_items.html)
                "suggested_items": "\n".join(
                    selectors.correction_items(document.candidate, today=_today())
                ),
                # and so does the list of what still stops a verification
                "blockers": selectors.verification_blockers(document.candidate, today=_today()),
                "oob": True,
            },
        )
    if error:
        messages.error(request, error)
    return redirect(
        reverse("candidates:verify", args=[document.candidate_id]) + f"#doc-{document.pk}"
    )


@capability_required("candidates.verify", "candidates.edit")
@require_POST
def confirm_birth_date(request, pk: int):
    candidate = access_candidate(request.user, pk, write=True)
    candidate_birth_date_confirm(candidate=candidate, actor=request.user)
    messages.success(request, _("Tanggal lahir dicatat sudah dicocokkan dengan KTP."))
    target = "candidates:verify" if can(request.user, "candidates.verify") else "candidates:detail"
    return redirect(target, pk=candidate.pk)


@capability_required("candidates.verify")
@require_POST
def duplicate_decision(request, pk: int):
    flag = access_duplicate_flag(request.user, pk, write=True)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("candidates:duplicates")
    return post_action(
        request,
        DuplicateDecisionForm(request.POST),
        save=lambda data: duplicate_decide(
            flag=flag, actor=request.user, confirmed=data["confirmed"], note=data["note"]
        ),
        success=_("Keputusan duplikat tersimpan."),
        invalid=_("Pilih: orang yang sama, atau bukan duplikat."),
        done=back,
    )


# --- import --------------------------------------------------------------------------------------------


@capability_required("candidates.import")
def import_start(request):
    form = ImportForm(_posted(request), (request.FILES if request.method == "POST" else None))
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

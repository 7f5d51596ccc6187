"""The job seeker's own pages: the journey page and the self-registration form, step by step,
with the documents and the consent."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.accounts.decorators import capability_required, login_only
from jalur.accounts.roles import Role
from jalur.core.forms_errors import apply_errors
from jalur.core.network import client_ip
from jalur.core.throttle import DAY, any_used_up, over_limit

from .. import selectors
from ..access import own_candidate
from ..forms import FIELD_ALIASES, SECTION_FORMS, ConsentForm, DocumentUploadForm
from ..models import Candidate, RegistrationChannel
from ..rules import digits_only
from ..services import (
    NikTaken,
    candidate_consent_give,
    candidate_register,
    candidate_submit,
    candidate_update,
    document_upload,
)
from ._shared import EDITABLE_BY_CANDIDATE, local_today, posted
from .documents import document_type_for

OWN_LOGIN_PHONE_KEPT = gettext_lazy(
    "Nomor HP baru ini sudah dipakai akun lain, jadi Anda tetap masuk dengan nomor yang lama."
)
NIK_TAKEN_PER_DAY = 3
NIK_TRIES_PER_DAY = 10  # saves of one NIK, by anyone, taken or not: refusing says nothing about it
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


@login_only
def me(request):
    """Where the candidate is in the whole journey, what to do next, and what the office decided."""
    if request.user.role != Role.CANDIDATE:
        return redirect("core:home")
    candidate = own_candidate(request.user)
    today = local_today()
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
    form = form_class(posted(request), candidate=candidate, partial=True, **initial)
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
            warning = selectors.birth_date_warning(candidate, today=local_today())
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
    missing = selectors.registration_missing(candidate, today=local_today()) if candidate else []
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
    rows = selectors.document_rows(candidate, today=local_today())
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
    form = ConsentForm(posted(request))
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
                for item in selectors.registration_missing(candidate, today=local_today())
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
        else:
            messages.success(request, _("%(doc)s tersimpan.") % {"doc": document_type.name})
            return redirect(
                reverse("candidates:register_step", args=["dokumen"]) + f"#doc-{type_code}"
            )
    return _documents_step(request, candidate, upload_form=form, failed_type=document_type.pk)

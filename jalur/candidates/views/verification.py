"""Verification: the decision on a registration, document reviews, birth-date checks and
duplicate decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.audit.services import audit_read
from jalur.core.forms_errors import apply_errors, post_action

from .. import selectors
from ..access import access_candidate, access_document, access_duplicate_flag
from ..forms import FIELD_ALIASES, DecisionForm, DocumentReviewForm, DuplicateDecisionForm
from ..services import (
    candidate_birth_date_confirm,
    candidate_verify,
    document_review,
    duplicate_decide,
)
from ..stages import Stage
from ._shared import local_today, posted


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
    today = local_today()
    form = DecisionForm(posted(request))
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
            for r in selectors.document_rows(document.candidate, today=local_today())
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
                    selectors.correction_items(document.candidate, today=local_today())
                ),
                # and so does the list of what still stops a verification
                "blockers": selectors.verification_blockers(
                    document.candidate, today=local_today()
                ),
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

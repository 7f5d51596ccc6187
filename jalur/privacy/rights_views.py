"""The person's rights, on their own pages and at the desk on their behalf (the officer is the
actor recorded): withdraw, ask for a correction or erasure, see who opened their data; and the
office's list of requests to decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jalur.accounts.decorators import capability_required
from jalur.audit.files import private_file_response
from jalur.candidates.access import access_candidate, own_candidate
from jalur.core.forms_errors import apply_errors, form_page, note_unsent_file, post_action
from jalur.core.pagination import keyset_page

from .access_log import reads_about, who_read
from .forms import DecideForm, EraseForm, RectifyForm, WithdrawForm
from .models import RightsRequest
from .requests import (
    RECTIFIABLE,
    erasure_plan,
    erasure_request,
    rectification_request,
    request_decide,
)
from .withdraw import candidate_withdraw, withdraw_plan


def _own(request):
    return own_candidate(request.user)


def _no_record():
    """An account without a registration yet: its data page says so."""
    return redirect("privacy:my_data")


def _withdraw(request, candidate, *, done, desk):
    plan, kept = withdraw_plan(candidate)
    return form_page(
        request,
        WithdrawForm(request.POST or None),
        save=lambda data: candidate_withdraw(
            candidate=candidate, actor=request.user, reason=data["reason"]
        ),
        success=_("Pengunduran diri tercatat. Jalur tidak lagi mengirim pesan kepada Anda."),
        done=done,
        template="privacy/withdraw.html",
        context={"candidate": candidate, "plan": plan, "kept": kept, "desk": desk},
    )


@capability_required("candidates.self")
def withdraw(request):
    candidate = _own(request)
    if candidate is None:
        return _no_record()
    return _withdraw(request, candidate, done=reverse("privacy:my_data"), desk=False)


@capability_required("privacy.desk")
def desk_withdraw(request, pk):
    candidate = access_candidate(request.user, pk)
    return _withdraw(
        request, candidate, done=reverse("privacy:desk", args=[candidate.pk]), desk=True
    )


def _rectify(request, candidate, *, done, desk):
    form = RectifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rectification_request(
                candidate=candidate,
                actor=request.user,
                field=data["field"],
                value=data["value"],
                note=data["note"],
                evidence=data.get("evidence"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Permintaan perbaikan terkirim. Kantor memutuskannya; Anda diberi tahu."),
            )
            return redirect(done)
    if form.errors:
        note_unsent_file(form, "evidence")  # a browser cannot keep a chosen file
    return render(
        request,
        "privacy/rectify.html",
        {
            "form": form,
            "candidate": candidate,
            "desk": desk,
            "current": [(label, getattr(candidate, name)) for name, label in RECTIFIABLE.items()],
        },
    )


@capability_required("candidates.self")
def rectify(request):
    candidate = _own(request)
    if candidate is None:
        return _no_record()
    return _rectify(request, candidate, done=reverse("privacy:my_data"), desk=False)


@capability_required("privacy.desk")
def desk_rectify(request, pk):
    candidate = access_candidate(request.user, pk)
    return _rectify(request, candidate, done=reverse("privacy:desk", args=[pk]), desk=True)


def _erase(request, candidate, *, done, desk):
    allowed, why, kept = erasure_plan(candidate)
    return form_page(
        request,
        EraseForm(request.POST or None),
        save=lambda data: erasure_request(
            candidate=candidate, actor=request.user, note=data["note"]
        ),
        success=_("Permintaan penghapusan terkirim. Kantor memeriksanya; Anda diberi tahu."),
        done=done,
        template="privacy/erase.html",
        context={
            "candidate": candidate,
            "allowed": allowed,
            "why": why,
            "kept": kept,
            "desk": desk,
        },
    )


@capability_required("candidates.self")
def erase(request):
    candidate = _own(request)
    if candidate is None:
        return _no_record()
    return _erase(request, candidate, done=reverse("privacy:my_data"), desk=False)


@capability_required("privacy.desk")
def desk_erase(request, pk):
    candidate = access_candidate(request.user, pk)
    return _erase(request, candidate, done=reverse("privacy:desk", args=[pk]), desk=True)


def _access_log(request, candidate, *, desk):
    page = Paginator(reads_about(candidate), 30).get_page(request.GET.get("page"))
    rows = [who_read(row, candidate=candidate) for row in page.object_list]
    return render(
        request,
        "privacy/access_log.html",
        {"candidate": candidate, "page_obj": page, "rows": rows, "desk": desk},
    )


@capability_required("candidates.self")
def access_log(request):
    candidate = _own(request)
    if candidate is None:
        return _no_record()
    return _access_log(request, candidate, desk=False)


@capability_required("privacy.desk")
def desk(request, pk):
    """The person's rights at the desk: what they asked, and the pages to act for them."""
    candidate = access_candidate(request.user, pk)
    return render(
        request,
        "privacy/desk.html",
        {
            "candidate": candidate,
            "requests": candidate.rights_requests.all(),
            "plan": withdraw_plan(candidate)[0],
            "reads": reads_about(candidate)[:10],
        },
    )


@capability_required("privacy.decide")
def request_list(request):
    status = request.GET.get("status") or RightsRequest.Status.OPEN
    rows = RightsRequest.objects.filter(status=status).select_related("candidate")
    page = keyset_page(request, rows, order=("-created_at", "-pk"), size=30)
    return render(
        request,
        "privacy/request_list.html",
        {"page_obj": page, "status": status, "statuses": RightsRequest.Status.choices},
    )


@capability_required("privacy.decide")
def request_detail(request, pk):
    item = get_object_or_404(RightsRequest.objects.select_related("candidate"), pk=pk)
    if request.method == "POST":
        return post_action(
            request,
            DecideForm(request.POST),
            save=lambda data: request_decide(
                request=item, actor=request.user, accept=data["accept"], reason=data["reason"]
            ),
            success=_("Keputusan tersimpan dan orangnya diberi tahu."),
            done=reverse("privacy:request_detail", args=[item.pk]),
        )
    allowed, why, kept = erasure_plan(item.candidate)
    return render(
        request,
        "privacy/request_detail.html",
        {
            "item": item,
            "form": DecideForm(),
            "labels": RECTIFIABLE,
            "current": {name: getattr(item.candidate, name, "") for name in item.changes},
            "allowed": allowed,
            "why": why,
            "kept": kept,
        },
    )


@capability_required("privacy.decide")
def request_evidence(request, pk):
    """The evidence the person attached to a correction request (the read is audited)."""
    item = get_object_or_404(RightsRequest, pk=pk)
    return private_file_response(
        request,
        file=item.evidence,
        content_type=item.evidence_type,
        target=item,
        action="privacy.request_evidence",
        filename=item.evidence.name.rsplit("/", 1)[-1] if item.evidence else "",
    )

"""The candidate's own placement pages: open orders, applying, and answering an offer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.decorators import capability_required
from jalur.candidates.access import own_candidate

from .. import selectors, services
from ..access import my_application
from ..eligibility import MATCHABLE_STAGES, PLACED_STAGES, order_eligibility
from ..forms import ReasonForm
from ..states import APPLICATION_OPEN
from ..states import ApplicationStatus as AS


@capability_required("candidates.self")
def my_placement(request):
    candidate = own_candidate(request.user)
    if candidate is None:
        return render(request, "placement/my_placement.html", {"candidate": None})
    # From pre-departure on the person has accepted an offer: other orders are not for them,
    # and a list of "requirements not met" would tell them to finish training again.
    placed = candidate.stage in PLACED_STAGES
    return render(
        request,
        "placement/my_placement.html",
        {
            "candidate": candidate,
            "placed": placed,
            "before_training_done": candidate.stage not in MATCHABLE_STAGES and not placed,
            "applications": selectors.my_applications(candidate),
            "orders": [] if placed else selectors.orders_for_candidate(candidate),
        },
    )


@capability_required("candidates.self")
def my_order(request, pk):
    candidate = own_candidate(request.user)
    order = selectors.public_order(pk)
    if candidate is None or order is None:
        raise Http404
    application = candidate.applications.filter(order=order).first()
    if request.method == "POST":
        try:
            application = services.application_apply(
                candidate=candidate, order=order, actor=request.user
            )
            messages.success(
                request,
                _("Lamaran terkirim. Perusahaan akan menghubungi Anda lewat Jalur."),
            )
            return redirect("placement:my_application", pk=application.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    on = timezone.localdate()
    return render(
        request,
        "placement/my_order.html",
        {
            "order": order,
            "candidate": candidate,
            "application": application,
            "eligibility": order_eligibility(candidate=candidate, order=order, on=on),
            "can_apply": application is None or application.status == AS.RECOMMENDED,
        },
    )


@capability_required("candidates.self")
def my_application_detail(request, pk):
    application = my_application(request.user, pk)
    decline = ReasonForm(
        request.POST if request.POST.get("answer") == "decline" else None, prefix="decline"
    )
    withdraw = ReasonForm(
        request.POST if request.POST.get("answer") == "withdraw" else None, prefix="withdraw"
    )
    decline.fields["reason"].required = False
    decline.fields["reason"].label = _("Alasan menolak (boleh dikosongkan)")
    withdraw.fields["reason"].label = _("Alasan mengundurkan diri")
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                services.offer_accept(actor=request.user, application=application)
                messages.success(
                    request,
                    _(
                        "Anda menerima tawaran ini. Langkah berikutnya: persiapan keberangkatan bersama P3MI."
                    ),
                )
                return redirect("placement:my_application", pk=application.pk)
            if answer == "decline" and decline.is_valid():
                services.offer_decline(
                    actor=request.user,
                    application=application,
                    reason=decline.cleaned_data["reason"],
                )
                messages.success(request, _("Tawaran ditolak."))
                return redirect("placement:my_application", pk=application.pk)
            if answer == "withdraw" and withdraw.is_valid():
                services.application_withdraw(
                    actor=request.user,
                    application=application,
                    reason=withdraw.cleaned_data["reason"],
                )
                messages.success(request, _("Anda mengundurkan diri dari lowongan ini."))
                return redirect("placement:my_application", pk=application.pk)
            if answer not in ("accept", "decline", "withdraw"):
                raise PermissionDenied
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("placement:my_application", pk=application.pk)
    return render(
        request,
        "placement/my_application.html",
        {
            "application": application,
            "order": application.order,
            "decline": decline,
            "withdraw": withdraw,
            "can_withdraw": application.status in {*APPLICATION_OPEN, AS.ACCEPTED},
        },
    )

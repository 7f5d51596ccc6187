"""Pages about departed workers: the office's and agency's monitoring, and the worker's own check-in and arrival."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import Role, can
from jalur.audit.services import audit_read
from jalur.candidates.access import own_candidate
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.core.forms_errors import form_page, post_action
from jalur.core.pagination import keyset_page

from . import services
from .forms import (
    ArrivalForm,
    CheckInAnswerByAgencyForm,
    CheckInAnswersForm,
    FamilyLinkForm,
    FamilyNoticeForm,
    ReturnForm,
    StaffCheckInForm,
)
from .models import CheckInEscalation, FamilyNoticeConsent, ReporterKind
from .selectors import (
    MONITORING_ORDER,
    current_arrival,
    grievance_list,
    monitoring_flag,
    monitoring_queryset,
    open_escalations,
    worker_contract,
    worker_timeline,
    workers_for,
)

SESSION_KEY = "jalur_grievance_access"
# The family code last opened with its secret in this browser session (its primary key).
FAMILY_SESSION_KEY = "jalur_family_link"
# Post/redirect/get: a sent form goes on to a "received" page, so reloading that page sends
# nothing again. A new case's secret waits here only until that page shows it; then only the
# case's key stays, so a reload can say the secret was already shown.
PUBLIC_RECEIPT_KEY = "jalur_grievance_receipt"
STAFF_RECEIPT_KEY = "jalur_grievance_receipt_staff"
# What the family's last news said, for the page after it.
FAMILY_NEWS_KEY = "jalur_family_news"


def _worker(user, pk) -> Candidate:
    worker = workers_for(user).filter(pk=pk).first()
    if worker is None:
        raise Http404
    return worker


def _my_departed_candidate(request) -> Candidate | None:
    """The logged-in worker's record if they are abroad; otherwise a message says why the page is closed."""
    candidate = own_candidate(request.user)
    if candidate is None or candidate.stage != Stage.DEPARTED:
        messages.info(
            request, _("Halaman ini untuk pekerja yang sudah berangkat ke negara tujuan.")
        )
        return None
    return candidate


# --- office and agency ----------------------------------------------------------------------------


# The monitoring list's filter: its query value and what it keeps.
MONITORING_FILTERS = {
    "": {},
    "masalah": {"only_problems": True},
    "terlambat": {"only_overdue": True},
}


@capability_required("protection.view")
def monitoring(request):
    # "?overdue=1": the link in the managers' daily message
    shown = "terlambat" if request.GET.get("overdue") == "1" else request.GET.get("tampil", "")
    shown = shown if shown in MONITORING_FILTERS else ""
    rows = monitoring_queryset(request.user, **MONITORING_FILTERS[shown]).select_related(
        "district", "village"
    )
    page = keyset_page(request, rows, order=MONITORING_ORDER, size=50)
    return render(
        request,
        "protection/monitoring.html",
        {
            "rows": monitoring_flag(page.object_list),
            "shown": shown,
            "filters": [
                ("", _("Semua")),
                ("masalah", _("Ada masalah")),
                ("terlambat", _("Terlambat melapor")),
            ],
            "page_obj": page,
        },
    )


def _staff_checkin_form(candidate: Candidate, data=None) -> StaffCheckInForm:
    wage, currency, hours = worker_contract(candidate)
    return StaffCheckInForm(data, contract_wage=wage, currency=currency, contract_hours=hours)


def _worker_page(request, candidate: Candidate, **extra) -> dict:
    """The context of the worker's page (`extra`: a sent form shown again with its errors)."""
    user = request.user
    return {
        "candidate": candidate,
        "arrivals": candidate.arrivals.all(),
        "arrival_now": current_arrival(candidate),
        "checkins": candidate.checkins.select_related("recorded_by")[:24],
        "timeline": worker_timeline(user, candidate),
        "open_escalations": open_escalations(candidate),
        "answer_form": CheckInAnswerByAgencyForm(),
        "can_respond": can(user, "protection.respond"),
        "grievances": grievance_list(user).filter(candidate=candidate),
        "returns": candidate.returns.all(),
        "checkin_form": _staff_checkin_form(candidate)
        if can(user, "protection.manage") and candidate.stage == Stage.DEPARTED
        else None,
        "arrival_form": ArrivalForm(),
        "family_link": candidate.family_links.filter(retired_at__isnull=True).first(),
        "family_link_form": FamilyLinkForm(),
        "can_manage": can(user, "protection.manage"),
        # the worker's numbers: for the office that follows them and the P3MI that must reach them
        "show_contacts": can(user, "protection.manage") or can(user, "protection.respond"),
        "can_arrival": can(user, "protection.arrival"),
        **extra,
    }


@capability_required("protection.view")
def worker(request, pk):
    candidate = _worker(request.user, pk)
    audit_read(
        actor=request.user,
        action="protection.worker_view",
        targets=candidate,
        purpose="protection:worker",
    )
    return render(request, "protection/worker.html", _worker_page(request, candidate))


@capability_required("protection.manage")
@require_POST
def worker_family_link(request, pk):
    """Give the family a new code and secret for sending news; the slip is shown once, to print."""
    candidate = _worker(request.user, pk)
    form = FamilyLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi nama anggota keluarga dan hubungannya dengan pekerja."))
        return redirect("protection:worker", pk=candidate.pk)
    try:
        link, secret = services.family_link_issue(
            candidate=candidate, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("protection:worker", pk=candidate.pk)
    response = render(
        request,
        "protection/family_link_slip.html",
        {
            "candidate": candidate,
            "link": link,
            "secret": secret,
            "report_url": request.build_absolute_uri(reverse("protection:family_checkin")),
        },
    )
    response["Cache-Control"] = "private, no-store"  # the secret is on this page
    return response


@capability_required("protection.manage")
@require_POST
def worker_checkin(request, pk):
    """The month's check-in told to the office by phone: the seven answers, recorded as the
    worker's own would be (a low wage or a held passport opens the case), channel "phone". A form
    with mistakes comes back on the worker's page, open, with everything typed kept."""
    candidate = _worker(request.user, pk)
    form = _staff_checkin_form(candidate, request.POST)
    return form_page(
        request,
        form,
        save=lambda data: services.checkin_answers_record(
            candidate=candidate,
            answers=form.answers(),
            note=data.get("note", ""),
            reporter_kind=data["reporter_kind"],
            actor=request.user,
            channel="phone",
        ),
        success=_("Kabar pekerja tersimpan."),
        done=reverse("protection:worker", args=[candidate.pk]),
        template="protection/worker.html",
        context=_worker_page(request, candidate, checkin_form=form, checkin_open=True),
    )


@capability_required("protection.respond")
@require_POST
def worker_escalation_answer(request, pk, escalation_pk):
    """The P3MI's answer about a missed check-in of a worker it placed."""
    candidate = _worker(request.user, pk)
    escalation = CheckInEscalation.objects.filter(pk=escalation_pk, candidate=candidate).first()
    if escalation is None:
        raise Http404
    return post_action(
        request,
        CheckInAnswerByAgencyForm(request.POST),
        save=lambda data: services.checkin_escalation_answer(
            escalation=escalation, actor=request.user, text=data["text"]
        ),
        success=_("Jawaban P3MI tersimpan dan Disnakertrans diberi tahu."),
        invalid=_("Tulis jawaban P3MI."),
        done=reverse("protection:worker", args=[candidate.pk]),
    )


@capability_required("protection.arrival")
@require_POST
def worker_arrival(request, pk):
    candidate = _worker(request.user, pk)
    kind = ReporterKind.AGENCY if request.user.role == Role.AGENCY_STAFF else ReporterKind.STAFF
    return post_action(
        request,
        ArrivalForm(request.POST),
        save=lambda data: services.arrival_confirm(
            candidate=candidate, confirmed_by_kind=kind, actor=request.user, **data
        ),
        success=_("Kedatangan pekerja tercatat."),
        invalid=_("Isi tanggal tiba yang benar."),
        done=reverse("protection:worker", args=[candidate.pk]),
    )


@capability_required("protection.manage")
def worker_return(request, pk):
    candidate = _worker(request.user, pk)
    return form_page(
        request,
        ReturnForm(request.POST or None),
        save=lambda data: services.return_record(
            candidate=candidate, data=data, actor=request.user
        ),
        success=_("Kepulangan tercatat dan tahap pekerja menjadi 'Sudah pulang'."),
        done=reverse("protection:worker", args=[candidate.pk]),
        template="protection/return_form.html",
        context={"candidate": candidate},
    )


# The list's filter on lateness: the query value, and the party (rules.Party) or "" for either.


# --- the worker in their own account ----------------------------------------------------------------


@capability_required("candidates.self")
def my_checkin(request):
    """The worker's monthly check-in on their phone: the questions, the contract's wage beside the
    wage, and their yes or no to the family being told of two missed check-ins."""
    candidate = _my_departed_candidate(request)
    if candidate is None:
        return redirect("core:home")
    wage, currency, hours = worker_contract(candidate)
    form = CheckInAnswersForm(
        request.POST or None, contract_wage=wage, currency=currency, contract_hours=hours
    )
    consent = FamilyNoticeConsent.objects.filter(candidate=candidate).first()
    return form_page(
        request,
        form,
        save=lambda data: services.checkin_answers_record(
            candidate=candidate,
            answers=form.answers(),
            note=data.get("note", ""),
            reporter_kind=ReporterKind.WORKER,
            actor=request.user,
        ),
        success=_("Terima kasih, kabar Anda sudah kami terima."),
        done=reverse("core:home"),
        template="protection/my_checkin.html",
        context={
            "candidate": candidate,
            "consent": consent,
            "consent_form": FamilyNoticeForm(
                initial={"agreed": "ya" if consent and consent.agreed else "tidak"}
            ),
        },
    )


@capability_required("candidates.self")
@require_POST
def my_family_notice(request):
    """The worker's yes or no to their family being told when they miss two check-ins."""
    candidate = _my_departed_candidate(request)
    if candidate is None:
        return redirect("core:home")
    return post_action(
        request,
        FamilyNoticeForm(request.POST),
        save=lambda data: services.family_notice_consent_set(
            candidate=candidate, agreed=data["agreed"], actor=request.user
        ),
        success=lambda consent: (
            _("Keluarga Anda akan diberi tahu bila Anda dua kali tidak mengirim kabar.")
            if consent.agreed
            else _("Keluarga Anda tidak akan diberi tahu.")
        ),
        invalid=_("Pilih ya atau tidak."),
        done=reverse("protection:my_checkin"),
    )


@capability_required("candidates.self")
def my_arrival(request):
    candidate = _my_departed_candidate(request)
    if candidate is None:
        return redirect("core:home")
    arrival = current_arrival(candidate)  # of this stay abroad, not of an earlier cycle
    if arrival is not None:  # recorded: show it, never a blank form to send again
        return render(request, "protection/my_arrival.html", {"arrival": arrival})
    return form_page(
        request,
        ArrivalForm(request.POST or None),
        save=lambda data: services.arrival_confirm(
            candidate=candidate, confirmed_by_kind=ReporterKind.WORKER, actor=request.user, **data
        ),
        success=_("Terima kasih, kedatangan Anda tercatat. Selamat bekerja!"),
        done=reverse("core:home"),
        template="protection/my_arrival.html",
    )

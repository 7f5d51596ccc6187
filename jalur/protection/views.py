"""Grievances, from the office, the agency, the worker and the public; the family's news."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required, login_only, public
from jalur.accounts.roles import Role, can
from jalur.audit.files import private_file_response
from jalur.audit.services import audit_read
from jalur.candidates.access import own_candidate
from jalur.candidates.stages import Stage
from jalur.core.forms_errors import apply_errors, post_action
from jalur.core.throttle import throttled
from jalur.rules import grievances as rules

from . import services
from .forms import (
    AgencyResponseForm,
    EvidenceForm,
    FamilyCheckInForm,
    FamilyGrievanceForm,
    GrievanceActionForm,
    MessageForm,
    PublicGrievanceForm,
    StaffGrievanceForm,
    TrackForm,
    WorkerGrievanceForm,
)
from .models import CheckIn, ClosingReason, GrievanceEvidence, GrievanceStatus, ReporterKind
from .selectors import (
    access_grievance,
    grievance_closing_options,
    grievance_events_for,
    may_complain_from_account,
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


def _receipt_keep(request, key: str, grievance, secret: str) -> None:
    request.session[key] = {"pk": grievance.pk, "secret": secret}


def _receipt_take(request, key: str) -> tuple[int | None, str]:
    """The case sent last in this session and its secret, which leaves the session as it is read
    ("" when it was shown before)."""
    receipt = request.session.get(key)
    if not receipt:
        return None, ""
    if "secret" in receipt:
        request.session[key] = {"pk": receipt["pk"]}
    return receipt["pk"], receipt.get("secret", "")


def _already_sent(request, grievance, *, to=None):
    """A form sent a second time: say which case it opened the first time and go there (the
    case page, unless `to` says where)."""
    messages.info(
        request,
        _(
            "Pengaduan ini sudah terkirim sebelumnya dengan nomor %(number)s, jadi tidak dibuat "
            "dua kali. Tambahan cerita bisa dikirim sebagai pesan di halaman pengaduan."
        )
        % {"number": grievance.number},
    )
    return to or redirect("protection:grievance_detail", pk=grievance.pk)


def _received_page(request, grievance, secret: str, *, staff: bool = False):
    response = render(
        request,
        "protection/grievance_created.html",
        {"grievance": grievance, "secret": secret, "staff": staff},
    )
    response["Cache-Control"] = "private, no-store"  # the secret may be on this page
    return response


def _complaint_refused(request, candidate):
    """Where a person who may not complain from their account goes, with a message saying why and
    what to do instead."""
    if candidate is not None and candidate.stage == Stage.WITHDRAWN:
        # Withdrawn before sending: they cannot send it now, but a fee demanded or a document held
        # is still a complaint; the public form takes it.
        messages.info(
            request,
            _(
                'Anda mengundurkan diri sebelum pendaftaran dikirim, jadi pengaduan tidak bisa dibuat dari akun ini. Isi formulir pengaduan di bawah ini (tulis "diri sendiri" sebagai hubungan dengan pekerja), atau datang ke kantor Disnakertrans.'
            ),
        )
        return redirect("protection:public_grievance_new")
    messages.info(
        request,
        _(
            "Kirim pendaftaran Anda dulu, lalu pengaduan bisa dibuat dari akun ini. Bila ada yang meminta biaya atau menahan dokumen Anda sekarang, laporkan lewat formulir pengaduan publik atau datang ke kantor Disnakertrans."
        ),
    )
    return redirect("core:home")


@capability_required("protection.manage")
def grievance_new(request):
    form = StaffGrievanceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                grievance, secret = services.grievance_open(
                    actor=request.user, evidence_by=ReporterKind.STAFF, **form.cleaned_data
                )
            except services.AlreadySent as sent:
                return _already_sent(request, sent.grievance)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                _receipt_keep(request, STAFF_RECEIPT_KEY, grievance, secret)
                return redirect("protection:grievance_received")
        form.note_unsent_evidence()
    return render(
        request, "protection/grievance_form.html", {"form": form, "title": _("Catat pengaduan")}
    )


@capability_required("protection.manage")
def grievance_received(request):
    """The number and secret of the case just recorded, to give the reporter; shown once."""
    pk, secret = _receipt_take(request, STAFF_RECEIPT_KEY)
    if pk is None:
        return redirect("protection:grievance_list")
    return _received_page(
        request, access_grievance(request.user, pk, write=True), secret, staff=True
    )


# The staff steps that have their own form on the case page.
STEP_FORMS = ("move", "note", "documents_request", "documents_received", "contact")


def _grievance_page(request, grievance, *, refused=None):
    """The case page; a staff step that was refused comes back in `refused`, bound, with what was
    typed and the error beside its field."""
    office = can(request.user, "protection.view") and request.user.role != Role.AGENCY_STAFF
    forms = {name: GrievanceActionForm() for name in STEP_FORMS}
    if refused is not None:
        forms[refused.data.get("action")] = refused
    order = list(rules.State)
    next_statuses = sorted(rules.TRANSITIONS[grievance.status], key=order.index)
    closing = grievance_closing_options(grievance) if office else []
    context = {
        "grievance": grievance,
        "standing": grievance.standing,
        "events": grievance_events_for(request.user, grievance),
        "evidence": grievance.evidence.all(),
        "office": office,
        "can_manage": can(request.user, "protection.manage"),
        "can_respond": can(request.user, "protection.respond"),
        "is_reporter": request.user.role == Role.CANDIDATE,
        "next_statuses": [(s, GrievanceStatus(s).label) for s in next_statuses],
        "can_close": GrievanceStatus.CLOSED in next_statuses,
        "move_form": forms["move"],
        "note_form": forms["note"],
        "documents_form": forms["documents_request"],
        "documents_received_form": forms["documents_received"],
        "contact_form": forms["contact"],
        # The reasons the rules allow now; the others with the rules' word on when they can be used.
        "closing_reasons": [
            (c.reason, ClosingReason(c.reason).label) for c in closing if c.allowed
        ],
        "closing_later": [
            (ClosingReason(c.reason).label, c.message) for c in closing if not c.allowed
        ],
        "response_form": AgencyResponseForm(),
        "message_form": MessageForm(),
        "evidence_form": EvidenceForm(),
    }
    return render(request, "protection/grievance_detail.html", context)


@login_only
def grievance_detail(request, pk):
    grievance = access_grievance(request.user, pk)
    if request.user.role != Role.CANDIDATE:  # the office or the P3MI, not the reporter's own view
        audit_read(
            actor=request.user,
            action="grievance.view",
            targets=grievance,
            purpose="protection:grievance_detail",
        )
    return _grievance_page(request, grievance)


def _grievance_step(grievance, data: dict, *, actor) -> str:
    """Run one staff step through its service; returns what to say when it is done."""
    if data["action"] == "assign":
        services.grievance_assign(grievance=grievance, officer=actor, actor=actor)
        return _("Pengaduan ini sekarang Anda tangani.")
    if data["action"] == "note":
        services.grievance_note(
            grievance=grievance, actor=actor, text=data["text"], public=data["public"]
        )
        return _("Catatan tersimpan.")
    if data["action"] == "documents_request":
        services.grievance_documents_request(grievance=grievance, actor=actor, text=data["text"])
        return _("Permintaan dokumen tersimpan dan ditampilkan kepada pelapor.")
    if data["action"] == "documents_received":
        services.grievance_documents_received(grievance=grievance, actor=actor, text=data["text"])
        return _("Dokumen tercatat sudah diterima.")
    if data["action"] == "contact":
        services.grievance_contact(grievance=grievance, actor=actor, text=data["text"])
        return _("Kontak dengan pelapor tercatat.")
    if not data["to_status"]:
        raise ValidationError({"to_status": _("Pilih status baru.")})
    services.grievance_move(
        grievance=grievance,
        to_status=data["to_status"],
        actor=actor,
        text=data["text"],
        closing_reason=data["closing_reason"],
    )
    return _("Status pengaduan diperbarui.")


@capability_required("protection.manage")
@require_POST
def grievance_action(request, pk):
    """A staff step on the case. Done: back to the case with a message. Refused: the case page
    again, with the step's form as it was filled in and the reason beside the field."""
    grievance = access_grievance(request.user, pk, write=True)
    form = GrievanceActionForm(request.POST)
    if form.is_valid():
        try:
            success = _grievance_step(grievance, form.cleaned_data, actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("protection:grievance_detail", pk=pk)
    if form.data.get("action") in STEP_FORMS:
        return _grievance_page(request, grievance, refused=form)
    # The button with no fields (assign), or a request that names no step: say why, on top.
    for message in [m for errors in form.errors.values() for m in errors] or [
        _("Permintaan tidak lengkap. Coba lagi.")
    ]:
        messages.error(request, message)
    return redirect("protection:grievance_detail", pk=pk)


@capability_required("protection.respond")
@require_POST
def grievance_respond(request, pk):
    grievance = access_grievance(request.user, pk)
    return post_action(
        request,
        AgencyResponseForm(request.POST),
        save=lambda data: services.grievance_agency_response(
            grievance=grievance, actor=request.user, text=data["text"]
        ),
        success=_("Tanggapan P3MI tersimpan dan petugas diberi tahu."),
        invalid=_("Tulis tanggapan P3MI."),
        done=reverse("protection:grievance_detail", args=[pk]),
    )


@login_only
@require_POST
def grievance_message(request, pk):
    grievance = access_grievance(request.user, pk)
    if grievance.candidate is None or grievance.candidate.user_id != request.user.pk:
        raise PermissionDenied
    return post_action(
        request,
        MessageForm(request.POST),
        save=lambda data: services.grievance_reporter_message(
            grievance=grievance, text=data["text"], actor=request.user
        ),
        success=_("Pesan terkirim ke petugas."),
        invalid=_("Tulis pesan Anda untuk petugas."),
        done=reverse("protection:grievance_detail", args=[pk]),
    )


@login_only
@require_POST
def grievance_evidence_add(request, pk):
    grievance = access_grievance(request.user, pk)
    own = grievance.candidate is not None and grievance.candidate.user_id == request.user.pk
    if not (own or can(request.user, "protection.manage")):
        raise PermissionDenied
    kind = ReporterKind.WORKER if own else ReporterKind.STAFF
    return post_action(
        request,
        EvidenceForm(request.POST, request.FILES),
        save=lambda data: services.grievance_add_evidence(
            grievance=grievance, upload=data["evidence"], uploaded_by_kind=kind, actor=request.user
        ),
        success=_("Bukti tersimpan."),
        invalid=_("Pilih berkas bukti."),
        done=reverse("protection:grievance_detail", args=[pk]),
    )


@login_only
def evidence_file(request, pk):
    evidence = GrievanceEvidence.objects.select_related("grievance").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    access_grievance(request.user, evidence.grievance_id)
    return _serve_evidence(request, evidence, actor=request.user)


def _serve_evidence(request, evidence, *, actor):
    extension = evidence.file.name.rsplit(".", 1)[-1]
    return private_file_response(
        request,
        file=evidence.file,
        content_type=evidence.content_type,
        target=evidence.grievance,
        action="grievance.evidence_view",
        filename=f"bukti-{evidence.pk}.{extension}",
        detail={"evidence": evidence.pk},
    )


@capability_required("candidates.self")
def my_grievance_new(request):
    """A complaint from the person's own account, before departure as well as abroad: linked to
    them and to the P3MI placing them, if any (grievance_open finds it)."""
    candidate = own_candidate(request.user)
    if not may_complain_from_account(candidate):
        return _complaint_refused(request, candidate)
    form = WorkerGrievanceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                grievance, _secret = services.grievance_open(
                    reporter_kind=ReporterKind.WORKER,
                    reporter_name=candidate.full_name,
                    reporter_phone=candidate.phone,
                    candidate=candidate,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except services.AlreadySent as sent:
                return _already_sent(request, sent.grievance)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Pengaduan %(number)s sudah kami terima. Petugas akan menghubungi Anda.")
                    % {"number": grievance.number},
                )
                return redirect("protection:grievance_detail", pk=grievance.pk)
        form.note_unsent_evidence()
    return render(
        request, "protection/grievance_form.html", {"form": form, "title": _("Buat pengaduan")}
    )


# --- the family, without an account ---------------------------------------------------------------


def _session_family_link(request):
    """The family code opened in this session, while it is in use and the worker is abroad."""
    from .models import FamilyLink

    pk = request.session.get(FAMILY_SESSION_KEY)
    if pk is None:
        return None
    return (
        FamilyLink.objects.select_related("candidate")
        .filter(pk=pk, retired_at__isnull=True, candidate__stage=Stage.DEPARTED)
        .first()
    )


@public
def public_grievance_new(request):
    if request.GET.get("lain") == "1":  # a complaint about someone else: forget the family code
        request.session.pop(FAMILY_SESSION_KEY, None)
    link = _session_family_link(request)
    if link is not None:
        form = FamilyGrievanceForm(
            request.POST or None,
            request.FILES or None,
            initial={"reporter_name": link.family_name, "reporter_relation": link.relation},
        )
    else:
        form = PublicGrievanceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if throttled(request, "grievance-new", limit=10):
            messages.error(
                request,
                _(
                    "Terlalu banyak pengaduan dari perangkat ini dalam satu jam. Coba lagi nanti, atau hubungi kantor Disnakertrans."
                ),
            )
        else:
            if form.is_valid():
                data = dict(form.cleaned_data)
                if link is not None:
                    data["candidate"] = link.candidate
                try:
                    grievance, secret = services.grievance_open(
                        reporter_kind=ReporterKind.FAMILY, **data
                    )
                except services.AlreadySent as sent:
                    # the public reach a case through this browser's session only
                    seen = _session_case(request, pk=sent.grievance.pk) is not None
                    return _already_sent(
                        request,
                        sent.grievance,
                        to=redirect("protection:public_grievance_status", sent.grievance.number)
                        if seen
                        else redirect("protection:public_grievance_track"),
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    request.session[SESSION_KEY] = [
                        *request.session.get(SESSION_KEY, []),
                        grievance.pk,
                    ][-10:]
                    _receipt_keep(request, PUBLIC_RECEIPT_KEY, grievance, secret)
                    return redirect("protection:public_grievance_received")
            form.note_unsent_evidence()
    return render(
        request,
        "protection/grievance_form.html",
        {
            "form": form,
            "title": _("Buat pengaduan"),
            "public": True,
            "family_link": link,
            "worker_first_name": link.candidate.full_name.split()[0] if link else "",
        },
    )


@public
def family_checkin(request):
    """The family sends the worker's monthly news with the code and secret from the office."""
    form = FamilyCheckInForm(request.POST or None)
    if request.method == "POST":
        if throttled(request, "family-checkin"):
            messages.error(request, _("Terlalu banyak percobaan. Tunggu satu jam lalu coba lagi."))
        elif form.is_valid():
            data = form.cleaned_data
            link = services.family_link_check(code=data["code"], secret=data["secret"])
            if link is None:
                form.add_error(
                    None,
                    _(
                        "Kode keluarga atau kode rahasia salah, atau kode sudah diganti. Periksa kertas dari Disnakertrans, atau tanyakan kode baru ke kantor."
                    ),
                )
            else:
                try:
                    services.family_checkin(
                        link=link,
                        status=data["status"],
                        note=data["note"],
                        reporter_name=data["reporter_name"],
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    request.session[FAMILY_SESSION_KEY] = link.pk  # a complaint may follow
                    request.session[FAMILY_NEWS_KEY] = {
                        "first_name": link.candidate.full_name.split()[0],
                        "problem": data["status"] == CheckIn.Status.PROBLEM,
                    }
                    return redirect("protection:family_checkin_done")
    return render(request, "protection/family_checkin.html", {"form": form})


@public
def family_checkin_done(request):
    """The page after the family's news; reloading it records nothing more."""
    sent = request.session.get(FAMILY_NEWS_KEY)
    if sent is None:
        return redirect("protection:family_checkin")
    return render(request, "protection/family_checkin_done.html", sent)


@public
def public_grievance_received(request):
    """The number and secret of the case this browser just sent, shown once; on a reload, how to
    follow the case."""
    pk, secret = _receipt_take(request, PUBLIC_RECEIPT_KEY)
    grievance = _session_case(request, pk=pk) if pk else None
    if grievance is None:
        return redirect("protection:public_grievance_track")
    return _received_page(request, grievance, secret)


@public
def public_grievance_track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if throttled(request, "grievance-track"):
            messages.error(request, _("Terlalu banyak percobaan. Tunggu satu jam lalu coba lagi."))
        elif form.is_valid():
            grievance = services.grievance_check_secret(
                number=form.cleaned_data["number"], secret=form.cleaned_data["secret"]
            )
            if grievance is None:
                form.add_error(
                    None, _("Nomor pengaduan atau kode rahasia salah. Periksa lagi catatan Anda.")
                )
            else:
                request.session[SESSION_KEY] = [
                    *request.session.get(SESSION_KEY, []),
                    grievance.pk,
                ][-10:]
                return redirect("protection:public_grievance_status", number=grievance.number)
    return render(request, "protection/track.html", {"form": form})


def _session_case(request, **lookup):
    """A case this browser opened (sent, or followed with its secret), or None: the only way the
    public pages reach a case."""
    from .models import Grievance

    return Grievance.objects.filter(pk__in=request.session.get(SESSION_KEY, []), **lookup).first()


def _public_case(request, number):
    grievance = _session_case(request, number=number)
    if grievance is None:
        raise Http404
    return grievance


@public
def public_grievance_status(request, number):
    grievance = _public_case(request, number)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grievance_reporter_message(grievance=grievance, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Pesan terkirim ke petugas."))
            return redirect("protection:public_grievance_status", number=number)
    return render(
        request,
        "protection/public_status.html",
        {
            "grievance": grievance,
            "events": grievance.events.filter(public=True),
            "form": form,
            "evidence_form": EvidenceForm(),
        },
    )


@public
@require_POST
def public_grievance_evidence(request, number):
    grievance = _public_case(request, number)
    return post_action(
        request,
        EvidenceForm(request.POST, request.FILES),
        save=lambda data: services.grievance_add_evidence(
            grievance=grievance, upload=data["evidence"], uploaded_by_kind=ReporterKind.FAMILY
        ),
        success=_("Bukti tersimpan."),
        invalid=_("Pilih berkas bukti."),
        done=reverse("protection:public_grievance_status", args=[number]),
    )

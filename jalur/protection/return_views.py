"""Pages after the return: the office's returnees and their reintegration follow-ups, the
returnee's own follow-up, and "Daftar lagi" (a next cycle), by the returnee or by the office."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.candidates.access import own_candidate
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.core.forms_errors import form_page, post_action
from jalur.core.pagination import keyset_page

from . import return_selectors as selectors
from .models import FollowUpChannel
from .return_forms import FollowUpForm, RestartForm, StaffFollowUpForm
from .services import returns as services


def _returnee(user, pk) -> Candidate:
    candidate = selectors.returnee_visible(user).filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return candidate


# --- the office -----------------------------------------------------------------------------------


@capability_required("protection.manage")
def returnees(request):
    today = timezone.localdate()
    only_overdue = request.GET.get("terlambat") == "1"
    rows = selectors.returnees_for(request.user, today=today, only_overdue=only_overdue)
    page = keyset_page(request, rows, order=selectors.RETURNEE_ORDER, size=50)
    return render(
        request,
        "protection/returnees.html",
        {
            "rows": selectors.returnee_rows(page.object_list, today=today),
            "only_overdue": only_overdue,
            "page_obj": page,
            "today": today,
        },
    )


@capability_required("protection.manage")
def returnee(request, pk):
    candidate = _returnee(request.user, pk)
    today = timezone.localdate()
    due = selectors.follow_up_due(candidate, today)
    return render(
        request,
        "protection/returnee.html",
        {
            "candidate": candidate,
            "returns": candidate.returns.select_related("recorded_by"),
            "follow_ups": selectors.follow_ups_of(candidate),
            "due": due,
            "coming": selectors.follow_up_next(candidate, today),
            "form": StaffFollowUpForm() if due else None,
            "carried": selectors.carried_over(candidate, today=today),
            "history": candidate.stage_history.select_related("actor").order_by("created_at", "pk"),
            "may_restart": candidate.stage == Stage.RETURNED,
            "may_carry_over": candidate.stage == Stage.VERIFIED and candidate.cycle > 1,
        },
    )


@capability_required("protection.manage")
def returnee_follow_up(request, pk):
    """The office records the due follow-up, asked on the phone or on a visit."""
    candidate = _returnee(request.user, pk)
    due = selectors.follow_up_due(candidate, timezone.localdate())
    if due is None:
        messages.info(request, _("Tidak ada tindak lanjut yang jatuh tempo untuk orang ini."))
        return redirect("protection:returnee", pk=candidate.pk)
    return form_page(
        request,
        StaffFollowUpForm(request.POST or None),
        save=lambda data: services.follow_up_record(
            follow_up=due, channel=data.pop("channel"), data=data, actor=request.user
        ),
        success=_("Tindak lanjut reintegrasi tersimpan."),
        done=reverse("protection:returnee", args=[candidate.pk]),
        template="protection/reintegration_form.html",
        context={"candidate": candidate, "due": due, "staff": True},
    )


@capability_required("protection.manage")
def returnee_restart(request, pk):
    """Daftar lagi on the returnee's behalf (at the desk, or on the phone)."""
    candidate = _returnee(request.user, pk)
    if candidate.stage != Stage.RETURNED:
        messages.info(request, _("Daftar lagi hanya untuk yang berstatus 'Sudah pulang'."))
        return redirect("protection:returnee", pk=candidate.pk)
    return form_page(
        request,
        RestartForm(request.POST or None),
        save=lambda data: services.cycle_restart(
            candidate=candidate, actor=request.user, reason=data["reason"]
        ),
        success=_(
            "Terdaftar lagi. Periksa datanya dan minta dokumen yang sudah tidak berlaku, lalu kirim ke verifikasi."
        ),
        done=reverse("candidates:detail", args=[candidate.pk]),
        template="protection/return_restart.html",
        context={
            "candidate": candidate,
            "carried": selectors.carried_over(candidate, today=timezone.localdate()),
            "staff": True,
        },
    )


@capability_required("protection.manage")
@require_POST
def returnee_carry_over(request, pk):
    candidate = _returnee(request.user, pk)
    return post_action(
        request,
        None,
        save=lambda _data: services.certificate_carry_over(candidate=candidate, actor=request.user),
        success=_("Sertifikat pelatihan dibawa ke siklus ini: tahap menjadi 'Lulus pelatihan'."),
        done=reverse("protection:returnee", args=[candidate.pk]),
    )


# --- the returnee in their own account ------------------------------------------------------------


def _my_returned(request) -> Candidate | None:
    candidate = own_candidate(request.user)
    if candidate is None or not candidate.returns.exists():
        messages.info(request, _("Halaman ini untuk pekerja yang sudah pulang ke tanah air."))
        return None
    return candidate


@capability_required("candidates.self")
def my_reintegration(request):
    candidate = _my_returned(request)
    if candidate is None:
        return redirect("core:home")
    today = timezone.localdate()
    due = selectors.follow_up_due(candidate, today)
    context = {
        "candidate": candidate,
        "due": due,
        "coming": selectors.follow_up_next(candidate, today),
        "follow_ups": selectors.follow_ups_of(candidate),
        "may_restart": candidate.stage == Stage.RETURNED,
    }
    if due is None:
        return render(request, "protection/reintegration_mine.html", context)
    return form_page(
        request,
        FollowUpForm(request.POST or None),
        save=lambda data: services.follow_up_record(
            follow_up=due, channel=FollowUpChannel.SELF, data=data, actor=request.user
        ),
        success=_("Terima kasih, jawaban Anda sudah kami terima."),
        done=reverse("protection:my_reintegration"),
        template="protection/reintegration_mine.html",
        context=context,
    )


@capability_required("candidates.self")
def my_restart(request):
    candidate = _my_returned(request)
    if candidate is None:
        return redirect("core:home")
    if candidate.stage != Stage.RETURNED:
        messages.info(
            request, _("Anda sudah terdaftar lagi. Lanjutkan pendaftaran dari halaman Anda.")
        )
        return redirect("candidates:me")
    return form_page(
        request,
        RestartForm(request.POST or None),
        save=lambda data: services.cycle_restart(
            candidate=candidate, actor=request.user, reason=data["reason"]
        ),
        success=_(
            "Anda terdaftar lagi. Periksa data Anda, unggah dokumen yang sudah tidak berlaku, lalu kirim pendaftaran."
        ),
        done=reverse("candidates:me"),
        template="protection/return_restart.html",
        context={
            "candidate": candidate,
            "carried": selectors.carried_over(candidate, today=timezone.localdate()),
            "staff": False,
        },
    )

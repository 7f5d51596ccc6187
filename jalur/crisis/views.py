"""Pages for urgent cases: the office's (and P3MI's) list "Darurat", a case with its steps, the
office opening a case, and the worker's own emergency button with the numbers to call."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.audit.services import audit_read
from jalur.candidates.access import own_candidate
from jalur.candidates.stages import Stage
from jalur.core.forms_errors import form_page, post_action
from jalur.core.pagination import keyset_page
from jalur.protection.selectors import workers_for

from . import services
from .contacts import contacts_for
from .forms import ClassifyForm, CloseForm, SosForm, StaffOpenForm, StepDoneForm
from .models import UrgentCase, UrgentStep
from .selectors import (
    URGENT_ORDER,
    access_case,
    latest_contacts,
    may_do_step,
    require_step,
    steps_of,
    urgent_list,
    worker_country,
)

STATUS_FILTERS = ("active", "open", "in_hand", "closed")


@capability_required("protection.view")
def urgent_list_view(request):
    status = request.GET.get("status", "active")
    status = status if status in STATUS_FILTERS else "active"
    page = keyset_page(
        request, urgent_list(request.user, status=status), order=URGENT_ORDER, size=50
    )
    return render(request, "crisis/urgent_list.html", {"page_obj": page, "status": status})


@capability_required("protection.view")
def case_view(request, pk):
    case = access_case(request.user, pk)
    audit_read(
        actor=request.user, action="crisis.case_view", targets=case.candidate, purpose="crisis:case"
    )
    steps = steps_of(case)
    for step in steps:
        step.may_do = case.is_open and not step.done_at and may_do_step(request.user, step)
    contacts = latest_contacts(case.candidate)
    return render(
        request,
        "crisis/case.html",
        {
            "case": case,
            "steps": steps,
            "contacts": contacts,
            "directory": contacts_for(contacts["country"]),
            "can_manage": can(request.user, "protection.manage") and case.is_open,
            "step_form": StepDoneForm(),
            "classify_form": ClassifyForm(),
            "close_form": CloseForm(),
        },
    )


def _back(case) -> str:
    return reverse("crisis:case", args=[case.pk])


@capability_required("protection.manage")
@require_POST
def case_take_view(request, pk):
    case = access_case(request.user, pk)
    return post_action(
        request,
        None,
        save=lambda data: services.case_take(case=case, actor=request.user),
        success=_("Kasus ini sekarang Anda tangani."),
        done=_back(case),
    )


@capability_required("protection.manage")
@require_POST
def case_classify_view(request, pk):
    case = access_case(request.user, pk)
    return post_action(
        request,
        ClassifyForm(request.POST),
        save=lambda data: services.case_classify(case=case, kind=data["kind"], actor=request.user),
        success=_("Jenis kasus tersimpan; langkah-langkahnya ditambahkan."),
        invalid=_("Pilih jenis kasus."),
        done=_back(case),
    )


@capability_required("protection.manage")
@require_POST
def case_close_view(request, pk):
    case = access_case(request.user, pk)
    return post_action(
        request,
        CloseForm(request.POST),
        save=lambda data: services.case_close(case=case, actor=request.user, **data),
        success=_("Kasus darurat ditutup."),
        invalid=_("Pilih hasil dan tulis catatan penutupan."),
        done=_back(case),
    )


@capability_required("protection.manage", "protection.respond")
@require_POST
def step_done_view(request, pk):
    step = get_object_or_404(UrgentStep.objects.select_related("case"), pk=pk)
    case = access_case(request.user, step.case_id)  # 404 for a case the user may not see
    require_step(request.user, step)
    return post_action(
        request,
        StepDoneForm(request.POST),
        save=lambda data: services.step_done(step=step, actor=request.user, note=data["note"]),
        success=_("Langkah dicatat selesai."),
        invalid=_("Tulis apa yang sudah dilakukan."),
        done=_back(case),
    )


@capability_required("protection.manage")
def staff_open_view(request, pk):
    candidate = workers_for(request.user).filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return form_page(
        request,
        StaffOpenForm(request.POST or None),
        save=lambda data: services.urgent_open(candidate=candidate, actor=request.user, **data),
        success=_("Kasus darurat dibuka; manajer program dan P3MI sudah diberi tahu."),
        done=lambda case: _back(case),
        template="crisis/staff_open.html",
        context={"candidate": candidate},
    )


@capability_required("candidates.self")
def my_sos_view(request):
    """The worker's own page: the numbers to call where they work, and the button
    "Saya butuh bantuan darurat" that opens an urgent case (or adds to the one still open)."""
    candidate = own_candidate(request.user)
    abroad = candidate is not None and candidate.stage in (Stage.DEPARTED, Stage.RETURNED)
    country = worker_country(candidate) if candidate is not None else None
    context = {
        "abroad": abroad,
        "directory": contacts_for(country),
        "open_case": (
            candidate.urgent_cases.exclude(status=UrgentCase.Status.CLOSED).first()
            if abroad
            else None
        ),
    }
    if not abroad:
        return render(request, "crisis/my_sos.html", {**context, "form": None})
    return form_page(
        request,
        SosForm(request.POST or None),
        save=lambda data: services.sos_open(
            candidate=candidate,
            words=data["words"],
            via=UrgentCase.Via.WEB,
            actor=request.user,
        ),
        success=_(
            "Permintaan bantuan Anda sudah diterima. Petugas Disnakertrans akan segera menghubungi "
            "Anda. Bila dalam bahaya, hubungi nomor di bawah sekarang juga."
        ),
        done=reverse("crisis:my_sos"),
        template="crisis/my_sos.html",
        context=context,
    )

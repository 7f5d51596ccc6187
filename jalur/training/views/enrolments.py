"""A trainee's page and moves: withdrawing, passing, failing, and the assessment results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.forms_errors import apply_errors, post_action

from .. import services
from ..access import access_assessment, access_enrolment
from ..forms import AssessmentForm, ReasonForm
from ..models import Certificate, EnrolmentStatus
from ..scales import Test
from ..selectors import completion_check, waiting_position


@capability_required("training.view")
def enrolment_detail(request, pk):
    enrolment = access_enrolment(request.user, pk)
    attendance = enrolment.attendance.select_related("session").order_by("session__date")
    return render(
        request,
        "training/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "check": completion_check(enrolment)
            if enrolment.status == EnrolmentStatus.ENROLLED
            else None,
            "attendance": attendance,
            "assessments": enrolment.candidate.assessments.select_related("job_type"),
            "position": waiting_position(enrolment),
            "certificate": Certificate.objects.filter(enrolment=enrolment).first(),
            "may_manage": can(request.user, "training.manage"),
            "tests": Test.choices,
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@capability_required("training.manage")
def enrolment_withdraw(request, pk):
    enrolment = access_enrolment(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tulis alasan peserta keluar."))
        return redirect("training:enrolment_detail", pk=enrolment.pk)
    return post_action(
        request,
        form,
        save=lambda data: services.enrolment_withdraw(
            enrolment=enrolment, actor=request.user, reason=data["reason"]
        ),
        success=_("Peserta dicatat keluar. Kursinya diberikan ke daftar tunggu."),
        done=reverse("training:cohort_detail", args=[enrolment.cohort_id]),
    )


@require_POST
@capability_required("training.manage")
def enrolment_complete(request, pk):
    enrolment = access_enrolment(request.user, pk, write=True)
    return post_action(
        request,
        None,
        save=lambda _data: services.enrolment_complete(enrolment=enrolment, actor=request.user),
        success=lambda certificate: (
            _("Peserta lulus. Sertifikat %(n)s terbit.") % {"n": certificate.number}
        ),
        done=reverse("training:enrolment_detail", args=[enrolment.pk]),
    )


@require_POST
@capability_required("training.manage")
def enrolment_fail(request, pk):
    enrolment = access_enrolment(request.user, pk, write=True)
    return post_action(
        request,
        ReasonForm(request.POST),
        save=lambda data: services.enrolment_fail(
            enrolment=enrolment, actor=request.user, reason=data["reason"]
        ),
        success=_("Peserta dinyatakan tidak lulus; ia bisa mendaftar ulang."),
        invalid=_("Tulis alasan peserta tidak lulus."),
        done=reverse("training:enrolment_detail", args=[enrolment.pk]),
    )


@capability_required("training.manage")
def assessment_create(request, pk):
    enrolment = access_enrolment(request.user, pk, write=True)
    test = request.GET.get("ujian") or request.POST.get("ujian") or Test.JFT_BASIC
    if test not in Test.values:
        raise Http404
    form = AssessmentForm(request.POST or None, test=test)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                candidate=enrolment.candidate,
                enrolment=enrolment,
                actor=request.user,
                data=form.service_data(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Hasil ujian dicatat."))
            return redirect("training:enrolment_detail", pk=enrolment.pk)
    return render(
        request,
        "training/assessment_form.html",
        {
            "enrolment": enrolment,
            "form": form,
            "test": test,
            "test_label": Test(test).label,
            "tests": Test.choices,
        },
    )


@require_POST
@capability_required("training.manage")
def assessment_delete(request, pk):
    assessment = access_assessment(request.user, pk, write=True)
    back = request.POST.get("next_enrolment", "")
    return post_action(
        request,
        ReasonForm(request.POST),
        save=lambda data: services.assessment_delete(
            assessment=assessment, actor=request.user, reason=data["reason"]
        ),
        success=_("Hasil ujian dihapus."),
        invalid=_("Tulis alasan hasil ini dihapus."),
        done=reverse("training:enrolment_detail", args=[int(back)])
        if back.isdigit()
        else reverse("training:cohort_list"),
    )

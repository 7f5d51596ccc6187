"""The catalogue of training: programmes, providers and the scale settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.decorators import capability_required
from jalur.core.forms_errors import apply_errors, form_page

from .. import services
from ..access import access_programme, access_provider, cohorts_for, providers_for
from ..forms import ProgrammeForm, ProviderForm, ScaleSettingForm
from ..models import EnrolmentStatus, Programme, ScaleSetting
from ..selectors import COHORT_ORDER, cohort_counts, quota_used, requirement_label


@capability_required("training.view")
def programme_list(request):
    programmes = Programme.objects.prefetch_related("pathways", "job_types").annotate(
        used=Count(
            "cohorts__enrolments__candidate",
            filter=Q(
                cohorts__enrolments__status__in=[
                    EnrolmentStatus.ENROLLED,
                    EnrolmentStatus.COMPLETED,
                ]
            ),
            distinct=True,
        )
    )
    return render(request, "training/programme_list.html", {"programmes": programmes})


@capability_required("training.view")
def programme_detail(request, pk):
    programme = access_programme(request.user, pk)
    cohorts = list(cohorts_for(request.user).filter(programme=programme).order_by(*COHORT_ORDER))
    cohort_counts(cohorts)
    return render(
        request,
        "training/programme_detail.html",
        {
            "programme": programme,
            "cohorts": cohorts,
            "used": quota_used(programme),
            "today": timezone.localdate(),
            "requirements": [requirement_label(r) for r in programme.required_assessments],
        },
    )


@capability_required("training.programmes.manage")
def programme_edit(request, pk=None):
    programme = access_programme(request.user, pk, write=True) if pk else Programme()
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            if pk:
                programme = services.programme_update(
                    actor=request.user,
                    programme=programme,
                    data=form.service_data(),
                    pathways=form.cleaned_data["pathways"],
                    job_types=form.cleaned_data["job_types"],
                )
            else:
                programme = services.programme_create(
                    actor=request.user,
                    data=form.service_data(),
                    pathways=form.cleaned_data["pathways"],
                    job_types=form.cleaned_data["job_types"],
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Program disimpan."))
            return redirect("training:programme_detail", pk=programme.pk)
    return render(request, "training/programme_form.html", {"form": form, "programme": programme})


@capability_required("training.view")
def provider_list(request):
    return render(
        request,
        "training/provider_list.html",
        {"providers": providers_for(request.user), "today": timezone.localdate()},
    )


@capability_required("training.programmes.manage")
def provider_edit(request, pk=None):
    provider = access_provider(request.user, pk, write=True) if pk else None

    def save(data):
        organisation = data.pop("organisation", None)
        if provider:
            return services.provider_update(actor=request.user, provider=provider, data=data)
        return services.provider_create(actor=request.user, organisation=organisation, data=data)

    return form_page(
        request,
        ProviderForm(request.POST or None, instance=provider),
        save=save,
        success=_("Lembaga pelatihan disimpan."),
        done=reverse("training:provider_list"),
        template="training/provider_form.html",
        context={"provider": provider},
    )


@capability_required("training.view")
def scale_list(request):
    return render(
        request,
        "training/scale_list.html",
        {"settings": ScaleSetting.objects.all(), "jlpt_rules": _jlpt_table()},
    )


def _jlpt_table():
    from ..scales import JLPT_RULES

    return [(level, rule) for level, rule in sorted(JLPT_RULES.items())]


@capability_required("training.programmes.manage")
def scale_edit(request, pk):
    setting = ScaleSetting.objects.filter(pk=pk).first()
    if setting is None:
        raise Http404

    def save(data):
        reason = data.pop("reason")
        return services.scale_setting_update(
            setting=setting, actor=request.user, data=data, reason=reason
        )

    return form_page(
        request,
        ScaleSettingForm(request.POST or None, instance=setting),
        save=save,
        success=_("Pengaturan skala disimpan."),
        done=reverse("training:scale_list"),
        template="training/scale_form.html",
        context={"setting": setting},
    )

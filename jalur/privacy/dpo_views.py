"""The data-protection officer's pages (breach register, record of processing, consent versions)
and the candidate's answer to a new consent version."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.accounts.decorators import capability_required
from jalur.candidates.access import own_candidate
from jalur.candidates.models import ConsentText
from jalur.core.forms_errors import form_page

from .breaches import breach_save, clock
from .consent import consent_answer as consent_answer_save
from .consent import consent_pending
from .consent import consent_publish as consent_publish_save
from .models import Breach
from .ropa import processing_records, ropa_csv

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = [
            "discovered_at",
            "description",
            "data_kinds",
            "people_affected",
            "risk",
            "actions",
            "people_notified_at",
            "authority_notified_at",
            "status",
        ]
        widgets = {
            "discovered_at": DATETIME,
            "people_notified_at": DATETIME,
            "authority_notified_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 3}),
        }


class ConsentTextForm(forms.ModelForm):
    class Meta:
        model = ConsentText
        fields = ["version", "title", "collected", "purpose", "recipients", "retention", "rights"]

    def validate_unique(self):  # the service says it beside the field, in Indonesian
        pass


class AnswerForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=gettext_lazy("Jawaban Anda"),
        choices=[
            ("1", gettext_lazy("Saya setuju")),
            ("0", gettext_lazy("Saya tidak setuju (saya mengundurkan diri)")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


@capability_required("privacy.dpo")
def breach_list(request):
    now = timezone.now()
    rows = [(b, clock(b, now=now)) for b in Breach.objects.all()[:200]]
    return render(request, "privacy/breach_list.html", {"rows": rows})


@capability_required("privacy.dpo")
def breach_new(request):
    return form_page(
        request,
        BreachForm(request.POST or None, initial={"discovered_at": timezone.localtime()}),
        save=lambda data: breach_save(breach=None, data=data, actor=request.user),
        success=_("Insiden tercatat. Batas pemberitahuan: 3 x 24 jam sejak diketahui."),
        done=lambda b: reverse("privacy:breach_detail", args=[b.pk]),
        template="privacy/breach_form.html",
    )


@capability_required("privacy.dpo")
def breach_detail(request, pk):
    breach = get_object_or_404(Breach, pk=pk)
    return form_page(
        request,
        BreachForm(request.POST or None, instance=breach),
        save=lambda data: breach_save(breach=breach, data=data, actor=request.user),
        success=_("Perubahan tersimpan."),
        done=reverse("privacy:breach_detail", args=[breach.pk]),
        template="privacy/breach_form.html",
        context={"breach": breach, "clock": clock(breach)},
    )


@capability_required("privacy.dpo")
def ropa(request):
    if request.GET.get("format") == "csv":
        response = HttpResponse(ropa_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ropa-jalur.csv"'
        return response
    return render(request, "privacy/ropa.html", {"rows": processing_records()})


@capability_required("privacy.dpo")
def consent_publish(request):
    current = ConsentText.objects.filter(is_current=True).first()
    form = ConsentTextForm(request.POST or None, instance=None)
    if current is not None and not request.POST:
        form = ConsentTextForm(
            initial={f: getattr(current, f) for f in ConsentTextForm.Meta.fields if f != "version"}
        )
    if request.method == "POST" and "preview" in request.POST and form.is_valid():
        return render(
            request,
            "privacy/consent_publish.html",
            {"form": form, "current": current, "preview": form.cleaned_data},
        )
    return form_page(
        request,
        form,
        save=lambda data: consent_publish_save(data=data, actor=request.user),
        success=_("Versi baru berlaku. Setiap pencari kerja diminta menjawabnya saat masuk."),
        done=reverse("privacy:consent_publish"),
        template="privacy/consent_publish.html",
        context={"current": current},
    )


@capability_required("candidates.self")
def consent_answer(request):
    candidate = own_candidate(request.user)
    consent = consent_pending(candidate)
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if consent is None:
        return redirect(target)
    response = form_page(
        request,
        AnswerForm(request.POST or None),
        save=lambda data: consent_answer_save(
            candidate=candidate, consent=consent, agreed=data["agreed"], actor=request.user
        ),
        success=_("Jawaban Anda tersimpan."),
        done=target,
        template="privacy/consent_answer.html",
        context={"consent": consent, "candidate": candidate},
    )
    return response

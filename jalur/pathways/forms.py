"""Forms for pathways and job types. They collect input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jalur.rules.eligibility import EXTRA_TESTS

from .models import JobType, Pathway


class PathwayForm(forms.ModelForm):
    checklist_text = forms.CharField(
        label=_("Kode dokumen pra-keberangkatan"),
        required=False,
        help_text=_("Satu kode per baris atau dipisah koma, misalnya medical, passport, visa."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        help_text=_("Misalnya nomor surat, peraturan atau pengumuman yang menjadi dasar."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Pathway
        fields = [
            "code",
            "country",
            "name",
            "placing_party",
            "state",
            "state_reason",
            "closes_on",
            "legal_basis",
            "description",
            "job_types",
            "min_age",
            "max_age",
            "min_education",
            "sex",
            "min_experience_years",
            "prior_years_limit",
            "eps_topik_min_score",
            "jft_min_score",
            "jlpt_min_level",
            "skill_test_required",
            "skill_test_name",
            "licence_required",
            "licence_name",
            "sort_order",
        ]
        widgets = {
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "state_reason": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "job_types": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["checklist_text"].initial = "\n".join(self.instance.checklist_items)
        # One field per test a pathway may ask of some job types only (care-Japanese for caregivers).
        existing = self.instance.job_type_tests or {}
        for test, name in EXTRA_TESTS.items():
            self.fields[f"extra_test_{test}"] = forms.ModelMultipleChoiceField(
                label=_("Wajib lulus %(test)s (hasil resmi) untuk jenis pekerjaan")
                % {"test": name},
                queryset=JobType.objects.filter(is_active=True),
                to_field_name="code",
                required=False,
                initial=list(existing.get(test, [])),
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "Syarat kesiapan: berlaku bila lowongan, penetapan skema atau minat pencari "
                    "kerja adalah jenis pekerjaan yang dicentang. Jenis pekerjaan itu harus juga "
                    "dicakup skema ini."
                ),
            )
        # keep the reason last
        self.order_fields([f for f in self.fields if f != "reason"] + ["reason"])

    def clean_checklist_text(self):
        raw = self.cleaned_data.get("checklist_text") or ""
        return [part.strip() for part in raw.replace(",", "\n").splitlines() if part.strip()]

    def service_data(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("job_types", "reason") and not k.startswith("extra_test_")
        }
        data["checklist_items"] = data.pop("checklist_text")
        data["job_type_tests"] = {
            test: sorted(jt.code for jt in self.cleaned_data.get(f"extra_test_{test}") or [])
            for test in EXTRA_TESTS
        }
        return data

    def _post_clean(self):
        # Validation happens in the service (one place); only field conversion here.
        pass


class JobTypeForm(forms.ModelForm):
    reason = forms.CharField(label=_("Alasan perubahan"), widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = JobType
        fields = [
            "name",
            "kbji_codes",
            "ssw_field",
            "e9_sector",
            "zero_cost",
            "zero_cost_basis",
            "is_active",
            "sort_order",
        ]

    def _post_clean(self):
        pass


class AssignForm(forms.Form):
    pathway = forms.ModelChoiceField(label=_("Skema"), queryset=Pathway.objects.none())
    job_type = forms.ModelChoiceField(
        label=_("Jenis pekerjaan"), queryset=JobType.objects.filter(is_active=True), required=False
    )
    reason = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, pathways=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].queryset = Pathway.objects.filter(pk__in=[p.pk for p in pathways])


class EndAssignmentForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))

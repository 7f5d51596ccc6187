"""Forms for training pages. They collect and convert input; the services validate and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.models import Organisation
from jalur.accounts.roles import OrganisationKind
from jalur.core.fields import AmountField
from jalur.pathways.models import JlptLevel, JobType, Pathway
from jalur.rules import pathways as pathway_rules

from .models import (
    Cohort,
    CostItem,
    Payer,
    Programme,
    Provider,
    ResultKind,
    ScaleSetting,
    TrainingCost,
)
from .scales import Test

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that leaves model validation to the service (one place for the rules)."""

    def _post_clean(self):
        pass


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class ProviderForm(ServiceModelForm):
    class Meta:
        model = Provider
        fields = [
            "organisation",
            "kind",
            "licence_number",
            "licence_valid_until",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "is_active",
        ]
        widgets = {"licence_valid_until": DATE, "address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                kind=OrganisationKind.TRAINING_PROVIDER, training_provider__isnull=True
            )
        self.fields["contact_phone"].widget.attrs["inputmode"] = "tel"


REQUIREMENT_TESTS = [
    Test.EPS_TOPIK,
    Test.JFT_BASIC,
    Test.JLPT,
    Test.SKILL,
    Test.CARE_JAPANESE,
    Test.COMPETENCY,
]


class ProgrammeForm(ServiceModelForm):
    required_official = forms.BooleanField(
        label=_("Ujian wajib harus hasil resmi (simulasi tidak dihitung)"), required=False
    )

    class Meta:
        model = Programme
        fields = [
            "code",
            "name",
            "kind",
            "hours",
            "description",
            "pathways",
            "job_types",
            "min_attendance_pct",
            "quota",
            "is_active",
        ]
        widgets = {
            "pathways": forms.CheckboxSelectMultiple,
            "job_types": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathways"].queryset = Pathway.objects.all()
        self.fields["job_types"].queryset = JobType.objects.filter(is_active=True)
        existing = {r["test"]: r for r in (self.instance.required_assessments or [])}
        for test in REQUIREMENT_TESTS:
            self.fields[f"req_{test}"] = forms.BooleanField(
                label=_("Wajib lulus %(test)s") % {"test": Test(test).label},
                required=False,
                initial=test in existing,
            )
            if test in (Test.EPS_TOPIK, Test.JFT_BASIC):
                self.fields[f"req_{test}_min"] = forms.IntegerField(
                    label=_("Nilai minimal %(test)s") % {"test": Test(test).label},
                    required=False,
                    help_text=_("Kosongkan untuk memakai batas lulus di pengaturan skala."),
                    initial=existing.get(test, {}).get("min_score"),
                )
            if test == Test.JLPT:
                self.fields["req_jlpt_level"] = forms.ChoiceField(
                    label=_("Level JLPT minimal"),
                    choices=[("", "—"), *JlptLevel.choices],
                    required=False,
                    initial=existing.get(test, {}).get("min_level", ""),
                )
        self.fields["required_official"].initial = any(r.get("official") for r in existing.values())
        # keep the requirement fields after the model fields
        order = [f for f in self.fields if f != "required_official"] + ["required_official"]
        self.order_fields(order)

    def required_assessments(self) -> list[dict]:
        data, items = self.cleaned_data, []
        for test in REQUIREMENT_TESTS:
            if data.get(f"req_{test}"):
                items.append(
                    {
                        "test": test,
                        "min_score": data.get(f"req_{test}_min"),
                        "min_level": data.get("req_jlpt_level", "") if test == Test.JLPT else "",
                        "official": data.get("required_official", False),
                    }
                )
        return items

    def service_data(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k in self._meta.fields and k not in ("pathways", "job_types")
        }
        data["required_assessments"] = self.required_assessments()
        return data


def _programme_choice(programme: Programme) -> str:
    """A programme as the cohort form offers it, marked when none of its pathways is open today
    (`jalur.rules.pathways`): a cohort for it would be refused."""
    today = timezone.localdate()
    if any(
        pathway_rules.pathway_is_open(state=p.state, closes_on=p.closes_on, on=today)
        for p in programme.pathways.all()
    ):
        return str(programme)
    return f"{programme}{_(' — skema ditangguhkan/ditutup')}"


class CohortForm(ServiceModelForm):
    class Meta:
        model = Cohort
        fields = [
            "programme",
            "provider",
            "name",
            "start_date",
            "end_date",
            "venue",
            "instructor",
            "capacity",
            "notes",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["programme"]
            del self.fields["provider"]
        else:
            self.fields["programme"].queryset = Programme.objects.filter(
                is_active=True
            ).prefetch_related("pathways")
            self.fields["programme"].label_from_instance = _programme_choice
            self.fields["provider"].queryset = providers
            if providers is not None and len(providers) == 1:
                self.fields["provider"].initial = providers.first().pk
        self.fields["capacity"].widget.attrs["min"] = 1


WEEKDAYS = [
    (0, _("Senin")),
    (1, _("Selasa")),
    (2, _("Rabu")),
    (3, _("Kamis")),
    (4, _("Jumat")),
    (5, _("Sabtu")),
    (6, _("Minggu")),
]


class ScheduleForm(forms.Form):
    first_date = forms.DateField(label=_("Dari tanggal"), widget=DATE)
    last_date = forms.DateField(label=_("Sampai tanggal"), widget=DATE)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Hari"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Jam mulai"), widget=TIME)
    end_time = forms.TimeField(label=_("Jam selesai"), widget=TIME)
    topic = forms.CharField(label=_("Materi"), required=False, max_length=200)


class EnrolForm(forms.Form):
    candidates = forms.ModelMultipleChoiceField(
        label=_("Pencari kerja"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Centang minimal satu orang yang akan didaftarkan."),
            "invalid_choice": _(
                "Seseorang yang dicentang sudah tidak bisa didaftarkan di sini (mungkin baru saja "
                "didaftarkan). Muat ulang halaman untuk melihat daftar terbaru."
            ),
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = candidates


class AssessmentForm(forms.Form):
    """One form for every test; only the fields of the chosen test are shown."""

    kind = forms.ChoiceField(label=_("Jenis hasil"), choices=ResultKind.choices)
    taken_on = forms.DateField(label=_("Tanggal ujian/terbit"), widget=DATE)
    reading = forms.IntegerField(label=_("Membaca (0–100)"), required=False)
    listening = forms.IntegerField(label=_("Mendengar (0–100)"), required=False)
    score = forms.IntegerField(label=_("Skor"), required=False)
    jlpt_level = forms.ChoiceField(label=_("Level JLPT"), choices=JlptLevel.choices, required=False)
    jlpt_language = forms.IntegerField(label=_("N1–N3: pengetahuan bahasa (0–60)"), required=False)
    jlpt_reading = forms.IntegerField(label=_("N1–N3: membaca (0–60)"), required=False)
    jlpt_language_reading = forms.IntegerField(
        label=_("N4–N5: pengetahuan bahasa dan membaca (0–120)"), required=False
    )
    jlpt_listening = forms.IntegerField(label=_("Mendengar (0–60)"), required=False)
    title = forms.CharField(label=_("Nama ujian/skema/lisensi"), required=False, max_length=200)
    issuer = forms.CharField(label=_("Penyelenggara/penerbit"), required=False, max_length=200)
    passed = forms.TypedChoiceField(
        label=_("Hasil"),
        choices=[("", "—"), ("1", _("Lulus")), ("0", _("Tidak lulus"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    certificate_number = forms.CharField(
        label=_("Nomor sertifikat/lisensi"), required=False, max_length=100
    )
    valid_until = forms.DateField(label=_("Berlaku sampai"), required=False, widget=DATE)
    job_type = forms.ModelChoiceField(
        label=_("Jenis pekerjaan"), queryset=JobType.objects.filter(is_active=True), required=False
    )
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    FIELDS = {
        Test.EPS_TOPIK: ["kind", "taken_on", "reading", "listening", "valid_until", "notes"],
        Test.JFT_BASIC: ["kind", "taken_on", "score", "valid_until", "notes"],
        Test.JLPT: [
            "kind",
            "taken_on",
            "jlpt_level",
            "jlpt_language",
            "jlpt_reading",
            "jlpt_language_reading",
            "jlpt_listening",
            "notes",
        ],
        Test.SKILL: [
            "kind",
            "taken_on",
            "title",
            "issuer",
            "job_type",
            "passed",
            "score",
            "valid_until",
            "notes",
        ],
        Test.CARE_JAPANESE: ["kind", "taken_on", "issuer", "passed", "valid_until", "notes"],
        Test.COMPETENCY: [
            "taken_on",
            "title",
            "issuer",
            "certificate_number",
            "job_type",
            "valid_until",
            "notes",
        ],
        Test.LICENCE: [
            "kind",
            "taken_on",
            "title",
            "issuer",
            "certificate_number",
            "job_type",
            "valid_until",
            "notes",
        ],
    }

    def __init__(self, *args, test: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.test = test
        keep = self.FIELDS[test]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if test == Test.JFT_BASIC:
            self.fields["score"].label = _("Skor JFT-Basic (10–250)")
        if test == Test.SKILL:
            self.fields["score"].label = _("Skor (0–100, bila ada)")
        if test == Test.LICENCE:
            self.fields["kind"].initial = ResultKind.OFFICIAL
        if test == Test.CARE_JAPANESE:
            self.fields["issuer"].initial = "Prometric"
        if "kind" in self.fields and test in (
            Test.EPS_TOPIK,
            Test.JFT_BASIC,
            Test.JLPT,
            Test.CARE_JAPANESE,
        ):
            self.fields["kind"].help_text = _(
                "Simulasi hanya dihitung untuk kelulusan pelatihan; syarat skema memakai hasil resmi."
            )
        if "valid_until" in self.fields:
            self.fields["valid_until"].help_text = _(
                "Kosongkan untuk memakai masa berlaku di pengaturan skala (bila ada)."
            )

    def service_data(self) -> dict:
        data = {"test": self.test, **self.cleaned_data}
        if self.test == Test.COMPETENCY:
            data["kind"] = ResultKind.OFFICIAL
        for text in ("title", "issuer", "certificate_number", "notes"):
            data.setdefault(text, "")
        return data


class CostForm(ServiceModelForm):
    class Meta:
        model = TrainingCost
        fields = ["item", "description", "amount", "payer", "legal_basis"]
        # the shared amount field: 750.000, 1.250.000, 12500 and Rp 180.000 as typed
        field_classes = {"amount": AmountField}
        widgets = {"amount": AmountField.widget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].initial = Payer.CITY_BUDGET
        self.fields["item"].initial = CostItem.INSTRUCTOR


class ScaleSettingForm(ServiceModelForm):
    reason = forms.CharField(label=_("Dasar perubahan"), widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = ScaleSetting
        fields = ["pass_mark", "valid_months", "source"]
        widgets = {"source": forms.Textarea(attrs={"rows": 3})}


class CertificateCheckForm(forms.Form):
    nomor = forms.CharField(
        label=_("Nomor sertifikat"),
        max_length=40,
        help_text=_("Tulis lengkap seperti tercetak, misalnya PLT-3673-2026-000123-K7QX."),
    )


class ProposalDecisionForm(forms.Form):
    """The programme manager decides several proposals at once."""

    proposals = forms.ModelMultipleChoiceField(
        label=_("Usulan"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Centang minimal satu usulan."),
            "invalid_choice": _(
                "Usulan yang dicentang sudah diputuskan. Muat ulang halaman untuk daftar terbaru."
            ),
        },
    )
    decision = forms.ChoiceField(
        choices=[("accept", _("Setujui")), ("decline", _("Tolak"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Alasan bila ditolak"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error(
                "reason", _("Tulis alasan usulan ditolak; lembaga pelatihan membacanya.")
            )
        return data

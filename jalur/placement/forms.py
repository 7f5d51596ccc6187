"""Forms for placement. They collect and shape input; the rules live in services.py."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.models import Organisation
from jalur.accounts.roles import OrganisationKind
from jalur.core import text
from jalur.core.fields import AmountField
from jalur.core.forms_errors import apply_errors, note_unsent_file
from jalur.core.phone import normalize_phone
from jalur.pathways.models import Country, JobType, Pathway, PlacingParty

from .models import (
    Agency,
    Agreement,
    AgreementKind,
    CostDecision,
    CostItem,
    CostPayer,
    InterviewMode,
    InterviewResult,
    JobOrder,
    RecruitmentPermit,
)
from .models.applications import INTERVIEW_RECORD_DAYS_BACK
from .models.permits import PERMIT_ORDER_FIELDS
from .services.orders import ORDER_FIELDS

_OFFICE_PHONE = re.compile(r"^[+(]?[0-9][0-9 ()\-]{5,18}$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class _UnsentFileNote:
    """A form with a file field that may come back with errors. The browser cannot keep the file
    chosen, so the page says beside the field that it must be chosen again, instead of dropping it
    silently (as protection's evidence upload does). A file refused for itself already has its own
    reason there."""

    unsent_file_field = ""

    def note_unsent_file(self) -> None:
        note_unsent_file(self, self.unsent_file_field)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AgencyForm(forms.ModelForm):
    website = forms.URLField(label=_("Situs web"), required=False, assume_scheme="https")
    organisation = forms.ModelChoiceField(
        label=_("Organisasi (akun perusahaan)"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "Organisasi berjenis P3MI yang dibuat admin sistem, tempat akun staf P3MI terdaftar."
        ),
    )
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib saat mengubah data, misalnya nomor SIP3MI perpanjangan."),
    )

    class Meta:
        model = Agency
        fields = [
            "organisation",
            "licence_number",
            "licence_valid_from",
            "licence_valid_until",
            "apjati_number",
            "address",
            "phone",
            "email",
            "website",
            "contact_name",
            "contact_phone",
        ]
        widgets = {
            "licence_valid_from": DATE,
            "licence_valid_until": DATE,
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            del self.fields["reason"]
            self.fields["organisation"].queryset = Organisation.objects.filter(
                kind=OrganisationKind.PLACEMENT_AGENCY, agency__isnull=True, is_active=True
            )

    def clean_phone(self):
        value = " ".join(self.cleaned_data["phone"].split())
        if not _OFFICE_PHONE.match(value):
            raise forms.ValidationError(
                _("Tulis nomor telepon kantor dengan kode area, misalnya 0254-123456.")
            )
        return value

    def clean_contact_phone(self):
        normalised = normalize_phone(self.cleaned_data["contact_phone"])
        if normalised is None:
            raise forms.ValidationError(
                _("Nomor HP tidak valid. Contoh yang benar: 0812-3456-7890.")
            )
        return normalised

    def clean_licence_number(self):
        return self.cleaned_data["licence_number"].strip().upper()


class SuspensionForm(forms.Form):
    starts_on = forms.DateField(label=_("Dibekukan mulai"), widget=DATE, initial=timezone.localdate)
    reference = forms.CharField(label=_("Nomor surat/keputusan"), required=False, max_length=200)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


class LiftForm(forms.Form):
    lifted_on = forms.DateField(label=_("Dicabut mulai"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(_UnsentFileNote, forms.ModelForm):
    unsent_file_field = "document_file"
    countries = forms.MultipleChoiceField(
        label=_("Negara tujuan"),
        choices=Country.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    document_file = forms.FileField(
        label=_("Dokumen yang ditandatangani (PDF atau foto)"), required=False
    )
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib saat mengubah perjanjian, misalnya nomor adendum."),
    )

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "number",
            "title",
            "parties",
            "agency",
            "mou",
            "signed_on",
            "starts_on",
            "ends_on",
            "countries",
            "pathways",
            "job_types",
            "quota",
            "obligations",
        ]
        widgets = {
            "signed_on": DATE,
            "starts_on": DATE,
            "ends_on": DATE,
            "parties": forms.Textarea(attrs={"rows": 3}),
            "obligations": forms.Textarea(attrs={"rows": 5}),
            "pathways": forms.CheckboxSelectMultiple,
            "job_types": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.select_related("organisation")
        self.fields["agency"].required = False
        self.fields["agency"].help_text = _("Hanya untuk PKS.")
        self.fields["mou"].queryset = Agreement.objects.filter(kind=AgreementKind.MOU)
        self.fields["mou"].help_text = _("Hanya untuk PKS: MoU yang menjadi dasarnya.")
        self.fields["pathways"].queryset = Pathway.objects.filter(placing_party="p3mi")
        self.fields["job_types"].queryset = JobType.objects.filter(is_active=True)
        if not self.instance.pk:
            del self.fields["reason"]


class JobOrderForm(_UnsentFileNote, forms.ModelForm):
    unsent_file_field = "attache_file"
    # The page's sections, in order: (anchor, title, fields). The template lays the form out from
    # this, and the error summary at the top names the section to fix from it.
    SECTIONS = (
        (
            "pekerjaan",
            _("Pemberi kerja dan pekerjaan"),
            "employer_name employer_country employer_city employer_sector pathway job_type "
            "position_title positions description deadline",
        ),
        (
            "syarat",
            _("Syarat pekerja"),
            "min_age max_age sex sex_reason min_education min_height_cm min_experience_years "
            "eps_topik_min_score jft_min_score jlpt_min_level licence_required licence_name "
            "other_requirements",
        ),
        (
            "upah",
            _("Upah dan kondisi kerja"),
            "wage_amount wage_currency wage_period hours_per_week contract_months benefits",
        ),
        (
            "izin",
            _("Izin dan verifikasi"),
            "sip2mi_number sip2mi_quota sip2mi_issued_on sip2mi_valid_until attache_status "
            "attache_reference attache_verified_on attache_file",
        ),
    )
    COSTS_SECTION = ("biaya", _("Biaya penempatan"))

    sip2mi_number = forms.CharField(
        label=_("Nomor SIP2MI"),
        required=False,
        max_length=100,
        help_text=_("Surat Izin Perekrutan PMI dari kementerian. Wajib sebelum diajukan."),
    )
    sip2mi_quota = forms.IntegerField(label=_("Kuota SIP2MI"), required=False, min_value=1)
    sip2mi_issued_on = forms.DateField(
        label=_("Tanggal terbit SIP2MI"), required=False, widget=DATE
    )
    sip2mi_valid_until = forms.DateField(
        label=_("SIP2MI berlaku sampai"), required=False, widget=DATE
    )
    attache_file = forms.FileField(
        label=_("Dokumen verifikasi atase (PDF atau foto)"), required=False
    )

    class Meta:
        model = JobOrder
        # the service's list of what a job order holds, with foreign keys by their field name
        fields = [name.removesuffix("_id") for name in ORDER_FIELDS]
        widgets = {
            "deadline": DATE,
            "attache_verified_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "other_requirements": forms.Textarea(attrs={"rows": 2}),
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "wage_amount": AmountField.widget,
        }
        field_classes = {"wage_amount": AmountField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        on = timezone.localdate()
        # Only pathways a P3MI may use today; an order already on one that closed since keeps it
        # (the service and the gate say why it cannot go ahead).
        usable = [
            p.pk for p in Pathway.objects.all() if p.is_open(on) and p.allows(PlacingParty.P3MI)
        ]
        if self.instance.pk:
            usable.append(self.instance.pathway_id)
        self.fields["pathway"].queryset = Pathway.objects.filter(pk__in=usable).order_by(
            "sort_order"
        )
        self.fields["pathway"].help_text = _(
            "Hanya skema yang dibuka dan boleh dipakai P3MI (P to P)."
        )
        self.fields["pathway"].label_from_instance = lambda p: (
            _("%(name)s · %(state)s · %(party)s")
            % {
                "name": p.name,
                "state": p.state_display(on),
                "party": p.get_placing_party_display(),
            }
        )
        self.fields["job_type"].queryset = JobType.objects.filter(is_active=True)
        permit = self.instance.permit if self.instance.pk else None
        if permit is not None and not self.is_bound:
            self.initial.update(
                {
                    "sip2mi_number": permit.number,
                    "sip2mi_quota": permit.quota,
                    "sip2mi_issued_on": permit.issued_on,
                    "sip2mi_valid_until": permit.valid_until,
                }
            )

    def clean(self):
        data = super().clean()
        if data.get("sip2mi_number"):
            if data.get("sip2mi_quota") is None and "sip2mi_quota" not in self.errors:
                self.add_error("sip2mi_quota", _("Isi kuota yang tertulis di SIP2MI."))
            # The permit's own constraints (its dates), in the same round as the order's.
            values = {name: data.get(field) for name, field in PERMIT_ORDER_FIELDS.items()}
            try:
                RecruitmentPermit(**values).validate_constraints(
                    exclude={name for name, value in values.items() if value is None}
                )
            except ValidationError as error:
                apply_errors(self, error, aliases=PERMIT_ORDER_FIELDS)
        elif any(
            data.get(name) is not None
            for name in ("sip2mi_quota", "sip2mi_issued_on", "sip2mi_valid_until")
        ):
            # the permit's details without its number would be dropped without a word
            self.add_error(
                "sip2mi_number",
                _(
                    "Isi nomor SIP2MI: kuota dan tanggalnya disimpan bersama nomornya. "
                    "Belum ada SIP2MI? Kosongkan kuota dan tanggalnya."
                ),
            )
        return data


class CostForm(forms.Form):
    # Nothing is preselected: a browser sends a select's first option, so a preselected item and
    # payer made every untouched blank row look filled in (and then fail for its missing amount).
    item = forms.ChoiceField(
        label=_("Jenis biaya"), choices=[("", _("— pilih —")), *CostItem.choices]
    )
    description = forms.CharField(label=_("Uraian"), required=False, max_length=200)
    amount = AmountField(label=_("Perkiraan (Rp)"), min_value=0, decimal_places=0)
    paid_by = forms.ChoiceField(
        label=_("Dibayar oleh"), choices=[("", _("— pilih —")), *CostPayer.choices]
    )


CostFormSet = forms.formset_factory(CostForm, extra=2, can_delete=True)


def order_form_error_summary(form: JobOrderForm, costs) -> list[dict]:
    """What the top of the job order page says when saving failed: each section with something to
    fix, its anchor and the fields concerned, so nobody has to scroll a long page to find out."""
    summary = []
    for anchor, title, names in JobOrderForm.SECTIONS:
        labels = [
            str(form.fields[name].label)
            for name in names.split()
            if name in form.fields and form.errors.get(name)
        ]
        if labels:
            summary.append({"anchor": anchor, "title": title, "fields": labels})
    rows = [
        _("baris %(n)d (%(fields)s)")
        % {
            "n": number,
            "fields": ", ".join(
                str(row.fields[name].label) for name in row.errors if name in row.fields
            ),
        }
        for number, row in enumerate(costs.forms, start=1)
        if row.errors
    ]
    if rows or costs.non_form_errors():
        anchor, title = JobOrderForm.COSTS_SECTION
        summary.append({"anchor": anchor, "title": title, "fields": rows})
    return summary


def cost_rows(formset) -> list[forms.Form]:
    """The rows of the cost formset that are cost lines (filled in, not deleted), in order."""
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def cost_lines(formset) -> list[dict]:
    return [
        {k: f.cleaned_data[k] for k in ("item", "description", "amount", "paid_by")}
        for f in cost_rows(formset)
    ]


_COST_LINE_KEY = re.compile(r"costs-(\d+)-(\w+)")


def apply_order_errors(form: "JobOrderForm", costs, error: ValidationError) -> None:
    """A refusal of the job order services onto the order page: a cost line's problem (named by
    `models.cost_line_key`) beside its field in its row of the cost table, everything else on the
    order form, as `apply_errors` places it."""
    if hasattr(error, "error_dict"):
        rows = cost_rows(costs)
        rest = {}
        for name, errors in error.error_dict.items():
            match = _COST_LINE_KEY.fullmatch(name)
            row = rows[int(match[1])] if match and int(match[1]) < len(rows) else None
            if row is not None and match[2] in row.fields:
                for item in errors:
                    row.add_error(match[2], item)
            else:
                rest[name] = errors
        if not rest:
            return
        error = ValidationError(rest)
    apply_errors(form, error)


class ReviewForm(forms.Form):
    APPROVE, RETURN, REJECT = "approve", "return", "reject"
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (APPROVE, _("Setujui dan umumkan")),
            (RETURN, _("Kembalikan untuk perbaikan")),
            (REJECT, _("Tolak")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Alasan atau catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wajib bila dikembalikan (tulis apa yang harus diperbaiki) atau ditolak."),
    )


class CostDecisionForm(forms.Form):
    """The labour office's decision on a worker-paid cost line the rules leave to it."""

    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=CostDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("P3MI membaca alasan ini; tercatat di jejak audit."),
    )

    @staticmethod
    def prefix_for(cost) -> str:
        """One prefix per cost line, so the review page's forms (one per line, beside the order's
        own decision form) never share an id and a label ticks only its own radio."""
        return f"cost-{cost.pk}"


class PermitChangeForm(_UnsentFileNote, forms.Form):
    """A change of an SIP2MI's figures, asked for with the new permit's scan."""

    unsent_file_field = "document"
    quota = forms.IntegerField(label=_("Kuota di SIP2MI baru"), min_value=1)
    issued_on = forms.DateField(label=_("Tanggal terbit SIP2MI baru"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("SIP2MI berlaku sampai"), required=False, widget=DATE)
    document = forms.FileField(
        label=_("Scan SIP2MI baru (PDF atau foto)"),
        error_messages={
            "required": _(
                "Unggah scan SIP2MI baru (PDF, JPEG atau PNG): Disnakertrans memeriksa angka "
                "baru dengan dokumen ini."
            )
        },
        help_text=_("Disnakertrans memeriksa angka di atas dengan dokumen ini."),
    )
    note = forms.CharField(
        label=_("Keterangan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya nomor surat perubahan dari kementerian."),
    )

    def __init__(self, *args, permit: RecruitmentPermit, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "quota": permit.quota,
                "issued_on": permit.issued_on,
                "valid_until": permit.valid_until,
            },
        )
        super().__init__(*args, **kwargs)


class PermitDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (APPROVE, _("Setujui: angka SIP2MI diubah")),
            (REFUSE, _("Tolak: angka SIP2MI tetap")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila ditolak; P3MI membacanya."),
    )


class InterviewForm(forms.Form):
    """An upcoming interview; the candidate is told."""

    at = forms.DateTimeField(
        label=_("Tanggal dan jam"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    mode = forms.ChoiceField(label=_("Cara"), choices=InterviewMode.choices)
    place = forms.CharField(
        label=_("Tempat atau tautan"),
        max_length=300,
        help_text=_("Alamat lengkap, atau tautan rapat daring beserta kode aksesnya."),
    )


class InterviewResultForm(forms.Form):
    """The result of a scheduled interview, and when it really took place if not as scheduled."""

    held_at = forms.DateTimeField(
        label=_("Waktu wawancara berlangsung"),
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_(
            "Terisi waktu yang dijadwalkan. Ubah bila wawancara berlangsung pada waktu lain; "
            "tidak boleh sesudah sekarang."
        ),
    )
    result = forms.ChoiceField(label=_("Hasil"), choices=InterviewResult.choices)
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InterviewHeldForm(InterviewResultForm):
    """An interview that has already taken place (wawancara yang sudah berlangsung), entered
    afterwards with its result, for someone on the shortlist. The candidate is not told about it
    as an upcoming interview."""

    mode = forms.ChoiceField(label=_("Cara"), choices=InterviewMode.choices)
    place = forms.CharField(
        label=_("Tempat atau tautan yang dipakai"),
        max_length=300,
        help_text=_("Alamat tempat wawancara, atau tautan rapat daring."),
    )

    field_order = ["held_at", "mode", "place", "result", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        held_at = self.fields["held_at"]
        held_at.required = True
        held_at.help_text = _(
            "Untuk wawancara yang sudah berlangsung dan belum dijadwalkan di Jalur: hari ini atau "
            "sampai %(days)s hari lalu, tidak sesudah sekarang."
        ) % {"days": INTERVIEW_RECORD_DAYS_BACK}


class OfferForm(forms.Form):
    """An offer's key terms, prefilled from the job order it is for; the service refuses a wage
    below the approved order's and another contract length."""

    position_title = forms.CharField(label=_("Jabatan yang ditawarkan"), max_length=200)
    wage_amount = AmountField(
        label=_("Gaji yang ditawarkan"), max_digits=12, decimal_places=2, min_value=0
    )
    contract_months = forms.IntegerField(
        label=_("Lama kontrak (bulan)"), min_value=1, max_value=120
    )
    terms = forms.CharField(
        label=_("Isi tawaran lainnya"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Hal lain yang ditawarkan: perkiraan tanggal mulai kerja atau berangkat, asrama, "
            "lembur. Gaji, lama kontrak dan jabatan diisi di kolom di atas."
        ),
    )
    respond_by = forms.DateField(label=_("Jawab paling lambat"), widget=DATE)

    def __init__(self, *args, order: JobOrder, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "position_title": order.position_title,
                "wage_amount": order.wage_amount,
                "contract_months": order.contract_months,
            },
        )
        super().__init__(*args, **kwargs)
        approved = {
            "currency": order.wage_currency,
            "amount": floatformat(order.wage_amount, "-2g"),
            "period": order.get_wage_period_display(),
            "months": order.contract_months,
            "title": order.position_title,
        }
        self.fields["position_title"].help_text = _("Jabatan di lowongan: %(title)s.") % approved
        self.fields["wage_amount"].label = (
            _("Gaji yang ditawarkan (%(currency)s %(period)s)") % approved
        )
        self.fields["wage_amount"].help_text = (
            _(
                "Gaji lowongan yang disetujui Disnakertrans: %(currency)s %(amount)s "
                "%(period)s. Tawaran tidak boleh lebih rendah."
            )
            % approved
        )
        self.fields["contract_months"].help_text = _("Harus sama dengan lowongan: %(months)s.") % {
            "months": text.months(order.contract_months)
        }


class PublicOrderSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari nomor lowongan, nomor SIP2MI, perusahaan atau jabatan"),
        required=False,
        max_length=100,
    )
    country = forms.ChoiceField(
        label=_("Negara"), required=False, choices=[("", _("Semua"))] + list(Country.choices)
    )
    job_type = forms.ChoiceField(label=_("Jenis pekerjaan"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_type"].choices = [("", _("Semua"))] + [
            (j.code, j.name) for j in JobType.objects.filter(is_active=True)
        ]

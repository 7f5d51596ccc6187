import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from jalur.accounts.models import Organisation
from jalur.accounts.roles import OrganisationKind
from jalur.candidates.uploads import upload_input_attrs
from jalur.core.fields import AmountField
from jalur.core.forms_errors import note_unsent_file
from jalur.pathways.models import Country
from jalur.rules import checkins as checkin_rules

from .models import (
    CheckIn,
    ClosingReason,
    GrievanceCategory,
    GrievanceStatus,
    Reintegration,
    ReporterKind,
    ReturnReason,
)
from .services import reporter_phone_clean

DATE = forms.DateInput(attrs={"type": "date"})
# A phone number: the number keypad on a phone; the reporter's own number may be filled in.
OWN_PHONE = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})


class CheckInForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Bagaimana kabar Anda?"), choices=CheckIn.Status.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


YES_NO = [("ya", _("Ya")), ("tidak", _("Tidak"))]


def _yes_no(question) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=question.text,
        choices=YES_NO,
        coerce=lambda value: value == "ya",
        empty_value=None,
        required=question.required,
        widget=forms.RadioSelect(attrs={"class": "yes-no"}),
        error_messages={"required": _("Jawab ya atau tidak.")},
    )


class CheckInAnswersForm(forms.Form):
    """The monthly check-in on a phone: the questions of jalur.rules.checkins, yes/no as two big
    choices, the numbers on the number keypad, the contract's wage as the hint beside the wage."""

    ANSWER_KEYS = tuple(q.key for q in checkin_rules.QUESTIONS)

    note = forms.CharField(
        label=_("Ada yang ingin diceritakan? (tidak wajib)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = [
        "wage_on_time",
        "wage_amount",
        "passport_held",
        "hours_per_week",
        "housing_ok",
        "health_ok",
        "need_help",
        "note",
    ]

    def __init__(self, *args, contract_wage=None, currency: str = "", contract_hours=None, **kw):
        super().__init__(*args, **kw)
        for question in checkin_rules.QUESTIONS:
            if question.kind == checkin_rules.Kind.YES_NO:
                self.fields[question.key] = _yes_no(question)
        wage = checkin_rules.BY_KEY["wage_amount"]
        self.fields["wage_amount"] = AmountField(
            label=wage.text, required=False, min_value=0, decimal_places=2, max_digits=14
        )
        hours = checkin_rules.BY_KEY["hours_per_week"]
        self.fields["hours_per_week"] = forms.IntegerField(
            label=hours.text,
            required=False,
            min_value=0,
            max_value=checkin_rules.HOURS_IN_A_WEEK,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        if contract_wage is not None:
            amount = f"{contract_wage:,.0f}".replace(",", ".")
            self.fields["wage_amount"].help_text = _(
                "Menurut kontrak: %(amount)s %(currency)s sebulan. Tulis dalam %(currency)s."
            ) % {"amount": amount, "currency": currency}
        if contract_hours:
            self.fields["hours_per_week"].help_text = _("Menurut kontrak: %(hours)s jam.") % {
                "hours": contract_hours
            }
        self.order_fields(self.field_order)

    def answers(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.ANSWER_KEYS}


class FamilyNoticeForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("Bila saya dua kali tidak mengirim kabar, keluarga saya boleh diberi tahu"),
        choices=YES_NO,
        coerce=lambda value: value == "ya",
        widget=forms.RadioSelect,
        help_text=_("Lewat pesan ke nomor kontak darurat Anda. Bisa diubah kapan saja."),
        error_messages={"required": _("Pilih ya atau tidak.")},
    )


class CheckInAnswerByAgencyForm(forms.Form):
    text = forms.CharField(
        label=_("Jawaban P3MI"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Apa yang P3MI ketahui tentang pekerja dan apa yang sudah dilakukan."),
    )


class StaffCheckInForm(CheckInAnswersForm):
    """The office records the month's check-in told by phone (by the worker or the family): the same
    seven answers as the worker's own page, so a low wage or a held passport opens the same case;
    who told it; and the officer's note. The questions are read out to the caller."""

    reporter_kind = forms.ChoiceField(
        label=_("Sumber kabar"),
        choices=[
            (ReporterKind.FAMILY, ReporterKind.FAMILY.label),
            (ReporterKind.WORKER, _("Pekerja (lewat telepon/WA)")),
            (ReporterKind.STAFF, ReporterKind.STAFF.label),
        ],
    )
    field_order = ["reporter_kind", *CheckInAnswersForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("Catatan petugas (tidak wajib)")
        self.fields["note"].help_text = _("mis. siapa yang menelepon dan dari nomor mana")


class FamilyLinkForm(forms.Form):
    family_name = forms.CharField(
        label=_("Nama anggota keluarga yang menerima kode"), max_length=200
    )
    relation = forms.CharField(
        label=_("Hubungan dengan pekerja"), max_length=50, help_text=_("mis. ibu, suami, kakak")
    )


class FamilyCheckInForm(CheckInForm):
    code = forms.CharField(
        label=_("Kode keluarga"), max_length=12, help_text=_("mis. KEL-7KQ4PX, dari Disnakertrans")
    )
    secret = forms.CharField(
        label=_("Kode rahasia"), max_length=20, widget=forms.PasswordInput(render_value=False)
    )
    status = forms.ChoiceField(
        label=_("Bagaimana kabar pekerja?"),
        choices=CheckIn.Status.choices,
        widget=forms.RadioSelect,
    )
    reporter_name = forms.CharField(
        label=_("Nama Anda"),
        max_length=200,
        required=False,
        help_text=_("Kosongkan bila Anda yang namanya tertulis di kertas kode."),
    )
    field_order = ["code", "secret", "status", "note", "reporter_name"]


class ArrivalForm(forms.Form):
    arrived_on = forms.DateField(label=_("Tanggal tiba di negara tujuan"), widget=DATE)
    address_abroad = forms.CharField(
        label=_("Tempat kerja/alamat di negara tujuan"), required=False
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Tanggal kepulangan"), widget=DATE)
    reason = forms.ChoiceField(label=_("Alasan pulang"), choices=ReturnReason.choices)
    reason_note = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    handover_to = forms.CharField(label=_("Diserahterimakan kepada (nama keluarga)"))
    handover_witness = forms.CharField(label=_("Nama saksi serah terima"))
    handover_witness_role = forms.CharField(
        label=_("Jabatan saksi"), help_text=_("mis. Lurah Cipare, petugas Disnakertrans")
    )
    handover_place = forms.CharField(label=_("Tempat serah terima"))
    reintegration = forms.ChoiceField(label=_("Program reintegrasi"), choices=Reintegration.choices)
    reintegration_note = forms.CharField(
        label=_("Catatan reintegrasi"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class _EvidenceUpload(forms.Form):
    """The evidence file input offers only what the server accepts (PDF, JPEG, PNG), and is marked
    for candidates/candidates.js (loaded by the page), which shrinks a large phone photo in the
    browser before it is sent, as on the registration documents step."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs.update(upload_input_attrs())

    def note_unsent_evidence(self) -> None:
        """Call when the form is refused and shown again: the browser cannot keep the file that was
        chosen, so say beside the field that it must be chosen again (or the case goes without it).
        A file refused for itself already has its own reason there."""
        note_unsent_file(
            self, "evidence", _("Berkas bukti belum terkirim: pilih lagi sebelum mengirim.")
        )


class _GrievanceBase(_EvidenceUpload):
    # The form's own id (see Grievance.submission): sent twice, it opens one case.
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["submission"].initial = uuid.uuid4()

    def clean_reporter_phone(self):
        """The number's format is checked with the other fields, not in a second round."""
        value = self.cleaned_data.get("reporter_phone", "")
        reporter_phone_clean(value)
        return value

    # Nothing chosen for the reporter: a silent default would file every case as unpaid wages.
    category = forms.ChoiceField(
        label=_("Jenis masalah"),
        choices=[("", _("— pilih jenis masalah —")), *GrievanceCategory.choices],
        error_messages={"required": _("Pilih jenis masalahnya.")},
    )
    description = forms.CharField(
        label=_("Ceritakan masalahnya"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Apa yang terjadi, sejak kapan, di mana. Jangan tulis kata sandi."),
        max_length=5000,
    )
    evidence = forms.FileField(label=_("Bukti (foto/PDF, tidak wajib)"), required=False)


class PublicGrievanceForm(_GrievanceBase):
    reporter_name = forms.CharField(
        label=_("Nama Anda"), max_length=200, widget=forms.TextInput({"autocomplete": "name"})
    )
    reporter_relation = forms.CharField(
        label=_("Hubungan dengan pekerja"), max_length=50, help_text=_("mis. ibu, suami, kakak")
    )
    reporter_phone = forms.CharField(
        label=_("Nomor HP/WhatsApp Anda"),
        max_length=24,
        widget=OWN_PHONE,
        help_text=_("Nomor luar negeri: dengan kode negaranya, mis. +82 10-1234-5678."),
    )
    worker_name = forms.CharField(label=_("Nama lengkap pekerja"), max_length=200)
    worker_country = forms.ChoiceField(
        label=_("Negara tempat bekerja"), choices=[("", "—"), *Country.choices], required=False
    )
    agency = forms.ModelChoiceField(
        label=_("Perusahaan penempatan (P3MI), jika tahu"),
        queryset=Organisation.objects.filter(
            kind=OrganisationKind.PLACEMENT_AGENCY, is_active=True
        ),
        required=False,
    )
    field_order = [
        "reporter_name",
        "reporter_relation",
        "reporter_phone",
        "worker_name",
        "worker_country",
        "agency",
        "category",
        "description",
        "evidence",
    ]


class FamilyGrievanceForm(PublicGrievanceForm):
    """The public form once the family has used their code: the worker is known, so is their agency."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("worker_name", "worker_country", "agency"):
            del self.fields[name]


class WorkerGrievanceForm(_GrievanceBase):
    pass


class StaffGrievanceForm(PublicGrievanceForm):
    """The office records what a reporter tells it: the labels are about the reporter, not "you"."""

    reporter_kind = forms.ChoiceField(label=_("Pelapor"), choices=ReporterKind.choices)
    reporter_name = forms.CharField(
        label=_("Nama pelapor"), max_length=200, widget=forms.TextInput({"autocomplete": "off"})
    )
    reporter_relation = forms.CharField(
        label=_("Hubungan dengan pekerja"), max_length=50, required=False
    )
    # Staff type someone else's number: the keypad, but not their own number suggested.
    reporter_phone = forms.CharField(
        label=_("Nomor HP pelapor"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    field_order = ["reporter_kind", *PublicGrievanceForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.fields["description"]
        description.label = _("Masalah yang diceritakan pelapor")
        description.help_text = _("Apa yang terjadi, sejak kapan, di mana.")


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor pengaduan"), max_length=20, help_text=_("mis. ADU-2026-7KQ4PX")
    )
    secret = forms.CharField(
        label=_("Kode rahasia"), max_length=20, widget=forms.PasswordInput(render_value=False)
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Pesan untuk petugas"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class EvidenceForm(_EvidenceUpload):
    evidence = forms.FileField(label=_("Tambah bukti (foto/PDF)"))


class AgencyResponseForm(forms.Form):
    text = forms.CharField(
        label=_("Tanggapan/klarifikasi P3MI"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jelaskan fakta dan apa yang akan dilakukan P3MI beserta tanggalnya."),
    )


class GrievanceActionForm(forms.Form):
    ACTIONS = [
        ("note", _("Tambah catatan")),
        ("move", _("Ubah status")),
        ("assign", _("Tugaskan ke saya")),
        ("documents_request", _("Minta dokumen kepada pelapor")),
        ("documents_received", _("Dokumen sudah diterima")),
        ("contact", _("Catat kontak dengan pelapor")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    to_status = forms.ChoiceField(
        label=_("Status baru"), choices=[("", "—"), *GrievanceStatus.choices], required=False
    )
    text = forms.CharField(
        label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    public = forms.BooleanField(label=_("Tampilkan ke pelapor"), required=False, initial=True)
    # Every reason is accepted here: the case page offers only those the rules allow now, and a
    # reason sent from a page that has grown stale gets the rules' refusal, saying from when.
    closing_reason = forms.ChoiceField(
        label=_("Alasan penutupan"), choices=[("", "—"), *ClosingReason.choices], required=False
    )

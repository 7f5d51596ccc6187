"""Forms for registration (one per section, shared by self-registration, the desk and staff edits),
documents, verification, duplicates and imports.

The forms only read input; the rules live in rules.py and are applied by the services, whose
ValidationError is put back on the form with `jalur.core.forms_errors.apply_errors`
(`FIELD_ALIASES`: a district is checked through the village picked).
"""

import re
from collections import defaultdict
from functools import lru_cache

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.models import User
from jalur.regions.selectors import home_districts, home_villages
from jalur.rules.jobs import COUNTRY_CHOICES, COUNTRY_NAMES

from .models import Candidate, DuplicateFlag, Education, MaritalStatus, Religion, Sex
from .routes import job_type_countries, job_types
from .rules import (
    PRIOR_COUNTRIES,
    REQUIRED_TO_CREATE,
    candidate_data_check,
    job_route_problems,
)
from .stages import Stage
from .uploads import upload_input_attrs

BLANK = [("", "---------")]
FIELD_ALIASES = {"district": "village"}  # the form picks a village; the district follows it
OWN_EMAIL = {"autocomplete": "email"}  # the person's own: the browser may offer to fill it in


def _text(label, *, required=True, max_length=200, help_text="", **attrs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


class BirthDateField(forms.DateField):
    """A date of birth typed, not picked: a phone's date picker opens on this year, and reaching
    1995 takes a dozen taps. Day first, as on a KTP: 17-08-1995, 17/08/1995, 17.08.1995 and
    17081995 are read alike, and 1995-08-17 too (what a browser's own date field sends)."""

    input_formats = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d %m %Y", "%d%m%Y", "%Y-%m-%d"]
    default_error_messages = {
        "invalid": _(
            "Tanggal lahir tidak terbaca. Tulis tanggal-bulan-tahun dengan angka, seperti 17-08-1995."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d-%m-%Y",
                attrs={
                    "inputmode": "numeric",
                    "placeholder": _("HH-BB-TTTT"),
                    "autocomplete": "bday",
                    "maxlength": 10,
                },
            ),
        )
        kwargs.setdefault("help_text", _("Tanggal-bulan-tahun, seperti di KTP: 17-08-1995."))
        super().__init__(input_formats=self.input_formats, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            # 17 - 08 - 1995 as 17-08-1995: spaces around a separator are left out
            value = re.sub(r"\s*([-/.])\s*", r"\1", value)
        return super().to_python(value)


class _JobTypeCheckboxes(forms.CheckboxSelectMultiple):
    """Each job type's box says where its open pathways lead (data-countries="JP KR"), so the page
    can offer only the job types that go to the countries ticked (candidates.js). Without
    JavaScript every job type shows, its label names the countries, and the form refuses a
    job type that goes to none of them."""

    routes: dict[int, set[str]] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        countries = self.routes.get(getattr(value, "value", value))
        if countries:
            option["attrs"]["data-countries"] = " ".join(sorted(countries))
        return option


class _OfferedJobTypes(forms.ModelMultipleChoiceField):
    """The job types ticked, checked against those the form read when it was built (`offered`),
    so saving the step does not read them from the database a second time."""

    offered: dict[str, object] | None = None

    def _check_values(self, value):
        if self.offered is None:
            return super()._check_values(value)
        chosen = []
        for pk in dict.fromkeys(str(v) for v in value):
            if pk not in self.offered:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
            chosen.append(self.offered[pk])
        return chosen


class SectionForm(forms.Form):
    """A part of the registration; `values()` gives the service its data, keyed by field name."""

    section = ""

    def __init__(self, *args, candidate: Candidate | None = None, partial: bool = False, **kwargs):
        """`partial`: self-registration saves whatever is filled in and valid; a blank field is
        left for later (listed as still missing, and checked when the registration is sent),
        except what a record cannot be created without. The marks of required fields stay."""
        bound = bool(args and args[0] is not None) or kwargs.get("data") is not None
        if candidate is not None and "initial" not in kwargs and not bound:
            # a posted form shows what was posted: the stored values are read only to show them
            kwargs["initial"] = self.initial_from(candidate)
        super().__init__(*args, **kwargs)
        self.partial = partial
        if partial:
            self.use_required_attribute = False

    def _clean_fields(self):
        super()._clean_fields()
        if not self.partial:
            return
        for name in list(self._errors):
            field = self.fields.get(name)
            if field is None or name in REQUIRED_TO_CREATE:
                continue
            if all(error.code == "required" for error in self._errors[name].as_data()):
                del self._errors[name]
                multiple = isinstance(
                    field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField
                )
                self.cleaned_data[name] = [] if multiple else field.to_python(None)

    def initial_from(self, candidate: Candidate) -> dict:
        return {
            name: getattr(candidate, name) for name in self.base_fields if hasattr(candidate, name)
        }

    def values(self) -> dict:
        return {
            name: value for name, value in self.cleaned_data.items() if name != "confirm_birth_date"
        }

    def clean(self):
        """Run the registration rules on what was filled in, so every problem shows at once
        (the service checks again before writing)."""
        cleaned = super().clean()
        result = candidate_data_check(self.values(), today=timezone.localdate())
        for name, messages in result.errors.items():
            target = "village" if name == "district" else name
            if target not in self.fields:
                target = None
            elif target in self.errors:
                continue
            for message in messages:
                self.add_error(target, message)
        return cleaned


class IdentityForm(SectionForm):
    section = "identity"
    nik = _text(
        _("NIK"),
        max_length=30,
        help_text=_("16 angka, lihat KTP atau Kartu Keluarga."),
        inputmode="numeric",
        autocomplete="off",
    )
    kk_number = _text(
        _("Nomor Kartu Keluarga (KK)"),
        max_length=30,
        help_text=_("16 angka, di bagian atas Kartu Keluarga."),
        inputmode="numeric",
        autocomplete="off",
    )
    full_name = _text(_("Nama lengkap sesuai KTP"), autocomplete="name")
    birth_place = _text(_("Tempat lahir"), max_length=100)
    birth_date = BirthDateField(label=_("Tanggal lahir"))
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    religion = forms.ChoiceField(
        label=_("Agama (boleh dikosongkan)"), choices=BLANK + Religion.choices, required=False
    )
    marital_status = forms.ChoiceField(
        label=_("Status perkawinan"), choices=BLANK + MaritalStatus.choices
    )

    def __init__(self, *args, officer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if officer:
            self.fields["confirm_birth_date"] = forms.BooleanField(
                label=_("Tanggal lahir sudah saya cocokkan dengan KTP asli"),
                required=False,
                help_text=_(
                    "Centang bila tanggal lahir di NIK berbeda dengan di KTP dan Anda sudah memeriksanya."
                ),
            )


@lru_cache(maxsize=4)
def _villages_by_district(home_region: str) -> tuple:
    """((kecamatan name, ((kelurahan code, name), …)), …): reference data, read once per process."""
    names = {d.code: d.name for d in home_districts()}
    groups: dict[str, list] = {}
    for village in sorted(home_villages(), key=lambda v: (names[v.district_id], v.name)):
        groups.setdefault(names[village.district_id], []).append((village.code, village.name))
    return tuple((name, tuple(villages)) for name, villages in groups.items())


def _village_choices():
    return BLANK + [
        (_("Kecamatan %(name)s") % {"name": name}, list(villages))
        for name, villages in _villages_by_district(settings.JALUR_HOME_REGION)
    ]


class AddressForm(SectionForm):
    section = "address"
    village = forms.ChoiceField(
        label=_("Kelurahan tempat tinggal sekarang"),
        help_text=_(
            "Program ini untuk warga yang tinggal di wilayah ini; pilih sesuai alamat Anda."
        ),
    )
    rt = _text(_("RT"), max_length=3, inputmode="numeric")
    rw = _text(_("RW"), max_length=3, inputmode="numeric")
    street = _text(_("Jalan, gang, nomor rumah"), max_length=255, autocomplete="street-address")
    phone = _text(
        _("Nomor HP (WhatsApp)"),
        max_length=20,
        help_text=_("Contoh: 0812-3456-7890."),
        type="tel",
        autocomplete="tel",
    )
    email = forms.EmailField(
        label=_("E-mail (boleh dikosongkan)"), required=False, widget=forms.EmailInput(OWN_EMAIL)
    )
    emergency_name = _text(_("Nama keluarga yang bisa dihubungi"))
    emergency_relation = _text(
        _("Hubungan"), max_length=50, placeholder=_("Orang tua, suami/istri…")
    )
    emergency_phone = _text(_("Nomor HP keluarga"), max_length=20, type="tel")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _village_choices()

    def initial_from(self, candidate):
        initial = super().initial_from(candidate)
        initial["village"] = candidate.village_id or ""
        for name in ("phone", "emergency_phone"):
            value = initial.get(name) or ""
            initial[name] = "0" + value[3:] if value.startswith("+62") else value
        return initial


class EducationForm(SectionForm):
    section = "education"
    education_level = forms.ChoiceField(
        label=_("Pendidikan terakhir (yang sudah lulus)"), choices=BLANK + Education.choices
    )
    education_major = _text(_("Jurusan (boleh dikosongkan)"), required=False, max_length=100)
    work_experience = forms.CharField(
        label=_("Pengalaman kerja (boleh dikosongkan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Misalnya: operator produksi 2 tahun, sopir 1 tahun."),
    )
    experience_years = forms.IntegerField(
        label=_("Lama pengalaman kerja (tahun)"), required=False, min_value=0, max_value=60
    )
    height_cm = forms.IntegerField(label=_("Tinggi badan (cm)"), required=False)
    weight_kg = forms.IntegerField(label=_("Berat badan (kg)"), required=False)
    prior_abroad_country = forms.ChoiceField(
        label=_("Pernah bekerja di luar negeri?"),
        required=False,
        choices=[("", _("Belum pernah"))] + PRIOR_COUNTRIES,
    )
    prior_abroad_years = forms.DecimalField(
        label=_("Berapa tahun di luar negeri?"),
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=1,
    )


class PreferencesForm(SectionForm):
    section = "preferences"
    preferred_countries = forms.MultipleChoiceField(
        label=_("Negara tujuan yang diminati"),
        choices=COUNTRY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_job_types = _OfferedJobTypes(
        label=_("Pekerjaan yang diminati"),
        queryset=None,  # the active job types, set in __init__
        widget=_JobTypeCheckboxes,
        help_text=_("Pilih satu atau lebih. Pilihan ini tidak mengikat."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.routes = job_type_countries()
        field = self.fields["preferred_job_types"]
        field.widget.routes = self.routes
        active = list(job_types())
        self.closed_job_types = [j for j in active if j.pk not in self.routes]
        field.queryset = job_types().filter(pk__in=list(self.routes))
        # the job types offered, read once: a posted choice is checked against these
        field.offered = {str(j.pk): j for j in active if j.pk in self.routes}
        if self.closed_job_types:
            field.help_text = _(
                "%(help)s Saat ini belum ada jalur resmi untuk: %(jobs)s, jadi pekerjaan itu tidak bisa dipilih."
            ) % {
                "help": field.help_text,
                "jobs": ", ".join(j.name for j in self.closed_job_types),
            }
        country_names = COUNTRY_NAMES
        field.label_from_instance = lambda job: (
            _("%(job)s (ke %(countries)s)")
            % {
                "job": job.name,
                "countries": ", ".join(
                    str(country_names[c]) for c in sorted(self.routes[job.pk]) if c in country_names
                ),
            }
        )

    def initial_from(self, candidate):
        return {
            "preferred_countries": candidate.preferred_countries,
            "preferred_job_types": list(candidate.preferred_job_types.values_list("pk", flat=True)),
        }

    def clean(self):
        cleaned = super().clean()
        jobs = [(job.pk, job.name) for job in cleaned.get("preferred_job_types") or []]
        countries = cleaned.get("preferred_countries") or []
        for problem in job_route_problems(jobs, countries, self.routes):
            self.add_error("preferred_job_types", problem)
        return cleaned

    def values(self) -> dict:
        return {
            "preferred_countries": self.cleaned_data.get("preferred_countries", []),
            "preferred_job_types": [j.pk for j in self.cleaned_data.get("preferred_job_types", [])],
        }


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "identity": IdentityForm,
    "address": AddressForm,
    "education": EducationForm,
    "preferences": PreferencesForm,
}


class AccountForm(forms.Form):
    """Step one of self-registration: a log-in, so the person can leave and come back."""

    full_name = _text(_("Nama lengkap sesuai KTP"), autocomplete="name")
    phone = _text(
        _("Nomor HP (WhatsApp)"),
        required=False,
        max_length=20,
        type="tel",
        autocomplete="tel",
        help_text=_("Untuk masuk nanti. Boleh pakai e-mail saja jika tidak punya HP."),
    )
    email = forms.EmailField(
        label=_("E-mail (boleh dikosongkan)"), required=False, widget=forms.EmailInput(OWN_EMAIL)
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 8 huruf/angka, jangan hanya angka, jangan tanggal lahir."),
    )
    password_again = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("Kata sandi yang diulang tidak sama."))
        # the phone and the password's strength with everything else, so every problem shows in
        # one round (the service checks both again)
        checked = candidate_data_check({"phone": data.get("phone", "")}, today=timezone.localdate())
        for message in checked.errors.get("phone", []):
            self.add_error("phone", message)
        if data.get("password") and "password_again" not in self.errors:
            try:
                validate_password(
                    data["password"],
                    User(full_name=data.get("full_name", ""), email=data.get("email") or None),
                )
            except ValidationError as error:
                self.add_error("password", error)
        return data


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_(
            "Saya sudah membaca dan menyetujui penggunaan data pribadi saya seperti tertulis di atas."
        ),
        error_messages={"required": _("Centang persetujuan untuk mengirim pendaftaran.")},
    )


class DeskConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_(
            "Orang ini sudah membaca (atau dibacakan) teks persetujuan dan menandatangani formulir persetujuan."
        ),
        error_messages={
            "required": _("Pendaftaran di meja perlu persetujuan yang ditandatangani.")
        },
    )


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Pilih berkas atau foto"),
        widget=forms.ClearableFileInput,
        help_text=_("PDF, JPG atau PNG. Foto dari HP boleh; pastikan tulisannya terbaca."),
    )
    expires_on = forms.DateField(
        label=_("Berlaku sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, document_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(upload_input_attrs())
        if document_type is not None and not document_type.required:
            # An optional document: no "required" mark, but a press of Unggah still needs a file.
            self.fields["file"].required = False
        if document_type is not None and not document_type.has_expiry:
            del self.fields["expires_on"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise ValidationError(_("Pilih berkas atau foto dulu."), code="required")
        return upload


class DocumentReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Terima")), ("0", _("Tolak"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Alasan penolakan"), required=False, max_length=300)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        widget=forms.RadioSelect,
        choices=[
            ("verified", _("Terverifikasi: data dan dokumen sah")),
            ("correction", _("Kembalikan untuk diperbaiki")),
            ("rejected", _("Tolak pendaftaran")),
        ],
    )
    items = forms.CharField(
        label=_("Yang harus diperbaiki (satu per baris; pencari kerja membacanya)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(
        label=_("Alasan penolakan (pencari kerja membacanya)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def item_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.cleaned_data.get("items", "").splitlines()]


class DuplicateDecisionForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        choices=[("1", _("Benar, orang yang sama")), ("0", _("Bukan duplikat"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=_("Keputusan"),
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Uji coba saja: periksa semua baris tanpa menyimpan"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("Berkas lebih dari 20 MB. Bagi menjadi beberapa berkas."))
        head = upload.read(4)
        upload.seek(0)
        if not head.startswith(b"PK"):
            raise ValidationError(
                _("Ini bukan berkas Excel .xlsx. Simpan sebagai 'Excel Workbook (.xlsx)'.")
            )
        return upload


class CandidateFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari nama, NIK atau nomor HP"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    stage = forms.ChoiceField(label=_("Tahap"), required=False)
    district = forms.ChoiceField(label=_("Kecamatan"), required=False)
    village = forms.ChoiceField(label=_("Kelurahan"), required=False)

    def __init__(self, *args, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Semua tahap"))] + (stages or Stage.choices)
        districts = list(home_districts())
        self.fields["district"].choices = [("", _("Semua kecamatan"))] + [
            (d.code, d.name) for d in districts
        ]
        villages = defaultdict(list)
        for village in home_villages().order_by("name"):
            villages[village.district_id].append((village.code, village.name))
        # grouped by kecamatan, so two kelurahan with one name can be told apart
        self.fields["village"].choices = [("", _("Semua kelurahan"))] + [
            (d.name, villages[d.code]) for d in districts if villages[d.code]
        ]

    def clean(self):
        cleaned = super().clean()
        district, village = cleaned.get("district"), cleaned.get("village")
        if district and village and not village.startswith(f"{district}."):
            self.add_error(
                "village",
                _("Kelurahan ini tidak ada di kecamatan yang dipilih; pilih salah satu saja."),
            )
        return cleaned

    def filters(self) -> dict:
        """The filters that are valid (a wrong one is said beside its field and left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v and k not in self.errors}


class QueueFilterForm(CandidateFilterForm):
    duplicates = forms.BooleanField(label=_("Hanya yang mungkin duplikat"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        self.fields["stage"].choices = [
            (Stage.REGISTERED, Stage.REGISTERED.label),
            (Stage.CORRECTION, Stage.CORRECTION.label),
            ("all", _("Keduanya")),
        ]


class DuplicateFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*DuplicateFlag.Status.choices, ("", _("Semua"))],
    )

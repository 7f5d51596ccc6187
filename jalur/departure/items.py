"""The pre-departure checklist items: what each one records and how its validity is judged.

A pathway lists the item codes it needs (Pathway.checklist_items, data a manager edits); every case
also needs the items in ALWAYS_REQUIRED. The fields of each item are defined here, once.
"""

import contextlib
import datetime
import decimal
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from jalur.core.fields import AmountField
from jalur.placement.models import Currency
from jalur.rules import documents, siskop2mi


@dataclass(frozen=True)
class ItemField:
    name: str
    label: str
    kind: str = "text"  # text, date, number, bool, choice
    # A bool that is required must be ticked; `required_because` says why, in the refusal.
    required: bool = True
    choices: tuple = ()
    # A date on which something already happened (examined, signed, held, issued): never after
    # today. Expiry and coverage dates are not marked.
    happened: bool = False
    # Text with a fixed format: a regex the value must match once upper-cased without spaces (it
    # is stored that way), and the format in words for the refusal.
    pattern: str = ""
    pattern_hint: str = ""
    required_because: str = ""
    # A number that belongs to one person only (passport, E-PMI): the same number for another
    # worker is refused (`jalur.rules.documents.identity_number_key` says when two are the same).
    one_per_person: bool = False
    # Text with a format a rule judges: `check(label=..., value=...)` says what is wrong ("" when
    # nothing); the value is stored like a `pattern` field's.
    check: Callable[..., str] | None = None
    # Not needed to save the item, but before departure (the E-PMI number comes after the ID PMI).
    needed_to_depart: bool = False


@dataclass(frozen=True)
class ItemType:
    code: str
    label: str
    fields: tuple[ItemField, ...] = field(default_factory=tuple)
    needs_document: bool = True
    # name of the date field that gives the item's validity, if it expires
    valid_until_field: str = ""
    # name of the date field the validity runs from (issue or examination date), if any
    valid_from_field: str = ""
    help: str = ""
    # The code of the registration document type (candidates.DocumentType) that is this same
    # document: once verified at registration and still valid it is offered instead of a new upload.
    registration_document: str = ""


D, T, N, B, C = "date", "text", "number", "bool", "choice"

BPJS_BOTH = _(
    "JKK dan JKM keduanya wajib bagi pekerja migran (Permenaker 4/2023); daftarkan pekerja di "
    "kedua program dulu."
)

ITEM_TYPES: dict[str, ItemType] = {
    t.code: t
    for t in [
        ItemType(
            "medical",
            _("Pemeriksaan kesehatan"),
            (
                ItemField("clinic", _("Sarana kesehatan")),
                ItemField("examined_on", _("Tanggal pemeriksaan"), D, happened=True),
                ItemField(
                    "fit",
                    _("Hasil"),
                    C,
                    choices=(("fit", _("Sehat (fit)")), ("unfit", _("Tidak sehat (unfit)"))),
                ),
                ItemField("valid_until", _("Berlaku sampai"), D),
            ),
            valid_until_field="valid_until",
            valid_from_field="examined_on",
        ),
        ItemType(
            "psychological",
            _("Pemeriksaan psikologi"),
            (
                ItemField("clinic", _("Lembaga pemeriksa")),
                ItemField("examined_on", _("Tanggal pemeriksaan"), D, happened=True),
                ItemField(
                    "fit",
                    _("Hasil"),
                    C,
                    choices=(("fit", _("Memenuhi syarat")), ("unfit", _("Tidak memenuhi syarat"))),
                ),
            ),
        ),
        ItemType(
            "placement_agreement",
            _("Perjanjian penempatan"),
            (ItemField("signed_on", _("Tanggal ditandatangani"), D, happened=True),),
            help=_("Disahkan di Disnakertrans; pengesahan memakai satu kuota SIP2MI lowongan."),
        ),
        ItemType(
            "bpjs",
            _("BPJS Ketenagakerjaan (JKK dan JKM)"),
            (
                ItemField("membership_number", _("Nomor kepesertaan")),
                ItemField("jkk", _("JKK aktif"), B, required_because=BPJS_BOTH),
                ItemField("jkm", _("JKM aktif"), B, required_because=BPJS_BOTH),
                ItemField("period_from", _("Masa berlaku dari"), D),
                ItemField("valid_until", _("Masa berlaku sampai"), D),
            ),
            valid_until_field="valid_until",
            valid_from_field="period_from",
        ),
        ItemType(
            "passport",
            _("Paspor"),
            (
                ItemField(
                    "number",
                    _("Nomor paspor"),
                    pattern=r"[A-Z]{1,2}[0-9]{6,7}",
                    pattern_hint=_("1–2 huruf lalu 6–7 angka, misalnya C1234567 atau XA123456"),
                    one_per_person=True,
                ),
                ItemField("issued_on", _("Tanggal terbit"), D, happened=True),
                ItemField("valid_until", _("Berlaku sampai"), D),
            ),
            valid_until_field="valid_until",
            valid_from_field="issued_on",
        ),
        ItemType(
            "employment_contract",
            _("Perjanjian kerja"),
            (
                ItemField("employer", _("Pemberi kerja")),
                ItemField("position", _("Jabatan")),
                ItemField("wage", _("Upah"), N),
                # the currencies a job order's wage is in, so the contract compares with it
                ItemField("currency", _("Mata uang"), C, choices=tuple(Currency.choices)),
                ItemField("hours_per_week", _("Jam kerja per minggu"), N),
                ItemField("contract_months", _("Lama kontrak (bulan)"), N),
                ItemField("signed_on", _("Tanggal ditandatangani"), D, happened=True),
            ),
            help=_(
                "Dibandingkan otomatis dengan lowongan yang disetujui (cegah substitusi kontrak)."
            ),
        ),
        ItemType(
            "coe",
            _("Certificate of Eligibility (Jepang)"),
            (
                ItemField("number", _("Nomor CoE")),
                ItemField("issued_on", _("Tanggal terbit"), D, happened=True),
            ),
        ),
        ItemType(
            "ccvi",
            _("CCVI (Korea)"),
            (
                ItemField("number", _("Nomor CCVI")),
                ItemField("issued_on", _("Tanggal terbit"), D, happened=True),
            ),
        ),
        ItemType(
            "visa",
            _("Visa kerja"),
            (
                ItemField("number", _("Nomor visa")),
                ItemField("issued_on", _("Tanggal terbit"), D, happened=True),
                ItemField("valid_until", _("Berlaku sampai"), D),
            ),
            valid_until_field="valid_until",
            valid_from_field="issued_on",
        ),
        ItemType(
            "opp",
            _("Orientasi pra-pemberangkatan (OPP)"),
            (ItemField("held_on", _("Tanggal"), D, happened=True), ItemField("place", _("Tempat"))),
            needs_document=False,
        ),
        ItemType(
            "e_pmi",
            _("SISKOP2MI: ID PMI dan E-PMI"),
            (
                ItemField(
                    "id_pmi",
                    _("ID PMI"),
                    one_per_person=True,
                    check=siskop2mi.reference_number_problem,
                ),
                ItemField(
                    "e_pmi",
                    _("Nomor E-PMI"),
                    required=False,
                    one_per_person=True,
                    check=siskop2mi.reference_number_problem,
                    needed_to_depart=True,
                ),
            ),
            needs_document=False,
            help=_(
                "Catat ID PMI begitu pekerja terdaftar di SISKOP2MI (sebelum visa); nomor E-PMI "
                "menyusul setelah orientasi pra-pemberangkatan, paling lambat sebelum berangkat."
            ),
        ),
        ItemType(
            "skck",
            _("SKCK (surat keterangan catatan kepolisian)"),
            (
                ItemField("number", _("Nomor SKCK")),
                ItemField("valid_until", _("Berlaku sampai"), D),
            ),
            valid_until_field="valid_until",
            registration_document="skck",
        ),
        ItemType(
            "family_permission",
            _("Izin keluarga diketahui lurah"),
            (
                ItemField("signed_by", _("Nama yang memberi izin")),
                ItemField("relation", _("Hubungan")),
            ),
            registration_document="izin-keluarga",
        ),
    ]
}

# Every case needs these whatever the pathway says (UU 18/2017 Pasal 13).
ALWAYS_REQUIRED = ("skck", "family_permission")

# The facts a departure group usually shares (one employer and contract, one orientation, one
# clinic), entered once for the group and applied to each member's item; each member's item is
# still judged by the rules for that person and checked by the office.
SHARED_FIELDS: dict[str, tuple[str, ...]] = {
    "employment_contract": (
        "employer",
        "position",
        "wage",
        "currency",
        "hours_per_week",
        "contract_months",
        "signed_on",
    ),
    "placement_agreement": ("signed_on",),
    "opp": ("held_on", "place"),
    "medical": ("clinic",),
    "psychological": ("clinic",),
}


def item_complete(item_type: ItemType, data: dict) -> bool:
    """Every required field of the item has a value (a document is judged apart)."""
    return all(
        data.get(f.name) not in (None, "") for f in item_type.fields if f.required and f.kind != B
    )


def missing_to_depart(item_type: ItemType, data: dict) -> tuple[str, ...]:
    """The labels of the item's fields still empty that are needed before departure."""
    return tuple(
        str(f.label)
        for f in item_type.fields
        if f.needed_to_depart and (data or {}).get(f.name) in (None, "")
    )


def form_initial(item_type: ItemType, data: dict) -> dict:
    """An item's stored data as its form's initial values (dates as dates), so an untouched form
    reads as unchanged."""
    initial = {}
    for f in item_type.fields:
        if f.name not in data:
            continue
        value = data[f.name]
        if f.kind == D:
            value = _as_date(value) or value
        elif f.kind == N and value not in (None, ""):
            with contextlib.suppress(ArithmeticError, ValueError):
                value = decimal.Decimal(str(value))
        initial[f.name] = value
    return initial


def validity_problems(item_type: ItemType, data: dict, *, today: datetime.date) -> dict:
    """Field errors for an item whose validity is impossible (ends before it starts) or already
    over (ends before today), by `jalur.rules.documents.validity_problem`; empty when the dates
    hold."""
    until = data.get(item_type.valid_until_field) if item_type.valid_until_field else None
    if not isinstance(until, datetime.date):
        return {}
    start = data.get(item_type.valid_from_field) if item_type.valid_from_field else None
    from_label = next(
        (f.label for f in item_type.fields if f.name == item_type.valid_from_field), ""
    )
    problem = documents.validity_problem(
        valid_from=start if isinstance(start, datetime.date) else None,
        valid_until=until,
        from_label=str(from_label),
        today=today,
    )
    return {item_type.valid_until_field: problem} if problem else {}


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    with contextlib.suppress(TypeError, ValueError):
        return datetime.date.fromisoformat(value)
    return None


def item_clean(item_type: ItemType, data: dict, *, today: datetime.date) -> dict:
    """The item's data as it is stored (fixed-format text upper-cased, without spaces), or a
    ValidationError naming each field that cannot be right. The rules come from the field
    definitions above, so a new item gets them by declaring its fields: a date of something that
    already happened is not after `today`, fixed-format text matches its format, a choice is on its
    list, a required box is ticked; and the item's validity holds (`validity_problems`)."""
    cleaned = dict(data)
    errors = dict(validity_problems(item_type, data, today=today))
    for f in item_type.fields:
        value = cleaned.get(f.name)
        if f.kind == D and f.happened:
            day = _as_date(value)
            if day is not None and day > today:
                errors[f.name] = _("%(field)s tidak boleh di masa depan.") % {"field": f.label}
        elif f.kind == T and (f.pattern or f.check) and value:
            value = cleaned[f.name] = re.sub(r"\s+", "", str(value)).upper()
            if f.pattern and not re.fullmatch(f.pattern, value):
                errors[f.name] = _("%(field)s harus %(format)s.") % {
                    "field": f.label,
                    "format": f.pattern_hint,
                }
            elif f.check and (problem := f.check(label=str(f.label), value=value)):
                errors[f.name] = problem
        elif f.kind == C and value not in (None, "") and value not in dict(f.choices):
            errors[f.name] = _("Pilih %(field)s dari daftar.") % {"field": str(f.label).lower()}
        elif f.kind == B and f.required and not value:
            errors[f.name] = (
                _("%(field)s belum dicentang. %(why)s")
                % {"field": f.label, "why": f.required_because}
                if f.required_because
                else _("%(field)s wajib dicentang.") % {"field": f.label}
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


def registration_data(item_type: ItemType, document) -> dict | None:
    """What a registration document (candidates.CandidateDocument) tells of the item: its expiry as
    the item's validity. None when an item that expires meets a document without an expiry date
    (its validity would be unknown)."""
    data = {}
    if item_type.valid_until_field:
        if document.expires_on is None:
            return None
        data[item_type.valid_until_field] = document.expires_on
    return data


def item_form(
    item_type: ItemType, *, data=None, files=None, initial=None, auto_id="id_%s", prefix=None
) -> forms.Form:
    """A form with the item's own fields (and its document when it needs one)."""
    form_fields = {}
    for f in item_type.fields:
        if f.kind == D:
            form_fields[f.name] = forms.DateField(
                label=f.label, required=f.required, widget=forms.DateInput(attrs={"type": "date"})
            )
        elif f.kind == N:
            form_fields[f.name] = AmountField(
                label=f.label, required=f.required, min_value=0, max_digits=14, decimal_places=2
            )
        elif f.kind == B:
            form_fields[f.name] = forms.BooleanField(label=f.label, required=False)
        elif f.kind == C:
            form_fields[f.name] = forms.ChoiceField(
                label=f.label, required=f.required, choices=[("", "—"), *f.choices]
            )
        else:
            form_fields[f.name] = forms.CharField(
                label=f.label, required=f.required, max_length=200
            )
    if item_type.needs_document:
        form_fields["document"] = forms.FileField(
            label=_("Dokumen (PDF/JPG/PNG)"),
            required=False,
            help_text=_("Wajib saat pertama kali diisi."),
        )
    form_class = type(f"{item_type.code.title()}Form", (forms.Form,), form_fields)
    return form_class(data=data, files=files, initial=initial, auto_id=auto_id, prefix=prefix)


def field_labels(code: str) -> dict:
    """An item's fields by name, labelled as its form labels them."""
    return {f.name: f.label for f in ITEM_TYPES[code].fields}


def data_rows(code: str, data: dict) -> list[tuple]:
    """(label, value) for what was filled in for an item, in its form's order, dates as dd-mm-yyyy."""
    rows = []
    for item_field in ITEM_TYPES[code].fields:
        if item_field.name not in data:
            continue
        value = data[item_field.name]
        if item_field.kind == D and value:
            with contextlib.suppress(ValueError):
                value = datetime.date.fromisoformat(str(value)).strftime("%d-%m-%Y")
        elif item_field.kind == B:
            value = _("ya") if value else _("tidak")
        elif item_field.kind == C and value not in (None, ""):
            value = dict(item_field.choices).get(value, value)  # "Sehat (fit)", not "fit"
        elif item_field.kind == N and value not in (None, ""):
            value = floatformat(value, "-2g")  # 215.000, as wages read everywhere else
        rows.append((item_field.label, value))
    return rows

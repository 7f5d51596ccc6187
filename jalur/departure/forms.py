from django import forms
from django.utils.translation import gettext_lazy as _

from jalur.core.fields import AmountField
from jalur.pathways.models import Country
from jalur.placement.models import CostItem, CostPayer

from .models import FeeEntry, NoFeeStatement, PassportCustody

DATE = forms.DateInput(attrs={"type": "date"})


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Terima")), ("reject", _("Kembalikan"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Catatan pemeriksa"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContractDecisionForm(VerifyForm):
    note = forms.CharField(label=_("Alasan keputusan"), widget=forms.Textarea(attrs={"rows": 2}))


class ReadyForm(forms.Form):
    planned_departure_on = forms.DateField(label=_("Rencana tanggal berangkat"), widget=DATE)


class PassportHandoverForm(forms.Form):
    holder_kind = forms.ChoiceField(
        label=_("Dipegang oleh"), choices=PassportCustody.Holder.choices
    )
    holder_name = forms.CharField(label=_("Nama pemegang"), max_length=200)
    purpose = forms.CharField(
        label=_("Keperluan"), max_length=200, help_text=_("mis. pengurusan visa di kedutaan")
    )
    handed_over_on = forms.DateField(label=_("Tanggal diserahkan"), widget=DATE)


class PassportReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Tanggal kembali ke pekerja"), widget=DATE)


class FeeForm(forms.Form):
    item = forms.ChoiceField(label=_("Jenis biaya"), choices=CostItem.choices)
    description = forms.CharField(label=_("Uraian"), max_length=200, required=False)
    amount = AmountField(label=_("Jumlah"), min_value=0, max_digits=14, decimal_places=2)
    currency = forms.ChoiceField(
        label=_("Mata uang"),
        choices=[("IDR", "IDR"), ("JPY", "JPY"), ("KRW", "KRW"), ("USD", "USD")],
    )
    paid_by = forms.ChoiceField(label=_("Dibayar oleh"), choices=CostPayer.choices)
    state = forms.ChoiceField(label=_("Status"), choices=FeeEntry.State.choices)
    paid_on = forms.DateField(label=_("Tanggal bayar"), required=False, widget=DATE)
    proof = forms.FileField(label=_("Bukti (kuitansi)"), required=False)


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("Tindak lanjut"), widget=forms.Textarea(attrs={"rows": 2}))


class FeeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("allowed", _("Boleh dibayar pekerja")), ("violation", _("Pelanggaran"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Alasan keputusan"), widget=forms.Textarea(attrs={"rows": 2}))


class NoFeeForm(forms.Form):
    occasion = forms.ChoiceField(label=_("Saat"), choices=NoFeeStatement.Occasion.choices)
    signed_on = forms.DateField(label=_("Tanggal ditandatangani"), widget=DATE)


class GroupForm(forms.Form):
    country = forms.ChoiceField(label=_("Negara tujuan"), choices=Country.choices)
    departs_on = forms.DateField(label=_("Tanggal berangkat"), widget=DATE)
    flight = forms.CharField(label=_("Penerbangan"), max_length=50)
    airport = forms.CharField(label=_("Bandara"), max_length=100, initial="Soekarno-Hatta (CGK)")

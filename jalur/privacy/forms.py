from django import forms
from django.utils.translation import gettext_lazy as _

from .requests import RECTIFIABLE


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan (boleh dikosongkan)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Saya mengerti akibatnya dan ingin mengundurkan diri."),
        error_messages={"required": _("Centang kotak ini untuk mengonfirmasi.")},
    )


class RectifyForm(forms.Form):
    field = forms.ChoiceField(label=_("Data yang salah"))
    evidence = forms.FileField(
        label=_("Bukti (boleh dikosongkan): foto KTP, KK atau surat, JPG/PNG/PDF"),
        required=False,
    )
    value = forms.CharField(label=_("Isi yang benar"), max_length=500)
    note = forms.CharField(
        label=_("Keterangan (boleh dikosongkan)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Pilih…"))] + list(RECTIFIABLE.items())


class EraseForm(forms.Form):
    note = forms.CharField(
        label=_("Keterangan (boleh dikosongkan)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Saya mengerti data saya tidak bisa dikembalikan setelah dihapus."),
        error_messages={"required": _("Centang kotak ini untuk mengonfirmasi.")},
    )


class DecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Keputusan"),
        choices=[("1", _("Terima")), ("0", _("Tolak"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Alasan (wajib bila ditolak)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari tindakan/objek/alasan"), required=False)
    actor = forms.CharField(label=_("Pelaku"), required=False)
    object_type = forms.CharField(
        label=_("Jenis objek"), required=False, help_text=_("mis. candidate")
    )
    object_id = forms.CharField(label=_("ID objek"), required=False)
    date_from = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("Tanggal 'dari' harus sebelum tanggal 'sampai'."))
        return data

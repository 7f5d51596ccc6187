"""Forms after the return: the reintegration follow-up and "Daftar lagi"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FollowUpChannel, IncomeBand, ReintegrationNeed, YesNoMaybe

YES_NO = [("yes", _("Ya")), ("no", _("Tidak"))]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class FollowUpForm(forms.Form):
    """The questions of a follow-up, the same for the returnee and for the office on the phone."""

    working = forms.TypedChoiceField(
        label=_("Apakah sekarang sudah bekerja?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
    )
    work_where = forms.CharField(
        label=_("Bekerja di mana atau di bidang apa?"), required=False, max_length=200
    )
    business_started = forms.TypedChoiceField(
        label=_("Apakah sudah membuka usaha sendiri?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
    )
    business_what = forms.CharField(label=_("Usaha apa?"), required=False, max_length=200)
    income_band = forms.ChoiceField(
        label=_("Penghasilan sebulan sekarang"),
        choices=[("", "—"), *IncomeBand.choices],
        required=False,
    )
    wants_to_go_again = forms.ChoiceField(
        label=_("Ingin bekerja ke luar negeri lagi?"),
        choices=YesNoMaybe.choices,
        widget=forms.RadioSelect,
    )
    go_again_where = forms.CharField(
        label=_("Ke negara mana, pekerjaan apa?"), required=False, max_length=200
    )
    needs = forms.MultipleChoiceField(
        label=_("Bantuan yang dibutuhkan"),
        choices=ReintegrationNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StaffFollowUpForm(FollowUpForm):
    channel = forms.ChoiceField(
        label=_("Cara tindak lanjut"),
        choices=[c for c in FollowUpChannel.choices if c[0] != FollowUpChannel.SELF],
    )
    field_order = ["channel"]


class RestartForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa ingin mendaftar lagi?"),
        help_text=_("mis. ingin bekerja lagi sebagai perawat lansia di Jepang"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_(
            "Saya mengerti: data saya dipakai lagi, dokumen yang sudah tidak berlaku harus "
            "diunggah ulang, dan pendaftaran diperiksa lagi oleh petugas."
        )
    )

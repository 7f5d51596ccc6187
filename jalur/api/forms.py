"""Forms of the token pages: a new token, and the reason a token is revoked."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import Role

from .selectors import grantable_roles, token_organisations

DEFAULT_DAYS = 90


class TokenForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisasi"), queryset=None)
    role = forms.ChoiceField(
        label=_("Peran"),
        help_text=_("Token dapat melakukan apa yang boleh dilakukan peran ini di Jalur."),
    )
    name = forms.CharField(
        label=_("Nama"),
        max_length=100,
        help_text=_('Sistem yang memakai token, misalnya "SISKOP2MI" atau "ERP PT Maju".'),
    )
    expires_on = forms.DateField(
        label=_("Berlaku sampai"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Paling lama satu tahun. Buat token baru sebelum tanggal ini."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = token_organisations(user)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["role"].choices = [(role, Role(role).label) for role in grantable_roles(user)]
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(
            days=DEFAULT_DAYS
        )

    def clean_expires_on(self):
        """The end of that day, Jakarta time, as the service takes it."""
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Misalnya: token bocor, sistemnya tidak dipakai lagi, petugasnya berganti."),
    )

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Nomor HP, e-mail, atau nama pengguna"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "email"}
        ),
    )
    error_messages = {
        "invalid_login": _(
            "Nomor HP/e-mail atau kata sandi salah. Periksa lagi, atau pakai 'Lupa kata sandi'."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi petugas Disnakertrans."),
    }


class ProfileForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail untuk masuk dan memulihkan kata sandi"),
        required=False,
        help_text=_(
            "Dengan e-mail, Anda bisa membuat kata sandi baru sendiri bila lupa, juga dari luar negeri."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(label=_("Bahasa tampilan"), choices=settings.LANGUAGES)

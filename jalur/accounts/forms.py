from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
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


class _NewPassword:
    """Jalur's words for setting a password, and a too-weak password's reasons beside the field
    where it was typed (Django puts them under the repeat)."""

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": _("Kata sandi yang diulang tidak sama. Ketik ulang keduanya."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password1"].help_text = _(
            "Minimal 8 huruf/angka, jangan hanya angka, jangan tanggal lahir."
        )
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class NewPasswordForm(_NewPassword, SetPasswordForm):
    pass


class ChangePasswordForm(_NewPassword, PasswordChangeForm):
    error_messages = {
        **_NewPassword.error_messages,
        "password_incorrect": _("Kata sandi lama salah. Ketik lagi."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")

import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jalur.core.throttle import over_limit
from jalur.notifications import gateways

from .phones import login_phone, users_with_phone
from .services import user_password_reset_sent

logger = logging.getLogger(__name__)


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


class ResetRequestForm(PasswordResetForm):
    """A new password by e-mail, or by WhatsApp/SMS to the account's phone number when the city has
    a phone gateway (most job seekers have no e-mail). As with e-mail, the page after it says the
    same whether or not the account exists."""

    email = forms.CharField(
        label=_("E-mail atau nomor HP"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    phone: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not gateways.phone_channel():
            self.fields["email"].label = _("E-mail")
            self.fields["email"].widget.attrs["inputmode"] = "email"

    def clean_email(self):
        value = self.cleaned_data["email"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("Alamat e-mail ini tidak lengkap. Contoh: nama@gmail.com.")
                ) from None
            return value
        self.phone = login_phone(value)  # the Indonesian number, or a worker's number abroad
        if not gateways.phone_channel():
            raise ValidationError(
                _(
                    "Kata sandi baru belum bisa dikirim ke nomor HP. Tulis e-mail akun Anda, atau "
                    "datang ke meja pendaftaran Disnakertrans dengan KTP."
                )
            )
        if self.phone is None:
            raise ValidationError(
                _(
                    "Tulis nomor HP seperti 0812 3456 7890 (nomor luar negeri dengan kode "
                    "negaranya, seperti +82 10 1234 5678), atau alamat e-mail akun Anda."
                )
            )
        # Counted per number typed, whether or not an account has it: saying "wait" then tells
        # nothing about who is registered.
        if over_limit(f"reset-phone:{self.phone}", settings.JALUR_PHONE_RESETS_PER_HOUR):
            raise ValidationError(
                _(
                    "Tautan untuk nomor ini sudah dikirim %(n)s kali dalam satu jam terakhir. "
                    "Buka pesan yang sudah ada, atau coba lagi satu jam lagi."
                )
                % {"n": settings.JALUR_PHONE_RESETS_PER_HOUR}
            )
        return value

    def get_users(self, email):
        if self.phone is None:
            return super().get_users(email)
        users = users_with_phone(self.phone)
        return (user for user in users if user.is_active and user.has_usable_password())

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        if self.phone is None:
            return super().send_mail(
                subject_template_name, email_template_name, context, *args, **kwargs
            )
        user = context["user"]
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text = render_to_string("accounts/password_reset_phone.txt", context).strip()
        try:
            gateways.phone_gateway().send(to=self.phone, text=text)
        except gateways.GatewayError:
            logger.exception("password reset by phone: the gateway refused the message")
            return None
        user_password_reset_sent(user=user, channel=gateways.phone_channel())
        return None

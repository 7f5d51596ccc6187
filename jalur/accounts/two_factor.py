"""Two-factor log-in (TOTP from an authenticator app, plus single-use recovery codes), for the
roles that see people's identities (`roles.TWO_FACTOR_ROLES`) and so for /admin/ too.

A TOTP device (django_otp.plugins.otp_totp) is created unconfirmed on the enrolment page and
confirmed with the first code typed; then ten recovery codes (otp_static) are made and shown once.
Every change is audited and the person is told on their other channels when someone else (the
system administrator) resets it. `middleware.TwoFactorMiddleware` sends a session that has not
passed the code step to it.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalur.audit.models import AuditLog
from jalur.audit.services import audit_record

from .roles import TWO_FACTOR_ROLES

RECOVERY_CODES = 10
APP_DEVICE_NAME = "aplikasi"
RECOVERY_DEVICE_NAME = "kode-pemulihan"


def required_for(user) -> bool:
    """Whether `user` must pass the code step (their role sees identities) in this installation."""
    return (
        getattr(settings, "JALUR_2FA_REQUIRED", True)
        and getattr(user, "is_authenticated", False)
        and user.role in TWO_FACTOR_ROLES
    )


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device the enrolment page shows (the same one on every reload, so a QR code
    already scanned stays right)."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: address for an <img> (drawn here: no
    image request, no outside service, and nothing for the template to mark safe)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the enrolment with the first code from the app; the recovery codes, or None when
    the code is wrong."""
    if not device.verify_token(token):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action="auth.2fa_enrol", target=user, kind=AuditLog.Kind.AUTH)
    return codes


def recovery_codes_renew(*, user) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(
            actor=user, action="auth.2fa_recovery_renew", target=user, kind=AuditLog.Kind.AUTH
        )
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def two_factor_used(*, user, device) -> None:
    """Record a passed code step (which kind of code, never the code)."""
    how = "kode pemulihan" if isinstance(device, StaticDevice) else "aplikasi"
    with transaction.atomic():
        audit_record(
            actor=user,
            action="auth.2fa_verify",
            target=user,
            changes={"cara": how},
            kind=AuditLog.Kind.AUTH,
        )


def two_factor_reset(*, actor, user, reason: str) -> None:
    """The system administrator removes a person's app and recovery codes (a lost phone): the
    next log-in enrols again. Audited with the reason; the person is told on every channel."""
    from jalur.notifications.services import notify

    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(
            actor=actor,
            action="auth.2fa_reset",
            target=user,
            reason=reason,
            kind=AuditLog.Kind.AUTH,
        )
        notify(user=user, key="two_factor_reset", context={"when": timezone.now()})


def confirmed_device(user) -> TOTPDevice:
    """A confirmed app on `user`'s account (the test fixtures' way in)."""
    device = app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    return device

"""Writes for users and organisations, each audited in its own transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jalur.audit.models import AuditLog
from jalur.audit.services import audit_record, diff, snapshot
from jalur.core.phone import normalize_phone

from .models import Organisation, User
from .roles import ROLE_ORGANISATION_KIND, OrganisationKind, Role

AUDITED_USER_FIELDS = [
    "username",
    "full_name",
    "email",
    "phone",
    "role",
    "organisation_id",
    "is_active",
]


def _check_role_organisation(role: str, organisation: Organisation | None) -> None:
    expected = ROLE_ORGANISATION_KIND[role]
    if expected is None and organisation is not None:
        raise ValidationError(
            {"organisation": _("Akun pencari kerja tidak terikat pada organisasi.")}
        )
    if (
        expected is not None
        and role != Role.SYSADMIN
        and (organisation is None or organisation.kind != expected)
    ):
        raise ValidationError(
            {
                "organisation": _("Peran ini harus terikat pada organisasi berjenis %(kind)s.")
                % {"kind": OrganisationKind(expected).label}
            }
        )


def organisation_create(*, actor, kind: str, name: str, code: str, **fields) -> Organisation:
    with transaction.atomic():
        org = Organisation(kind=kind, name=name, code=code, **fields)
        org.full_clean()
        org.save()
        audit_record(
            actor=actor, action="organisation.create", target=org, changes=diff({}, snapshot(org))
        )
    return org


def organisation_update(
    *, actor, organisation: Organisation, data: dict, reason: str = ""
) -> Organisation:
    with transaction.atomic():
        before = snapshot(organisation)
        for key, value in data.items():
            setattr(organisation, key, value)
        organisation.full_clean()
        organisation.save()
        audit_record(
            actor=actor,
            action="organisation.update",
            target=organisation,
            changes=diff(before, snapshot(organisation)),
            reason=reason,
        )
    return organisation


def user_create(
    *,
    actor,
    username: str,
    role: str,
    password: str | None = None,
    organisation: Organisation | None = None,
    full_name: str = "",
    email: str | None = None,
    phone: str | None = None,
    reason: str = "",
) -> User:
    """Create a log-in. The role must fit the organisation's kind (training staff at a provider…)."""
    _check_role_organisation(role, organisation)
    normalized_phone = None
    if phone:
        normalized_phone = normalize_phone(phone)
        if normalized_phone is None:
            raise ValidationError(
                {"phone": _("Nomor HP tidak valid. Contoh yang benar: 0812-3456-7890.")}
            )
    with transaction.atomic():
        user = User(
            username=username,
            role=role,
            organisation=organisation,
            full_name=full_name,
            email=(email or None),
            phone=normalized_phone,
            is_staff=(role == Role.SYSADMIN),
            is_superuser=(role == Role.SYSADMIN),
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(
            actor=actor,
            action="user.create",
            target=user,
            changes=diff({}, snapshot(user, AUDITED_USER_FIELDS)),
            reason=reason,
        )
    return user


def user_update(*, actor, user: User, data: dict, reason: str = "") -> User:
    role = data.get("role", user.role)
    organisation = data.get("organisation", user.organisation)
    _check_role_organisation(role, organisation)
    with transaction.atomic():
        before = snapshot(user, AUDITED_USER_FIELDS)
        for key, value in data.items():
            setattr(user, key, value)
        user.is_staff = user.is_superuser = user.role == Role.SYSADMIN
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(
            actor=actor,
            action="user.update",
            target=user,
            changes=diff(before, snapshot(user, AUDITED_USER_FIELDS)),
            reason=reason,
        )
    return user


def user_email_set(*, user: User, email: str) -> User:
    """A person sets the e-mail they log in with and recover their password by (one address per
    log-in). An empty value keeps the one there: it would leave a phone-only log-in with no way
    back but the office."""
    email = (email or "").strip().lower()
    if not email or email == (user.email or "").lower():
        return user
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError(
            {"email": _("E-mail ini sudah dipakai akun lain. Pakai alamat e-mail Anda sendiri.")}
        )
    return user_update(actor=user, user=user, data={"email": email}, reason="diubah sendiri")


def user_password_changed(*, user: User, actor, how: str) -> None:
    """Record that a password was set (the new one is never recorded): `how` is "change" in the
    account or "reset" through the e-mailed link."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=f"auth.password_{how}",
            target=user,
            kind=AuditLog.Kind.AUTH,
        )


def user_password_reset_sent(*, user: User, channel: str) -> None:
    """Record that a link to set a new password was sent to the account's phone (never the link)."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action="auth.password_reset_sent",
            target=user,
            changes={"lewat": channel},
            kind=AuditLog.Kind.AUTH,
        )


def user_set_language(*, user: User, language: str) -> User:
    with transaction.atomic():
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            actor=user,
            action="user.set_language",
            target=user,
            changes={"language": [before, language]},
        )
    return user

"""Creating and revoking API tokens, each audited in its own transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import Organisation, User
from jalur.accounts.roles import ROLE_ORGANISATION_KIND, OrganisationKind, Role
from jalur.audit.services import audit_record

from .keys import hash_secret, key_text, new_key
from .models import ApiToken
from .selectors import grantable_roles, token_organisations, tokens_for

MAX_LIFETIME = datetime.timedelta(days=366)
LAST_USED_STEP = datetime.timedelta(minutes=1)


def _check(*, actor, organisation: Organisation, role: str, name: str, expires_at) -> None:
    if not token_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    errors = {}
    expected = ROLE_ORGANISATION_KIND.get(role)
    if role == Role.CANDIDATE or expected is None:
        errors["role"] = _("Token API tidak dapat berperan sebagai pencari kerja.")
    elif role not in grantable_roles(actor):
        errors["role"] = _("Anda tidak dapat memberi token peran ini.")
    elif organisation.kind != expected:
        errors["role"] = _("Peran ini hanya untuk organisasi berjenis %(kind)s.") % {
            "kind": OrganisationKind(expected).label
        }
    if not name.strip():
        errors["name"] = _("Beri token nama yang menyebut sistem pemakainya.")
    now = timezone.now()
    if expires_at <= now:
        errors["expires_at"] = _("Tanggal berlaku harus sesudah hari ini.")
    elif expires_at > now + MAX_LIFETIME:
        errors["expires_at"] = _("Token berlaku paling lama satu tahun.")
    if errors:
        raise ValidationError(errors)


def token_create(
    *, actor, organisation: Organisation, role: str, name: str, expires_at: datetime.datetime
) -> tuple[ApiToken, str]:
    """A new token and its text, which is shown once and kept nowhere."""
    name = name.strip()
    _check(actor=actor, organisation=organisation, role=role, name=name, expires_at=expires_at)
    prefix, secret = new_key()
    with transaction.atomic():
        account = User(
            username=f"api-{prefix}",
            role=role,
            organisation=organisation,
            full_name=f"API: {name}"[:200],
            phone=None,
            email=None,
        )
        account.set_unusable_password()
        account.save()
        token = ApiToken.objects.create(
            organisation=organisation,
            user=account,
            role=role,
            name=name,
            prefix=prefix,
            secret_hash=hash_secret(secret),
            created_by=actor,
            expires_at=expires_at,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            target=token,
            changes={
                "organisation_id": [None, organisation.pk],
                "role": [None, role],
                "name": [None, name],
                "prefix": [None, prefix],
                "expires_at": [None, expires_at.isoformat()],
            },
        )
    return token, key_text(prefix, secret)


def token_revoke(*, actor, token: ApiToken, reason: str) -> ApiToken:
    """Stop a token at once; its service account is switched off too."""
    reason = (reason or "").strip()
    if not tokens_for(actor).filter(pk=token.pk).exists():
        raise PermissionDenied
    if not reason:
        raise ValidationError({"reason": _("Tulis alasan pencabutan.")})
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(_("Token ini sudah dicabut."))
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.revoke_reason = reason
        token.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        User.objects.filter(pk=token.user_id).update(is_active=False)
        audit_record(
            actor=actor,
            action="api_token.revoke",
            target=token,
            changes={
                "revoked_at": [None, token.revoked_at.isoformat()],
                "is_active": [True, False],
            },
            reason=reason,
        )
    return token


def token_mark_used(token: ApiToken) -> None:
    """Remember when a token was last used, at most once a minute (bookkeeping, not audited: each
    call has its own audit row)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

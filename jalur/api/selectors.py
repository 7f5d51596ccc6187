"""Reading API tokens: the one a call presents, and the ones a person may manage."""

from django.db.models import QuerySet

from jalur.accounts.models import Organisation
from jalur.accounts.roles import ROLE_ORGANISATION_KIND, Role, can

from .keys import secret_matches, split_key
from .models import ApiToken


def token_for_key(text: str) -> ApiToken | None:
    """The usable token `text` is, with its account and organisation; None when it is malformed,
    unknown, wrong, expired, revoked, or its organisation or account is switched off."""
    parts = split_key(text)
    if parts is None:
        return None
    prefix, secret = parts
    token = ApiToken.objects.select_related("user", "organisation").filter(prefix=prefix).first()
    if token is None or not secret_matches(secret, token.secret_hash):
        return None
    if not token.is_usable or not token.organisation.is_active or not token.user.is_active:
        return None
    return token


def tokens_for(user) -> QuerySet[ApiToken]:
    """The tokens `user` may see and revoke: every one for the office, their own agency's for a P3MI."""
    tokens = ApiToken.objects.select_related("organisation", "created_by", "revoked_by")
    if can(user, "api.tokens.all"):
        return tokens
    if can(user, "api.tokens") and user.organisation_id:
        return tokens.filter(organisation_id=user.organisation_id)
    return tokens.none()


def grantable_roles(user) -> list[str]:
    """The roles `user` may give a token: any staff role for the office (a system-administrator
    token only from a system administrator), P3MI staff for a P3MI."""
    if can(user, "api.tokens.all"):
        return [
            role
            for role in Role
            if ROLE_ORGANISATION_KIND[role] is not None
            and (role != Role.SYSADMIN or user.role == Role.SYSADMIN)
        ]
    if can(user, "api.tokens"):
        return [Role.AGENCY_STAFF]
    return []


def token_organisations(user) -> QuerySet[Organisation]:
    """The active organisations `user` may make tokens for."""
    organisations = Organisation.objects.filter(is_active=True)
    if can(user, "api.tokens.all"):
        return organisations
    if can(user, "api.tokens") and user.organisation_id:
        return organisations.filter(pk=user.organisation_id)
    return organisations.none()

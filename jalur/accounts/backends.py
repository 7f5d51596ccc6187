"""Log-in by username, e-mail or mobile number (the account's Indonesian one, or a worker's
number abroad while they are there), with a password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from jalur.core.phone import is_indonesian

from .phones import login_phone, users_with_phone


class PhoneOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        user = account_for(username)
        if user is None:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            # An API token's service account (jalur.api) never logs in on the web, even if
            # someone gave it a password. Checked here, at log-in only: user_can_authenticate
            # also runs for every request's session, and this costs a query.
            return None if hasattr(user, "api_token") else user
        return None


def account_for(identifier: str):
    """The account a typed user name, e-mail or phone (any spelling, or a worker's number abroad)
    logs in, as the backend finds it; None when none does."""
    User = get_user_model()
    identifier = identifier.strip()
    if not identifier:
        return None
    query = Q(username__iexact=identifier)
    by_phone = []
    if "@" in identifier:
        query |= Q(email__iexact=identifier)
    elif (phone := login_phone(identifier)) and is_indonesian(phone):
        query |= Q(phone=phone)
    else:
        by_phone = users_with_phone(phone)
    return min(
        [*User._default_manager.filter(query).order_by("pk")[:1], *by_phone],
        key=lambda u: u.pk,
        default=None,
    )


def login_identity(request, credentials: dict | None = None) -> str:
    """The account a log-in attempt is for, as one key (AXES_USERNAME_CALLABLE): the user name, the
    e-mail and the phone of one account (0812-3456-7890, +62 812 3456 7890 and 6281234567890 alike,
    or the worker's number abroad) all give `akun:<pk>`, so each way of typing it does not get its
    own five tries. A name no account has is counted as typed (phones in E.164, the rest without
    capitals), so guessing at missing accounts is counted too."""
    if credentials is not None:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "POST", {}).get("username")
    text = str(raw or "").strip()
    user = account_for(text)
    if user is not None:
        return f"akun:{user.pk}"
    if "@" not in text and (phone := login_phone(text)):
        return phone
    return text.casefold()

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
        identifier = username.strip()
        query = Q(username__iexact=identifier)
        by_phone = []
        if "@" in identifier:
            query |= Q(email__iexact=identifier)
        elif (phone := login_phone(identifier)) and is_indonesian(phone):
            query |= Q(phone=phone)  # the account's own number: in the same query
        else:
            by_phone = users_with_phone(phone)  # a worker's number abroad
        user = min(
            [*User.objects.filter(query).order_by("pk")[:1], *by_phone],
            key=lambda u: u.pk,
            default=None,
        )
        if user is None:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def login_identity(request, credentials: dict | None = None) -> str:
    """The account a log-in attempt is for, written one way (AXES_USERNAME_CALLABLE): 0812-3456-7890,
    +62 812 3456 7890 and 6281234567890 are one phone, e-mails and user names ignore capitals. Each
    spelling would otherwise get its own five tries before the lock-out. A worker's number abroad
    counts as their Indonesian one: two numbers do not give one account twice the tries."""
    if credentials is not None:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "POST", {}).get("username")
    text = str(raw or "").strip()
    if "@" not in text:
        phone = login_phone(text)
        if phone and not is_indonesian(phone):
            owner = next(iter(users_with_phone(phone)), None)
            return (owner.phone or f"akun:{owner.pk}") if owner else phone
        if phone:
            return phone
    return text.casefold()

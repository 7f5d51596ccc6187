"""Which account a mobile number belongs to, for log-in and a password reset by phone.

An account's own number (`User.phone`) is Indonesian. A worker abroad also has a number in the
country of placement, kept on their candidate record (`Candidate.phone_abroad`, read through the
`candidate` relation so accounts imports nothing of candidates): it counts only while the worker
is abroad (`phone_abroad_in_use`), since once they are back the operator may give the number to
someone else, who must not log in or reset the worker's password with it.
"""

from django.contrib.auth import get_user_model

from jalur.core.phone import is_indonesian, normalize_phone


def login_phone(raw) -> str | None:
    """The number typed on the log-in or password reset form, in E.164 (any country)."""
    return normalize_phone(raw, any_country=True)


def users_with_phone(phone: str | None) -> list:
    """The accounts that log in with `phone` (E.164), oldest first: at most one each way, since
    both numbers are unique."""
    if not phone:
        return []
    users = get_user_model()._default_manager.order_by("pk")
    if is_indonesian(phone):
        return list(users.filter(phone=phone))
    found = users.filter(candidate__phone_abroad=phone).select_related("candidate")
    return [user for user in found if user.candidate.phone_abroad_in_use == phone]

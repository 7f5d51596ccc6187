"""Lock-outs after wrong passwords: per account at one client, and per client over all accounts.

django-axes records every failure as a row (account key, client address). Two counts decide:

- the account at this client (`AXES_FAILURE_LIMIT`, 5): an account's user name, phone (any spelling,
  or the worker's number abroad) and e-mail are one key (`backends.login_identity` gives
  `akun:<pk>`), so typing the account three ways gives no extra tries. The count is per client
  so that a stranger's guesses do not lock the officer out at the office;
- the client over every account (`JALUR_LOGIN_FAILURES_PER_CLIENT`, 30): guessing a few passwords
  of many accounts from one address ("40 failures spread over 10 accounts locked nothing") locks
  the address. A successful log-in clears only its own account's count, never the client's:
  otherwise an attacker's own account would reset it.

Both counts last `AXES_COOLOFF_TIME` after the latest failure; the lock page says how long is left.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

HTTP_TOO_MANY = 429


def client_limit() -> int:
    return getattr(settings, "JALUR_LOGIN_FAILURES_PER_CLIENT", 30)


class JalurAxesHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], ["ip_address"]]: the first query
    set counts the account at this client, the second the client over every account."""

    def _counts(self, request, credentials) -> tuple[int, int]:
        querysets = self.get_user_attempts(request, credentials)
        counts = [qs.aggregate(n=Sum("failures_since_start"))["n"] or 0 for qs in querysets]
        account = counts[0] if counts else 0
        client = counts[1] if len(counts) > 1 else 0
        return account, client

    def get_failures(self, request, credentials=None) -> int:
        """The account's count, or the failure limit itself once the client is over its own
        limit (axes compares this one number with AXES_FAILURE_LIMIT)."""
        account, client = self._counts(request, credentials)
        if client >= client_limit():
            return max(account, get_failure_limit(request, credentials))
        return account

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful log-in clears its account's failures at this client only."""
        first = self.filter_user_attempts(request, credentials)[0]
        count, _ = first.delete()
        return count

    def lock_ends(self, request, credentials=None):
        """When the lock on this request's account or client ends (the later of the two)."""
        cool_off = get_cool_off(request)
        if cool_off is None:
            return None
        querysets = self.get_user_attempts(request, credentials)
        latest = [qs.aggregate(t=Max("attempt_time"))["t"] for qs in querysets]
        latest = [t for t in latest if t is not None]
        return max(latest) + cool_off if latest else None


def lockout_response(request, original_response=None, credentials=None):
    """The lock page (AXES_LOCKOUT_CALLABLE), with the minutes really left, not the full period."""
    handler = JalurAxesHandler()
    if not hasattr(request, "axes_attempt_time"):
        request.axes_attempt_time = timezone.now()
    ends = handler.lock_ends(request, credentials)
    cool_off = get_cool_off(request)
    if ends is not None:
        seconds = (ends - timezone.now()).total_seconds()
    else:
        seconds = cool_off.total_seconds() if cool_off else 0
    minutes = max(1, -(-int(seconds) // 60))
    context = {"cooloff_minutes": minutes, "until": ends}
    return render(request, "accounts/lockout.html", context, status=HTTP_TOO_MANY)

"""Lock-outs after wrong passwords: per account at one client, and per client over all accounts.

django-axes records every failure as a row (account key, client address). Two counts decide:

- the account at this client (`AXES_FAILURE_LIMIT`, 5): an account's user name, phone (any spelling,
  or the worker's number abroad) and e-mail are one key (`backends.login_identity` gives
  `akun:<pk>`), so typing the account three ways gives no extra tries. The count is per client
  so that a stranger's guesses do not lock the officer out at the office;
- the client over every account (`JALUR_LOGIN_FAILURES_PER_CLIENT`, 30): guessing a few passwords
  of many accounts from one address ("40 failures spread over 10 accounts locked nothing") locks
  the address. A successful log-in clears only its own account's count, never the client's:
  otherwise an attacker's own account would reset it;
- the account over every address (`JALUR_LOGIN_FAILURES_PER_ACCOUNT`, 20): one account guessed
  from many addresses (a botnet, or a phone that changes address on every request) is locked
  everywhere, the right password included. The limit is higher than the per-client one so that a
  stranger needs many guesses before the owner is kept out too; the owner's own good log-in does
  not clear it (the guesses from elsewhere still count until they expire).

All counts last `AXES_COOLOFF_TIME` after the latest failure; the lock page says how long is left,
from the counts that are really over their limit.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

HTTP_TOO_MANY = 429


def client_limit() -> int:
    return getattr(settings, "JALUR_LOGIN_FAILURES_PER_CLIENT", 30)


def account_limit() -> int:
    return getattr(settings, "JALUR_LOGIN_FAILURES_PER_ACCOUNT", 20)


class JalurAxesHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], ["ip_address"]]: the first query
    set counts the account at this client, the second the client over every account; the third
    count, the account over every address, is ours (`_everywhere`)."""

    def _everywhere(self, request, credentials):
        """The account's failures from any address (none without an account key)."""
        username = get_client_username(request, credentials)
        if not username:
            return AccessAttempt.objects.none()
        attempts = AccessAttempt.objects.filter(username=username)
        if get_cool_off(request) is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts

    def _querysets(self, request, credentials) -> list[tuple[object, int]]:
        """(the failures, their limit) for each count: account here, client, account anywhere."""
        querysets = self.get_user_attempts(request, credentials)
        limits = [get_failure_limit(request, credentials), client_limit()]
        pairs = list(zip(querysets, limits, strict=False))
        pairs.append((self._everywhere(request, credentials), account_limit()))
        return pairs

    @staticmethod
    def _count(queryset) -> int:
        return queryset.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def get_failures(self, request, credentials=None) -> int:
        """The account's count here, or the failure limit itself once the client or the account
        over all addresses is over its own limit (axes compares this one number with
        AXES_FAILURE_LIMIT)."""
        here, *others = self._querysets(request, credentials)
        account = self._count(here[0])
        if any(self._count(qs) >= limit for qs, limit in others):
            return max(account, get_failure_limit(request, credentials))
        return account

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful log-in clears its account's failures at this client only."""
        first = self.filter_user_attempts(request, credentials)[0]
        count, _ = first.delete()
        return count

    def lock_ends(self, request, credentials=None):
        """When the lock on this request ends: for each count over its limit, its latest failure
        plus the cool-off; the latest of those (all counts, if none is over: a lock just set)."""
        cool_off = get_cool_off(request)
        if cool_off is None:
            return None
        pairs = self._querysets(request, credentials)
        over = [qs for qs, limit in pairs if self._count(qs) >= limit] or [qs for qs, _ in pairs]
        latest = [qs.aggregate(t=Max("attempt_time"))["t"] for qs in over]
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

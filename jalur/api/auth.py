"""Who is calling: a bearer token sets `request.user` to its service account; every call is
rate-limited (per token, or per client address for the public endpoints)."""

import math
import time

from django.conf import settings
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from jalur.core.network import client_ip
from jalur.core.throttle import over_limit

from .checks import require
from .models import ApiToken
from .selectors import token_for_key
from .services import token_mark_used

PERIOD = 60  # seconds: limits are per minute


class TokenAuth(HttpBearer):
    """`Authorization: Bearer jalur_<prefix>_<secret>`. The token's account becomes `request.user`,
    so `can()`, the access helpers and every selector that scopes by organisation apply unchanged.

    `TokenAuth(*capabilities)` also refuses (403) a token whose role has none of them. A write
    endpoint asks for its capability here, not in its body: ninja reads and validates the body
    after authentication and before the endpoint runs, so a token that may not write would
    otherwise be told what is wrong with its body (422) instead of that it may not (403)."""

    def __init__(self, *capabilities: str) -> None:
        super().__init__()
        self.capabilities = capabilities

    def authenticate(self, request, token: str) -> ApiToken | None:
        found = token_for_key(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found
        token_mark_used(found)
        if self.capabilities:
            require(request, *self.capabilities)
        return found


class CallThrottle(BaseThrottle):
    """At most JALUR_API_TOKEN_RATE calls a minute per token (default 120), and
    JALUR_API_PUBLIC_RATE a minute per client address without one (default 60). Counted in the
    shared cache (jalur.core.throttle), so every app server sees the same count; a refusal is a 429
    with Retry-After, the seconds left in the minute."""

    def allow_request(self, request) -> bool:
        token = getattr(request, "api_token", None)
        if isinstance(token, ApiToken):
            return not over_limit(f"api:token:{token.pk}", settings.JALUR_API_TOKEN_RATE, PERIOD)
        return not over_limit(
            f"api:client:{client_ip(request)}", settings.JALUR_API_PUBLIC_RATE, PERIOD
        )

    def wait(self) -> float:
        # Windows are fixed and aligned to the clock (see jalur.core.throttle): the count starts
        # again when this minute ends, whoever is counted.
        return max(1, math.ceil(PERIOD - time.time() % PERIOD))

"""Counting attempts in the shared cache, so every app server sees the same count."""

from django.core.cache import cache

from .network import client_ip


def over_limit(key: str, limit: int, period: int = 3600) -> bool:
    """Count one attempt at `key`; True once `limit` attempts were made within `period` seconds."""
    key = f"jalur:throttle:{key}"
    count = cache.get_or_set(key, 0, period)
    if count >= limit:
        return True
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls: this attempt starts a new period
        cache.set(key, 1, period)
    return False


def used_up(key: str, limit: int) -> bool:
    """Whether `limit` attempts were already counted at `key` (counts nothing itself)."""
    return (cache.get(f"jalur:throttle:{key}") or 0) >= limit


def throttled(request, bucket: str, limit: int = 20) -> bool:
    """At most `limit` attempts an hour from one address (codes and secrets must not be guessed)."""
    return over_limit(f"{bucket}:{client_ip(request)}", limit)

"""Counting attempts in the shared cache, so every app server sees the same count.

Each count belongs to a fixed window of `period` seconds (the window's number is part of the key),
so a count lasts as long as its window on every cache backend. Counting with `cache.incr` alone does
not: the database and file caches write the entry again with the default timeout (300 s), so a
limit "per hour" or "per day" was forgotten after five minutes. After each count in a window longer
than that default, the entry's expiry is set back to the end of its window (`cache.touch`). A burst across the edge of two windows can
reach twice the limit; that is the price of a count every backend keeps.
"""

import math
import time

from django.core.cache import cache

from .network import client_ip

DAY = 24 * 3600


def _window(key: str, period: int) -> tuple[str, int]:
    """The cache key of `key`'s count in the current window, and the seconds until that window ends."""
    now = time.time()
    number = int(now // period)
    left = math.ceil((number + 1) * period - now)
    return f"jalur:throttle:{key}:{period}:{number}", max(left, 1)


def count(key: str, period: int = 3600) -> int:
    """Count one at `key` in this window of `period` seconds; the count so far in the window,
    this one included. The count lasts until its window ends, on every cache backend."""
    cache_key, left = _window(key, period)
    if cache.add(cache_key, 1, left):  # the first in its window (most are): one write, no more
        return 1
    try:
        counted = cache.incr(cache_key)
    except ValueError:  # the window ended between the two calls: this one starts the next one
        cache_key, left = _window(key, period)
        cache.set(cache_key, 1, left)
        counted = 1
    if cache.default_timeout is not None and left > cache.default_timeout:
        # the entry was written again with the default timeout, shorter than its window; a
        # longer one is harmless, as the window's number is in the key (a per-minute API count:
        # 5 statements fewer a call on the database cache)
        cache.touch(cache_key, left)
    return counted


def counted(key: str, period: int = 3600) -> int:
    """The count at `key` in this window of `period` seconds (counts nothing itself)."""
    cache_key, _left = _window(key, period)
    return cache.get(cache_key) or 0


def over_limit(key: str, limit: int, period: int = 3600) -> bool:
    """Count one attempt at `key`; True when more than `limit` were made in this window of `period`
    seconds (so the first `limit` attempts pass)."""
    return count(key, period) > limit


def used_up(key: str, limit: int, period: int = 3600) -> bool:
    """Whether `limit` attempts were already counted at `key` in this window (counts nothing itself)."""
    return counted(key, period) >= limit


def any_used_up(keys: list[str], limit: int, period: int = 3600) -> bool:
    """`used_up` for several keys, read in one round trip to the cache."""
    found = cache.get_many([_window(key, period)[0] for key in keys])
    return any(value >= limit for value in found.values())


def throttled(request, bucket: str, limit: int = 20) -> bool:
    """At most `limit` attempts an hour from one address (codes and secrets must not be guessed)."""
    return over_limit(f"{bucket}:{client_ip(request)}", limit)

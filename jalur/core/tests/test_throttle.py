"""The public forms' throttles keep their window on every cache backend.

`cache.incr` on the database cache writes the entry again with the default timeout (300 s), so a
limit "per hour" used to be forgotten after five minutes of quiet.
"""

import datetime
import os
import socket
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.test import override_settings

from jalur.core import throttle
from jalur.core.throttle import DAY, over_limit, used_up

# 10:01 UTC: one minute into an hour's window and ten hours into a day's.
START = datetime.datetime(2030, 1, 15, 10, 1, tzinfo=datetime.UTC)


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _redis_cache():
    if not _redis_answers():
        if os.environ.get("CI"):
            pytest.fail("CI runs the throttle on Redis: nothing answers on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379 (CI runs this test)")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"jalur-test-{uuid.uuid4().hex}",
        }
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("period", "quiet"), [(3600, 50 * 60), (DAY, 12 * 3600)])
def test_on_the_database_cache_a_count_lasts_its_whole_window(period, quiet):
    assert "DatabaseCache" in caches["default"].__class__.__name__
    with time_machine.travel(START, tick=False) as clock:
        assert [over_limit("t:db", 3, period) for _ in range(3)] == [False, False, False]
        clock.shift(quiet)  # long after the database cache's default 300 s
        assert used_up("t:db", 3, period)
        assert over_limit("t:db", 3, period) is True


@pytest.mark.django_db
def test_on_the_database_cache_a_count_outlives_hundreds_of_other_counts():
    """Django's default ceiling of 300 entries culled a third of them, live counts included, so a
    limit was forgotten once a few hundred people had been counted."""
    with time_machine.travel(START, tick=False):
        assert [over_limit("t:first", 2) for _ in range(2)] == [False, False]
        for number in range(400):
            over_limit(f"t:other:{number}", 2)
        assert over_limit("t:first", 2) is True


@pytest.mark.django_db
def test_the_next_window_starts_a_new_count():
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            over_limit("t:next", 3)
        assert over_limit("t:next", 3) is True
        clock.shift(3600)
        assert not used_up("t:next", 3)
        assert over_limit("t:next", 3) is False


@pytest.mark.django_db
def test_refused_attempts_count_too_and_the_limit_lets_exactly_limit_through():
    with time_machine.travel(START, tick=False):
        results = [over_limit("t:exact", 5) for _ in range(8)]
    assert results == [False] * 5 + [True] * 3


def test_on_redis_the_entry_expires_at_the_end_of_its_window():
    with override_settings(CACHES=_redis_cache()):
        cache = caches["default"]
        key, _left = throttle._window("t:redis", DAY)
        try:
            for _ in range(2):
                over_limit("t:redis", 3, DAY)
            key, left = throttle._window("t:redis", DAY)
            assert cache.get(key) == 2
            client = cache._cache.get_client(key)
            ttl = client.ttl(cache.make_and_validate_key(key))
            # Redis keeps its own clock: the entry lives until the window ends, not 300 s.
            assert left - 5 <= ttl <= left
            assert ttl > 300 or left <= 300
            assert used_up("t:redis", 2, DAY) and not used_up("t:redis", 3, DAY)
        finally:
            cache.delete(key)  # not clear(): that would empty the whole Redis database
            cache.close()


@pytest.mark.django_db
def test_count_gives_the_running_count_and_counted_reads_it_without_counting():
    with time_machine.travel(START, tick=False) as clock:
        assert throttle.counted("t:count", DAY) == 0
        assert [throttle.count("t:count", DAY) for _ in range(3)] == [1, 2, 3]
        clock.shift(10 * 60)  # past the database cache's default 300 s
        assert throttle.counted("t:count", DAY) == 3
        assert throttle.counted("t:count", DAY) == 3  # reading counts nothing
        assert throttle.count("t:count", DAY) == 4

"""Refused deliveries to the gateway's webhook are counted for the whole day on every cache backend.

A bare `cache.incr` on the database cache wrote the entry again with the default 300 s timeout, so
the day's count was forgotten after five quiet minutes (the bug jalur.core.throttle fixed)."""

import datetime

import pytest
import time_machine
from django.core.cache import caches

from jalur.notifications import inbound

# 10:01 UTC: ten hours into the day's window, far from its end.
START = datetime.datetime(2030, 1, 15, 10, 1, tzinfo=datetime.UTC)


def _bad_delivery() -> tuple[int, dict]:
    body = b'{"id": "wa-1", "from": "+821012345678", "text": "TOLONG"}'
    meta = {
        inbound.TIMESTAMP_HEADER: str(int(START.timestamp())),
        inbound.SIGNATURE_HEADER: "sha256=" + "0" * 64,
    }
    return inbound.inbound_request(body=body, meta=meta, remote="203.0.113.9")


@pytest.mark.django_db
def test_the_days_refusals_are_still_counted_ten_minutes_later(settings):
    settings.JALUR_PHONE_GATEWAY_INBOUND_SECRET = "rahasia-gateway"
    assert "DatabaseCache" in caches["default"].__class__.__name__
    with time_machine.travel(START, tick=False) as clock:
        assert inbound.refused_count() == 0
        status, answer = _bad_delivery()
        assert (status, answer["ok"]) == (403, False)
        status, _answer = _bad_delivery()
        assert status == 403
        assert inbound.refused_count() == 2
        clock.shift(datetime.timedelta(minutes=10))  # past the database cache's default 300 s
        assert inbound.refused_count() == 2
        _bad_delivery()
        assert inbound.refused_count() == 3
        clock.shift(datetime.timedelta(hours=14))  # the next day's window starts afresh
        assert inbound.refused_count() == 0


@pytest.mark.django_db
def test_a_webhook_without_its_secret_counts_the_refusal_too(settings):
    settings.JALUR_PHONE_GATEWAY_INBOUND_SECRET = ""
    with time_machine.travel(START, tick=False):
        status, _answer = _bad_delivery()
        assert status == 503
        assert inbound.refused_count() == 1

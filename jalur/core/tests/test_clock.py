"""The moved clock of the root conftest (JALUR_TEST_TODAY=YYYY-MM-DD, CI's SQLite run): every way
the code reads the date sees that day, in the test's thread and in the live server's."""

import datetime
import email.utils
import os
import threading
import time
import urllib.request

import pytest
from django.urls import reverse
from django.utils import timezone

MOVED = os.environ.get("JALUR_TEST_TODAY", "").strip()

pytestmark = pytest.mark.skipif(
    not MOVED, reason="the clock is moved only with JALUR_TEST_TODAY=YYYY-MM-DD"
)


def _test_today() -> datetime.date:
    return datetime.date.fromisoformat(MOVED)


def test_every_clock_of_the_test_thread_shows_the_day():
    day = _test_today()
    assert timezone.localdate() == day
    assert datetime.date.today() == day
    assert timezone.now().date() == day  # 10:00 in Jakarta is the same date in UTC
    assert datetime.date.fromtimestamp(time.time()) == day


def test_another_thread_sees_the_same_day():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(timezone.localdate()))
    thread.start()
    thread.join()
    assert seen == [_test_today()]


def test_the_clock_ticks():
    before = timezone.now()
    time.sleep(0.01)
    assert timezone.now() > before


@pytest.mark.django_db(transaction=True)
def test_the_live_server_answers_on_the_day(live_server):
    """Its Date header comes from time.time() in the server's own thread."""
    with urllib.request.urlopen(live_server.url + reverse("accounts:login")) as response:
        sent = email.utils.parsedate_to_datetime(response.headers["Date"])
    assert sent.date() == _test_today()

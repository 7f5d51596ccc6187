"""Lock-out of one account guessed from many addresses (JALUR_LOGIN_FAILURES_PER_ACCOUNT)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jalur.accounts.roles import Role
from jalur.accounts.tests.factories import UserFactory

RIGHT = "rahasia-uji-123"  # noqa: S105 - the test fixtures' password
WRONG = "salah"  # noqa: S105


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 15 / 60
    settings.JALUR_LOGIN_FAILURES_PER_CLIENT = 30
    settings.JALUR_LOGIN_FAILURES_PER_ACCOUNT = 20
    settings.JALUR_TRUSTED_PROXIES = 0


def _try(client, username, password=WRONG, ip="10.0.0.9"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _address(n: int) -> str:
    return f"203.0.113.{n + 1}"


@pytest.mark.django_db
class TestAccountOverAllAddresses:
    def test_twenty_failures_from_twenty_addresses_lock_the_account_everywhere(
        self, axes_on, client, candidate_user
    ):
        other = UserFactory(username="tetangga", role=Role.CANDIDATE)
        # the phone, the user name and the e-mail are one account, whichever is typed
        typed = ("pencaker", "0812-3456-7890", candidate_user.email)
        for n in range(19):
            assert _try(client, typed[n % 3], ip=_address(n)).status_code == 200
        # one more guess reaches the limit: the lock is on from that answer
        assert _try(client, "pencaker", ip=_address(19)).status_code == 429
        # the right password from a 21st address is refused with the lock page
        locked = _try(client, "+62 812 3456 7890", RIGHT, ip=_address(20))
        page = locked.content.decode()
        assert locked.status_code == 429
        assert "Terlalu banyak percobaan" in page
        assert "_auth_user_id" not in client.session
        # another account logs in from one of the same addresses and from a fresh one
        assert _try(client, other.username, RIGHT, ip=_address(3)).status_code == 302
        client.post(reverse("accounts:logout"))
        assert _try(client, other.username, RIGHT, ip=_address(40)).status_code == 302

    def test_nineteen_do_not_lock_and_the_owner_gets_in(self, axes_on, client, candidate_user):
        for n in range(19):
            _try(client, "pencaker", ip=_address(n))
        assert _try(client, "pencaker", RIGHT, ip=_address(20)).status_code == 302

    def test_the_lock_page_says_the_time_left_of_the_account_lock(
        self, axes_on, client, candidate_user
    ):
        start = timezone.now()
        for n in range(20):
            with time_machine.travel(start + datetime.timedelta(seconds=n), tick=False):
                _try(client, "pencaker", ip=_address(n))
        with time_machine.travel(start + datetime.timedelta(minutes=9), tick=False):
            response = _try(client, "pencaker", RIGHT, ip=_address(30))
            page = response.content.decode()
        assert response.status_code == 429
        # the latest guess was at start + 19 s; 15 minutes after it is 6 minutes 19 s from now
        assert "Coba lagi 7 menit lagi" in page, page[page.find("<h1") :][:600]
        assert "15 menit" not in page

    def test_the_lock_ends_after_the_cool_off(self, axes_on, client, candidate_user):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            for n in range(20):
                _try(client, "pencaker", ip=_address(n))
        with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
            assert _try(client, "pencaker", RIGHT, ip=_address(30)).status_code == 302

"""Lock-outs per account (whichever identifier was typed) and per client over many accounts."""

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
    settings.JALUR_LOGIN_FAILURES_PER_CLIENT = 30
    settings.JALUR_TRUSTED_PROXIES = 0


def _try(client, username, password=WRONG, ip="10.0.0.9"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.django_db
class TestPerAccount:
    def test_user_name_phone_and_email_of_one_account_share_five_tries(
        self, axes_on, client, candidate_user
    ):
        for typed in ("pencaker", "PENCAKER", "0812-3456-7890", "+62 812 3456 7890"):
            assert _try(client, typed).status_code == 200
        assert _try(client, candidate_user.email.upper()).status_code == 429
        locked = _try(client, "pencaker", RIGHT)
        assert locked.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_a_strangers_guesses_do_not_lock_the_owner_out_elsewhere(
        self, axes_on, client, candidate_user
    ):
        for _ in range(6):
            _try(client, "0812 3456 7890", ip="203.0.113.5")
        assert _try(client, "pencaker", RIGHT, ip="198.51.100.7").status_code == 302

    def test_a_good_log_in_clears_the_accounts_count(self, axes_on, client, candidate_user):
        for _ in range(4):
            _try(client, "pencaker")
        assert _try(client, candidate_user.email, RIGHT).status_code == 302
        client.post(reverse("accounts:logout"))
        for _ in range(4):
            assert _try(client, "0812-3456-7890").status_code == 200


@pytest.mark.django_db
class TestPerClient:
    @pytest.fixture
    def ten(self, db):
        return [UserFactory(username=f"orang{n}", role=Role.CANDIDATE) for n in range(10)]

    def test_forty_failures_over_ten_accounts_lock_the_address(self, axes_on, client, ten):
        for user in ten:
            for _ in range(4):  # under each account's own limit
                _try(client, user.username)
        other = UserFactory(username="lain", role=Role.CANDIDATE)
        response = _try(client, other.username, RIGHT)
        assert response.status_code == 429
        assert "Terlalu banyak percobaan" in response.content.decode()
        # another address is not locked
        assert _try(client, other.username, RIGHT, ip="198.51.100.7").status_code == 302

    def test_the_attackers_own_good_log_in_does_not_reset_the_address(
        self, axes_on, client, ten, settings
    ):
        settings.JALUR_LOGIN_FAILURES_PER_CLIENT = 12
        own = UserFactory(username="milik-sendiri", role=Role.CANDIDATE)
        for user in ten[:3]:
            for _ in range(4):
                _try(client, user.username)
        # 12 failures: the address is locked even for the right password of its own account
        assert _try(client, own.username, RIGHT).status_code == 429


@pytest.mark.django_db
def test_the_lock_page_says_the_time_really_left(axes_on, client, candidate_user, settings):
    settings.AXES_COOLOFF_TIME = 15 / 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _try(client, "pencaker")
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        response = _try(client, "pencaker", RIGHT)
        page = response.content.decode()
    assert response.status_code == 429, page[-3000:]
    assert "Coba lagi 5 menit lagi" in page, page[page.find("<h1") :][:600]
    assert "15 menit" not in page

"""Sign-up and the NIK check tell nobody who is registered, and are limited per client."""

import time
from types import SimpleNamespace

import pytest
from django.urls import reverse

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.candidates.tests.factories import CandidateFactory
from jalur.candidates.tests.test_registration import create_account, identity_post, step_url
from jalur.candidates.views import signup
from jalur.candidates.views.registration import NIK_TRIES_PER_DAY
from jalur.core import throttle
from jalur.notifications.models import Notification


@pytest.mark.django_db
class TestTakenPhone:
    def test_a_taken_phone_gets_the_check_your_phone_page_and_the_owner_is_told(
        self, client, candidate_user
    ):
        response = create_account(client, phone="+62 812 3456 7890")
        page = response.content.decode()
        assert "Periksa HP atau e-mail Anda" in page and "sudah dipakai" not in page
        assert User.objects.filter(role=Role.CANDIDATE).count() == 1
        note = Notification.objects.get(user=candidate_user, key="signup_attempt")
        assert "masuk saja" in note.body
        assert "_auth_user_id" not in client.session

    def test_a_taken_email_too(self, client, candidate_user):
        response = create_account(client, phone="", email=candidate_user.email.upper())
        assert "Periksa HP atau e-mail Anda" in response.content.decode()
        assert Notification.objects.filter(user=candidate_user, key="signup_attempt").exists()


@pytest.fixture
def one_minute(monkeypatch):
    """The throttle's clock held one second into a minute, so a test's tries share one window."""
    start = time.time() // 60 * 60 + 1
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: start))


@pytest.mark.django_db
class TestSignUpLimits:
    @pytest.fixture(autouse=True)
    def no_minute_limit(self, monkeypatch):
        """The day's limits, with the limit on a burst (below) out of their way."""
        monkeypatch.setattr(signup, "SIGNUPS_PER_CLIENT_PER_MINUTE", 100)

    def test_the_days_sign_ups_from_one_address_are_limited(self, client, monkeypatch):
        monkeypatch.setattr(signup, "SIGNUPS_PER_CLIENT_PER_DAY", 5)
        for n in range(5):
            response = create_account(client, phone=f"0812-3456-70{n:02d}")
            assert response.status_code == 302
            client.logout()
        sixth = create_account(client, phone="0812-3456-7099")
        assert "Terlalu banyak pendaftaran" in sixth.content.decode()
        assert User.objects.filter(role=Role.CANDIDATE).count() == 5
        other = client.post(
            reverse("candidates:register_start"),
            {
                "full_name": "Dewi",
                "phone": "0812-3456-7098",
                "password": "rahasia-uji-123",
                "password_again": "rahasia-uji-123",
            },
            REMOTE_ADDR="198.51.100.7",
        )
        assert other.status_code == 302

    def test_taken_answers_count_against_the_day_too(self, client, candidate_user, monkeypatch):
        monkeypatch.setattr(signup, "SIGNUPS_PER_CLIENT_PER_DAY", 5)
        for _ in range(5):
            create_account(client, phone="0812-3456-7890")
        response = create_account(client, phone="0812-3456-7001")
        assert "Terlalu banyak pendaftaran" in response.content.decode()

    def test_people_behind_one_carrier_address_are_not_stopped_at_five(self, client):
        """Opening day: many people reach Jalur through one mobile carrier address (CGNAT)."""
        for n in range(6):
            assert create_account(client, phone=f"0812-3456-70{n:02d}").status_code == 302
            client.logout()

    def test_one_phone_is_signed_up_at_most_three_times_a_day_from_any_address(self, client):
        def sign_up(address, phone="0812 3456 7077"):
            data = {
                "full_name": "Siti Rahmawati",
                "phone": phone,
                "password": "rahasia-uji-123",
                "password_again": "rahasia-uji-123",
            }
            return client.post(reverse("candidates:register_start"), data, REMOTE_ADDR=address)

        assert sign_up("198.51.100.1").status_code == 302
        client.logout()
        for address in ("198.51.100.2", "198.51.100.3"):  # taken now: the owner is told
            assert "Periksa HP atau e-mail Anda" in sign_up(address).content.decode()
        # written another way, from yet another address: the same number
        fourth = sign_up("198.51.100.4", phone="+62 812-3456-7077").content.decode()
        assert "sudah beberapa kali dipakai untuk mendaftar hari ini" in fourth
        assert sign_up("198.51.100.4", phone="0812-3456-7078").status_code == 302


@pytest.mark.django_db
def test_a_burst_of_sign_ups_from_one_address_waits_a_minute(client, one_minute, monkeypatch):
    # given a client allowed many sign-ups a day, which sends five within one minute
    monkeypatch.setattr(signup, "SIGNUPS_PER_CLIENT_PER_DAY", 100)
    for n in range(signup.SIGNUPS_PER_CLIENT_PER_MINUTE):
        assert create_account(client, phone=f"0812-3456-70{n:02d}").status_code == 302
        client.logout()
    # when it sends one more in the same minute
    sixth = create_account(client, phone="0812-3456-7099")
    # then no password is hashed for it: it is told to wait a minute, with what it typed kept
    assert sixth.status_code == 429 and sixth["Retry-After"] == "60"
    page = sixth.content.decode()
    assert "dalam satu menit" in page and "Siti Rahmawati" in page
    assert User.objects.filter(role=Role.CANDIDATE).count() == signup.SIGNUPS_PER_CLIENT_PER_MINUTE
    # and someone at another address signs up meanwhile
    other = client.post(
        reverse("candidates:register_start"),
        {
            "full_name": "Dewi",
            "phone": "0812-3456-7098",
            "password": "rahasia-uji-123",
            "password_again": "rahasia-uji-123",
        },
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.status_code == 302


@pytest.mark.django_db
class TestNikCheck:
    def _try(self, client, other):
        post = {**identity_post(), "nik": other.nik, "sex": other.sex, "birth_date": "1998-05-17"}
        return client.post(step_url("identitas"), post).content.decode()

    def test_fresh_accounts_from_one_address_share_the_nik_limit(self, client):
        """Four throwaway accounts used to confirm twelve NIKs: now three per address."""
        others = [CandidateFactory() for _ in range(4)]
        for n, other in enumerate(others[:3]):
            create_account(client, phone=f"0812-3456-70{n:02d}")
            assert "NIK ini sudah terdaftar di Jalur" in self._try(client, other)
            client.logout()
        create_account(client, phone="0812-3456-7050")
        page = self._try(client, others[3])
        assert "tidak bisa dicoba lagi" in page and "sudah terdaftar di Jalur" not in page

    def test_one_nik_is_tried_a_limited_number_of_times_by_anyone(self, client, settings):
        other = CandidateFactory()
        for n in range(NIK_TRIES_PER_DAY):
            create_account(client, phone=f"0812-3456-71{n:02d}")
            self._try(client, other)
            client.logout()
            client.defaults["REMOTE_ADDR"] = f"10.1.0.{n + 1}"  # a new address each time
        create_account(client, phone="0812-3456-7199")
        assert "tidak bisa dicoba lagi" in self._try(client, other)

"""A worker abroad logs in, and resets a forgotten password, with their number there or the
Indonesian one; the number abroad counts only while they are abroad."""

import re

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from jalur.accounts.backends import login_identity
from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory

PASSWORD = "rahasia-uji-123"
KOREA = "+821012345678"


@pytest.fixture
def worker(candidate_user):
    candidate_user.email = None
    candidate_user.save()
    return CandidateFactory(
        user=candidate_user, phone="+6281234567890", stage=Stage.DEPARTED, phone_abroad=KOREA
    )


def _log_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


@pytest.mark.django_db
class TestLogIn:
    @pytest.mark.parametrize(
        "typed", ["+82 10-1234-5678", "+82 010 1234 5678", "0082-10-1234-5678", "+821012345678"]
    )
    def test_the_worker_logs_in_with_the_korean_number_however_it_is_written(
        self, client, worker, typed
    ):
        response = _log_in(client, typed)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(worker.user.pk)

    def test_and_with_the_indonesian_number(self, client, worker):
        assert _log_in(client, "0812-3456-7890").status_code == 302
        assert client.session["_auth_user_id"] == str(worker.user.pk)

    def test_a_japanese_number(self, client, worker):
        Candidate.objects.filter(pk=worker.pk).update(phone_abroad="+819012345678")
        assert authenticate(username="+81 90-1234-5678", password=PASSWORD) == worker.user

    def test_a_wrong_password_with_the_korean_number_is_refused(self, client, worker):
        assert _log_in(client, "+82 10-1234-5678", "salah").status_code == 200
        assert "_auth_user_id" not in client.session

    def test_once_back_home_the_number_abroad_no_longer_logs_in(self, worker):
        Candidate.objects.filter(pk=worker.pk).update(stage=Stage.RETURNED)
        assert authenticate(username="+82 10-1234-5678", password=PASSWORD) is None
        assert authenticate(username="0812 3456 7890", password=PASSWORD) == worker.user

    def test_without_the_country_code_it_is_read_as_an_indonesian_number(self, worker):
        # 82 10… without + is the Indonesian 0821-0… : not this worker
        assert authenticate(username="82 1012 3456 78", password=PASSWORD) is None

    def test_the_lock_out_counts_both_numbers_as_one_account(self, client, worker, settings):
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 3
        key = f"akun:{worker.user.pk}"
        assert login_identity(None, {"username": "+82 10-1234-5678"}) == key
        for typed in ("+82 10-1234-5678", "0812-3456-7890", "0082 10 1234 5678"):
            _log_in(client, typed, "salah")
        assert _log_in(client, "+82 10 1234 5678").status_code == 429
        assert _log_in(client, "0812 3456 7890").status_code == 429

    def test_an_unknown_foreign_number_is_counted_as_typed(self, worker):
        assert login_identity(None, {"username": "+81 90 9999 0000"}) == "+819099990000"


@pytest.mark.django_db
class TestPasswordResetByTheNumberAbroad:
    def test_the_link_goes_to_the_korean_number_and_sets_a_new_password(
        self, client, worker, phone_outbox
    ):
        response = client.post(reverse("accounts:password_reset"), {"email": "+82 10-1234-5678"})
        assert response.url == reverse("accounts:password_reset_done") + "?lewat=hp"
        [(number, text)] = phone_outbox
        assert number == KOREA
        link = re.search(r"https?://[^/]+(/\S+)", text).group(1)
        form_url = client.get(link).url
        new = "Seoul-Baru-2026!"
        client.post(form_url, {"new_password1": new, "new_password2": new})
        assert authenticate(username="+82 10 1234 5678", password=new) == worker.user
        assert AuditLog.objects.filter(
            action="auth.password_reset_sent", object_id=str(worker.user.pk)
        ).exists()

    def test_the_indonesian_number_still_gets_its_own_link(self, client, worker, phone_outbox):
        client.post(reverse("accounts:password_reset"), {"email": "0812-3456-7890"})
        assert [number for number, _text in phone_outbox] == ["+6281234567890"]

    def test_a_returned_workers_old_number_abroad_gets_nothing(self, client, worker, phone_outbox):
        Candidate.objects.filter(pk=worker.pk).update(stage=Stage.RETURNED)
        response = client.post(reverse("accounts:password_reset"), {"email": "+82 10-1234-5678"})
        assert response.status_code == 302  # the same page as for any number
        assert phone_outbox == []

    def test_a_fixed_line_is_refused_with_an_example(self, client, worker, phone_outbox):
        response = client.post(reverse("accounts:password_reset"), {"email": "+82 2-123-4567"})
        assert response.status_code == 200
        assert "+82 10 1234 5678" in response.context["form"].errors["email"][0]
        assert phone_outbox == []

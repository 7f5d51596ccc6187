"""With JALUR_SIGNUP_CONFIRM a sign-up answers the same whether or not its phone or e-mail has an
account (issue 16): both wait for a code; only a new one gets a code that works."""

import re

import pytest
from django.urls import reverse

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.candidates.tests.test_registration import PASSWORD, create_account
from jalur.notifications.models import Notification, OutboxMessage


@pytest.fixture
def confirm_on(settings, phone_outbox):
    settings.JALUR_SIGNUP_CONFIRM = True


def _code_sent_to(recipient: str) -> str:
    message = OutboxMessage.objects.filter(recipient=recipient).latest("pk")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def _answer(client, follow=True):
    response = create_account(client, phone="0812-3456-7001")
    assert response.status_code == 302 and response["Location"] == reverse(
        "candidates:register_confirm"
    )
    page = client.get(response["Location"])
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
    return page.status_code, html


@pytest.mark.django_db
def test_a_new_and_a_taken_phone_get_the_same_answer(client, confirm_on, candidate_user):
    candidate_user.phone = "+6281234567001"
    candidate_user.save()
    taken = _answer(client)
    client.cookies.clear()
    candidate_user.phone = "+6281299999999"
    candidate_user.save()
    new = _answer(client)
    assert taken == new  # status and page, word for word
    assert "…7001" in new[1] and "Periksa HP atau e-mail Anda" in new[1]


@pytest.mark.django_db
def test_a_new_phone_gets_its_code_and_the_right_code_makes_the_account(client, confirm_on):
    _answer(client)
    assert not User.objects.filter(phone="+6281234567001").exists()
    assert "_auth_user_id" not in client.session
    code = _code_sent_to("+6281234567001")
    wrong = client.post(
        reverse("candidates:register_confirm"), {"code": "000000" if code != "000000" else "111111"}
    )
    assert "Kode salah" in wrong.content.decode()
    done = client.post(reverse("candidates:register_confirm"), {"code": code})
    assert done.status_code == 302
    assert done["Location"] == reverse("candidates:register_step", args=["identitas"])
    user = User.objects.get(phone="+6281234567001")
    assert user.role == Role.CANDIDATE and user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_taken_phone_gets_no_code_no_account_and_its_owner_is_told(
    client, confirm_on, candidate_user
):
    candidate_user.phone = "+6281234567001"
    candidate_user.save()
    _answer(client)
    assert not OutboxMessage.objects.filter(
        recipient="+6281234567001", body__contains="Kode pendaftaran"
    ).exists()
    assert Notification.objects.filter(user=candidate_user, key="signup_attempt").exists()
    for guess in ("123456", "654321"):
        page = client.post(reverse("candidates:register_confirm"), {"code": guess})
        assert "Kode salah" in page.content.decode()
    assert User.objects.filter(role=Role.CANDIDATE).count() == 1


@pytest.mark.django_db
def test_five_wrong_codes_end_the_sign_up(client, confirm_on):
    _answer(client)
    code = _code_sent_to("+6281234567001")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(reverse("candidates:register_confirm"), {"code": wrong})
    late = client.post(reverse("candidates:register_confirm"), {"code": code}, follow=True)
    assert "Isi pendaftaran sekali lagi" in late.content.decode()
    assert not User.objects.filter(phone="+6281234567001").exists()


@pytest.mark.django_db
def test_without_a_phone_gateway_a_phone_sign_up_logs_straight_in(client, settings):
    settings.JALUR_SIGNUP_CONFIRM = True
    settings.JALUR_PHONE_GATEWAY = ""
    response = create_account(client)
    assert response["Location"] == reverse("candidates:register_step", args=["identitas"])


@pytest.mark.django_db
def test_an_e_mail_sign_up_gets_its_code_by_e_mail(client, settings):
    settings.JALUR_SIGNUP_CONFIRM = True
    response = create_account(client, phone="", email="siti@contoh.id")
    assert response["Location"] == reverse("candidates:register_confirm")
    code = _code_sent_to("siti@contoh.id")
    client.post(reverse("candidates:register_confirm"), {"code": code})
    assert User.objects.filter(email="siti@contoh.id").exists()

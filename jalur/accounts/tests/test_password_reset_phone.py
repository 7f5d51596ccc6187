"""A forgotten password, reset from the phone number the account logs in with (WhatsApp or SMS)."""

import re

import pytest
from django.urls import reverse

from jalur.audit.models import AuditLog

PHONE = "+6281234567890"
NEW = "Serang-Baru-2026!"


@pytest.fixture
def phone_only(candidate_user):
    candidate_user.email = None
    candidate_user.set_password("rahasia-uji-123")
    candidate_user.save()
    return candidate_user


def _ask(client, account):
    return client.post(reverse("accounts:password_reset"), {"email": account})


@pytest.mark.django_db
class TestWithAGateway:
    def test_the_link_goes_to_whatsapp_and_sets_a_new_password(
        self, client, phone_only, phone_outbox
    ):
        response = _ask(client, "0812-3456-7890")
        assert response.url == reverse("accounts:password_reset_done") + "?lewat=hp"
        [(number, text)] = phone_outbox
        assert number == PHONE and text.startswith("Jalur: kata sandi baru")
        done = client.get(response.url).content.decode()
        assert "Periksa pesan di HP Anda" in done and "WhatsApp" in done

        link = re.search(r"https?://[^/]+(/\S+)", text).group(1)
        form_url = client.get(link).url
        client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
        assert client.login(username="0812 3456 7890", password=NEW)

        sent = AuditLog.objects.get(action="auth.password_reset_sent")
        assert sent.actor is None and sent.object_id == str(phone_only.pk)
        assert sent.changes == {"lewat": "whatsapp"} and link not in str(sent.changes)
        assert AuditLog.objects.filter(action="auth.password_reset", actor=phone_only).exists()

    def test_the_message_is_in_the_persons_language(self, client, phone_only, phone_outbox):
        phone_only.language = "en"
        phone_only.save()
        _ask(client, "+62 812 3456 7890")
        assert phone_outbox[0][1].startswith("Jalur: new password")

    def test_an_unknown_number_looks_the_same_and_sends_nothing(
        self, client, phone_only, phone_outbox
    ):
        response = _ask(client, "0813-9999-0000")
        assert response.url.endswith("?lewat=hp")
        assert phone_outbox == []
        assert not AuditLog.objects.filter(action="auth.password_reset_sent").exists()

    def test_a_number_gets_at_most_three_links_an_hour_and_the_fourth_is_told_to_wait(
        self, client, phone_only, phone_outbox
    ):
        for _ in range(3):
            assert _ask(client, "081234567890").status_code == 302
        fourth = _ask(client, "+62 812-3456-7890")  # however it is written
        assert fourth.status_code == 200
        assert "satu jam lagi" in fourth.context["form"].errors["email"][0]
        assert len(phone_outbox) == 3
        # an unregistered number is told the same: the wait says nothing about who is registered
        for _ in range(3):
            _ask(client, "0813-9999-0000")
        assert "satu jam lagi" in _ask(client, "0813-9999-0000").content.decode()

    def test_send_again_comes_back_with_the_number_typed(self, client, phone_only, phone_outbox):
        _ask(client, "0812-3456-7890")
        page = client.get(reverse("accounts:password_reset"))
        assert page.context["form"]["email"].value() == "0812-3456-7890"

    def test_a_mistyped_number_is_refused_with_an_example(self, client, phone_only, phone_outbox):
        response = _ask(client, "12345")
        assert response.status_code == 200
        assert "0812 3456 7890" in response.context["form"].errors["email"][0]
        assert phone_outbox == []

    def test_one_connection_cannot_ask_without_end(self, client, phone_only, phone_outbox):
        for _ in range(20):
            _ask(client, "0813-9999-0000")
        response = _ask(client, "081234567890")
        assert response.status_code == 200
        assert "Terlalu banyak permintaan" in response.content.decode()
        assert phone_outbox == []

    def test_e_mail_still_works_beside_it(self, client, manager, phone_outbox, mailoutbox):
        response = _ask(client, manager.email)
        assert response.url == reverse("accounts:password_reset_done")
        assert len(mailoutbox) == 1 and phone_outbox == []

    def test_a_gateway_that_refuses_leaves_no_trace_of_a_sent_link(
        self, client, phone_only, settings
    ):
        settings.JALUR_PHONE_GATEWAY = "http"
        settings.JALUR_PHONE_GATEWAY_OPTIONS = {"url": "http://127.0.0.1:9/send", "timeout": 2}
        response = _ask(client, "081234567890")
        assert response.status_code == 302  # the same page: whether the account exists stays hidden
        assert not AuditLog.objects.filter(action="auth.password_reset_sent").exists()


@pytest.mark.django_db
def test_without_a_gateway_a_number_is_sent_to_the_desk(client, phone_only):
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert "meja pendaftaran" in page
    response = _ask(client, "081234567890")
    assert response.status_code == 200
    error = response.context["form"].errors["email"][0]
    assert "meja pendaftaran" in error and "e-mail" in error


@pytest.mark.django_db
def test_an_incomplete_e_mail_says_what_is_missing(client):
    response = _ask(client, "siti@")
    assert "tidak lengkap" in response.context["form"].errors["email"][0]


@pytest.mark.django_db
def test_the_profile_stops_sending_a_phone_only_account_to_the_office_once_phones_work(
    client_for, phone_only, settings
):
    client = client_for(phone_only)
    assert "belum punya e-mail" in client.get(reverse("accounts:profile")).content.decode()
    settings.JALUR_PHONE_GATEWAY = "memory"
    assert "belum punya e-mail" not in client.get(reverse("accounts:profile")).content.decode()

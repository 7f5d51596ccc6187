import pytest
from django.urls import reverse

from jalur.audit.models import AuditLog


@pytest.mark.django_db
class TestLogin:
    def test_a_candidate_logs_in_with_a_phone_number_in_any_format(self, client, candidate_user):
        response = client.post(
            reverse("accounts:login"), {"username": "0812-3456-7890", "password": "rahasia-uji-123"}
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(candidate_user.pk)

    def test_a_user_logs_in_with_an_email(self, client, manager):
        response = client.post(
            reverse("accounts:login"),
            {"username": manager.email.upper(), "password": "rahasia-uji-123"},
        )
        assert response.status_code == 302

    def test_a_wrong_password_gets_a_message_in_indonesian(self, client, manager):
        response = client.post(
            reverse("accounts:login"), {"username": "manajer", "password": "salah"}
        )
        assert response.status_code == 200
        assert "kata sandi salah" in response.content.decode()

    def test_login_and_logout_are_audited(self, client, manager):
        client.post(
            reverse("accounts:login"), {"username": "manajer", "password": "rahasia-uji-123"}
        )
        client.post(reverse("accounts:logout"))
        actions = list(AuditLog.objects.filter(actor=manager).values_list("action", flat=True))
        assert "auth.login" in actions and "auth.logout" in actions

    def test_repeated_failures_lock_the_account_with_a_clear_message(
        self, client, manager, settings
    ):
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 3
        for _ in range(3):
            client.post(
                reverse("accounts:login"),
                {"username": "manajer", "password": "salah"},
                REMOTE_ADDR="10.0.0.9",
            )
        response = client.post(
            reverse("accounts:login"),
            {"username": "manajer", "password": "rahasia-uji-123"},
            REMOTE_ADDR="10.0.0.9",
        )
        assert response.status_code == 429
        assert "Terlalu banyak percobaan" in response.content.decode()
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_mail_goes_out_in_indonesian(client, manager, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": manager.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "kata sandi baru" in mailoutbox[0].body


@pytest.mark.django_db
def test_the_profile_page_changes_the_interface_language(client_for, manager):
    client = client_for(manager)
    response = client.post(reverse("accounts:profile"), {"language": "en"})
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.language == "en"
    assert AuditLog.objects.filter(action="user.set_language", object_id=str(manager.pk)).exists()

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

    def test_the_lock_out_counts_the_account_however_its_phone_is_written(
        self, client, candidate_user, settings
    ):
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 3
        for spelling in ("081234567890", "+62 812-3456-7890", "(0812) 3456 7890", "6281234567890"):
            client.post(reverse("accounts:login"), {"username": spelling, "password": "salah"})
        response = client.post(
            reverse("accounts:login"),
            {"username": "0812.3456.7890", "password": "rahasia-uji-123"},
        )
        assert response.status_code == 429

    def test_behind_the_citys_proxy_each_client_is_counted_apart(self, client, manager, settings):
        """nginx connects from 127.0.0.1 and appends the client to X-Forwarded-For: one stranger's
        failures must not lock out the officer logging in from the office."""
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 3
        settings.JALUR_TRUSTED_PROXIES = 1
        url = reverse("accounts:login")
        for _ in range(4):
            client.post(
                url,
                {"username": "manajer", "password": "salah"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9",  # the first part is the stranger's own
            )
        office = client.post(
            url,
            {"username": "manajer", "password": "rahasia-uji-123"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
        assert office.status_code == 302


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


@pytest.mark.django_db
class TestOwnEmail:
    """A person who registered with a phone only adds an e-mail, so they can reset a forgotten
    password themselves (from abroad too) instead of only at the office."""

    @pytest.fixture(autouse=True)
    def _phone_only(self, candidate_user):
        candidate_user.email = None
        candidate_user.save()

    def test_a_phone_only_account_is_told_and_adds_an_email(self, client_for, candidate_user):
        client = client_for(candidate_user)
        page = client.get(reverse("accounts:profile")).content.decode()
        assert "belum punya e-mail" in page
        response = client.post(
            reverse("accounts:profile"), {"email": "Siti@Contoh.ID", "language": "id"}
        )
        assert response.status_code == 302
        candidate_user.refresh_from_db()
        assert candidate_user.email == "siti@contoh.id"
        log = AuditLog.objects.get(action="user.update", object_id=str(candidate_user.pk))
        assert log.actor == candidate_user and log.changes["email"] == [None, "siti@contoh.id"]

    def test_an_email_another_log_in_uses_is_refused_beside_the_field(
        self, client_for, candidate_user, manager
    ):
        response = client_for(candidate_user).post(
            reverse("accounts:profile"), {"email": manager.email.upper(), "language": "id"}
        )
        assert response.status_code == 200
        assert "sudah dipakai akun lain" in response.context["form"].errors["email"][0]
        candidate_user.refresh_from_db()
        assert candidate_user.email is None

    def test_the_added_email_resets_the_password(
        self, client, client_for, candidate_user, mailoutbox
    ):
        client_for(candidate_user).post(
            reverse("accounts:profile"), {"email": "siti@contoh.id", "language": "id"}
        )
        client.post(reverse("accounts:password_reset"), {"email": "siti@contoh.id"})
        assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_changing_and_resetting_a_password_are_audited(client, client_for, manager, mailoutbox):
    import re

    client_for(manager).post(
        reverse("accounts:password_change"),
        {
            "old_password": "rahasia-uji-123",
            "new_password1": "Serang-Baru-2026!",
            "new_password2": "Serang-Baru-2026!",
        },
    )
    assert AuditLog.objects.filter(action="auth.password_change", actor=manager).exists()
    client.post(reverse("accounts:password_reset"), {"email": manager.email})
    link = re.search(r"https?://[^/]+(/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session-held one
    client.post(
        form_url, {"new_password1": "Serang-Lagi-2026!", "new_password2": "Serang-Lagi-2026!"}
    )
    assert AuditLog.objects.filter(action="auth.password_reset", actor=manager).exists()
    entry = AuditLog.objects.get(action="auth.password_reset")
    assert "Serang-Lagi" not in str(entry.changes)


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_beside_the_field_it_was_typed_in(client_for, manager):
    response = client_for(manager).post(
        reverse("accounts:password_change"),
        {"old_password": "rahasia-uji-123", "new_password1": "abc", "new_password2": "abc"},
    )
    form = response.context["form"]
    assert form.errors.get("new_password1") and not form.errors.get("new_password2")
    assert form.fields["new_password2"].label == "Ulangi kata sandi baru"
    mismatch = client_for(manager).post(
        reverse("accounts:password_change"),
        {
            "old_password": "rahasia-uji-123",
            "new_password1": "Serang-Baru-2026!",
            "new_password2": "Serang-Baru-2027!",
        },
    )
    assert "Kata sandi yang diulang tidak sama" in mismatch.content.decode()

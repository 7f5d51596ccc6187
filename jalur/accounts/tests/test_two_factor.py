"""Two-step log-in for the roles that see identities, and for /admin/."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalur.accounts import two_factor
from jalur.audit.models import AuditLog
from jalur.notifications.models import Notification

PASSWORD = "rahasia-uji-123"  # noqa: S105 - the fixtures' password


def _log_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _enrol(client, user) -> list[str]:
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"code": _code(device)})
    assert response.status_code == 200
    return response.context["codes"]


@pytest.mark.django_db
class TestEnforced:
    def test_a_verifier_is_sent_to_enrolment_then_sees_pages(self, two_factor_on, client, verifier):
        _log_in(client, "verifikator")
        response = client.get(reverse("candidates:queue"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_setup"))
        page = client.get(reverse("accounts:otp_setup")).content.decode()
        assert "data:image/svg+xml" in page and "otpauth" not in page  # the QR, drawn here
        codes = _enrol(client, verifier)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert client.get(reverse("candidates:queue")).status_code == 200
        assert AuditLog.objects.filter(action="auth.2fa_enrol", object_id=str(verifier.pk)).exists()

    def test_a_wrong_code_does_not_enrol(self, two_factor_on, client, verifier):
        _log_in(client, "verifikator")
        client.get(reverse("accounts:otp_setup"))
        response = client.post(reverse("accounts:otp_setup"), {"code": "000000"})
        assert "Kode tidak cocok" in response.content.decode()
        assert not two_factor.enrolled(verifier)

    def test_a_later_log_in_asks_for_the_code(self, two_factor_on, client, verifier):
        _log_in(client, "verifikator")
        _enrol(client, verifier)
        client.post(reverse("accounts:logout"))
        _log_in(client, "verifikator")
        response = client.get(reverse("candidates:queue"))
        assert response["Location"].startswith(reverse("accounts:otp_verify"))
        # enrolling a second app with only the password is refused
        assert client.get(reverse("accounts:otp_setup"))["Location"] == reverse(
            "accounts:otp_verify"
        )
        wrong = client.post(reverse("accounts:otp_verify"), {"code": "123456"})
        assert "Kode salah" in wrong.content.decode()
        device = TOTPDevice.objects.get(user=verifier)
        device.throttling_failure_count = 0  # django_otp's wait after a wrong code
        device.throttling_failure_timestamp = None
        device.last_t = -1  # the code used for enrolment may be the current one
        device.save()
        ok = client.post(
            reverse("accounts:otp_verify"),
            {"code": _code(device), "next": reverse("candidates:queue")},
        )
        assert ok["Location"] == reverse("candidates:queue")
        assert client.get(reverse("candidates:queue")).status_code == 200

    def test_a_recovery_code_works_once(self, two_factor_on, client, verifier):
        _log_in(client, "verifikator")
        codes = _enrol(client, verifier)
        client.post(reverse("accounts:logout"))
        _log_in(client, "verifikator")
        response = client.post(reverse("accounts:otp_verify"), {"code": codes[0].upper()})
        assert response.status_code == 302
        assert StaticToken.objects.filter(device__user=verifier).count() == 9
        client.post(reverse("accounts:logout"))
        _log_in(client, "verifikator")
        again = client.post(reverse("accounts:otp_verify"), {"code": codes[0]})
        assert again.status_code == 200 and "sudah dipakai" in again.content.decode()
        log = AuditLog.objects.filter(action="auth.2fa_verify").latest("pk")
        assert log.changes == {"cara": "kode pemulihan"}

    def test_new_recovery_codes_replace_the_old(self, two_factor_on, client, verifier):
        _log_in(client, "verifikator")
        old = _enrol(client, verifier)
        response = client.post(reverse("accounts:otp_recovery_codes"))
        new = response.context["codes"]
        assert len(new) == 10 and not set(old) & set(new)
        assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)

    def test_admin_refuses_a_session_without_the_code(self, two_factor_on, client, sysadmin):
        _log_in(client, "admin")
        response = client.get("/admin/")
        assert response.status_code == 302
        assert reverse("accounts:otp_setup") in response["Location"]

    def test_agency_staff_need_it_and_leadership_do_not(self, two_factor_on, client, agent, office):
        from jalur.accounts.roles import Role
        from jalur.accounts.tests.factories import UserFactory

        _log_in(client, "p3mi")
        assert client.get(reverse("core:home")).status_code == 302
        client.post(reverse("accounts:logout"))
        UserFactory(username="pimpinan", role=Role.LEADERSHIP, organisation=office)
        _log_in(client, "pimpinan")
        assert client.get(reverse("core:home")).status_code == 200

    def test_a_job_seeker_is_never_asked(self, two_factor_on, client, candidate_user):
        _log_in(client, "pencaker")
        assert client.get(reverse("accounts:profile")).status_code == 200

    def test_the_fixture_gives_a_verified_session(self, two_factor_on, client_for, verifier):
        assert client_for(verifier).get(reverse("candidates:queue")).status_code == 200


@pytest.mark.django_db
class TestReset:
    def test_the_sysadmin_resets_a_lost_phone_audited_and_the_person_told(
        self, two_factor_on, client_for, sysadmin, verifier
    ):
        two_factor.confirmed_device(verifier)
        client = client_for(sysadmin)
        empty = client.post(reverse("accounts:otp_reset", args=[verifier.pk]), {"reason": ""})
        assert "Tulis alasannya" in empty.content.decode()
        assert two_factor.enrolled(verifier)
        response = client.post(
            reverse("accounts:otp_reset", args=[verifier.pk]),
            {"reason": "HP hilang; datang sendiri, KTP dilihat"},
        )
        assert response.status_code == 302
        assert not two_factor.enrolled(verifier)
        log = AuditLog.objects.get(action="auth.2fa_reset", object_id=str(verifier.pk))
        assert log.actor == sysadmin and "KTP" in log.reason
        assert Notification.objects.filter(user=verifier, key="two_factor_reset").exists()

    def test_no_one_else_may_reset(self, client_for, manager, verifier):
        response = client_for(manager).post(
            reverse("accounts:otp_reset", args=[verifier.pk]), {"reason": "x"}
        )
        assert response.status_code == 403

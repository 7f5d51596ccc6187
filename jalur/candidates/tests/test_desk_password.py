"""The registration desk prints a new password only for someone who never logged in, or after an
identity check it records; the person is always told on their other channels."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.notifications.models import Notification


def _slip(client, candidate, data=None):
    return client.post(reverse("candidates:login_slip", args=[candidate.pk]), data or {})


@pytest.mark.django_db
class TestDeskPassword:
    def test_someone_who_never_logged_in_gets_a_slip_at_once(
        self, client_for, officer, registering
    ):
        response = _slip(client_for(officer), registering)
        assert response.context["password"]

    def test_someone_who_logged_in_needs_a_recorded_identity_check(
        self, client_for, officer, registering
    ):
        client = client_for(officer)
        first = _slip(client, registering).context["password"]
        user = registering.user
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
        asked = _slip(client, registering)
        assert "password" not in asked.context
        assert "Periksa identitas dulu" in asked.content.decode()
        half = _slip(client, registering, {"ktp_seen": "on", "reason": "lupa"})
        assert "Cocokkan NIK" in half.content.decode()
        assert Client().login(username=user.username, password=first)  # unchanged
        done = _slip(
            client,
            registering,
            {"ktp_seen": "on", "nik_matches": "on", "reason": "lupa kata sandi, tanpa e-mail"},
        )
        password = done.context["password"]
        assert Client().login(username=user.username, password=password)
        log = AuditLog.objects.filter(action="candidate.login_issue").latest("pk")
        assert log.actor == officer and "tanpa e-mail" in log.reason
        assert "KTP" in log.changes["pemeriksaan_identitas"]

    def test_the_person_is_told_with_the_office_not_the_officer(
        self, client_for, officer, registering
    ):
        client = client_for(officer)
        _slip(client, registering)
        registering.user.last_login = timezone.now()
        registering.user.save(update_fields=["last_login"])
        _slip(client, registering, {"ktp_seen": "on", "nik_matches": "on", "reason": "lupa"})
        note = Notification.objects.filter(user=registering.user, key="password_reset_desk").latest(
            "pk"
        )
        assert officer.organisation.name in note.body
        assert officer.get_full_name() not in note.body

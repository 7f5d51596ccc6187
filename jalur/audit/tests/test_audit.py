import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.audit.services import audit_access, audit_record, diff, snapshot


@pytest.mark.django_db
class TestAppendOnly:
    def test_a_saved_row_cannot_be_saved_again(self, manager):
        row = audit_record(actor=manager, action="x", target=manager)
        row.action = "y"
        with pytest.raises(PermissionError):
            row.save()

    def test_rows_cannot_be_deleted_one_by_one_or_in_bulk(self, manager):
        row = audit_record(actor=manager, action="x", target=manager)
        with pytest.raises(PermissionError):
            row.delete()
        with pytest.raises(PermissionError):
            AuditLog.objects.all().delete()
        with pytest.raises(PermissionError):
            AuditLog.objects.update(action="z")
        assert AuditLog.objects.filter(pk=row.pk, action="x").exists()


@pytest.mark.django_db
def test_a_row_written_in_a_rolled_back_transaction_disappears_with_the_change(manager):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=manager, action="x", target=manager)
        raise RuntimeError
    assert not AuditLog.objects.filter(action="x").exists()


@pytest.mark.django_db
def test_web_requests_record_ip_and_user_agent(client, manager):
    client.post(
        reverse("accounts:login"),
        {"username": "manajer", "password": "rahasia-uji-123"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10)",
    )
    row = AuditLog.objects.get(action="auth.login")
    assert row.ip_address == "203.0.113.7"
    assert "Android" in row.user_agent


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


@pytest.mark.django_db
def test_snapshot_is_json_safe(manager):
    data = snapshot(manager)
    assert isinstance(data["date_joined"], str)
    assert data["organisation_id"] == manager.organisation_id


@pytest.mark.django_db
def test_reads_of_personal_data_are_logged_as_views(manager):
    audit_access(
        actor=manager, action="candidate.document.view", target=manager, detail={"document": 3}
    )
    row = AuditLog.objects.get(action="candidate.document.view")
    assert row.kind == AuditLog.Kind.VIEW


@pytest.mark.django_db
class TestAuditSearch:
    def test_managers_and_admins_may_search_others_may_not(self, client_for, role_users, client):
        url = reverse("audit:list")
        for role, user in role_users.items():
            status = client_for(user).get(url).status_code
            assert status == (200 if role in {"sysadmin", "programme_manager"} else 403), role
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    def test_it_filters_by_actor_object_and_date(self, client_for, manager, verifier):
        audit_record(
            actor=verifier, action="candidate.verify", target=verifier, reason="dokumen lengkap"
        )
        audit_record(actor=manager, action="pathway.update", target=manager)
        client = client_for(manager)
        today = datetime.date.today().isoformat()
        page = client.get(
            reverse("audit:list"), {"actor": "verifikator", "date_from": today, "date_to": today}
        )
        text = page.content.decode()
        assert "candidate.verify" in text and "pathway.update" not in text
        page = client.get(reverse("audit:list"), {"object_type": "user", "object_id": manager.pk})
        assert "pathway.update" in page.content.decode()
        page = client.get(
            reverse("audit:list"), {"date_from": "2020-01-02", "date_to": "2020-01-01"}
        )
        assert "harus sebelum" in page.content.decode()

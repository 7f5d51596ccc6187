import pytest
from django.urls import reverse

from jalur.accounts.models import Organisation
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_record


@pytest.mark.django_db
class TestAdminAccess:
    def test_only_system_admins_get_in(self, client_for, role_users):
        for role, user in role_users.items():
            response = client_for(user).get(reverse("admin:index"))
            expected = 200 if role == "sysadmin" else 302
            assert response.status_code == expected, role

    def test_an_admin_change_writes_an_audit_row(self, client_for, sysadmin, agency):
        client = client_for(sysadmin)
        url = reverse("admin:accounts_organisation_change", args=[agency.pk])
        response = client.post(
            url, {"kind": agency.kind, "name": "PT A Baru", "code": agency.code, "is_active": "on"}
        )
        assert response.status_code == 302
        row = AuditLog.objects.get(action="admin.organisation.change", object_id=str(agency.pk))
        assert row.changes["name"] == ["PT A", "PT A Baru"]
        assert row.actor == sysadmin

    def test_audit_rows_cannot_be_changed_or_deleted_in_the_admin(self, client_for, sysadmin):
        row = audit_record(actor=sysadmin, action="test.row", target=sysadmin)
        client = client_for(sysadmin)
        change = client.post(
            reverse("admin:audit_auditlog_change", args=[row.pk]), {"action": "forged"}
        )
        delete = client.post(reverse("admin:audit_auditlog_delete", args=[row.pk]), {"post": "yes"})
        add = client.get(reverse("admin:audit_auditlog_add"))
        assert change.status_code == 403
        assert delete.status_code == 403
        assert add.status_code == 403
        row.refresh_from_db()
        assert row.action == "test.row"

    def test_the_admin_list_of_organisations_shows_them(
        self, client_for, sysadmin, agency, agency_b
    ):
        response = client_for(sysadmin).get(reverse("admin:accounts_organisation_changelist"))
        assert "PT A" in response.content.decode() and "PT B" in response.content.decode()
        assert Organisation.objects.count() >= 3


@pytest.mark.django_db
def test_the_admin_index_says_ubah_not_rubah(client_for, sysadmin):
    """Django's Indonesian admin catalogue writes "Rubah"; Jalur's (jalur/locale/id) says "Ubah"."""
    page = client_for(sysadmin).get(reverse("admin:index")).content.decode()
    assert "Rubah" not in page and "rubah" not in page
    assert "Ubah" in page

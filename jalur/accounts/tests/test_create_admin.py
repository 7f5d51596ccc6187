"""manage.py create_admin: the first labour office and system administrator of a fresh database."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from jalur.accounts.models import Organisation, User
from jalur.accounts.roles import OrganisationKind, Role
from jalur.audit.models import AuditLog

STRONG = "Gerbang-Banten-7431"


def create_admin(*args):
    out = io.StringIO()
    call_command("create_admin", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def password_file(tmp_path):
    def _write(text):
        path = tmp_path / "admin-password"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return _write


@pytest.mark.django_db
class TestCreateAdmin:
    def test_a_fresh_database_gets_an_office_and_an_admin_who_can_open_the_admin(
        self, client, password_file
    ):
        assert not Organisation.objects.exists()
        output = create_admin(
            "--username=admin",
            "--full-name=Admin Disnaker",
            "--email=admin@serangkota.go.id",
            "--organisation=Disnakertrans Kota Serang",
            f"--password-file={password_file(STRONG + chr(10))}",
        )
        user = User.objects.get(username="admin")
        office = Organisation.objects.get()
        assert (office.kind, office.name, office.code) == (
            OrganisationKind.LABOUR_OFFICE,
            "Disnakertrans Kota Serang",
            "disnakertrans-kota-serang",
        )
        assert (user.role, user.organisation, user.is_staff) == (Role.SYSADMIN, office, True)
        assert "Admin sistem 'admin' dibuat" in output

        # The real log-in form, then the admin site (which refuses every role but Admin sistem).
        response = client.post(reverse("accounts:login"), {"username": "admin", "password": STRONG})
        assert response.status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200
        assert client.get(reverse("admin:accounts_organisation_add")).status_code == 200

    def test_both_creations_are_audited_with_the_reason(self, password_file):
        create_admin(
            "--username=admin",
            "--organisation=Disnakertrans Kota Serang",
            f"--password-file={password_file(STRONG)}",
        )
        user = User.objects.get(username="admin")
        user_row = AuditLog.objects.get(action="user.create", object_id=str(user.pk))
        assert user_row.actor is None
        assert user_row.changes["role"] == [None, Role.SYSADMIN]
        assert "create_admin" in user_row.reason
        assert AuditLog.objects.filter(
            action="organisation.create", object_id=str(user.organisation_id)
        ).exists()
        assert "Gerbang" not in str(user_row.changes)  # never the password

    def test_the_password_can_come_from_the_environment(self, monkeypatch):
        monkeypatch.setenv("JALUR_ADMIN_PASSWORD", STRONG)
        create_admin("--username=admin", "--organisation=Disnakertrans Kota Serang")
        assert User.objects.get(username="admin").check_password(STRONG)

    def test_the_office_name_defaults_to_the_setting(self, monkeypatch, settings):
        settings.JALUR_OFFICE_NAME = "Disnakertrans Kabupaten Lebak"
        monkeypatch.setenv("JALUR_ADMIN_PASSWORD", STRONG)
        create_admin("--username=admin")
        assert Organisation.objects.get().code == "disnakertrans-kabupaten-lebak"

    def test_without_a_name_the_office_is_named_after_the_home_region(self, monkeypatch, settings):
        settings.JALUR_OFFICE_NAME = ""
        settings.JALUR_HOME_REGION = "36.02"
        monkeypatch.setenv("JALUR_ADMIN_PASSWORD", STRONG)
        create_admin("--username=admin")
        office = Organisation.objects.get()
        assert (office.name, office.code) == (
            "Disnakertrans Kabupaten Lebak",
            "disnakertrans-kabupaten-lebak",
        )

    def test_an_existing_office_with_that_code_is_reused(self, monkeypatch):
        office = Organisation.objects.create(
            kind=OrganisationKind.LABOUR_OFFICE, name="Disnaker", code="disnaker"
        )
        monkeypatch.setenv("JALUR_ADMIN_PASSWORD", STRONG)
        create_admin("--username=admin", "--organisation-code=disnaker")
        assert User.objects.get(username="admin").organisation == office
        assert Organisation.objects.count() == 1

    @pytest.mark.parametrize(
        ("password", "reason"),
        [
            ("pendek1", "terlalu pendek"),
            ("password123", "terlalu umum"),
            ("83920174652", "seluruhnya terdiri dari angka"),
            ("admin-jalur1", "mirip"),
        ],
    )
    def test_a_weak_password_is_refused_and_nothing_is_saved(self, password_file, password, reason):
        with pytest.raises(CommandError, match=reason) as refused:
            create_admin(
                "--username=admin-jalur",
                "--organisation=Disnakertrans Kota Serang",
                f"--password-file={password_file(password)}",
            )
        assert "Kata sandi ditolak" in str(refused.value)
        assert not User.objects.exists()
        assert not Organisation.objects.exists()
        assert not AuditLog.objects.exists()

    def test_without_any_password_source_it_says_where_to_give_one(self, monkeypatch):
        monkeypatch.delenv("JALUR_ADMIN_PASSWORD", raising=False)
        monkeypatch.setattr("os.isatty", lambda fd: False)
        with pytest.raises(CommandError, match="--password-file atau JALUR_ADMIN_PASSWORD"):
            create_admin("--username=admin", "--organisation=Disnakertrans Kota Serang")
        assert not Organisation.objects.exists()

    def test_an_unreadable_password_file_is_named(self, tmp_path):
        missing = tmp_path / "tidak-ada"
        with pytest.raises(CommandError, match="tidak bisa dibaca"):
            create_admin(
                "--username=admin",
                "--organisation=Disnakertrans Kota Serang",
                f"--password-file={missing}",
            )

    def test_without_an_office_name_or_a_known_region_it_asks_for_one(self, monkeypatch, settings):
        settings.JALUR_OFFICE_NAME = ""
        settings.JALUR_HOME_REGION = "99.99"  # not in the region tables
        monkeypatch.setenv("JALUR_ADMIN_PASSWORD", STRONG)
        with pytest.raises(CommandError, match="--organisation"):
            create_admin("--username=admin")
        assert not User.objects.exists()

    def test_a_second_first_admin_is_refused(self, monkeypatch):
        monkeypatch.setenv("JALUR_ADMIN_PASSWORD", STRONG)
        create_admin("--username=admin", "--organisation=Disnakertrans Kota Serang")
        with pytest.raises(CommandError, match="Sudah ada Admin sistem aktif"):
            create_admin("--username=admin2", "--organisation=Disnakertrans Kota Serang")
        with pytest.raises(CommandError, match="sudah dipakai"):
            create_admin("--username=ADMIN", "--organisation=Disnakertrans Kota Serang")
        assert User.objects.count() == 1

    def test_an_organisation_of_another_kind_is_not_taken_for_the_office(self, monkeypatch):
        Organisation.objects.create(
            kind=OrganisationKind.PLACEMENT_AGENCY, name="PT A", code="pt-a"
        )
        monkeypatch.setenv("JALUR_ADMIN_PASSWORD", STRONG)
        with pytest.raises(CommandError, match="bukan Disnakertrans"):
            create_admin("--username=admin", "--organisation-code=pt-a")
        assert not User.objects.exists()

    def test_an_invalid_email_is_refused_and_the_office_is_not_kept(self, monkeypatch):
        monkeypatch.setenv("JALUR_ADMIN_PASSWORD", STRONG)
        with pytest.raises(CommandError, match="email"):
            create_admin(
                "--username=admin",
                "--email=bukan-email",
                "--organisation=Disnakertrans Kota Serang",
            )
        assert not Organisation.objects.exists()
        assert not AuditLog.objects.exists()


@pytest.mark.django_db
def test_createsuperuser_is_no_way_into_the_admin(client, monkeypatch):
    """Why the guide says create_admin: Django's own command makes a job seeker, refused by /admin/."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root@example.test",
        stdout=io.StringIO(),
    )
    assert User.objects.get(username="root").role == Role.CANDIDATE
    client.post(reverse("accounts:login"), {"username": "root", "password": STRONG})
    assert client.get(reverse("admin:index")).status_code == 302

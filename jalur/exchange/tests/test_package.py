"""The package itself: an open Data Package that frictionless accepts, written the same way twice;
a broken or tampered one refused with its table, row and field named and nothing written; only
the programme manager and the administrator may move the programme; only into an empty instance."""

import csv
import hashlib
import io
import json

import frictionless
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from jalur.audit.models import AuditLog
from jalur.exchange.package import DESCRIPTOR, ExchangeError
from jalur.exchange.services import programme_export, programme_import
from jalur.exchange.tables import EXCLUDED, tables

from .conftest import repack, unpack

USERS = "data/accounts_user.csv"


@pytest.fixture
def package(tmp_path, manager, agent, verifier):
    path = tmp_path / "programme.zip"
    programme_export(target=path, actor=manager)
    return path


def _nothing_in(alias: str) -> bool:
    return not any(t.model._base_manager.using(alias).exists() for t in tables())


def _tampered(path, *, username: str, column: str, value: str, rehash: bool = True):
    """The package with one cell of the user `username` changed; with `rehash` the descriptor's
    checksum and size are made to match, so only the content is wrong."""
    entries = unpack(path)
    rows = list(csv.reader(io.StringIO(entries[USERS].decode("utf-8"))))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("username")] == username:
            row[header.index(column)] = value
            number = rows.index(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    entries[USERS] = out.getvalue().encode("utf-8")
    if rehash:
        package = json.loads(entries[DESCRIPTOR])
        for resource in package["resources"]:
            if resource["path"] == USERS:
                resource["hash"] = "sha256:" + hashlib.sha256(entries[USERS]).hexdigest()
                resource["bytes"] = len(entries[USERS])
        entries[DESCRIPTOR] = json.dumps(package).encode("utf-8")
    repack(path, entries)
    return number


@pytest.mark.django_db
class TestPackage:
    def test_frictionless_finds_a_valid_data_package_with_keys_enums_and_labels(
        self, package, tmp_path
    ):
        folder = tmp_path / "open"
        for name, body in unpack(package).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(body)
        descriptor = json.loads((folder / DESCRIPTOR).read_text())
        users = next(r for r in descriptor["resources"] if r["name"] == "accounts_user")
        assert users["schema"]["primaryKey"] == ["id"]
        assert {
            "fields": ["organisation_id"],
            "reference": {"resource": "accounts_organisation", "fields": ["id"]},
        } in users["schema"]["foreignKeys"]
        role = next(f for f in users["schema"]["fields"] if f["name"] == "role")
        assert "programme_manager" in role["constraints"]["enum"]
        assert role["enumLabels"]["programme_manager"] == "Pengelola program"
        assert set(descriptor["jalur"]["excluded"]) == set(EXCLUDED)
        # one table on its own (the keys to other tables need the whole package)
        alone = {**users, "schema": {**users["schema"], "foreignKeys": []}}
        report = frictionless.Resource(alone, basepath=str(folder)).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])
        password = next(
            row for row in csv.DictReader(io.StringIO(unpack(package)[USERS].decode()))
        )["password"]
        assert password.startswith("md5$")  # hashes travel: people log in on the new instance

    def test_the_same_data_gives_the_same_bytes_and_the_export_is_audited(self, tmp_path, manager):
        first, second = tmp_path / "a.zip", tmp_path / "b.zip"
        programme_export(target=first, actor=manager)
        exported = AuditLog.objects.filter(action="programme.export", kind=AuditLog.Kind.EXPORT)
        assert exported.get().actor == manager
        # the audit row is written after the snapshot: the package never holds its own export
        assert b"programme.export" not in unpack(first)["data/audit_auditlog.csv"]
        programme_export(target=second, actor=manager)
        # the second holds the first export's audit row and nothing else new
        a, b = unpack(first), unpack(second)
        assert {n for n in a if a[n] != b[n]} == {"data/audit_auditlog.csv", DESCRIPTOR}

    @pytest.mark.parametrize("who", ["verifier", "agent", "leader", "candidate_user"])
    def test_only_the_manager_and_the_administrator_may_export(self, who, request, tmp_path):
        actor = request.getfixturevalue(who)
        with pytest.raises(PermissionDenied):
            programme_export(target=tmp_path / "x.zip", actor=actor)
        assert not AuditLog.objects.filter(action="programme.export").exists()

    def test_the_command_needs_an_actor_who_may_export(self, tmp_path, sysadmin, verifier):
        out = tmp_path / "cmd.zip"
        with pytest.raises(CommandError, match="pengelola program"):
            call_command("export_programme", str(out), actor=verifier.username)
        call_command("export_programme", str(out), actor=sysadmin.username, stdout=io.StringIO())
        assert out.exists()

    def test_an_import_into_an_instance_with_data_is_refused_in_indonesian(self, package, manager):
        with pytest.raises(ExchangeError, match="Instans tujuan tidak kosong"):
            programme_import(source=package, actor_username=manager.username)

    def test_the_importer_must_be_a_manager_of_the_package(self, package, copy_db, verifier):
        with pytest.raises(PermissionDenied):
            programme_import(source=package, actor_username=verifier.username, using=copy_db)
        assert _nothing_in(copy_db)
        with pytest.raises(ExchangeError, match="tidak ada di paket"):
            programme_import(source=package, actor_username="nobody", using=copy_db)
        assert _nothing_in(copy_db)

    def test_it_loads_into_an_empty_instance_with_keys_kept_and_sequences_moved_on(
        self, package, copy_db, manager
    ):
        from jalur.accounts.models import Organisation

        programme_import(source=package, actor_username=manager.username, using=copy_db)
        copied = Organisation.objects.using(copy_db).get(pk=manager.organisation_id)
        assert copied.name == manager.organisation.name
        # a new row after the import gets the next key, not one already taken
        new = Organisation.objects.using(copy_db).create(
            name="Baru", code="baru", kind="labour_office"
        )
        assert new.pk > max(Organisation.objects.values_list("pk", flat=True))
        audit = AuditLog.objects.using(copy_db).get(action="programme.import")
        assert audit.actor_id == manager.pk


@pytest.mark.django_db
class TestTampered:
    def test_a_changed_byte_fails_the_checksum(self, package, copy_db, manager):
        _tampered(package, username=manager.username, column="first_name", value="X", rehash=False)
        with pytest.raises(ExchangeError, match="checksum") as error:
            programme_import(source=package, actor_username=manager.username, using=copy_db)
        assert error.value.table == "accounts_user"
        assert _nothing_in(copy_db)

    @pytest.mark.parametrize("rows", [True, False])
    @pytest.mark.parametrize(
        ("column", "value"),
        [("is_active", "mungkin"), ("role", "raja"), ("username", "x" * 151)],
    )
    def test_a_wrong_type_or_unknown_enum_value_is_named_by_table_row_and_field(
        self, package, copy_db, manager, rows, column, value
    ):
        """Found by frictionless's row validator, or without it by Jalur's own reading."""
        row = _tampered(package, username=manager.username, column=column, value=value)
        with pytest.raises(ExchangeError) as error:
            programme_import(
                source=package,
                actor_username=manager.username,
                using=copy_db,
                frictionless_rows=rows,
            )
        assert (error.value.table, error.value.row, error.value.field) == (
            "accounts_user",
            row,
            column,
        )
        assert "tabel accounts_user" in str(error.value)
        assert _nothing_in(copy_db)

    def test_a_key_to_a_missing_row_is_refused(self, package, copy_db, manager):
        row = _tampered(
            package, username=manager.username, column="organisation_id", value="987654"
        )
        with pytest.raises(ExchangeError, match="987654") as error:
            programme_import(source=package, actor_username=manager.username, using=copy_db)
        assert (error.value.table, error.value.row, error.value.field) == (
            "accounts_user",
            row,
            "organisation_id",
        )
        assert _nothing_in(copy_db)


def _foreign_keys() -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
            "FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"
        )
        return cursor.fetchall()


@pytest.mark.django_db
class TestForeignKeysAroundTheLoad:
    """On PostgreSQL the import drops the foreign-key constraints while the rows go in and makes
    them again before it commits: afterwards they are the migrations' own, validated, whether the
    import was taken or refused."""

    @pytest.fixture(autouse=True)
    def _emptied(self, package):
        from django.db import DEFAULT_DB_ALIAS, connection

        if connection.vendor != "postgresql":
            pytest.skip("the constraints are dropped and made again on PostgreSQL only")
        for table in reversed(tables()):  # a new, empty instance
            table.model._base_manager.all()._raw_delete(DEFAULT_DB_ALIAS)

    def test_the_constraints_are_the_same_after_an_import(self, package, manager):
        before = _foreign_keys()
        programme_import(source=package, actor_username=manager.username)
        assert _foreign_keys() == before
        assert len(before) > 100
        assert all(validated for *_rest, validated in before)

    def test_the_constraints_are_the_same_after_a_refused_import(self, package, manager):
        before = _foreign_keys()
        _tampered(package, username=manager.username, column="organisation_id", value="987654")
        with pytest.raises(ExchangeError):
            programme_import(source=package, actor_username=manager.username)
        assert _foreign_keys() == before
        assert _nothing_in("default")

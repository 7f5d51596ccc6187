"""A second, empty database for the exchange tests, and reading packages back.

The second database is a temporary SQLite file added as the connection alias "exchange_copy" for
one test; its tables are made from the models (as Django's test runner does when it skips
migrations). On the SQLite run the test database is SQLite too; on the PostgreSQL run (.ci/run) it
is PostgreSQL, so the round trip there goes PostgreSQL -> SQLite -> PostgreSQL.
"""

import csv
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend

from jalur.exchange.package import DESCRIPTOR

COPY = "exchange_copy"
AUDIT = "data/audit_auditlog.csv"


def _schema_create(alias: str) -> None:
    with connections[alias].schema_editor() as editor:
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                editor.create_model(model)  # its many-to-many tables with it


@pytest.fixture
def copy_db(tmp_path):
    """The alias of an empty database in a temporary SQLite file. The connection is set up
    directly rather than through settings.DATABASES, which Django's test case would refuse for a
    database the test did not declare."""
    settings = connections.configure_settings(
        {
            DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS],
            COPY: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "copy.sqlite3")},
        }
    )[COPY]
    connections[COPY] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, COPY)
    try:
        _schema_create(COPY)
        yield COPY
    finally:
        connections[COPY].close()
        del connections[COPY]


def unpack(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def repack(path, entries: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)


def assert_same_records(first, second, *, imports: int) -> None:
    """`second` holds exactly `first`'s records, byte for byte, plus the audit rows of the
    `imports` imports that carried them (each import records itself on the instance it fills):
    every CSV and file is identical, the audit trail's CSV starts with every byte of the first's
    and goes on with exactly those rows, and the descriptors differ only in that table's size,
    checksum and row count."""
    a, b = unpack(first), unpack(second)
    assert sorted(a) == sorted(b)
    for name in a:
        if name not in {DESCRIPTOR, AUDIT}:
            assert a[name] == b[name], name
    assert b[AUDIT].startswith(a[AUDIT])
    header = next(csv.reader(io.StringIO(a[AUDIT].decode("utf-8"))))
    extra = list(csv.reader(io.StringIO(b[AUDIT][len(a[AUDIT]) :].decode("utf-8"))))
    assert [row[header.index("action")] for row in extra] == ["programme.import"] * imports

    def without_audit_stats(body: bytes) -> dict:
        package = json.loads(body)
        for resource in package["resources"]:
            if resource["path"] == AUDIT:
                del resource["hash"], resource["bytes"], resource["jalur"]["rows"]
        return package

    assert without_audit_stats(a[DESCRIPTOR]) == without_audit_stats(b[DESCRIPTOR])

"""The package's shape shared by the export and the import: its descriptor, its zip entries, its format.

A zip entry carries no clock: every entry has the same fixed date and permissions, so the same data
gives the same bytes.
"""

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from .columns import columns
from .tables import EXCLUDED, EXCLUDED_FIELDS, Table

FORMAT = "jalur-programme-1"
DESCRIPTOR = "datapackage.json"
FILES_DIR = "files/"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "header": True}


Progress = Callable[[int, int], None]  # (rows done, rows in all)


@dataclass
class Summary:
    """What a package holds (export) or what was loaded from it (import)."""

    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    sha256: str = ""  # of datapackage.json, which holds every other entry's sha256

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class ExchangeError(Exception):
    """The package cannot be written or read; the message (Indonesian) says what to fix.
    `where` names the table, row and field when one is at fault."""

    def __init__(self, message: str, *, table: str = "", row: int | None = None, field: str = ""):
        super().__init__(message)
        self.table, self.row, self.field = table, row, field


def zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, whatever system writes it
    return info


def migration_state() -> list[str]:
    """The newest migration of every app: a package loads only into the same schema."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return sorted(f"{app}.{name}" for app, name in graph.leaf_nodes())


def table_schema(table: Table) -> dict:
    meta = table.model._meta
    schema: dict = {
        "fields": [column.descriptor() for column in columns(table.model)],
        "missingValues": [""],
        "primaryKey": [meta.pk.attname],
    }
    keys = []
    for column in columns(table.model):
        field = column.field
        if not field.is_relation or column.natural_key:
            continue
        target = field.related_model
        keys.append(
            {
                "fields": [column.name],
                "reference": {
                    "resource": target._meta.db_table.lower(),
                    "fields": [field.target_field.attname],
                },
            }
        )
    if keys:
        schema["foreignKeys"] = keys
    return schema


def table_resource(table: Table, *, sha256: str, size: int, rows: int) -> dict:
    with translation.override("id"):
        title = str(table.model._meta.verbose_name_plural)
    return {
        "name": table.name,
        "title": title,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": CSV_DIALECT,
        "hash": f"sha256:{sha256}",
        "bytes": size,
        "jalur": {"model": table.label, "rows": rows},
        "schema": table_schema(table),
    }


def file_resource(number: int, name: str, *, sha256: str, size: int) -> dict:
    return {
        "name": f"file-{number:06d}",
        "path": f"{FILES_DIR}{name}",
        "profile": "data-resource",
        "hash": f"sha256:{sha256}",
        "bytes": size,
    }


def descriptor(resources: list[dict], *, with_files: bool) -> dict:
    return {
        "profile": "data-package",
        "name": "jalur-programme",
        "title": "Jalur: seluruh data program",
        "jalur": {
            "format": FORMAT,
            "migrations": migration_state(),
            "with_files": with_files,
            "excluded": EXCLUDED,
            "excluded_columns": {
                f"{label}.{name}": why for (label, name), why in EXCLUDED_FIELDS.items()
            },
        },
        "resources": resources,
    }


class Digest:
    """A writer's sha256 and byte count, updated as the bytes go by."""

    def __init__(self):
        self.hash, self.size = hashlib.sha256(), 0

    def update(self, data: bytes) -> None:
        self.hash.update(data)
        self.size += len(data)

    @property
    def hex(self) -> str:
        return self.hash.hexdigest()

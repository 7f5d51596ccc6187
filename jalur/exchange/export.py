"""Writing the programme's data package: every exported table as a CSV streamed into the zip, chunk
by chunk, from one consistent snapshot of the database, then (optionally) the uploaded files, then
`datapackage.json` with each resource's sha256 and size.

Callers go through `services.programme_export` (access check and audit row); this module only
writes.
"""

import csv
import hashlib
import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.utils.translation import gettext as _

from .columns import CellError, Column, NaturalKeys, columns
from .package import (
    DESCRIPTOR,
    Digest,
    ExchangeError,
    Progress,
    Summary,
    descriptor,
    file_resource,
    table_resource,
    zip_entry,
)
from .tables import MUST_BE_EMPTY, Table, excluded_models, tables

CHUNK = 2000


class _HashingWriter(io.RawIOBase):
    """A file-like object for csv.writer: text encoded to UTF-8, hashed and passed to the zip."""

    def __init__(self, target, digest: Digest):
        self.target, self.digest = target, digest

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        self.target.write(data)
        return len(data)


def _refuse_unexported_rows(using: str) -> None:
    for model in excluded_models():
        if model._meta.label_lower in MUST_BE_EMPTY and model._base_manager.using(using).exists():
            raise ExchangeError(
                _(
                    "Tabel %(table)s berisi data, padahal Jalur tidak memakainya dan paket tidak "
                    "memuatnya. Kosongkan dulu (akses diatur menurut peran)."
                )
                % {"table": model._meta.db_table}
            )


def _snapshot(using: str):
    """One transaction that sees the whole database as of its start (PostgreSQL: repeatable
    read; SQLite: a read transaction is already a snapshot)."""
    atomic = transaction.atomic(using=using)
    connection = connections[using]
    outer = not connection.in_atomic_block
    atomic.__enter__()
    if outer and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    return atomic


def _rows(table: Table, cols: list[Column], using: str, keys: NaturalKeys):
    query = (
        table.model._base_manager.using(using)
        .order_by(table.model._meta.pk.attname)
        .values_list(*[c.name for c in cols])
    )
    natural = [i for i, c in enumerate(cols) if c.natural_key]
    for row in query.iterator(chunk_size=CHUNK):
        if natural:
            row = list(row)
            for i in natural:
                row[i] = keys.name(row[i])
        yield row


def _write_table(archive, table: Table, using: str, keys: NaturalKeys, files: set, tick) -> dict:
    cols = columns(table.model)
    file_cols = [i for i, c in enumerate(cols) if c.internal in {"FileField", "ImageField"}]
    digest = Digest()
    count = 0
    with archive.open(zip_entry(table.path), "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(
            io.BufferedWriter(_HashingWriter(raw, digest), 1 << 16), encoding="utf-8", newline=""
        )
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow([c.name for c in cols])
        encoders = [col.encoder() for col in cols]
        for count, row in enumerate(_rows(table, cols, using, keys), start=1):
            try:
                writer.writerow(
                    [encode(value) for encode, value in zip(encoders, row, strict=True)]
                )
            except CellError as error:
                raise ExchangeError(str(error), table=table.name, row=count) from error
            for i in file_cols:
                if row[i]:
                    files.add(row[i])
            if count % CHUNK == 0:
                tick(CHUNK)
        tick(count % CHUNK)
        text.flush()
        text.detach().flush()
    return table_resource(table, sha256=digest.hex, size=digest.size, rows=count)


def _write_files(archive, names: set[str]) -> list[dict]:
    resources = []
    for number, name in enumerate(sorted(names), start=1):
        if not default_storage.exists(name):
            raise ExchangeError(
                _("Berkas %(name)s tercatat di database tetapi tidak ada di penyimpanan.")
                % {"name": name}
            )
        digest = hashlib.sha256()
        size = 0
        with (
            default_storage.open(name, "rb") as source,
            archive.open(zip_entry(f"files/{name}"), "w", force_zip64=True) as target,
        ):
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        resources.append(file_resource(number, name, sha256=digest.hexdigest(), size=size))
    return resources


def package_write(
    target,
    *,
    using: str = "default",
    with_files: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Write the package to `target` (a path or a binary file) and return what it holds."""
    _refuse_unexported_rows(using)
    summary = Summary()
    keys = NaturalKeys(using)
    resources: list[dict] = []
    files: set[str] = set()
    atomic = _snapshot(using)
    try:
        total = sum(t.model._base_manager.using(using).count() for t in tables())
        done = 0

        def tick(rows: int) -> None:
            nonlocal done
            done += rows
            if progress and rows:
                progress(done, total)

        with zipfile.ZipFile(target, "w", compresslevel=6) as archive:
            for table in tables():
                resource = _write_table(archive, table, using, keys, files, tick)
                summary.rows[table.name] = resource["jalur"]["rows"]
                resources.append(resource)
            if with_files:
                resources.extend(_write_files(archive, files))
                summary.files = len(files)
            package = descriptor(resources, with_files=with_files)
            body = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            archive.writestr(zip_entry(DESCRIPTOR), body)
            summary.sha256 = hashlib.sha256(body).hexdigest()
    finally:
        atomic.__exit__(None, None, None)
    return summary

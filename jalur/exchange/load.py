"""Reading a programme's data package into an empty instance: checked whole before anything is
written, then loaded in one transaction, so a refused package leaves nothing behind.

The checks, in order: the package's format and Jalur's schema version (its migrations); every table
present with exactly the Table Schema this version writes; frictionless's validator over the
descriptor and every schema; every entry's sha256 and size; optionally frictionless's validator
over every row (`frictionless_rows`: about 7 microseconds a cell, 150 s of CPU at 100,000
candidates); then, while the rows are read for loading, each cell read as its column's type and
length, each required value present, each enum value known and each foreign key pointing at a row
of the package (unique values and primary keys: the database's constraints). Foreign keys are
never left to frictionless: its check re-opens the referenced table for every key, which took
102 of 114 seconds on the demo data (docs/exchange.md).

Loading: on PostgreSQL the checked rows are streamed into each table by COPY (psycopg 3) inside the
import's one transaction; elsewhere through the ORM, BATCH rows an insert.
"""

import contextlib
import csv
import hashlib
import io
import json
import posixpath
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import IntegrityError, connections, models, transaction
from django.utils.translation import gettext as _

from .columns import CellError, Column, NaturalKeys, columns
from .package import (
    DESCRIPTOR,
    FILES_DIR,
    FORMAT,
    ExchangeError,
    Progress,
    Summary,
    migration_state,
    table_schema,
)
from .tables import REFERENCE, Table, tables

BATCH = 1000


def _refused(problem: str, *, table: str = "", row: int | None = None, column: str = ""):
    """An ExchangeError whose message names the table, row and field at fault."""
    where = []
    if table:
        where.append(_("tabel %(table)s") % {"table": table})
    if row is not None:
        where.append(_("baris data %(row)d") % {"row": row})
    if column:
        where.append(_("kolom %(field)s") % {"field": column})
    message = _("Paket ditolak: %(where)s: %(problem)s") % {
        "where": ", ".join(where) or _("paket"),
        "problem": problem,
    }
    return ExchangeError(message, table=table, row=row, field=column)


# --- the package as a whole --------------------------------------------------------------------


def _descriptor(archive: zipfile.ZipFile) -> dict:
    try:
        package = json.loads(archive.read(DESCRIPTOR))
    except KeyError:
        raise _refused(_("tidak ada datapackage.json")) from None
    except ValueError as error:
        raise _refused(_("datapackage.json bukan JSON yang sah (%(e)s)") % {"e": error}) from None
    meta = package.get("jalur") if isinstance(package, dict) else None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _refused(_("bukan paket program Jalur (format %(f)s)") % {"f": FORMAT})
    if meta.get("migrations") != migration_state():
        raise _refused(
            _(
                "paket dibuat oleh versi Jalur dengan skema database lain. Pasang versi Jalur yang "
                "sama dengan server asal, impor, lalu perbarui."
            )
        )
    return package


def _resources(package: dict, names: set[str]) -> tuple[dict[str, dict], list[dict]]:
    """The table resources by name and the file resources, each checked against this version."""
    by_name: dict[str, dict] = {}
    files: list[dict] = []
    for resource in package.get("resources", []):
        path = resource.get("path", "")
        if resource.get("profile") == "tabular-data-resource":
            by_name[resource.get("name", "")] = resource
        elif isinstance(path, str) and path.startswith(FILES_DIR):
            clean = posixpath.normpath(path)
            if clean != path or ".." in path.split("/") or "\\" in path:
                raise _refused(_("jalur berkas tidak aman: %(p)s") % {"p": path[:200]})
            files.append(resource)
        else:
            raise _refused(_("sumber tidak dikenal: %(n)s") % {"n": resource.get("name", "?")})
    expected = {table.name: table for table in tables()}
    missing = sorted(set(expected) - set(by_name))
    extra = sorted(set(by_name) - set(expected))
    if missing or extra:
        raise _refused(
            _("daftar tabel tidak cocok (kurang: %(m)s; tidak dikenal: %(e)s)")
            % {"m": ", ".join(missing) or "-", "e": ", ".join(extra) or "-"}
        )
    for name, table in expected.items():
        resource = by_name[name]
        if resource.get("path") != table.path:
            raise _refused(_("jalur berkas CSV tidak sesuai"), table=name)
        if resource.get("schema") != table_schema(table):
            raise _refused(_("skema tabel berbeda dengan skema versi Jalur ini"), table=name)
        if resource.get("path") not in names:
            raise _refused(_("berkas CSV tidak ada di paket"), table=name)
    return by_name, files


def _check_digests(archive: zipfile.ZipFile, resources: list[dict]) -> None:
    for resource in resources:
        label = resource.get("name", "")
        try:
            info = archive.getinfo(resource["path"])
        except KeyError:
            raise _refused(_("berkas %(p)s tidak ada") % {"p": resource["path"]}) from None
        digest, size = hashlib.sha256(), 0
        with archive.open(info) as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        if resource.get("hash") != f"sha256:{digest.hexdigest()}" or resource.get("bytes") != size:
            raise _refused(
                _("checksum sha256 atau ukuran berkas %(p)s tidak cocok (berkas diubah atau rusak)")
                % {"p": resource["path"]},
                table=label if resource.get("profile") == "tabular-data-resource" else "",
            )


def _frictionless_descriptor(package: dict) -> None:
    """frictionless's validator over the descriptor: the package and every Table Schema."""
    import frictionless

    copy = json.loads(json.dumps(package))
    for resource in copy.get("resources", []):
        resource.pop("jalur", None)
    report = frictionless.Package.validate_descriptor(copy)
    for error in report.errors:
        raise _refused(error.message)


def _frictionless_rows(archive: zipfile.ZipFile, package: dict, by_name: dict[str, dict]) -> None:
    """frictionless's validator over every row of every table, foreign keys left to
    `_load_table` (about 7 microseconds a cell: 31 s of CPU for 100,000 candidates' rows)."""
    import frictionless

    with tempfile.TemporaryDirectory(prefix="jalur-exchange-") as tmp:
        resources = []
        for resource in by_name.values():
            target = Path(tmp) / resource["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(resource["path"]) as source, open(target, "wb") as out:
                while chunk := source.read(1 << 20):
                    out.write(chunk)
            copy = json.loads(json.dumps(resource))
            copy["schema"].pop("foreignKeys", None)
            copy.pop("jalur", None)
            resources.append(copy)
        descriptor = {"name": package.get("name", "jalur"), "resources": resources}
        report = frictionless.Package(descriptor, basepath=tmp).validate()
    if report.valid:
        return
    for error in report.errors:
        raise _refused(error.message)
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            raise _refused(
                f"{error.title}: {error.note}",
                table=task.name,
                row=row - 1 if row else None,
                column=getattr(error, "field_name", "") or "",
            )


# --- the target database -----------------------------------------------------------------------


def _refuse_unless_empty(using: str) -> None:
    for table in tables():
        if table.label in REFERENCE:
            continue
        count = table.model._base_manager.using(using).count()
        if count:
            raise ExchangeError(
                _(
                    "Instans tujuan tidak kosong: tabel %(table)s sudah berisi %(count)d baris. "
                    "Impor hanya ke instans baru yang kosong (database baru sesudah migrate)."
                )
                % {"table": table.name, "count": count}
            )


@contextlib.contextmanager
def _stored_times_kept():
    """auto_now/auto_now_add would stamp every imported row with today: off while loading."""
    switched = []
    for table in tables():
        for f in table.model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in switched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Keys:
    """The primary keys loaded so far per table, for the foreign-key check, and the keys that
    point forward (a cycle, a row's parent later in its own table), checked at the end."""

    def __init__(self):
        self.loaded: dict[str, set] = {}
        self.later: list[tuple[str, int, str, str, object]] = []

    def check(self, table: str, row: int, column: Column, value) -> None:
        target = column.field.related_model._meta.db_table.lower()
        found = self.loaded.get(target)
        if found is None or (target == table and value not in found):
            self.later.append((table, row, column.name, target, value))
        elif value not in found:
            raise _missing(table, row, column.name, target, value)

    def check_later(self) -> None:
        for table, row, column, target, value in self.later:
            if value not in self.loaded.get(target, ()):
                raise _missing(table, row, column, target, value)


def _missing(table: str, row: int, column: str, target: str, value) -> ExchangeError:
    return _refused(
        _("merujuk %(target)s #%(value)s yang tidak ada di paket")
        % {"target": target, "value": value},
        table=table,
        row=row,
        column=column,
    )


class _OrmSink:
    """Rows inserted through the ORM, BATCH at a time (SQLite and other databases)."""

    def __init__(self, table: Table, using: str, tick):
        self.table, self.using, self.tick = table, using, tick
        self.batch: list[models.Model] = []

    def __enter__(self):
        return self

    def add(self, values: dict, cells: list[str]) -> None:
        self.batch.append(self.table.model(**values))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            with _database_refusal(self.table), transaction.atomic(using=self.using):
                self.table.model._base_manager.using(self.using).bulk_create(self.batch)
            self.tick(len(self.batch))
            self.batch = []

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.flush()


class _CopyWriter:
    """Rows written into a running COPY: JSON as the cell's own text (canonical JSON already),
    the other values as read; progress every BATCH rows."""

    def __init__(self, copy, cols: list[Column], tick):
        self.copy, self.tick, self.count = copy, tick, 0
        self.json = [i for i, c in enumerate(cols) if c.kind in {"object", "array", "any"}]

    def add(self, values: dict, cells: list[str]) -> None:
        row = list(values.values())
        for i in self.json:
            if row[i] is not None:
                row[i] = cells[i]
        self.copy.write_row(row)
        self.count += 1
        if self.count % BATCH == 0:
            self.tick(BATCH)


@contextlib.contextmanager
def _copy_sink(table: Table, cols: list[Column], using: str, tick):
    """Rows streamed into the table by PostgreSQL's COPY (psycopg 3), inside the import's one
    transaction: no model object and no INSERT per row. Columns left out of the package
    (EXCLUDED_FIELDS) take their database default."""
    connection = connections[using]
    quote = connection.ops.quote_name
    names = ", ".join(quote(c.field.column) for c in cols)
    sql = f"COPY {quote(table.model._meta.db_table)} ({names}) FROM STDIN"
    with (
        _database_refusal(table),
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(sql) as copy,
    ):
        writer = _CopyWriter(copy, cols, tick)
        yield writer
    tick(writer.count % BATCH)


@contextlib.contextmanager
def _database_refusal(table: Table):
    """A row the database refuses (a duplicate key, a unique value taken) names its table."""
    try:
        yield
    except IntegrityError as error:
        raise _refused(
            _("database menolak baris (%(e)s)") % {"e": str(error)[:200]}, table=table.name
        ) from None


@contextlib.contextmanager
def _foreign_keys_rebuilt(using: str):
    """On PostgreSQL, the foreign-key constraints of Jalur's tables dropped while the rows go in and
    made again (each validated by one join over its table) before the import commits.

    Every key is already checked against the package's own rows as it is read (`_Keys`); what the
    database would add is a trigger per foreign key and row, run at COMMIT (Django makes them
    DEFERRABLE INITIALLY DEFERRED), each looking the referenced row up and locking it: millions of
    look-ups at 100,000 candidates. Re-adding a constraint checks the whole table at once, so the
    database still refuses a package whose keys do not hold, and the constraints are exactly the
    ones the migrations made (their own definitions, read from the catalogue). DDL is transactional
    on PostgreSQL: a refused import leaves the constraints as they were."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    names = [table.model._meta.db_table for table in tables()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'f' "
            "AND (c.conrelid::regclass::text = ANY(%s) OR c.confrelid::regclass::text = ANY(%s)) "
            "ORDER BY 1, 2",
            [names, names],
        )
        constraints = cursor.fetchall()
        quote = connection.ops.quote_name
        # checks already queued in this transaction run now: a table with pending trigger
        # events cannot be altered
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            try:
                with transaction.atomic(using=using):
                    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
            except IntegrityError as error:
                raise _refused(
                    _("database menolak baris (%(e)s)") % {"e": str(error)[:200]},
                    table=table.strip('"'),
                ) from None
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _sink(table: Table, cols: list[Column], using: str, tick):
    if connections[using].vendor == "postgresql":
        return _copy_sink(table, cols, using, tick)
    return _OrmSink(table, using, tick)


def _content_types(archive, table: Table, cols: list[Column], natural: NaturalKeys) -> dict:
    """{(app_label, model): content type id} for every name the table's natural-key columns hold,
    looked up (or made) before its rows go in: no other query may run on the connection while a
    COPY is under way. A cell that is not a name is left for the main read to refuse."""
    wanted = [i for i, c in enumerate(cols) if c.natural_key]
    names: set = set()
    if wanted:
        with archive.open(table.path) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            next(reader, None)
            for cells in reader:
                for i in wanted:
                    if i < len(cells) and cells[i]:
                        with contextlib.suppress(CellError):
                            names.add(cols[i].decode(cells[i]))
    return {name: natural.pk(name) for name in names}


def _load_table(archive, table: Table, *, using: str, keys: _Keys, natural: NaturalKeys, tick):
    cols = columns(table.model)
    pk_name = table.model._meta.pk.attname
    enums = {c.name: set(c.choices()) for c in cols if c.choices()}
    decoders = [c.decoder() for c in cols]
    content_types = _content_types(archive, table, cols, natural)
    loaded: set = set()
    count = 0
    with archive.open(table.path) as raw, _sink(table, cols, using, tick) as sink:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        header = next(reader, None)
        if header != [c.name for c in cols]:
            raise _refused(_("judul kolom CSV tidak sesuai skema"), table=table.name)
        for count, cells in enumerate(reader, start=1):
            if len(cells) != len(cols):
                raise _refused(_("jumlah kolom salah"), table=table.name, row=count)
            values = {}
            for col, decode, cell in zip(cols, decoders, cells, strict=True):
                try:
                    value = decode(cell)
                except CellError as error:
                    raise _refused(
                        str(error), table=table.name, row=count, column=col.name
                    ) from None
                if value is not None:
                    if col.name in enums and value not in enums[col.name]:
                        raise _refused(
                            _("nilai %(v)s tidak ada dalam daftar pilihan") % {"v": cell[:40]},
                            table=table.name,
                            row=count,
                            column=col.name,
                        )
                    if col.natural_key:
                        value = content_types[value]
                    elif col.field.is_relation:
                        keys.check(table.name, count, col, value)
                values[col.name] = value
            loaded.add(values[pk_name])
            sink.add(values, cells)
    keys.loaded[table.name] = loaded
    return count


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables()])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _write_files(archive, files: list[dict], written: list[str]) -> None:
    for resource in files:
        name = resource["path"].removeprefix(FILES_DIR)
        if default_storage.exists(name):
            raise _refused(_("berkas %(n)s sudah ada di penyimpanan tujuan") % {"n": name})
        with archive.open(resource["path"]) as source:
            saved = default_storage.save(name, File(source, name=name))
        written.append(saved)
        if saved != name:
            raise _refused(_("berkas %(n)s tidak bisa disimpan dengan namanya") % {"n": name})


def package_read(
    source,
    *,
    using: str = "default",
    frictionless_rows: bool = False,
    progress: Progress | None = None,
    after_load: Callable[[], None] | None = None,
) -> Summary:
    """Check the package at `source` and load it into the empty database `using`.

    `after_load` runs inside the same transaction once every row is in (the audit row and the
    actor's check); whatever it raises rolls the whole import back."""
    summary = Summary()
    with zipfile.ZipFile(source) as archive:
        package = _descriptor(archive)
        summary.sha256 = hashlib.sha256(archive.read(DESCRIPTOR)).hexdigest()
        by_name, files = _resources(package, set(archive.namelist()))
        _check_digests(archive, [*by_name.values(), *files])
        _frictionless_descriptor(package)
        if frictionless_rows:
            _frictionless_rows(archive, package, by_name)
        _refuse_unless_empty(using)
        total = sum(int(r.get("jalur", {}).get("rows", 0)) for r in by_name.values())
        done = 0

        def tick(rows: int) -> None:
            nonlocal done
            done += rows
            if progress:
                progress(done, total)

        written: list[str] = []
        try:
            with transaction.atomic(using=using):
                with _stored_times_kept(), _foreign_keys_rebuilt(using):
                    for table in reversed(tables()):
                        if table.label in REFERENCE:
                            table.model._base_manager.using(using).all()._raw_delete(using)
                    keys, natural = _Keys(), NaturalKeys(using)
                    for table in tables():
                        summary.rows[table.name] = _load_table(
                            archive, table, using=using, keys=keys, natural=natural, tick=tick
                        )
                    keys.check_later()
                _write_files(archive, files, written)
                summary.files = len(files)
                _reset_sequences(using)
                if after_load:
                    after_load()
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    return summary

"""Many rows from column arrays: binary COPY on PostgreSQL, executemany elsewhere.

The generator builds each table as numpy arrays, one per column. On PostgreSQL those arrays become
one binary COPY straight into the table, in each column's own binary form (integers of the
column's width, moments and days from PostgreSQL's epoch, text as UTF-8 bytes looked up from the
codes, constants and other types through the server's send function once), without a byte of
per-row Python: every row is laid out in fixed slots by a numpy record array and the bytes a row
does not use are dropped by one mask. Elsewhere (SQLite, the tests) the same columns are decoded
into tuples for `bulk.fast_insert`.

Column kinds: `Int` (ids, counts; -1 is NULL), `Moment` (microseconds since 1970 UTC, `NO_MOMENT`
is NULL), `Day` (days since 1970-01-01, `NO_DAY` is NULL), `Flag` (bool), `Choice` (codes into a
list of values; -1 is NULL) and `Serial` (a number written as text with a prefix, zero-padded).
A column the table does not name gets the field's default, or a constant given as a plain value.
"""

import contextlib
import datetime
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models.fields import AutoFieldMixin

from .. import bulk

NO_MOMENT = np.iinfo(np.int64).max
NO_DAY = np.iinfo(np.int32).max
PG_EPOCH_US = 946_684_800_000_000  # 2000-01-01 in microseconds since 1970
PG_EPOCH_DAYS = 10_957
UNIX_ORDINAL = datetime.date(1970, 1, 1).toordinal()
CHUNK = 8 << 20  # bytes per write to the COPY stream
WRITER_QUEUE = 8  # COPY streams drawn ahead of a writer thread
WRITERS = 2  # writer threads (connections) for a superuser
TENS = 10 ** np.arange(1, 19, dtype=np.int64)


@dataclass
class Int:
    values: np.ndarray


@dataclass
class Moment:
    values: np.ndarray


@dataclass
class Day:
    values: np.ndarray


@dataclass
class Flag:
    values: np.ndarray


@dataclass
class Choice:
    codes: np.ndarray
    labels: list


@dataclass
class Serial:
    values: np.ndarray
    prefix: str
    width: int


def micros(seconds: np.ndarray) -> np.ndarray:
    """Seconds since 1970 (float, NaN for none) as `Moment` microseconds."""
    out = np.full(len(seconds), NO_MOMENT, dtype=np.int64)
    known = ~np.isnan(seconds)
    out[known] = np.round(seconds[known] * 1e6).astype(np.int64)
    return out


# the value that means NULL in a nullable column (None: never NULL)
SENTINEL = {Int: -1, Moment: NO_MOMENT, Day: NO_DAY, Flag: None, Choice: None, Serial: None}


def _staged(column) -> np.ndarray:
    """The values as PostgreSQL's binary format wants them (its epoch is 2000-01-01)."""
    if isinstance(column, Moment):
        values = column.values.astype(np.int64)
        return np.where(values == NO_MOMENT, NO_MOMENT, values - PG_EPOCH_US)
    if isinstance(column, Day):
        values = column.values.astype(np.int64)
        return np.where(values == NO_DAY, NO_DAY, values - PG_EPOCH_DAYS)
    if isinstance(column, Choice):
        return column.codes
    return column.values


def _length(columns: dict) -> int:
    sizes = {len(c.codes if isinstance(c, Choice) else c.values) for c in columns.values()}
    if len(sizes) != 1:
        raise ValueError(f"columns of different lengths: {sorted(sizes)}")
    return sizes.pop()


def _target_fields(model, columns: dict, constants: dict) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key or f.attname in columns or f.attname in constants
    ]


def _default(field, constants: dict, *, json_as_text: bool = True):
    if field.attname in constants:
        value = constants[field.attname]
    elif field.has_default() or not field.null:
        value = field.get_default()
    else:
        value = None
    if json_as_text and value is not None and field.get_internal_type() == "JSONField":
        return bulk.json_text(value)
    return value


def write(model, constants: dict | None = None, **columns) -> int:
    """Insert len(columns) rows into `model`'s table. Returns the count."""
    constants = constants or {}
    if not columns:
        return 0
    n = _length(columns)
    if n == 0:
        return 0
    if connection.vendor == "postgresql":
        pk = model._meta.pk
        if pk.attname not in columns and isinstance(pk, AutoFieldMixin):
            # the ids the sequence would give, taken as one block: no nextval() per row
            columns[pk.attname] = Int(bulk.reserve_block(model, n) + np.arange(n))
        return _write_postgresql(model, n, constants, columns)
    return _write_rows(model, constants, columns)


def _pg_type(db_type: str) -> tuple[int, str]:
    """(typlen, send function) of a column type: the width of its binary form, or -1."""
    if db_type not in _PG_TYPES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT typlen, typsend::text FROM pg_type WHERE oid = to_regtype(%s)", [db_type]
            )
            _PG_TYPES[db_type] = cursor.fetchone()
    return _PG_TYPES[db_type]


_PG_TYPES: dict[str, tuple[int, str]] = {}
_SENT: dict[tuple[str, str], bytes] = {}  # (type, value) -> its binary form
TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}


def _column_type(field) -> str:
    if field.get_internal_type() in ("ForeignKey", "OneToOneField"):
        return field.target_field.rel_db_type(connection)
    return field.db_type(connection)


def _sent(field, values: list) -> list:
    """Values in PostgreSQL's binary form for the field's column (None stays None): UTF-8 for
    text, the server's own send function for anything else."""
    db_type = _column_type(field)
    kind = field.get_internal_type()
    if kind in ("ForeignKey", "OneToOneField"):
        kind = field.target_field.get_internal_type()
    if kind in TEXT_TYPES:
        return [None if v is None else str(v).encode() for v in values]
    _length, send = _pg_type(db_type)
    sent = []
    with connection.cursor() as cursor:
        for value in values:
            if value is None:
                sent.append(None)
                continue
            if kind == "JSONField":
                value = bulk.json_text(value)
            else:
                value = field.get_db_prep_save(value, connection)
            key = (db_type, repr(value))
            if key not in _SENT:
                # The type and its send function come from the model and pg_type.
                cursor.execute(f"SELECT {send}(CAST(%s AS {db_type}))", [value])
                _SENT[key] = bytes(cursor.fetchone()[0])
            sent.append(_SENT[key])
    return sent


def _digits(values: np.ndarray, prefix: str, width: int) -> tuple[np.ndarray, np.ndarray]:
    """`prefix` and each number zero-padded to `width` digits, as text bytes and their lengths."""
    values = values.astype(np.int64)
    count = np.maximum(np.searchsorted(TENS, values, side="right") + 1, width)
    most = int(count.max())
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    out = np.zeros((len(values), len(head) + most), dtype=np.uint8)
    out[:, : len(head)] = head
    power = count[:, None] - 1 - np.arange(most)[None, :]
    digit = (values[:, None] // 10 ** np.maximum(power, 0)) % 10 + ord("0")
    out[:, len(head) :] = np.where(power >= 0, digit, 0)
    return out.view(f"S{out.shape[1]}").reshape(-1), count + len(head)


def _field_slot(field, column, n: int, constants: dict):
    """One column of the COPY stream: (numpy dtype of its slot, values, bytes used per row or
    one length for every row; -1 is NULL)."""
    if column is None:
        (value,) = _sent(field, [_default(field, constants, json_as_text=False)])
        if value is None:
            return None, None, -1
        return (
            f"S{max(len(value), 1)}",
            np.full(n, value, dtype=f"S{max(len(value), 1)}"),
            len(value),
        )
    if isinstance(column, Choice):
        labels = [None if v is None else v for v in column.labels]
        sent = _sent(field, labels)
        width = max([len(s) for s in sent if s is not None] + [1])
        table = np.array([s or b"" for s in sent] + [b""], dtype=f"S{width}")
        sizes = np.array([-1 if s is None else len(s) for s in sent] + [-1], dtype=np.int32)
        codes = np.where(column.codes < 0, len(sent), column.codes)
        return f"S{width}", table[codes], sizes[codes]
    if isinstance(column, Serial):
        text, sizes = _digits(column.values, column.prefix, column.width)
        return text.dtype.str, text, sizes.astype(np.int32)
    length, _send = _pg_type(_column_type(field))
    if isinstance(column, Flag):
        return "?", column.values.astype(bool), 1
    if length not in (2, 4, 8):
        raise ValueError(f"{field} is not a fixed-width integer, moment or day column")
    values = _staged(column)
    sentinel = SENTINEL[type(column)]
    if sentinel is not None and field.null:
        return f">i{length}", values, np.where(column.values == sentinel, -1, length)
    return f">i{length}", values, length


def _copy_stream(slots: list) -> bytes:
    """The COPY … (FORMAT BINARY) stream: every row laid out with each column in a slot of its
    widest value, and the bytes a row does not use (shorter text, NULLs) left out at the end by
    one boolean mask, so no row is built in Python."""
    n = next(len(values) for _dtype, values, _used in slots if values is not None)
    fields = [("count", ">i2")]
    for i, (dtype, _values, _used) in enumerate(slots):
        fields.append((f"l{i}", ">i4"))
        if dtype is not None:
            fields.append((f"v{i}", dtype))
    layout = np.dtype(fields)
    records = np.zeros(n, dtype=layout)
    records["count"] = len(slots)
    mask = None
    for i, (dtype, values, used) in enumerate(slots):
        records[f"l{i}"] = used
        if dtype is None:
            continue
        records[f"v{i}"] = values
        width = np.dtype(dtype).itemsize
        if np.ndim(used) == 0 and used == width:
            continue
        if mask is None:
            mask = np.ones((n, layout.itemsize), dtype=bool)
        start = layout.fields[f"v{i}"][1]
        mask[:, start : start + width] = np.arange(width)[None, :] < np.reshape(used, (-1, 1))
    rows = records.view(np.uint8).reshape(n, layout.itemsize)
    body = rows.tobytes() if mask is None else rows[mask].tobytes()
    header = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
    return header + body + (-1).to_bytes(2, "big", signed=True)


def _write_postgresql(model, n: int, constants: dict, columns: dict) -> int:
    quote = connection.ops.quote_name
    fields = _target_fields(model, columns, constants)
    slots = [_field_slot(f, columns.get(f.attname), n, constants) for f in fields]
    stream = _copy_stream(slots)
    names = ", ".join(quote(f.column) for f in fields)
    # Names come from the model; the rows travel as COPY data.
    statement = f"COPY {bulk.table_of(model)} ({names}) FROM STDIN (FORMAT BINARY)"
    if _writers:
        # two backends load at once; each table stays with the writer that had the fewest
        # bytes when it first came, so its rows lie on disk in the order they were drawn
        table = model._meta.db_table
        if table not in _writer_of:
            _writer_of[table] = min(range(len(_writers)), key=_written.__getitem__)
        _written[_writer_of[table]] += len(stream)
        _writers[_writer_of[table]].put((statement, stream))
    else:
        _copy(statement, stream)
    return n


def _copy(statement: str, stream: bytes) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        view = memoryview(stream)
        for start in range(0, len(view), CHUNK):
            copy.write(view[start : start + CHUNK])


class _Writer:
    """A thread with its own connection that runs the COPY streams, one transaction per batch,
    while the caller draws and encodes the next tables: PostgreSQL's work and numpy's overlap."""

    def __init__(self, session: Callable[[], None]):
        self.session = session
        self.queue: queue.Queue = queue.Queue(maxsize=WRITER_QUEUE)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="synthetic-writer", daemon=True)
        self.thread.start()

    def put(self, item) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(item)

    def _run(self) -> None:
        open_ = False
        try:
            with connection.cursor() as cursor:
                while (item := self.queue.get()) is not None:
                    if item == "commit":
                        if open_:
                            cursor.execute("COMMIT")
                            open_ = False
                        continue
                    if not open_:
                        cursor.execute("BEGIN")
                        self.session()
                        open_ = True
                    _copy(*item)
        except BaseException as error:  # noqa: BLE001 (raised again in the caller's thread)
            self.error = error
            while self.queue.get() is not None:  # let the caller finish putting
                pass
        finally:
            connection.close()

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


_writers: list[_Writer] = []
_written: list[int] = []
_writer_of: dict[str, int] = {}


@contextlib.contextmanager
def writer_thread(session: Callable[[], None]):
    """On PostgreSQL outside a transaction: `write` hands its COPY streams to threads with their
    own connections (two for a superuser, whose sessions skip the foreign-key triggers, so no
    table waits for another's transaction; one otherwise); `commit` ends a batch there.
    Elsewhere both run in the caller's thread."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield False
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        count = WRITERS if cursor.fetchone()[0] else 1
    _writers[:] = [_Writer(session) for _ in range(count)]
    _written[:] = [0] * count
    _writer_of.clear()
    try:
        yield True
    finally:
        writers = list(_writers)
        _writers.clear()
        errors = []
        for writer in writers:
            try:
                writer.close()
            except BaseException as error:  # noqa: BLE001 (the first is raised below)
                errors.append(error)
        if errors:
            raise errors[0]


def commit() -> None:
    """End the writer threads' batch transactions (each one's COPYs so far become one commit)."""
    for writer in _writers:
        writer.put("commit")


def in_parallel(statements: list[str], log, workers: int = 2) -> None:
    """Run DDL statements on `workers` connections of their own at once (each in autocommit);
    inside a transaction, one by one on its connection (another would wait for its locks)."""
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            for statement in statements:
                log(statement[:100])
                cursor.execute(statement)
        return
    todo: queue.Queue = queue.Queue()
    for statement in statements:
        todo.put(statement)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem TO '256MB'")
                while not errors:
                    try:
                        statement = todo.get_nowait()
                    except queue.Empty:
                        return
                    log(statement[:100])
                    cursor.execute(statement)
        except BaseException as error:  # noqa: BLE001 (raised again below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _decoded(column, nullable: bool) -> list:
    if isinstance(column, Choice):
        labels = column.labels
        return [labels[c] if c >= 0 else None for c in column.codes.tolist()]
    if isinstance(column, Serial):
        width = column.width
        return [f"{column.prefix}{v:0{width}d}" for v in column.values.tolist()]
    if isinstance(column, Moment):
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
        return [
            None if v == NO_MOMENT else epoch + datetime.timedelta(microseconds=v)
            for v in column.values.tolist()
        ]
    if isinstance(column, Day):
        return [
            None if v == NO_DAY else datetime.date.fromordinal(v + UNIX_ORDINAL)
            for v in column.values.tolist()
        ]
    if isinstance(column, Flag):
        return [bool(v) for v in column.values.tolist()]
    values = column.values.tolist()
    return [None if v == -1 else v for v in values] if nullable else values


def _write_rows(model, constants: dict, columns: dict) -> int:
    fields = _target_fields(model, columns, constants)
    lists = []
    for field in fields:
        column = columns.get(field.attname)
        if column is None:
            lists.append(None)
            continue
        values = _decoded(column, field.null)
        if field.get_internal_type() == "JSONField":
            values = [None if v is None else bulk.json_text(v) for v in values]
        lists.append(values)
    n = _length(columns)
    full = [
        values if values is not None else [_default(field, constants)] * n
        for field, values in zip(fields, lists, strict=True)
    ]
    return bulk.fast_insert(model, [f.column for f in fields], zip(*full, strict=True))


@contextlib.contextmanager
def indexes_deferred(models, log=lambda _text: None):
    """PostgreSQL: drop the tables' indexes other than primary keys (and unique constraints that a
    foreign key needs) for a big load, and build them again afterwards, one sorted pass each,
    which is several times faster than keeping them current row by row. Each is built again even
    when the load fails. Uniqueness is the generator's own: it writes no duplicates."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, t.oid::regclass::text, c.conname, "
            "pg_get_indexdef(i.indexrelid), pg_get_constraintdef(c.oid) "
            "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = t.oid "
            "WHERE t.relname = ANY(%s) AND NOT i.indisprimary AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid) "
            "ORDER BY 1",
            [tables],
        )
        found = cursor.fetchall()
        quote = connection.ops.quote_name
        for index, table, constraint, _index_sql, _constraint_sql in found:
            if constraint:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(constraint)}")
            else:
                cursor.execute(f"DROP INDEX {index}")
    statements = [
        f"ALTER TABLE {table} ADD CONSTRAINT {quote(constraint)} {constraint_sql}"
        if constraint
        else index_sql
        for _index, table, constraint, index_sql, constraint_sql in found
    ]
    try:
        yield
    finally:
        in_parallel(statements, log)

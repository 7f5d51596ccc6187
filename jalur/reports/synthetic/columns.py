"""Many rows from column arrays: binary COPY on PostgreSQL, executemany elsewhere.

The generator builds each table as numpy arrays, one per column. On PostgreSQL those arrays become
a binary COPY into a temporary staging table without a byte of per-row Python (every staging
column has a fixed width, so the whole COPY stream is one numpy record array), and one
INSERT … SELECT moves the rows into the real table, turning codes into text on the way. Elsewhere
(SQLite, the tests) the same columns are decoded into tuples for `bulk.fast_insert`.

Column kinds: `Int` (ids, counts; -1 is NULL), `Moment` (microseconds since 1970 UTC, `NO_MOMENT`
is NULL), `Day` (days since 1970-01-01, `NO_DAY` is NULL), `Flag` (bool), `Choice` (codes into a
list of values; -1 is NULL) and `Serial` (a number written as text with a prefix, zero-padded).
A column the table does not name gets the field's default, or a constant given as a plain value.
"""

import contextlib
import datetime
from dataclasses import dataclass

import numpy as np
from django.db import connection

from .. import bulk

NO_MOMENT = np.iinfo(np.int64).max
NO_DAY = np.iinfo(np.int32).max
PG_EPOCH_US = 946_684_800_000_000  # 2000-01-01 in microseconds since 1970
PG_EPOCH_DAYS = 10_957
UNIX_ORDINAL = datetime.date(1970, 1, 1).toordinal()
CHUNK = 8 << 20  # bytes per write to the COPY stream


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


# staging type, binary dtype, sentinel that means NULL (None: never NULL)
STAGING = {
    Int: ("bigint", ">i8", -1),
    Moment: ("timestamptz", ">i8", NO_MOMENT),
    Day: ("date", ">i4", NO_DAY),
    Flag: ("boolean", "?", None),
    Choice: ("integer", ">i4", None),
    Serial: ("bigint", ">i8", None),
}


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


def _binary_copy(names: list[str], arrays: list[np.ndarray], dtypes: list[str]) -> bytes:
    """The COPY … (FORMAT BINARY) stream of fixed-width columns: header, rows, trailer."""
    fields = [("count", ">i2")]
    for i, dtype in enumerate(dtypes):
        fields += [(f"l{i}", ">i4"), (f"v{i}", dtype)]
    records = np.empty(len(arrays[0]), dtype=np.dtype(fields))
    records["count"] = len(arrays)
    for i, (array, dtype) in enumerate(zip(arrays, dtypes, strict=True)):
        records[f"l{i}"] = np.dtype(dtype).itemsize
        records[f"v{i}"] = array
    header = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
    return header + records.tobytes() + (-1).to_bytes(2, "big", signed=True)


def _target_fields(model, columns: dict, constants: dict) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key or f.attname in columns or f.attname in constants
    ]


def _default(field, constants: dict):
    if field.attname in constants:
        value = constants[field.attname]
    elif field.has_default() or not field.null:
        value = field.get_default()
    else:
        value = None
    if value is not None and field.get_internal_type() == "JSONField":
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
        return _write_postgresql(model, n, constants, columns)
    return _write_rows(model, constants, columns)


def _write_postgresql(model, n: int, constants: dict, columns: dict) -> int:
    quote = connection.ops.quote_name
    staging = quote(f"_synthetic_{model._meta.db_table}")
    names = list(columns)
    kinds = [STAGING[type(columns[name])] for name in names]
    ddl = ", ".join(f"{quote(name)} {kind[0]}" for name, kind in zip(names, kinds, strict=True))
    stream = _binary_copy(
        names, [_staged(columns[name]) for name in names], [kind[1] for kind in kinds]
    )
    targets, expressions, params = [], [], []
    for field in _target_fields(model, columns, constants):
        cast = field.db_type(connection) or "bigint"
        if field.get_internal_type() in ("ForeignKey", "OneToOneField"):
            cast = field.target_field.rel_db_type(connection)
        targets.append(quote(field.column))
        column = columns.get(field.attname)
        if column is None:
            expressions.append(f"CAST(%s AS {cast})")
            params.append(_default(field, constants))
            continue
        source = f"s.{quote(field.attname)}"
        sentinel = STAGING[type(column)][2]
        if isinstance(column, Choice):
            labels = [
                bulk.json_text(v)
                if field.get_internal_type() == "JSONField" and v is not None
                else v
                for v in column.labels
            ]
            expressions.append(f"CAST((%s::text[])[{source} + 1] AS {cast})")
            params.append(labels)
        elif isinstance(column, Serial):
            expressions.append(
                f"%s || repeat('0', greatest(%s - length({source}::text), 0)) || {source}::text"
            )
            params += [column.prefix, column.width]
        elif sentinel is not None and field.null:
            literal = "'infinity'" if isinstance(column, Moment | Day) else str(sentinel)
            expressions.append(f"NULLIF({source}, {literal})")
        else:
            expressions.append(source)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({ddl})")
        with cursor.cursor.copy(f"COPY {staging} FROM STDIN (FORMAT BINARY)") as copy:
            view = memoryview(stream)
            for start in range(0, len(view), CHUNK):
                copy.write(view[start : start + CHUNK])
        # Names come from the model and the staging table; values are parameters.
        cursor.execute(
            f"INSERT INTO {bulk.table_of(model)} ({', '.join(targets)}) "  # noqa: S608
            f"SELECT {', '.join(expressions)} FROM {staging} s",
            params,
        )
        count = cursor.rowcount
        cursor.execute(f"DROP TABLE {staging}")
    return count


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
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem TO '512MB'")
            for index, table, constraint, index_sql, constraint_sql in found:
                log(f"index {index}")
                if constraint:
                    cursor.execute(
                        f"ALTER TABLE {table} ADD CONSTRAINT {quote(constraint)} {constraint_sql}"
                    )
                else:
                    cursor.execute(index_sql)
            cursor.execute("RESET maintenance_work_mem")

"""Writing and reading many rows quickly: COPY on PostgreSQL, executemany elsewhere.

The rebuild of the summary tables and the synthetic-data generator move millions of rows; Django's
bulk_create spends most of its time preparing each value, so these paths write plain tuples.
"""

import datetime
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection
from django.utils import timezone


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_of(model) -> str:
    return _quote(model._meta.db_table)


def fast_insert(model, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert rows (tuples in `columns` order, JSON values already as text). Returns the count."""
    names = ", ".join(_quote(c) for c in columns)
    count = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        # Table and column names come from the model; the rows travel as COPY data.
        statement = f"COPY {table_of(model)} ({names}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table_of(model)} ({names}) VALUES ({placeholders})"  # noqa: S608
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(_adapt(value) for value in row))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _adapt(value):
    """Values as Django itself stores them outside PostgreSQL (datetimes naive in UTC)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return connection.ops.adapt_timefield_value(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def reserve_ids(model, n: int) -> list[int]:
    """`n` primary keys for rows about to be inserted with explicit ids (inside a transaction)."""
    if n <= 0:
        return []
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk, n],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({_quote(pk)}), 0) FROM {table_of(model)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + n))


def aware(value) -> datetime.datetime | None:
    """A datetime read with a raw cursor: SQLite gives naive UTC, PostgreSQL aware values."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        return value.replace(tzinfo=datetime.UTC)
    return value


def as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def json_value(value):
    """A JSON column read with a raw cursor (text on both backends with Django's settings)."""
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value


def json_text(value) -> str:
    return json.dumps(value)


class Rows:
    """Tuples for `fast_insert` of every concrete column of a model, defaults filled in.

    Django-made tables have no database defaults, so a COPY must name every NOT NULL column;
    this takes each field's own default once (a callable default is called once per Rows).
    """

    def __init__(self, model, *, with_pk: bool = False):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.columns = [f.column for f in self.fields]
        self.json = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        self.defaults = {
            f.attname: (f.get_default() if f.has_default() or not f.null else None)
            for f in self.fields
        }
        self.rows: list[tuple] = []

    def add(self, **values) -> None:
        row = []
        for f in self.fields:
            value = values[f.attname] if f.attname in values else self.defaults[f.attname]
            if f.attname in self.json:
                value = json_text(value)
            row.append(value)
        self.rows.append(tuple(row))

    def write(self) -> int:
        count = fast_insert(self.model, self.columns, self.rows)
        self.rows = []
        return count

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


def reserve_block(model, n: int) -> int:
    """The first of `n` consecutive primary keys for rows about to be inserted with explicit ids
    (by one writer at a time: the synthetic-data generator)."""
    if n <= 0:
        return 0
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), "
                "nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
                [model._meta.db_table, pk, model._meta.db_table, pk, n],
            )
            return cursor.fetchone()[0] - n + 1
        cursor.execute(f"SELECT COALESCE(MAX({_quote(pk)}), 0) FROM {table_of(model)}")  # noqa: S608
        return cursor.fetchone()[0] + 1


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

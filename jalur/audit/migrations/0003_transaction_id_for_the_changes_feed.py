"""Each audit row keeps the id of the transaction that wrote it, for the API's changes feed.

On PostgreSQL, ids from a sequence are taken when a row is inserted but seen when its transaction
commits, so a row with a smaller id can appear after a reader has passed it. The feed therefore
orders rows by (transaction id, id) and serves only transactions older than every one still
running (jalur.api.feed). Existing rows keep 0 (they were all committed before this). The column's
default is set here, only on PostgreSQL; on SQLite, one writer at a time, ids are commit order.
"""

from django.db import migrations, models

XID_DEFAULT = "ALTER TABLE audit_auditlog ALTER COLUMN xid SET DEFAULT pg_current_xact_id()::text::bigint"
XID_ZERO = "ALTER TABLE audit_auditlog ALTER COLUMN xid SET DEFAULT 0"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_only_indexes_readers_use"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditlog",
            name="xid",
            field=models.BigIntegerField(db_default=0, editable=False, verbose_name="transaksi"),
        ),
        migrations.AddIndex(
            model_name="auditlog",
            index=models.Index(fields=["xid", "id"], name="audit_commit_order"),
        ),
        migrations.RunPython(_on_postgresql(XID_DEFAULT), _on_postgresql(XID_ZERO), elidable=False),
    ]

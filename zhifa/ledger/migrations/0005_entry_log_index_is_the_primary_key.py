"""The entry's own index on its log is dropped: the primary key (log_id, seq) begins with the same column, so every
lookup by log already uses the primary key, and each append wrote one index entry more than needed (about 30 bytes
an entry on disk). By name, not AlterField: on SQLite AlterField would copy the whole table to drop an index."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "ledger_entry_log_id_96e29658"  # the name Django gave it (the same on SQLite and PostgreSQL)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_witness_cosignatures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="log",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="ledger.log",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON ledger_entry (log_id)",
                ),
            ],
        ),
    ]

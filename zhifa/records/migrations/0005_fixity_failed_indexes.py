"""The files whose fixity check failed, per agency (issue 14 item 3): the access log and the 工作台 show them on
every page, and found them by reading every evidence item and document of the agency. Partial indexes hold only
the failed ones (normally none), so the alerts cost nothing at any size.

SQL both databases accept (PostgreSQL and SQLite); not in the models' Meta, so Django's migration state does not
know these indexes and makemigrations leaves them alone."""

from django.db import migrations

EVIDENCE = (
    "CREATE INDEX IF NOT EXISTS records_evidence_fixity_failed ON records_evidence (agency_id, collected_at, id) "
    "WHERE NOT fixity_ok"
)
DOCUMENT = (
    "CREATE INDEX IF NOT EXISTS records_document_fixity_failed ON records_document (agency_id, created_at, id) "
    "WHERE NOT fixity_ok"
)


class Migration(migrations.Migration):
    dependencies = [("records", "0004_records_policy")]

    operations = [
        migrations.RunSQL(EVIDENCE, "DROP INDEX IF EXISTS records_evidence_fixity_failed"),
        migrations.RunSQL(DOCUMENT, "DROP INDEX IF EXISTS records_document_fixity_failed"),
    ]

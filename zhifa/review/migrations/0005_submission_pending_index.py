"""The pending submissions by due date (issue 14 item 3): the review queue, the submissions to assign and the overdue
ones read only pending rows, which a province's hundreds of thousands of decided submissions made a full scan.

A partial index in SQL both databases accept (PostgreSQL and SQLite); it is not in the model's Meta, so Django's
migration state does not know it and makemigrations leaves it alone."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS review_submission_pending_due ON review_submission (due_on, id) "
    "WHERE state = 'pending'"
)
DROP = "DROP INDEX IF EXISTS review_submission_pending_due"


class Migration(migrations.Migration):
    dependencies = [("review", "0004_review_binds_decision")]

    operations = [migrations.RunSQL(CREATE, DROP)]

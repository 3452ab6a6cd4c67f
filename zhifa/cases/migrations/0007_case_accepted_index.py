"""Cases by acceptance date across agencies (issue 14 item 3): the list of a supervisor over many agencies, newest
first, was a sort of every case of those agencies (75 ms at 100,000 cases); on this index the database reads the
newest cases in order and keeps those of the supervised agencies (a few ms). The list of one agency keeps its index
(agency, accepted_on).

Plain SQL both databases accept (PostgreSQL and SQLite); it is not in the model's Meta, so Django's migration state
does not know it and makemigrations leaves it alone."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS case_accepted_id ON cases_case (accepted_on, id)"
DROP = "DROP INDEX IF EXISTS case_accepted_id"


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_simple_procedure")]

    operations = [migrations.RunSQL(CREATE, DROP)]

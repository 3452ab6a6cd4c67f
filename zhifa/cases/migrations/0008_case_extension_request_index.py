"""Cases waiting for the head to decide an extension (issue 14 item 3): the head's 工作台 asks for the agency's
cases with an extension request, oldest first; without an index the database walked the agency's cases (42 ms at
the largest agency of a million-case province, which has none waiting). Partial, so it holds only the few cases
that wait. Plain SQL both databases accept; not in the model's Meta (see 0007)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS case_extension_waiting ON cases_case (agency_id, accepted_on, id) "
    "WHERE extension_request IS NOT NULL"
)
DROP = "DROP INDEX IF EXISTS case_extension_waiting"


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_case_accepted_index")]

    operations = [migrations.RunSQL(CREATE, DROP)]

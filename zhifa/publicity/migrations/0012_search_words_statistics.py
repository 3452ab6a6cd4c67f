"""PostgreSQL keeps finer statistics of the decisions' search words (docs/publication.md, 检索).

With the default statistics target (100) the planner knows the 1,000 most common words; every other word is guessed
at half a percent of the decisions. At 1,000,000 published decisions a word such as 王某 (as a masked name reads)
is held by 3.4 %: guessed at 5,000 matches, the portal fetched and sorted all 34,000 of them (140 ms) instead of
walking the date index (20 ms; ``decision_views.page_of`` chooses by the estimate). With a target of 1,000 the
planner keeps the 10,000 most common words and the estimate was 34,193. ANALYZE samples more rows for this column
(about 40 s at 1,000,000; autovacuum runs it as the table grows). Nothing changes on SQLite.
"""

from django.db import migrations

TARGET = 1000


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE publicity_publication ALTER COLUMN search_words SET STATISTICS {TARGET}")
            cursor.execute("ANALYZE publicity_publication (search_words)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE publicity_publication ALTER COLUMN search_words SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("publicity", "0011_publication_agency_due")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

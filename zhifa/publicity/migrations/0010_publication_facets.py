"""The filter words of a published decision in a column of their own (``Publication.facets``).

Measured (docs/publication.md, 检索): with the filter words (``kind_…``, ``pk_…``, ``item_…``, ``outcome_…``, the
whole 文号 ``no_…``) inside the decision's array of text words, a filter such as 处罚种类＝通报批评 tested every decision
by unpacking its whole array (a few thousand words, stored compressed out of line): about 30 µs a row, so the capped
count of a filter that a fifth of the decisions match cost a quarter of a second at 100,000. On PostgreSQL the filter
words get their own small array, generated from ``facets`` and GIN-indexed, tested in place. SQLite's FTS5 index keeps
every word of ``search_text`` (filter words included) and answers both.

Rows released before: ``facets`` is filled from the filter words of their ``search_text`` (the words with ``_``; a
text word never has one). It is derived from the recorded summary, like the search words, and declared volatile for
the ledger (zhifa/publicity/apps.py).
"""

from django.db import migrations

import zhifa.publicity.search

POSTGRES = [
    "ALTER TABLE publicity_publication ADD COLUMN IF NOT EXISTS facet_words text[] "
    "GENERATED ALWAYS AS (string_to_array(facets, ' ')) STORED",
    "CREATE INDEX IF NOT EXISTS publication_facet_words ON publicity_publication USING gin (facet_words)",
]
# The filter words of the rows already released: every word of search_text that holds an underscore.
POSTGRES_FILL = (
    "UPDATE publicity_publication SET facets = array_to_string("
    "ARRAY(SELECT w FROM unnest(string_to_array(search_text, ' ')) AS w WHERE strpos(w, '_') > 0), ' ') "
    "WHERE search_text <> '' AND facets = ''"
)
POSTGRES_BACK = [
    "DROP INDEX IF EXISTS publication_facet_words",
    "ALTER TABLE publicity_publication DROP COLUMN IF EXISTS facet_words",
]


def fill(apps, connection) -> None:
    """``facets`` of the rows released before the column existed (tests/publicity/test_decisions.py runs it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(POSTGRES_FILL)
        return
    Publication = apps.get_model("publicity", "Publication")
    rows = Publication.objects.using(connection.alias).filter(facets="").exclude(search_text="")
    for pk, text in rows.values_list("pk", "search_text").iterator():
        facets = " ".join(w for w in text.split(" ") if "_" in w)
        Publication.objects.using(connection.alias).filter(pk=pk).update(facets=facets)


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in POSTGRES:
                cursor.execute(sql)
    fill(apps, connection)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in POSTGRES_BACK:
                cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("publicity", "0009_publication_search_words")]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="facets",
            field=zhifa.publicity.search.SearchTextField(blank=True, verbose_name="筛选标记"),
        ),
        migrations.RunPython(forwards, backwards),
    ]

"""The act kind as a filter word (``act_…``, ``search.tags``): the portal's 执法行为 filter (行政处罚, 行政强制措施).

Every decision released before this migration is a 行政处罚 (no other act was published): ``act_penalty`` is added to
its filter words and its search words, so the filter finds it like one released after. On SQLite the FTS5 triggers
re-index the rows whose ``search_text`` changed; on PostgreSQL the word arrays are generated from the columns.
Both columns are derived from the recorded summary and are volatile for the ledger (zhifa/publicity/apps.py).
"""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat

WORD = "act_penalty"


def forwards(apps, schema_editor):
    Publication = apps.get_model("publicity", "Publication")
    rows = Publication.objects.using(schema_editor.connection.alias).exclude(search_text="")
    rows = rows.exclude(facets__contains=WORD)
    rows.update(
        facets=Concat("facets", Value(" " + WORD)), search_text=Concat("search_text", Value(" " + WORD))
    )


class Migration(migrations.Migration):
    dependencies = [("publicity", "0012_search_words_statistics")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

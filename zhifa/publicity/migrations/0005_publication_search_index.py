"""The full-text index of published decisions (zhifa.publicity.search): an FTS5 table kept by triggers on SQLite,
a GIN index on the word array on PostgreSQL. Fixed DDL, no data; idempotent (IF NOT EXISTS), since the test suite
replays every RunPython of the migrations after a flush."""

from django.db import migrations

FTS = "publicity_publication_fts"

SQLITE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(search_text, content='publicity_publication', content_rowid='id', "
    "tokenize=\"unicode61 tokenchars '_'\")",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON publicity_publication BEGIN "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON publicity_publication BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF search_text ON publicity_publication BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES = [
    "CREATE INDEX IF NOT EXISTS publication_search ON publicity_publication USING gin (string_to_array(search_text, ' '))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS publication_search"]


def _run(statements):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for sql in statements.get(connection.vendor, []):
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("publicity", "0004_publication_public")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]

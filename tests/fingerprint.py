"""What a refused request must leave as it was (the ledger-completeness property, the access matrix, the bad-input
and fuzz tests): the number of rows of every recorded model, and of ledger entries other than access records (a
refusal to open a secret record is itself recorded, by design). One query: these tests take it around every request."""

from __future__ import annotations

from django.db import connection

ACCESS_ACTIONS = ("ledger.access", "records.access_refused")


def fingerprint() -> dict[str, int]:
    from zhifa.ledger import tracking
    from zhifa.ledger.models import Entry

    models = sorted(tracking.recorded_models().items())
    q = connection.ops.quote_name
    # Table names from the models' own metadata, the actions as parameters: no outside text in the SQL.
    counts = [f"(SELECT COUNT(*) FROM {q(m._meta.db_table)})" for _, m in models]
    marks = ", ".join(["%s"] * len(ACCESS_ACTIONS))
    counts.append(
        f"(SELECT COUNT(*) FROM {q(Entry._meta.db_table)} WHERE {q(Entry._meta.get_field('action').column)} NOT IN ({marks}))"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(counts), ACCESS_ACTIONS)
        row = cursor.fetchone()
    return dict(zip([label for label, _ in models] + ["ledger entries"], row, strict=True))

"""Full-text search of published decisions (issue 15, shared/design/dependencies.md "search").

The words of a text: each run of Chinese characters gives its single characters and its overlapping pairs of
characters (character bigrams: 康宁诊所 → 康、宁、诊、所、康宁、宁诊、诊所); each run of letters and digits is one
word, lower-cased (a credit code, a year, a document number's digits). The distinct words, space-separated, are
stored in ``Publication.search_text``. A query is cut the same way (a run of two or more characters by its pairs
only) and a decision matches when it holds every word: any piece of the text of two characters or more is found,
whatever the context around it.

Why not jieba's words (dependencies.md's first choice, measured in docs/publication.md 检索): jieba cuts a name by
its context, so the query 甲区康宁诊所 became 甲区/康宁/诊所 while the decision's text gave 甲/区/康宁/诊所, and the
party was not found by its own name. Pairs of characters do not depend on the context; the cost is a larger index
and, rarely, a decision holding every pair of a query without the query itself.

The index, chosen by measurement (docs/publication.md, 检索):
- SQLite (embedded): an FTS5 table over ``search_text`` (external content, kept by triggers; migration 0005).
  FTS5's ``unicode61`` tokenizer splits on the spaces, with ``_`` kept inside the filter words (``tag``).
- PostgreSQL: a stored ``text[]`` column ``search_words`` generated from ``search_text`` (migration 0009, unknown to
  Django) with a GIN index; a query is array containment (``@>``). The filter words have a small array of their own,
  ``facet_words`` from ``facets`` (migration 0010), so a filter does not unpack the text's words. It does not depend on the database's locale (the
  ``simple`` text-search parser drops CJK letters under ``C`` locales), and the column's statistics let the planner
  tell a rare word from a common one (an index on the expression had none: docs/publication.md).

The query's words reach the database only as a bound parameter (``Matches`` below), never in the SQL text.
"""

from __future__ import annotations

import re

from django.db import models

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{_CJK}]+|[^\\W{_CJK}_]+")
MAX_QUERY_WORDS = 24
FTS_TABLE = "publicity_publication_fts"


def _is_cjk(run: str) -> bool:
    return "\u3400" <= run[0] <= "\ufaff"


def _words(text: str, *, query: bool) -> list[str]:
    out: list[str] = []
    for run in _RUN.findall(text):
        if not _is_cjk(run):
            out.append(run.lower())
            continue
        pairs = [run[i : i + 2] for i in range(len(run) - 1)]
        if not query:
            out.extend(run)
            out.extend(pairs)
        else:
            out.extend(pairs or [run])
    return list(dict.fromkeys(out))


def tokens(text: str) -> str:
    """The search text of a document: its distinct words, space-separated."""
    return " ".join(_words(text, query=False))


def tag(name: str, value: str) -> str:
    """A filter word (act kind, penalty kind, enforcement item, outcome) stored beside the text's words, so the
    portal's filters use the same index as the search."""
    return f"{name}_" + re.sub(r"\W", "_", str(value)).lower()


# A document number (文号) typed whole, e.g. 明卫罚〔2026〕12号: found by its own word, not by its pieces (another
# decision of the same year holds every piece of it).
DOCUMENT_NUMBER = re.compile(r"\s*[\w\u3400-\u9fff]{1,20}[〔\[(（]\d{4}[〕\])）]\s*第?\d+号\s*")


def number_tag(number: str) -> str:
    return tag("no", re.sub(r"[\W_]", "", number.replace("第", "")))


def tags(publication) -> list[str]:
    summary = publication.summary or {}
    out = [tag("kind", publication.kind), tag("act", summary.get("act") or "penalty")]
    if summary.get("number"):
        out.append(number_tag(summary["number"]))
    if summary.get("outcome"):
        out.append(tag("outcome", summary["outcome"]))
    out += [tag("pk", k) for k in summary.get("penalty_kinds", [])]
    out += [tag("item", i["code"]) for i in summary.get("items", [])]
    return out


def query_words(query: str) -> list[str]:
    """The words a query must all match (at most ``MAX_QUERY_WORDS``); a whole document number is one word."""
    if DOCUMENT_NUMBER.fullmatch(query):
        return [number_tag(query)]
    return _words(query[:200], query=True)[:MAX_QUERY_WORDS]


# SQLite: the triggers that keep the FTS5 table in step with ``publicity_publication``. A migration that rebuilds
# that table (SQLite's ALTER TABLE cannot add a foreign key column) drops them with the old table, so they are
# (re)created after every migration (``ensure_index``, on post_migrate) and the index rebuilt when they were missing.
SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_ai": f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON publicity_publication BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"{FTS_TABLE}_ad": f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON publicity_publication BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    f"{FTS_TABLE}_au": f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON "
    f"publicity_publication BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
}


def ensure_index(using: str = "default", **_kwargs) -> bool:
    """SQLite: create the FTS5 triggers that are missing and rebuild the index from the table if any was; True
    when something was repaired. Nothing to do on PostgreSQL (an index survives ALTER TABLE)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present or "publicity_publication" not in present:
            return False  # before migration 0005
        missing = [sql for name, sql in SQLITE_TRIGGERS.items() if name not in present]
        for sql in missing:
            cursor.execute(sql)
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return bool(missing)


class Matches(models.Lookup):
    """``search_text__matches=[word, …]``: the row holds every word. SQLite: the row's id in the FTS5 table's
    match; PostgreSQL: array containment on the GIN-indexed word array."""

    lookup_name = "matches"
    prepare_rhs = False  # the words stay a list (a text field would make it one string)

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_sql(self, compiler, connection):
        raise NotImplementedError("search runs on SQLite or PostgreSQL")

    def as_sqlite(self, compiler, connection):
        qn = compiler.quote_name_unless_alias
        words = list(self.rhs)
        fts_query = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        alias = self.lhs.alias
        sql = f"{qn(alias)}.{qn('id')} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
        return sql, [fts_query]

    def as_postgresql(self, compiler, connection):
        # the stored, GIN-indexed word arrays generated from the text columns (migrations 0009, 0010)
        qn = compiler.quote_name_unless_alias
        column = WORD_ARRAYS[self.lhs.target.column]
        return f"{qn(self.lhs.alias)}.{qn(column)} @> %s::text[]", [list(self.rhs)]


# PostgreSQL: the word array generated from each searchable text column.
WORD_ARRAYS = {"search_text": "search_words", "facets": "facet_words"}


def is_filter_word(word: str) -> bool:
    """A filter word (``tag``, ``number_tag``) has an underscore; a word of the text never has one (``_RUN``)."""
    return "_" in word


def matching(qs, words: list[str]):
    """``qs`` narrowed to the rows holding every word. SQLite: one FTS5 match over all of them. PostgreSQL: the text
    words against the text's array, the filter words against the small array of filter words (``facets``), each by its
    own GIN index or tested in place (migration 0010)."""
    from django.db import connections

    if not words:
        return qs
    if connections[qs.db].vendor != "postgresql":
        return qs.filter(search_text__matches=words)
    text = [w for w in words if not is_filter_word(w)]
    filters = [w for w in words if is_filter_word(w)]
    if filters:  # first: the small array is the cheaper test of a row
        qs = qs.filter(facets__matches=filters)
    if text:
        qs = qs.filter(search_text__matches=text)
    return qs


def estimated_rows(qs) -> int:
    """PostgreSQL: how many rows the planner expects ``qs`` to select (from the word arrays' statistics; planning
    only, nothing is read). The query's values stay bound parameters."""
    from django.db import connections

    # The ids only: the selected columns and the joins select_related adds (to-one, never fewer rows) cost planning
    # time (5–8 ms for the staff dashboard's query at 1,000,000, against about 1 ms) and change no estimate.
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class SearchTextField(models.TextField):
    """The search words of a row (``tokens``); filter with ``__matches``."""


SearchTextField.register_lookup(Matches)

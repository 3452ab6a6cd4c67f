"""Exit 0 when the PostgreSQL server of the given URL answers (connecting to its `postgres` database)."""

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

url = urlsplit(sys.argv[1])
try:
    psycopg.connect(urlunsplit(url._replace(path="/postgres")), connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001 — any failure means "not available"
    print(f"PostgreSQL: {exc}", file=sys.stderr)
    sys.exit(1)

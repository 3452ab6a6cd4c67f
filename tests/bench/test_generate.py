"""The synthetic province (bench/generate.py, issue 14 item 2), small: 2,000 cases in 5 agencies on a PostgreSQL
database of its own. What a load test relies on: the counts asked for, the big case's size, every page it measures
rendering for the generated users (through Django's test client: ``generate.py --check``), and the ledger of a
generated agency and of the demo bureau verifying."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "bench" / "generate.py"


# The generator loads PostgreSQL with COPY: on a SQLite run there is nothing to collect here (no skip to report).
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _run(args: list[str], env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _small_province(tmp_path):
    db = settings.DATABASES["default"]
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    name = f"zhifa_gen_test_{os.getpid()}"
    url = f"postgresql://{user}@{host}:{port}/{name}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    var = tmp_path / "var"
    try:
        made = _run(
            [sys.executable, str(GENERATE), "--cases", "2000", "--agencies", "5", "--seed", "7"]
            + ["--database-url", url, "--var-dir", str(var), "--reset"],
            env,
        )
        assert made.returncode == 0, made.stderr[-3000:]
        info = json.loads((ROOT / "var" / "bench" / f"province-{name}.json").read_text())

        counts = info["counts"]
        assert counts["cases_case"] == 2000
        codes = [a["code"] for a in info["agencies"]]
        assert len(codes) == 5 and "bench-big" in codes
        # the rest are the demo bureau's: 31 penalty cases and 5 other acts (2 measures, a requisition, a confirmation,
        # an inspection)
        assert sum(a["cases"] for a in info["agencies"]) == 2000 - 36
        assert info["big_agency"]["cases"] == 2000 // 20
        assert info["big_case"] | {"url": None} == {
            "id": info["big_case"]["id"],
            "records": 40,
            "documents": 30,
            "evidence": 20,
            "url": None,
        }
        assert set(info["states"]) >= {"intake", "investigating", "decided", "served", "closed", "archived"}
        assert set(info["years"]) == {"2022", "2023", "2024", "2025", "2026"}
        # 决定公开: older clones' publications released (or taken offline past their retention period), recent ones
        # in the template's states, so the portal and the due-date dashboards have every state.
        publications = info["publications"]
        assert counts["publicity_publication"] == sum(publications.values()) > 500
        assert {"published", "offline", "draft", "withdrawn", "not_published"} <= set(publications)
        assert publications["published"] > publications["draft"]
        assert info["users"]["officer_open_cases"] >= 10
        assert (
            counts["org_person"] >= 200 and counts["records_evidence"] > 0 and counts["ledger_entry"] > 2000
        )

        # The pages: the officer's case list and case page, the head's, reviewer's, supervisor's, the portal.
        checked = _run([sys.executable, str(GENERATE), "--check", "--database-url", url], env)
        assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
        lines = checked.stdout.splitlines()
        officer = info["users"]["officer"]
        assert any(line.startswith("ok  200") and f"{officer}  /cases/" in line for line in lines)
        case_url = f"/cases/{info['big_case']['id']}/"
        assert any(line.startswith("ok  200") and line.endswith(case_url) for line in lines)
        assert len([line for line in lines if line.startswith("ok  200")]) >= 30
        for page in ("/catalog/publications/", "/portal/decisions/"):
            assert any(line.startswith("ok  200") and line.endswith(page) for line in lines), page
        assert any(line.startswith("ok  按文号检索到生成的决定") for line in lines)

        # The ledger: a generated agency's log (bulk-built with the ledger's encoder) and the demo bureau's.
        zhifa = Path(sys.executable).with_name("zhifa")
        venv = dict(env, ZHIFA_DATABASE_URL=url, ZHIFA_VAR_DIR=str(var))
        for code in ("bench-big", "mingshan-wjj"):
            verified = _run([str(zhifa), "ledger", "verify", "--agency", code], venv)
            assert verified.returncode == 0, verified.stdout[-2000:] + verified.stderr[-2000:]
            assert "账本完整" in verified.stdout
    finally:
        import psycopg
        from psycopg import sql

        with psycopg.connect(f"postgresql://{user}@{host}:{port}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        (ROOT / "var" / "bench" / f"province-{name}.json").unlink(missing_ok=True)


if ON_POSTGRES:
    test_a_small_province_renders_and_verifies = _small_province

"""How make test divides its work: the PostgreSQL pass leaves out only the tests that cannot reach the database, and the
slow tests are dealt out first over the test processes (tests/conftest.py; docs/development.md 测试)."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import conftest

ROOT = Path(__file__).resolve().parents[2]


def test_the_postgresql_pass_leaves_out_exactly_the_tests_that_cannot_reach_the_database(tmp_path):
    def collected(*extra):
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *extra,
             "tests/workdays/test_textformat.py", "tests/workdays/test_actions.py", "tests/core/test_redis.py"],
            cwd=ROOT, capture_output=True, text=True, env={**__import__("os").environ, "ZHIFA_VAR_DIR": str(tmp_path)},
        )  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        return {line for line in run.stdout.splitlines() if "::" in line}

    everything = collected()
    on_postgresql = collected("--database-tests-only")
    left_out = everything - on_postgresql
    assert left_out and on_postgresql < everything
    # the text parser's tests take no database; every calendar action's test does; the Redis test that starts
    # processes of its own is left out only where it asks for no database
    assert all("test_textformat.py" in n or "test_redis.py" in n for n in left_out)
    assert {n for n in everything if "test_actions.py" in n} <= on_postgresql


def _item(name, seconds=None, together=None):
    kwargs = {"seconds": seconds, **({"together": together} if together else {})}
    marks = {"slow": SimpleNamespace(kwargs=kwargs)} if seconds is not None else {}
    return SimpleNamespace(name=name, get_closest_marker=marks.get)


@pytest.mark.parametrize("workers", [2, 3])
def test_slow_tests_are_dealt_first_longest_first_to_the_lightest_share(workers):
    items = [_item(f"t{i}") for i in range(20)]
    items[5], items[12], items[17], items[19] = (
        _item("gate", 240),
        _item("matrix", 50),
        _item("walk", 60),
        _item("screens", 52),
    )
    config = SimpleNamespace(workerinput={"workercount": workers})
    conftest._spread_slow_tests(config, items)
    assert sorted(i.name for i in items) == sorted([f"t{i}" for i in range(20) if i not in (5, 12, 17, 19)]
                                                   + ["gate", "matrix", "walk", "screens"])  # fmt: skip
    shares, start = [], 0
    for size in conftest.share_sizes(len(items), workers):
        shares.append([i.name for i in items[start : start + size]])
        start += size
    assert shares[0][0] == "gate"  # the longest goes first, at the front of a share
    fronts = [
        share[: sum(1 for n in share if n in ("gate", "matrix", "walk", "screens"))] for share in shares
    ]
    assert all(n in ("gate", "matrix", "walk", "screens") for front in fronts for n in front)
    if workers == 2:
        assert shares[0][:1] == ["gate"] and shares[1][:3] == ["walk", "screens", "matrix"]


def test_without_parallel_processes_the_order_is_kept():
    items = [_item("a"), _item("gate", 240), _item("b")]
    conftest._spread_slow_tests(SimpleNamespace(), items)
    assert [i.name for i in items] == ["a", "gate", "b"]


@pytest.mark.parametrize("workers", [2, 3])
def test_slow_tests_marked_together_share_a_process_side_by_side(workers):
    items = [_item(f"t{i}") for i in range(20)]
    items[2], items[8], items[11], items[15] = (
        _item("gate", 240),
        _item("walk-a", 60, together="frozen-demo"),
        _item("screens", 52),
        _item("walk-b", 60, together="frozen-demo"),
    )
    conftest._spread_slow_tests(SimpleNamespace(workerinput={"workercount": workers}), items)
    shares, start = [], 0
    for size in conftest.share_sizes(len(items), workers):
        shares.append([i.name for i in items[start : start + size]])
        start += size
    (with_walks,) = [share for share in shares if "walk-a" in share]
    at = with_walks.index("walk-a")
    assert with_walks[at : at + 2] == ["walk-a", "walk-b"] and "gate" not in with_walks


@pytest.mark.django_db
def test_the_test_database_has_every_migration_applied():
    """Test processes copy a migrated template kept between runs (tests/dbtemplate.py, keyed by a digest of the
    migrations): the copy must hold exactly the project's migrations, none missing or stale."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    assert set(loader.applied_migrations) == set(loader.graph.nodes)
    assert not loader.detect_conflicts()

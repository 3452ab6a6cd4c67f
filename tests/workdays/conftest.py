"""Fixtures of the workdays tests: a pure calendar built from the seed data, and a spy on the ledger."""

from __future__ import annotations

import pytest

from zhifa.ledger import actions as ledger
from zhifa.workdays import rules, seed


@pytest.fixture(autouse=True)
def _chinese():
    """The messages these tests read are the Chinese ones, whatever an earlier test left active."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture(scope="session")
def cal() -> rules.Calendar:
    """The calendar as the migration seeds it (2004–2026 confirmed, later years estimated), no database."""
    return rules.Calendar(seed.chinesecalendar_schedules(last_year=seed.SEED_LAST_YEAR))


@pytest.fixture
def ledger_calls(monkeypatch):
    """Every ledger.append call the actions make (the real append still runs)."""
    calls = []
    real = ledger.append

    def spy(**kwargs):
        from django.db import transaction

        calls.append({**kwargs, "in_atomic": transaction.get_connection().in_atomic_block})
        return real(**kwargs)

    monkeypatch.setattr(ledger, "append", spy)
    return calls


@pytest.fixture
def world(world):
    """The shared world plus the platform administrator, who alone keeps the platform-wide calendar."""
    from zhifa.org import actions as org_actions

    world.platform = org_actions.add_platform_admin("platform", "Platform#2026x", full_name="平台管理员")
    return world

"""Concurrent logins and commits: the login audit chain stays one chain, and checkpoints signed after commits
never collide (PostgreSQL advisory and row locks; SQLite's IMMEDIATE transactions). Both databases."""

import threading

import pytest
from django.db import connection

from zhifa.ledger import checks
from zhifa.ledger.models import Checkpoint, Log
from zhifa.org import actions as org
from zhifa.org.choices import AuthEventKind
from zhifa.org.models import AuthEvent

THREADS = 4
EACH = 8


def _run(work):
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def run(i):
        try:
            barrier.wait()
            work(i)
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_login_events_keep_one_chain_and_checkpoints_do_not_collide(world, settings):
    settings.LEDGER_CHECKPOINT_SECONDS = 1  # sign often, so that commits race to sign
    people = [world.officer, world.head, world.officer_b, None]

    def work(i):
        for n in range(EACH):
            person = people[i]
            org.record_auth_event(
                AuthEventKind.FAILURE,
                username=person.username if person else f"nobody{n}",
                person=person,
                ip=f"10.0.0.{i + 1}",
            )

    _run(work)
    seqs = list(AuthEvent.objects.filter(seq__isnull=False).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS * EACH + 1))
    assert Checkpoint.objects.exists()
    for log in Log.objects.all():
        sizes = list(Checkpoint.objects.filter(log=log).values_list("size", flat=True))
        assert len(sizes) == len(set(sizes)) and all(size <= log.size for size in sizes)
    report = checks.verify()
    assert report.ok, [str(p) for p in report.problems]

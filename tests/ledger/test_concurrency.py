"""Concurrent appends: one unbroken chain, no shared sequence numbers (PostgreSQL row lock; SQLite's
IMMEDIATE transactions). These run on both databases; CI runs the suite on each."""

import threading
import time

import pytest
from django.db import connection, transaction

from zhifa.ledger import actions, checks
from zhifa.ledger.models import Entry, Log
from zhifa.org.models import AuthEvent

THREADS = 6
EACH = 20


def _in_thread(target, errors):
    def run(*args):
        try:
            target(*args)
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    return run


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain(world):
    start = Log.objects.get(pk=world.a.pk).size
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def work(i):
        barrier.wait()
        for n in range(EACH):
            with transaction.atomic():
                AuthEvent.objects.create(kind="login", username=f"writer{i}-{n}")  # the business write
                actions.append(
                    agency=world.a, actor=None, action="test.concurrent", payload={"writer": i, "n": n}
                )

    threads = [threading.Thread(target=_in_thread(work, errors), args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    log = Log.objects.get(pk=world.a.pk)
    assert log.size == start + THREADS * EACH
    seqs = list(Entry.objects.filter(log=log).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(log.size))
    assert AuthEvent.objects.filter(username__startswith="writer").count() == THREADS * EACH
    report = checks.verify(agency=world.a)
    assert report.ok, report.problems
    # Each writer's own entries are in its order.
    import json

    order: dict[int, list[int]] = {}
    for body in (
        Entry.objects.filter(log=log, action="test.concurrent").order_by("seq").values_list("body", flat=True)
    ):
        payload = json.loads(bytes(body))["record"]["payload"]
        order.setdefault(payload["writer"], []).append(payload["n"])
    assert all(ns == list(range(EACH)) for ns in order.values())


@pytest.mark.django_db(transaction=True)
def test_a_second_append_waits_for_the_first_transaction(world):
    appended, released = threading.Event(), threading.Event()
    times: dict[str, float] = {}
    seqs: dict[str, int] = {}
    errors: list[Exception] = []

    def first():
        with transaction.atomic():
            seqs["first"] = actions.append(agency=world.a, actor=None, action="test.first", payload={}).seq
            appended.set()
            released.wait(10)
            time.sleep(0.3)
            times["first_commit"] = time.monotonic()

    def second():
        appended.wait(10)
        with transaction.atomic():
            seqs["second"] = actions.append(agency=world.a, actor=None, action="test.second", payload={}).seq
        times["second_done"] = time.monotonic()

    threads = [threading.Thread(target=_in_thread(f, errors)) for f in (first, second)]
    for t in threads:
        t.start()
    appended.wait(10)
    released.set()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert seqs["second"] == seqs["first"] + 1
    assert times["second_done"] >= times["first_commit"]
    assert checks.verify(agency=world.a).ok


@pytest.mark.django_db(transaction=True)
def test_agencies_do_not_wait_for_each_other_on_postgresql(world):
    """Each log is locked by its own row: an open append to agency A's log does not hold up agency B's."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database for every writer; row locks are PostgreSQL's")
    appended, release = threading.Event(), threading.Event()
    errors: list[Exception] = []
    done: dict[str, bool] = {}

    def hold_a():
        with transaction.atomic():
            actions.append(agency=world.a, actor=None, action="test.hold", payload={})
            appended.set()
            release.wait(10)

    def append_b():
        appended.wait(10)
        with transaction.atomic():
            actions.append(agency=world.b, actor=None, action="test.other", payload={})
        done["b"] = not release.is_set()

    threads = [threading.Thread(target=_in_thread(f, errors)) for f in (hold_a, append_b)]
    for t in threads:
        t.start()
    threads[1].join(10)
    release.set()
    threads[0].join(10)
    assert not errors, errors
    assert done["b"], "agency B's append waited for agency A's transaction"
    assert checks.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_append_leaves_no_trace(world):
    """On PostgreSQL a connection remembers where it left a log; after a rollback that memory is wrong,
    and the database must refuse it rather than fork the chain."""
    with transaction.atomic():
        actions.append(agency=world.a, actor=None, action="test.kept", payload={})
    size = Log.objects.get(pk=world.a.pk).size
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        actions.append(agency=world.a, actor=None, action="test.rolled_back", payload={})
        1 / 0  # noqa: B018
    errors: list[Exception] = []

    def other():  # another connection appends meanwhile
        with transaction.atomic():
            actions.append(agency=world.a, actor=None, action="test.other", payload={})

    t = threading.Thread(target=_in_thread(other, errors))
    t.start()
    t.join(30)
    assert not errors, errors
    for _ in range(3):
        with transaction.atomic():
            actions.append(agency=world.a, actor=None, action="test.after", payload={})
    log = Log.objects.get(pk=world.a.pk)
    assert log.size == size + 4
    assert not Entry.objects.filter(log=log, action="test.rolled_back").exists()
    assert checks.verify(agency=world.a).ok

"""Numbers under concurrent issuing: officers finalise documents of the same kind at the same moment, on
PostgreSQL with real row locks. Every number is used once and none is skipped."""

import threading

import pytest
from django.db import connection, connections

from zhifa.org.models import Person
from zhifa.records import actions
from zhifa.records.choices import DocumentKind
from zhifa.records.models import Document

pytestmark = pytest.mark.postgres

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_finalising_numbers_without_gaps_or_twins(cw):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite takes one writer at a time, so no two issuers can race there")
    drafts = []
    for _ in range(THREADS):
        case = cw.new_case()  # different cases: only the number counter is shared between the issuers
        doc = actions.generate_document(cw.officer, case, kind=DocumentKind.INTAKE_RECORD)
        actions.sign_document(cw.officer, doc)
        drafts.append(doc.pk)
    barrier = threading.Barrier(THREADS)
    numbers: dict[int, str] = {}
    errors: list[BaseException] = []

    def issue(pk: int) -> None:
        try:
            officer = Person.objects.get(pk=cw.officer.pk)
            document = Document.objects.get(pk=pk)
            barrier.wait(timeout=30)
            numbers[pk] = actions.finalise_document(officer, document).number
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(pk,)) for pk in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(numbers.values()) == sorted(f"2026-{n:04d}" for n in range(1, THREADS + 1))
    serials = sorted(
        Document.objects.filter(kind=DocumentKind.INTAKE_RECORD).values_list("serial", flat=True)
    )
    assert serials == list(range(1, THREADS + 1))

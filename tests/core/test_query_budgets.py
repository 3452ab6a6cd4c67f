"""Query budgets (as NetBox keeps them): each list page runs a fixed number of queries, whatever the number of rows.

Each test builds a page's data through the actions layer, counts the queries of one GET with one row, adds rows
up to twenty, counts again, and asserts both counts against the page's budget — one constant, the same for 1 and
for 20. A page that starts running a query per row fails here before it is slow in a bureau.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import clock, cw  # noqa: F401
from tests.review.conftest import rw  # noqa: F401
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import RecordKind
from zhifa.ledger.models import Entry

# Queries of one GET (session, user and roles included), the same with 1 and with 20 rows. Lower them when a page
# gets cheaper; never raise one to make a test pass without finding the per-row query.
BUDGETS = {
    # with the review panel, the decision's blockers and gates, and the access entry it writes; +2 for the time-limits
    # panel (the decision period's events with their approvers, the agency's extension rule); +3 for the acting
    # officers and their certificates (with their fields) inside the review digest (review point 2), +1 for the
    # remedies panel — fixed costs, the same with 1 and with 20 records
    "case_detail": 72,
    "case_list": 14,
    "review_queue": 16,
    "case_documents": 19,
    "party_records": 12,
    "access_log": 17,
}
MANY = 20


def queries_of(client, url: str, **params) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_query_budget(page: str, counts: dict[int, tuple[int, list[str]]]) -> None:
    budget = BUDGETS[page]
    report = {n: c for n, (c, _sql) in counts.items()}
    print(f"{page}: {report} (budget {budget})")
    import os

    if os.environ.get("ZHIFA_DUMP_QUERIES"):
        for n, (_c, sql) in counts.items():
            with open(f"{os.environ['ZHIFA_DUMP_QUERIES']}/{page}-{n}.sql", "w") as fh:
                fh.write("\n".join(sql))
    for n, (count, sql) in counts.items():
        assert count <= budget, f"{page} with {n} rows ran {count} queries (budget {budget}):\n" + "\n".join(
            sql
        )


def png(i: int) -> bytes:
    from tests.records.conftest import signature_png

    return signature_png(width=100 + i)


def add_evidence(w, case, tmp_path, i: int):
    from zhifa.records import evidence, ingest

    data = png(i)
    path = tmp_path / f"in-{i}"
    path.write_bytes(data)
    received = ingest.Received(
        path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), original_name=f"{i}.png"
    )
    return evidence.add_evidence(
        w.officer, case, received=received, kind="documentary", description=f"营业场所照片{i}"
    )


def onsite(w, case, i: int):
    return case_actions.add_record(
        w.officer,
        case,
        kind=RecordKind.ONSITE,
        data={"observations": f"诊室内有患者正在输液（{i}）"},
        started_at=timezone.now() - dt.timedelta(minutes=i),
        place="甲区健康路1号",
        officers=[w.officer, w.officer2],
        certificates_shown=w.certs(),
    )


def filed(w):
    case = w.new_case()
    case_actions.request_filing(w.officer, case)
    case_actions.approve_filing(w.head, case, opinion="同意立案")
    case.refresh_from_db()
    return case


@pytest.fixture
def av_listed(cw):  # noqa: F811
    """On-site inspection is on the agency's 音像记录事项清单 (根据情况), so every on-site record gets its AV check."""
    from zhifa.catalog import actions as catalog_actions

    catalog_actions.save_av_item(
        None,
        cw.a,
        act_code="on-site-inspection",
        seq=4,
        act="现场检查",
        stage="investigation",
        place="现场",
        mode="as_needed",
        device="执法记录仪",
        recorder="执法人员",
        content="检查过程",
    )
    return cw


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.RECORDS_SEAL_DIR = tmp_path / "seal"
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")


def _grow_case(w, case, tmp_path, start: int, stop: int) -> None:
    """Records, documents on them, and evidence items ``start`` … ``stop - 1`` of the case."""
    from zhifa.records import actions as record_actions

    for i in range(start, stop):
        record = onsite(w, case, i)
        record_actions.generate_document(w.officer, case, kind="onsite_record", record=record)
        add_evidence(w, case, tmp_path, i)


def _notified(w, case):
    """Investigation closed, the draft a reviewed penalty, the party notified (the decision's gates are shown)."""
    from decimal import Decimal

    from zhifa.cases.choices import Outcome, PenaltyKind

    case_actions.add_record(
        w.officer,
        case,
        kind=RecordKind.DELIBERATION,
        data={"conclusion": "建议给予警告并处罚款"},
        started_at=timezone.now(),
    )
    case_actions.update_draft(
        w.officer,
        case,
        outcome=Outcome.PENALTY,
        facts="未取得执业许可证擅自执业。",
        evidence_summary="现场笔录、照片。",
        penalty_kinds=[PenaltyKind.WARNING, PenaltyKind.FINE],
        fine_amount=Decimal("5000"),
        confiscation_amount=Decimal("0"),
        violated_provisions="《医疗机构管理条例》第十四条",
        penalty_provisions="《医疗机构管理条例》第四十三条",
        discretion="首次违法，一般情节",
    )
    case_actions.close_investigation(w.officer, case)
    case.refresh_from_db()
    w.approve(case)
    from tests.cases.conftest import notice_fast

    notice_fast(w, case)  # the notice on file (the page's queries are measured, not the PDF)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("stage", ["investigating", "notified"])
def test_case_page(rw, av_listed, tmp_path, login, stage):  # noqa: F811
    """Records with their officers and certificates, documents, evidence, AV checks; once notified, also the review
    panel, the decision's blockers and gates (review reasons and the digest)."""
    w = rw
    client = login(w.head)
    counts = {}
    for n in (1, MANY):
        case = filed(w)
        _grow_case(w, case, tmp_path, 100 * n, 100 * n + n)
        if stage == "notified":
            case = _notified(w, case)
        url = reverse("cases:detail", args=[case.pk])
        client.get(url)  # caches warm (content types, the calendar)
        opened = Entry.objects.filter(
            action="ledger.access", object_kind="cases.case", object_id=str(case.pk)
        )
        before = opened.count()
        counts[n] = queries_of(client, url)
        assert opened.count() == before + 1  # every reading is still recorded (调阅留痕), within the budget
    assert_query_budget("case_detail", counts)


def test_case_list(cw, login):  # noqa: F811
    client = login(cw.officer)
    url = reverse("cases:list")
    cw.new_case()
    client.get(url)
    counts = {1: queries_of(client, url)}
    for _i in range(MANY - 1):
        cw.new_case()
    counts[MANY] = queries_of(client, url)
    assert_query_budget("case_list", counts)


def test_review_queue(rw, login):  # noqa: F811
    """The reviewer's queue (待我审核) with the submissions to assign and the overdue ones beside it."""
    from zhifa.review import actions as review_actions

    def grow(n):
        for _i in range(n):
            submission = rw.submit(rw.investigate(rw.new_case()))
            review_actions.assign(rw.head, submission, reviewers=[rw.reviewer])

    url = reverse("review:home")
    grow(1)
    client = login(rw.reviewer)
    client.get(url)
    counts = {1: queries_of(client, url)}
    grow(MANY - 1)
    counts[MANY] = queries_of(client, url)
    assert_query_budget("review_queue", counts)
    # a head sees the same rows as overdue and, before assignment, as waiting for a reviewer
    rw.submit(rw.investigate(rw.new_case()))
    rw.clock.move_to(rw.clock.today + dt.timedelta(days=60))
    client = login(rw.head)
    client.get(url)
    assert_query_budget("review_queue", {MANY: queries_of(client, url)})


def test_case_documents(cw, login):  # noqa: F811
    from zhifa.records import actions as record_actions

    case = filed(cw)
    client = login(cw.officer)
    url = reverse("records:case_documents", args=[case.pk])

    def grow(start, stop):
        for i in range(start, stop):
            record_actions.generate_document(
                cw.officer, case, kind="onsite_record", record=onsite(cw, case, i)
            )

    grow(0, 1)
    client.get(url)
    counts = {1: queries_of(client, url)}
    grow(1, MANY)
    counts[MANY] = queries_of(client, url)
    assert_query_budget("case_documents", counts)


def test_party_records(cw, tmp_path, login):  # noqa: F811
    """The party's documents and evidence together (集中存储), over several cases."""
    from zhifa.records import actions as record_actions

    cases = [filed(cw), filed(cw)]
    client = login(cw.officer)
    url = reverse("records:party_records", args=[cw.clinic.pk])

    def grow(start, stop):
        for i in range(start, stop):
            case = cases[i % 2]
            add_evidence(cw, case, tmp_path, i)
            record_actions.generate_document(
                cw.officer, case, kind="onsite_record", record=onsite(cw, case, i)
            )

    grow(0, 1)
    client.get(url)
    counts = {1: queries_of(client, url)}
    grow(1, MANY)
    counts[MANY] = queries_of(client, url)
    assert_query_budget("party_records", counts)


def test_access_log(cw, tmp_path, login):  # noqa: F811
    """Openings of different evidence items, documents and cases, each looked up to its case."""
    from zhifa.ledger import actions as ledger_actions
    from zhifa.records import actions as record_actions

    case = filed(cw)
    client = login(cw.supervisor)
    url = reverse("records:access_log")

    def grow(start, stop):
        for i in range(start, stop):
            item = add_evidence(cw, case, tmp_path, i)
            ledger_actions.record_access(cw.officer, item, "查看证据")
            if i % 4 == 0:
                doc = record_actions.generate_document(
                    cw.officer, case, kind="onsite_record", record=onsite(cw, case, i)
                )
                ledger_actions.record_access(cw.officer2, doc, "查看文书")
                ledger_actions.record_access(cw.head, filed(cw), "查看案件")

    grow(0, 1)
    client.get(url)
    counts = {1: queries_of(client, url)}
    grow(1, MANY)
    counts[MANY] = queries_of(client, url)
    assert_query_budget("access_log", counts)

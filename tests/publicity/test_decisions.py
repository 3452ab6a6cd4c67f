"""事后公开 on the portal (issue 15): a released decision is found by anyone through search and filters, its page
shows the summary and the public text with a ledger proof that verifies, the reviewer corrects the removals before
releasing, and a decision changed or annulled by a recorded 复议/诉讼 outcome is withdrawn with its public reason."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from tests.publicity.test_publication import _decided, _working_days_after
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.ledger import actions as ledger_actions
from zhifa.ledger import checks, keys, notes, verify_bundle
from zhifa.ledger import queries as ledger_queries
from zhifa.publicity import publication, search
from zhifa.publicity.choices import PublicationState
from zhifa.publicity.models import Publication
from zhifa.remedies import actions as remedy_actions
from zhifa.remedies.choices import RemedyKind, RemedyOutcome
from zhifa.workdays.models import Deadline

pytestmark = pytest.mark.django_db

PERSON_ID = "11010519491231002X"
PERSON_ADDRESS = "甲区平安街2号"


def _released(cw, party=None):  # noqa: F811
    case = _decided(cw, party)
    pub = publication.submit(cw.officer, case.publication)
    return publication.release(cw.head, pub)


def _state_ok():
    report = checks.verify(state=True, files=False)
    assert report.ok, [str(p) for p in report.problems]


def test_a_released_decision_is_found_by_search_and_filters(cw, client, monkeypatch):  # noqa: F811
    person = _released(cw, cw.person_party)
    org = _released(cw)
    draft = _decided(cw).publication  # not released: never on the portal
    url = reverse("publicity:decisions")

    def found(**params):
        page = client.get(url, params)
        assert page.status_code == 200
        return {p.pk for p in page.context["page"].object_list}

    assert found() == {person.pk, org.pk}
    assert person.summary["party"] == "张某" and PERSON_ID not in person.text
    # Words of the text, the party as published, the document number, the cause; every word must match.
    assert found(q="张某") == {person.pk}
    assert found(q=org.summary["party"]) == {org.pk}
    assert found(q=person.summary["number"]) == {person.pk}
    assert found(q="医疗机构管理条例") == {person.pk, org.pk}
    assert found(q="医疗机构管理条例 张某") == {person.pk}
    assert found(q="不存在的词语组合") == set()
    # What was removed is not searchable.
    assert found(q=PERSON_ID) == set() and found(q="平安街") == set()
    # Filters: agency, kind, penalty kind, enforcement item, dates; a bad one is reported, not an error page.
    assert found(org=cw.a.code) == {person.pk, org.pk} and found(org=cw.b.code) == set()
    assert found(kind="penalty", penalty="fine") == {person.pk, org.pk}
    assert found(penalty="suspend_business") == set()
    day = person.decided_on.isoformat()
    assert found(**{"from": day, "to": day}) == {person.pk, org.pk}
    before = (person.decided_on - dt.timedelta(days=1)).isoformat()
    assert found(to=before) == set()
    page = client.get(url, {"from": "31/12/2026", "org": "nowhere"}).content.decode()
    assert "日期格式应为" in page and "没有这个执法主体" in page
    assert draft.pk not in found()
    # The count is bounded: past the cap the page says "more than" instead of counting every match.
    from zhifa.publicity import decision_views

    monkeypatch.setattr(decision_views, "COUNT_CAP", 1)
    page = client.get(url)
    assert "超过 1 件决定" in page.content.decode() and len(page.context["rows"]) == 2
    monkeypatch.undo()
    # Sorted newest first by default; oldest first on request.
    assert [r["p"].pk for r in client.get(url, {"sort": "old"}).context["rows"]][0] == person.pk
    # A search's matches in the same order (on PostgreSQL read by the word index and sorted: decision_views.page_of).
    for sort, order in (("old", [person.pk, org.pk]), ("new", [org.pk, person.pk])):
        rows = client.get(url, {"q": "医疗机构管理条例", "sort": sort}).context["rows"]
        assert [r["p"].pk for r in rows] == order and all(r["s"]["number"] for r in rows)
    # Open data and the feed select the same decisions.
    data = json.loads(client.get(reverse("publicity:decisions_export", args=["json"]), {"q": "张某"}).content)
    assert [r["id"] for r in data["results"]] == [person.pk] and data["results"][0]["party"] == "张某"
    csv_text = client.get(reverse("publicity:decisions_export", args=["csv"])).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id,number,agency,party") and PERSON_ID not in csv_text
    assert client.get(reverse("publicity:decisions_export", args=["xml"])).status_code == 404
    feed = client.get(reverse("publicity:decisions_feed")).content.decode()
    assert "张某" in feed and reverse("publicity:decision", args=[person.pk]) in feed


def test_the_filter_words_have_their_own_column_and_rows_released_before_get_them(cw, client):  # noqa: F811
    """Released: ``facets`` holds the filter words (the text's words stay in ``search_text``); on PostgreSQL a filter
    reads the small array generated from it. Migration 0010 fills the column of decisions released before it."""
    import importlib

    from django.apps import apps as django_apps

    from zhifa.ledger.tracking import unrecorded_writes
    from zhifa.publicity import decision_views

    pub = _released(cw, cw.person_party)
    words = pub.facets.split()
    assert set(words) == set(search.tags(pub)) and all(search.is_filter_word(w) for w in words)
    assert {"kind_penalty", "pk_fine", "outcome_penalty", search.number_tag(pub.summary["number"])} <= set(
        words
    )
    assert not any(search.is_filter_word(w) for w in search.tokens(pub.text).split())
    qs, _f, _problems = decision_views.filtered({"q": "张某", "penalty": "fine"})
    sql = str(qs.query)
    if connection.vendor == "postgresql":
        assert "facet_words" in sql and "search_words" in sql
    assert list(qs) == [pub]
    migration = importlib.import_module("zhifa.publicity.migrations.0010_publication_facets")
    with unrecorded_writes():
        Publication.objects.filter(pk=pub.pk).update(facets="")
        migration.fill(django_apps, connection)
    pub.refresh_from_db()
    assert sorted(pub.facets.split()) == sorted(words)
    assert [
        p.pk for p in client.get(reverse("publicity:decisions"), {"penalty": "fine"}).context["page"]
    ] == [pub.pk]


def test_decisions_released_before_the_act_filter_get_its_word(cw, client):  # noqa: F811
    """Migration 0013: a decision released before the 执法行为 filter existed (every one a 行政处罚) gets the word
    ``act_penalty`` in its filter words and its search words, and the filter finds it again."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps as django_apps

    from zhifa.ledger.tracking import unrecorded_writes

    pub = _released(cw, cw.person_party)
    assert "act_penalty" in pub.facets.split() and "act_penalty" in pub.search_text.split()

    def found():
        return [p.pk for p in client.get(reverse("publicity:decisions"), {"act": "penalty"}).context["page"]]

    assert found() == [pub.pk]
    with unrecorded_writes():
        Publication.objects.filter(pk=pub.pk).update(
            facets=" ".join(w for w in pub.facets.split() if w != "act_penalty"),
            search_text=" ".join(w for w in pub.search_text.split() if w != "act_penalty"),
        )
        assert found() == []
        migration = importlib.import_module("zhifa.publicity.migrations.0013_act_kind_word")
        migration.forwards(django_apps, SimpleNamespace(connection=connection))
        migration.forwards(django_apps, SimpleNamespace(connection=connection))  # once only
    pub.refresh_from_db()
    assert pub.facets.split().count("act_penalty") == 1
    assert found() == [pub.pk]
    assert client.get(reverse("publicity:decisions"), {"act": "compulsion"}).context["page"].object_list == []


def test_a_search_sorts_its_matches_or_walks_the_date_index_as_the_figures_say():
    """decision_views.page_of on PostgreSQL: fetch and sort every match while that reads less than walking the date
    index to fill a page; the crossover docs/publication.md gives (about 12,000 matches among 1,000,000 published
    decisions, 3,700 among 100,000)."""
    from zhifa.publicity import decision_views

    assert decision_views.sorting_beats_walking(11_500, 1_000_000)
    assert not decision_views.sorting_beats_walking(12_500, 1_000_000)
    assert decision_views.sorting_beats_walking(3_600, 100_000)
    assert not decision_views.sorting_beats_walking(3_900, 100_000)
    assert decision_views.sorting_beats_walking(0, 0)


@given(data=st.data())
def test_the_peeking_paginator_counts_only_when_the_page_cannot_tell(data):
    """decision_views.PeekingPaginator against the counting CappedPaginator on a real table (up to 60 of Django's
    permissions): the same page, rows, count, "more than" and number of pages for any page size, cap and page
    asked for (an edited address included), whether or not the planner's estimate says the selection is far past the
    cap (here the true figure, as an estimate ten times off would be the risk docs/publication.md describes); and it
    asks the database only what it needs: a page that is not full is one query (the page is the count), a full page
    of a selection far past the cap is one, other full pages count to the cap (two)."""
    from django.contrib.auth.models import Permission

    from zhifa.publicity import decision_views

    ids = list(Permission.objects.order_by("id").values_list("id", flat=True)[:60])
    total = data.draw(st.integers(0, len(ids)), label="rows")
    qs = Permission.objects.filter(id__lte=ids[total - 1] if total else 0).order_by("id")
    per_page = data.draw(st.integers(1, 12), label="per_page")
    cap = data.draw(st.integers(0, total + 5), label="cap")
    number = data.draw(st.one_of(st.integers(-1, total // per_page + 3), st.sampled_from(["", "x", None])))
    told = data.draw(st.booleans(), label="estimate given")
    far = total > decision_views.BEYOND * cap
    expected = decision_views.CappedPaginator(qs, per_page, cap=cap).get_page(number)
    peeking = decision_views.PeekingPaginator(qs, per_page, cap=cap, beyond=(lambda: far) if told else None)
    with CaptureQueriesContext(connection) as captured:
        page = peeking.get_page(number)
        rows = [p.pk for p in page.object_list]
    assert (page.number, rows) == (expected.number, [p.pk for p in expected.object_list])
    assert (peeking.count, peeking.capped, peeking.num_pages) == (
        expected.paginator.count,
        expected.paginator.capped,
        expected.paginator.num_pages,
    )
    asked = (
        int(number) if str(number).lstrip("-").isdigit() else 1
    ) - 1  # below 0: Django shows the last page
    within = 0 <= asked and asked * per_page <= cap
    remaining = total - asked * per_page
    if within and (0 < remaining <= per_page or (asked == 0 and remaining <= per_page)):
        assert len(captured) == 1, "the page is the count"
    elif within and remaining > per_page and told and far:
        assert len(captured) == 1, "far past the cap: no count"
    elif within and remaining > per_page:
        assert len(captured) == 2, "counted to the cap"


def test_a_full_page_far_past_the_cap_is_not_counted(cw, client, monkeypatch):  # noqa: F811
    """On the portal: a search whose first page is not full is counted from the page; on PostgreSQL, a full page of a
    filter the planner expects far past the cap says "more than" with no count query."""
    from zhifa.publicity import decision_views

    first, second = _released(cw), _released(cw)
    url = reverse("publicity:decisions")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url, {"penalty": "fine"})
    assert page.context["page"].paginator.count == 2 and "共 2 件决定" in page.content.decode()
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    monkeypatch.setattr(decision_views, "PAGE_SIZE", 1)
    monkeypatch.setattr(decision_views, "COUNT_CAP", 0)
    monkeypatch.setattr(decision_views, "BEYOND", 1)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url, {"penalty": "fine"})
    counted = any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    assert [r["p"].pk for r in page.context["rows"]] == [second.pk]
    assert "超过 0 件决定" in page.content.decode()
    # PostgreSQL's planner expects the two decisions (more than 1 × the cap of 0): no count; SQLite has no estimate.
    assert counted == (connection.vendor != "postgresql")
    assert first.pk != second.pk


@pytest.mark.django_db
def _test_postgresql_keeps_statistics_of_ten_thousand_search_words():
    """Migration 0012: the planner's estimate of how many decisions hold a word, which page_of chooses by, comes from
    the 10,000 most common search words, not 1,000."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'publicity_publication'::regclass "
            "AND attname = 'search_words'"
        )
        assert cursor.fetchone()[0] == 1000


if (
    connection.vendor == "postgresql"
):  # SQLite's FTS5 index has no planner statistics: nothing to collect there
    test_postgresql_keeps_statistics_of_ten_thousand_search_words = (
        _test_postgresql_keeps_statistics_of_ten_thousand_search_words
    )


def test_search_words_and_the_index_agree():
    """A query's words are always among the words of a text that contains it, whatever surrounds it (pairs of
    characters, runs of letters and digits); the filter words keep to their own names."""
    text = "明山区卫生健康局 生活饮用水卫生监督 明卫罚〔2026〕12号 91350100M000100Y43"
    words = search.tokens(text).split()
    assert len(words) == len(set(words))
    for query in ("饮用水", "卫生健康局", "明卫罚", "2026", "12号", "91350100m000100y43", "罚"):
        assert set(search.query_words(query)) <= set(words), query
    assert not set(search.query_words("饮水")) <= set(words)
    assert search.query_words("，。！") == []
    assert search.tag("item", "330217-001.A") == "item_330217_001_a"


@given(
    st.text(alphabet="甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥ab12，。 ", min_size=1, max_size=60),
    st.data(),
)
def test_every_piece_of_a_text_finds_it(text, data):
    """Property: any piece of the text (two characters or more of one run, or a whole word of letters and
    digits) is found by the words of the text."""
    words = set(search.tokens(text).split())
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    piece = text[start:end]
    assert set(search.query_words(piece)) <= words or any(
        len(run) == 1 or not search._is_cjk(run) for run in search._RUN.findall(piece)
    )


def test_the_decision_page_shows_the_public_text_and_a_proof_that_verifies(
    cw,  # noqa: F811
    client,
    django_assert_max_num_queries,
):
    pub = _released(cw, cw.person_party)
    url = reverse("publicity:decision", args=[pub.pk])
    with django_assert_max_num_queries(
        8
    ):  # budget: the publication, the portal's agency and agencies, the log
        page = client.get(url).content.decode()
    assert pub.text.splitlines()[0] in page and "张某" in page
    assert PERSON_ID not in page and PERSON_ADDRESS not in page
    assert pub.summary["number"] in page and "publication-check" in page and "ledger/check.js" in page
    with django_assert_max_num_queries(6):
        client.get(reverse("publicity:decisions"))
    # The public PDF: the public text, marked 公开版, nothing removed in it; rendered once per text.
    pdf = client.get(reverse("publicity:decision_pdf", args=[pub.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "公开版" in text and "张某" in text and pub.summary["number"] in text
    assert PERSON_ID not in text and PERSON_ADDRESS not in text
    assert client.get(reverse("publicity:decision_pdf", args=[pub.pk])).content == pdf.content
    # Not yet under a signed checkpoint: the bundle says so and signs nothing for an anonymous visitor.
    log = ledger_queries.public_logs().get(agency=pub.agency)
    before = log.checkpoints.count()
    bundle = json.loads(client.get(reverse("publicity:decision_proof", args=[pub.pk])).content)
    assert log.checkpoints.count() == before
    if bundle.get("pending"):
        assert all(e["seq"] < bundle["pending"][0] for e in bundle["entries"])
    ledger_actions.make_checkpoint(pub.agency, force=True)
    bundle = json.loads(client.get(reverse("publicity:decision_proof", args=[pub.pk])).content)
    assert "pending" not in bundle
    key = notes.parse_vkey(keys.public_key(log).vkey())
    entries = verify_bundle.verify(bundle, key)
    actions = [e["head"]["action"] for e in entries]
    assert actions == [
        "publicity.open_publication",
        "publicity.submit_publication",
        "publicity.release_publication",
    ]
    released = entries[-1]["record"]["payload"]["state"]
    assert released["text"] == pub.text and released["text_sha256"] == pub.text_sha256
    # What the public may download holds nothing the redaction removed.
    for item in bundle["entries"]:
        body = base64.b64decode(item["body"]).decode()
        assert PERSON_ID not in body and PERSON_ADDRESS not in body and "张三" not in body
    # A publication not on the portal has no page, no proof and is in no list.
    draft = _decided(cw).publication
    for name in ("publicity:decision", "publicity:decision_proof", "publicity:decision_pdf"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404


def test_the_reviewer_puts_back_and_adds_removals_before_releasing(cw, login):  # noqa: F811
    case = _decided(cw, cw.person_party)
    pub = publication.submit(cw.officer, case.publication)
    assert all("text" not in r for r in pub.removals)  # offsets only: the removed text stays in the case
    url = reverse("catalog:publication_detail", args=[pub.pk])
    page = login(cw.reviewer).get(url).content.decode()
    assert 'value="revise"' in page and 'name="undo"' in page and "publicity/revise.js" in page
    assert 'value="revise"' not in login(cw.officer).get(url).content.decode()  # the submitter does not check
    with pytest.raises(ActionDenied):
        publication.revise(cw.officer, pub, add=["行政处罚"])
    original, _same = publication.original_text(pub)
    id_index = next(i for i, r in enumerate(pub.removals) if r["kind"] == "id_number")
    login(cw.reviewer).post(url, {"step": "revise", "undo": [str(id_index)], "add": "医疗机构管理条例\n"})
    pub.refresh_from_db()
    assert PERSON_ID in pub.text  # put back (the reviewer's call, recorded)
    assert "医疗机构管理条例" not in pub.text and "■■■■■■■■" in pub.text
    assert any(
        r["kind"] == "manual" and original[r["start"] : r["end"]] == "医疗机构管理条例" for r in pub.removals
    )
    entry = ledger_queries.object_entries("publicity.publication", str(pub.pk)).order_by("-seq").first()
    assert entry.action == "publicity.revise_publication" and entry.actor_id == cw.reviewer.pk
    assert json.loads(bytes(entry.body))["record"]["payload"]["state"]["text_sha256"] == pub.text_sha256
    # Text the original does not hold, or nothing to change: refused, nothing changed.
    sha = pub.text_sha256
    with pytest.raises(RuleViolation, match="没有"):
        publication.revise(cw.reviewer, pub, add=["原文没有的文字"])
    with pytest.raises(RuleViolation):
        publication.revise(cw.reviewer, pub, undo=[99])
    pub.refresh_from_db()
    assert pub.text_sha256 == sha
    publication.release(cw.reviewer, pub)
    _state_ok()


def test_an_annulled_decision_is_withdrawn_within_three_working_days_with_its_reason(cw, login, client):  # noqa: F811
    pub = _released(cw)
    case = pub.case
    proceeding = remedy_actions.record_proceeding(
        cw.officer, case, kind=RemedyKind.RECONSIDERATION, applied_on=case.decided_on, body="甲区人民政府"
    )
    remedy_actions.record_outcome(
        cw.head, proceeding, outcome=RemedyOutcome.ANNULLED, decided_on=case.decided_on, note="撤销原处罚决定"
    )
    pub.refresh_from_db()
    assert pub.state == PublicationState.PUBLISHED  # still public until withdrawn, now with a deadline
    assert pub.withdrawal_due_on == _working_days_after(case.decided_on, 3)
    assert "行政复议" in pub.public_reason and "撤销" in pub.public_reason
    deadline = Deadline.objects.get(kind__code="publication_withdrawal", object_id=pub.pk)
    assert deadline.due == pub.withdrawal_due_on and deadline.met_on is None
    listed = login(cw.officer).get(reverse("catalog:publications"), {"withdraw": "1"}).content.decode()
    assert case.reference in listed and f"须于 {pub.withdrawal_due_on.isoformat()} 前撤回" in listed
    url = reverse("catalog:publication_detail", args=[pub.pk])
    page = login(cw.officer).get(url).content.decode()
    assert "撤回期限" in page and 'value="withdraw"' not in page  # the officer may not withdraw
    with pytest.raises(ActionDenied):
        publication.withdraw(cw.officer, pub)
    login(cw.head).post(url, {"step": "withdraw", "reason": ""})  # the outcome's reason is kept
    pub.refresh_from_db()
    assert pub.state == PublicationState.WITHDRAWN and pub.withdrawn_by == cw.head
    deadline.refresh_from_db()
    assert deadline.met_on is not None
    # Off the list; its page keeps the notice and the reason, not the text.
    assert pub.pk not in {
        p.pk for p in client.get(reverse("publicity:decisions")).context["page"].object_list
    }
    page = client.get(reverse("publicity:decision", args=[pub.pk])).content.decode()
    assert "本决定已撤回" in page and pub.public_reason in page and pub.text.splitlines()[-1] not in page
    with pytest.raises(RuleViolation):
        publication.withdraw(cw.head, pub, reason="再次撤回")
    # The public API: the withdrawn decision is off the list; its record gives the notice, not the text.
    api = client.get(f"/api/v1/decisions/{pub.pk}/").json()
    assert api["withdrawn"] is True and api["text"] == "" and api["public_reason"] == pub.public_reason
    assert pub.pk not in [r["id"] for r in client.get("/api/v1/decisions/").json()["results"]]
    _state_ok()


def test_the_public_api_searches_filters_and_gives_the_text_like_the_portal(cw, client):  # noqa: F811
    """/api/v1/decisions/: no sign-in, the portal's parameters and selection, the count with its cap; a decision's
    record with the public text and the SHA-256 the ledger holds; nothing unpublished; bad filters reported."""
    person = _released(cw, cw.person_party)
    org = _released(cw)
    draft = _decided(cw).publication
    listed = client.get("/api/v1/decisions/").json()
    assert [r["id"] for r in listed["results"]] == [org.pk, person.pk]  # newest first (the same day: by id)
    assert listed["count"] == 2 and listed["capped"] is False and listed["problems"] == []
    assert [r["id"] for r in client.get("/api/v1/decisions/", {"q": "张某"}).json()["results"]] == [person.pk]
    assert client.get("/api/v1/decisions/", {"penalty": "suspend_business"}).json()["results"] == []
    bad = client.get("/api/v1/decisions/", {"from": "31/12/2026"}).json()
    assert bad["count"] == 2 and "日期格式应为" in bad["problems"][0]
    record = client.get(f"/api/v1/decisions/{person.pk}/").json()
    assert record["party"] == "张某" and record["text"] == person.text and PERSON_ID not in str(record)
    assert record["text_sha256"] == person.text_sha256 and record["proof"].endswith(
        f"/{person.pk}/proof.json"
    )
    assert client.get(f"/api/v1/decisions/{draft.pk}/").status_code == 404
    assert client.get("/api/v1/decisions/x/").status_code == 404


def test_a_decision_annulled_before_it_was_published_is_not_published(cw):  # noqa: F811
    case = _decided(cw)
    pub = case.publication
    proceeding = remedy_actions.record_proceeding(
        cw.officer, case, kind=RemedyKind.LITIGATION, applied_on=case.decided_on, body="甲区人民法院"
    )
    remedy_actions.record_outcome(
        cw.head, proceeding, outcome=RemedyOutcome.VOID, decided_on=case.decided_on, note="确认无效"
    )
    pub.refresh_from_db()
    assert pub.state == PublicationState.NOT_PUBLISHED and "行政诉讼" in pub.public_reason
    assert pub.not_published_ground == "changed" and pub.not_published_by == cw.head
    deadline = Deadline.objects.get(kind__code="publication_penalty", object_id=pub.pk)
    assert deadline.ended_on is not None
    with pytest.raises(RuleViolation):
        publication.submit(cw.officer, pub)
    # An outcome that upholds the decision changes nothing.
    other = _released(cw)
    p2 = remedy_actions.record_proceeding(
        cw.officer,
        other.case,
        kind=RemedyKind.RECONSIDERATION,
        applied_on=other.decided_on,
        body="甲区人民政府",
    )
    remedy_actions.record_outcome(cw.head, p2, outcome=RemedyOutcome.UPHELD, decided_on=other.decided_on)
    other.refresh_from_db()
    assert other.state == PublicationState.PUBLISHED and other.withdrawal_due_on is None
    _state_ok()


def test_the_search_index_is_the_databases_own(cw):  # noqa: F811
    """The query runs in the database from its index: FTS5 on SQLite, the GIN index on PostgreSQL."""
    pub = _released(cw)
    qs = Publication.objects.filter(search_text__matches=search.query_words("医疗机构"))
    with CaptureQueriesContext(connection) as captured:
        assert list(qs.values_list("pk", flat=True)) == [pub.pk]
    sql = captured.captured_queries[0]["sql"]
    assert ("MATCH" in sql) if connection.vendor == "sqlite" else ("@>" in sql)
    # SQLite: a migration that rebuilds the table drops its triggers; after every migration they are put back and
    # the index rebuilt (search.ensure_index on post_migrate).
    if connection.vendor == "sqlite":
        assert search.ensure_index() is False  # all there after the project's migrations
        with connection.cursor() as cursor:
            for name in search.SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('delete-all')")
        assert list(qs.values_list("pk", flat=True)) == []
        assert search.ensure_index() is True
        assert list(qs.values_list("pk", flat=True)) == [pub.pk]
    # Words are bound parameters: quotes and SQL in a query are only words that match nothing.
    hostile = search.query_words("\"医疗' OR 1=1 --") + ['"); DROP TABLE publicity_publication; --']
    assert list(Publication.objects.filter(search_text__matches=hostile)) == []
    assert Publication.objects.filter(pk=pub.pk).exists()


def test_the_head_decides_not_to_publish_with_a_legal_ground(cw, login):  # noqa: F811
    """不予公开 is the head's decision, with its legal ground and an explanation; nothing else may do it."""
    pub = _decided(cw, cw.person_party).publication
    url = reverse("catalog:publication_detail", args=[pub.pk])
    assert 'value="not_publish"' not in login(cw.officer).get(url).content.decode()
    assert 'value="not_publish"' not in login(cw.reviewer).get(url).content.decode()
    assert login(cw.officer).post(url, {"step": "not_publish", "ground": "minor"}).status_code == 403
    with pytest.raises(ActionDenied):
        publication.decide_not_to_publish(cw.reviewer, pub, ground="minor", explanation="当事人未满十八周岁")
    page = login(cw.head).get(url).content.decode()
    assert 'value="not_publish"' in page and "当事人是未成年人" in page
    # The outcome's own ground is not a choice; a ground without an explanation is refused; nothing changes.
    for ground, explanation in (("changed", "x"), ("", "x"), ("minor", " ")):
        with pytest.raises(RuleViolation):
            publication.decide_not_to_publish(cw.head, pub, ground=ground, explanation=explanation)
    pub.refresh_from_db()
    assert pub.state == PublicationState.DRAFT
    login(cw.head).post(url, {"step": "not_publish", "ground": "minor", "explanation": "当事人未满十八周岁"})
    pub.refresh_from_db()
    assert (pub.state, pub.not_published_ground, pub.not_published_by) == (
        PublicationState.NOT_PUBLISHED,
        "minor",
        cw.head,
    )
    assert pub.public_reason.endswith("当事人未满十八周岁")
    assert Deadline.objects.get(kind__code="publication_penalty", object_id=pub.pk).ended_on is not None
    entry = ledger_queries.object_entries("publicity.publication", str(pub.pk)).order_by("-seq").first()
    assert entry.action == "publicity.not_published" and entry.actor_id == cw.head.pk
    with pytest.raises(RuleViolation):
        publication.submit(cw.officer, pub)
    _state_ok()

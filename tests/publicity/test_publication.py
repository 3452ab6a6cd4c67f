"""事后公开 (issue 15): a decision opens its publication and the publication's deadline in its own transaction."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from zhifa.cases import actions
from zhifa.cases.choices import Outcome
from zhifa.core.errors import RuleViolation
from zhifa.ledger import checks
from zhifa.ledger.models import Entry
from zhifa.publicity import publication
from zhifa.publicity.choices import PublicationKind, PublicationState
from zhifa.publicity.models import Publication
from zhifa.publicity.redaction import case_context
from zhifa.workdays import queries as wd_queries
from zhifa.workdays.models import Deadline

pytestmark = pytest.mark.django_db


def _decided(cw, party=None, *, finalise=True):  # noqa: F811
    case = cw.investigate(cw.new_case(party))
    cw.notice(case)
    actions.waive_statement(cw.officer, case, signer="李康宁")
    case = cw.decide(case)
    if finalise:  # the decision document numbered (文号), as before it is served
        from zhifa.records import decision_draft

        cw.finalise(case, decision_draft.kind_for(case))
        case.refresh_from_db()
    return case


def _working_days_after(start, n):
    """Counted here day by day on the calendar (the start day not counted; 行政处罚法 art. 85)."""
    calendar, day, counted = wd_queries.current_calendar(), start, 0
    while counted < n:
        day = day.fromordinal(day.toordinal() + 1)
        counted += calendar.is_working_day(day)
    return day


def test_a_penalty_decision_opens_its_publication_due_in_seven_working_days(cw, login):  # noqa: F811
    case = _decided(cw)
    pub = Publication.objects.get(case=case)
    assert (pub.kind, pub.state, pub.agency, pub.decided_on) == (
        PublicationKind.PENALTY,
        PublicationState.DRAFT,
        case.agency,
        case.decided_on,
    )
    assert pub.due_on == _working_days_after(case.decided_on, 7)
    deadline = Deadline.objects.get(kind__code="publication_penalty", object_id=pub.pk)
    assert deadline.due == pub.due_on and deadline.met_on is None
    # On the agency's deadline list at once, for the officer who handles the case.
    page = login(cw.officer).get(reverse("workdays:deadlines")).content.decode()
    assert case.reference in page and "行政处罚、行政许可决定公示期限" in page
    # In the ledger with the decision, and the ledger verifies.
    decide_entry = Entry.objects.filter(action="cases.decide", object_id=str(case.pk)).get()
    opened = Entry.objects.filter(action="publicity.open_publication", object_id=str(pub.pk)).get()
    assert opened.seq > decide_entry.seq
    report = checks.verify(state=True, files=False)
    assert report.ok, [str(p) for p in report.problems]


def test_each_outcome_has_its_period_and_a_transfer_publishes_nothing():
    class Decided:
        def __init__(self, outcome):
            self.outcome = outcome

    assert publication.kind_for(Decided(Outcome.PENALTY)) == PublicationKind.PENALTY
    assert publication.kind_for(Decided(Outcome.NO_PENALTY_MINOR)) == PublicationKind.OTHER
    assert publication.kind_for(Decided(Outcome.NO_PENALTY_UNPROVEN)) == PublicationKind.OTHER
    assert publication.kind_for(Decided(Outcome.TRANSFER)) is None
    assert publication.DEADLINE_KINDS == {
        PublicationKind.PENALTY: "publication_penalty",
        PublicationKind.OTHER: "publication_other",
    }
    lengths = {code: wd_queries.kind_by_code(code).length for code in publication.DEADLINE_KINDS.values()}
    assert lengths == {"publication_penalty": 7, "publication_other": 20}


def test_a_refused_decision_opens_no_publication(cw):  # noqa: F811
    case = cw.investigate(cw.new_case())
    with pytest.raises(RuleViolation):  # no notice yet: the decision is refused
        actions.decide(cw.head, case)
    assert not Publication.objects.exists()


def test_the_publication_list_shows_due_and_late_decisions_to_their_readers(cw, clock, login):  # noqa: F811
    case = _decided(cw)
    pub = case.publication
    page = login(cw.officer).get(reverse("catalog:publications")).content.decode()
    assert (
        case.reference in page
        and "待编辑" in page
        and f"{pub.due_on:%Y-%m-%d}" in page
        and '<strong class="late">' not in page
    )
    assert (
        case.reference
        not in login(cw.officer).get(reverse("catalog:publications") + "?late=1").content.decode()
    )
    # Past the due date and still not published: 已逾期 (in words, not by colour alone), and in the late filter.
    clock.move_to(pub.due_on.fromordinal(pub.due_on.toordinal() + 1))
    client = login(cw.officer)
    late = client.get(reverse("catalog:publications") + "?late=1").content.decode()
    assert case.reference in late and '<strong class="late">已逾期</strong>' in late
    assert (
        case.reference
        not in client.get(reverse("catalog:publications") + "?state=published").content.decode()
    )
    # Another agency's officer sees none of it; someone who reads no agency's cases is refused.
    assert case.reference not in login(cw.officer_b).get(reverse("catalog:publications")).content.decode()
    assert login(cw.sysadmin).get(reverse("catalog:publications")).status_code == 403


def test_the_publication_list_counts_to_a_cap_and_its_pages_keep_the_filters(cw, login, monkeypatch):  # noqa: F811
    """A province's agency: the list stops counting at the cap and says so; the pager's links keep the filters."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from zhifa.publicity import decision_views

    _decided(cw)
    _decided(cw)
    monkeypatch.setattr(decision_views, "COUNT_CAP", 1)
    page = login(cw.officer).get(reverse("catalog:publications")).content.decode()
    assert "超过 1 件，后面的页不再列出" in page
    request = RequestFactory().get("/catalog/publications/", {"state": "draft", "late": "1", "page": "1"})
    html = render_to_string(
        "core/_pager.html", {"page": Paginator(list(range(120)), 50).get_page(1)}, request=request
    )
    assert "?state=draft&amp;late=1&amp;page=2" in html


def test_the_public_text_of_a_real_decision(cw):  # noqa: F811
    """The decision document the decision bound, as text, through the redaction with what the case knows: an
    organisation's decision loses nothing (its name, code, legal representative and address are public; the
    amount 伍仟元整 is not a name); a natural person's loses the identity number and address, the name is masked, and
    the other people the case's records name (here the signer of the waiver) are in the context to be removed."""
    org = _decided(cw)
    text = publication.decision_text(org)
    assert "行政处罚决定书" in text and org.party.name in text and "伍仟元整" in text
    assert publication.public_text(org).text == text

    person = _decided(cw, cw.person_party)
    text = publication.decision_text(person)
    assert "11010519491231002X" in text and "甲区平安街2号" in text and "张三" in text
    public = publication.public_text(person)
    assert "11010519491231002X" not in public.text and "甲区平安街2号" not in public.text
    assert "张三" not in public.text and "张某" in public.text
    assert (
        "甲区卫生健康局" in public.text
        and "《医疗机构管理条例》第十四条" in public.text
        and "伍仟元整" in public.text
    )
    context = case_context.context_for(person)
    assert context.remove["11010519491231002X"] == "id_number" and context.party_kind == "person"
    assert context.remove["李康宁"] == "name"  # signed the statement waiver (tests above: waive_statement)
    assert {link.person.full_name for link in person.officer_links.all()} <= context.keep


def test_an_on_the_spot_penalty_is_published_from_its_numbered_decision_form(cw):  # noqa: F811
    """当场处罚 (简易程序) is a penalty decision too: it opens its publication (7 working days) in its transaction, and
    the public text is its numbered 当场行政处罚决定书 with the natural person's identity removed."""
    from tests.cases.test_simple_procedure import _kwargs

    case = actions.decide_on_the_spot(cw.officer, **_kwargs(cw))
    pub = Publication.objects.get(case=case)
    assert (pub.kind, pub.state, pub.decided_on) == (
        PublicationKind.PENALTY,
        PublicationState.DRAFT,
        case.decided_on,
    )
    deadline = Deadline.objects.get(kind__code="publication_penalty", object_id=pub.pk)
    assert deadline.due == _working_days_after(case.decided_on, 7)
    actions_in_order = [
        e.action
        for e in Entry.objects.filter(log__agency=cw.a).order_by("seq")
        if e.action.startswith("publicity.")
    ]
    assert actions_in_order == ["publicity.open_publication"]
    text = publication.decision_text(case)
    assert "当场行政处罚决定书" in text and "11010519491231002X" in text
    pub = publication.submit(cw.officer, pub)
    assert pub.summary["number"] == "甲卫医当罚〔2026〕1号" and pub.summary["party"] == "张某"
    assert (
        "11010519491231002X" not in pub.text
        and "甲区平安街2号" not in pub.text
        and "甲卫医当罚〔2026〕1号" in pub.text
    )
    pub = publication.release(cw.head, pub)
    assert pub.state == PublicationState.PUBLISHED


def test_submitted_by_one_released_by_another_with_the_text_hash_in_the_ledger(cw, login):  # noqa: F811
    """待编辑 → 待审核 (the officer: the public text, its removals and SHA-256 kept) → 已公开 (a second person: the
    head); the submitter may not release, the buttons shown are the ones the person may press, the deadline is met."""
    import hashlib
    import json

    case = _decided(cw, cw.person_party)
    pub = case.publication
    url = reverse("catalog:publication_detail", args=[pub.pk])
    officer = login(cw.officer)
    page = officer.get(url).content.decode()
    assert 'value="submit"' in page and 'value="release"' not in page
    assert "<mark" in page and "11010519491231002X" in page  # the original beside the public text
    assert (
        officer.post(url, {"step": "release"}).status_code == 403
    )  # not pending, and not the officer's to release
    officer.post(url, {"step": "submit"})
    pub.refresh_from_db()
    assert pub.state == PublicationState.PENDING and pub.submitted_by == cw.officer
    assert "11010519491231002X" not in pub.text and "张某" in pub.text
    assert pub.text_sha256 == hashlib.sha256(pub.text.encode()).hexdigest()
    assert any(r["kind"] == "id_number" and r["reason"] for r in pub.removals)
    entry = Entry.objects.get(action="publicity.submit_publication", object_id=str(pub.pk))
    assert json.loads(bytes(entry.body))["record"]["payload"]["state"]["text_sha256"] == pub.text_sha256
    # The submitter sees no release button; the head does.
    assert 'value="release"' not in login(cw.officer).get(url).content.decode()
    with pytest.raises(RuleViolation, match="两人规则"):
        publication.release(cw.officer, pub)
    assert 'value="release"' in login(cw.head).get(url).content.decode()
    assert login(cw.officer_b).get(url).status_code == 404
    login(cw.head).post(url, {"step": "release"})
    pub.refresh_from_db()
    assert pub.state == PublicationState.PUBLISHED and pub.released_by == cw.head
    deadline = Deadline.objects.get(kind__code="publication_penalty", object_id=pub.pk)
    assert deadline.met_on is not None
    page = login(cw.head).get(url).content.decode()
    # nothing left to press but 撤回, the head's
    assert 'value="submit"' not in page and 'value="release"' not in page and pub.text_sha256 in page
    assert (
        'value="withdraw"' in page and 'value="withdraw"' not in login(cw.officer).get(url).content.decode()
    )
    report = checks.verify(state=True, files=False)
    assert report.ok, [str(p) for p in report.problems]

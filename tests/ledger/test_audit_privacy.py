"""三员分立: the audit administrator reads audit records — who, which act, when, which object, the hashes — and no
business or personal data; the content of an entry is read by who may read its object (issue 13, item 1)."""

import pytest
from django.urls import reverse

from tests.cases.conftest import clock, cw, draft_decision_document  # noqa: F401 (fixtures)
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import IdType, PartyKind
from zhifa.core.errors import RuleViolation
from zhifa.ledger import actions, bundles
from zhifa.ledger.models import Checkpoint, Entry, VerificationRun
from zhifa.org import actions as org_actions
from zhifa.publicity import actions as publicity_actions

ID_NUMBER = "110108198506172319"
PHONE = "13912345678"
ADDRESS = "乙街道幸福里七号院"
FACTS = "未取得执业许可证擅自执业"  # the draft's facts (cw.investigate)
PENALTY = "《医疗机构管理条例》第四十三条"  # the draft's penalty provision
EXPLANATION = "拟给予警告并处罚款"  # the 送审 explanation
OPINION = "当事人初次违法且主动整改审核认为裁量适当"  # the reviewer's opinion
COMPLAINANT = "李举报人"
COMPLAINANT_PHONE = "13700001111"
COMPLAINT_TEXT = "诊所夜间无证行医扰民"

SECRETS = [
    ID_NUMBER,
    PHONE,
    ADDRESS,
    FACTS,
    PENALTY,
    EXPLANATION,
    OPINION,
    COMPLAINANT,
    COMPLAINANT_PHONE,
    COMPLAINT_TEXT,
]


@pytest.fixture
def story(cw):  # noqa: F811 (the fixture imported above)
    """A case about a natural person (ID number, phone, address), investigated and reviewed; a complaint with
    the complainant's name and phone; every entry under a signed checkpoint."""
    cw.party = case_actions.register_party(
        cw.officer,
        cw.a,
        kind=PartyKind.NATURAL,
        name="王小明",
        id_type=IdType.RESIDENT_ID,
        id_number=ID_NUMBER,
        address=ADDRESS,
        phone=PHONE,
    )
    cw.case = cw.investigate(cw.new_case(party=cw.party))
    cw.submission = _review(cw, cw.case)
    cw.complaint, _code = publicity_actions.submit_complaint(
        cw.a,
        kind="report",
        subject="举报无证行医",
        content=COMPLAINT_TEXT,
        name=COMPLAINANT,
        phone=COMPLAINANT_PHONE,
    )
    actions.make_checkpoints(force=True)
    return cw


def _review(w, case):
    """送审, 指派 and an all-pass opinion whose summary is the reviewer's own words."""
    from zhifa.review import actions as review_actions
    from zhifa.review.rules import POINT_CODES

    draft_decision_document(w, case)
    s = review_actions.submit(
        w.officer,
        case,
        explanation=EXPLANATION + "。",
        discretion_reason="一般情节。",
        qualifications="两名承办人均持证。",
    )
    review_actions.assign(w.head, s, reviewers=[w.reviewer])
    review_actions.give_opinion(
        w.reviewer,
        s,
        points={c: {"result": "pass", "comment": ""} for c in POINT_CODES},
        outcome="agree",
        summary=OPINION,
    )
    s.refresh_from_db()
    return s


def _entries_about(w, kind, object_id):
    return list(
        Entry.objects.filter(log_id=w.a.pk, object_kind=kind, object_id=str(object_id)).order_by("seq")
    )


def _assert_private(raw: bytes, where: str):
    for value in SECRETS:
        assert value.encode() not in raw, f"{value} in {where}"


def test_the_story_puts_every_secret_in_the_ledger(story):
    """The premise: the entries do carry these values (so the checks below can fail)."""
    bodies = b"".join(bytes(e.body) for e in Entry.objects.filter(log_id=story.a.pk))
    for value in SECRETS:
        assert value.encode() in bodies, value


def test_audit_api_gives_the_audit_administrator_the_frame_not_the_content(story, client):
    _token, raw = org_actions.create_api_token(story.auditor, name="审计")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    party_entries = _entries_about(story, "cases.party", story.party.pk)
    response = client.get("/api/v1/ledger/entries/", {"agency": "agency-a", "kind": "cases.party"}, **auth)
    assert response.status_code == 200
    _assert_private(response.content, "the API filtered by cases.party")
    rows = {row["seq"]: row for row in response.json()["results"]}
    for entry in party_entries:
        row = rows[entry.seq]
        assert row["leaf_hash"] == entry.leaf_hash.hex()
        assert row["action_label"] == "登记当事人" and row["actor_name"] == "甲执法" and row["actor_roles"]
        assert row["object_kind"] == "cases.party" and row["object_id"] == str(story.party.pk)
        assert row["content"] is False and row["record"] is None
        assert row["prev_hash"] == row["head"]["prev"] and len(row["prev_hash"]) == 64
    # Every entry of the log, page by page.
    url, seen = "/api/v1/ledger/entries/?agency=agency-a&limit=40", 0
    while url:
        response = client.get(url, **auth)
        assert response.status_code == 200
        _assert_private(response.content, url)
        data = response.json()
        seen += len(data["results"])
        url = data["next"]
    assert seen == Entry.objects.filter(log_id=story.a.pk).count()


def test_supervisor_who_reads_the_case_reads_its_entries(story, login):
    """The justice bureau's supervisor may read the agency's cases, so the content of their entries."""
    response = login(story.supervisor).get(
        "/api/v1/ledger/entries/", {"agency": "agency-a", "kind": "cases.party", "object": story.party.pk}
    )
    assert response.status_code == 200
    row = response.json()["results"][-1]
    assert row["content"] is True and row["record"]["payload"]["state"]["id_number"] == ID_NUMBER
    seq = _entries_about(story, "cases.party", story.party.pk)[0].seq
    page = login(story.supervisor).get(reverse("ledger:entry_detail", args=["agency-a", seq]))
    assert ID_NUMBER.encode() in page.content and PHONE.encode() in page.content


def test_audit_pages_show_no_content(story, login):
    client = login(story.auditor)
    log_page = client.get(reverse("ledger:audit_log", args=["agency-a"]))
    assert log_page.status_code == 200
    _assert_private(log_page.content, "the audit log page")
    text = log_page.content.decode()
    assert "登记当事人" in text and "甲执法" in text
    entries = list(Entry.objects.filter(log_id=story.a.pk).order_by("seq"))
    newest = entries[-1]
    assert newest.leaf_hash.hex()[:16] in text
    # every page, following its 下一页 link (keyset: after the last entry shown), shows each entry once
    seen, after, number = [], "", 1
    while True:
        other = client.get(reverse("ledger:audit_log", args=["agency-a"]), {"after": after} if after else {})
        _assert_private(other.content, f"audit log page {number}")
        seen += [view.entry.seq for view in other.context["entries"]]
        after, number = other.context["page"].next_cursor, number + 1
        if not after:
            break
        assert f"after={after}" in other.content.decode()
    assert seen == [entry.seq for entry in reversed(entries)] and number - 1 == -(-len(entries) // 50)
    for entry in entries:
        response = client.get(reverse("ledger:entry_detail", args=["agency-a", entry.seq]))
        assert response.status_code == 200
        _assert_private(response.content, f"entry {entry.seq}")
        text = response.content.decode()
        assert entry.leaf_hash.hex() in text
        if entry.seq:
            assert entries[entry.seq - 1].leaf_hash.hex() in text  # the previous entry's hash
    party_entry = _entries_about(story, "cases.party", story.party.pk)[0]
    text = client.get(reverse("ledger:entry_detail", args=["agency-a", party_entry.seq])).content.decode()
    assert "登记当事人" in text and "甲执法" in text and str(party_entry.seq) in text
    assert "包含证明" in text and "记录原文" not in text


@pytest.mark.parametrize(
    "kind,attr",
    [
        ("cases.party", "party"),
        ("cases.case", "case"),
        ("review.submission", "submission"),
        ("publicity.complaint", "complaint"),
    ],
)
def test_history_reached_by_the_auditor_shows_no_content(story, login, kind, attr):
    obj = getattr(story, attr)
    response = login(story.auditor).get(reverse("ledger:history", args=[kind, obj.pk]))
    assert response.status_code == 200
    _assert_private(response.content, f"history of {kind}")
    text = response.content.decode()
    for entry in _entries_about(story, kind, obj.pk):
        assert f"#{entry.seq}" in text
    assert "不显示记录内容" in text


def test_the_handling_officer_reads_the_content_and_another_agency_nothing(story, login, tmp_path):
    from zhifa.ledger import queries

    entries = _entries_about(story, "cases.case", story.case.pk)
    for person in (story.officer, story.officer2, story.head, story.supervisor):
        reader = queries.ContentReader(person)
        assert all(reader(e) for e in entries), person
    for person in (story.auditor, story.sysadmin, story.secadmin, story.officer_b):
        reader = queries.ContentReader(person)
        assert not any(reader(e) for e in entries), person
    # The officer's history page of the case shows the entries' reasons and files.
    case_page = login(story.officer).get(reverse("ledger:history", args=["cases.case", story.case.pk]))
    assert case_page.status_code == 200 and "不显示记录内容" not in case_page.content.decode()
    assert "修改：" in case_page.content.decode()  # the fields the draft's update changed
    auditor_page = login(story.auditor).get(reverse("ledger:history", args=["cases.case", story.case.pk]))
    assert auditor_page.status_code == 200 and "修改：" not in auditor_page.content.decode()
    # The review opinion (a kind no app registers): read by the agency's business roles and supervisors.
    opinion = Entry.objects.get(log_id=story.a.pk, action="review.give_opinion")
    assert OPINION.encode() in bytes(opinion.body)
    for person, may in ((story.reviewer, True), (story.supervisor, True), (story.auditor, False)):
        assert queries.ContentReader(person)(opinion) is may, person
    assert queries.ContentReader(story.officer_b)(opinion) is False
    # Agency B's officer: neither the history nor the audit records.
    b = login(story.officer_b)
    for kind, obj in (
        ("cases.case", story.case),
        ("cases.party", story.party),
        ("publicity.complaint", story.complaint),
    ):
        assert b.get(reverse("ledger:history", args=[kind, obj.pk])).status_code == 404
    assert b.get("/api/v1/ledger/entries/", {"agency": "agency-a"}).status_code == 403
    assert b.get(reverse("ledger:audit_log", args=["agency-a"])).status_code == 403


def test_a_proof_bundle_is_built_only_for_who_may_read_the_object(story):
    bundle = bundles.build("cases.party", str(story.party.pk), reader=story.officer)
    assert len(bundle["entries"]) == len(_entries_about(story, "cases.party", story.party.pk))
    for person in (story.auditor, story.officer_b):
        with pytest.raises(RuleViolation, match="不能导出其记录原文"):
            bundles.build("cases.party", str(story.party.pk), reader=person)


def test_the_auditor_still_verifies_and_signs(story, login):
    client = login(story.auditor)
    response = client.post(reverse("ledger:verify_now", args=["agency-a"]), {"state": "1"})
    assert response.status_code == 302
    run = VerificationRun.objects.get()
    assert run.ok and run.by == story.auditor
    before = Checkpoint.objects.filter(log_id=story.a.pk).count()
    actions.record_access(story.auditor, story.officer, "核对账户")
    assert client.post(reverse("ledger:checkpoint_now", args=["agency-a"])).status_code == 302
    assert Checkpoint.objects.filter(log_id=story.a.pk).count() == before + 1
    # The auditor's own read is an audit record: its reason is shown to the auditor.
    page = client.get(reverse("ledger:audit_log", args=["agency-a"]), {"action": "ledger.access"})
    assert "核对账户" in page.content.decode()


def test_complaint_and_person_entries_are_read_by_who_reads_the_object(story):
    from zhifa.ledger import queries

    complaint = _entries_about(story, "publicity.complaint", story.complaint.pk)
    person = _entries_about(story, "org.person", story.officer.pk)
    assert complaint and person
    for who, may in ((story.officer, True), (story.supervisor, True), (story.auditor, False)):
        assert all(queries.ContentReader(who)(e) is may for e in complaint), who
    for who, may in ((story.officer2, True), (story.secadmin, True), (story.auditor, False)):
        assert all(queries.ContentReader(who)(e) is may for e in person), who
    assert not any(queries.ContentReader(story.officer_b)(e) for e in complaint + person)

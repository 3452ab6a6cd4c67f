"""What the review sees and binds (issue 12, items 1–3): the decision document's draft reviewed and then decided
word for word; officers, certificates and the public-interest reason inside the digest; the conflict check at every
opinion."""

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.cases import actions as case_actions
from zhifa.org import actions as org_actions
from zhifa.records import actions as record_actions
from zhifa.records.models import Document
from zhifa.review import actions


def _ready(rw):
    case = rw.investigate(rw.new_case())
    rw.notice(case)
    case_actions.waive_statement(rw.officer, case, signer="李康宁")
    case.refresh_from_db()
    return case


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "d.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_no_decision_without_its_drafted_decision_document(rw):
    case = _ready(rw)
    with pytest.raises(ValidationError, match="代拟稿"):
        case_actions.decide(rw.head, case)
    with pytest.raises(ValidationError, match="缺少：决定书代拟稿"):
        rw.submit(case, draft=False)


def test_the_decided_document_is_the_reviewed_draft_word_for_word(rw, tmp_path):
    case = _ready(rw)
    draft = rw.draft_decision(case)
    draft = record_actions.edit_draft(
        rw.officer, draft, narrative={"facts": "经查，当事人未取得许可擅自执业（审核稿）。"}
    )
    # The draft cannot be finalised before the decision: the reviewer reviews a draft, the head decides it.
    with pytest.raises(ValidationError, match="作出决定后方可定稿"):
        record_actions.finalise_document(rw.officer, draft)
    rw.approve(case)
    case_actions.decide(rw.head, case)
    case.refresh_from_db()
    assert case.decision_snapshot["decision_document"]["id"] == draft.pk
    # After the decision its text cannot change, nor can it be discarded or drafted anew.
    with pytest.raises(ValidationError, match="不能修改"):
        record_actions.edit_draft(rw.officer, draft, narrative={"facts": "改写后的事实"})
    with pytest.raises(ValidationError, match="不能修改或作废"):
        record_actions.discard_draft(rw.officer, draft, reason="重写")
    with pytest.raises(ValidationError, match="不能另行制作"):
        record_actions.generate_document(rw.officer, case, kind="penalty_decision")
    final = rw.finalise(case, "penalty_decision")
    assert final.pk == draft.pk and final.number and final.dated == case.decided_on
    assert final.narrative["facts"] == "经查，当事人未取得许可擅自执业（审核稿）。"
    text = _text(_pdf(final), tmp_path)
    assert "审核稿" in text and final.number in text
    # A later correction is formal: a new version with its reason, the original kept and visible.
    correction = record_actions.correct_document(rw.officer, final, reason="当事人名称笔误")
    assert correction.version == 2 and correction.supersedes_id == final.pk
    assert Document.objects.get(pk=final.pk).state == "final"


def _pdf(document) -> bytes:
    from zhifa.records import storage

    return storage.read(document.pdf_name, document.pdf_sha256)


def test_replacing_an_officer_after_approval_makes_it_stale_and_says_so(rw, login):
    case = _ready(rw)
    rw.approve(case)
    third = rw.person(rw.a, "officer_a9", "甲执法九", "officer", unit=rw.section)
    org_actions.issue_certificate(
        None,
        third,
        number="CERT-0909",
        field_codes=["medical"],
        issuer="甲区人民政府",
        valid_from=rw.clock.today - dt.timedelta(days=30),
        valid_to=rw.clock.today + dt.timedelta(days=300),
    )
    case_actions.assign_officers(rw.head, case, officers=[rw.officer, third])
    with pytest.raises(ValidationError, match="审核通过后材料已变更.*承办人员或其执法证：甲执法九"):
        case_actions.decide(rw.head, case)
    page = login(rw.head).get(reverse("cases:action", args=[case.pk, "decide"])).content.decode()
    assert "承办人员或其执法证" in page and "甲执法九" in page
    brief = login(rw.head).get(f"/api/v1/cases/{case.pk}/decision-brief/").json()
    assert any("甲执法九" in b for b in brief["blockers"])


def test_changing_the_public_interest_reason_after_approval_makes_it_stale(rw):
    case = _ready(rw)
    case_actions.reopen_investigation(rw.officer, case, reason="补充")
    case_actions.update_draft(
        rw.officer, case, public_interest=True, public_interest_reason="涉及公共卫生安全"
    )
    case_actions.close_investigation(rw.officer, case)
    rw.notice(case)
    case_actions.waive_statement(rw.officer, case, signer="李康宁")
    rw.approve(case)
    case_actions.reopen_investigation(rw.officer, case, reason="改写说明")
    case_actions.update_draft(rw.officer, case, public_interest_reason="另一说明")
    case_actions.close_investigation(rw.officer, case)
    rw.notice(case)
    case_actions.waive_statement(rw.officer, case, signer="李康宁")
    with pytest.raises(ValidationError, match="重大公共利益"):
        case_actions.decide(rw.head, case)


def test_the_conflict_check_runs_at_every_opinion(rw):
    """Seen: the assigned reviewer was made a case officer afterwards and her approval was accepted."""
    case = _ready(rw)
    s = rw.submit(case)
    actions.assign(rw.head, s, reviewers=[rw.reviewer])
    org_actions.grant_role(None, rw.reviewer, "officer")
    org_actions.issue_certificate(
        None,
        rw.reviewer,
        number="CERT-0808",
        field_codes=["medical"],
        issuer="甲区人民政府",
        valid_from=rw.clock.today - dt.timedelta(days=30),
        valid_to=rw.clock.today + dt.timedelta(days=300),
    )
    case_actions.assign_officers(rw.head, case, officers=[rw.officer, rw.reviewer])
    with pytest.raises(ValidationError, match="应当回避"):
        actions.give_opinion(rw.reviewer, s, points=rw.all_pass(), outcome="agree", summary="同意")
    assert not s.opinions.exists()


def test_a_declared_connection_keeps_a_reviewer_and_a_participant_off(rw):
    case = _ready(rw)
    case_actions.declare_connection(rw.reviewer, case.party, relation="表兄弟")
    s = rw.submit(case)
    with pytest.raises(ValidationError, match="利害关系"):
        actions.assign(rw.head, s, reviewers=[rw.reviewer])
    second = rw.person(rw.a, "head_b9", "甲副局长九", "agency_head")
    case_actions.declare_connection(second, case.party, relation="同学")
    with pytest.raises(ValidationError, match="甲副局长九"):
        actions.open_discussion(rw.head, case, held_on=rw.clock.today, place="会议室", participants=[second])


def test_the_api_shows_the_computed_checklist_and_what_changed(rw, client):
    case = _ready(rw)
    s = rw.approve(case)
    token = org_actions.create_api_token(rw.reviewer, name="t")[1]
    data = client.get(f"/api/v1/reviews/{s.pk}/", HTTP_AUTHORIZATION="Bearer " + token).json()
    codes = {m["code"]: m for m in data["checklist"]}
    assert codes["draft"]["present"] and codes["draft"]["items"][0]["type"] == "document"
    assert codes["records"]["present"] and data["changes"] == []
    third = rw.person(rw.a, "officer_a7", "甲执法七", "officer", unit=rw.section)
    org_actions.issue_certificate(
        None,
        third,
        number="CERT-0707",
        field_codes=["medical"],
        issuer="甲区人民政府",
        valid_from=rw.clock.today - dt.timedelta(days=30),
        valid_to=rw.clock.today + dt.timedelta(days=300),
    )
    case_actions.assign_officers(rw.head, case, officers=[rw.officer, third])
    data = client.get(f"/api/v1/reviews/{s.pk}/", HTTP_AUTHORIZATION="Bearer " + token).json()
    assert any("甲执法七" in c for c in data["changes"])


def test_a_connected_head_is_told_before_signing_and_offered_no_button(rw, login):
    case = _ready(rw)
    rw.approve(case)
    case_actions.declare_connection(rw.head, case.party, relation="配偶的兄弟")
    page = login(rw.head).get(reverse("cases:action", args=[case.pk, "decide"])).content.decode()
    assert "应当回避" in page and "签发决定</button>" not in page
    with pytest.raises(ValidationError, match="回避"):
        case_actions.decide(rw.head, case)


def test_through_the_api_a_blank_opinion_and_a_single_person_pass_are_refused(rw, client):
    case = _ready(rw)
    s = rw.submit(case)
    actions.assign(rw.head, s, reviewers=[rw.reviewer])
    reviewer = {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(rw.reviewer, name="t")[1]}
    some = {c: {"result": "pass"} for c in list(rw.all_pass())[:5]}  # four of the nine left unanswered
    response = client.post(
        f"/api/v1/reviews/{s.pk}/opinion/",
        {"points": some, "outcome": "agree", "summary": "同意"},
        content_type="application/json",
        **reviewer,
    )
    assert response.status_code == 400 and "九个审核要点" in str(response.json())
    response = client.post(
        f"/api/v1/reviews/{s.pk}/opinion/",
        {"points": rw.all_pass(), "summary": "同意"},
        content_type="application/json",
        **reviewer,
    )
    assert response.status_code == 400 and not s.opinions.exists()
    client.post(
        f"/api/v1/reviews/{s.pk}/opinion/",
        {"points": rw.all_pass(law="条款有误"), "outcome": "problems", "summary": "存在问题"},
        content_type="application/json",
        **reviewer,
    )
    officer = {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(rw.officer, name="t")[1]}
    head = {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(rw.head, name="t")[1]}
    client.post(
        f"/api/v1/reviews/{s.pk}/escalate/", {"reason": "不同意"}, content_type="application/json", **officer
    )
    response = client.post(
        f"/api/v1/reviews/{s.pk}/coordinate/",
        {"outcome": "accept_unit", "decision": "采纳"},
        content_type="application/json",
        **head,
    )
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/reviews/{s.pk}/coordinate/",
        {"outcome": "refer_discussion", "decision": "提交集体讨论"},
        content_type="application/json",
        **head,
    )
    assert response.status_code == 200
    response = client.post(f"/api/v1/cases/{case.pk}/decide/", {}, content_type="application/json", **head)
    assert response.status_code == 400 and "须经法制审核通过" in str(response.json())


def test_a_fresh_agency_reviews_every_general_penalty_and_lists_field_and_level(rw, client):
    """No Criterion row at all: the statutory criterion still stands, through the API too."""
    from zhifa.review.models import Criterion

    assert not Criterion.objects.filter(agency=rw.a).exists()
    case = _ready(rw)
    rw.draft_decision(case)
    head = {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(rw.head, name="t")[1]}
    response = client.post(f"/api/v1/cases/{case.pk}/decide/", {}, content_type="application/json", **head)
    assert response.status_code == 400 and "一般程序行政处罚决定" in str(response.json())
    admin = {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(rw.sysadmin, name="t")[1]}
    listed = client.get("/api/v1/review-criteria/", **admin).json()
    assert any(r["kind"] == "general_penalty" for r in listed["statutory"])
    response = client.put(
        f"/api/v1/review-criteria/{rw.a.pk}/",
        {"kind": "level", "value": "capital", "label": "首都"},
        content_type="application/json",
        **admin,
    )
    assert response.status_code == 400 and "执法层级只能是" in str(response.json())
    for body in (
        {"kind": "level", "value": "county", "label": "县级机关"},
        {"kind": "field", "value": "medical", "label": "医疗卫生"},
    ):
        assert (
            client.put(
                f"/api/v1/review-criteria/{rw.a.pk}/", body, content_type="application/json", **admin
            ).status_code
            == 201
        )
    officer = {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(rw.officer, name="t")[1]}
    body = {"kind": "field", "value": "medical", "label": "x"}
    assert (
        client.put(
            f"/api/v1/review-criteria/{rw.a.pk}/", body, content_type="application/json", **officer
        ).status_code
        == 403
    )
    other = {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(rw.officer_b, name="t")[1]}
    assert (
        client.put(
            f"/api/v1/review-criteria/{rw.a.pk}/", body, content_type="application/json", **other
        ).status_code
        == 404
    )
    from zhifa.review import queries

    case.refresh_from_db()
    reasons = queries.review_reasons(case)
    assert "县级机关" in reasons and "医疗卫生" in reasons

"""Review pages and API: the reviewer's queue, the form, and every refusal."""

from django.urls import reverse

from zhifa.cases import actions as case_actions
from zhifa.org import actions as org_actions
from zhifa.review.models import Submission


def _ready(rw):
    case = rw.investigate(rw.new_case())
    rw.notice(case)
    case_actions.waive_statement(rw.officer, case, signer="李康宁")
    case.refresh_from_db()
    return case


def _bearer(person):
    return {"HTTP_AUTHORIZATION": "Bearer " + org_actions.create_api_token(person, name="t")[1]}


def test_submit_assign_and_review_through_pages(rw, login):
    case = _ready(rw)
    client = login(rw.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "须经法制审核" in page and "提交法制审核" in page
    body = {"mode": "single", "explanation": "说明", "discretion_reason": "一般", "qualifications": "持证"}
    submit_page = client.get(reverse("review:submit", args=[case.pk])).content.decode()
    assert "缺少" in submit_page and "决定书代拟稿" in submit_page  # the checklist is computed, not ticked
    response = client.post(reverse("review:submit", args=[case.pk]), body)
    assert response.status_code == 200 and "缺少：决定书代拟稿" in response.content.decode()
    assert '<button type="submit" class="primary">提交</button>' not in submit_page  # no form to press
    assert not Submission.objects.filter(case=case).exists()
    client.post(reverse("records:generate", args=[case.pk]), {"kind": "penalty_decision"})
    response = client.post(reverse("review:submit", args=[case.pk]), body)
    s = Submission.objects.get(case=case)
    assert response.status_code == 302
    assert (
        login(rw.officer)
        .post(reverse("review:assign", args=[s.pk]), {"reviewers": [rw.reviewer.pk]})
        .status_code
        == 403
    )
    s.refresh_from_db()
    assert not s.assignments.exists()  # the officer may not assign: refused, nothing written
    login(rw.head).post(reverse("review:assign", args=[s.pk]), {"reviewers": [rw.reviewer.pk]})
    assert s.assignments.filter(reviewer=rw.reviewer).exists()
    queue = login(rw.reviewer).get(reverse("review:home")).content.decode()
    assert case.reference in queue
    assert login(rw.reviewer2).get(reverse("review:opinion", args=[s.pk])).status_code == 403
    # The reviewer sees the decision draft (openable), the records and the checklist beside the form.
    panel = login(rw.reviewer).get(reverse("review:submission", args=[s.pk])).content.decode()
    draft = case.documents.get(kind="penalty_decision")
    assert (
        reverse("records:preview", args=[draft.pk]) in panel and "调查取证记录" in panel and "已有" in panel
    )
    assert "执法证" in panel
    # The opinion form starts blank: no point answered, no conclusion chosen.
    blank = login(rw.reviewer).get(reverse("review:opinion", args=[s.pk])).content.decode()
    assert "checked" not in blank and 'value="agree" selected' not in blank
    response = login(rw.reviewer).post(reverse("review:opinion", args=[s.pk]), {"summary": "同意"})
    assert response.status_code == 200 and "请逐项回答该审核要点" in response.content.decode()
    assert "请选择审核结论" in response.content.decode()
    s.refresh_from_db()
    assert not s.opinions.exists()
    form = {
        f"{c}_result": "pass"
        for c in (
            "subject",
            "qualification",
            "procedure",
            "facts",
            "law",
            "discretion",
            "authority",
            "documents",
            "transfer",
        )
    }
    response = login(rw.reviewer).post(
        reverse("review:opinion", args=[s.pk]), {**form, "outcome": "agree", "summary": "同意"}
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.state == "approved"
    assert "同意" in login(rw.supervisor).get(reverse("review:submission", args=[s.pk])).content.decode()


def test_other_agencies_and_administrators_see_no_reviews(rw, login, client):
    case = _ready(rw)
    s = rw.approve(case)
    for person in (rw.officer_b, rw.sysadmin, rw.secadmin, rw.auditor):
        assert login(person).get(reverse("review:submission", args=[s.pk])).status_code == 404
        assert client.get(f"/api/v1/reviews/{s.pk}/", **_bearer(person)).status_code == 404
    assert login(rw.officer_b).get(reverse("review:submit", args=[case.pk])).status_code == 404


def test_api_flow_and_refusals(rw, client):
    case = _ready(rw)
    body = {
        "case": case.pk,
        "explanation": "说明",
        "discretion_reason": "一般",
        "qualifications": "持证",
    }
    rw.draft_decision(case)
    assert (
        client.post(
            "/api/v1/reviews/", body, content_type="application/json", **_bearer(rw.officer_b)
        ).status_code
        == 404
    )
    response = client.post("/api/v1/reviews/", body, content_type="application/json", **_bearer(rw.officer))
    assert response.status_code == 201
    sid = response.json()["id"]
    response = client.post(
        f"/api/v1/reviews/{sid}/assign/",
        {"reviewers": [rw.officer2.pk]},
        content_type="application/json",
        **_bearer(rw.head),
    )
    assert response.status_code == 400 and "法制审核人员" in str(response.json())
    client.post(
        f"/api/v1/reviews/{sid}/assign/",
        {"reviewers": [rw.reviewer.pk]},
        content_type="application/json",
        **_bearer(rw.head),
    )
    points = {
        c: {"result": "pass"}
        for c in (
            "subject",
            "qualification",
            "procedure",
            "facts",
            "law",
            "discretion",
            "authority",
            "documents",
            "transfer",
        )
    }
    response = client.post(
        f"/api/v1/reviews/{sid}/opinion/",
        {"points": points, "outcome": "agree", "summary": "同意"},
        content_type="application/json",
        **_bearer(rw.reviewer2),
    )
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/reviews/{sid}/opinion/",
        {"points": points, "outcome": "agree", "summary": "同意"},
        content_type="application/json",
        **_bearer(rw.reviewer),
    )
    assert response.status_code == 200 and response.json()["state"] == "approved"
    response = client.post(
        f"/api/v1/cases/{case.pk}/decide/", {}, content_type="application/json", **_bearer(rw.head)
    )
    assert response.status_code == 200 and response.json()["state"] == "decided"


def test_opinion_document_is_numbered_sealed_and_shows_the_points(rw, login, tmp_path):
    import subprocess

    case = _ready(rw)
    s = rw.approve(case)
    response = login(rw.officer).get(reverse("review:opinion_pdf", args=[s.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "opinion.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "法制审核意见书" in text and s.number in text and "事实清楚、证据合法充分" in text
    from zhifa.records.seal import verify_pdf

    assert verify_pdf(response.content).intact
    again = login(rw.officer).get(reverse("review:opinion_pdf", args=[s.pk]))
    assert again.content == response.content  # made once, the same bytes afterwards
    assert login(rw.officer_b).get(reverse("review:opinion_pdf", args=[s.pk])).status_code == 404


def test_responsibility_is_read_from_the_ledger(rw, login):
    from zhifa.review import queries

    case = _ready(rw)
    rw.approve(case)
    case_actions.decide(rw.head, case)
    rows = queries.responsibility(case)
    assert [(r["what"], r["who"]) for r in rows] == [
        ("送审", "甲执法"),
        ("指派审核", "甲局长"),
        ("审核并签署意见", "甲审核"),
        ("作出决定（签发）", "甲局长"),
    ]
    assert "责任记录" in login(rw.supervisor).get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_home_page_shows_the_reviewer_queue_and_the_staffing_warning(rw, login):
    case = _ready(rw)
    s = rw.submit(case)
    from zhifa.review import actions as review_actions

    review_actions.assign(rw.head, s, reviewers=[rw.reviewer])
    assert case.reference in login(rw.reviewer).get(reverse("home")).content.decode()
    # 3 reviewers for 2 officers is enough; 40 more officers make it short of 5 %.
    assert "低于规定比例" not in login(rw.head).get(reverse("home")).content.decode()
    for i in range(60):
        rw.person(rw.a, f"extra{i}", f"新执法{i}", "officer")
    assert "低于规定比例" in login(rw.head).get(reverse("home")).content.decode()

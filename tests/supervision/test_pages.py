"""The 案卷评查 pages: who may open and press what, forms with errors in the user's language, query budgets."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.supervision import actions, queries
from zhifa.supervision.choices import EvaluationState
from zhifa.supervision.models import Evaluation

# Queries of one GET (session, user, roles included); the same for a sample of 4 files as for 10.
BUDGETS = {"home": 6, "evaluation": 9, "file": 7}


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def test_only_supervisors_enter_and_each_sees_only_what_they_supervise(sv, evaluation, login, client):
    url = reverse("supervision:evaluation", args=[evaluation.pk])
    for person in (sv.officer, sv.head, sv.reviewer, sv.auditor):
        login(person)
        assert client.get(reverse("supervision:home")).status_code == 403
        assert client.get(reverse("supervision:new_evaluation")).status_code == 403
        assert client.get(url).status_code == 404
    login(sv.supervisor_b)
    assert client.get(reverse("supervision:home")).status_code == 200
    assert client.get(url).status_code == 404
    assert client.post(reverse("supervision:draw", args=[evaluation.pk])).status_code == 404
    login(sv.supervisor)
    home = client.get(reverse("supervision:home"))
    assert evaluation.title in home.content.decode()
    assert "案卷评查" in client.get(reverse("home")).content.decode()  # in the menu
    client.logout()
    assert client.get(reverse("supervision:home")).status_code == 302


def test_a_supervisor_creates_an_evaluation_from_the_form(sv, login, client):
    login(sv.supervisor)
    url = reverse("supervision:new_evaluation")
    page = client.get(url).content.decode()
    assert sv.a.name in page and sv.b.name not in page  # only the agencies they supervise
    data = {
        "title": "2026年上半年案卷评查",
        "period_start": sv.period[0].isoformat(),
        "period_end": sv.period[1].isoformat(),
        "agencies": [sv.a.pk],
        "evaluators": [sv.supervisor.pk],
        "rate": "0",
        "minimum": "1",
    }
    bad = client.post(url, data)
    assert bad.status_code == 200 and "1" in bad.content.decode() and not Evaluation.objects.exists()
    data["rate"] = "20"
    data["evaluators"] = [sv.supervisor_b.pk]  # not offered: supervises B only
    assert client.post(url, data).status_code == 200 and not Evaluation.objects.exists()
    data["evaluators"] = [sv.supervisor.pk]
    response = client.post(url, data)
    ev = Evaluation.objects.get()
    assert response.status_code == 302 and response["Location"] == ev.get_absolute_url()
    assert (
        ev.standard == queries.default_standard()
    )  # none chosen: the platform's (the body has none of its own)
    page = client.get(ev.get_absolute_url()).content.decode()
    assert ev.commitment in page and ev.draw_seed not in page
    assert reverse("supervision:draw", args=[ev.pk]) in page  # the draw button's form


def test_the_draw_button_shows_only_when_the_period_is_over_and_to_whom_may_press_it(sv, login, client):
    ev = actions.create_evaluation(
        sv.supervisor,
        title="本期评查",
        period_start=sv.period[0],
        period_end=sv.period[1] + dt.timedelta(days=30),  # ends in the future
        agencies=[sv.a],
        evaluators=[sv.supervisor],
        rate=10,
    )
    login(sv.supervisor)
    page = client.get(ev.get_absolute_url()).content.decode()
    draw_url = reverse("supervision:draw", args=[ev.pk])
    assert draw_url not in page and "结束后可以封存抽样框" in page
    response = client.post(reverse("supervision:draw", args=[ev.pk]), follow=True)
    assert "期间结束后" in response.content.decode()
    ev.refresh_from_db()
    assert ev.state == EvaluationState.OPEN
    login(sv.inside)  # supervises A but is neither organiser nor evaluator of this one
    page = client.get(ev.get_absolute_url()).content.decode()
    assert draw_url not in page
    assert client.post(reverse("supervision:draw", args=[ev.pk])).status_code == 403


def test_the_evaluator_walks_a_file_in_the_pages(sv, evaluation, login, client):
    login(sv.supervisor)
    response = client.post(reverse("supervision:draw", args=[evaluation.pk]), follow=True)
    page = response.content.decode()
    assert evaluation.draw_seed in page and f"zhifa supervision redraw {evaluation.pk}" in page
    f = evaluation.files.filter(evaluator=sv.supervisor).order_by("position").first()
    url = reverse("supervision:file", args=[f.pk])
    page = client.get(url).content.decode()
    assert f.case.reference in page and "评定" not in page.split("</h1>")[0]
    # another evaluator sees the file but has no button on it, and is refused if they post
    login(sv.inside)
    other = client.get(url).content.decode()
    assert "保存" not in other and "确认全部平台判断" not in other
    assert (
        client.post(
            reverse("supervision:answer", args=[f.pk]), {"code": "subject", "verdict": "pass"}
        ).status_code
        == 403
    )
    login(sv.supervisor)
    bad = client.post(reverse("supervision:answer", args=[f.pk]), {"code": "subject", "verdict": "fail"})
    assert bad.status_code == 400 and "请写明不符合的具体问题" in bad.content.decode()
    assert 'href="#item-subject"' in bad.content.decode()  # the error names its item
    if "确认全部平台判断" in page:
        assert client.post(reverse("supervision:confirm", args=[f.pk])).status_code == 302
    f.refresh_from_db()
    for item in evaluation.standard.items.all():
        if not (f.answers.get(item.code) or {}).get("verdict"):
            r = client.post(
                reverse("supervision:answer", args=[f.pk]), {"code": item.code, "verdict": "pass"}
            )
            assert r.status_code == 302, r.content.decode()[:500]
    page = client.get(url).content.decode()
    assert "全部项目已评查" in page
    client.post(reverse("supervision:finish", args=[f.pk]))
    f.refresh_from_db()
    assert f.grade and f.score is not None
    page = client.get(url).content.decode()
    assert f.get_grade_display() in page and "保存" not in page
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert f.get_grade_display() in page


def test_query_budgets_do_not_grow_with_the_sample(sv, login, client):
    counts = {}
    for rate in (30, 100):
        ev = actions.create_evaluation(
            sv.supervisor,
            title=f"评查{rate}",
            period_start=sv.period[0],
            period_end=sv.period[1],
            agencies=[sv.a],
            evaluators=[sv.supervisor, sv.inside],
            rate=rate,
        )
        actions.draw_sample(sv.supervisor, ev)
        login(sv.supervisor)
        client.get(reverse("home"))  # the session's first request (its own bookkeeping), not counted
        f = ev.files.filter(evaluator=sv.supervisor).first()
        counts[rate] = {
            "home": _count(client, reverse("supervision:home")),
            "evaluation": _count(client, ev.get_absolute_url()),
            "file": _count(client, reverse("supervision:file", args=[f.pk])),
        }
    print(counts)
    for page, budget in BUDGETS.items():
        assert counts[30][page] <= budget and counts[100][page] <= budget, (page, counts, budget)

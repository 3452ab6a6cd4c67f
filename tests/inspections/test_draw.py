"""双随机一公开: the published draw (hypothesis), the target pool and its import, the agency's 抽查细则, a plan whose seed
is committed before the pools are frozen, the draw with 回避, its offline re-draw from the ledger, the pages and the
portal, and who may do what."""

from __future__ import annotations

import datetime as dt
import io
import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases import actions as cases
from zhifa.cases.choices import IdType, PartyKind
from zhifa.catalog import actions as catalog
from zhifa.inspections import actions, queries, rules
from zhifa.inspections.models import Drawn, Plan, Target
from zhifa.ledger.models import Entry
from zhifa.org import actions as org
from zhifa.org.choices import Role
from zhifa.org.models import EnforcementField
from zhifa.org.rules import credit_code_check_char
from zhifa.workdays import rules as wd_rules
from zhifa.workdays.models import Deadline
from zhifa.workdays.queries import current_calendar


def code_for(n: int) -> str:
    first = f"91350100MA{n:07d}"
    return first + credit_code_check_char(first)


codes = st.lists(st.integers(0, 10**6), min_size=1, max_size=40, unique=True).map(
    lambda ns: [code_for(n) for n in ns]
)
seeds = st.binary(min_size=32, max_size=32).map(bytes.hex)


@given(targets=codes, officers=st.integers(2, 12), rate=st.integers(1, 100), seed=seeds, data=st.data())
def test_the_draw_takes_the_rate_pairs_enough_inspectors_and_never_a_recused_one(
    targets, officers, rate, seed, data
):
    certs = [f"CERT-{i:03d}" for i in range(officers)]
    recused = {
        code: data.draw(st.lists(st.sampled_from(certs), max_size=officers - 2, unique=True))
        for code in targets[:3]
    }
    frame = {
        "targets": [{"credit_code": c, "stratum": "medical"} for c in targets],
        "officers": [{"certificate": c} for c in certs],
        "recused": recused,
        "rate": rate,
        "inspectors": 2,
    }
    drawn = rules.draw(frame, seed)
    assert len(drawn) == math.ceil(len(targets) * rate / 100)
    assert len({d["credit_code"] for d in drawn}) == len(drawn) and {d["credit_code"] for d in drawn} <= set(
        targets
    )
    for d in drawn:
        assert len(d["certificates"]) == 2 == len(set(d["certificates"]))
        assert not set(d["certificates"]) & set(recused.get(d["credit_code"], ()))
        assert set(d["recused"]) <= set(recused.get(d["credit_code"], ()))
    assert rules.draw(frame, seed) == drawn  # a function of the frame and the seed alone
    shuffled = dict(
        frame, targets=list(reversed(frame["targets"])), officers=list(reversed(frame["officers"]))
    )
    assert rules.draw(shuffled, seed) == drawn  # the order the pools were listed in does not matter


def test_too_few_inspectors_cannot_be_drawn():
    frame = {
        "targets": [{"credit_code": code_for(1), "stratum": "medical"}],
        "officers": [{"certificate": "A"}, {"certificate": "B"}],
        "recused": {code_for(1): ["A"]},
        "rate": 100,
        "inspectors": 2,
    }
    with pytest.raises(rules.DrawError):
        rules.draw(frame, "00" * 32)


@pytest.fixture
def pool(world):
    """Agency A's 随机抽查事项, five more certified officers (seven in all), twelve medical targets and two public-health
    ones; 甲执法 declared a connection with the first target."""
    w = world
    today = timezone.localdate()
    w.medical = EnforcementField.objects.get(code="medical")
    w.item = catalog.save_random_item(
        None,
        w.a,
        code="RI-001",
        seq=1,
        check_item="医疗机构依法执业",
        sub_item="资质",
        subject="甲区卫生健康局",
        basis="《医疗机构管理条例》",
        method="现场检查",
        content="诊疗科目",
        field=w.medical,
    )
    for i in range(5):
        p = w.person(w.a, f"inspector{i}", f"检查员{i}", Role.OFFICER, unit=w.section)
        org.issue_certificate(
            None,
            p,
            number=f"CERT-9{i:03d}",
            field_codes=["medical"],
            issuer="甲区人民政府",
            valid_from=today - dt.timedelta(days=30),
            valid_to=today + dt.timedelta(days=300),
        )
    w.targets = [
        actions.save_target(
            w.sysadmin,
            w.a,
            name=f"甲区第{i}诊所",
            credit_code=code_for(i),
            address=f"甲区健康路{i}号",
            field=w.medical if i < 12 else EnforcementField.objects.get(code="public-health"),
        )
        for i in range(14)
    ]
    party = cases.register_party(
        w.officer,
        w.a,
        kind=PartyKind.LEGAL,
        name="甲区第0诊所",
        id_type=IdType.CREDIT_CODE,
        id_number=code_for(0),
        address="甲区健康路0号",
        legal_representative="张某",
    )
    cases.declare_connection(w.officer, party, relation="配偶开办")
    return w


def _plan(w, **over):
    today = timezone.localdate()
    values = {
        "title": "2026年医疗机构依法执业双随机抽查",
        "field": w.medical,
        "items": [w.item],
        "period_start": today,
        "period_end": today + dt.timedelta(days=60),
        "rate": 50,
    }
    return actions.create_plan(w.head, w.a, **{**values, **over})


def test_a_plan_commits_its_seed_then_the_draw_freezes_the_pools_and_reveals_it(pool):
    w = pool
    with pytest.raises(ValidationError, match="最低比例 5%"):
        _plan(w, rate=3)
    actions.set_draw_policy(w.sysadmin, w.a, minimum_rate=10, inspectors=2)
    with pytest.raises(ValidationError, match="最低比例 10%"):
        _plan(w, rate=5)
    plan = _plan(w)
    created = Entry.objects.get(action="inspections.create_plan", object_kind="inspections.plan")
    assert (
        plan.commitment in bytes(created.body).decode() and plan.draw_seed not in bytes(created.body).decode()
    )
    for person in (w.officer, w.sysadmin, w.supervisor):  # only the head plans and draws
        with pytest.raises(PermissionDenied):
            actions.draw_plan(person, plan)
    plan = actions.draw_plan(w.head, plan)
    assert plan.revealed_seed == plan.draw_seed and plan.pool_size == 12 and plan.officer_pool_size == 7
    drawn = list(plan.drawn.order_by("position"))
    assert len(drawn) == 6  # half of the twelve medical targets, none of the public-health ones
    assert all(d.target.field == w.medical for d in drawn)
    for d in drawn:
        assert {p.certificates.get().number for p in d.inspectors.all()} == set(d.certificates)
        if d.target.credit_code == code_for(0):
            assert "CERT-0000" not in d.certificates  # 甲执法 declared a connection: 回避
    framed = Entry.objects.get(action="inspections.close_pools", object_kind="inspections.plan")
    revealed = Entry.objects.get(action="inspections.reveal_seed", object_kind="inspections.plan")
    assert created.seq < framed.seq < revealed.seq and plan.draw_seed not in bytes(framed.body).decode()
    assert code_for(0) in bytes(framed.body).decode()  # the recusal is in the frozen frame
    # drawn once, never again; nothing drawn is written outside the draw
    with pytest.raises(ValidationError, match="已经抽取"):
        actions.draw_plan(w.head, plan)
    # the draw re-done offline from the ledger: the page's order, one target per line
    out = io.StringIO()
    call_command("inspections", "redraw", str(plan.pk), stdout=out)
    assert out.getvalue().splitlines() == [" ".join([d.target.credit_code, *d.certificates]) for d in drawn]


def test_the_redraw_refuses_a_record_that_does_not_hold_together(pool):
    w = pool
    plan = actions.draw_plan(w.head, _plan(w))
    import json

    entries = [
        json.loads(bytes(e.body))
        for e in Entry.objects.filter(object_kind="inspections.plan", object_id=str(plan.pk)).order_by("seq")
    ]
    assert rules.redraw(entries)
    forged = json.loads(json.dumps(entries))
    for e in forged:
        if e["head"]["action"] == "inspections.reveal_seed":
            e["record"]["payload"]["drawn"][0]["certificates"].reverse()
    with pytest.raises(rules.RedrawError, match="不同"):
        rules.redraw(forged)
    other = json.loads(json.dumps(entries))
    for e in other:
        if e["head"]["action"] == "inspections.reveal_seed":
            e["record"]["payload"]["seed"] = "11" * 32
    with pytest.raises(rules.RedrawError, match="承诺值"):
        rules.redraw(other)


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_pool_is_imported_all_or_nothing_and_kept_by_the_system_administrator(pool, client, login):
    w = pool
    header = list(actions.IMPORT_COLUMNS)
    good = [header, ["乙诊所", code_for(500), "PDY001", "李某", "甲区一路1号", "", "medical"]]
    bad = good + [
        ["丙诊所", "91350100MA0000000X", "", "", "甲区", "", "medical"],
        ["丁诊所", code_for(501), "", "", "", "", "x"],
    ]
    before = Target.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.import_targets(w.sysadmin, w.a, filename="名录.xlsx", data=_xlsx(bad))
    text = " ".join(refused.value.messages)
    assert "第3行" in text and "统一社会信用代码" in text and "第4行" in text and "执法领域" in text
    assert Target.objects.count() == before
    known = [header, ["甲区第1诊所（更名）", code_for(1), "", "", "甲区健康路1号", "", "medical"]]
    assert actions.import_targets(w.sysadmin, w.a, filename="名录.xlsx", data=_xlsx(good + known[1:])) == (
        1,
        1,
    )
    assert Target.objects.get(credit_code=code_for(1)).name == "甲区第1诊所（更名）"
    with pytest.raises(PermissionDenied):
        actions.import_targets(w.head, w.a, filename="名录.xlsx", data=_xlsx(good))
    with pytest.raises(ValidationError):
        actions.import_targets(w.sysadmin, w.a, filename="名录.exe", data=b"MZ\x90\x00")
    # the page: the administrator uploads, the list shows it; others cannot
    login(w.sysadmin)
    url = reverse("inspections:target_import")
    sheet = io.BytesIO(_xlsx([header, ["戊诊所", code_for(502), "", "", "甲区二路2号", "", "medical"]]))
    sheet.name = "名录.xlsx"
    assert client.post(url, {"file": sheet}).status_code == 302
    assert "戊诊所" in client.get(reverse("inspections:targets")).content.decode()
    target = Target.objects.get(credit_code=code_for(502))
    assert (
        client.post(reverse("inspections:target_retire", args=[target.pk]), {"reason": "已注销"}).status_code
        == 302
    )
    target.refresh_from_db()
    assert (
        not target.active and code_for(502) not in client.get(reverse("inspections:targets")).content.decode()
    )
    assert code_for(502) in client.get(reverse("inspections:targets"), {"retired": "1"}).content.decode()
    login(w.officer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("inspections:targets")).status_code == 200
    assert "从 Excel 导入" not in client.get(reverse("inspections:targets")).content.decode()
    login(w.auditor)
    assert client.get(reverse("inspections:targets")).status_code == 403


def test_the_head_plans_and_draws_in_the_browser_pages_and_the_portal_publishes_it(
    pool, client, login, django_assert_max_num_queries
):
    w = pool
    login(w.head)
    today = timezone.localdate()
    response = client.post(
        reverse("inspections:plan_new"),
        {
            "title": "医疗机构双随机抽查",
            "field": w.medical.pk,
            "items": [w.item.pk],
            "period_start": today.isoformat(),
            "period_end": (today + dt.timedelta(days=30)).isoformat(),
            "rate": "25",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    public = reverse("publicity:inspection_plan", args=[plan.pk])
    page = client.get(public).content.decode()
    assert plan.commitment in page and "尚未抽取" in page and plan.draw_seed not in page
    assert client.post(reverse("inspections:draw", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    with django_assert_max_num_queries(14):
        page = client.get(plan.get_absolute_url()).content.decode()
    drawn = list(plan.drawn.order_by("position"))
    assert len(drawn) == 3 and all(d.target.name in page for d in drawn) and plan.revealed_seed in page
    client.logout()
    with django_assert_max_num_queries(8):
        page = client.get(public).content.decode()
    assert plan.revealed_seed in page and all(
        d.target.credit_code in page and d.certificates[0] in page for d in drawn
    )
    assert (
        reverse("publicity:inspection_plan", args=[plan.pk])
        in client.get(reverse("publicity:inspection_plans"), {"agency": w.a.code}).content.decode()
    )
    # the inspectors find their targets on the 工作台
    inspector = drawn[0].inspectors.first()
    login(inspector)
    assert drawn[0].target.name in client.get(reverse("home")).content.decode()
    # an officer reads the plan but has no draw button; another agency's officer sees nothing
    login(w.officer)
    assert "封存名录库并抽取" not in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(reverse("inspections:plan_new")).status_code == 403
    assert client.post(reverse("inspections:draw", args=[plan.pk])).status_code == 403
    login(w.officer_b)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert Drawn.objects.filter(plan=plan).count() == 3


def test_a_supervisor_of_two_agencies_chooses_whose_plans_to_read(pool, client, login):
    w = pool
    plan = _plan(w)
    org.grant_role(None, w.supervisor, Role.SUPERVISOR, w.b)
    login(w.supervisor)
    url = reverse("inspections:plans")
    page = client.get(url, {"agency": w.a.pk}).content.decode()
    assert plan.title in page and f'<option value="{w.b.pk}"' in page
    assert plan.title not in client.get(url, {"agency": w.b.pk}).content.decode()
    assert client.get(url, {"agency": "999999"}).status_code == 200  # not theirs: their first agency instead
    org.grant_role(None, w.supervisor, Role.SUPERVISOR, w.justice)  # supervising their own body too
    page = client.get(url).content.decode()  # by default an agency they supervise, not their own bureau
    assert f'<option value="{w.a.pk}" selected' in page
    assert client.get(plan.get_absolute_url()).status_code == 200


def _drawn_with(w):
    """A target drawn by a plan of all twelve (the seed is random: whoever its inspectors are), not the one already
    registered as a party (so that opening a case registers it from the pool)."""
    plan = actions.draw_plan(w.head, _plan(w, rate=100))
    return plan.drawn.exclude(target__credit_code=code_for(0)).order_by("position").first()


def test_the_inspectors_record_the_result_once_and_the_portal_publishes_it(pool, client, login):
    from zhifa.inspections.models import Result

    w = pool
    d = _drawn_with(w)
    inspectors = list(d.inspectors.order_by("pk"))
    points = rules.checklist([w.item])
    assert points == [("RI-001", "诊疗科目")]
    today = timezone.localdate()
    values = dict(inspected_on=today, place="甲区健康路", officers=inspectors, verdicts={0: "fail"})
    others = [p for p in (w.officer, w.head, w.officer_b) if p not in inspectors]
    for person in others:  # only the drawn inspectors
        with pytest.raises(PermissionDenied):
            actions.record_result(person, d, outcome="correct", opinion="整改", **values)
    with pytest.raises(ValidationError, match="不能为未发现问题"):
        actions.record_result(inspectors[0], d, outcome="passed", **values)
    with pytest.raises(ValidationError, match="卫生监督意见"):
        actions.record_result(inspectors[0], d, outcome="correct", **values)
    with pytest.raises(ValidationError, match="至少两名"):
        actions.record_result(
            inspectors[0], d, outcome="correct", opinion="整改", **{**values, "officers": inspectors[:1]}
        )
    assert not Result.objects.exists()
    result = actions.record_result(
        inspectors[0], d, outcome="correct", opinion="立即停止超范围执业，十五日内整改完毕。", **values
    )
    assert result.checks == [{"item": "RI-001", "point": "诊疗科目", "verdict": "fail"}]
    # the 复查 time limit: 15 working days from the inspection (the kind's default), the recorder responsible
    deadline = Deadline.objects.get(kind__code="inspection_recheck", object_id=result.pk)
    expected = wd_rules.due_date(current_calendar(), today, 15, "working_days", "after", "none").date
    assert deadline.responsible == inspectors[0] and deadline.due == result.recheck_by == expected
    assert Entry.objects.filter(action="inspections.record_result", object_kind="inspections.result").exists()
    with pytest.raises(ValidationError, match="不能更改"):
        actions.record_result(inspectors[1], d, outcome="passed", **{**values, "verdicts": {0: "pass"}})
    page = client.get(reverse("publicity:inspection_plan", args=[d.plan_id])).content.decode()
    assert "发现问题，责令改正" in page and f"{today:%Y-%m-%d}" in page
    login(inspectors[1])
    assert d.target.name not in client.get(reverse("home")).content.decode()  # recorded: off the 工作台


def test_a_problem_found_opens_a_penalty_case_of_the_target_through_the_page(pool, client, login):
    from zhifa.cases.models import Case

    w = pool
    d = _drawn_with(w)
    target = d.target
    actions.save_target(
        w.sysadmin,
        w.a,
        target=target,
        **{f: getattr(target, f) for f in actions.TARGET_FIELDS},
    )
    inspectors = list(d.inspectors.order_by("pk"))
    login(inspectors[0])
    url = reverse("inspections:drawn", args=[d.pk])
    page = client.get(url).content.decode()
    assert "记录检查结果" in page and "诊疗科目" in page
    today = timezone.localdate()
    form = {
        "inspected_on": today.isoformat(),
        "place": target.address,
        "officers": [p.pk for p in inspectors],
        "v0": "fail",
        "outcome": "case",
    }
    assert (
        not target.legal_representative
    )  # a legal person needs its representative before a case can be opened
    refused = client.post(url, form)
    assert refused.status_code == 400 and "法定代表人" in refused.content.decode()
    actions.save_target(
        w.sysadmin,
        w.a,
        target=target,
        **{**{f: getattr(target, f) for f in actions.TARGET_FIELDS}, "legal_representative": "王某"},
    )
    before = Case.objects.count()
    assert client.post(url, form).status_code == 302
    d.refresh_from_db()
    case = d.result.case
    assert Case.objects.count() == before + 1 and case.party.id_number == target.credit_code
    assert case.source == "inspection" and set(case.officer_links.values_list("person", flat=True)) == {
        p.pk for p in inspectors
    }
    page = client.get(url).content.decode()
    assert (
        "发现问题，立案查处" in page
        and reverse("cases:detail", args=[case.pk]) in page
        and 'name="outcome"' not in page
    )
    login(w.head)  # the head reads it, and may not record
    assert client.get(url).status_code == 200
    assert client.post(url, form).status_code == 403


def test_the_recheck_meets_its_time_limit_and_an_uncorrected_target_becomes_a_case(
    pool, client, login, time_machine
):
    from zhifa.cases.models import Case
    from zhifa.workdays import actions as wd_actions

    w = pool
    d = _drawn_with(w)
    actions.save_target(
        w.sysadmin,
        w.a,
        target=d.target,
        **{**{f: getattr(d.target, f) for f in actions.TARGET_FIELDS}, "legal_representative": "王某"},
    )
    inspectors = list(d.inspectors.order_by("pk"))
    today = timezone.localdate()
    result = actions.record_result(
        inspectors[0],
        d,
        inspected_on=today,
        place="甲区",
        officers=inspectors,
        verdicts={0: "fail"},
        outcome="correct",
        opinion="十五日内改正。",
    )
    deadline = Deadline.objects.get(kind__code="inspection_recheck", object_id=result.pk)
    with pytest.raises(
        ValidationError, match="复查期限由检查结果管理"
    ):  # the generic step: the result keeps it
        wd_actions.meet_deadline(inspectors[0], deadline, on=today)
    with pytest.raises(ValidationError, match="复查日期应晚于检查日期"):
        actions.record_recheck(inspectors[1], result, rechecked_on=today, corrected=True, note="已改正")
    time_machine.move_to(timezone.now() + dt.timedelta(days=3))
    later = timezone.localdate()
    login(inspectors[1])
    url = reverse("inspections:drawn", args=[d.pk])
    assert "记录复查结果" in client.get(url).content.decode()
    before = Case.objects.count()
    response = client.post(
        reverse("inspections:recheck", args=[d.pk]),
        {"rechecked_on": later.isoformat(), "corrected": "0", "note": "仍在超范围开展诊疗活动"},
    )
    assert response.status_code == 302
    result.refresh_from_db()
    deadline.refresh_from_db()
    assert result.corrected is False and result.rechecked_on == later and deadline.met_on == later
    assert Case.objects.count() == before + 1 and result.case.party.id_number == d.target.credit_code
    with pytest.raises(ValidationError, match="不能更改"):
        actions.record_recheck(inspectors[1], result, rechecked_on=later, corrected=True, note="x")
    assert "未改正，立案查处" in client.get(url).content.decode()
    login(w.head)  # not an inspector of it
    assert client.post(reverse("inspections:recheck", args=[d.pk]), {}).status_code == 403


def test_the_head_replaces_an_inspector_by_the_next_in_the_draws_order_with_the_reason(pool, client, login):
    w = pool
    d = _drawn_with(w)
    plan = d.plan
    original = list(d.certificates)
    out = original[0]
    passed = set(original) | set(d.recused)
    expected = rules.replacement(
        plan.frame,
        plan.revealed_seed,
        d.target.credit_code,
        passed,
        queries.officer_pool(w.a, w.medical, timezone.localdate()),
    )
    assert expected is not None and expected not in original
    holder = queries.certificate_holders([out])[out]
    for person in (holder, w.sysadmin, w.supervisor):  # the head approves; nobody picks the replacement
        with pytest.raises(PermissionDenied):
            actions.replace_inspector(person, d, certificate=out, reason="出差")
    with pytest.raises(ValidationError, match="原因"):
        actions.replace_inspector(w.head, d, certificate=out, reason=" ")
    login(w.head)
    url = reverse("inspections:drawn", args=[d.pk])
    assert "批准变更" in client.get(url).content.decode()
    assert (
        client.post(
            reverse("inspections:replace", args=[d.pk]), {"certificate": out, "reason": "病假"}
        ).status_code
        == 302
    )
    d.refresh_from_db()
    assert d.certificates == [expected, original[1]]
    assert set(d.inspectors.values_list("certificates__number", flat=True)) == {expected, original[1]}
    assert d.changes[0]["out"] == out and d.changes[0]["in"] == expected and d.changes[0]["reason"] == "病假"
    entry = Entry.objects.get(action="inspections.replace_inspector", object_kind="inspections.drawn")
    assert "病假" in bytes(entry.body).decode()
    # the draw itself is unchanged: the offline re-draw still gives the original pairing
    out_text = io.StringIO()
    call_command("inspections", "redraw", str(plan.pk), stdout=out_text)
    assert out_text.getvalue().splitlines()[d.position - 1] == " ".join([d.target.credit_code, *original])
    # replaced again and again until nobody is left who may go: refused, nothing changed
    while True:
        try:
            actions.replace_inspector(w.head, d, certificate=d.certificates[0], reason="不能到场")
        except ValidationError as exc:
            assert "没有可以接替" in " ".join(exc.messages)
            break
        d.refresh_from_db()
    assert len({c["in"] for c in d.changes}) == len(d.changes)  # never the same person twice
    login(w.officer)
    assert "批准变更" not in client.get(url).content.decode()
    assert (
        client.post(
            reverse("inspections:replace", args=[d.pk]), {"certificate": out, "reason": "x"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("rows", [2, 12])
def test_each_page_keeps_its_query_budget_whatever_the_rows(
    pool, client, login, rows, django_assert_max_num_queries
):
    w = pool
    plan = actions.draw_plan(w.head, _plan(w, rate=100 * rows // 12))
    d = plan.drawn.order_by("position").first()
    login(w.head)
    client.get(reverse("inspections:plans"))  # (the first request after logging in also saves the session)
    for url, budget in (
        (reverse("inspections:targets"), 8),
        (reverse("inspections:plans"), 8),
        (reverse("inspections:policy"), 8),
        (plan.get_absolute_url(), 14),
        (reverse("inspections:drawn", args=[d.pk]), 14),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
    client.logout()
    for url in (reverse("publicity:inspection_plans"), reverse("publicity:inspection_plan", args=[plan.pk])):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200, url


def test_a_national_or_provincial_plan_is_imported_and_its_inspectors_drawn_here(pool, client, login):
    """A plan the upper level drew: its targets are the sheet's (each in the pool, all inspected, rate 100 %), all or
    nothing with every bad row named; the inspectors are drawn here by the published rule, and the offline re-draw
    gives the same; the pages say where the plan came from."""
    w = pool
    upper = "国家卫生健康委2026年国家随机监督抽查计划"
    wanted = [code_for(3), code_for(7), code_for(0)]  # 甲执法 is connected with the first target
    bad = _xlsx(
        [
            ["名称", "统一社会信用代码"],
            ["甲区第3诊所", code_for(3)],
            ["外区诊所", code_for(999)],
            ["甲区第3诊所", code_for(3)],
            ["公共场所", code_for(12)],  # in the pool, but of another field
        ]
    )
    before = Plan.objects.count()
    with pytest.raises(ValidationError) as refused:
        _plan(w, rate=None, assigned_by=upper, assigned_file=("national.xlsx", bad))
    text = " ".join(refused.value.messages)
    assert (
        "第3行" in text and code_for(999) in text and "第4行" in text and "重复" in text and "第5行" in text
    )
    assert Plan.objects.count() == before
    with pytest.raises(ValidationError, match="上级下达的抽查计划"):
        _plan(w, rate=None, assigned_file=("national.xlsx", _xlsx([["统一社会信用代码"], [code_for(3)]])))
    with pytest.raises(ValidationError, match="文件"):
        _plan(w, rate=None, assigned_by=upper, assigned_file=("national.exe", b"MZ\x90\x00"))

    sheet = _xlsx([["名称", "统一社会信用代码"], *[["", code] for code in wanted]])
    plan = _plan(w, rate=None, assigned_by=upper, assigned_file=("national.xlsx", sheet))
    assert plan.assigned == wanted and plan.rate == 100 and plan.assigned_by == upper
    actions.draw_plan(w.head, plan)
    drawn = list(plan.drawn.order_by("position"))
    assert sorted(d.target.credit_code for d in drawn) == sorted(wanted)
    first = next(d for d in drawn if d.target.credit_code == code_for(0))
    officer_cert = w.officer.certificates.get().number
    assert officer_cert not in first.certificates  # 回避 still applies
    out = io.StringIO()
    call_command("inspections", "redraw", str(plan.pk), stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert [line.split()[0] for line in lines] == [d.target.credit_code for d in drawn]

    login(w.head)
    page = client.get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    assert upper in page and "上级下达名单中的全部对象" in page
    portal = client.get(reverse("publicity:inspection_plan", args=[plan.pk])).content.decode()
    assert upper in portal
    # a target retired before the draw of an imported plan stops the draw: nothing is drawn quietly without it
    again = _plan(w, rate=None, assigned_by=upper, assigned_file=("national.xlsx", sheet))
    actions.retire_target(w.sysadmin, w.targets[7], reason="已注销")
    with pytest.raises(ValidationError, match="已移出名录库"):
        actions.draw_plan(w.head, again)
    assert not again.drawn.exists()

"""评查标准 as versioned data: the rules a standard must meet (hypothesis), the platform administrator revising the
platform's default (recorded in every agency's log), a supervisor making and revising their body's own, new
evaluations choosing among the newest versions while earlier evaluations keep theirs, and the pages with their
denials."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from zhifa.ledger.models import Entry
from zhifa.org import actions as org
from zhifa.supervision import actions, checks, queries, rules
from zhifa.supervision.choices import ItemGroup
from zhifa.supervision.models import Standard

scored = st.lists(st.integers(1, 40), min_size=1, max_size=8)


def _items(points: list[int], vetoes: int = 2) -> list[dict]:
    items = [
        {"code": f"v{n}", "group": "basic", "text": f"否决项{n}", "points": 0, "platform_check": ""}
        for n in range(vetoes)
    ]
    items += [
        {
            "code": f"s{n}",
            "group": "form" if n % 2 else "content",
            "text": f"计分项{n}",
            "points": p,
            "platform_check": "",
        }
        for n, p in enumerate(points)
    ]
    return items


@given(points=scored, vetoes=st.integers(0, 5), lines=st.tuples(st.integers(0, 100), st.integers(0, 100)))
def test_a_standard_is_usable_exactly_when_its_points_make_a_hundred_and_its_lines_are_in_order(
    points, vetoes, lines
):
    pass_min, excellent_min = lines
    problems = rules.standard_problems(_items(points, vetoes), excellent_min, pass_min, checks.CHECKS)
    assert (not problems) == (sum(points) == 100 and pass_min <= excellent_min)


@given(points=scored)
def test_a_veto_item_with_points_a_scored_item_without_or_a_repeated_code_is_refused(points):
    if sum(points) != 100:
        points = [100]
    good = _items(points)
    assert rules.standard_problems(good, 90, 60, checks.CHECKS) == []
    with_points = [dict(good[0], points=5)] + good[1:]
    assert any("否决项" in p for p in rules.standard_problems(with_points, 90, 60, checks.CHECKS))
    zero = good[:-1] + [dict(good[-1], points=0)]
    assert rules.standard_problems(zero, 90, 60, checks.CHECKS)
    repeated = good + [dict(good[0])]
    assert any("重复" in p for p in rules.standard_problems(repeated, 90, 60, checks.CHECKS))
    assert rules.standard_problems([dict(good[0], code="封面")] + good[1:], 90, 60, checks.CHECKS)
    assert rules.standard_problems([dict(good[0], platform_check="nope")] + good[1:], 90, 60, checks.CHECKS)
    assert rules.standard_problems([], 90, 60, checks.CHECKS)


def _rows(standard) -> list[dict]:
    return [{f: getattr(i, f) for f in actions.STANDARD_FIELDS} for i in standard.items.all()]


def test_the_platform_administrator_revises_the_default_recorded_in_every_log(sv, evaluation):
    w = sv
    default = queries.default_standard()
    admin = org.add_platform_admin("platform", "Pl@tform-2026-x", full_name="平台管理员")
    rows = _rows(default)
    rows[-1]["text"] = "证据材料完整，电子证据完整性核验无异常（修订）"
    before = {a: Entry.objects.filter(log__agency=a).count() for a in (w.a, w.b, w.justice)}
    v2 = actions.revise_standard(
        admin, default, name=default.name, excellent_min=85, pass_min=60, basis=default.basis, items=rows
    )
    assert v2.agency is None and v2.version == default.version + 1 and v2.created_by == admin
    assert [i.text for i in v2.items.all()][-1].endswith("（修订）")
    for agency in (w.a, w.b, w.justice):  # platform data: the standard and each item in every agency's log
        entries = Entry.objects.filter(log__agency=agency, action="supervision.revise_standard")
        assert entries.filter(object_kind="supervision.standard", object_id=str(v2.pk)).count() == 1
        assert entries.filter(object_kind="supervision.standarditem").count() == len(rows)
        assert Entry.objects.filter(log__agency=agency).count() > before[agency]
    recorded = json.loads(bytes(entries.get(object_kind="supervision.standard").body))["record"]["payload"][
        "standard"
    ]
    assert recorded["excellent_min"] == 85 and len(recorded["items"]) == len(rows)
    # the evaluation made before keeps version 1; a new one takes version 2
    evaluation.refresh_from_db()
    assert evaluation.standard == default
    assert queries.default_standard() == v2
    again = actions.create_evaluation(
        w.supervisor,
        title="复查",
        period_start=w.period[0],
        period_end=w.period[1],
        agencies=[w.a],
        evaluators=[w.supervisor],
        rate=10,
    )
    assert again.standard == v2
    # an evaluation may not choose a superseded version
    with pytest.raises(ValidationError, match="现行版本"):
        actions.create_evaluation(
            w.supervisor,
            title="旧版",
            period_start=w.period[0],
            period_end=w.period[1],
            agencies=[w.a],
            evaluators=[w.supervisor],
            rate=10,
            standard=default,
        )
    # unchanged: refused, nothing written
    count = Standard.objects.count()
    with pytest.raises(ValidationError, match="相同"):
        actions.revise_standard(
            admin, v2, name=v2.name, excellent_min=85, pass_min=60, basis=v2.basis, items=_rows(v2)
        )
    assert Standard.objects.count() == count


def test_a_supervisor_makes_their_bodys_standard_and_others_may_not(sv):
    w = sv
    default = queries.default_standard()
    rows = [r for r in _rows(default) if r["code"] != "fixity"]  # 5 points fewer: give them to the cover item
    next(r for r in rows if r["code"] == "cover")["points"] += 5
    own = actions.revise_standard(
        w.supervisor,
        default,
        name="甲区司法局案卷评查标准",
        excellent_min=90,
        pass_min=70,
        basis="",
        items=rows,
    )
    assert own.agency == w.justice and own.version == 1 and own.items.count() == len(rows)
    assert Entry.objects.filter(
        log__agency=w.justice, action="supervision.revise_standard", object_kind="supervision.standard"
    ).exists()
    assert not Entry.objects.filter(log__agency=w.b, action="supervision.revise_standard").exists()
    # a new evaluation by that body takes its own standard by default; the platform's stays choosable
    assert {s.pk for s in queries.current_standards(w.supervisor)} == {default.pk, own.pk}
    ev = actions.create_evaluation(
        w.supervisor,
        title="本机关标准评查",
        period_start=w.period[0],
        period_end=w.period[1],
        agencies=[w.a],
        evaluators=[w.supervisor],
        rate=10,
    )
    assert ev.standard == own
    # revising it again: version 2 of the same name
    rows[0]["text"] = "执法主体合法"
    v2 = actions.revise_standard(
        w.supervisor, own, name=own.name, excellent_min=90, pass_min=70, basis="", items=rows
    )
    assert (v2.agency, v2.version) == (w.justice, 2)
    # bad input: the problems, nothing written
    count = Standard.objects.count()
    with pytest.raises(ValidationError, match="100 分"):
        actions.revise_standard(
            w.supervisor, v2, name=v2.name, excellent_min=90, pass_min=70, basis="", items=rows[:-1]
        )
    assert Standard.objects.count() == count
    # an officer, a head, the platform administrator on a body's standard: denied
    admin = org.add_platform_admin("platform", "Pl@tform-2026-x", full_name="平台管理员")
    for person in (w.officer, w.head, admin):
        with pytest.raises(PermissionDenied):
            actions.revise_standard(person, v2, name="x", excellent_min=90, pass_min=60, basis="", items=rows)
    assert Standard.objects.count() == count


def test_the_pages_show_and_revise_a_standard_and_deny_the_others(
    sv, client, login, django_assert_max_num_queries
):
    w = sv
    default = queries.default_standard()
    login(w.supervisor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("supervision:standards"))
    assert page.status_code == 200 and default.name in page.content.decode()
    with django_assert_max_num_queries(14):
        page = client.get(reverse("supervision:standard", args=[default.pk]))
    body = page.content.decode()
    assert "调查取证由两名以上持证执法人员进行并出示执法证件" in body and "以此为基础制定本机关标准" in body
    url = reverse("supervision:revise_standard", args=[default.pk])
    form = client.get(url)
    assert form.status_code == 200
    rows = _rows(default)
    data = {
        "name": "甲区司法局案卷评查标准",
        "excellent_min": "90",
        "pass_min": "60",
        "basis": "本局规定",
        "items-TOTAL_FORMS": str(len(rows) + 1),
        "items-INITIAL_FORMS": str(len(rows)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "100",
    }
    for n, r in enumerate(rows):
        data |= {f"items-{n}-{k}": v for k, v in r.items()} | {f"items-{n}-ORDER": str(n + 1)}
    data["items-0-ORDER"] = str(len(rows) + 1)  # move the first veto item to the end of its part
    data[f"items-{len(rows)}-code"] = ""  # the blank row is not saved
    # a deleted scored item leaves 95 points: refused with the reason, nothing saved
    data[f"items-{len(rows) - 1}-DELETE"] = "on"
    count = Standard.objects.count()
    refused = client.post(url, data)
    assert refused.status_code == 400 and "合计应为 100 分，现为 95 分" in refused.content.decode()
    assert Standard.objects.count() == count
    data.pop(f"items-{len(rows) - 1}-DELETE")
    done = client.post(url, data)
    own = Standard.objects.get(agency=w.justice)
    assert done.status_code == 302 and done.url == reverse("supervision:standard", args=[own.pk])
    codes = list(own.items.values_list("code", flat=True))
    assert codes[-1] == rows[0]["code"] and len(codes) == len(rows)
    # the evaluation form offers it, chosen by default
    page = client.get(reverse("supervision:new_evaluation")).content.decode()
    assert f'value="{own.pk}" selected' in page and f'value="{default.pk}"' in page
    # a head reads the standards but may not revise; an officer sees nothing
    login(w.head)
    assert client.get(reverse("supervision:standard", args=[default.pk])).status_code == 200
    assert "以此为基础" not in client.get(reverse("supervision:standard", args=[default.pk])).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    login(w.officer)
    assert client.get(reverse("supervision:standards")).status_code == 403
    assert client.get(reverse("supervision:standard", args=[default.pk])).status_code == 404
    assert Standard.objects.count() == count + 1


def test_the_default_standard_has_the_provinces_veto_items_and_a_hundred_points(db):
    default = queries.default_standard()
    items = list(default.items.all())
    assert (
        rules.standard_problems(_rows(default), default.excellent_min, default.pass_min, checks.CHECKS) == []
    )
    assert sum(i.points for i in items if i.group == ItemGroup.FORM) == 20
    assert sum(i.points for i in items if i.group == ItemGroup.CONTENT) == 80
    assert len([i for i in items if i.group == ItemGroup.BASIC]) == 9

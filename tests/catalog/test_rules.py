"""Catalog rules: article numbers, citations, versions, fine ranges, and the flowchart layout."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.catalog import flowchart, rules


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (42, "四十二"),
        (100, "一百"),
        (104, "一百零四"),
        (110, "一百一十"),
        (115, "一百一十五"),
        (1004, "一千零四"),
    ],
)
def test_chinese_article_numbers(n, text):
    assert rules.cn_number(n) == text
    assert rules.parse_cn_number(text) == n
    assert rules.article_label(n) == f"第{text}条"


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numbers_round_trip(n):
    assert rules.parse_cn_number(rules.cn_number(n)) == n


def test_parse_citations_in_the_forms_people_write():
    text = "《医师法》第二十四条、第五十六条；《医疗机构管理条例》第27条\n《中华人民共和国传染病防治法》第一百零四条第一款"
    assert rules.parse_citations(text) == [
        ("医师法", 24),
        ("医师法", 56),
        ("医疗机构管理条例", 27),
        ("中华人民共和国传染病防治法", 104),
    ]
    assert rules.parse_citations("") == []


@pytest.mark.parametrize(
    "text", ["医师法第二十四条", "《医师法》", "《医师法》第二十四条 以及其他", "《医师法》第X条"]
)
def test_unreadable_citations_are_refused_in_chinese(text):
    with pytest.raises(ValueError, match="引用|条号"):
        rules.parse_citations(text)


def test_format_citations_groups_by_law():
    assert (
        rules.format_citations([("医师法", 24), ("医师法", 56), ("条例", 3)])
        == "《医师法》第二十四条、第五十六条；《条例》第三条"
    )


def test_effective_version_is_the_latest_that_has_started():
    v = [
        rules.VersionRef(1, dt.date(2026, 1, 1)),
        rules.VersionRef(2, dt.date(2026, 7, 1)),
        rules.VersionRef(3, dt.date(2027, 1, 1)),
    ]
    assert rules.effective_version(v, dt.date(2025, 12, 31)) is None
    assert rules.effective_version(v, dt.date(2026, 1, 1)).number == 1
    assert rules.effective_version(v, dt.date(2026, 12, 31)).number == 2
    assert rules.effective_version(v, dt.date(2027, 1, 1)).number == 3


def test_publish_date_rules():
    today = dt.date(2026, 5, 1)
    assert rules.publish_date_problem(today, None, today, by_platform=False) is None
    assert "早于上一版本" in rules.publish_date_problem(
        dt.date(2026, 6, 1), dt.date(2026, 7, 1), today, by_platform=False
    )
    assert "溯及既往" in rules.publish_date_problem(dt.date(2026, 4, 30), None, today, by_platform=False)
    assert rules.publish_date_problem(dt.date(2026, 1, 1), None, today, by_platform=True) is None


def test_diff_rows():
    old = [{"code": "a", "x": 1}, {"code": "b", "x": 1}]
    new = [{"code": "b", "x": 2}, {"code": "c", "x": 1}]
    assert rules.diff_rows(old, new) == {"added": ["c"], "removed": ["a"], "changed": ["b"]}
    assert not rules.has_changes(rules.diff_rows(old, old))


def test_fine_range():
    assert rules.fine_range_problem(Decimal(1), Decimal(2)) is None
    assert rules.fine_range_problem(None, Decimal(2)) is None
    assert "高于" in rules.fine_range_problem(Decimal(3), Decimal(2))
    assert "负数" in rules.fine_range_problem(Decimal(-1), None)


def test_flowchart_layout_places_ranks_top_down_without_overlap():
    steps = [{"key": k, "label": k * 3, "kind": "step"} for k in "abcde"]
    arrows = [
        {"source": "a", "target": "b"},
        {"source": "b", "target": "c"},
        {"source": "b", "target": "d"},
        {"source": "c", "target": "e"},
        {"source": "d", "target": "e"},
        {"source": "e", "target": "b", "label": "退回"},
        {"source": "a", "target": "e", "label": "直接"},
    ]
    lay = flowchart.layout(steps, arrows)
    n = lay.nodes
    assert n["a"].rank == 0 and n["b"].rank == 1 and n["c"].rank == n["d"].rank == 2 and n["e"].rank == 3
    assert n["a"].y < n["b"].y < n["c"].y < n["e"].y
    boxes = [(v.x, v.y, v.x + flowchart.NODE_W, v.y + v.h) for v in n.values()]
    for i, p in enumerate(boxes):
        for q in boxes[i + 1 :]:
            assert p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1], "nodes overlap"
    for x, y in (pt for e in lay.edges for pt in e.points):
        assert 0 <= x <= lay.width and 0 <= y <= lay.height
    back = next(e for e in lay.edges if e.source == "e")
    assert back.points[1][0] < min(v.x for v in n.values()), "a backward arrow runs in the left lane"


def test_flowchart_svg_is_accessible_and_escaped():
    svg = flowchart.render_svg(
        [
            {"key": "a", "label": "<开始>", "kind": "start"},
            {"key": "b", "label": "结束", "kind": "end", "note": "7日内"},
        ],
        [{"source": "a", "target": "b", "label": "是"}],
        title="测试&流程",
        ident="t1",
    )
    assert 'role="img"' in svg and 'aria-labelledby="t1-title t1-desc"' in svg
    assert '<title id="t1-title">测试&amp;流程</title>' in svg
    assert "&lt;开始&gt;" in svg and "<开始>" not in svg
    assert "然后是：结束" in svg  # the text description for screen readers


def test_wrap_keeps_punctuation_off_the_start_of_a_line():
    lines = flowchart.wrap("监督检查、投诉举报、上级交办、移送等", 14)
    assert not any(line[0] in flowchart.NO_LINE_START for line in lines)
    assert "".join(lines) == "监督检查、投诉举报、上级交办、移送等"

"""The demo catalog: real citations, every list published, a history to show, and idempotent."""

import pytest

from zhifa.catalog import demo, queries
from zhifa.catalog.choices import ListKind, ProcedureKind
from zhifa.catalog.models import Article, EnforcementItem, GuideMaterial, Law, ListVersion
from zhifa.org import demo as org_demo
from zhifa.org.models import Agency


@pytest.fixture
def demo_agency(db):
    org_demo.load()
    demo.load()
    return Agency.objects.get(code=demo.AGENCY_CODE)


def _counts():
    return (
        EnforcementItem.objects.count(),
        Article.objects.count(),
        Law.objects.count(),
        ListVersion.objects.count(),
        GuideMaterial.objects.count(),
    )


def test_demo_catalog_is_complete_and_loading_twice_adds_nothing(demo_agency):
    before = _counts()
    demo.load()
    assert _counts() == before
    items = EnforcementItem.objects.filter(agency=demo_agency)
    assert items.count() >= 30
    for item in items:
        assert item.penalty_articles.exists(), item.code
        assert item.field_id and item.unit_id
    penalties = items.filter(kind="penalty")
    assert all(i.tiers.exists() for i in penalties)
    for kind in ListKind:
        assert queries.effective_version(demo_agency, kind) is not None, kind
    assert [v.number for v in queries.versions(demo_agency, ListKind.ITEMS)] == [2, 1]
    charts = queries.effective_version(demo_agency, ListKind.FLOWCHARTS).data
    assert {c["procedure"] for c in charts} == {
        ProcedureKind.GENERAL_PENALTY,
        ProcedureKind.SIMPLE_PENALTY,
        ProcedureKind.HEARING,
        ProcedureKind.SEIZURE,
        ProcedureKind.RANDOM_INSPECTION,
    }
    assert queries.av_requirement(demo_agency, "seizure").mandatory
    assert not queries.av_requirement(demo_agency, "hearing").mandatory
    assert GuideMaterial.objects.exclude(sample="").count() == 3


def test_demo_citations_carry_the_statute_text(demo_agency):
    item = EnforcementItem.objects.get(agency=demo_agency, code="WJ-CF-001")
    texts = {a.citation: a.text for a in item.penalty_articles.select_related("law")}
    assert "《基本医疗卫生与健康促进法》第九十九条" in texts
    assert "五倍以上二十倍以下" in texts["《基本医疗卫生与健康促进法》第九十九条"]
    row = next(
        r for r in queries.effective_version(demo_agency, ListKind.ITEMS).data if r["code"] == "WJ-CF-017"
    )
    assert row["penalty"] == "《传染病防治法》第一百零四条"

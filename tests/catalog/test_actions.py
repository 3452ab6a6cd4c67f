"""Catalog actions: only the agency's system administrator changes the catalog; laws that change flag the
items citing them; lists are published as versions and the old versions stay."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.catalog.factories import build_catalog
from zhifa.catalog import actions, queries
from zhifa.catalog.choices import ListKind
from zhifa.catalog.models import Article, EnforcementItem, ListVersion, RandomInspectionItem


@pytest.fixture
def cat(world):
    return build_catalog(world)


def test_only_the_agencys_system_admin_changes_the_catalog(world, cat):
    for person in (
        world.officer,
        world.head,
        world.secadmin,
        world.auditor,
        world.supervisor,
        world.officer_b,
    ):
        with pytest.raises(PermissionDenied):
            actions.create_item(person, world.a, code="X-1", name="某事项", kind="penalty")
        with pytest.raises(PermissionDenied):
            actions.publish_list(person, world.a, ListKind.ITEMS, effective_on=timezone.localdate())
    item = actions.create_item(world.sysadmin, world.a, code="X-1", name="某事项", kind="inspection")
    assert item.code == "X-1" and not EnforcementItem.objects.filter(agency=world.b).exists()


def test_item_codes_are_unique_and_cannot_cite_another_agencys_law(world, cat):
    with pytest.raises(ValidationError, match="已被使用"):
        actions.create_item(world.sysadmin, world.a, code="A-001", name="重复", kind="penalty")
    other = actions.create_law(None, world.b, name="乙区的规定", issuer="乙区", level="normative")
    art = actions.add_article(None, other, number=1, text="……")
    with pytest.raises(ValidationError, match="本执法主体"):
        actions.create_item(world.sysadmin, world.a, code="X-2", name="x", kind="penalty", violated=[art])


def test_repealed_law_flags_every_item_citing_it(world, cat):
    count = actions.set_law_status(
        world.sysadmin, cat.law, status="repealed", on=dt.date(2026, 1, 1), note="废止决定"
    )
    assert count == 2  # the penalty item and the random-inspection item
    item = EnforcementItem.objects.get(pk=cat.item.pk)
    assert item.needs_review and item.review_reason.startswith("依据已变更，待调整")
    assert "已废止" in item.review_reason
    assert RandomInspectionItem.objects.get(pk=cat.random.pk).needs_review
    assert not EnforcementItem.objects.get(pk=cat.item2.pk).needs_review  # cites another law
    assert list(queries.flagged_items(world.a)) == [item]
    # A repealed law cannot be cited any more, and the flag is cleared only after the basis changes.
    with pytest.raises(ValidationError, match="已废止"):
        actions.create_item(
            world.sysadmin, world.a, code="X-3", name="x", kind="penalty", violated=[cat.art26]
        )
    with pytest.raises(ValidationError, match="已废止"):
        actions.confirm_item_basis(world.sysadmin, item)
    actions.update_item(world.sysadmin, item, violated=[cat.art24], penalty=[cat.art56])
    actions.confirm_item_basis(world.sysadmin, item, note="改引医师法")
    assert not EnforcementItem.objects.get(pk=item.pk).needs_review


def test_amended_article_keeps_the_old_text_and_flags_citing_items(world, cat):
    new = actions.amend_article(
        world.sysadmin, cat.art26, text="医疗机构必须按照核准登记或者备案的诊疗科目开展诊疗活动（修改）。"
    )
    assert new.version == 2 and new.is_current
    old = Article.objects.get(pk=cat.art26.pk)
    assert not old.is_current and old.text.endswith("诊疗活动。")
    item = EnforcementItem.objects.get(pk=cat.item.pk)
    assert item.needs_review and "第二十六条已修改" in item.review_reason
    # The item still cites the text it was written against until the administrator confirms.
    assert list(item.violated_articles.all()) == [old]
    actions.confirm_item_basis(world.sysadmin, item)
    assert list(EnforcementItem.objects.get(pk=item.pk).violated_articles.all()) == [new]
    with pytest.raises(ValidationError, match="新版本"):
        actions.create_item(world.sysadmin, world.a, code="X-4", name="x", kind="penalty", violated=[old])


def test_law_status_back_in_force_flags_nothing(world, cat):
    actions.set_law_status(world.sysadmin, cat.doctor_law, status="amended", on=dt.date(2026, 1, 1))
    assert actions.set_law_status(world.sysadmin, cat.doctor_law, status="in_force") == 0
    with pytest.raises(ValidationError, match="已是"):
        actions.set_law_status(world.sysadmin, cat.doctor_law, status="in_force")


def test_versions_keep_history(world, cat):
    v1 = cat.versions[ListKind.ITEMS]
    assert v1.number == 1 and v1.row_count == 2 and v1.changes["added"] == ["A-001", "A-002"]
    # Nothing changed: no new version.
    with pytest.raises(ValidationError, match="相同"):
        actions.publish_list(world.sysadmin, world.a, ListKind.ITEMS, effective_on=timezone.localdate())
    actions.update_item(world.sysadmin, cat.item, name="对诊疗活动超出登记或者备案范围的行政处罚")
    actions.retire_item(world.sysadmin, cat.item2, reason="职能调整")
    actions.create_item(world.sysadmin, world.a, code="A-003", name="新事项", kind="inspection")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    v2 = actions.publish_list(world.sysadmin, world.a, ListKind.ITEMS, effective_on=tomorrow, note="调整")
    assert v2.number == 2 and v2.changes == {"added": ["A-003"], "removed": ["A-002"], "changed": ["A-001"]}
    # Until tomorrow the first version is in force; the old one stays as it was.
    assert queries.effective_version(world.a, ListKind.ITEMS).number == 1
    assert queries.effective_version(world.a, ListKind.ITEMS, tomorrow).number == 2
    old = ListVersion.objects.get(pk=v1.pk)
    assert {r["code"] for r in old.data} == {"A-001", "A-002"}
    assert old.data[0]["name"] == "对诊疗活动超出登记范围的行政处罚"
    assert old.digest and old.digest != v2.digest
    with pytest.raises(ValidationError, match="早于上一版本"):
        actions.publish_list(world.sysadmin, world.a, ListKind.ITEMS, effective_on=timezone.localdate())


def test_a_person_cannot_publish_retroactively(world):
    build_catalog(world, publish=False)
    with pytest.raises(ValidationError, match="溯及既往"):
        actions.publish_list(
            world.sysadmin, world.a, ListKind.ITEMS, effective_on=timezone.localdate() - dt.timedelta(days=1)
        )


def test_version_rows_carry_citations_texts_and_benchmarks(world, cat):
    row = next(r for r in cat.versions[ListKind.ITEMS].data if r["code"] == "A-001")
    assert row["violated"] == "《医疗机构管理条例》第二十六条"
    assert row["penalty"] == "《医疗机构管理条例》第四十六条"
    assert [a["text"] for a in row["articles"]][0].startswith("医疗机构必须")
    assert [(b["tier"], b["fine_min"], b["fine_max"]) for b in row["benchmarks"]] == [
        ("general", "10000", "30000"),
        ("severe", "70000", "100000"),
    ]
    assert row["unit"] == "医疗卫生监督科" and row["hearing_eligible"] is True


def test_benchmark_ranges_are_checked(world, cat):
    with pytest.raises(ValidationError, match="下限"):
        actions.set_benchmarks(
            world.sysadmin,
            cat.item,
            {"general": {"circumstances": "x", "penalty": "y", "fine_min": 5, "fine_max": 1}},
        )
    actions.set_benchmarks(world.sysadmin, cat.item, {"slight": {"circumstances": "首次", "penalty": "警告"}})
    assert [t.tier for t in cat.item.tiers.all()] == ["slight"]


def test_av_requirement_comes_from_the_published_list(world, cat):
    req = queries.av_requirement(world.a, "seizure")
    assert req.mandatory and req.mode == "full" and req.version == 1
    assert queries.av_requirement(world.a, "hearing") is None
    assert queries.av_requirement(world.b, "seizure") is None


def test_av_requirement_falls_back_to_the_working_copy_before_publication(world):
    cat = build_catalog(world, publish=False)
    req = queries.av_requirement(world.a, cat.av.act_code)
    assert req.mandatory and req.version is None


def test_flowchart_steps_and_arrows_are_checked(world, cat):
    with pytest.raises(ValidationError, match="不存在的步骤"):
        actions.save_flowchart(
            world.sysadmin,
            world.a,
            code="FC-2",
            title="x",
            procedure="other",
            steps=[{"key": "a", "label": "A"}],
            arrows=[{"source": "a", "target": "z"}],
        )
    with pytest.raises(ValidationError, match="重复"):
        actions.save_flowchart(
            world.sysadmin,
            world.a,
            code="FC-2",
            title="x",
            procedure="other",
            steps=[{"key": "a", "label": "A"}, {"key": "a", "label": "B"}],
            arrows=[],
        )
    chart = actions.save_flowchart(
        world.sysadmin,
        world.a,
        code="FC-1",
        title="改",
        procedure="simple_penalty",
        steps=[{"key": "x", "label": "唯一步骤", "kind": "start"}],
        arrows=[],
    )
    assert [s.key for s in chart.steps.all()] == ["x"] and not chart.arrows.exists()


def test_material_samples_are_checked_by_content(world, cat):
    with pytest.raises(ValidationError, match="内容类型"):
        actions.add_material(
            world.sysadmin, cat.guide, name="申请书", sample=("申请书.pdf", b"MZ\x90\x00" + b"\0" * 200)
        )
    with pytest.raises(ValidationError, match="扩展名与内容不符"):
        actions.add_material(
            world.sysadmin, cat.guide, name="申请书", sample=("申请书.docx", b"%PDF-1.4\n%%EOF\n")
        )
    m = actions.add_material(
        world.sysadmin, cat.guide, name="申请书", sample=("申请书.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n")
    )
    assert m.sample_type == "application/pdf" and len(m.sample_sha256) == 64

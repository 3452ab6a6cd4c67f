"""Import of the lists from CSV and XLSX: all or nothing, with a row-numbered report in Chinese."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.catalog.factories import build_catalog
from zhifa.catalog import actions, serialize, tabular
from zhifa.catalog.choices import TableKind
from zhifa.catalog.models import (
    Article,
    AvRecordingItem,
    EnforcementItem,
    Flowchart,
    Law,
    RandomInspectionItem,
    ServiceGuide,
)

ITEM_HEADERS = serialize.HEADERS[TableKind.ITEMS]


def _csv(headers, rows) -> bytes:
    return tabular.write_csv(headers, rows)


def _xlsx(headers, rows) -> bytes:
    return tabular.write_xlsx(headers, rows, title="表")


def _item_row(
    code,
    name,
    kind="行政处罚",
    violated="《医疗机构管理条例》第二十六条",
    penalty="《医疗机构管理条例》第四十六条",
    **tiers,
):
    row = {h: "" for h in ITEM_HEADERS}
    row.update(
        {
            "事项编码": code,
            "事项名称": name,
            "事项类别": kind,
            "执法领域": "医疗卫生",
            "承办机构": "医疗卫生监督科",
            "违法依据": violated,
            "处罚依据": penalty,
            "可否听证": "是",
        }
    )
    row.update(tiers)
    return [row[h] for h in ITEM_HEADERS]


@pytest.fixture
def cat(world):
    return build_catalog(world, publish=False)


def _snapshot_db():
    return (
        sorted(EnforcementItem.objects.values_list("code", "name", "active")),
        Article.objects.count(),
        Law.objects.count(),
        RandomInspectionItem.objects.count(),
        AvRecordingItem.objects.count(),
        ServiceGuide.objects.count(),
        Flowchart.objects.count(),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_good_file_creates_and_updates_items(world, cat, fmt):
    rows = [
        _item_row(
            "A-001",
            "改名后的事项",
            **{
                "一般情形": "未造成后果",
                "一般处罚标准": "警告并处罚款",
                "一般罚款下限": "10000",
                "一般罚款上限": "30000",
            },
        ),
        _item_row("B-100", "新事项", violated="《医师法》第二十四条", penalty="《医师法》第56条"),
    ]
    data = (_csv if fmt == "csv" else _xlsx)(ITEM_HEADERS, rows)
    result = actions.import_table(world.sysadmin, world.a, "items", filename=f"清单.{fmt}", data=data)
    assert result.created == ["B-100"] and result.updated == ["A-001"] and result.retired == []
    new = EnforcementItem.objects.get(agency=world.a, code="B-100")
    assert [a.citation for a in new.penalty_articles.all()] == ["《医师法》第五十六条"]
    assert new.field.code == "medical" and new.unit == world.section and new.hearing_eligible
    a1 = EnforcementItem.objects.get(agency=world.a, code="A-001")
    assert a1.name == "改名后的事项"
    assert [(t.tier, t.fine_min, t.fine_max) for t in a1.tiers.all()] == [("general", 10000, 30000)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_with_bad_rows_changes_nothing_and_reports_every_row(world, cat, fmt):
    before = _snapshot_db()
    rows = [
        _item_row("A-001", "本行没有问题，但不会被导入"),  # row 2
        _item_row(
            "B-1",
            "",
        ),  # row 3: empty name
        _item_row("B-2", "未知类别", kind="行政许可"),  # row 4
        _item_row("B-3", "依据不在法规库", violated="《不存在的法》第一条"),  # row 5
        _item_row("B-4", "条号不在库中", penalty="《医师法》第九十九条"),  # row 6
        _item_row(
            "B-5",
            "罚款倒挂",
            **{"一般情形": "x", "一般处罚标准": "y", "一般罚款下限": "5", "一般罚款上限": "1"},
        ),  # row 7
        _item_row("B-6", "引用写错", violated="医师法第二十四条"),  # row 8
        _item_row("A-001", "编码重复"),  # row 9
        _item_row("bad code!", "编码非法"),  # row 10
    ]
    data = (_csv if fmt == "csv" else _xlsx)(ITEM_HEADERS, rows)
    with pytest.raises(actions.ImportRejected) as err:
        actions.import_table(world.sysadmin, world.a, "items", filename=f"坏.{fmt}", data=data)
    reported = dict(err.value.rows)
    assert sorted(reported) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "事项名称" in reported[3] and "不能为空" in reported[3]
    assert "事项类别“行政许可”无效" in reported[4]
    assert "法规库中没有《不存在的法》" in reported[5]
    assert "第九十九条不在法规库中" in reported[6]
    assert "下限不能高于上限" in reported[7]
    assert "无法识别的引用" in reported[8]
    assert "与第2行重复" in reported[9]
    assert "字母、数字" in reported[10]
    assert "第3行：" in err.value.messages[0]
    assert _snapshot_db() == before


def test_missing_columns_and_wrong_file_types_are_refused(world, cat):
    before = _snapshot_db()
    with pytest.raises(actions.ImportRejected) as err:
        actions.import_table(
            world.sysadmin, world.a, "items", filename="x.csv", data=_csv(["事项编码", "名字"], [["A", "B"]])
        )
    assert err.value.rows[0][0] == 1 and "缺少列：事项名称、事项类别" in err.value.rows[0][1]
    with pytest.raises(ValidationError, match="内容类型"):
        actions.import_table(
            world.sysadmin, world.a, "items", filename="x.xlsx", data=b"MZ\x90\x00" + b"\0" * 300
        )
    with pytest.raises(ValidationError, match="扩展名与内容不符"):
        actions.import_table(world.sysadmin, world.a, "items", filename="x.xlsx", data=_csv(ITEM_HEADERS, []))
    with pytest.raises(ValidationError, match="超过大小限制"):
        actions.import_table(
            world.sysadmin, world.a, "items", filename="x.csv", data=b"a" * (actions.IMPORT_MAX_BYTES + 1)
        )
    assert _snapshot_db() == before


def test_gb18030_csv_from_excel_is_read(world, cat):
    text = ",".join(ITEM_HEADERS) + "\r\n" + ",".join(_item_row("C-1", "国标编码的文件")) + "\r\n"
    actions.import_table(world.sysadmin, world.a, "items", filename="gbk.csv", data=text.encode("gb18030"))
    assert EnforcementItem.objects.filter(code="C-1", name="国标编码的文件").exists()


def test_replace_retires_entries_missing_from_the_file(world, cat):
    result = actions.import_table(
        world.sysadmin,
        world.a,
        "items",
        filename="全量.csv",
        data=_csv(ITEM_HEADERS, [_item_row("A-001", "保留")]),
        replace=True,
    )
    assert result.retired == ["A-002"]
    assert not EnforcementItem.objects.get(code="A-002").active


def test_only_the_system_admin_imports(world, cat):
    data = _csv(ITEM_HEADERS, [_item_row("Z-1", "x")])
    for person in (world.officer, world.secadmin, world.head):
        with pytest.raises(PermissionDenied):
            actions.import_table(person, world.a, "items", filename="x.csv", data=data)


def test_export_then_import_round_trips_every_list(world):
    cat = build_catalog(world, publish=False)
    actions.add_material(world.sysadmin, cat.guide, name="申请书", requirement="1份")
    for kind in TableKind:
        rows = actions.export_rows(world.a, kind)
        headers = serialize.HEADERS[kind]
        for fmt, writer in (("csv", _csv), ("xlsx", _xlsx)):
            data = writer(headers, serialize.flatten(kind, rows))
            result = actions.import_table(world.sysadmin, world.a, kind, filename=f"{kind}.{fmt}", data=data)
            assert not result.created, (kind, fmt, result.created)
            assert actions.export_rows(world.a, kind) == rows, (kind, fmt)


def test_laws_import_adds_and_amends_articles(world, cat):
    headers = serialize.HEADERS[TableKind.LAWS]
    rows = [
        [
            "医疗机构管理条例",
            "",
            "国务院",
            "行政法规",
            "1994-02-26",
            "1994-09-01",
            "现行有效",
            "第二十六条",
            "修改后的第二十六条。",
        ],
        [
            "医疗机构管理条例",
            "",
            "国务院",
            "行政法规",
            "1994-02-26",
            "1994-09-01",
            "现行有效",
            "27",
            "医疗机构不得使用非卫生技术人员从事医疗卫生技术工作。",
        ],
        [
            "中华人民共和国行政处罚法",
            "行政处罚法",
            "全国人民代表大会常务委员会",
            "法律",
            "2021-01-22",
            "2021-07-15",
            "现行有效",
            "第三十四条",
            "行政机关可以依法制定行政处罚裁量基准……",
        ],
    ]
    actions.import_table(world.sysadmin, world.a, "laws", filename="法规.xlsx", data=_xlsx(headers, rows))
    art26 = Article.objects.get(law=cat.law, number=26, is_current=True)
    assert art26.version == 2 and art26.text == "修改后的第二十六条。"
    assert Article.objects.filter(law=cat.law, number=27).exists()
    assert Law.objects.get(agency=world.a, short_name="行政处罚法").articles.count() == 1
    assert EnforcementItem.objects.get(pk=cat.item.pk).needs_review


def test_laws_import_refuses_inconsistent_rows(world, cat):
    headers = serialize.HEADERS[TableKind.LAWS]
    rows = [
        ["某条例", "", "国务院", "行政法规", "", "", "", "1", "甲"],
        ["某条例", "", "某部", "行政法规", "", "", "", "1", "乙"],
        ["某条例", "", "国务院", "法令", "", "", "", "第X条", "丙"],
        ["某条例", "", "国务院", "法令", "", "", "", "2", "丁"],
    ]
    with pytest.raises(actions.ImportRejected) as err:
        actions.import_table(world.sysadmin, world.a, "laws", filename="法规.csv", data=_csv(headers, rows))
    reported = {}
    for row, message in err.value.rows:
        reported[row] = reported.get(row, "") + message
    assert "重复" in reported[3]
    assert "制定机关" in reported[3] and "不一致" in reported[3]
    assert "条号“第X条”无法识别" in reported[4]
    assert "效力层级“法令”无效" in reported[5]
    assert not Law.objects.filter(name="某条例").exists()


def test_flowchart_import_checks_arrow_targets(world, cat):
    headers = serialize.HEADERS[TableKind.FLOWCHARTS]
    rows = [
        ["FC-9", "新流程", "其他", "", "a", "开始", "开始", "", "b、c:否"],
        ["FC-9", "", "", "", "b", "结束", "结束", "", ""],
    ]
    with pytest.raises(actions.ImportRejected) as err:
        actions.import_table(
            world.sysadmin, world.a, "flowcharts", filename="f.csv", data=_csv(headers, rows)
        )
    assert err.value.rows == [(2, "下一步“c”不是流程图“FC-9”中的步骤编码")]
    rows[0][-1] = "b:是"
    actions.import_table(world.sysadmin, world.a, "flowcharts", filename="f.csv", data=_csv(headers, rows))
    chart = Flowchart.objects.get(code="FC-9")
    assert [(a.source.key, a.target.key, a.label) for a in chart.arrows.all()] == [("a", "b", "是")]


def test_csv_export_neutralises_formulas(world, cat):
    actions.update_item(world.sysadmin, cat.item, basis_note='=HYPERLINK("http://x")')
    data = tabular.write_csv(ITEM_HEADERS, serialize.flatten("items", actions.export_rows(world.a, "items")))
    assert "'=HYPERLINK" in data.decode("utf-8-sig")
    xlsx = tabular.write_xlsx(
        ITEM_HEADERS, serialize.flatten("items", actions.export_rows(world.a, "items")), title="t"
    )
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx)).active
    cell = next(c for row in ws.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"

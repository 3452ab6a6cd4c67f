"""A small catalog for agency A of the ``world`` fixture, built through the actions as an administrator would."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from zhifa.catalog import actions
from zhifa.catalog.choices import ListKind


def build_catalog(world, *, publish: bool = True) -> SimpleNamespace:
    c = SimpleNamespace()
    a = world.a
    c.law = actions.create_law(
        None,
        a,
        name="医疗机构管理条例",
        issuer="国务院",
        level="admin_regulation",
        promulgated_on=dt.date(1994, 2, 26),
        effective_on=dt.date(1994, 9, 1),
    )
    c.art26 = actions.add_article(
        None, c.law, number=26, text="医疗机构必须按照核准登记或者备案的诊疗科目开展诊疗活动。"
    )
    c.art46 = actions.add_article(
        None,
        c.law,
        number=46,
        text="违反本条例第二十六条规定，诊疗活动超出登记或者备案范围的，……处以1万元以上10万元以下的罚款。",
    )
    c.doctor_law = actions.create_law(
        None,
        a,
        name="中华人民共和国医师法",
        short_name="医师法",
        issuer="全国人民代表大会常务委员会",
        level="law",
    )
    c.art24 = actions.add_article(None, c.doctor_law, number=24, text="医师不得出具虚假医学证明文件。")
    c.art56 = actions.add_article(None, c.doctor_law, number=56, text="……并处一万元以上三万元以下的罚款。")
    c.item = actions.create_item(
        None,
        a,
        code="A-001",
        name="对诊疗活动超出登记范围的行政处罚",
        kind="penalty",
        unit=world.section,
        violated=[c.art26],
        penalty=[c.art46],
        hearing_eligible=True,
    )
    actions.set_benchmarks(
        None,
        c.item,
        {
            "general": {
                "circumstances": "未造成危害后果",
                "penalty": "警告，并处1万元以上3万元以下罚款",
                "fine_min": 10000,
                "fine_max": 30000,
            },
            "severe": {
                "circumstances": "造成患者人身损害",
                "penalty": "处7万元以上10万元以下罚款",
                "fine_min": 70000,
                "fine_max": 100000,
            },
        },
    )
    c.item2 = actions.create_item(
        None,
        a,
        code="A-002",
        name="对医师出具虚假医学证明文件的行政处罚",
        kind="penalty",
        violated=[c.art24],
        penalty=[c.art56],
    )
    c.random = actions.save_random_item(
        None,
        a,
        code="RI-001",
        seq=1,
        check_item="医疗机构依法执业",
        sub_item="资质",
        subject="甲区卫生健康局",
        basis="《医疗机构管理条例》第二十六条",
        articles=[c.art26],
        method="现场检查",
        content="诊疗科目",
    )
    c.av = actions.save_av_item(
        None,
        a,
        act_code="seizure",
        seq=1,
        act="查封、扣押",
        stage="investigation",
        place="现场",
        mode="full",
        device="执法记录仪",
        recorder="执法人员",
        content="全过程",
    )
    c.chart = actions.save_flowchart(
        None,
        a,
        code="FC-1",
        title="简易程序流程图",
        procedure="simple_penalty",
        steps=[
            {"key": "a", "label": "出示证件", "kind": "start"},
            {"key": "b", "label": "当场处罚", "kind": "end"},
        ],
        arrows=[{"source": "a", "target": "b", "label": ""}],
    )
    c.guide = actions.save_guide(
        None,
        a,
        code="G-1",
        title="简易程序指南",
        body="甲区卫生健康局",
        procedure="simple_penalty",
        flowchart=c.chart,
        materials=[("身份证明", "1份")],
    )
    c.versions = {}
    if publish:
        for kind in ListKind:
            c.versions[kind] = actions.publish_list(
                None, a, kind, effective_on=timezone.localdate(), note="首次发布"
            )
    return c

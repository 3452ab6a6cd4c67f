"""The demo catalog of 明山区卫生健康局: law library, 执法事项清单 with 裁量基准, 随机抽查事项清单, 音像记录事项清单,
服务指南 with sample materials and the five 流程图 — all through the actions, published as versions.
Idempotent: a second run creates nothing new.
"""

from __future__ import annotations

import datetime as dt
import io

from . import actions
from .choices import ListKind
from .demo_items import ITEMS, ITEMS_V2
from .demo_laws import LAWS
from .models import (
    Article,
    AvRecordingItem,
    EnforcementItem,
    Flowchart,
    Law,
    ListVersion,
    RandomInspectionItem,
    ServiceGuide,
)

AGENCY_CODE = "mingshan-wjj"
V1_DATE = dt.date(2026, 1, 1)
V2_DATE = dt.date(2026, 7, 1)
BODY = "明山区卫生健康局"
CONTACT = "咨询电话：0000-12345678（工作日 9:00—17:00）；地址：明山区政府路1号"
COMPLAINT = "投诉举报电话：0000-12345679；12345政务服务便民热线；本网站“投诉举报”栏目"
REMEDIES = (
    "对行政处罚决定不服的，可以自知道该行政行为之日起六十日内向明山区人民政府申请行政复议，"
    "或者自知道之日起六个月内向明山区人民法院提起行政诉讼。"
)

RANDOM = [
    # (seq, code, check_item, sub_item, method, content, basis, citations, targets, frequency, field)
    (
        1,
        "RI-001",
        "医疗机构依法执业",
        "医疗机构资质管理",
        "现场检查、查阅资料",
        "《医疗机构执业许可证》或者备案凭证及校验情况；诊疗科目与登记或者备案范围是否一致。",
        "《医疗机构管理条例》第三十九条；《基本医疗卫生与健康促进法》第八十六条",
        [("医疗机构管理条例", 39)],
        "辖区内医疗机构",
        "每年抽查比例不低于5%",
        "medical",
    ),
    (
        2,
        "RI-002",
        "医疗机构依法执业",
        "医疗卫生人员管理",
        "现场检查、查阅资料",
        "医师、护士等卫生技术人员执业注册及执业范围；是否使用非卫生技术人员。",
        "《医疗机构管理条例》第二十七条、第三十九条；《医师法》第十四条",
        [("医疗机构管理条例", 27), ("医师法", 14)],
        "辖区内医疗机构",
        "每年抽查比例不低于5%",
        "medical",
    ),
    (
        3,
        "RI-003",
        "传染病防治",
        "预检分诊和疫情报告",
        "现场检查、查阅资料、网络直报系统核查",
        "预检分诊制度落实情况；传染病疫情报告是否及时、准确。",
        "《传染病防治法》第四十五条、第七十七条、第九十三条",
        [("传染病防治法", 45), ("传染病防治法", 77), ("传染病防治法", 93)],
        "医疗机构",
        "按国家随机监督抽查计划",
        "infectious",
    ),
    (
        4,
        "RI-004",
        "传染病防治",
        "医疗废物管理",
        "现场检查",
        "医疗废物分类收集、暂时贮存、登记和交接情况。",
        "《医疗废物管理条例》第十二条、第十六条、第十七条",
        [("医疗废物管理条例", 12), ("医疗废物管理条例", 16), ("医疗废物管理条例", 17)],
        "医疗机构",
        "按国家随机监督抽查计划",
        "infectious",
    ),
    (
        5,
        "RI-005",
        "公共场所卫生",
        "卫生许可和从业人员健康管理",
        "现场检查、查阅资料",
        "卫生许可证或者卫生备案情况；直接为顾客服务人员健康合格证明。",
        "《公共场所卫生管理条例》第七条、第八条、第十三条",
        [("公共场所卫生管理条例", 7), ("公共场所卫生管理条例", 8)],
        "住宿、沐浴、美容美发等公共场所",
        "每年抽查比例不低于5%",
        "public-health",
    ),
    (
        6,
        "RI-006",
        "公共场所卫生",
        "卫生检测和用品用具消毒",
        "现场检查、现场快速检测",
        "空气、水质等卫生检测情况；顾客用品用具清洗消毒保洁情况。",
        "《公共场所卫生管理条例》第三条",
        [("公共场所卫生管理条例", 3)],
        "住宿、沐浴、游泳等公共场所",
        "每年抽查比例不低于5%",
        "public-health",
    ),
    (
        7,
        "RI-007",
        "生活饮用水卫生",
        "集中式供水单位卫生管理",
        "现场检查、水质抽检",
        "卫生许可情况；供管水人员健康体检和培训；出厂水、末梢水水质。",
        "《传染病防治法》第三十八条；《生活饮用水卫生监督管理办法》第七条、第十一条",
        [("传染病防治法", 38)],
        "集中式供水单位",
        "按国家随机监督抽查计划",
        "water",
    ),
    (
        8,
        "RI-008",
        "职业卫生",
        "职业病危害项目申报和检测评价",
        "现场检查、查阅资料",
        "职业病危害项目申报；工作场所职业病危害因素定期检测、评价。",
        "《职业病防治法》第十六条、第二十六条",
        [("职业病防治法", 16), ("职业病防治法", 26)],
        "存在职业病危害的用人单位",
        "每年抽查比例不低于5%",
        "occupational",
    ),
    (
        9,
        "RI-009",
        "职业卫生",
        "职业健康监护",
        "查阅资料",
        "上岗前、在岗期间、离岗时职业健康检查及结果告知。",
        "《职业病防治法》第三十五条",
        [("职业病防治法", 35)],
        "存在职业病危害的用人单位",
        "每年抽查比例不低于5%",
        "occupational",
    ),
    (
        10,
        "RI-010",
        "放射卫生",
        "放射诊疗许可和防护",
        "现场检查、查阅资料",
        "放射诊疗许可；放射防护设施；工作人员个人剂量监测和职业健康检查。",
        "《职业病防治法》第二十五条；《放射诊疗管理规定》",
        [("职业病防治法", 25)],
        "开展放射诊疗的医疗机构",
        "每年抽查比例不低于5%",
        "occupational",
    ),
]

# 音像记录事项清单, seeded from law-facts.md §2.2: 全程 where property rights or case-handling premises are
# directly involved; 根据情况 for dispute-prone steps. ``act_code`` is what the records module asks about.
AV = [
    (
        1,
        "seizure",
        "查封、扣押场所、设施或者财物",
        "investigation",
        "实施查封、扣押的现场",
        "full",
        "执法记录仪（不少于1台）",
        "在场执法人员之一",
        "宣布查封扣押、告知理由依据和权利、清点物品、加贴封条、送达决定书和清单的全过程",
    ),
    (
        2,
        "temporary-control",
        "责令暂停作业、封存材料设备等临时控制措施",
        "investigation",
        "实施控制措施的现场",
        "full",
        "执法记录仪",
        "在场执法人员之一",
        "宣布和实施控制措施、封存物品的全过程",
    ),
    (
        3,
        "case-room-inquiry",
        "在办案场所询问当事人、证人",
        "investigation",
        "本机关询问室",
        "full",
        "询问室固定音视频设备",
        "办案人员",
        "询问的全过程，不得中断；中断的应在恢复后说明原因",
    ),
    (
        4,
        "on-site-inspection",
        "现场检查、监督检查",
        "investigation",
        "被检查单位现场",
        "as_needed",
        "执法记录仪、照相机",
        "执法人员",
        "出示证件、检查经过、发现的问题和现场笔录的制作",
    ),
    (
        5,
        "random-inspection",
        "双随机抽查现场检查",
        "investigation",
        "被抽查单位现场",
        "as_needed",
        "执法记录仪",
        "执法人员",
        "出示证件、检查经过和检查结果告知",
    ),
    (
        6,
        "evidence-collection",
        "调查取证、现场采样",
        "evidence",
        "取证现场",
        "as_needed",
        "执法记录仪、照相机",
        "执法人员",
        "采样、提取书证物证、复制资料的过程",
    ),
    (
        7,
        "evidence-preservation",
        "证据先行登记保存",
        "evidence",
        "保存现场",
        "as_needed",
        "执法记录仪",
        "执法人员",
        "清点、登记、封存证据和送达决定书的过程",
    ),
    (
        8,
        "hearing",
        "听证",
        "review",
        "听证室",
        "as_needed",
        "听证室固定音视频设备",
        "听证记录员",
        "听证会全过程",
    ),
    (
        9,
        "service-lien",
        "留置送达",
        "service",
        "受送达人住所",
        "as_needed",
        "执法记录仪",
        "送达人",
        "留置送达的过程（无见证人时应当拍照、录像）",
    ),
    (
        10,
        "service-notice",
        "公告送达",
        "service",
        "公告张贴地点",
        "as_needed",
        "照相机",
        "送达人",
        "公告张贴的位置、内容和时间",
    ),
    (
        11,
        "service-direct",
        "直接送达执法文书",
        "service",
        "送达地点",
        "as_needed",
        "执法记录仪",
        "送达人",
        "当事人拒绝签收等容易引发争议的情形",
    ),
    (
        12,
        "execution-demand",
        "催告和申请强制执行前的执行告知",
        "execution",
        "当事人住所或者经营场所",
        "as_needed",
        "执法记录仪",
        "执法人员",
        "送达催告书、听取当事人意见的过程",
    ),
]

FLOWCHARTS = [
    (
        "FC-GENERAL",
        "行政处罚一般程序流程图",
        "general_penalty",
        "适用于简易程序以外的行政处罚案件。",
        [
            ("source", "案件来源", "start", "监督检查、投诉举报、上级交办、移送等"),
            ("accept", "受理登记", "step", "制作案件受理记录"),
            ("file", "立案", "step", "符合立案标准的及时立案，经负责人批准"),
            ("investigate", "调查取证", "step", "执法人员不少于两人，出示执法证件"),
            ("report", "调查终结、合议", "step", "提出处理意见"),
            ("review", "法制审核", "decision", "重大执法决定须经法制审核"),
            ("notice", "行政处罚事先告知", "step", "告知拟处罚内容及陈述、申辩、听证权利"),
            ("ask", "当事人是否陈述申辩或要求听证", "decision", ""),
            ("defence", "听取陈述申辩、复核；依法组织听证", "step", "不得因陈述申辩加重处罚"),
            ("decide", "负责人审批或集体讨论决定", "step", "自立案之日起九十日内作出决定"),
            ("serve", "送达行政处罚决定书", "step", "当事人不在场的，七日内送达"),
            ("execute", "执行", "step", "自收到决定书之日起十五日内缴纳罚款"),
            ("close", "结案归档", "end", ""),
        ],
        [
            ("source", "accept", ""),
            ("accept", "file", ""),
            ("file", "investigate", ""),
            ("investigate", "report", ""),
            ("report", "review", ""),
            ("review", "notice", "同意"),
            ("review", "investigate", "存在问题"),
            ("notice", "ask", ""),
            ("ask", "defence", "是"),
            ("ask", "decide", "否"),
            ("defence", "decide", ""),
            ("decide", "serve", ""),
            ("serve", "execute", ""),
            ("execute", "close", ""),
        ],
    ),
    (
        "FC-SIMPLE",
        "行政处罚简易程序（当场处罚）流程图",
        "simple_penalty",
        "违法事实确凿并有法定依据，对公民处二百元以下、对法人或者其他组织处三千元以下罚款或者警告的，可以当场作出决定。",
        [
            ("find", "发现违法行为", "start", ""),
            ("show", "出示执法证件，表明身份", "step", ""),
            ("confirm", "确认违法事实，说明处罚理由和依据", "step", ""),
            ("hear", "告知并听取当事人陈述、申辩", "step", ""),
            ("decide", "填写预定格式、编有号码的当场处罚决定书", "step", "当事人签字；拒绝签字的注明"),
            ("deliver", "当场交付决定书", "step", ""),
            ("file", "报所属行政机关备案", "end", ""),
        ],
        [
            ("find", "show", ""),
            ("show", "confirm", ""),
            ("confirm", "hear", ""),
            ("hear", "decide", ""),
            ("decide", "deliver", ""),
            ("deliver", "file", ""),
        ],
    ),
    (
        "FC-HEARING",
        "行政处罚听证程序流程图",
        "hearing",
        "拟作出较大数额罚款、吊销许可证件、责令停产停业等决定的，当事人有权要求听证。",
        [
            ("notify", "告知当事人有要求听证的权利", "start", ""),
            ("ask", "当事人是否在告知后五日内要求听证", "decision", "五日为工作日"),
            ("no", "依法作出处理决定", "end", "逾期未要求的视为放弃"),
            ("schedule", "确定听证主持人，在听证七日前通知时间、地点", "step", "主持人由非本案调查人员担任"),
            ("hold", "举行听证", "step", "除涉及秘密或者隐私外公开举行"),
            ("record", "制作听证笔录，当事人核对签字", "step", ""),
            ("decide", "根据听证笔录依法作出决定", "end", ""),
        ],
        [
            ("notify", "ask", ""),
            ("ask", "schedule", "是"),
            ("ask", "no", "否"),
            ("schedule", "hold", ""),
            ("hold", "record", ""),
            ("record", "decide", ""),
        ],
    ),
    (
        "FC-SEIZURE",
        "查封、扣押流程图",
        "seizure",
        "依照《行政强制法》实施查封、扣押。",
        [
            ("need", "发现需要查封、扣押的情形", "start", ""),
            ("approve", "报机关负责人批准", "step", "情况紧急的，当场实施后二十四小时内补报"),
            ("arrive", "两名以上执法人员到场，出示证件，通知当事人到场", "step", ""),
            ("inform", "告知理由、依据和救济途径，听取陈述申辩", "step", ""),
            ("do", "制作现场笔录，全程音像记录", "step", ""),
            ("deliver", "当场交付查封扣押决定书和清单", "step", ""),
            ("extend", "是否需要延长期限", "decision", "期限不超过三十日"),
            ("extended", "经负责人批准延长，书面告知当事人", "step", "延长不超过三十日"),
            ("handle", "作出处理决定", "step", ""),
            ("end", "解除查封扣押或者依法处理", "end", ""),
        ],
        [
            ("need", "approve", ""),
            ("approve", "arrive", ""),
            ("arrive", "inform", ""),
            ("inform", "do", ""),
            ("do", "deliver", ""),
            ("deliver", "extend", ""),
            ("extend", "extended", "是"),
            ("extend", "handle", "否"),
            ("extended", "handle", ""),
            ("handle", "end", ""),
        ],
    ),
    (
        "FC-RANDOM",
        "双随机抽查流程图",
        "random_inspection",
        "随机抽取检查对象、随机选派执法检查人员，抽查情况和查处结果及时公开。",
        [
            ("plan", "制定年度抽查计划", "start", "依据随机抽查事项清单"),
            ("draw_targets", "从检查对象名录库随机抽取检查对象", "step", "摇号或者机选，过程留痕"),
            (
                "draw_officers",
                "从执法检查人员名录库随机选派执法人员",
                "step",
                "每个对象不少于两人；有利害关系的回避",
            ),
            ("inspect", "实施检查，制作现场笔录", "step", ""),
            ("found", "是否发现违法行为", "decision", ""),
            ("case", "依法立案查处", "step", ""),
            ("publish", "公示抽查结果", "end", "检查结束后二十个工作日内"),
        ],
        [
            ("plan", "draw_targets", ""),
            ("draw_targets", "draw_officers", ""),
            ("draw_officers", "inspect", ""),
            ("inspect", "found", ""),
            ("found", "case", "是"),
            ("found", "publish", "否"),
            ("case", "publish", ""),
        ],
    ),
]

GUIDES = [
    (
        "G-GENERAL",
        "行政处罚一般程序服务指南",
        None,
        "general_penalty",
        "FC-GENERAL",
        "本局依法查处卫生健康领域违法行为，适用简易程序以外的行政处罚案件。",
        [
            ("陈述申辩书", "1份，当事人签字或者盖章", "sample-statement"),
            ("授权委托书", "委托代理人的，1份", None),
            ("身份证明或营业执照复印件", "1份", None),
        ],
        "自立案之日起九十日内作出处理决定；法律、法规、规章另有规定的从其规定。",
        "不收费。",
        "立案—调查取证—法制审核—事先告知—陈述申辩或听证—决定—送达—执行—结案。",
        "《中华人民共和国行政处罚法》第三十四条、第五十一条、第六十三条等；《卫生健康行政处罚程序规定》",
    ),
    (
        "G-SIMPLE",
        "行政处罚简易程序服务指南",
        None,
        "simple_penalty",
        "FC-SIMPLE",
        "违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的。",
        [],
        "当场作出决定。",
        "不收费。",
        "出示证件—说明事实理由依据—听取陈述申辩—当场交付决定书—备案。",
        "《中华人民共和国行政处罚法》第五十一条",
    ),
    (
        "G-HEARING",
        "行政处罚听证服务指南",
        None,
        "hearing",
        "FC-HEARING",
        "拟作出较大数额罚款、没收较大数额违法所得、吊销许可证件、责令停产停业等行政处罚决定的。",
        [
            ("听证申请书", "1份，写明申请人、申请事项和理由", "sample-hearing"),
            ("授权委托书", "委托1至2名代理人的，1份", None),
        ],
        "当事人在被告知后五日内提出；本局在听证的七日前通知听证时间、地点。",
        "当事人不承担听证费用。",
        "申请—通知—举行听证—听证笔录—作出决定。",
        "《中华人民共和国行政处罚法》第六十三条至第六十五条",
    ),
    (
        "G-SEIZURE",
        "查封、扣押告知指南",
        "WJ-QZ-001",
        "seizure",
        "FC-SEIZURE",
        "为制止违法行为、防止证据损毁、避免危害发生，依照法律、行政法规对涉案场所、设施或者财物实施查封、扣押。",
        [],
        "查封、扣押的期限不得超过三十日；情况复杂的，经负责人批准可以延长不超过三十日。",
        "不收费；检测、检验、检疫或者技术鉴定的费用由行政机关承担。",
        "批准—实施—现场笔录—交付决定书和清单—处理决定。",
        "《中华人民共和国行政强制法》第二十五条；《医疗废物管理条例》第三十九条",
    ),
    (
        "G-RANDOM",
        "双随机抽查工作指南",
        "WJ-JC-001",
        "random_inspection",
        "FC-RANDOM",
        "对随机抽查事项清单所列事项，随机抽取检查对象、随机选派执法检查人员开展检查。",
        [],
        "抽查结果在检查结束后二十个工作日内公示。",
        "不收费。",
        "计划—抽取对象—选派人员—检查—处理—公示。",
        "《国务院办公厅关于推广随机抽查规范事中事后监管的通知》（国办发〔2015〕58号）",
    ),
    (
        "G-COMPLAINT",
        "投诉举报办理指南",
        None,
        "other",
        None,
        "公民、法人或者其他组织发现卫生健康领域违法行为，或者认为执法人员违法执法的，可以投诉举报。",
        [("投诉举报登记表", "1份", "sample-complaint"), ("相关证据材料", "如有，照片、票据等", None)],
        "本局依法及时核实处理，并将办理情况告知留有联系方式的投诉举报人。",
        "不收费。",
        "提交（网站、电话、来信来访）—登记受理—核查—处理—答复。",
        "《中华人民共和国基本医疗卫生与健康促进法》第九十七条",
    ),
]

SAMPLES = {
    "sample-statement": (
        "陈述申辩书样本.xlsx",
        ["陈述申辩书"],
        [["当事人", ""], ["案由", ""], ["陈述申辩意见", ""], ["签名（盖章）", ""], ["日期", ""]],
    ),
    "sample-hearing": (
        "听证申请书样本.xlsx",
        ["听证申请书"],
        [
            ["申请人", ""],
            ["联系电话", ""],
            ["申请听证的事项", ""],
            ["申请理由", ""],
            ["签名（盖章）", ""],
            ["日期", ""],
        ],
    ),
    "sample-complaint": (
        "投诉举报登记表样本.xlsx",
        ["投诉举报登记表"],
        [
            ["投诉举报人（可不填）", ""],
            ["联系方式（可不填）", ""],
            ["被投诉举报对象", ""],
            ["事项和经过", ""],
            ["日期", ""],
        ],
    ),
}


def _sample_bytes(title: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(title)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _article(agency, law_name: str, number: int) -> Article:
    return Article.objects.get(
        law__agency=agency,
        number=number,
        is_current=True,
        law__in=Law.objects.filter(agency=agency).filter(name=law_name)
        | Law.objects.filter(agency=agency, short_name=law_name),
    )


def _laws(agency) -> None:
    for spec in LAWS:
        law = Law.objects.filter(agency=agency, name=spec["name"]).first()
        if law is None:
            law = actions.create_law(
                None,
                agency,
                name=spec["name"],
                short_name=spec["short_name"],
                issuer=spec["issuer"],
                level=spec["level"],
                promulgated_on=dt.date.fromisoformat(spec["promulgated_on"]),
                effective_on=dt.date.fromisoformat(spec["effective_on"]),
            )
        for number, text in spec["articles"].items():
            if not law.articles.filter(number=number).exists():
                actions.add_article(None, law, number=number, text=text)


def _items(agency, rows, start_order: int) -> None:
    units = {u.name: u for u in agency.units.all()}
    from zhifa.org.models import EnforcementField

    fields = {f.code: f for f in EnforcementField.objects.all()}
    for i, (code, name, kind, field, unit, violated, penalty, hearing, tiers, note) in enumerate(rows):
        if EnforcementItem.objects.filter(agency=agency, code=code).exists():
            continue
        item = actions.create_item(
            None,
            agency,
            code=code,
            name=name,
            kind=kind,
            field=fields.get(field),
            unit=units.get(unit),
            violated=[_article(agency, law, n) for law, n in violated],
            penalty=[_article(agency, law, n) for law, n in penalty],
            basis_note=note,
            hearing_eligible=hearing,
            hearing_note="拟作出较大数额罚款、吊销许可证件、责令停止执业活动等决定的，当事人可以要求听证。"
            if hearing
            else "",
            order=start_order + i,
        )
        if tiers:
            actions.set_benchmarks(
                None,
                item,
                {
                    tier: {"circumstances": c, "penalty": p, "fine_min": lo, "fine_max": hi}
                    for tier, c, p, lo, hi in tiers
                },
            )


def _random(agency) -> None:
    from zhifa.org.models import EnforcementField

    fields = {f.code: f for f in EnforcementField.objects.all()}
    for seq, code, item, sub, method, content, basis, cites, targets, freq, field in RANDOM:
        if RandomInspectionItem.objects.filter(agency=agency, code=code).exists():
            continue
        actions.save_random_item(
            None,
            agency,
            code=code,
            seq=seq,
            check_item=item,
            sub_item=sub,
            subject=BODY,
            basis=basis,
            articles=[_article(agency, law, n) for law, n in cites],
            method=method,
            content=content,
            targets=targets,
            frequency=freq,
            note="",
            field=fields.get(field),
        )


def _av(agency) -> None:
    for seq, code, act, stage, place, mode, device, recorder, content in AV:
        if AvRecordingItem.objects.filter(agency=agency, act_code=code).exists():
            continue
        actions.save_av_item(
            None,
            agency,
            act_code=code,
            seq=seq,
            act=act,
            stage=stage,
            place=place,
            mode=mode,
            device=device,
            recorder=recorder,
            content=content,
        )


def _flowcharts(agency) -> None:
    for order, (code, title, procedure, description, steps, arrows) in enumerate(FLOWCHARTS):
        if Flowchart.objects.filter(agency=agency, code=code).exists():
            continue
        actions.save_flowchart(
            None,
            agency,
            code=code,
            title=title,
            procedure=procedure,
            description=description,
            order=order,
            steps=[{"key": k, "label": label, "kind": kind, "note": note} for k, label, kind, note in steps],
            arrows=[{"source": s, "target": t, "label": label} for s, t, label in arrows],
        )


def _guides(agency) -> None:
    for order, (
        code,
        title,
        item_code,
        procedure,
        chart_code,
        conditions,
        materials,
        time_limit,
        fees,
        process,
        basis,
    ) in enumerate(GUIDES):
        if ServiceGuide.objects.filter(agency=agency, code=code).exists():
            continue
        guide = actions.save_guide(
            None,
            agency,
            code=code,
            title=title,
            item=EnforcementItem.objects.filter(agency=agency, code=item_code).first() if item_code else None,
            procedure=procedure,
            body=BODY,
            conditions=conditions,
            time_limit=time_limit,
            fees=fees,
            process=process,
            contacts=CONTACT,
            complaint_channel=COMPLAINT,
            basis=basis,
            remedies=REMEDIES,
            flowchart=Flowchart.objects.filter(agency=agency, code=chart_code).first()
            if chart_code
            else None,
            order=order,
        )
        for name, requirement, sample_key in materials:
            sample = None
            if sample_key:
                filename, head, rows = SAMPLES[sample_key]
                sample = (filename, _sample_bytes(head, rows))
            actions.add_material(None, guide, name=name, requirement=requirement, sample=sample)


def _publish(agency, kind, effective_on, note) -> None:
    if not ListVersion.objects.filter(agency=agency, kind=kind, effective_on=effective_on).exists():
        actions.publish_list(None, agency, kind, effective_on=effective_on, note=note)


def load(agency=None) -> None:
    from zhifa.org.models import Agency

    agency = agency or Agency.objects.get(code=AGENCY_CODE)
    _laws(agency)
    _items(agency, ITEMS, 0)
    _random(agency)
    _av(agency)
    _flowcharts(agency)
    _guides(agency)
    for kind in ListKind:
        _publish(agency, kind, V1_DATE, "首次发布")
    # A second version of the item list, so the history has something to show.
    _items(agency, ITEMS_V2, len(ITEMS))
    _publish(agency, ListKind.ITEMS, V2_DATE, "新增放射诊疗和放射性职业病危害建设项目相关事项")

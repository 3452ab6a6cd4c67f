"""About 30 demo cases of 明山区卫生健康局 spread over every state, walked through the real actions by the
demo officers and heads, with past dates. Idempotent: nothing is added when the agency already has cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from zhifa.org.models import Agency, Certificate, EnforcementField, Person, Unit

from . import actions
from .choices import IdType, Outcome, PartyKind, PaymentKind, PenaltyKind, RecordKind, ServiceMethod, Source
from .models import Case, HearingPolicy, Party

PARTIES = [
    (PartyKind.LEGAL, "明山区康宁口腔诊所", "91440300MA5D0001", "周康宁", "明山区健康路12号"),
    (PartyKind.LEGAL, "明山区仁和中医诊所", "91440300MA5D0002", "吴仁和", "明山区仁和街3号"),
    (PartyKind.LEGAL, "明山区美丽人生医疗美容门诊部", "91440300MA5D0003", "郑丽", "明山区商业大道88号"),
    (PartyKind.LEGAL, "明山区悦来宾馆有限公司", "91440300MA5D0004", "孙悦", "明山区站前路6号"),
    (PartyKind.LEGAL, "明山区碧波游泳馆有限公司", "91440300MA5D0005", "钱碧波", "明山区体育路20号"),
    (PartyKind.LEGAL, "明山区清泉二次供水管理有限公司", "91440300MA5D0006", "赵清泉", "明山区水务街9号"),
    (PartyKind.LEGAL, "明山区安康医院有限公司", "91440300MA5D0007", "冯安康", "明山区南环路100号"),
    (PartyKind.LEGAL, "明山区精工机械制造有限公司", "91440300MA5D0008", "褚精工", "明山区工业园A区"),
    (PartyKind.LEGAL, "明山区博爱社区卫生服务站", "91440300MA5D0009", "卫博爱", "明山区博爱里5号"),
    (PartyKind.LEGAL, "明山区金剪刀美发店有限公司", "91440300MA5D0010", "蒋金", "明山区步行街15号"),
    (PartyKind.LEGAL, "明山区童乐托育中心", "91440300MA5D0011", "沈童", "明山区幼园路2号"),
    (PartyKind.LEGAL, "明山区星光足浴有限公司", "91440300MA5D0012", "韩星", "明山区夜市街7号"),
    (PartyKind.INDIVIDUAL_BUSINESS, "明山区老杨诊所（个体）", "92440300MA5D0013", "杨医生", "明山区东关村"),
    (PartyKind.NATURAL, "李明", "440303198501012345", "", "明山区幸福小区3栋"),
    (PartyKind.NATURAL, "王芳", "440303199002023456", "", "明山区和平里8号"),
    (PartyKind.NATURAL, "陈强", "440303197803034567", "", "明山区东风路21号"),
]

SECTIONS = {
    "medical": ("医疗卫生监督科", ["zhifa01", "zhifa02", "zhifa03", "zhifa05"]),
    "public-health": ("公共卫生监督科", ["zhifa06", "zhifa07", "zhifa08", "zhifa09"]),
    "infectious": ("传染病防治监督科", ["zhifa12", "zhifa13", "zhifa14", "zhifa15"]),
    "occupational": ("职业卫生监督科", ["zhifa16", "zhifa17", "zhifa18", "zhifa19"]),
}

# (party index, field, cause, violated, penalty basis, kinds, fine, story, days ago it started)
STORIES = [
    (
        0,
        "medical",
        "使用非卫生技术人员从事医疗卫生技术工作",
        "《医疗机构管理条例》第二十七条",
        "《医疗机构管理条例》第四十七条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "8000",
        "archived",
        200,
    ),
    (
        1,
        "medical",
        "未按规定校验《医疗机构执业许可证》",
        "《医疗机构管理条例》第二十二条",
        "《医疗机构管理条例》第四十五条",
        (PenaltyKind.WARNING,),
        "0",
        "archived",
        180,
    ),
    (
        2,
        "medical",
        "超出登记的诊疗科目范围开展医疗美容项目",
        "《医疗机构管理条例》第二十六条",
        "《医疗机构管理条例》第四十六条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "3000",
        "closed",
        150,
    ),
    (
        3,
        "public-health",
        "公共场所未取得卫生许可证擅自营业",
        "《公共场所卫生管理条例》第八条",
        "《公共场所卫生管理条例》第十四条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "2000",
        "closed",
        140,
    ),
    (
        4,
        "public-health",
        "游泳场所水质不符合国家卫生标准",
        "《公共场所卫生管理条例》第三条",
        "《公共场所卫生管理条例》第十四条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "1500",
        "executed",
        100,
    ),
    (
        5,
        "public-health",
        "供水单位未取得卫生许可证擅自供水",
        "《生活饮用水卫生监督管理办法》第七条",
        "《生活饮用水卫生监督管理办法》第二十六条",
        (PenaltyKind.FINE,),
        "5000",
        "executed",
        95,
    ),
    (
        6,
        "medical",
        "医疗废物未按规定分类收集",
        "《医疗废物管理条例》第十六条",
        "《医疗废物管理条例》第四十六条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "6000",
        "served_overdue",
        80,
    ),
    (
        7,
        "occupational",
        "未按规定组织劳动者进行职业健康检查",
        "《职业病防治法》第三十五条",
        "《职业病防治法》第七十一条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "50000",
        "served",
        60,
    ),
    (
        8,
        "infectious",
        "未按规定报告传染病疫情",
        "《传染病防治法》第三十条",
        "《传染病防治法》第六十九条",
        (PenaltyKind.WARNING,),
        "0",
        "decided",
        45,
    ),
    (
        9,
        "public-health",
        "从业人员未取得有效健康合格证明",
        "《公共场所卫生管理条例》第七条",
        "《公共场所卫生管理条例》第十四条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "1000",
        "decided",
        40,
    ),
    (
        6,
        "medical",
        "出租、出借《医疗机构执业许可证》",
        "《医疗机构管理条例》第二十三条",
        "《医疗机构管理条例》第四十六条",
        (PenaltyKind.FINE, PenaltyKind.REVOKE_LICENSE),
        "20000",
        "hearing_held",
        70,
    ),
    (
        10,
        "infectious",
        "托育机构未落实传染病预防控制措施",
        "《传染病防治法》第二十一条",
        "《传染病防治法》第六十九条",
        (PenaltyKind.FINE,),
        "150000",
        "hearing_scheduled",
        30,
    ),
    (
        11,
        "public-health",
        "公共场所卫生设施不符合卫生标准",
        "《公共场所卫生管理条例》第六条",
        "《公共场所卫生管理条例》第十四条",
        (PenaltyKind.FINE,),
        "120000",
        "hearing_requested",
        25,
    ),
    (
        12,
        "medical",
        "个体诊所使用未取得执业资格的人员",
        "《医师法》第十三条",
        "《医师法》第五十九条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "30000",
        "notified",
        20,
    ),
    (
        3,
        "public-health",
        "未按规定对顾客用品用具进行清洗消毒",
        "《公共场所卫生管理条例实施细则》第十四条",
        "《公共场所卫生管理条例实施细则》第三十六条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "1800",
        "notified",
        18,
    ),
    (
        8,
        "infectious",
        "未按规定对医疗器械进行消毒",
        "《传染病防治法》第五十一条",
        "《传染病防治法》第六十九条",
        (PenaltyKind.WARNING, PenaltyKind.FINE),
        "4000",
        "investigated",
        35,
    ),
    (
        1,
        "medical",
        "未按规定书写、保管病历资料",
        "《医疗机构管理条例》第三十一条",
        "《医疗纠纷预防和处理条例》第四十七条",
        (PenaltyKind.WARNING,),
        "0",
        "investigated",
        30,
    ),
    (
        7,
        "occupational",
        "工作场所职业病危害因素检测结果未公布",
        "《职业病防治法》第二十六条",
        "《职业病防治法》第七十二条",
        (PenaltyKind.FINE,),
        "60000",
        "investigating",
        85,
    ),
    (
        5,
        "public-health",
        "二次供水设施未定期清洗消毒",
        "《生活饮用水卫生监督管理办法》第八条",
        "《生活饮用水卫生监督管理办法》第二十六条",
        (PenaltyKind.FINE,),
        "2000",
        "investigating",
        20,
    ),
    (
        2,
        "medical",
        "医疗美容广告内容与登记不符",
        "《医疗机构管理条例》第二十六条",
        "《医疗机构管理条例》第四十六条",
        (PenaltyKind.FINE,),
        "5000",
        "investigating",
        10,
    ),
    (
        0,
        "medical",
        "未按规定公示诊疗科目和收费标准",
        "《医疗机构管理条例》第二十五条",
        "《医疗机构管理条例》第四十七条",
        (PenaltyKind.WARNING,),
        "0",
        "investigating",
        5,
    ),
    (
        13,
        "medical",
        "未取得医师执业证书非法行医",
        "《基本医疗卫生与健康促进法》第一百零七条",
        "《基本医疗卫生与健康促进法》第九十九条",
        (),
        "0",
        "transfer_closed",
        90,
    ),
    (
        14,
        "public-health",
        "举报某美容店卫生条件差，经查未发现违法事实",
        "",
        "",
        (),
        "0",
        "no_penalty_closed",
        75,
    ),
    (15, "medical", "举报某药店坐堂行医，经查不属于本机关管辖", "", "", (), "0", "revoked", 50),
    (9, "public-health", "举报理发店毛巾未消毒", "", "", (), "0", "not_filed", 12),
    (11, "public-health", "群众反映足浴店卫生状况", "", "", (), "0", "filing_requested", 3),
    (4, "public-health", "游泳池水质投诉", "", "", (), "0", "intake", 2),
    (12, "medical", "个体诊所超范围执业线索", "", "", (), "0", "intake", 1),
    (10, "infectious", "托育中心晨检记录缺失线索", "", "", (), "0", "intake", 0),
]


def _people(usernames):
    return [Person.objects.get(username=u) for u in usernames]


def _certs(officers):
    return [Certificate.objects.filter(person=p).first() for p in officers]


def load() -> int:
    agency = Agency.objects.get(code="mingshan-wjj")
    if Case.objects.filter(agency=agency).exists():
        return 0
    if not HearingPolicy.objects.filter(agency=agency).exists():
        actions.set_hearing_policy(
            None,
            agency,
            fine_person=Decimal("10000"),
            fine_organisation=Decimal("100000"),
            confiscation=Decimal("50000"),
            basis="参照本省卫生健康行政处罚听证“较大数额”标准（演示数据）",
        )
    head = Person.objects.get(username="juzhang")
    unit_heads = {f: Person.objects.get(username=names[0]) for f, (_s, names) in SECTIONS.items()}
    parties = []
    for kind, name, code, rep, address in PARTIES:
        party = Party.objects.filter(agency=agency, name=name).first()
        if party is None:
            if kind == PartyKind.NATURAL:
                id_type, number = IdType.RESIDENT_ID, _resident_id(code)
            else:
                id_type, number = IdType.CREDIT_CODE, _credit_code(code)
            party = actions.register_party(
                unit_heads["medical"],
                agency,
                kind=kind,
                name=name,
                id_type=id_type,
                id_number=number,
                address=address,
                legal_representative=rep if kind != PartyKind.NATURAL else "",
            )
        parties.append(party)
    today = timezone.localdate()
    for index, story in enumerate(STORIES):
        _walk(agency, head, parties, today, index, *story)
    _simple_cases(agency, parties, today)
    _measures(agency, parties, head)
    _requisition(agency, parties, head)
    _confirmation(agency, parties)
    _inspection(agency, parties)
    return Case.objects.filter(agency=agency).count()


def _inspection(agency, parties):
    """行政检查 outside a plan: a 专项检查 of a swimming pool recorded with a water sample, ordered to correct with the
    卫生监督意见书; the 复查 waits on the inspectors."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return
    officers = _people(SECTIONS["public-health"][1][2:4])
    party = parties[4]
    case = actions.open_inspection(
        officers[0],
        party=party,
        cause="游泳场所卫生专项检查",
        source=Source.INSPECTION,
        field=EnforcementField.objects.get(code="public-health"),
        unit=Unit.objects.get(agency=agency, name=SECTIONS["public-health"][0]),
        officers=officers,
        summary="卫生许可证、从业人员健康合格证明、池水水质、浸脚池余氯。",
        basis="《公共场所卫生管理条例》第十二条",
        place=party.address,
    )
    for kind, content, samples in (
        ("onsite", "卫生许可证在有效期内；浸脚池余氯浓度不足，现场检测为 2 mg/L。", ""),
        ("sampling", "在深水区和浅水区各采集池水一份，现场封样。", "池水｜500ml｜2份｜｜｜"),
    ):
        actions.record_inspection(
            officers[0],
            case,
            kind=kind,
            started_at=timezone.now(),
            place=party.address,
            content=content,
            samples=samples,
            officers=officers,
            certificates_shown=_certs(officers),
            av_skip_reason="日常专项检查，现场无争议",
        )
    today = timezone.localdate()
    for kind, narrative in (
        ("onsite_record", {}),
        ("sampling_record", {"sample_kind": "非产品样品"}),
        ("supervision_opinion", {"opinion": "浸脚池余氯浓度不符合要求，应立即整改，保持余氯 5～10 mg/L。"}),
    ):
        _step_document(case, kind, officers, today, narrative)
    actions.order_correction(officers[0], case)


def _confirmation(agency, parties):
    """行政确认: an application examined, its 行政确认决定书 finalised; the decision waits on the head."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return
    officers = _people(SECTIONS["public-health"][1][:2])
    applicant = next(p for p in parties if p.is_natural_person)
    case = actions.open_confirmation(
        officers[0],
        party=applicant,
        cause="农村部分计划生育家庭奖励扶助对象资格确认",
        source=Source.OTHER,
        field=EnforcementField.objects.get(code="public-health"),
        unit=Unit.objects.get(agency=agency, name=SECTIONS["public-health"][0]),
        officers=officers,
        summary="申请人年满60周岁，农业户口，一生只生育一个子女，申请确认奖励扶助对象资格。",
        basis="《全国农村部分计划生育家庭奖励扶助制度管理规范》",
    )
    actions.examine_confirmation(
        officers[0], case, opinion="户籍、婚育情况材料齐全，经村（居）委会公示无异议，符合条件。"
    )
    _step_document(case, "confirmation_decision", officers, timezone.localdate(), {"result": "确认"})


def _requisition(agency, parties, head):
    """行政征用: a hotel requisitioned as an isolation site, decided, returned; its compensation waits on the head."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return
    officers = _people(SECTIONS["infectious"][1][:2])
    party = parties[3]
    case = actions.open_requisition(
        officers[0],
        party=party,
        cause="传染病疫情防控临时集中隔离场所",
        source=Source.ASSIGNED,
        source_detail="区疫情防控指挥部交办",
        field=EnforcementField.objects.get(code="infectious"),
        unit=Unit.objects.get(agency=agency, name=SECTIONS["infectious"][0]),
        officers=officers,
        summary="本区发生聚集性疫情，密切接触者较多，需临时征用该宾馆作为集中隔离医学观察场所。",
        basis="《中华人民共和国传染病防治法》关于临时征用房屋、交通工具以及相关设施、设备的规定",
        requisitioned="宾馆客房｜标准间｜60间｜｜｜\n宾馆餐厅及厨房设备｜｜1套｜｜｜",
        place=party.address,
    )
    today = timezone.localdate()
    _step_document(case, "requisition_decision", officers, today, {"period": "自决定之日起至隔离任务结束"})
    actions.decide_requisition(head, case, opinion="同意临时征用，隔离任务结束后及时返还并依法补偿。")
    _step_document(case, "requisition_return", officers, today, {"condition": "客房及设备完好，已终末消毒。"})
    actions.return_requisition(officers[0], case, note="隔离任务结束，场所已终末消毒并返还，宾馆负责人签收。")


def _measures(agency, parties, head):
    """行政强制措施: a 扣押 of medical waste, approved, carried out with its video, its documents handed over and
    released; a 查封 reported and waiting on the head's approval."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return
    import hashlib
    import shutil
    import tempfile
    from pathlib import Path

    from zhifa.records import evidence, ingest

    field = EnforcementField.objects.get(code="medical")
    unit = Unit.objects.get(agency=agency, name=SECTIONS["medical"][0])
    officers = _people(SECTIONS["medical"][1][:2])
    party = parties[1]
    common = dict(field=field, unit=unit, officers=officers, place=party.address)
    released = actions.open_measure(
        officers[0],
        party=party,
        cause="涉嫌未按规定收集、暂存医疗废物",
        summary="日常监督检查发现该诊所将使用后的一次性注射器与生活垃圾混放，暂存点无防渗漏措施。",
        basis="《医疗废物管理条例》第三十九条第（四）项",
        **common,
    )
    actions.approve_measure(head, released, opinion="同意对混放的医疗废物及相关物品实施扣押。")
    source = Path(__file__).with_name("data") / "seizure.mp4"
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "seizure.mp4"
        shutil.copyfile(source, copy)
        data = copy.read_bytes()
        evidence.add_evidence(
            officers[0],
            released,
            received=ingest.Received(
                copy, hashlib.sha256(data).hexdigest(), len(data), "扣押现场执法记录仪.mp4"
            ),
            kind="audiovisual",
            description="实施扣押全过程执法记录仪视频",
            act_code="seizure",
            device_id="DSJ-MS-0101",
        )
    actions.carry_out_measure(
        officers[0],
        released,
        started_at=timezone.now(),
        place=party.address,
        officers=officers,
        certificates_shown=_certs(officers),
        measure="扣押",
        observations="执法人员二人到场，出示执法证件，通知当事人负责人吴仁和到场，当场告知扣押的理由、依据及其依法享有的"
        "陈述、申辩和申请行政复议、提起行政诉讼的权利，听取其陈述申辩，清点物品并加贴封条。",
        items="一次性注射器（已使用）｜5ml｜1箱｜｜｜\n医疗废物暂存桶｜60L｜2个｜｜｜",
        keep_place="明山区卫生健康局证物保管室",
    )
    for kind in ("onsite_record", "seizure_decision", "seizure_release"):
        _step_document(released, kind, officers, timezone.localdate())
    actions.release_measure(
        officers[0], released, note="经检验核实后，扣押物品已当场清点退还当事人，当事人签收。"
    )
    actions.open_measure(
        officers[1],
        party=parties[0],
        cause="涉嫌医疗废物暂存设施不符合要求",
        summary="监督检查发现医疗废物暂存间无防渗漏、防鼠措施且与生活垃圾相邻，需查封该暂存间防止危害扩大。",
        basis="《医疗废物管理条例》第三十九条第（四）项",
        **common,
    )


def _resident_id(seed: str) -> str:
    from .rules import resident_id_check_char

    return seed[:17] + resident_id_check_char(seed[:17])


def _credit_code(seed: str) -> str:
    from zhifa.org.rules import credit_code_check_char

    first17 = (seed + "00000000")[:17]
    return first17 + credit_code_check_char(first17)


def _walk(
    agency, head, parties, today, index, party_i, field_code, cause, violated, basis, kinds, fine, story, ago
):
    section, usernames = SECTIONS[field_code]
    officers = _people(usernames[index % 2 * 2 : index % 2 * 2 + 2])
    lead = officers[0]
    field = EnforcementField.objects.get(code=field_code)
    unit = agency.units.get(name=section)
    start = today - dt.timedelta(days=ago)
    day = lambda n: min(start + dt.timedelta(days=n), today)  # noqa: E731
    at = lambda n, hour=10: timezone.make_aware(dt.datetime.combine(day(n), dt.time(hour)))  # noqa: E731
    source = Source.COMPLAINT if "举报" in cause or "投诉" in cause or "反映" in cause else Source.INSPECTION
    case = actions.accept_case(
        lead,
        party=parties[party_i],
        cause=cause,
        source=source,
        field=field,
        unit=unit,
        officers=officers,
        summary=f"{day(0):%Y年%m月%d日}，执法人员对{parties[party_i].name}进行检查，发现涉嫌{cause}。",
        violation_date=start - dt.timedelta(days=3),
        place=parties[party_i].address,
        accepted_on=day(0),
        life_health_harm=field_code in ("medical", "infectious"),
    )
    if story == "intake":
        return
    actions.request_filing(lead, case)
    if story == "filing_requested":
        return
    if story == "not_filed":
        actions.refuse_filing(head, case, reason="经核查，未发现违法事实，不予立案。")
        return
    actions.approve_filing(head, case, opinion="同意立案调查。", filed_on=day(1))
    # 现场检查 and 询问 are 根据情况 acts of the demo's 音像记录事项清单: where nothing was in dispute the record says why
    # it was not filmed; one case in five leaves it unsaid (the case page and the figures flag those)
    skip = {} if index % 5 == 4 else {"av_skip_reason": "当事人配合，现场无争议，未进行音像记录。"}
    actions.add_record(
        lead,
        case,
        kind=RecordKind.ONSITE,
        data={"content": f"现场检查发现：{cause}。当事人在场，执法人员出示执法证件。", **skip},
        started_at=at(2),
        place=parties[party_i].address,
        officers=officers,
        certificates_shown=_certs(officers),
    )
    actions.add_record(
        lead,
        case,
        kind=RecordKind.INQUIRY,
        data={"content": "问：你单位是否知道相关规定？答：知道，但没有落实。", **skip},
        started_at=at(3),
        place="明山区卫生监督所询问室",
        officers=officers,
        certificates_shown=_certs(officers),
    )
    if story == "revoked":
        actions.revoke_filing(
            head, case, reason="经调查，该行为不属于本机关管辖，已告知举报人向市场监督管理部门反映。"
        )
        return
    if story == "investigating":
        return
    if story == "no_penalty_closed":
        outcome = Outcome.NO_PENALTY_UNPROVEN
    elif story == "transfer_closed":
        outcome = Outcome.TRANSFER
    else:
        outcome = Outcome.PENALTY
    draft = {
        "outcome": outcome,
        "facts": f"经查，当事人{cause}，事实清楚。",
        "evidence_summary": "现场笔录、询问笔录、现场照片、相关书证。",
    }
    if outcome == Outcome.PENALTY:
        draft.update(
            penalty_kinds=list(kinds),
            fine_amount=Decimal(fine),
            violated_provisions=violated,
            penalty_provisions=basis,
            discretion="当事人系初次违法，积极配合调查，按裁量基准“一般”情节处理。",
        )
    elif outcome == Outcome.TRANSFER:
        draft["transfer_to"] = "明山区公安分局"
    actions.add_record(
        lead,
        case,
        kind=RecordKind.DELIBERATION,
        data={"content": "合议认为事实清楚，证据确凿。"},
        started_at=at(5),
        place="明山区卫生监督所会议室",
    )
    actions.update_draft(lead, case, **draft)
    actions.close_investigation(lead, case, closed_on=day(6))
    if story == "investigated":
        return
    if outcome != Outcome.PENALTY:
        _review(case, lead)
        actions.decide(head, case, decided_on=day(8))
        _decision_document(case, lead, head)
        if outcome == Outcome.TRANSFER:
            _step_document(
                case, "closing_report", officers, day(10), {"result": "已将案件移送明山区公安分局。"}
            )
            actions.close_case(head, case, closed_on=day(10))
        else:
            _step_document(case, "service_receipt", officers, day(9))
            actions.serve_decision(
                lead, case, method=ServiceMethod.DIRECT, delivered_on=day(9), recipient=parties[party_i].name
            )
            _step_document(
                case, "closing_report", officers, day(10), {"result": "不予行政处罚决定书已送达。"}
            )
            actions.close_case(head, case, closed_on=day(10))
        return
    from zhifa.records.contexts import hearing_reasons_for_draft

    case.refresh_from_db()
    _step_document(
        case, "hearing_rights" if hearing_reasons_for_draft(case) else "prior_notice", officers, day(7)
    )
    actions.issue_notice(lead, case, served_on=day(7))
    if story == "notified":
        return
    case.refresh_from_db()
    if story.startswith("hearing"):
        actions.request_hearing(lead, case, requested_on=day(9))
        if story == "hearing_requested":
            return
        chair = Person.objects.get(username="zhifa17")
        hearing_day = today + dt.timedelta(days=10) if story == "hearing_scheduled" else day(35)
        actions.schedule_hearing(
            lead,
            case,
            hearing_on=hearing_day,
            place="明山区卫生健康局听证室",
            chair=chair,
            notified_on=day(11),
        )
        _step_document(case, "hearing_notice", officers, day(11))
        if story == "hearing_scheduled":
            return
        actions.record_hearing(
            chair, case, record="当事人对违法事实无异议，请求从轻处罚。", opinion="建议维持拟处罚意见。"
        )
        return
    actions.record_statement(
        lead,
        case,
        content="当事人表示认识到错误，已整改。",
        recheck="经复核，陈述申辩不影响处罚意见。",
        stated_at=at(8),
    )
    _review(case, lead)
    actions.decide(head, case, decided_on=day(9))
    _decision_document(case, lead, head)
    if story == "decided":
        return
    _step_document(case, "service_receipt", officers, day(10))
    actions.serve_decision(
        lead, case, method=ServiceMethod.DIRECT, delivered_on=day(10), recipient=parties[party_i].name
    )
    if story in ("served", "served_overdue"):
        return
    if Decimal(fine):
        actions.record_payment(
            lead,
            case,
            kind=PaymentKind.FINE,
            amount=Decimal(fine),
            paid_on=day(14),
            receipt_number=f"MS{day(14):%Y%m%d}{index:03d}",
        )
    else:
        actions.record_execution(lead, case, executed_on=day(11), note="警告已执行。")
    if story == "executed":
        return
    _step_document(case, "closing_report", officers, day(20), {"result": "处罚决定已执行完毕，予以结案。"})
    actions.close_case(head, case, closed_on=day(20))
    if story == "archived":
        from zhifa.records.demo import complete_file

        complete_file(case, officers)  # the 立案报告, 笔录, 调查终结报告 … the general procedure's file holds
        actions.archive_case(head, case)


def _review(case, submitter):
    """Draft the decision document (代拟稿) and pass the case through legal review where it is required (法制审核,
    art. 58; every general-procedure penalty)."""
    from zhifa.review import demo as review_demo
    from zhifa.review import queries as review_queries

    case.refresh_from_db()
    _decision_draft(case, submitter)
    if review_queries.review_reasons(case):
        review_demo.pass_review(case, submitter)


def _decision_draft(case, lead):
    """The decision document's draft, made before review so the reviewer reviews its text (the decision binds it)."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return None
    from zhifa.records import actions as records
    from zhifa.records import decision_draft

    kind = decision_draft.kind_for(case)
    if kind is None or decision_draft.current_draft(case) is not None:
        return decision_draft.current_draft(case) if kind else None
    dated = case.investigation_closed_on or timezone.localdate()
    return records.generate_document(lead, case, kind=kind, dated=dated)


DECISION_DOCUMENTS = {
    Outcome.PENALTY: "penalty_decision",
    Outcome.NO_PENALTY_MINOR: "no_penalty_decision",
    Outcome.NO_PENALTY_UNPROVEN: "no_penalty_decision",
    Outcome.TRANSFER: "transfer_letter",
}


def _step_document(case, kind, officers, dated, narrative=None):
    """A document a step needs (the notice, the hearing notice, the service receipt, the closing report), made on
    ``dated``, signed and finalised as the documents pages do."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return None
    from zhifa.records import actions as records
    from zhifa.records.demo import finish

    case.refresh_from_db()
    document = records.generate_document(officers[0], case, kind=kind, narrative=narrative or {}, dated=dated)
    return finish(document, officers, case.party.legal_representative or case.party.name)


def _decision_document(case, lead, head):
    """The numbered, signed and sealed decision document (行政处罚决定书, 不予行政处罚决定书 or 案件移送书)."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return
    from zhifa.records import actions as records
    from zhifa.records import decision_draft

    case.refresh_from_db()
    document = decision_draft.current_draft(case)  # the reviewed draft the decision bound
    if document is None:
        document = records.generate_document(
            lead, case, kind=DECISION_DOCUMENTS[case.outcome], dated=case.decided_on
        )
    for person in dict.fromkeys([lead, head]):
        records.sign_document(person, document)
    records.finalise_document(lead, document)


def _signature():
    """The party's touch-screen signature of the demo (None without the records app)."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return None
    from zhifa.records.demo import signature_png

    return signature_png()


def _simple_cases(agency, parties, today):
    field = EnforcementField.objects.get(code="public-health")
    officers = _people(["zhifa06", "zhifa07"])
    unit = agency.units.get(name="公共卫生监督科")
    closed = actions.decide_on_the_spot(
        officers[0],
        party=parties[14],
        cause="公共场所从业人员未取得健康合格证明上岗",
        field=field,
        unit=unit,
        officers=officers,
        certificates_shown=_certs(officers),
        penalty_kinds=[PenaltyKind.FINE],
        fine_amount=Decimal("200"),
        facts="从业人员王芳未取得健康合格证明从事直接为顾客服务工作。",
        violated_provisions="《公共场所卫生管理条例》第七条",
        penalty_provisions="《公共场所卫生管理条例》第十四条",
        place="明山区步行街15号",
        party_signed=True,
        told_facts="从业人员王芳未取得健康合格证明从事直接为顾客服务工作。",
        told_reasons="违反公共场所从业人员健康管理的规定。",
        told_basis="《公共场所卫生管理条例》第七条、第十四条",
        rights_told=True,
        statement="店主称王芳刚入职，正在办理健康证。",
        statement_recheck="已复核：从业人员上岗前应当取得健康合格证明，陈述不影响违法事实的认定，维持处罚。",
        party_signature=_signature(),
    )
    actions.record_payment(
        officers[0],
        closed,
        kind=PaymentKind.FINE,
        amount=Decimal("200"),
        paid_on=today,
        receipt_number="DC20260001",
    )
    actions.file_simple_decision(Person.objects.get(username="zhifa06"), closed)
    actions.close_case(Person.objects.get(username="zhifa06"), closed, report="当场处罚决定已备案。")
    actions.decide_on_the_spot(
        officers[0],
        party=parties[9],
        cause="公共场所未在显著位置公示卫生许可证",
        field=field,
        unit=unit,
        officers=officers,
        certificates_shown=_certs(officers),
        penalty_kinds=[PenaltyKind.WARNING, PenaltyKind.FINE],
        fine_amount=Decimal("1000"),
        facts="该店未在显著位置公示卫生许可证。",
        violated_provisions="《公共场所卫生管理条例实施细则》第三十七条",
        penalty_provisions="《公共场所卫生管理条例实施细则》第三十七条",
        place="明山区步行街15号",
        party_signed=False,
        refusal_witness="社区网格员刘洋",
        told_facts="该店未在显著位置公示卫生许可证。",
        told_reasons="违反公共场所卫生许可证公示的规定。",
        told_basis="《公共场所卫生管理条例实施细则》第三十七条",
        rights_told=True,
        statement_waived=True,
    )

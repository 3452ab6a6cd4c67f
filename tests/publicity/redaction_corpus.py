"""A labelled corpus of penalty decisions for the redaction detectors (tests/publicity/test_redaction.py,
bench/redaction.py): generated from templates with varied people, addresses, numbers and layouts, each with the
strings that must be removed and those that must stay. Deterministic for a seed.

What the corpus holds, per decision: the party (a natural person or an organisation with its 统一社会信用代码 and legal
representative), the person's identity number, address and telephone, employees, patients, witnesses, complainants and
an agent (some known to the case, some named only in the text), bank cards and accounts, e-mail, a licence plate, a
passport; and what must stay: the agency, its address and telephone, the officers, laws and articles, amounts, dates,
the document number, the organisation, its code, its legal representative and its registered address.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from zhifa.org.rules import credit_code_check_char
from zhifa.publicity.redaction import NAME, Context
from zhifa.publicity.redaction.patterns import id_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤"
COMPOUND = ["欧阳", "司马", "上官", "诸葛"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国海燕晓东小红志强春梅文博子涵雨欣浩然思远嘉怡梓萱宇轩"
DISTRICTS = [
    ("四川省成都市", "武侯区"),
    ("四川省成都市", "锦江区"),
    ("成都市", "青羊区"),
    ("北京市", "朝阳区"),
    ("上海市", "浦东新区"),
    ("广东省广州市", "天河区"),
    ("浙江省杭州市", "西湖区"),
]
ROADS = [
    "玉林南路",
    "人民中路",
    "科华北路",
    "建设大道",
    "长寿巷",
    "光明街",
    "红星路",
    "滨江东路",
    "和平里",
    "金沙村",
]
ORG_KINDS = ["诊所", "口腔诊所", "美容美发店", "足浴店", "游泳馆", "宾馆", "医疗美容门诊部", "中医馆"]
ORG_WORDS = ["康宁", "华美", "安心", "仁和", "惠民", "同济", "金桥", "长乐", "瑞丰", "博爱"]
LAWS = [
    ("《医疗机构管理条例》", "第十四条第一款", "《医疗机构管理条例实施细则》", "第七十七条第一款"),
    ("《公共场所卫生管理条例》", "第八条", "《公共场所卫生管理条例实施细则》", "第三十六条"),
    ("《中华人民共和国执业医师法》", "第十四条", "《中华人民共和国医师法》", "第五十九条"),
    ("《传染病防治法》", "第二十一条", "《传染病防治法》", "第六十九条第一项"),
]
PROVINCES = "川京沪粤浙苏鲁渝"


@dataclass
class Decision:
    text: str
    context: Context
    must_remove: list[str] = field(default_factory=list)
    must_keep: list[str] = field(default_factory=list)
    unknown_names: list[str] = field(
        default_factory=list
    )  # names the case does not record (only the text has them)


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        surname = rng.choice(COMPOUND) if rng.random() < 0.05 else rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        name = surname + given
        if name not in taken and not any(name in t or t in name for t in taken):
            taken.add(name)
            return name


def _resident_id(rng: random.Random) -> str:
    first17 = (
        f"{rng.choice(['110101', '510107', '310115', '440106', '330106'])}"
        f"{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    )
    check = id_check_char(first17)
    return first17 + (check.lower() if check == "X" and rng.random() < 0.5 else check)


def _card(rng: random.Random) -> str:
    digits = [int(c) for c in rng.choice(["622202", "621700", "622848", "623668"])]
    digits += [rng.randint(0, 9) for _ in range(12 - 0)]
    total = 0
    for i, n in enumerate(reversed(digits)):  # the Luhn digit for digits + [check]
        if i % 2 == 0:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def _mobile(rng: random.Random) -> str:
    n = f"1{rng.choice('3456789')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"
    layout = rng.random()
    if layout < 0.15:
        return f"{n[:3]} {n[3:7]} {n[7:]}"
    if layout < 0.25:
        return f"{n[:3]}-{n[3:7]}-{n[7:]}"
    return n


def _landline(rng: random.Random) -> str:
    return f"0{rng.choice(['28', '10', '21', '20', '571'])}-{rng.randint(2, 8)}{rng.randint(0, 9999999):07d}"


def _address(rng: random.Random) -> tuple[str, str]:
    """(the whole address, the detailed part that must go)."""
    province_city, district = rng.choice(DISTRICTS)
    road = rng.choice(ROADS)
    if road.endswith("村"):
        detail = f"{road}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
    else:
        detail = f"{road}{rng.randint(1, 300)}号"
        if rng.random() < 0.7:
            detail += (
                f"{rng.randint(1, 20)}栋{rng.randint(1, 4)}单元{rng.randint(1, 30)}{rng.randint(1, 8):02d}室"
            )
    return province_city + district + detail, detail


def _credit_code(rng: random.Random) -> str:
    body = (
        "9151"
        + "".join(rng.choice("0123456789") for _ in range(4))
        + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    )
    return body + credit_code_check_char(body)


def decision(rng: random.Random, n: int) -> Decision:
    taken: set[str] = set()
    remove: list[str] = []
    keep: list[str] = []
    known: dict[str, str] = {}
    unknown: list[str] = []
    agency = "成都市武侯区卫生健康局"
    agency_address = "成都市武侯区武侯祠大街100号"
    agency_phone = "028-85550000"
    officers = [_name(rng, taken), _name(rng, taken)]
    number = (
        f"武卫{rng.choice(['医', '公', '传', '职'])}罚〔{rng.randint(2024, 2026)}〕{rng.randint(1, 999)}号"
    )
    law, article, basis, basis_article = rng.choice(LAWS)
    fine = f"{rng.choice([500, 1000, 3000, 5000, 8000, 10000, 20000, 30000])}元"
    date = f"{rng.randint(2024, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    colon = rng.choice(["：", ":"])
    sep = rng.choice(["\n", "\n\n"])
    lines = [f"{agency}", "行政处罚决定书", number]

    person = rng.random() < 0.5
    if person:
        party = _name(rng, taken)
        pid = _resident_id(rng)
        address, detail = _address(rng)
        phone = _mobile(rng)
        lines.append(
            f"当事人{colon}{party}，性别{colon}{rng.choice('男女')}，公民身份号码{colon}{pid}，"
            f"住址{colon}{address}，联系电话{colon}{phone}。"
        )
        remove += [party, pid, detail, phone]
        known |= {party: NAME, pid: "id_number", detail: "address", phone: "phone"}
        context = Context(party_name=party, party_kind="person")
        who = "当事人"
    else:
        party = f"{rng.choice(['成都', '武侯区'])}{rng.choice(ORG_WORDS)}{rng.choice(ORG_KINDS)}"
        code = _credit_code(rng)
        legal = _name(rng, taken)
        reg_address, _ = _address(rng)
        lines.append(
            f"当事人{colon}{party}，统一社会信用代码{colon}{code}，法定代表人（负责人）{colon}{legal}，"
            f"地址{colon}{reg_address}。"
        )
        legal_id = _resident_id(rng)
        legal_phone = _mobile(rng)
        lines.append(f"法定代表人身份证号码{colon}{legal_id}，联系电话{colon}{legal_phone}。")
        keep += [party, code, legal, reg_address]
        remove += [legal_id, legal_phone]
        known |= {legal_id: "id_number", legal_phone: "phone"}
        context = Context(party_name=party, party_kind="org", keep={legal, reg_address})
        who = "当事人"

    facts = [f"经查，{date}，{who}"]
    employee = _name(rng, taken)
    patient = _name(rng, taken)
    facts.append(
        rng.choice(
            [
                f"在其经营场所内安排未取得执业资格的员工{employee}为患者{patient}提供诊疗服务",
                f"使用员工{employee}从事诊疗活动，就诊人{patient}当日接受了治疗",
                f"未按规定对从业人员{employee}进行健康检查，顾客{patient}投诉后经检查属实",
            ]
        )
    )
    remove += [employee, patient]
    if rng.random() < 0.6:
        known |= {employee: NAME, patient: NAME}
    else:
        unknown += [employee, patient]
    witnesses = [_name(rng, taken) for _ in range(rng.choice((1, 2)))]
    facts.append(f"。证人{'、'.join(witnesses)}{rng.choice(['称', '证实', '陈述'])}上述情况属实")
    remove += witnesses
    if rng.random() < 0.5:
        known |= dict.fromkeys(witnesses, NAME)
    else:
        unknown += witnesses
    if rng.random() < 0.6:
        complainant = _name(rng, taken)
        c_phone = _landline(rng) if rng.random() < 0.4 else _mobile(rng)
        facts.append(f"。本案系投诉人{complainant}（联系电话{c_phone}）举报")
        remove += [complainant, c_phone]
        known |= {complainant: NAME}
    if rng.random() < 0.4:
        card = _card(rng)
        facts.append(f"。当事人通过银行卡{card}收取诊疗费用")
        remove.append(card)
    if rng.random() < 0.3:
        account = f"{rng.randint(10**13, 10**14 - 1)}"
        facts.append(f"，收款账号{colon}{account}")
        remove.append(account)
    if rng.random() < 0.3:
        email = f"{rng.choice(['wang', 'li', 'zhang', 'clinic'])}{rng.randint(1, 999)}@{rng.choice(['qq.com', '163.com', 'example.cn'])}"
        facts.append(f"，并以电子邮箱{email}发送宣传材料")
        remove.append(email)
    if rng.random() < 0.3:
        plate = f"{rng.choice(PROVINCES)}{rng.choice('ABCDEFG')}{rng.randint(10000, 99999)}"
        facts.append(f"，使用车牌号为{plate}的车辆运送患者")
        remove.append(plate)
    if rng.random() < 0.2:
        passport = f"E{rng.randint(10**7, 10**8 - 1)}"
        facts.append(f"。外籍从业人员护照号码{colon}{passport}")
        remove.append(passport)
    if rng.random() < 0.3:
        agent = _name(rng, taken)
        facts.append(f"。当事人委托代理人{agent}到场接受询问")
        remove.append(agent)
        known[agent] = NAME
    # Names the way officers also write them: as the subject, after a verb, in the possessive, with no word that
    # introduces a person (only the model finds these).
    if rng.random() < 0.5:
        other = _name(rng, taken)
        facts.append(
            rng.choice(
                [
                    f"。经询问，{other}承认其未取得《医师资格证书》",
                    f"。现场由{other}负责接诊",
                    f"。{other}于当日下午离开该场所",
                    f"。据{other}的陈述，该场所已营业三个月",
                ]
            )
        )
        remove.append(other)
        unknown.append(other)
    # Words after "员工""患者" that are not names (宿、满 are surnames too): they stay.
    trap = rng.choice(
        [
            "员工宿舍内堆放杂物",
            "患者满意度调查表缺失",
            "从业人员健康合格证明过期",
            "顾客须知未张贴",
            "消费者权益告知缺失",
            "就诊者登记簿记录不全",
        ]
    )
    facts.append(f"；另查明{trap}")
    keep.append(trap)
    facts.append("。")
    lines.append("".join(facts))
    lines.append(
        f"以上事实有现场笔录、询问笔录等证据证实。{who}的行为违反了{law}{article}的规定。依据{basis}{basis_article}"
        f"的规定，本机关决定给予{who}如下行政处罚：罚款人民币{fine}。"
    )
    lines.append(
        f"执法人员{officers[0]}、{officers[1]}。如不服本决定，可在收到本决定书之日起六十日内向成都市武侯区人民政府申请"
        f"行政复议，或者在六个月内向成都市武侯区人民法院提起行政诉讼。"
    )
    lines.append(f"{agency}（地址{colon}{agency_address}，电话{colon}{agency_phone}）")
    lines.append(date)
    keep += [agency, agency_address, agency_phone, number, law, basis, fine, date, *officers]
    keep += ["成都市武侯区人民政府", "成都市武侯区人民法院"]
    context.remove |= known
    context.keep |= {agency_address, agency_phone, *officers}
    return Decision(sep.join(lines), context, remove, keep, unknown)


def corpus(n: int = 80, seed: int = 2026) -> list[Decision]:
    rng = random.Random(seed)
    return [decision(rng, i) for i in range(n)]


def score(decisions, redact) -> dict:
    """Recall of must-remove (a value counts as removed when none of its occurrences is left) and precision of
    must-keep (a value counts as kept when all its occurrences are left)."""
    removed = total_remove = kept = total_keep = 0
    missed, lost = [], []
    for d in decisions:
        out = redact(d).text
        for value in d.must_remove:
            total_remove += 1
            if value in out:
                missed.append(value)
            else:
                removed += 1
        for value in d.must_keep:
            total_keep += 1
            if out.count(value) == d.text.count(value):
                kept += 1
            else:
                lost.append(value)
    return {
        "recall": removed / total_remove,
        "precision": kept / total_keep,
        "must_remove": total_remove,
        "must_keep": total_keep,
        "missed": missed,
        "lost": lost,
    }


# The demo's decisions (the issue: the corpus holds "the demo decisions" too): the platform's own documents as rendered,
# labelled from what each case records. Needs a database with the demo loaded (bench/redaction.py --demo,
# tests/core/test_platform.py).

_CITATION = re.compile(r"《[^《》]{2,40}》(?:第[一二三四五六七八九十百零]+条)?")


def demo_decisions() -> list[Decision]:
    """Every decided case of the loaded demo with its decision document (general procedure and 当场处罚): its text
    as published from, the context the platform builds for it, and the labels: the natural person's identity number,
    address, telephone and full name, and every other person the case records (witnesses, signers, recipients) must
    go; the agency, the document number, the officers, laws and articles, an organisation party's name, code and
    address must stay."""
    from zhifa.cases.models import Case
    from zhifa.publicity import publication
    from zhifa.publicity.redaction import case_context

    out = []
    for case in Case.objects.filter(decided_on__isnull=False).exclude(outcome="transfer").order_by("id"):
        document = publication.decision_document(case)
        text = publication.decision_text(case)
        if document is None or not text:
            continue
        context = case_context.context_for(case)
        remove = [value for value in context.remove if value and value in text]
        if case.party.is_natural_person and case.party.name in text:
            remove.append(case.party.name)
        keep = {value for value in context.keep if value and value in text}
        keep |= set(_CITATION.findall(text))
        if document.number:
            keep.add(document.number)
        out.append(
            Decision(text=text, context=context, must_remove=sorted(set(remove)), must_keep=sorted(keep))
        )
    return out

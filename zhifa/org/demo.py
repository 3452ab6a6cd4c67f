"""The fictional 明山区卫生健康局 of the plan: units, officers with certificates, reviewers, heads,
a supervisor from the district justice bureau and the three administrators. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import actions
from .choices import Role
from .models import Agency, Person

DEMO_PASSWORD = "Mingshan#2026"

AGENCY = {
    "code": "mingshan-wjj",
    "name": "明山区卫生健康局",
    "short_name": "明卫",
    "credit_code": "11440300MB2D01234U",
    "region": "明山区",
    "legal_basis": "《中华人民共和国基本医疗卫生与健康促进法》《医疗机构管理条例》《公共场所卫生管理条例》等法律法规及区政府“三定”规定。",
    "duties": "负责本区医疗卫生、公共卫生、传染病防治、职业卫生等领域的监督执法工作。",
    "powers": "依法实施行政处罚、行政强制、行政检查等行政执法行为。",
    "reconsideration_body": "明山区人民政府",
    "court": "明山区人民法院",
    "address": "明山区政府路1号",
    "phone": "0000-12345678",
}
JUSTICE = {
    "code": "mingshan-sfj",
    "name": "明山区司法局",
    "short_name": "明司",
    "credit_code": "11440300MB2D056780",
    "region": "明山区",
    "duties": "负责全区行政执法协调监督工作。",
}
UNITS = [
    ("办公室", False),
    ("政策法规科", True),
    ("医疗卫生监督科", False),
    ("公共卫生监督科", False),
    ("传染病防治监督科", False),
    ("职业卫生监督科", False),
]
FIELDS = [
    ("medical", "医疗卫生", "医"),
    ("public-health", "公共卫生", "公"),
    ("infectious", "传染病防治", "传"),
    ("occupational", "职业卫生与放射卫生", "职"),
    ("water", "生活饮用水卫生", "水"),
]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
]
SECTIONS = ["医疗卫生监督科", "公共卫生监督科", "传染病防治监督科", "职业卫生监督科"]
SECTION_FIELDS = {
    "医疗卫生监督科": ["medical"],
    "公共卫生监督科": ["public-health", "water"],
    "传染病防治监督科": ["infectious", "medical"],
    "职业卫生监督科": ["occupational"],
}


def _person(agency, username, full_name, unit, roles, **extra) -> Person:
    person = Person.objects.filter(username=username).first()
    if person is None:
        person = actions.add_person(
            None,
            agency,
            username=username,
            password=DEMO_PASSWORD,
            must_change_password=False,
            full_name=full_name,
            unit=unit,
            **extra,
        )
    for role, role_agency in roles:
        if not person.roles.filter(role=role, agency=role_agency).exists():
            actions.grant_role(None, person, role, role_agency)
    return person


def load(stdout=None) -> list[tuple[str, str, str]]:
    """Create the demo organisation; returns (username, name, role) rows to print."""
    today = timezone.localdate()
    for code, name, abbreviation in FIELDS:
        actions.add_field(None, code=code, name=name, abbreviation=abbreviation)
    justice = Agency.objects.filter(code=JUSTICE["code"]).first() or actions.create_agency(None, **JUSTICE)
    agency = Agency.objects.filter(code=AGENCY["code"]).first() or actions.create_agency(None, **AGENCY)
    units = {}
    for name, legal in UNITS:
        units[name] = agency.units.filter(name=name).first() or actions.add_unit(
            None, agency, name=name, is_legal_review_unit=legal
        )
    rows: list[tuple[str, str, str]] = []

    def add(username, full_name, unit, roles, **extra):
        person = _person(agency, username, full_name, unit, roles, **extra)
        rows.append((username, full_name, "、".join(str(Role(r).label) for r, _a in roles)))
        return person

    add("juzhang", "陈志远", units["办公室"], [(Role.AGENCY_HEAD, agency)], title="局长")
    add("fujuzhang", "林晓燕", units["办公室"], [(Role.AGENCY_HEAD, agency)], title="副局长（分管执法）")
    add("fujuzhang2", "郑国华", units["办公室"], [(Role.AGENCY_HEAD, agency)], title="副局长")
    add(
        "fagui1",
        "苏静怡",
        units["政策法规科"],
        [(Role.LEGAL_REVIEWER, agency)],
        title="政策法规科科长",
        legal_qualification=True,
        legal_qualification_date=dt.date(2015, 9, 1),
        legal_qualification_number="A20154400000123",
    )
    add("fagui2", "何文博", units["政策法规科"], [(Role.LEGAL_REVIEWER, agency)], title="法制审核员")
    n = 0
    for s_index, section in enumerate(SECTIONS):
        for k in range(5):
            n += 1
            username = f"zhifa{n:02d}"
            full_name = SURNAMES[n - 1] + GIVEN[(n * 7) % len(GIVEN)]
            roles = [(Role.OFFICER, agency)]
            if k == 0:
                roles.append((Role.UNIT_HEAD, agency))
            person = add(username, full_name, units[section], roles, title="科长" if k == 0 else "监督员")
            if not person.certificates.exists():
                # Most certificates run for years; a few end within weeks; officer 20 holds an expired one.
                if n == 20:
                    valid_from, valid_to = today - dt.timedelta(days=5 * 365), today - dt.timedelta(days=10)
                elif n in (4, 11):
                    valid_from, valid_to = (
                        today - dt.timedelta(days=4 * 365),
                        today + dt.timedelta(days=20 + n),
                    )
                else:
                    valid_from, valid_to = (
                        today - dt.timedelta(days=365 + n * 30),
                        today + dt.timedelta(days=900 + n),
                    )
                actions.issue_certificate(
                    None,
                    person,
                    number=f"44030020{s_index + 1:02d}{n:04d}",
                    field_codes=SECTION_FIELDS[section],
                    issuer="明山区人民政府",
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
    supervisor = Person.objects.filter(username="jiandu").first()
    if supervisor is None:
        supervisor = actions.add_person(
            None,
            justice,
            username="jiandu",
            password=DEMO_PASSWORD,
            must_change_password=False,
            full_name="韩立新",
            title="行政执法监督科科长",
        )
    for target in (justice, agency):
        if not supervisor.roles.filter(role=Role.SUPERVISOR, agency=target).exists():
            actions.grant_role(None, supervisor, Role.SUPERVISOR, target)
    rows.append(("jiandu", "韩立新", f"{Role.SUPERVISOR.label}（{JUSTICE['name']}）"))
    add("xitong", "邓子健", units["办公室"], [(Role.SYSTEM_ADMIN, agency)], title="系统管理员")
    add("anquan", "冯雅琴", units["办公室"], [(Role.SECURITY_ADMIN, agency)], title="安全管理员")
    add("shenji", "曹伟民", units["办公室"], [(Role.AUDIT_ADMIN, agency)], title="审计管理员")
    return rows

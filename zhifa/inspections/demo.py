"""The demo's 双随机一公开: the bureau's target pool (clinics and public places), its 抽查细则 left at the platform's
defaults, a plan of this quarter drawn in public, and next quarter's plan whose seed is committed and not yet drawn."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.catalog.models import RandomInspectionItem
from zhifa.org.models import Agency, EnforcementField, Person
from zhifa.org.rules import credit_code_check_char

from . import actions, rules
from .models import Plan

CLINICS = ("康宁", "仁心", "济民", "安泰", "惠民", "博爱", "同仁", "德信", "益康", "华夏", "长青", "明德")
KINDS = ("诊所", "口腔诊所", "中医诊所", "医疗美容诊所")
STREETS = ("健康路", "人民路", "解放路", "滨江路", "学府路", "新华街")
PLACES = ("宾馆", "游泳馆", "美容美发店", "沐浴场所")


def _code(n: int) -> str:
    first = f"92350100MA{n:07d}"
    return first + credit_code_check_char(first)


def load() -> None:
    if Plan.objects.exists():
        return
    agency = Agency.objects.filter(code="mingshan-wjj").first()
    admin = Person.objects.filter(username="xitong").first()
    head = Person.objects.filter(username="juzhang").first()
    item = RandomInspectionItem.objects.filter(agency=agency, code="RI-001").first()
    if None in (agency, admin, head, item) or item.field is None:
        return
    public = EnforcementField.objects.filter(code="public-health").first() or item.field
    n = 0
    for i, name in enumerate(CLINICS):
        for j, kind in enumerate(KINDS[: 2 + i % 3]):
            n += 1
            actions.save_target(
                admin,
                agency,
                name=f"明山区{name}{kind}",
                credit_code=_code(n),
                licence=f"PDY{n:05d}-350102-{10 + j}",
                legal_representative="",
                address=f"明山区{STREETS[n % len(STREETS)]}{n * 7 % 300 + 1}号",
                contact="",
                field=item.field,
            )
    for i, place in enumerate(PLACES * 3):
        n += 1
        actions.save_target(
            admin,
            agency,
            name=f"明山区{CLINICS[i % len(CLINICS)]}{place}",
            credit_code=_code(n),
            address=f"明山区{STREETS[i % len(STREETS)]}{i * 11 % 200 + 1}号",
            field=public,
        )
    today = timezone.localdate()
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    quarter_end = (
        dt.date(today.year + 1, 1, 1)
        if quarter_start.month == 10
        else dt.date(today.year, quarter_start.month + 3, 1)
    ) - dt.timedelta(days=1)
    number = (quarter_start.month - 1) // 3 + 1
    now = actions.create_plan(
        head,
        agency,
        title=f"{today.year}年第{number}季度医疗机构依法执业双随机抽查",
        field=item.field,
        items=[item],
        period_start=quarter_start,
        period_end=quarter_end,
        rate=20,
    )
    actions.draw_plan(head, now)
    # the first three inspected today: one in order, one ordered to correct, one in order
    for d, outcome in zip(now.drawn.order_by("position")[:3], ("passed", "correct", "passed"), strict=False):
        inspectors = list(d.inspectors.order_by("pk"))
        points = rules.checklist(now.items.order_by("seq", "code"))
        failing = outcome == "correct"
        actions.record_result(
            inspectors[0],
            d,
            inspected_on=today,
            place=d.target.address,
            officers=inspectors,
            verdicts={n: "fail" if failing and n == 0 else "pass" for n in range(len(points))},
            outcome=outcome,
            opinion="立即对照执业许可证核定的诊疗科目整改，十五日内报送整改情况。" if failing else "",
        )
    following = quarter_end + dt.timedelta(days=1)
    actions.create_plan(
        head,
        agency,
        title=f"{following.year}年第{(following.month - 1) // 3 + 1}季度医疗机构依法执业双随机抽查",
        field=item.field,
        items=[item],
        period_start=following,
        period_end=following + dt.timedelta(days=89),
        rate=20,
    )

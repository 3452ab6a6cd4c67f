"""A 扣押 in the browser on the demo, from the report to the release: the officer reports it, the head approves it
from the 工作台, the officer is refused without the video, uploads it, carries the measure out on the form, and
releases it with the 解除查封扣押决定书; every step is in the ledger."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from zhifa.cases.choices import State
from zhifa.cases.models import Case
from zhifa.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

OFFICERS = ("zhifa01", "zhifa02")
VIDEO = Path(__file__).resolve().parents[2] / "zhifa" / "cases" / "data" / "seizure.mp4"


def _make(case, kind):
    """Make, sign (the officers, the party on the screen) and finalise a document, as the document pages do
    (outside the test thread: Playwright's loop lives here)."""
    from zhifa.org.models import Person
    from zhifa.records import actions as records
    from zhifa.records.demo import finish

    def make():
        try:
            officers = [Person.objects.get(username=u) for u in OFFICERS]
            c = Case.objects.get(pk=case.pk)
            doc = records.generate_document(officers[0], c, kind=kind)
            return finish(doc, officers, c.party.legal_representative)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(make).result()


def _submit(page, button="提交"):
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def _carry_out(page):
    """Fill the 实施查封扣押 form as the officer on site does, and submit it."""
    from zhifa.org.models import Person

    page.get_by_label("实施时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("实施地点").fill("明山区商业大道88号")
    page.get_by_label("强制措施").select_option("扣押")
    for person in Person.objects.filter(username__in=OFFICERS):
        page.get_by_label(person.full_name, exact=True).check()
        page.get_by_label(f"{person.full_name} {person.certificates.first().number}").check()
    page.get_by_label("现场情况", exact=False).fill(
        "出示执法证件，通知当事人到场，告知理由、依据和权利，清点物品。"
    )
    page.get_by_label("查封扣押物品清单", exact=False).fill("注射用透明质酸钠｜1ml｜20支｜｜｜")
    _submit(page)


@pytest.mark.slow(seconds=40)
def test_a_seizure_from_report_to_release_with_its_video(page, live_server, demo):
    from zhifa.ledger.models import Entry
    from zhifa.org.models import Person

    base = live_server.url
    log_in(page, base, OFFICERS[0], DEMO_PASSWORD)
    page.goto(f"{base}/cases/")
    page.get_by_role("link", name="报请查封扣押").click()
    page.get_by_label("当事人").select_option(label="明山区美丽人生医疗美容门诊部")
    page.get_by_label("案由（涉嫌的违法行为）").fill("涉嫌使用无合格证明的医疗器械")
    page.get_by_label("来源", exact=True).select_option("inspection")
    page.get_by_label("执法领域").select_option(label="医疗卫生")
    page.get_by_label("承办机构").select_option(label="医疗卫生监督科")
    for person in Person.objects.filter(username__in=OFFICERS):
        page.get_by_label(person.full_name, exact=True).check()
    page.get_by_label("实施强制措施的理由（事实）").fill("检查发现治疗室存放无合格证明的注射用透明质酸钠。")
    page.get_by_label("法律、法规依据").fill("《医疗器械监督管理条例》第七十七条")
    _submit(page)
    expect(page.locator(".messages")).to_contain_text("已报请实施强制措施")
    case = Case.objects.get(cause="涉嫌使用无合格证明的医疗器械")
    assert case.state == State.MEASURE_REQUESTED
    # the officer is offered no approval, and cannot carry it out before the head approves
    expect(page.get_by_role("link", name="批准实施强制措施")).to_have_count(0)
    expect(page.get_by_role("link", name="实施查封扣押")).to_have_count(0)

    log_in(page, base, "juzhang", DEMO_PASSWORD)
    page.goto(f"{base}/")
    task = page.locator("main li", has_text=case.reference).filter(has_text="批准实施强制措施")
    task.first.get_by_role("link").first.click()
    page.get_by_role("link", name="批准实施强制措施", exact=True).click()
    page.get_by_label("审批意见").fill("同意扣押。")
    _submit(page)
    case.refresh_from_db()
    assert case.state == State.MEASURE_APPROVED

    log_in(page, base, OFFICERS[0], DEMO_PASSWORD)
    page.goto(f"{base}{case.get_absolute_url()}")
    page.get_by_role("link", name="实施查封扣押", exact=True).click()
    form = page.url
    _carry_out(page)
    expect(page.locator(".errors")).to_contain_text("全程音像记录")  # refused without the video
    case.refresh_from_db()
    assert case.state == State.MEASURE_APPROVED

    page.goto(f"{base}/records/cases/{case.pk}/evidence/new/")
    page.get_by_label("证据文件").set_input_files(str(VIDEO))
    page.get_by_label("证据种类").select_option("audiovisual")
    page.get_by_label("证据说明").fill("扣押全过程执法记录仪视频")
    page.get_by_label("音像记录事项").select_option("seizure")
    page.get_by_role("button", name="上传并登记").click()
    page.wait_for_url("**/records/evidence/*/", timeout=60_000)

    page.goto(form)
    _carry_out(page)
    expect(page.locator(".messages")).to_contain_text("已完成：实施查封扣押")
    case.refresh_from_db()
    assert case.state == State.MEASURE_IN_FORCE
    expect(page.locator("main")).to_contain_text((timezone.localdate() + dt.timedelta(days=30)).isoformat())

    # release is refused until its documents are finalised, and names them
    page.get_by_role("link", name="解除查封扣押", exact=True).click()
    release = page.url
    _submit(page)
    expect(page.locator(".errors")).to_contain_text("现场笔录")
    for kind in ("onsite_record", "seizure_decision", "seizure_release"):
        _make(case, kind)
    page.goto(release)
    page.get_by_label("物品退还情况").fill("物品已清点退还当事人。")
    _submit(page)
    expect(page.locator(".messages")).to_contain_text("已完成：解除查封扣押")
    case.refresh_from_db()
    assert case.state == State.MEASURE_RELEASED
    actions = set(
        Entry.objects.filter(object_kind="cases.case", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "cases.open_measure",
        "cases.approve_measure",
        "cases.carry_out_measure",
        "cases.release_measure",
    } <= (actions)

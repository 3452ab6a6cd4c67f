"""Issue 11's "done when": two general-procedure cases — one where the party waives the hearing, one with a
hearing — taken from 受理 to 归档 in the browser, each step by the role the law gives it, each opened from that
person's to-do list (工作台). Every step that needs a document is first refused without it; the archived 案卷 is
complete and its zip holds every finalised document.

The documents a step needs are made through the document actions, as the document pages make them (the party's
on-screen signature is not drawn in this test); every procedural step is taken in the browser.
"""

import datetime as dt
import io
import json
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.cases.conftest import clock  # noqa: F401
from tests.e2e.conftest import log_in
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import IdType, PartyKind, State
from zhifa.cases.models import Case
from zhifa.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

OFFICERS = ("zhifa01", "zhifa02")
HEAD = "juzhang"
REVIEWER = "fagui1"
CHAIR = "zhifa17"


def _in_thread(fn):
    """Run ``fn`` outside the test thread (Playwright's event loop lives here; the PDF seal runs its own)."""

    def run():
        try:
            return fn()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _make(case, kind, narrative=None, dated=None):
    """Make, sign and finalise a document of ``case`` as the document pages do."""
    from zhifa.org.models import Person
    from zhifa.records import actions as records
    from zhifa.records.demo import finish

    def make():
        officers = [Person.objects.get(username=u) for u in OFFICERS]
        c = Case.objects.get(pk=case.pk)
        doc = records.generate_document(officers[0], c, kind=kind, narrative=narrative or {}, dated=dated)
        return finish(doc, officers, c.party.legal_representative or c.party.name)

    return _in_thread(make)


def _login(page, live_server, username):
    log_in(page, live_server.url, username, DEMO_PASSWORD)


def _from_todo(page, live_server, username, case, step):
    """Log in as ``username``, find ``case`` on the 工作台 with ``step`` waiting, open it and the step's page."""
    _login(page, live_server, username)
    page.goto(f"{live_server.url}/")
    task = page.locator("main li", has_text=case.reference).filter(has_text=step)
    expect(task.first).to_be_visible()
    task.first.get_by_role("link").first.click()
    page.get_by_role("link", name=step, exact=True).first.click()


def _submit(page, button="提交"):
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()  # the click waits for the navigation to start; the next step needs its page


def _state(case):
    case.refresh_from_db()
    return case.state


def _not_on_todo(page, live_server, username, case, step):
    _login(page, live_server, username)
    page.goto(f"{live_server.url}/")
    expect(page.locator("main li", has_text=case.reference).filter(has_text=step)).to_have_count(0)


def _accept(page, live_server, name):
    from zhifa.org.models import Agency, Person

    agency = Agency.objects.get(code="mingshan-wjj")
    case_actions.register_party(
        Person.objects.get(username=OFFICERS[0]),
        agency,
        kind=PartyKind.LEGAL,
        name=name,
        id_type=IdType.CREDIT_CODE,
        id_number="91350100M000100Y43",
        address="明山区测试路1号",
        legal_representative="王明",
    )
    _login(page, live_server, OFFICERS[0])
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_label("当事人").select_option(label=name)
    page.get_by_label("案由").fill(f"{name}未取得《医疗机构执业许可证》擅自执业")
    page.get_by_label("案件来源").select_option("inspection")
    page.get_by_label("执法领域").select_option(label="医疗卫生")
    page.get_by_label("承办机构").select_option(label="医疗卫生监督科")
    for person in Person.objects.filter(username__in=OFFICERS):
        page.get_by_label(person.full_name, exact=True).check()
    page.get_by_label("案情摘要").fill("检查发现诊所未取得执业许可证开展诊疗活动。")
    page.get_by_label("违法行为发生日期").fill("2026-05-25")
    _submit(page)
    expect(page.locator(".messages")).to_contain_text("案件已受理")
    return Case.objects.get(party__name=name)


def _investigate(page, live_server, case):
    _from_todo(page, live_server, OFFICERS[0], case, "报请立案")
    _submit(page)
    assert _state(case) == State.FILING_REQUESTED
    _not_on_todo(page, live_server, OFFICERS[1], case, "批准立案")  # not the officers' to approve
    _from_todo(page, live_server, HEAD, case, "批准立案")
    page.get_by_label("负责人意见").fill("同意立案调查")
    _submit(page)
    assert _state(case) == State.INVESTIGATING

    from zhifa.org.models import Person

    officers = [Person.objects.get(username=u) for u in OFFICERS]
    _in_thread(
        lambda: case_actions.add_record(
            officers[0],
            Case.objects.get(pk=case.pk),
            kind="onsite",
            data={"observations": "诊室内有患者正在输液"},
            started_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            place="明山区测试路1号",
            officers=officers,
            certificates_shown=[o.certificates.get() for o in officers],
        )
    )
    _from_todo(page, live_server, OFFICERS[0], case, "制作调查取证记录")
    page.get_by_label("记录类型").select_option("deliberation")
    page.get_by_label("开始时间").fill("2026-06-01T10:00")
    page.get_by_label("记录内容").fill("合议：事实清楚，拟给予罚款。")
    _submit(page)
    page.goto(f"{live_server.url}/cases/{case.pk}/update_draft/")
    page.get_by_label("处理意见").select_option("penalty")
    page.get_by_label("罚款", exact=True).check()
    page.get_by_label("罚款金额（元）").fill("150000")
    page.get_by_label("违法事实").fill("当事人未取得《医疗机构执业许可证》擅自执业。")
    page.get_by_label("证据", exact=True).fill("现场笔录、照片。")
    page.get_by_label("违反的条款").fill("《医疗机构管理条例》第十四条")
    page.get_by_label("处罚依据").fill("《医疗机构管理条例》第四十三条")
    page.get_by_label("裁量说明").fill("违法所得较多，从重处罚。")
    _submit(page)
    _from_todo(page, live_server, OFFICERS[0], case, "调查终结")
    _submit(page)
    assert _state(case) == State.INVESTIGATED

    # 事先告知 is refused without the 听证告知书 (a 150,000 yuan fine: the party may ask for a hearing)
    _from_todo(page, live_server, OFFICERS[0], case, "事先告知")
    _submit(page)
    expect(page.locator(".errors")).to_contain_text("行政处罚听证告知书")
    assert _state(case) == State.INVESTIGATED
    page.get_by_role("button", name="制作该文书").click()
    _submit(page, "定稿")
    expect(page.locator("main")).to_contain_text("明卫医听告〔")
    _from_todo(page, live_server, OFFICERS[0], case, "事先告知")
    _submit(page)
    assert _state(case) == State.NOTIFIED


def _review_and_decide(page, live_server, case):
    _from_todo(page, live_server, OFFICERS[0], case, "提交法制审核")
    # the checklist is computed from the file: the decision document's draft is made first, from its link
    expect(page.locator(".materials")).to_contain_text("缺少 决定书代拟稿")
    page.get_by_role("link", name="制作决定书代拟稿").click()
    page.get_by_label("生成文书").select_option(label="行政处罚决定书")
    page.get_by_role("button", name="生成草稿").click()
    _from_todo(page, live_server, OFFICERS[0], case, "提交法制审核")
    expect(page.locator(".materials")).not_to_contain_text("缺少")
    page.get_by_label("送审说明（事实、证据、法律依据）").fill("擅自执业，拟罚款十五万元。")
    page.get_by_label("裁量基准适用说明").fill("违法所得较多，适用“较重”档次。")
    page.get_by_label("执法人员资格说明").fill("两名承办人均持有效执法证。")
    _submit(page)
    expect(page.locator(".messages")).to_contain_text("已提交法制审核")
    review_url = page.url
    _login(page, live_server, HEAD)
    page.goto(review_url)
    page.get_by_label("苏静怡").check()
    page.get_by_role("button", name="指派").click()
    _login(page, live_server, REVIEWER)
    page.goto(f"{live_server.url}/")
    page.locator("main li", has_text=case.reference).get_by_role("link").first.click()
    page.get_by_role("link", name="出具审核意见", exact=True).first.click()
    # .all() does not wait: the opinion form must have loaded before its radios are collected
    page.wait_for_url("**/opinion/")
    expect(page.get_by_label("审核结论")).to_be_visible()
    radios = page.locator('input[type="radio"][value="pass"]')
    assert radios.count() > 0
    for radio in radios.all():  # nothing is pre-set
        radio.check()
    page.get_by_label("审核结论").select_option("agree")
    page.get_by_label("法制审核意见").fill("主体合法，程序合法，事实清楚，同意。")
    page.get_by_role("button", name="签署审核意见").click()
    expect(page.locator(".badge").first).to_have_text("同意")

    _not_on_todo(page, live_server, OFFICERS[0], case, "作出决定")
    _from_todo(page, live_server, HEAD, case, "作出决定")
    main = page.locator("main")
    expect(main).to_contain_text("罚款人民币")  # the decision page shows what is decided
    expect(main).to_contain_text("当事人未取得《医疗机构执业许可证》擅自执业。")
    expect(main).to_contain_text("同意")  # the review result
    _submit(page, "签发决定")
    assert _state(case) == State.DECIDED
    _finish_decision(case)


def _finish_decision(case):
    """The reviewed draft the decision bound, signed and finalised with its number, date and seal."""
    from zhifa.org.models import Person
    from zhifa.records.decision_draft import current_draft
    from zhifa.records.demo import finish

    def make():
        officers = [Person.objects.get(username=u) for u in OFFICERS]
        c = Case.objects.get(pk=case.pk)
        return finish(current_draft(c), officers, c.party.legal_representative or c.party.name)

    return _in_thread(make)


def _serve_pay_close_archive(page, live_server, case):
    _from_todo(page, live_server, OFFICERS[0], case, "登记送达")
    page.get_by_label("送达方式").select_option("direct")
    page.get_by_label("送达（交付、邮寄、公告）日期").fill(dt.date.today().isoformat())
    page.get_by_label("签收人").fill("王明")
    _submit(page)
    expect(page.locator(".errors")).to_contain_text("送达回执")
    assert _state(case) == State.DECIDED
    _make(case, "service_receipt")
    _submit(page)
    assert _state(case) == State.SERVED

    _from_todo(page, live_server, OFFICERS[0], case, "登记缴款")
    page.get_by_label("款项").select_option("fine")
    page.get_by_label("金额（元）").fill("150000")
    page.get_by_label("缴纳日期").fill(dt.date.today().isoformat())
    page.get_by_label("缴款凭证号").fill("MS-0001")
    _submit(page)
    assert _state(case) == State.EXECUTED

    # the officers make the 结案报告 (their to-do says so); only then is closing on the head's list
    _login(page, live_server, OFFICERS[0])
    page.goto(f"{live_server.url}/")
    expect(page.locator("main li", has_text=case.reference)).to_contain_text("制作结案报告")
    _not_on_todo(page, live_server, HEAD, case, "结案")
    _make(case, "closing_report", {"result": "罚款已缴清，处罚决定执行完毕，予以结案。"})
    _from_todo(page, live_server, HEAD, case, "结案")
    _submit(page)
    assert _state(case) == State.CLOSED

    # 归档 refuses an incomplete file and lists what is missing
    _from_todo(page, live_server, HEAD, case, "归档")
    _submit(page)
    expect(page.locator(".errors")).to_contain_text("案卷不完整")
    assert _state(case) == State.CLOSED
    from zhifa.org.models import Person
    from zhifa.records.demo import complete_file

    _in_thread(
        lambda: complete_file(
            Case.objects.get(pk=case.pk), [Person.objects.get(username=u) for u in OFFICERS]
        )
    )
    _submit(page)
    assert _state(case) == State.ARCHIVED

    # the zip holds every finalised document of the case, each byte for byte
    from zhifa.records.models import Document

    # the export is a background job: its page shows the progress, then offers the file
    page.goto(f"{live_server.url}/records/cases/{case.pk}/file/")
    page.get_by_role("button", name="导出归档包").click()
    expect(page.locator(".job-state")).to_have_text("已完成")
    download = page.get_by_role("link", name=f"下载 case-{case.pk}.zip")
    response = page.request.get(live_server.url + download.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.body()))
    manifest = json.loads(archive.read("manifest.json"))
    in_zip = {row["sha256"] for row in manifest["index"]}
    finals = Document.objects.filter(case=case, state="final")
    replaced = {d.supersedes_id for d in finals if d.supersedes_id}
    for doc in finals:
        if doc.pk not in replaced:
            assert doc.pdf_sha256 in in_zip, doc.get_kind_display()
    assert not Document.objects.filter(case=case, state="draft").exists()
    return manifest


@pytest.mark.slow(seconds=60, together="frozen-day demo")  # one demo load for both (same frozen day)
def test_a_hearing_waiver_case_from_intake_to_archive(page, live_server, clock, demo):  # noqa: F811
    case = _accept(page, live_server, "明山区放弃听证诊所")
    _investigate(page, live_server, case)
    # the party keeps its right to state and defend and says it does not want a hearing
    _from_todo(page, live_server, OFFICERS[0], case, "记录陈述申辩")
    page.get_by_label("陈述申辩内容").fill("当事人称已停止诊疗活动，请求从轻处罚。")
    page.get_by_label("复核意见").fill("经复核，当事人所述不影响违法事实的认定，维持拟处罚意见。")
    _submit(page)
    _from_todo(page, live_server, OFFICERS[0], case, "记录放弃听证")
    page.get_by_label("签名人（当事人或其委托代理人）").fill("王明")
    _submit(page)
    case.refresh_from_db()
    assert case.hearing_waived and not case.statement_waived
    _review_and_decide(page, live_server, case)
    from zhifa.records.models import Document

    decision = Document.objects.get(case=case, kind="penalty_decision", state="final")
    text = decision.narrative.get("statement", "")
    assert "经复核" in text and "明确表示放弃听证的权利" in text and "放弃陈述和申辩" not in text
    manifest = _serve_pay_close_archive(page, live_server, case)
    titles = " ".join(row["title"] for row in manifest["index"])
    for title in (
        "立案报告",
        "现场笔录",
        "案件调查终结报告",
        "行政处罚听证告知书",
        "陈述和申辩笔录",
        "法制审核意见书",
    ):
        assert title in titles, title
    for title in ("行政处罚决定书", "送达回执", "结案报告"):
        assert title in titles, title


@pytest.mark.slow(seconds=60, together="frozen-day demo")  # one demo load for both (same frozen day)
def test_a_hearing_case_from_intake_to_archive(page, live_server, clock, demo):  # noqa: F811
    case = _accept(page, live_server, "明山区听证诊所")
    _investigate(page, live_server, case)
    _from_todo(page, live_server, OFFICERS[0], case, "登记听证申请")
    page.get_by_label("申请日期").fill("2026-06-01")
    page.get_by_label("签名人（当事人或其委托代理人）").fill("王明")
    _submit(page)
    assert _state(case) == State.HEARING_REQUESTED
    _from_todo(page, live_server, OFFICERS[0], case, "通知听证")
    page.get_by_label("听证日期").fill("2026-06-17")
    page.get_by_label("听证地点").fill("明山区卫生健康局听证室")
    page.get_by_label("听证主持人").select_option(label=_chair_name())
    _submit(page)
    assert _state(case) == State.HEARING_SCHEDULED
    clock.move_to(dt.date(2026, 6, 17))
    # the chair's list holds the hearing; recording it is refused until the 听证通知书 is finalised
    _from_todo(page, live_server, CHAIR, case, "记录听证")
    page.get_by_label("听证笔录").fill("当事人对违法事实无异议，请求从轻处罚。")
    page.get_by_label("听证意见").fill("建议维持拟处罚意见。")
    _submit(page)
    expect(page.locator(".errors")).to_contain_text("行政处罚听证通知书")
    assert _state(case) == State.HEARING_SCHEDULED
    _make(case, "hearing_notice", dated=dt.date(2026, 6, 1))  # dated the day it was scheduled and served
    _submit(page)
    assert _state(case) == State.HEARING_HELD
    _make(case, "hearing_record")
    _make(case, "hearing_report")
    _review_and_decide(page, live_server, case)
    manifest = _serve_pay_close_archive(page, live_server, case)
    titles = " ".join(row["title"] for row in manifest["index"])
    for title in ("行政处罚听证通知书", "听证笔录", "听证意见书", "行政处罚决定书", "法制审核意见书"):
        assert title in titles, title


def _chair_name():
    from zhifa.org.models import Person

    return Person.objects.get(username=CHAIR).full_name

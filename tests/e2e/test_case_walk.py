"""An officer and the head take a case from intake to decision in the browser."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import IdType, PartyKind
from zhifa.cases.models import Case
from zhifa.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def _login(page, live_server, username):
    log_in(page, live_server.url, username, DEMO_PASSWORD)


def _act(page, name):
    page.get_by_role("link", name=name, exact=True).first.click()


@pytest.mark.slow(seconds=60)
def test_officer_and_head_take_a_case_from_intake_to_decision(page, live_server, demo):
    from zhifa.org.models import Agency, Person

    agency = Agency.objects.get(code="mingshan-wjj")
    officer = Person.objects.get(username="zhifa01")
    case_actions.register_party(
        officer,
        agency,
        kind=PartyKind.LEGAL,
        name="明山区测试诊所",
        id_type=IdType.CREDIT_CODE,
        id_number="91350100M000100Y43",
        address="明山区测试路1号",
        legal_representative="测试",
    )
    _login(page, live_server, "zhifa01")
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_label("当事人").select_option(label="明山区测试诊所")
    page.get_by_label("案由").fill("未按规定公示诊疗科目")
    page.get_by_label("案件来源").select_option("inspection")
    page.get_by_label("执法领域").select_option(label="医疗卫生")
    page.get_by_label("承办机构").select_option(label="医疗卫生监督科")
    for person in Person.objects.filter(username__in=["zhifa01", "zhifa02"]):
        page.get_by_label(person.full_name, exact=True).check()
    page.get_by_label("案情摘要").fill("检查发现诊所未在显著位置公示诊疗科目。")
    page.get_by_label("违法行为发生日期").fill((timezone.localdate() - dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("案件已受理")
    case = Case.objects.get(cause="未按规定公示诊疗科目")

    _act(page, "报请立案")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".badge").first).to_have_text("立案审批中")

    _login(page, live_server, "juzhang")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    _act(page, "批准立案")
    page.get_by_label("负责人意见").fill("同意立案调查")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".badge").first).to_have_text("调查取证")

    _login(page, live_server, "zhifa01")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    _act(page, "制作调查取证记录")
    page.get_by_label("记录类型").select_option("deliberation")
    page.get_by_label("开始时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("记录内容").fill("合议：事实清楚，拟给予警告。")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("已完成")

    page.goto(f"{live_server.url}/cases/{case.pk}/update_draft/")
    page.get_by_label("处理意见").select_option("penalty")
    page.get_by_label("警告").check()
    page.get_by_label("违法事实").fill("当事人未在显著位置公示诊疗科目。")
    page.get_by_label("证据", exact=True).fill("现场笔录、照片。")
    page.get_by_label("违反的条款").fill("《医疗机构管理条例》第二十五条")
    page.get_by_label("处罚依据").fill("《医疗机构管理条例》第四十七条")
    page.get_by_label("裁量说明").fill("情节轻微，给予警告。")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("已完成")

    _act(page, "调查终结")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".badge").first).to_have_text("调查终结")
    # 事先告知 needs its finalised notice: refused without it, with a link to make it
    _act(page, "事先告知")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".errors")).to_contain_text("须先制作并定稿：行政处罚事先告知书")
    page.get_by_role("button", name="制作该文书").click()  # the draft is made and opened
    page.get_by_role("button", name="定稿").click()
    expect(page.locator("main")).to_contain_text("明卫医罚告〔")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    _act(page, "事先告知")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".badge").first).to_have_text("已事先告知")
    _act(page, "记录放弃陈述申辩")
    page.get_by_label("签名人（当事人或其委托代理人）").fill("王明")
    page.get_by_role("button", name="提交").click()

    # Legal review: the officer submits, the head assigns, the reviewer answers the nine points.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("main")).to_contain_text("该案件须经法制审核通过后方可作出决定")
    _act(page, "提交法制审核")
    # The checklist is computed from the file: the decision document's draft is missing until it is made.
    expect(page.locator(".materials")).to_contain_text("缺少 决定书代拟稿")
    page.get_by_role("link", name="制作决定书代拟稿").click()
    page.get_by_label("生成文书").select_option(label="行政处罚决定书")
    page.get_by_role("button", name="生成草稿").click()
    expect(page.locator("main")).to_contain_text("行政处罚决定书")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    _act(page, "提交法制审核")
    expect(page.locator(".materials")).not_to_contain_text("缺少")
    page.get_by_label("送审说明（事实、证据、法律依据）").fill("当事人未公示诊疗科目，拟给予警告。")
    page.get_by_label("裁量基准适用说明").fill("情节轻微，适用“轻微”档次。")
    page.get_by_label("执法人员资格说明").fill("两名承办人均持有效执法证。")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("已提交法制审核")
    review_url = page.url

    _login(page, live_server, "juzhang")
    page.goto(review_url)
    page.get_by_label("苏静怡").check()
    page.get_by_role("button", name="指派").click()
    expect(page.locator(".messages")).to_contain_text("已指派审核人员")

    _login(page, live_server, "fagui1")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="待审核").first.click()
    _act(page, "出具审核意见")
    # The form starts blank: nothing pre-set; the reviewer answers each of the nine points herself.
    radios = page.locator('input[type="radio"][value="pass"]')
    expect(radios).to_have_count(9)  # waits for the opinion page: the click above only starts loading it
    expect(page.locator('input[type="radio"]:checked')).to_have_count(0)
    for i in range(9):
        radios.nth(i).check()
    page.get_by_label("审核结论").select_option("agree")
    page.get_by_label("法制审核意见").fill("主体合法，程序合法，事实清楚，同意。")
    page.get_by_role("button", name="签署审核意见").click()
    expect(page.locator(".badge").first).to_have_text("同意")

    _login(page, live_server, "juzhang")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    _act(page, "作出决定")
    expect(page.locator("main")).to_contain_text("警告")  # the decide page shows what is decided
    expect(page.locator("main")).to_contain_text("当事人未在显著位置公示诊疗科目。")
    page.get_by_role("button", name="签发决定").click()
    expect(page.locator(".badge").first).to_have_text("已决定")
    expect(page.locator(".timeline")).to_contain_text("作出决定")
    case.refresh_from_db()
    assert case.decided_by.username == "juzhang" and case.decision_snapshot["kinds"] == ["warning"]
    # 事后公开: the decision is on the agency's deadline list at once, due in 7 working days.
    page.goto(f"{live_server.url}/workdays/deadlines/")
    row = page.locator("tr", has_text="行政处罚、行政许可决定公示期限").filter(has_text=case.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"{case.publication.due_on:%Y-%m-%d}")

    # The head finalises the reviewed draft the decision bound: his signature, then the numbered, sealed PDF.
    from zhifa.records.decision_draft import current_draft

    page.goto(f"{live_server.url}/records/documents/{current_draft(case).pk}/")
    page.get_by_role("button", name="我签名").click()
    page.get_by_role("button", name="定稿").click()
    expect(page.locator("main")).to_contain_text("明卫医罚〔")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # 事后公开 to the end (issue 15's walk): the officer finds the decision on 决定公开, sees the redacted preview and
    # submits it; the legal reviewer, a second person, approves it; a member of the public finds it by its 文号 and
    # verifies it in the page against the agency's signed checkpoint.
    case.refresh_from_db()
    publication = case.publication
    _login(page, live_server, "zhifa01")
    page.goto(f"{live_server.url}/catalog/publications/")
    page.locator("tr", has_text=case.reference).get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("待编辑")
    expect(page.get_by_role("button", name="批准公开")).to_have_count(0)  # not for the one who submits
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交审核。")).to_be_visible()
    expect(page.get_by_role("button", name="批准公开")).to_have_count(0)
    _login(page, live_server, "fagui1")
    page.goto(f"{live_server.url}/catalog/publications/{publication.pk}/")
    page.get_by_role("button", name="批准公开").click()
    expect(page.get_by_text("已批准公开。")).to_be_visible()
    publication.refresh_from_db()
    assert publication.state == "published" and publication.released_by.username == "fagui1"
    from zhifa.ledger import actions as ledger_actions

    # The periodic job signs a checkpoint of the grown ledger within a minute (ZHIFA_LEDGER_CHECKPOINT_SECONDS);
    # until then the page's proof leaves the release out. Signed here at once.
    ledger_actions.make_checkpoint(case.agency, force=True)
    public = page.context.browser.new_page(locale="zh-CN")
    public.goto(f"{live_server.url}/portal/decisions/")
    number = publication.summary["number"]
    public.get_by_label("关键词").fill(number)
    public.get_by_role("button", name="检索").click()
    expect(public.get_by_text("共 1 件决定。")).to_be_visible()
    public.get_by_role("link", name=re.compile("明山区测试诊所")).first.click()
    expect(public.locator("main")).to_contain_text(number)
    public.get_by_role("button", name="核验").click()
    expect(public.locator("#publication-result")).to_contain_text("核验通过", timeout=20_000)
    public.close()

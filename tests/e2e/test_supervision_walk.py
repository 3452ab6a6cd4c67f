"""The supervisor runs a half-year 案卷评查 of the demo bureau in the browser: organises it, draws the files, scores
one whose items the platform pre-filled, grades it; the draw is then re-done from the ledger."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from zhifa.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


@pytest.mark.slow(seconds=60)
def test_the_supervisor_runs_an_evaluation_and_scores_a_prefilled_file(page, live_server, demo):
    from zhifa.supervision.models import Evaluation, Rectification, Standard

    today = timezone.localdate()
    log_in(page, live_server.url, "jiandu", DEMO_PASSWORD)
    page.get_by_role("link", name="案卷评查", exact=True).first.click()
    demo_evaluation = Evaluation.objects.get()
    expect(page.get_by_role("link", name=demo_evaluation.title)).to_be_visible()

    # the bureau of justice makes its own 评查标准 from the platform's: one item reworded, saved as its version 1
    page.get_by_role("link", name="评查标准").click()
    page.get_by_role("link", name="行政处罚案卷评查标准（平台默认）").click()
    page.get_by_role("link", name="以此为基础制定本机关标准").click()
    page.locator("#id_name").fill("明山区司法局行政处罚案卷评查标准")
    page.locator("input[name='items-0-text']").fill("执法主体合法，在法定职权和管辖范围内实施行政处罚")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.locator(".messages")).to_contain_text("已保存为第 1 版")
    expect(page.locator("main")).to_contain_text("在法定职权和管辖范围内")
    page.get_by_role("link", name="案卷评查", exact=True).first.click()

    page.get_by_role("link", name="组织案卷评查").click()
    expect(page.get_by_label("评查标准")).to_have_value(
        str(Standard.objects.get(name="明山区司法局行政处罚案卷评查标准").pk)
    )
    page.get_by_label("评查名称").fill("演示期间案卷评查")
    page.get_by_label("评查期间自").fill((today - dt.timedelta(days=200)).isoformat())
    page.get_by_label("评查期间至").fill((today - dt.timedelta(days=100)).isoformat())
    page.get_by_label("明山区卫生健康局").check()
    page.get_by_label("韩立新（明山区司法局）").check()
    page.get_by_label("抽样比例（%）").fill("50")
    page.get_by_role("button", name="创建").click()
    expect(page.locator(".messages")).to_contain_text("承诺值已记入账本")
    evaluation = Evaluation.objects.exclude(pk=demo_evaluation.pk).get()
    expect(page.locator("dl.facts")).to_contain_text(evaluation.commitment)
    assert evaluation.standard.name == "明山区司法局行政处罚案卷评查标准"

    page.get_by_role("button", name="封存抽样框并抽样").click()
    expect(page.locator(".messages")).to_contain_text("已封存抽样框")
    evaluation.refresh_from_db()
    expect(page.locator("dl.facts")).to_contain_text(evaluation.revealed_seed)
    rows = page.locator("table").first.locator("tbody tr")
    shown = [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())]
    assert shown and shown == list(
        evaluation.files.order_by("position").values_list("case__reference", flat=True)
    )

    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(shown[0])
    # the platform's judgements are on the page before the evaluator answers anything
    expect(page.locator("#item-documents")).to_contain_text("符合")
    page.get_by_role("button", name="确认全部平台判断").click()
    expect(page.locator(".messages")).to_contain_text("已确认平台的判断")
    f = evaluation.files.order_by("position").first()
    for item in evaluation.standard.items.all():
        f.refresh_from_db()
        if (f.answers.get(item.code) or {}).get("verdict"):
            continue
        row = page.locator(f"#item-{item.code}")
        if item.code == "cover":  # one problem found: 不符合, 2 of its 5 points kept, with the reason
            row.locator("input[value=fail]").check()
            row.get_by_label("不符合时的得分").fill("2")
            row.get_by_label("问题或理由").fill("卷内目录未填写页码")
            row.get_by_role("button", name="保存").click()
            expect(page.locator(f"#item-{item.code} strong")).to_have_text("不符合")
            continue
        row.locator("input[value=pass]").check()
        row.get_by_role("button", name="保存").click()
        expect(page.locator(f"#item-{item.code} strong")).to_have_text("符合")
    page.get_by_role("button", name="评定").click()
    expect(page.locator(".messages")).to_contain_text("已评定")
    f.refresh_from_db()
    expect(page.locator("dl.facts")).to_contain_text(f.get_grade_display())
    assert "保存" not in page.content()

    # the problem becomes the bureau's rectification task, owned by the file's lead officer, due in working days
    page.locator("#item-cover").get_by_role("link", name="提出整改").click()
    expect(page.get_by_label("发现的问题")).to_have_value(re.compile("卷内目录未填写页码"))
    lead = f.case.officer_links.order_by("-lead", "pk").first().person
    page.get_by_label("整改责任人").select_option(str(lead.pk))
    page.get_by_role("button", name="提出整改").click()
    expect(page.locator(".messages")).to_contain_text("整改期限至")
    expect(page.get_by_role("heading", level=1)).to_contain_text("整改中")
    rectification = Rectification.objects.get(evaluation_file=f)
    assert rectification.owner == lead and rectification.deadline.responsible == lead

    # the evaluation's page now draws its grades and the items failed, each chart with its table of numbers
    page.goto(f"{live_server.url}{evaluation.get_absolute_url()}")
    expect(page.locator("figure.chart svg title").first).to_have_text("评定等次分布")
    expect(page.locator("figure.chart svg title").nth(1)).to_have_text("不符合项目分布")
    expect(page.get_by_role("link", name="评查报告（PDF）")).to_be_visible()

    out = io.StringIO()
    call_command("supervision", "redraw", str(evaluation.pk), stdout=out)
    assert out.getvalue().splitlines() == shown


@pytest.mark.slow(seconds=60)
def test_the_supervisor_runs_the_quarterly_inspection_signs_it_and_raises_a_rectification(
    page, live_server, demo
):
    from zhifa.records import seal, storage
    from zhifa.supervision.models import Inspection, Rectification

    prepared = Inspection.objects.get(state="prepared")  # the last quarter, prepared by the platform
    signed = Inspection.objects.get(
        state="signed"
    )  # the quarter before, signed with a finding made a rectification
    log_in(page, live_server.url, "jiandu", DEMO_PASSWORD)
    page.get_by_role("link", name="网上巡查", exact=True).first.click()
    expect(page.locator("tbody")).to_contain_text(signed.number)
    page.get_by_role("link", name=f"{prepared.year}年第{prepared.quarter}季度").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("网上巡查")
    # every part of the inspection is there, each line with its evidence
    for area in ("事前公开清单", "执法人员", "事后公开"):
        expect(page.get_by_role("heading", level=2, name=re.compile(area)).first).to_be_visible()
    page.get_by_label("巡查内容").select_option("other")
    page.get_by_label("发现的问题").fill("门户未公示本季度执法统计。")
    page.get_by_role("button", name="添加").click()
    expect(page.locator(".messages")).to_contain_text("已添加发现的问题")
    page.get_by_label("巡查意见").fill("本季度公示总体符合要求，发现的问题限期整改。")
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已签发网上巡查报告")
    prepared.refresh_from_db()
    assert prepared.state == "signed" and prepared.number.endswith(f"〔{timezone.localdate().year}〕2号")
    expect(page.locator("dl.facts")).to_contain_text(prepared.number)
    assert seal.verify_pdf(storage.read(prepared.pdf_name, prepared.pdf_sha256)).intact
    row = page.locator("tr", has_text="门户未公示本季度执法统计")
    row.get_by_role("link", name="提出整改").click()
    page.get_by_label("整改责任人").select_option(label="陈志远（办公室）")
    page.get_by_role("button", name="提出整改").click()
    expect(page.locator(".messages")).to_contain_text("已提出整改")
    rect = Rectification.objects.get(inspection_line__inspection=prepared)
    expect(page.locator("dl.facts")).to_contain_text(prepared.number)
    assert rect.owner.agency == prepared.agency


@pytest.mark.slow(seconds=40)
def test_the_supervisor_reads_the_analysis_report_and_the_head_records_reading_it(page, live_server, demo):
    from zhifa.supervision.models import AnalysisReport, ReportReading

    report = AnalysisReport.objects.get()  # the last quarter's, made by the demo
    log_in(page, live_server.url, "jiandu", DEMO_PASSWORD)
    page.get_by_role("link", name="分析报告", exact=True).first.click()
    page.get_by_role("link", name=report.data["period"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("执法数据分析报告")
    expect(page.get_by_role("heading", name="四、薄弱环节与改进建议")).to_be_visible()
    expect(page.locator(".chart svg").first).to_be_visible()  # ECharts drew the monthly chart
    expect(page.get_by_role("button", name="已阅")).to_have_count(0)  # a supervisor does not record reading
    page.context.clear_cookies()
    log_in(page, live_server.url, "juzhang", DEMO_PASSWORD)
    page.get_by_role("link", name=re.compile("待阅")).first.click()
    page.get_by_role("button", name="已阅").click()
    expect(page.locator(".messages")).to_contain_text("已记录阅读")
    expect(page.locator("dl.facts")).to_contain_text("陈志远")
    assert ReportReading.objects.filter(report=report, person__username="juzhang").exists()

"""双随机一公开 in the browser on the demo: the head draws next quarter's plan; an inspector drawn by this quarter's finds
the target on the 工作台 and records the result; the public reads the draw and the result on the portal."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from zhifa.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


@pytest.mark.slow(seconds=40)
def test_the_head_draws_an_inspector_records_and_the_public_reads_it(page, live_server, demo):
    from zhifa.inspections.models import Plan, Result

    log_in(page, live_server.url, "juzhang", DEMO_PASSWORD)
    page.get_by_role("link", name="双随机抽查", exact=True).click()
    plan = Plan.objects.filter(state="open").get()
    page.get_by_role("link", name=plan.title).click()
    expect(page.locator("dl.facts")).to_contain_text(plan.commitment)
    page.get_by_role("button", name="封存名录库并抽取").click()
    expect(page.locator(".messages")).to_contain_text("已封存名录库")
    plan.refresh_from_db()
    expect(page.locator("dl.facts")).to_contain_text(plan.revealed_seed)
    assert plan.drawn.exists()
    current = Plan.objects.exclude(pk=plan.pk).get()
    first = current.drawn.filter(result__isnull=True).order_by("position").first()
    inspector = first.inspectors.order_by("pk").first()

    log_in(page, live_server.url, inspector.username, DEMO_PASSWORD)
    page.get_by_role("link", name=f"双随机检查：{first.target.name}", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.target.name)
    for n in range(page.locator("fieldset .field").count()):
        page.locator(f"input[name=v{n}][value=pass]").check()
    page.get_by_label("未发现问题").check()
    page.get_by_role("button", name="记录检查结果").click()
    expect(page.locator(".messages")).to_contain_text("已记录检查结果")
    result = Result.objects.get(drawn=first)
    assert result.outcome == "passed" and result.recorded_by == inspector

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/portal/inspection-plans/{plan.pk}/")
    expect(page.locator("dl.facts")).to_contain_text(plan.revealed_seed)
    page.goto(f"{live_server.url}/portal/inspection-plans/{current.pk}/")
    row = page.locator("table tbody tr").nth(first.position - 1)
    expect(row).to_contain_text(first.target.credit_code)
    expect(row).to_contain_text("未发现问题")

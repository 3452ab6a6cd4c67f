"""The public portal in a real browser (Debian chromium): home, the people list and the certificate check,
on a desktop and on a phone, by keyboard; screenshots go to test-results/ (kept as CI artifacts)."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The tests share one demo load (demo_site, tests/e2e/conftest.py): they read it; the one complaint they file is
# seen by no other test here.

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
ACTIVE = "44030020010001"  # officer 1 of the demo
EXPIRED = "44030020040020"  # officer 20 holds an expired certificate

CONTRAST = """
(selector) => {
  const lum = (c) => { const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(x => x / 255)
      .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const bg = (el) => { while (el) { const c = getComputedStyle(el).backgroundColor;
      if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c; el = el.parentElement; }
    return 'rgb(255, 255, 255)'; };
  return [...document.querySelectorAll(selector)].filter(e => e.offsetParent !== null).map(e => {
    const a = lum(getComputedStyle(e).color), b = lum(bg(e));
    return {text: e.textContent.trim().slice(0, 20), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
  });
}
"""


@pytest.fixture(autouse=True)
def _clear_limits(demo_site):  # the embedded mode's cache is a database table (zhifa.core.cache)
    cache.clear()
    SHOTS.mkdir(exist_ok=True)


def _shot(page, name):
    page.screenshot(path=str(SHOTS / f"portal-{name}.png"), full_page=True)


def _assert_accessible_basics(page):
    # Every form control has a label, every image a text alternative, and the text has AA contrast.
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)""")
    assert unlabeled == []
    assert page.evaluate("() => [...document.images].filter(i => !i.hasAttribute('alt')).length") == 0
    for item in page.evaluate(
        CONTRAST, "main p, main td, main th, main a, main label, nav a, .site a, button"
    ):
        assert item["ratio"] >= 4.5, item


def test_portal_home(page, demo_site):
    page.goto(f"{demo_site.url}/portal/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("明山区卫生健康局行政执法公示")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    for name in (
        "执法主体",
        "执法人员",
        "执法事项",
        "随机抽查",
        "服务指南",
        "流程图",
        "音像记录",
        "岗位公示",
        "执法证查询",
        "投诉举报",
    ):
        expect(
            page.get_by_role("navigation", name="公示栏目").get_by_role("link", name=name, exact=True)
        ).to_be_visible()
    _assert_accessible_basics(page)
    _shot(page, "home")
    # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到主要内容")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.get_by_role("link", name="执法事项清单").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("执法事项清单")
    expect(page.locator(".version-bar")).to_contain_text("现行第2版")
    page.get_by_label("关键词").fill("医师")
    page.get_by_role("button", name="检索").click()
    expect(page.locator(".item-card").first).to_contain_text("医师")
    page.locator("details summary").first.click()
    expect(page.locator("details[open]").first).to_contain_text("裁量基准")
    _shot(page, "items")


def test_people_list(page, demo_site):
    page.goto(f"{demo_site.url}/portal/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("执法人员清单")
    table = page.get_by_role("table")
    expect(table).to_contain_text(ACTIVE)
    expect(table).not_to_contain_text(EXPIRED)
    expect(table).not_to_contain_text("邓子健")  # the system administrator is not an officer
    assert table.locator("tbody tr").count() == 19
    _assert_accessible_basics(page)
    _shot(page, "people")
    page.get_by_role("link", name=ACTIVE).click()
    expect(page.get_by_role("heading", name="该执法证有效")).to_be_visible()


def test_certificate_check(page, demo_site):
    page.goto(f"{demo_site.url}/portal/certificates/verify/")
    field = page.get_by_label("执法证号")
    field.fill(ACTIVE)
    field.press("Enter")
    result = page.locator(".result")
    expect(result).to_contain_text("该执法证有效")
    expect(result).to_contain_text("明山区卫生健康局")
    qr = page.get_by_role("img", name=re.compile(f"执法证{ACTIVE}的查询二维码"))
    expect(qr).to_be_visible()
    # the image is laid out (width, height) before its file arrives: wait until it has loaded and has pixels
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    _assert_accessible_basics(page)
    _shot(page, "verify-valid")

    page.get_by_label("执法证号").fill(EXPIRED)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".result")).to_contain_text("该执法证已过期")
    _shot(page, "verify-expired")

    page.get_by_label("执法证号").fill("00000000000000")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("status")).to_have_text("未查询到该执法证")
    _shot(page, "verify-unknown")


def test_portal_fits_a_phone(browser, demo_site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    for path in (
        "/portal/",
        "/portal/people/",
        "/portal/items/",
        "/portal/random-inspection-items/",
        "/portal/flowcharts/",
        "/portal/agency/",
        "/portal/complaints/new/",
        "/portal/decisions/",
        _decision_path(),
    ):
        page.goto(f"{demo_site.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375 + 1, f"{path} scrolls sideways on a phone: {width}px"
    page.goto(f"{demo_site.url}/portal/people/")
    _shot(page, "people-phone")
    context.close()


def test_complaint_by_keyboard_and_status(page, demo_site):
    page.goto(f"{demo_site.url}/portal/complaints/new/")
    page.get_by_label("咨询").check()
    page.get_by_label("标题").fill("校验时间咨询")
    page.get_by_label("内容").fill("请问诊所的执业许可证多久校验一次？")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提交成功")
    receipt = page.locator("#receipt").inner_text()
    code = page.locator("#query-code").inner_text()
    _shot(page, "complaint-done")
    page.get_by_role("link", name="查询办理进度").click()
    page.get_by_label("受理编号").fill(receipt)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".result")).to_contain_text("已登记")


def _decision_path(state="published"):
    from zhifa.publicity.models import Publication

    return f"/portal/decisions/{Publication.objects.filter(state=state).order_by('id').first().pk}/"


def test_a_member_of_the_public_finds_a_decision_and_verifies_it(page, demo_site):
    """事后公开 as the public meets it: the decisions page, a search by the party's published name, the decision's
    page with its public text, and the check in the browser against the agency's signed checkpoint."""
    from zhifa.publicity.models import Publication

    published = Publication.objects.filter(state="published").order_by("id").first()
    page.goto(f"{demo_site.url}/portal/")
    page.get_by_role("link", name="执法决定").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("行政执法决定公开")
    _assert_accessible_basics(page)
    page.get_by_label("关键词").fill(published.summary["party"])
    page.get_by_role("button", name="检索").click()
    link = page.get_by_role("link", name=re.compile(re.escape(published.summary["party"]))).first
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#decision-text")).to_contain_text(published.text.splitlines()[0])
    _assert_accessible_basics(page)
    page.get_by_role("button", name="核验").click()
    result = page.locator("#publication-result")
    expect(result).to_contain_text("核验通过", timeout=20_000)
    expect(result).to_contain_text("页面上的公开文本与账本中批准公开时记下的文本一致")
    _shot(page, "decision-verified")
    # A page whose text was changed after it left the server fails the check.
    page.evaluate("document.getElementById('decision-text').textContent += '（篡改）'")
    page.get_by_role("button", name="核验").click()
    expect(result).to_contain_text("核验未通过", timeout=20_000)
    expect(result).to_contain_text("页面被改动")
    # The withdrawn decision keeps its page with the reason; it is no longer listed.
    withdrawn = Publication.objects.filter(state="withdrawn").order_by("id").first()
    page.goto(f"{demo_site.url}{_decision_path('withdrawn')}")
    expect(page.get_by_role("alert")).to_contain_text("本决定已撤回")
    expect(page.get_by_role("alert")).to_contain_text(withdrawn.public_reason)
    assert page.locator("#decision-text").count() == 0


def test_the_reviewer_removes_more_text_with_the_mouse_and_releases(page, demo_site):
    """The legal reviewer opens the publication awaiting review, selects a piece of the original with the mouse,
    has it removed, and approves; the decision is then on the portal without it."""
    from tests.e2e.conftest import log_in
    from zhifa.org.demo import DEMO_PASSWORD
    from zhifa.publicity.models import Publication

    pending = Publication.objects.get(state="pending")
    log_in(page, demo_site.url, "fagui1", DEMO_PASSWORD)
    page.goto(f"{demo_site.url}/catalog/publications/{pending.pk}/")
    page.get_by_role("button", name="去除所选文字").wait_for()
    # Select six characters of the original that no removal touches, as a mouse drag would.
    from zhifa.publicity import publication as publication_actions

    original, _same = publication_actions.original_text(pending)
    taken = {i for r in pending.removals for i in range(r["start"] - 1, r["end"] + 1)}
    at = next(
        i
        for i in range(len(original) // 2, len(original) - 6)
        if not taken & set(range(i, i + 6))
        and "\n" not in original[i : i + 6]
        and original[i : i + 6].strip() == original[i : i + 6]
        and original.count(original[i : i + 6]) == 1
    )
    piece = original[at : at + 6]
    page.evaluate(
        """(piece) => { const pre = document.getElementById('original-text');
          const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
          let node; while ((node = walker.nextNode())) { const at = node.data.indexOf(piece);
            if (at >= 0) { const r = document.createRange(); r.setStart(node, at); r.setEnd(node, at + piece.length);
              const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); return; } }
          throw new Error('not found'); }""",
        piece,
    )
    page.get_by_role("button", name="去除所选文字").click()
    expect(page.get_by_label("另外去除的文字（每行一处；原文中出现的每一处都将去除）")).to_have_value(piece)
    page.get_by_role("button", name="修改去除的内容").click()
    expect(page.get_by_text("去除的内容已修改，公开文本已重新生成。")).to_be_visible()
    pending.refresh_from_db()
    assert piece not in pending.text and "■" * len(piece) in pending.text
    page.get_by_role("button", name="批准公开").click()
    expect(page.get_by_text("已批准公开。")).to_be_visible()
    page.goto(f"{demo_site.url}/portal/decisions/{pending.pk}/")
    expect(page.locator("#decision-text")).not_to_contain_text(piece)
    expect(page.get_by_role("heading", level=1)).not_to_contain_text(piece)  # nor in the summary


def test_a_decision_annulled_by_reconsideration_is_withdrawn_from_the_portal(page, demo_site):
    """Done-when of 事后公开: the lead officer records the 复议 against a published decision, the head records its
    outcome (撤销); the withdrawal is due in three working days, the head withdraws it with the public reason, and
    the portal then shows the notice instead of the text. (Last in the module: it withdraws a demo decision.)"""
    from django.utils import timezone

    from tests.e2e.conftest import log_in
    from zhifa.org.demo import DEMO_PASSWORD
    from zhifa.publicity.models import Publication

    pub = (
        Publication.objects.filter(
            state="published", withdrawal_due_on__isnull=True, case__act_kind="penalty"
        )
        .select_related("case")
        .order_by("-id")
        .first()
    )
    lead = pub.case.officer_links.get(lead=True).person.username
    today = timezone.localdate().isoformat()
    log_in(page, demo_site.url, lead, DEMO_PASSWORD)
    page.goto(f"{demo_site.url}/cases/{pub.case_id}/")
    page.get_by_role("link", name="登记复议诉讼").click()
    page.get_by_label("类型").select_option(label="行政复议")
    page.get_by_label("申请或起诉日期").fill(today)
    page.get_by_label("复议机关或法院").fill("明山区人民政府")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已登记行政复议。")).to_be_visible()
    proceeding_url = page.url

    log_in(page, demo_site.url, "juzhang", DEMO_PASSWORD)
    page.goto(proceeding_url)
    outcome = page.locator("form", has=page.get_by_role("heading", name="登记结果"))
    outcome.get_by_label("结果", exact=False).and_(page.locator("select")).select_option(label="撤销")
    outcome.get_by_label("决定或裁判日期").fill(today)
    outcome.get_by_label("结果说明").fill("认定事实不清，撤销原行政处罚决定")
    outcome.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已登记结果。")).to_be_visible()  # the POST is done before the database is read
    pub.refresh_from_db()
    assert pub.state == "published" and pub.withdrawal_due_on is not None  # due: 3 working days
    page.goto(f"{demo_site.url}/catalog/publications/{pub.pk}/")
    expect(page.locator("main")).to_contain_text(f"{pub.withdrawal_due_on:%Y-%m-%d}")
    reason = page.get_by_label("撤回的理由（将向社会公开）")
    expect(reason).to_contain_text("撤销")
    page.get_by_role("button", name="撤回公开").click()
    expect(page.get_by_text("已撤回，公开网站上显示撤回说明。")).to_be_visible()
    pub.refresh_from_db()
    assert pub.state == "withdrawn" and pub.withdrawn_by.username == "juzhang"
    page.context.clear_cookies()
    page.goto(f"{demo_site.url}/portal/decisions/{pub.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("本决定已撤回")
    expect(page.get_by_role("alert")).to_contain_text(pub.public_reason)
    assert page.locator("#decision-text").count() == 0

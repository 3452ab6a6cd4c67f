"""The public portal: every page answers without login, in Chinese, and shows nothing internal."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.catalog import actions as catalog_actions
from zhifa.catalog.choices import ListKind
from zhifa.ledger.tracking import unrecorded_writes
from zhifa.org import actions as org_actions
from zhifa.publicity import actions

PAGES = [
    ("publicity:home", []),
    ("publicity:agency", []),
    ("publicity:people", []),
    ("publicity:items", []),
    ("publicity:item_detail", ["A-001"]),
    ("publicity:random_inspection_items", []),
    ("publicity:av_items", []),
    ("publicity:guides", []),
    ("publicity:guide_detail", ["G-1"]),
    ("publicity:flowcharts", []),
    ("publicity:posts", []),
    ("publicity:verify", []),
    ("publicity:complaint_new", []),
    ("publicity:complaint_status", []),
    ("publicity:versions", ["items"]),
]


def _all_portal_html(client):
    html = ""
    for name, args in PAGES:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        html += response.content.decode()
    for slug in ("items", "random-inspection-items", "av-items", "guides", "flowcharts", "people"):
        for fmt in ("csv", "json"):
            html += client.get(reverse("publicity:export", args=[slug, fmt])).content.decode("utf-8-sig")
    html += client.get(reverse("publicity:feed")).content.decode()
    return html


def test_every_portal_page_answers_without_login_in_chinese(client, world, cat):
    for name, args in PAGES:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html and "甲区卫生健康局" in html, name
        assert 'name="viewport"' in html
    assert "《医疗机构管理条例》第二十六条" in client.get(reverse("publicity:items")).content.decode()
    # 双随机、一公开: the random-inspection page says where the results of the inspections' cases are published.
    random_page = client.get(reverse("publicity:random_inspection_items")).content.decode()
    assert f'href="{reverse("publicity:decisions")}"' in random_page and "查处结果" in random_page


def test_portal_shows_nothing_internal(client, world, cat):
    # An item added after publication, a flagged basis, an inactive officer, an expired and a revoked
    # certificate, and a complaint with the submitter's contact data.
    catalog_actions.create_item(
        world.sysadmin, world.a, code="DRAFT-1", name="尚未发布的草稿事项", kind="other"
    )
    catalog_actions.set_law_status(world.sysadmin, cat.doctor_law, status="amended", on=dt.date(2026, 1, 1))
    org_actions.set_person_active(world.secadmin, world.officer2, active=False, reason="调离")
    expired = world.person(world.a, "expired_o", "过期执法员", "officer")
    today = timezone.localdate()
    org_actions.issue_certificate(
        None,
        expired,
        number="CERT-OLD",
        field_codes=["medical"],
        issuer="甲区",
        valid_from=today - dt.timedelta(days=800),
        valid_to=today - dt.timedelta(days=1),
    )
    revoked = world.person(world.a, "revoked_o", "注销执法员", "officer")
    cert = org_actions.issue_certificate(
        None,
        revoked,
        number="CERT-REV",
        field_codes=["medical"],
        issuer="甲区",
        valid_from=today,
        valid_to=today + dt.timedelta(days=100),
    )
    org_actions.revoke_certificate(world.sysadmin, cert, reason="离职")
    actions.submit_complaint(
        world.a,
        kind="report",
        subject="举报无证行医",
        content="某诊所无证行医已经三个月。",
        name="张三丰",
        phone="13900001111",
        email="zsf@example.com",
        target="某诊所",
    )

    html = _all_portal_html(client)
    assert "甲执法" in html and "CERT-0000" in html  # the active officer is listed
    for internal in (
        "尚未发布的草稿事项",
        "DRAFT-1",
        "待调整",
        "甲执法二",
        "CERT-0001",
        "过期执法员",
        "CERT-OLD",
        "注销执法员",
        "CERT-REV",
        "张三丰",
        "13900001111",
        "zsf@example.com",
        "举报无证行医",
        "甲系统管理员",
        "sys_a",
        "officer_a",
    ):
        assert internal not in html, internal


def test_another_agencys_officers_are_not_on_this_agencys_list(client, world, cat):
    html = client.get(reverse("publicity:people")).content.decode()
    assert "乙执法" not in html
    other = client.get(reverse("publicity:people") + "?agency=agency-b").content.decode()
    assert "乙执法" in other and "甲执法" not in other
    assert client.get(reverse("publicity:people") + "?agency=nope").status_code == 404


def test_history_version_and_future_version(client, world, cat):
    catalog_actions.update_item(world.sysadmin, cat.item, name="改名后的事项")
    catalog_actions.publish_list(
        world.sysadmin, world.a, ListKind.ITEMS, effective_on=timezone.localdate() + dt.timedelta(days=10)
    )
    page = client.get(reverse("publicity:items")).content.decode()
    assert "对诊疗活动超出登记范围的行政处罚" in page and "改名后的事项" not in page  # v2 not yet in force
    assert client.get(reverse("publicity:items") + "?version=2").status_code == 404
    versions = client.get(reverse("publicity:versions", args=["items"])).content.decode()
    assert "第2版将于" in versions


def test_old_version_is_viewable_with_a_banner(client, world, cat):
    catalog_actions.update_item(world.sysadmin, cat.item, name="改名后的事项")
    from zhifa.catalog.models import ListVersion

    v1 = ListVersion.objects.get(agency=world.a, kind="items", number=1)
    with unrecorded_writes():  # test set-up written around the actions layer
        ListVersion.objects.filter(pk=v1.pk).update(effective_on=timezone.localdate() - dt.timedelta(days=30))
    catalog_actions.publish_list(world.sysadmin, world.a, ListKind.ITEMS, effective_on=timezone.localdate())
    current = client.get(reverse("publicity:items")).content.decode()
    assert "改名后的事项" in current and "现行第2版" in current
    old = client.get(reverse("publicity:items") + "?version=1").content.decode()
    assert "历史版本" in old and "对诊疗活动超出登记范围的行政处罚" in old and "改名后的事项" not in old
    feed = client.get(reverse("publicity:feed")).content.decode()
    assert "《执法事项清单》第2版" in feed and "修改1项：A-001" in feed


def test_item_search_and_filters(client, world, cat):
    url = reverse("publicity:items")
    assert "A-002" in client.get(url + "?q=医师").content.decode()
    assert "A-001" not in client.get(url + "?q=医师").content.decode()
    assert "A-001" in client.get(url + "?unit=医疗卫生监督科").content.decode()
    assert "A-002" not in client.get(url + "?unit=医疗卫生监督科").content.decode()
    assert "没有符合条件的事项" in client.get(url + "?kind=compulsion").content.decode()


def test_item_detail_shows_basis_text_and_benchmark(client, world, cat):
    html = client.get(reverse("publicity:item_detail", args=["A-001"])).content.decode()
    assert (
        "医疗机构必须按照核准登记" in html
        and "裁量基准" in html
        and "警告，并处1万元以上3万元以下罚款" in html
    )
    assert client.get(reverse("publicity:item_detail", args=["NOPE"])).status_code == 404


def test_downloads_at_stable_urls(client, world, cat):
    csv = client.get("/portal/items/export.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.startswith("事项编码,事项名称,事项类别") and "A-001" in text
    data = json.loads(client.get("/portal/items/export.json").content)
    assert data["version"] == 1 and {r["code"] for r in data["rows"]} == {"A-001", "A-002"}
    people = json.loads(client.get("/portal/people/export.json").content)
    assert {r["certificate_number"] for r in people["rows"]} == {"CERT-0000", "CERT-0001"}
    assert set(people["rows"][0]) == {
        "name",
        "unit",
        "title",
        "certificate_number",
        "fields",
        "valid_from",
        "valid_to",
    }
    random_csv = client.get("/portal/random-inspection-items/export.csv").content.decode("utf-8-sig")
    assert random_csv.startswith("序号,检查项目,检查子项,检查主体,检查依据,检查方式,检查内容,备注")
    assert client.get("/portal/items/export.pdf").status_code == 404
    assert client.get("/portal/unknown/export.csv").status_code == 404


def test_atom_feed(client, world, cat):
    response = client.get("/portal/feed.atom")
    assert response.status_code == 200 and "application/atom+xml" in response["Content-Type"]
    feed = response.content.decode()
    assert "<feed" in feed and "《执法事项清单》第1版" in feed and "《执法流程图》第1版" in feed


def test_agency_page_has_remedies_with_bodies_and_time_limits(client, world, cat):
    html = client.get(reverse("publicity:agency")).content.decode()
    assert "甲区人民政府" in html and "60日内" in html and "甲区人民法院" in html and "6个月内" in html
    assert "《中华人民共和国行政复议法》第二十条" in html


def test_flowcharts_are_drawn_as_svg_with_a_text_alternative(client, world, cat):
    html = client.get(reverse("publicity:flowcharts")).content.decode()
    assert "<svg" in html and 'role="img"' in html and "文字版流程" in html
    svg = client.get(reverse("publicity:flowchart_svg", args=["FC-1"]))
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content


def test_guide_sample_downloads_only_once_published(client, world, cat):
    m = catalog_actions.add_material(
        world.sysadmin, cat.guide, name="申请书", sample=("申请书.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n")
    )
    url = reverse("publicity:material_sample", args=[m.pk])
    assert client.get(url).status_code == 404
    catalog_actions.publish_list(world.sysadmin, world.a, ListKind.GUIDES, effective_on=timezone.localdate())
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "申请书.pdf" in client.get(reverse("publicity:posts")).content.decode()


def test_portal_works_before_anything_is_published(client, world):
    for name, args in PAGES:
        if args and name != "publicity:versions":
            continue
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert "本清单尚未发布" in client.get(reverse("publicity:items")).content.decode()


@pytest.mark.parametrize("path", ["/portal/", "/portal/items/", "/portal/people/"])
def test_portal_pages_are_reachable_by_a_user_who_must_change_password(client, world, cat, path):
    with unrecorded_writes():  # test set-up written around the actions layer
        world.officer.must_change_password = True
        world.officer.save()
    client.force_login(world.officer)
    assert client.get(path).status_code == 200

"""Staff pages of the catalog and of complaints: each role sees and changes what it may, and is refused the rest."""

import pytest
from django.urls import reverse

from tests.catalog.factories import build_catalog
from zhifa.catalog import serialize, tabular
from zhifa.catalog.choices import TableKind
from zhifa.catalog.models import EnforcementItem, ListVersion


@pytest.fixture
def cat(world):
    return build_catalog(world)


def _pages(world, cat):
    a = world.a.pk
    return [
        reverse("catalog:agency_home", args=[a]),
        reverse("catalog:law_list", args=[a]),
        reverse("catalog:law_detail", args=[a, cat.law.pk]),
        reverse("catalog:item_list", args=[a]),
        reverse("catalog:item_detail", args=[a, cat.item.pk]),
        reverse("catalog:random_list", args=[a]),
        reverse("catalog:av_list", args=[a]),
        reverse("catalog:guide_list", args=[a]),
        reverse("catalog:guide_detail", args=[a, cat.guide.pk]),
        reverse("catalog:flowchart_list", args=[a]),
        reverse("catalog:flowchart_detail", args=[a, cat.chart.pk]),
        reverse("catalog:version_list", args=[a, "items"]),
        reverse("catalog:version_detail", args=[a, "items", 1]),
        reverse("catalog:export", args=[a, "items", "xlsx"]),
    ]


def _edit_pages(world, cat):
    a = world.a.pk
    return [
        reverse("catalog:law_create", args=[a]),
        reverse("catalog:item_create", args=[a]),
        reverse("catalog:item_edit", args=[a, cat.item.pk]),
        reverse("catalog:item_benchmarks", args=[a, cat.item.pk]),
        reverse("catalog:random_create", args=[a]),
        reverse("catalog:av_create", args=[a]),
        reverse("catalog:guide_create", args=[a]),
        reverse("catalog:flowchart_create", args=[a]),
        reverse("catalog:publish", args=[a, "items"]),
        reverse("catalog:import", args=[a, "items"]),
    ]


def test_anonymous_is_sent_to_login(client, world, cat):
    for url in _pages(world, cat) + _edit_pages(world, cat) + [reverse("catalog:complaints")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_staff_read_their_agencys_catalog(login, world, cat):
    for person in (world.officer, world.head, world.reviewer, world.supervisor, world.sysadmin):
        client = login(person)
        for url in _pages(world, cat):
            assert client.get(url).status_code == 200, (person, url)


def test_other_agency_and_the_security_and_audit_admins_are_refused(login, world, cat):
    for person in (world.officer_b, world.secadmin, world.auditor):
        client = login(person)
        for url in _pages(world, cat)[:-1]:
            assert client.get(url).status_code == 404, (person, url)
        home = client.get(reverse("catalog:home"))
        if person == world.officer_b:
            assert home.url == reverse("catalog:agency_home", args=[world.b.pk])  # their own agency
        else:
            assert home.status_code == 403


def test_only_the_system_admin_opens_edit_pages(login, world, cat):
    for person in (world.officer, world.head, world.supervisor):
        client = login(person)
        for url in _edit_pages(world, cat):
            assert client.get(url).status_code == 403, (person, url)
        response = client.post(
            reverse("catalog:item_retire", args=[world.a.pk, cat.item.pk]), {"reason": "x"}
        )
        assert response.status_code == 403
    client = login(world.sysadmin)
    for url in _edit_pages(world, cat):
        assert client.get(url).status_code == 200, url


def test_admin_changes_an_item_and_publishes_and_the_old_version_stays(login, world, cat):
    client = login(world.sysadmin)
    url = reverse("catalog:item_edit", args=[world.a.pk, cat.item.pk])
    response = client.post(
        url,
        {
            "code": "ignored",
            "name": "新名称",
            "kind": "penalty",
            "unit": world.section.pk,
            "violated": "《医疗机构管理条例》第二十六条",
            "penalty": "《医疗机构管理条例》第46条",
            "order": 0,
        },
    )
    assert response.status_code == 302
    item = EnforcementItem.objects.get(pk=cat.item.pk)
    assert item.code == "A-001" and item.name == "新名称"  # the code cannot be changed
    response = client.post(
        reverse("catalog:publish", args=[world.a.pk, "items"]),
        {"effective_on": "2099-01-01", "note": "改名"},
        follow=True,
    )
    assert "已发布第2版" in response.content.decode()
    versions = ListVersion.objects.filter(agency=world.a, kind="items").order_by("number")
    assert [v.number for v in versions] == [1, 2]
    old = client.get(reverse("catalog:version_detail", args=[world.a.pk, "items", 1])).content.decode()
    assert "对诊疗活动超出登记范围的行政处罚" in old and "新名称" not in old


def test_item_form_reports_unknown_citations(login, world, cat):
    client = login(world.sysadmin)
    response = client.post(
        reverse("catalog:item_create", args=[world.a.pk]),
        {
            "code": "N-1",
            "name": "x",
            "kind": "penalty",
            "violated": "《不存在》第一条",
            "order": 0,
        },
    )
    assert response.status_code == 200 and "法规库中没有《不存在》" in response.content.decode()


def test_import_page_lists_bad_rows_and_changes_nothing(login, world, cat):
    headers = serialize.HEADERS[TableKind.ITEMS]
    row = {h: "" for h in headers} | {"事项编码": "N-2", "事项名称": "", "事项类别": "行政处罚"}
    data = tabular.write_csv(headers, [[row[h] for h in headers]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.sysadmin)
    response = client.post(
        reverse("catalog:import", args=[world.a.pk, "items"]),
        {"file": SimpleUploadedFile("x.csv", data, "text/csv")},
    )
    html = response.content.decode()
    assert "未导入任何内容" in html and "“事项名称”不能为空" in html
    assert not EnforcementItem.objects.filter(code="N-2").exists()


def test_law_status_page_flags_items(login, world, cat):
    client = login(world.sysadmin)
    response = client.post(
        reverse("catalog:law_status", args=[world.a.pk, cat.law.pk]),
        {"status": "repealed", "on": "2026-01-01", "note": "废止"},
        follow=True,
    )
    assert "2个事项已标记" in response.content.decode()
    home = client.get(reverse("catalog:agency_home", args=[world.a.pk])).content.decode()
    assert "依据已变更，待调整" in home and "A-001" in home


def test_flowchart_form_round_trips(login, world, cat):
    client = login(world.sysadmin)
    url = reverse("catalog:flowchart_edit", args=[world.a.pk, cat.chart.pk])
    response = client.post(
        url,
        {
            "code": "FC-1",
            "title": "简易程序",
            "procedure": "simple_penalty",
            "order": 0,
            "steps": "a|出示证件|开始\nb|是否当场处罚|判断|200元以下\nc|结束|结束",
            "arrows": "a>b\nb>c|是",
        },
    )
    assert response.status_code == 302
    detail = client.get(reverse("catalog:flowchart_detail", args=[world.a.pk, cat.chart.pk])).content.decode()
    assert "<svg" in detail and "是否当场处罚" in detail
    bad = client.post(
        url,
        {"code": "FC-1", "title": "x", "procedure": "other", "order": 0, "steps": "没有竖线", "arrows": ""},
    )
    assert "格式不正确" in bad.content.decode()


def test_export_downloads(login, world, cat):
    client = login(world.officer)
    for table in TableKind:
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("catalog:export", args=[world.a.pk, table.value, fmt]))
            assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert client.get(reverse("catalog:export", args=[world.a.pk, "items", "pdf"])).status_code == 404
    assert client.get(reverse("catalog:export", args=[world.a.pk, "nothing", "csv"])).status_code == 404


def test_each_list_retires_its_entries_with_a_reason(login, world, cat):
    a = world.a.pk
    pages = [
        ("catalog:item_retire", cat.item, reverse("catalog:item_detail", args=[a, cat.item.pk])),
        ("catalog:random_retire", cat.random, reverse("catalog:random_list", args=[a])),
        ("catalog:av_retire", cat.av, reverse("catalog:av_list", args=[a])),
        ("catalog:guide_retire", cat.guide, reverse("catalog:guide_list", args=[a])),
        ("catalog:flowchart_retire", cat.chart, reverse("catalog:flowchart_list", args=[a])),
    ]
    for name, obj, back in pages:
        url = reverse(name, args=[a, obj.pk])
        assert login(world.officer).post(url, {"reason": "职能调整"}).status_code == 403
        assert login(world.sysadmin).get(url).status_code == 405  # POST only
        response = login(world.sysadmin).post(url, {"reason": "职能调整"})
        assert response.status_code == 302 and response.url == back, name
        obj.refresh_from_db()
        assert obj.active is False, name

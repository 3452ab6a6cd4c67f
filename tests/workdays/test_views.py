"""Pages: the year calendar, entry and import for administrators, deadline kinds, deadlines; denials."""

import datetime as dt

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from zhifa.ledger.tracking import unrecorded_writes
from zhifa.org import actions as org_actions
from zhifa.org.choices import Role
from zhifa.workdays import actions, queries
from zhifa.workdays.models import AgencyDeadlineSetting, CalendarYear, DeadlineKind

D = dt.date


def test_calendar_page_shows_holidays_make_up_days_and_source(world, login):
    client = login(world.officer)
    page = client.get(reverse("workdays:calendar_year", args=[2026]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026年工作日历" in html and "已确认" in html
    assert "chinesecalendar" in html  # the data source
    assert "2026-10-10" in html and "调休上班" in html and "国庆节" in html
    assert "录入或修改本年安排" not in html  # officers do not maintain the calendar


def test_estimated_year_is_marked(world, login):
    page = login(world.officer).get(reverse("workdays:calendar") + "?year=2027")
    html = page.content.decode()
    assert page.status_code == 200
    assert "估算" in html and "不含调休上班日" in html


def test_calendar_out_of_range_is_not_found(world, login):
    assert login(world.officer).get(reverse("workdays:calendar_year", args=[1999])).status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    page = client.get(reverse("workdays:calendar"))
    assert page.status_code == 302 and "/login/" in page["Location"]


@pytest.mark.parametrize("who", ["officer", "head", "secadmin", "auditor", "supervisor", "officer_b"])
@pytest.mark.parametrize("name", ["workdays:year_edit", "workdays:year_import"])
def test_only_system_admins_enter_a_year(world, login, who, name):
    client = login(getattr(world, who))
    assert client.get(reverse(name, args=[2027])).status_code == 403
    assert client.post(reverse(name, args=[2027]), {"text": "2027-01-01 holiday 元旦"}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_enters_a_year_by_the_form(world, login):
    assert login(world.sysadmin).get(reverse("workdays:year_edit", args=[2027])).status_code == 403
    client = login(world.platform)
    page = client.get(reverse("workdays:year_edit", args=[2027]))
    assert page.status_code == 200 and 'value="劳动节"' in page.content.decode()
    data = {
        "confirmed": "on",
        "notice": "国办发明电〔2026〕1号",
        "f-TOTAL_FORMS": "3",
        "f-INITIAL_FORMS": "0",
        "f-MIN_NUM_FORMS": "0",
        "f-MAX_NUM_FORMS": "20",
        "f-0-name": "春节",
        "f-0-first": "2027-02-05",
        "f-0-last": "2027-02-11",
        "f-0-workdays": "2027-02-20",
        "f-1-name": "元旦",
        "f-1-first": "2027-01-01",
        "f-1-last": "",
        "f-1-workdays": "",
    }
    page = client.post(reverse("workdays:year_edit", args=[2027]), data)
    assert page.status_code == 302
    record = CalendarYear.objects.get(year=2027)
    assert record.confirmed and record.notice == "国办发明电〔2026〕1号"
    assert record.days.count() == 7 + 1 + 1
    # The form shows the entered year back, festival by festival.
    html = client.get(reverse("workdays:year_edit", args=[2027])).content.decode()
    assert 'value="2027-02-05"' in html and "2027-02-20" in html


def test_form_refuses_a_weekday_make_up_day(world, login):
    data = {
        "confirmed": "on",
        "notice": "",
        "f-TOTAL_FORMS": "1",
        "f-INITIAL_FORMS": "0",
        "f-MIN_NUM_FORMS": "0",
        "f-MAX_NUM_FORMS": "20",
        "f-0-name": "春节",
        "f-0-first": "2027-02-05",
        "f-0-last": "2027-02-11",
        "f-0-workdays": "2027-02-15",
    }
    page = login(world.platform).post(reverse("workdays:year_edit", args=[2027]), data)
    assert page.status_code == 200
    assert "调休上班日应为星期六或星期日" in page.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_import_page_names_the_bad_line_and_imports_a_good_file(world, login):
    client = login(world.platform)
    url = reverse("workdays:year_import", args=[2027])
    page = client.post(url, {"text": "2027-01-01 holiday 元旦\n2027-01-0x holiday 元旦\n", "confirmed": "on"})
    assert page.status_code == 200 and "第2行" in page.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("2027.txt", "2027-01-01 holiday 元旦\n".encode(), content_type="text/plain")
    page = client.post(url, {"file": upload, "confirmed": "on", "notice": "通知"})
    assert page.status_code == 302
    assert CalendarYear.objects.get(year=2027).confirmed


def test_kinds_page_and_who_edits_what(world, login):
    html = login(world.officer).get(reverse("workdays:kinds")).content.decode()
    assert "《行政处罚法》第六十一条" in html and "送达行政处罚决定书" in html
    assert "/agencies/" not in html.split("<tbody>")[1] and "修改</a>" not in html
    # The agency's system administrator may set the changeable kinds for their agency only.
    client = login(world.sysadmin)
    html = client.get(reverse("workdays:kinds")).content.decode()
    url = reverse("workdays:kind_agency", args=["statement_defence", world.a.pk])
    assert url in html
    assert client.get(reverse("workdays:kind_agency", args=["service", world.a.pk])).status_code == 403
    assert (
        client.get(reverse("workdays:kind_agency", args=["statement_defence", world.b.pk])).status_code == 403
    )
    assert client.get(reverse("workdays:kind_edit", args=["service"])).status_code == 403
    assert client.post(url, {"length": "5", "reason": "本局规定"}).status_code == 302
    assert AgencyDeadlineSetting.objects.get(agency=world.a).length == 5
    assert client.post(url, {"length": "5", "clear": "1"}).status_code == 302
    assert not AgencyDeadlineSetting.objects.exists()


def test_officer_cannot_set_agency_lengths(world, login):
    client = login(world.officer)
    url = reverse("workdays:kind_agency", args=["statement_defence", world.a.pk])
    assert client.post(url, {"length": "9"}).status_code == 403
    assert not AgencyDeadlineSetting.objects.exists()


def test_superuser_edits_a_platform_kind(world, login):
    root = org_actions.add_person(
        None, world.a, username="root", password="Pl@tform2026x", full_name="平台", must_change_password=False
    )
    with unrecorded_writes():  # test set-up written around the actions layer
        root.is_superuser = True
        root.save()
    client = login(root)
    assert (
        reverse("workdays:kind_edit", args=["legal_review"])
        in client.get(reverse("workdays:kinds")).content.decode()
    )
    kind = DeadlineKind.objects.get(code="legal_review")
    data = {
        "name": kind.name,
        "legal_basis": kind.legal_basis,
        "start_event": kind.start_event,
        "length": "7",
        "unit": kind.unit,
        "direction": kind.direction,
        "holiday_rule": kind.holiday_rule,
        "agency_may_change": "on",
        "extension_length": "",
        "max_extensions": "",
        "note": kind.note,
    }
    assert client.post(reverse("workdays:kind_edit", args=["legal_review"]), data).status_code == 302
    assert DeadlineKind.objects.get(code="legal_review").length == 7


def _deadline(world, **kwargs):
    return actions.open_deadline(
        world.officer,
        agency=world.a,
        kind=kwargs.pop("kind", "service"),
        target=world.section,
        start=kwargs.pop("start", D(2026, 9, 1)),
        responsible=world.officer,
        label="甲卫罚〔2026〕8号",
        **kwargs,
    )


def test_deadline_pages_are_scoped(world, login):
    d = _deadline(world)
    assert login(world.officer_b).get(reverse("workdays:deadline_detail", args=[d.pk])).status_code == 404
    assert "甲卫罚" not in login(world.officer_b).get(reverse("workdays:deadlines")).content.decode()
    page = login(world.supervisor).get(reverse("workdays:deadline_detail", args=[d.pk]))
    assert page.status_code == 200 and "中止（须负责人批准）" not in page.content.decode()  # reads only
    html = login(world.officer).get(reverse("workdays:deadline_detail", args=[d.pk])).content.decode()
    assert "2026-09-10" in html and "中止（须负责人批准）" in html


def test_suspend_and_resume_through_the_page(world, login):
    d = _deadline(world)
    client = login(world.officer)
    url = reverse("workdays:deadline_change", args=[d.pk, "suspend"])
    page = client.post(url, {"on": "2026-09-03", "reason": "", "approver": world.head.pk}, follow=True)
    assert "这个字段是必填项" in page.content.decode() or "必填" in page.content.decode()
    client.post(url, {"on": "2026-09-03", "reason": "当事人下落不明", "approver": world.head.pk})
    d.refresh_from_db()
    assert d.suspended_since == D(2026, 9, 3)
    client.post(reverse("workdays:deadline_change", args=[d.pk, "resume"]), {"on": "2026-09-08"})
    d.refresh_from_db()
    assert (d.suspended_since, d.due) == (None, D(2026, 9, 15))
    assert (
        login(world.officer_b)
        .post(reverse("workdays:deadline_change", args=[d.pk, "meet"]), {"on": "2026-09-09"})
        .status_code
        == 404
    )


def test_home_include_lists_my_deadlines_soonest_first_with_marks(world):
    late = _deadline(world, start=D(2026, 9, 1))  # due 9/10
    soon = _deadline(world, start=D(2026, 9, 14))  # due 9/23
    later = _deadline(world, kind="decision", start=D(2026, 9, 14))  # due 12/13
    with time_machine.travel(dt.datetime(2026, 9, 21, 9, tzinfo=dt.UTC), tick=False):
        rows = queries.my_deadlines(world.officer)
        assert [r["deadline"].pk for r in rows] == [late.pk, soon.pk, later.pk]
        assert [r["state"] for r in rows] == ["overdue", "due_soon", "open"]
        html = render_to_string(
            "workdays/_home.html",
            {"deadlines": rows, "calendar_warnings": queries.calendar_warnings(world.officer)},
        )
    assert "已超期" in html and "即将到期" in html and "我的期限" in html
    assert queries.my_deadlines(world.officer2) == []
    assert len(queries.my_deadlines(world.head)) == 3  # the 负责人 sees the agency's open deadlines


def test_november_warning_for_administrators_only(world):
    with time_machine.travel(dt.datetime(2026, 10, 31, 9, tzinfo=dt.UTC), tick=False):
        assert queries.calendar_warnings(world.platform) == []
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), tick=False):
        assert queries.calendar_warnings(world.sysadmin) == []  # an agency's admin does not keep the calendar
        warnings = queries.calendar_warnings(world.platform)
        assert len(warnings) == 1 and "2027年节假日安排尚未确认" in warnings[0]["message"]
        assert queries.calendar_warnings(world.officer) == []
        html = render_to_string("workdays/_home.html", {"deadlines": [], "calendar_warnings": warnings})
        assert "2027年节假日安排尚未确认" in html
        actions.import_calendar_text(
            world.platform, year=2027, text="2027-01-01 holiday 元旦\n", confirmed=True
        )
        assert queries.calendar_warnings(world.platform) == []


def test_nav_has_the_calendar(world, login):
    html = login(world.officer).get(reverse("workdays:kinds")).content.decode()
    assert reverse("workdays:calendar") in html
    assert world.officer.roles.filter(role=Role.OFFICER).exists()

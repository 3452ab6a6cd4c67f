"""The agency's records settings (RecordsPolicy, issue 12 item 14): the case-file retention periods, the threshold
of unusual access to evidence and the record-kind → AV-act map are agency data with defaults, set by the agency's
system administrator through the action, the page and the API; the archive, the access log and the AV check read
the agency's values."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.records.test_evidence import add, case  # noqa: F401
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import RecordKind
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.ledger.models import Entry
from zhifa.org.choices import Role
from zhifa.records import access, archive, evidence, ingest, rules
from zhifa.records.demo import complete_file
from zhifa.records.models import RecordsPolicy
from zhifa.records.policy import set_records_policy, settings_for

VALUES = {"retention_general": 50, "retention_simple": 15, "access_burst_count": 3, "access_burst_minutes": 5}


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")


def _av_item(cw, code="seizure", act="查封扣押", mode="full"):
    from zhifa.catalog import actions as catalog_actions

    catalog_actions.save_av_item(
        None,
        cw.a,
        act_code=code,
        seq=1,
        act=act,
        stage="investigation",
        place="现场",
        mode=mode,
        device="执法记录仪",
        recorder="执法人员",
        content="全过程",
    )


# The action -------------------------------------------------------------------------------------------------------


def test_defaults_without_a_row_and_the_action_sets_them_with_a_ledger_entry(cw):
    assert settings_for(cw.a) == rules.RECORDS_DEFAULTS
    policy = set_records_policy(cw.sysadmin, cw.a, **VALUES, basis="甲省档案规定")
    s = settings_for(cw.a)
    assert (s.retention_general, s.retention_simple, s.access_burst_count, s.access_burst_minutes) == (
        50,
        15,
        3,
        5,
    )
    assert s.record_acts == rules.RECORDS_DEFAULTS.record_acts  # left out: kept
    entry = Entry.objects.filter(action="records.set_records_policy").get()
    assert entry.object_id == str(policy.pk) and entry.actor_id == cw.sysadmin.pk
    assert settings_for(cw.b) == rules.RECORDS_DEFAULTS  # agency B is untouched


def test_only_the_agencys_system_admin_and_bad_values_change_nothing(cw):
    sys_b = cw.person(cw.b, "sys_b", "乙系统管理员", Role.SYSTEM_ADMIN)
    for person in (cw.officer, cw.head, cw.supervisor, sys_b):
        with pytest.raises(ActionDenied, match="系统管理员"):
            set_records_policy(person, cw.a, **VALUES)
    with pytest.raises(RuleViolation, match=f"1至{rules.RETENTION_MAX}年"):
        set_records_policy(cw.sysadmin, cw.a, **{**VALUES, "retention_general": 0})
    with pytest.raises(RuleViolation, match="不少于2次"):
        set_records_policy(cw.sysadmin, cw.a, **{**VALUES, "access_burst_count": 1})
    with pytest.raises(RuleViolation, match=f"1至{rules.BURST_MINUTES_MAX}分钟"):
        set_records_policy(cw.sysadmin, cw.a, **{**VALUES, "access_burst_minutes": 100000})
    with pytest.raises(RuleViolation, match="nonsense"):
        set_records_policy(cw.sysadmin, cw.a, **VALUES, record_acts={"nonsense": "seizure"})
    _av_item(cw)  # once the agency has an AV list, the acts named must be on it
    with pytest.raises(RuleViolation, match="no-such-act"):
        set_records_policy(cw.sysadmin, cw.a, **VALUES, record_acts={"seizure": "no-such-act"})
    assert not RecordsPolicy.objects.exists()
    assert not Entry.objects.filter(action="records.set_records_policy").exists()
    set_records_policy(sys_b, cw.b, **VALUES)  # B's admin sets B's
    assert settings_for(cw.b).retention_general == 50


@given(
    times=st.lists(st.integers(min_value=0, max_value=120), max_size=30),
    count=st.integers(min_value=2, max_value=8),
    minutes=st.integers(min_value=1, max_value=30),
)
def test_burst_rule(times, count, minutes):
    """A burst is ``count`` openings within ``minutes``: the same as the brute-force count over every window."""
    start = dt.datetime(2026, 6, 1, 9, 0)
    ats = sorted(start + dt.timedelta(minutes=t) for t in times)
    expected = any(sum(1 for b in ats if a <= b <= a + dt.timedelta(minutes=minutes)) >= count for a in ats)
    assert rules.burst(ats, count, minutes) is expected


@given(kind=st.sampled_from(RecordKind.values), in_room=st.booleans(), own=st.sampled_from(["", "hearing"]))
def test_act_of_reads_the_map(kind, in_room, own):
    acts = {"seizure": "a1", "inquiry": "a2", rules.INQUIRY_IN_CASE_ROOM: "a3"}
    got = rules.act_of(kind, {"in_case_room": in_room, "act_code": own}, acts)
    if own:
        assert got == own
    elif kind == "inquiry":
        assert got == ("a3" if in_room else "a2")
    else:
        assert got == acts.get(kind)


# What reads them ---------------------------------------------------------------------------------------------------


def test_the_archive_records_the_agencys_retention(cw, tmp_path):
    c = cw.new_case()
    case_actions.request_filing(cw.officer, c)
    case_actions.approve_filing(cw.head, c, opinion="同意立案")
    data = b"%PDF-1.4\n%%EOF\n"
    path = tmp_path / "e"
    path.write_bytes(data)
    evidence.add_evidence(
        cw.officer,
        c,
        received=ingest.Received(path, hashlib.sha256(data).hexdigest(), len(data)),
        kind="documentary",
        description="书证",
    )
    assert archive.retention_years(c) == rules.RECORDS_DEFAULTS.retention_general
    set_records_policy(cw.sysadmin, cw.a, **VALUES)
    case_actions.terminate(cw.head, c, reason="违法事实不能成立")
    complete_file(c, [cw.officer, cw.officer2])
    c.refresh_from_db()
    archive.archive_case(cw.head, c)
    assert Entry.objects.filter(action="records.archive_case").exists()
    c.refresh_from_db()
    with open(tmp_path / "c.zip", "wb") as fh:
        assert archive.package(c, fh)["retention_years"] == 50


def test_the_access_log_flags_by_the_agencys_threshold(cw, case, tmp_path, client):  # noqa: F811
    item = add(cw, case, tmp_path)
    client.force_login(cw.officer)
    for _i in range(VALUES["access_burst_count"]):
        client.get(reverse("records:evidence_file", args=[item.pk]) + "?download=1")
    assert not [f for f in access.flags({cw.a.pk}) if f["what"] == "burst"]  # 3 < the default 20
    set_records_policy(cw.sysadmin, cw.a, **VALUES)
    [flag] = [f for f in access.flags({cw.a.pk}) if f["what"] == "burst"]
    assert (flag["person"], flag["burst_count"], flag["burst_minutes"]) == (str(cw.officer), 3, 5)
    client.force_login(cw.supervisor)
    page = client.get(reverse("records:access_log")).content.decode()
    assert "5 分钟内调阅或下载证据达 3 次以上" in page
    assert reverse("records:policy") in page


def _onsite(cw, case):  # noqa: F811
    return case_actions.add_record(
        cw.officer,
        case,
        kind=RecordKind.ONSITE,
        data={"observations": "无证行医"},
        started_at=timezone.now(),
        place="甲区健康路1号",
        officers=[cw.officer, cw.officer2],
        certificates_shown=cw.certs(),
    )


def test_the_av_check_uses_the_agencys_map(cw, case):  # noqa: F811
    _av_item(cw, code="walk-in", act="现场检查（全程）")

    def onsite():
        return _onsite(cw, case)

    onsite()  # by the default map an on-site record is "on-site-inspection", not on this agency's list
    set_records_policy(cw.sysadmin, cw.a, **VALUES, record_acts={"onsite": "walk-in"})
    with pytest.raises(RuleViolation, match="现场检查（全程）"):
        onsite()
    # the record made before the map said so is flagged as missing its recording
    assert [(f["act"], f["level"]) for f in evidence.av_flags(case)] == [("现场检查（全程）", "bad")]


def test_the_figures_count_av_completeness_as_the_case_page_judges_it(cw, case, tmp_path):  # noqa: F811
    from tests.records.test_evidence import mp4
    from zhifa.supervision import figures

    _av_item(cw, code="walk-in", act="现场检查（全程）")

    def onsite():
        return _onsite(cw, case)

    onsite()  # made before the map named its act: now missing its recording
    set_records_policy(cw.sysadmin, cw.a, **VALUES, record_acts={"onsite": "walk-in"})
    add(cw, case, tmp_path, mp4(tmp_path), kind="audiovisual", description="现场检查视频", act_code="walk-in")
    onsite()  # with its recording
    today = timezone.localdate()
    figures.build(cw.a, today, today)
    total = figures.totals([cw.a.pk], today, today)[(cw.a.pk, "")]
    assert (total["av_due"], total.get("av_complete")) == (2, 1)
    assert total["av_due"] - total["av_complete"] == len(evidence.av_flags(case))  # the case page's flags
    assert figures.shown(total)["av_complete_rate"] == 50.0
    by_officer = figures.totals([cw.a.pk], today, today, figures.OFFICER)
    officer2 = by_officer[(cw.a.pk, str(cw.officer2.pk))]
    assert (officer2["av_due"], officer2["av_complete"]) == (2, 1)
    by_unit = figures.totals([cw.a.pk], today, today, figures.UNIT)
    assert by_unit[(cw.a.pk, str(case.unit_id or ""))]["av_due"] == 2


# The page and the API ---------------------------------------------------------------------------------------------


def test_page(cw, login):
    url = reverse("records:policy")
    page = login(cw.officer).get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "一般程序案卷保管期限" in html and "平台默认值" in html
    assert "修改设置" not in html
    assert login(cw.officer).post(url, {"retention_general": "5"}).status_code == 403
    assert login(cw.auditor).get(url).status_code == 403
    assert login(cw.officer_b).get(url, {"agency": cw.a.pk}).status_code == 403
    admin = login(cw.sysadmin)
    assert "修改设置" in admin.get(url).content.decode()
    form = {
        **{k: str(v) for k, v in VALUES.items()},
        "record_acts": "seizure=seizure\nhearing=hearing",
        "basis": "",
    }
    refused = admin.post(url, {**form, "access_burst_count": "1"})
    assert refused.status_code == 200 and "不少于2次" in refused.content.decode()
    bad = admin.post(url, {**form, "record_acts": "seizure"})
    assert bad.status_code == 200 and "格式不正确" in bad.content.decode()
    assert not RecordsPolicy.objects.exists()
    assert admin.post(url, form).status_code == 302
    policy = RecordsPolicy.objects.get(agency=cw.a)
    assert (policy.retention_general, policy.record_acts) == (
        50,
        {"seizure": "seizure", "hearing": "hearing"},
    )
    assert "50" in login(cw.officer).get(url).content.decode()


def test_api(cw, login):
    url = reverse("records-policy-detail", args=[cw.a.pk])
    data = login(cw.officer).get(url).json()
    assert (
        data["is_default"] is True and data["retention_general"] == rules.RECORDS_DEFAULTS.retention_general
    )
    assert data["record_acts"] == rules.RECORDS_DEFAULTS.record_acts
    b = login(cw.officer_b).get(reverse("records-policy-list")).json()
    assert [p["agency"] for p in b] == [cw.b.pk]
    assert login(cw.officer_b).get(url).status_code == 404
    assert login(cw.auditor).get(url).status_code == 404
    sys_b = cw.person(cw.b, "sys_b", "乙系统管理员", Role.SYSTEM_ADMIN)
    body = {**VALUES, "record_acts": {"seizure": "seizure"}, "basis": "甲省规定"}
    assert login(cw.officer).put(url, body, content_type="application/json").status_code == 403
    assert login(sys_b).put(url, body, content_type="application/json").status_code == 404
    bad = login(cw.sysadmin).put(url, {**body, "retention_simple": 500}, content_type="application/json")
    assert bad.status_code == 400 and f"1至{rules.RETENTION_MAX}年" in bad.content.decode()
    assert not RecordsPolicy.objects.exists()
    ok = login(cw.sysadmin).put(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["is_default"] is False
    assert ok.json()["access_burst_count"] == 3 and ok.json()["record_acts"] == {"seizure": "seizure"}
    assert settings_for(cw.a).access_burst_minutes == 5


# The reviewer ratio (review.ReviewPolicy) ---------------------------------------------------------------------------


def test_reviewer_ratio_default_comes_from_the_rules_and_the_action_sets_it(cw):
    from zhifa.review import actions as review_actions
    from zhifa.review import queries as review_queries
    from zhifa.review import rules as review_rules
    from zhifa.review.models import ReviewPolicy

    assert review_rules.REVIEWER_RATIO_DEFAULT == Decimal("0.05")
    assert ReviewPolicy._meta.get_field("reviewer_ratio").default == review_rules.REVIEWER_RATIO_DEFAULT
    assert review_queries.staffing(cw.a)["ratio"] == review_rules.REVIEWER_RATIO_DEFAULT
    with pytest.raises(ActionDenied, match="系统管理员"):
        review_actions.set_policy(cw.officer, cw.a, reviewer_ratio=Decimal("0.1"), discussion_quorum=3)
    review_actions.set_policy(cw.sysadmin, cw.a, reviewer_ratio=Decimal("0.1"), discussion_quorum=3)
    assert review_queries.staffing(cw.a)["ratio"] == Decimal("0.1")


def test_review_policy_page(cw, login):
    from zhifa.review.models import ReviewPolicy

    url = reverse("review:policy")
    page = login(cw.officer).get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "0.05" in html and "修改法制审核设置" not in html
    assert login(cw.officer).post(url, {"reviewer_ratio": "0.2", "discussion_quorum": "3"}).status_code == 403
    assert login(cw.auditor).get(url).status_code == 403
    assert login(cw.officer_b).get(url, {"agency": cw.a.pk}).status_code == 403
    admin = login(cw.sysadmin)
    assert "修改法制审核设置" in admin.get(url).content.decode()
    refused = admin.post(url, {"reviewer_ratio": "1.5", "discussion_quorum": "3"})
    assert refused.status_code == 200 and "比例应在0到1之间" in refused.content.decode()
    assert not ReviewPolicy.objects.filter(agency=cw.a).exists()
    assert admin.post(url, {"reviewer_ratio": "0.08", "discussion_quorum": "4"}).status_code == 302
    policy = ReviewPolicy.objects.get(agency=cw.a)
    assert (policy.reviewer_ratio, policy.discussion_quorum) == (Decimal("0.08"), 4)


def test_review_policy_api(cw, login):
    from zhifa.review.models import ReviewPolicy

    url = reverse("review-policy-detail", args=[cw.a.pk])
    data = login(cw.officer).get(url).json()
    assert data["is_default"] is True and Decimal(data["reviewer_ratio"]) == Decimal("0.05")
    assert [p["agency"] for p in login(cw.officer_b).get(reverse("review-policy-list")).json()] == [cw.b.pk]
    assert login(cw.officer_b).get(url).status_code == 404
    sys_b = cw.person(cw.b, "sys_b", "乙系统管理员", Role.SYSTEM_ADMIN)
    body = {"reviewer_ratio": "0.1", "discussion_quorum": 3}
    assert login(cw.officer).put(url, body, content_type="application/json").status_code == 403
    assert login(sys_b).put(url, body, content_type="application/json").status_code == 404
    bad = login(cw.sysadmin).put(url, {**body, "discussion_quorum": 1}, content_type="application/json")
    assert bad.status_code == 400 and "不少于2人" in bad.content.decode()
    assert not ReviewPolicy.objects.filter(agency=cw.a).exists()
    ok = login(cw.sysadmin).put(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["is_default"] is False
    assert ReviewPolicy.objects.get(agency=cw.a).reviewer_ratio == Decimal("0.1")

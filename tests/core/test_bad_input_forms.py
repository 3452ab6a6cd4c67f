"""Bad input across the forms (issue 13): NUL, control and bidi characters, 100,000-character text, wrong types and
huge numbers are refused on the re-shown form with a Chinese message, and nothing is stored or ledgered.

Each form is also submitted once with the valid data the bad values were put into, so a refusal is the bad value's.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.cases.conftest import clock, cw  # noqa: F401
from tests.catalog.factories import build_catalog
from tests.conftest import PASSWORD
from tests.review.conftest import all_pass, rw  # noqa: F401
from zhifa.cases import actions as case_actions
from zhifa.cases.models import Case, Party
from zhifa.catalog.models import EnforcementItem
from zhifa.ledger.models import Entry
from zhifa.publicity.models import Complaint
from zhifa.records.models import Evidence
from zhifa.review import actions as review_actions
from zhifa.review.models import Opinion

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HUGE = str(2**70)

# (value put into a text field, what the re-shown form says)
BAD_TEXT = [
    ("正常\x00文本", "文本中不能含有空字符（NUL）"),
    ("合同\u202egpj.exe", "改变文字方向的控制字符（U+202E）"),
    ("说明\u2066隔离\u2069", "改变文字方向的控制字符（U+2066）"),
    ("响铃\x07字符", "控制字符（U+0007）"),
    ("长" * 100_000, "文本过长：每项不能超过 50000 个字符"),
]


def state(*models):
    return tuple(m.objects.count() for m in models) + (Entry.objects.count(),)


def refused(client, url, data, expect, models, files=None):
    """POST ``data``; the form comes back (200) or the request is refused (400) with ``expect``, nothing stored."""
    cache.clear()  # the portal's rate limit counts every submission
    before = state(*models)
    payload = dict(data)
    for name, content in (files or {}).items():
        payload[name] = io.BytesIO(content[1])
        payload[name].name = content[0]
    response = client.post(url, payload)
    html = response.content.decode()
    assert response.status_code in (200, 400), (url, response.status_code)
    assert expect in html, (expect, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S))
    assert state(*models) == before
    return response


def each_text(client, url, data, fields, models, files=None):
    for field in fields:
        for value, expect in BAD_TEXT:
            refused(client, url, {**data, field: value}, expect, models, files)


def test_login_form(client, world):
    url = reverse("login")
    data = {"username": "officer_a", "password": PASSWORD}
    each_text(client, url, data, ["username", "password"], [])
    assert "_auth_user_id" not in client.session
    # A wrong type (a list where one value is expected) is only a failed login, and says so.
    response = client.post(url, {"username": ["a", "b"], "password": "x"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_party_form(cw, login):  # noqa: F811
    client = login(cw.officer)
    url = reverse("cases:party_create")
    data = {
        "kind": "natural",
        "name": "王五",
        "id_type": "passport",
        "id_number": "E12345678",
        "address": "广州市天河区某路1号",
        "phone": "020-12345678",
    }
    each_text(client, url, data, ["name", "address", "phone"], [Party])
    refused(client, url, {**data, "kind": HUGE}, "选择一个有效的选项", [Party])
    refused(client, url, {**data, "id_type": ["x", "\x00"]}, "选择一个有效的选项", [Party])
    r = client.post(url, data)
    assert r.status_code == 302, re.findall(
        r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', r.content.decode(), re.S
    )
    assert Party.objects.filter(name="王五").exists()


def test_case_form(cw, login):  # noqa: F811
    client = login(cw.officer)
    url = reverse("cases:create")
    data = {
        "party": cw.clinic.pk,
        "cause": "擅自执业",
        "source": "inspection",
        "field": cw.medical.pk,
        "unit": cw.section.pk,
        "officers": [cw.officer.pk, cw.officer2.pk],
        "summary": "……",
        "violation_date": cw.clock.today.isoformat(),
    }
    each_text(client, url, data, ["cause", "summary"], [Case])
    refused(client, url, {**data, "party": HUGE}, "选择一个有效的选项", [Case])
    refused(client, url, {**data, "party": "abc"}, "选择一个有效的选项", [Case])
    refused(client, url, {**data, "officers": [cw.officer.pk, HUGE]}, "不是一个有效的值", [Case])
    refused(client, url, {**data, "violation_date": "2026-02-30"}, "输入一个有效的日期", [Case])
    refused(client, url, {**data, "violation_date": HUGE}, "输入一个有效的日期", [Case])
    assert client.post(url, data).status_code == 302 and Case.objects.filter(cause="擅自执业").exists()


def test_complaint_form(client, world):
    url = reverse("publicity:complaint_new")
    data = {
        "kind": "complaint",
        "subject": "执法人员未出示证件",
        "content": "3月1日在某诊所检查时，执法人员未出示执法证件。",
        "name": "李四",
        "phone": "13800000000",
    }
    each_text(client, url, data, ["subject", "content", "name", "target"], [Complaint])
    refused(client, url, {**data, "kind": HUGE}, "选择一个有效的选项", [Complaint])
    refused(client, url, {**data, "email": "a@\u202eexample.com"}, "改变文字方向的控制字符", [Complaint])
    # A file where text is expected is ignored as text: the required text is missing.
    refused(
        client,
        url,
        {**data, "subject": ""},
        "该字段是必填项",
        [Complaint],
        files={"subject": ("a.txt", b"x")},
    )
    cache.clear()
    response = client.post(url, data)
    assert response.status_code == 200 and 'id="receipt"' in response.content.decode()


def test_evidence_description(cw, login):  # noqa: F811
    case = cw.new_case()
    case_actions.request_filing(cw.officer, case)
    case_actions.approve_filing(cw.head, case, opinion="同意立案")
    client = login(cw.officer)
    url = reverse("records:evidence_upload", args=[case.pk])
    data = {"kind": "documentary", "description": "书证扫描", "source": "现场提取"}
    files = {"file": ("scan.pdf", PDF)}
    each_text(client, url, data, ["description", "source", "place"], [Evidence], files)
    refused(client, url, {**data, "latitude": HUGE}, "确认总共不超过 9 个数字", [Evidence], files)
    refused(client, url, {**data, "latitude": "NaN"}, "输入一个数字", [Evidence], files)
    refused(client, url, {**data, "collected_at": "abc"}, "输入一个有效的日期/时间", [Evidence], files)
    payload = {**data, "file": io.BytesIO(PDF)}
    payload["file"].name = "scan.pdf"
    response = client.post(url, payload)
    assert response.status_code == 302 and Evidence.objects.count() == 1


def test_review_opinion(rw, login):  # noqa: F811
    case = rw.investigate(rw.new_case())
    rw.notice(case)
    case_actions.waive_statement(rw.officer, case, signer="李康宁")
    case.refresh_from_db()
    s = rw.submit(case)
    review_actions.assign(rw.head, s, reviewers=[rw.reviewer])
    client = login(rw.reviewer)
    url = reverse("review:opinion", args=[s.pk])
    data = {f"{code}_result": result["result"] for code, result in all_pass().items()}
    data.update({f"{code}_comment": "" for code in all_pass()})
    data.update({"outcome": "agree", "summary": "同意。"})
    each_text(client, url, data, ["summary", "subject_comment"], [Opinion])
    refused(client, url, {**data, "outcome": HUGE}, "选择一个有效的选项", [Opinion])
    refused(client, url, {**data, "subject_result": "\u202epass"}, "选择一个有效的选项", [Opinion])
    assert client.post(url, data).status_code == 302 and Opinion.objects.count() == 1


@pytest.fixture
def cat(world):
    return build_catalog(world)


def test_catalog_item_form(login, world, cat):
    client = login(world.sysadmin)
    url = reverse("catalog:item_create", args=[world.a.pk])
    data = {
        "code": "N-9",
        "name": "对擅自执业的行政处罚",
        "kind": "penalty",
        "unit": world.section.pk,
        "violated": "《医疗机构管理条例》第二十六条",
        "penalty": "《医疗机构管理条例》第46条",
        "order": 0,
    }
    each_text(client, url, data, ["code", "name", "basis_note", "hearing_note"], [EnforcementItem])
    refused(client, url, {**data, "order": HUGE}, "数值超出允许的范围", [EnforcementItem])
    refused(client, url, {**data, "order": str(-(2**70))}, "数值超出允许的范围", [EnforcementItem])
    refused(client, url, {**data, "order": "-1"}, "确保该值大于或等于0", [EnforcementItem])
    refused(client, url, {**data, "order": "1e400"}, "输入整数", [EnforcementItem])
    refused(client, url, {**data, "unit": HUGE}, "选择一个有效的选项", [EnforcementItem])
    assert client.post(url, data).status_code == 302
    assert EnforcementItem.objects.filter(code="N-9").exists()


def test_the_rules_hold_for_a_form_added_later(db):
    """A new form gets the rules without doing anything: they are in Django's fields themselves."""
    from django import forms

    from zhifa.core.forms import PayloadField
    from zhifa.org.models import Agency

    class NewForm(forms.Form):
        text = forms.CharField(required=False)
        email = forms.EmailField(required=False)
        count = forms.IntegerField(required=False)
        amount = forms.DecimalField(required=False)
        agencies = forms.ModelMultipleChoiceField(queryset=Agency.objects.all(), required=False)
        image = PayloadField(required=False)

    def errors(**data):
        form = NewForm(data)
        assert not form.is_valid()
        return " ".join(str(m) for messages in form.errors.values() for m in messages)

    assert "改变文字方向的控制字符（U+202E）" in errors(text="a\u202eb")
    assert "改变文字方向的控制字符（U+202E）" in errors(email="a\u202e@example.com")
    assert "文本过长" in errors(text="x" * 50_001)
    assert "数值超出允许的范围" in errors(count=str(2**63))
    assert "数值超出允许的范围" in errors(amount=str(10**15))
    assert "不是一个有效的值" in errors(agencies=[HUGE])
    assert "控制字符（U+001B）" in errors(image="data:\x1b")
    ok = NewForm(
        {"text": "x" * 50_000, "count": str(2**63 - 1), "amount": "999999999999999", "image": "y" * 200_000}
    )
    assert ok.is_valid(), ok.errors
    assert NewForm({"text": "阿拉伯文\u200f标记\u200e可用"}).is_valid()

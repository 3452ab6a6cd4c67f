"""Bad input across the API (issue 13): NUL, control and bidi characters, 100,000-character text, wrong types (a list
for a string, a string for a number), huge numbers, non-object bodies and bad content types are refused with 400 (415
for a content type that is not JSON or a form) and a Chinese message, and nothing is stored or ledgered.

Each endpoint is also sent once with the valid body the bad values were put into, so a refusal is the bad value's.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection

from tests.cases.conftest import clock, cw  # noqa: F401
from tests.conftest import _credit
from tests.fingerprint import fingerprint
from tests.review.conftest import all_pass, rw  # noqa: F401
from zhifa.cases.models import Case, Party
from zhifa.core import api as core_api
from zhifa.records.models import EvidenceUpload
from zhifa.review import actions as review_actions
from zhifa.review.models import Discussion, Opinion

HUGE = 2**70

# (value put into a text field, what the answer says)
BAD_TEXT = [
    ("正常\x00文本", "文本中不能含有空字符（NUL）"),
    ("合同\u202egpj.exe", "改变文字方向的控制字符（U+202E）"),
    ("说明\u2066隔离\u2069", "改变文字方向的控制字符（U+2066）"),
    ("响铃\x07字符", "控制字符（U+0007）"),
    ("长" * 100_000, "文本过长：每项不能超过 50000 个字符"),
]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def send(client, method, url, body, content_type="application/json"):
    """``body`` as JSON; bytes, and a str sent with another content type, as they are."""
    raw = isinstance(body, bytes) or (isinstance(body, str) and content_type != "application/json")
    data = body if raw else json.dumps(body)
    return client.generic(method, url, data=data, content_type=content_type)


def refused(client, url, body, expect=None, *, status=400, method="POST", content_type="application/json"):
    """Send ``body``: answered ``status`` with a Chinese message (containing ``expect`` when given); nothing stored."""
    before = fingerprint()
    response = send(client, method, url, body, content_type)
    text = response.content.decode()
    assert response.status_code == status, (url, response.status_code, text[:300])
    assert CHINESE.search(text), text[:300]
    if expect:
        assert expect in text, (expect, text[:300])
    assert fingerprint() == before, f"refused {url} changed something"
    return response


def each_bad(client, url, body, text_fields, int_fields=(), method="POST"):
    """Every text rule in every text field, a list and a number where text goes, text and huge numbers where an
    integer goes, and bodies that are not objects."""
    for field in text_fields:
        for value, expect in BAD_TEXT:
            refused(client, url, {**body, field: value}, expect, method=method)
        refused(client, url, {**body, field: ["列表"]}, method=method)
        refused(client, url, {**body, field: {"对象": 1}}, method=method)
    for field in int_fields:
        refused(client, url, {**body, field: "不是数字"}, method=method)
        refused(client, url, {**body, field: HUGE}, method=method)
        refused(client, url, {**body, field: -HUGE}, method=method)
    for not_object in ([], [body], "文本", 1, None):
        refused(client, url, not_object, method=method)
    refused(client, url, b'{"name": ', "JSON", method=method)  # broken JSON
    refused(client, url, "x", status=415, method=method, content_type="text/plain")
    # NUL in the query string is refused before the view runs
    refused(client, url + "?note=%00", body, "NUL", method=method)


@pytest.mark.django_db
def test_party_create(cw, client):  # noqa: F811
    client.force_login(cw.officer)
    url = "/api/v1/parties/"
    body = {
        "kind": "legal",
        "name": "乙区平安诊所",
        "id_type": "credit_code",
        "id_number": _credit("91350100M000200Y4"),
        "legal_representative": "王平安",
        "address": "乙区平安路2号",
        "phone": "0591-12345678",
    }
    each_bad(client, url, body, ["name", "address", "legal_representative", "phone"])
    refused(client, url, {**body, "kind": HUGE})
    refused(client, url, {**body, "kind": ["legal"]})
    count = Party.objects.count()
    assert send(client, "POST", url, body).status_code == 201
    assert Party.objects.count() == count + 1


@pytest.mark.django_db
def test_case_create(cw, client):  # noqa: F811
    client.force_login(cw.officer)
    url = "/api/v1/cases/"
    body = {
        "party": cw.clinic.pk,
        "cause": "未取得《医疗机构执业许可证》擅自执业",
        "source": "inspection",
        "field": cw.medical.pk,
        "unit": cw.section.pk,
        "officers": [cw.officer.pk, cw.officer2.pk],
        "summary": "监督检查发现该诊所未取得执业许可证开展诊疗活动。",
        "violation_date": (cw.clock.today - dt.timedelta(days=10)).isoformat(),
        "life_health_harm": False,
    }
    each_bad(client, url, body, ["cause", "summary", "place"], ["party", "field", "unit"])
    refused(client, url, {**body, "officers": [cw.officer.pk, HUGE]})
    refused(client, url, {**body, "officers": "不是列表"})
    refused(client, url, {**body, "violation_date": "2026-13-45"})
    assert send(client, "POST", url, body).status_code == 201
    assert Case.objects.filter(cause=body["cause"]).count() == 1


@pytest.mark.django_db
def test_evidence_upload(cw, client):  # noqa: F811
    case = cw.investigate(cw.new_case())
    client.force_login(cw.officer)
    url = "/api/v1/evidence-uploads/"
    body = {"case": case.pk, "size": 5, "name": "现场照片.jpg"}
    each_bad(client, url, body, ["name", "sha256"], ["case"])
    refused(client, url, {**body, "size": "五"})
    refused(client, url, {**body, "size": HUGE})
    response = send(client, "POST", url, body)
    assert response.status_code == 201
    upload = EvidenceUpload.objects.get(pk=response.json()["id"])

    complete = f"/api/v1/evidence-uploads/{upload.pk}/complete/"
    meta = {"kind": "documentary", "description": "现场照片", "record": "", "document": ""}
    for field in ("description", "place", "source"):
        for value, expect in BAD_TEXT:
            refused(client, complete, {**meta, field: value}, expect)
    refused(client, complete, {**meta, "record": HUGE}, "编号须为 1 到")
    refused(client, complete, {**meta, "document": "不是编号"}, "编号须为 1 到")
    for not_object in ([], "文本", 7):
        refused(client, complete, not_object, "JSON 对象")
    refused(client, complete, "kind=documentary", status=415, content_type="text/csv")
    # not all bytes are in: the upload itself refuses, in Chinese
    refused(client, complete, meta, "文件尚未上传完整")


@pytest.mark.django_db
def test_review_opinion_assign_and_discussion(rw, client):  # noqa: F811
    case = rw.investigate(rw.new_case())
    rw.notice(case)
    from zhifa.cases import actions as case_actions

    case_actions.waive_statement(rw.officer, case, signer="李康宁")
    case.refresh_from_db()
    s = rw.submit(case)

    client.force_login(rw.head)
    assign = f"/api/v1/reviews/{s.pk}/assign/"
    refused(client, assign, {"reviewers": [HUGE]})
    refused(client, assign, {"reviewers": ["审核人员"]})
    refused(client, assign, {"reviewers": rw.reviewer.pk})
    refused(client, assign, {"reviewers": []})
    refused(client, f"/api/v1/reviews/{HUGE}/assign/", {"reviewers": [rw.reviewer.pk]}, status=404)
    review_actions.assign(rw.head, s, reviewers=[rw.reviewer])

    client.force_login(rw.reviewer)
    url = f"/api/v1/reviews/{s.pk}/opinion/"
    body = {"points": all_pass(), "outcome": "agree", "summary": "同意。"}
    each_bad(client, url, body, ["summary"])
    first = next(iter(body["points"]))
    for value, expect in BAD_TEXT:
        points = {**body["points"], first: {"result": "pass", "comment": value}}
        refused(client, url, {**body, "points": points}, expect)
    refused(client, url, {**body, "points": {**body["points"], first: {"result": "\u202epass"}}})
    refused(client, url, {**body, "outcome": HUGE})
    refused(client, url, {**body, "points": ["pass"] * 9})
    assert send(client, "POST", url, body).status_code == 200
    assert Opinion.objects.filter(submission=s).count() == 1

    client.force_login(rw.head)
    discussions = "/api/v1/discussions/"
    talk = {"case": case.pk, "held_on": "2026-06-10", "place": "第一会议室", "participants": [rw.head.pk]}
    refused(client, discussions, {**talk, "participants": [HUGE]})
    refused(client, discussions, {**talk, "case": HUGE})
    refused(client, discussions, {**talk, "case": "案件"})
    for value, expect in BAD_TEXT:
        refused(client, discussions, {**talk, "place": value}, expect)
    assert Discussion.objects.count() == 0


@pytest.mark.django_db
def test_list_pagination_and_filters(cw, client):  # noqa: F811
    cw.new_case()
    client.force_login(cw.officer)
    # the case list is cut by cursor (tests/cases/test_api_cursor.py): its limit is bounded the same way
    for query in (f"limit={2**63}", f"limit={HUGE}", "limit=-1", "limit=abc"):
        response = client.get(f"/api/v1/cases/?{query}")
        assert response.status_code == 200, (query, response.content[:200])
        assert len(response.json()["results"]) == 1
    # the other lists by limit/offset (the parties: the clinic and the person)
    for query in (f"limit={2**63}", f"limit={HUGE}", "limit=-1", "limit=abc", "offset=abc", "offset=-5"):
        response = client.get(f"/api/v1/parties/?{query}")
        assert response.status_code == 200, (query, response.content[:200])
        assert response.json()["count"] == 2
    assert len(client.get(f"/api/v1/parties/?limit={HUGE}").json()["results"]) == 2
    for offset in (2**63, HUGE, core_api.MAX_OFFSET + 1):
        response = client.get(f"/api/v1/parties/?offset={offset}")
        assert response.status_code == 400 and "偏移量（offset）不能超过" in response.content.decode()
    assert client.get(f"/api/v1/parties/?offset={core_api.MAX_OFFSET}").json()["results"] == []
    for url in ("/api/v1/cases/?state=%00", "/api/v1/parties/?search=a%00b", "/api/v1/cases/?%00=1"):
        response = client.get(url)
        assert response.status_code == 400 and "空字符（NUL）" in response.content.decode()
    assert client.get("/cases/?state=%00").status_code == 400  # pages too


def test_limit_is_capped_and_offset_bounded():
    """The pagination's bounds themselves (a list with more than MAX_LIMIT rows is not needed to show the cap)."""
    from django.test import RequestFactory
    from rest_framework.request import Request

    def page(query):
        return Request(RequestFactory().get("/api/v1/parties/?" + query))

    pagination = core_api.Pagination()
    assert pagination.get_limit(page(f"limit={10**9}")) == core_api.MAX_LIMIT
    assert pagination.get_limit(page(f"limit={HUGE}")) == core_api.MAX_LIMIT
    assert pagination.get_limit(page("limit=20")) == 20
    assert pagination.get_limit(page("limit=abc")) == pagination.default_limit
    assert pagination.get_offset(page("offset=abc")) == 0
    assert pagination.get_offset(page(f"offset={core_api.MAX_OFFSET}")) == core_api.MAX_OFFSET


@pytest.mark.django_db
def test_opinion_pdf_of_a_pending_round_is_404(rw, client):  # noqa: F811
    case = rw.investigate(rw.new_case())
    rw.notice(case)
    from zhifa.cases import actions as case_actions

    case_actions.waive_statement(rw.officer, case, signer="李康宁")
    s = rw.submit(case)
    client.force_login(rw.head)
    client.raise_request_exception = False
    response = client.get(f"/review/{s.pk}/opinion.pdf")
    assert response.status_code == 404


@pytest.mark.django_db
def test_rule_violation_escaping_a_page_is_a_400_page(cw, client, settings):  # noqa: F811
    """A page view that lets the actions layer's refusal through shows it on a 400 page, not a server error."""
    from django.urls import path

    from zhifa.core.errors import RuleViolation

    def refusing(request):
        raise RuleViolation("本案已结案，不能再修改。")

    module = type("urls", (), {})
    from zhifa import urls as real

    module.urlpatterns = [path("refusing/", refusing), *real.urlpatterns]
    settings.ROOT_URLCONF = module
    client.force_login(cw.officer)
    client.raise_request_exception = False
    response = client.get("/refusing/")
    assert response.status_code == 400
    assert "本案已结案，不能再修改。" in response.content.decode()


@pytest.mark.django_db
def test_ids_in_query_strings(cw, client):  # noqa: F811
    """An id filter that is not an id is refused (400), one out of range too; a real one filters."""
    case = cw.investigate(cw.new_case())
    client.force_login(cw.officer)
    for url in ("/api/v1/evidence/", "/api/v1/documents/", "/api/v1/remedies/"):
        for value in ("abc", str(HUGE), "-1", "0"):
            response = client.get(f"{url}?case={value}")
            assert response.status_code == 400, (url, value, response.status_code)
            assert "编号须为 1 到" in response.content.decode()
        assert client.get(f"{url}?case={case.pk}").status_code == 200
    assert client.get(f"/api/v1/catalog/items/?agency={HUGE}").status_code == 400
    assert client.get(f"/api/v1/catalog/items/?agency={cw.a.pk}").status_code == 200
    response = client.get(f"/api/v1/cases/simple-filing-period/?agency={HUGE}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_huge_numbers_in_page_filters_are_a_400_page(cw, client):  # noqa: F811
    """Page filters that reach the database with a number beyond 64 bits (SQLite cannot bind it) are refused."""
    cw.new_case()
    client.force_login(cw.head)
    client.raise_request_exception = False
    for url in (
        f"/cases/?officer={HUGE}",
        f"/org/people/?agency={HUGE}",
        f"/records/access-log/?case={HUGE}",
    ):
        response = client.get(url)
        if connection.vendor == "sqlite":
            assert response.status_code == 400, (url, response.status_code)
            assert "数值超出允许范围" in response.content.decode()
        else:  # PostgreSQL compares such a number with an integer column: an empty result
            assert response.status_code == 200, (url, response.status_code)

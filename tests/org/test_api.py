"""The REST API: scoped like the pages, token auth with hashed tokens, errors in Chinese."""

import pytest
from django.utils import timezone

from zhifa.org import actions
from zhifa.org.models import Certificate


@pytest.fixture
def bearer(client):
    def _bearer(person):
        _token, raw = actions.create_api_token(person, name="测试")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _bearer


def test_anonymous_gets_401(client, world):
    assert client.get("/api/v1/people/").status_code in (401, 403)


def test_officer_lists_only_own_agency_people(client, world, bearer):
    headers = bearer(world.officer)
    response = client.get("/api/v1/people/", **headers)
    assert response.status_code == 200
    names = {p["full_name"] for p in response.json()["results"]}
    assert "甲执法二" in names and "乙执法" not in names
    assert client.get(f"/api/v1/people/{world.officer_b.pk}/", **headers).status_code == 404
    assert client.get(f"/api/v1/agencies/{world.b.pk}/", **headers).status_code == 404
    agencies = {a["code"] for a in client.get("/api/v1/agencies/", **headers).json()["results"]}
    assert agencies == {"agency-a"}


def test_bad_revoked_and_expired_tokens_are_refused(client, world):
    token, raw = actions.create_api_token(world.officer, name="临时", days=1)
    assert client.get("/api/v1/people/", HTTP_AUTHORIZATION="Bearer zf_nonsense").status_code == 401
    actions.revoke_api_token(world.officer, token)
    response = client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401 and "吊销" in response.json()["detail"]
    _token2, raw2 = actions.create_api_token(world.officer, name="过期", days=1)
    import time_machine

    with time_machine.travel(timezone.now() + timezone.timedelta(days=2)):
        assert client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {raw2}").status_code == 401


def test_certificate_actions_by_api(client, world, bearer):
    cert = world.officer.certificates.get()
    url = f"/api/v1/certificates/{cert.pk}/suspend/"
    response = client.post(url, {"reason": "暂扣"}, content_type="application/json", **bearer(world.officer2))
    assert response.status_code == 403
    response = client.post(url, {"reason": ""}, content_type="application/json", **bearer(world.sysadmin))
    assert response.status_code == 400
    response = client.post(url, {"reason": "暂扣"}, content_type="application/json", **bearer(world.sysadmin))
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    response = client.post(url, {"reason": "再次"}, content_type="application/json", **bearer(world.sysadmin))
    assert response.status_code == 400 and "不能进行此操作" in str(response.json())


def test_issue_certificate_by_api_refuses_bad_dates_in_chinese(client, world, bearer):
    body = {
        "person": world.head.pk,
        "number": "API-1",
        "fields": ["medical"],
        "issuer": "甲区人民政府",
        "valid_from": "2026-05-01",
        "valid_to": "2026-01-01",
    }
    response = client.post(
        "/api/v1/certificates/", body, content_type="application/json", **bearer(world.sysadmin)
    )
    assert response.status_code == 400
    assert not Certificate.objects.filter(number="API-1").exists()
    body["valid_to"] = "2028-01-01"
    response = client.post(
        "/api/v1/certificates/", body, content_type="application/json", **bearer(world.sysadmin)
    )
    assert response.status_code == 201
    body["person"] = world.officer_b.pk
    body["number"] = "API-2"
    response = client.post(
        "/api/v1/certificates/", body, content_type="application/json", **bearer(world.sysadmin)
    )
    assert response.status_code == 404


def test_audit_admin_reads_no_people_by_api(client, world, bearer):
    response = client.get("/api/v1/people/", **bearer(world.auditor))
    assert response.status_code == 200 and response.json()["results"] == []


def test_schema_and_offline_docs(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/people/" in schema.content
    docs = client.get("/api/v1/docs").content.decode()
    # Every asset the page loads is served by the platform itself (an offline deployment has no CDN). The check
    # looks at the addresses only: the page also carries a random token, which may spell anything (it once held
    # "cdn" and failed a run).
    import re

    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", docs)
    assets += re.findall(r"""(?:url|dom_id|SwaggerUIBundle)\s*[:(]\s*["']([^"']+)["']""", docs)
    assert "swagger-ui" in docs and assets
    assert all(not a.startswith(("http:", "https:", "//")) and "cdn" not in a.lower() for a in assets), assets
    assert "https://" not in docs and "http://" not in docs


def test_the_schema_is_generated_once_per_language(client, db, monkeypatch):
    """Generating the schema walks every serializer (a third of a second) on an address anyone may open: each process
    generates it once per language and serves that copy afterwards."""
    from drf_spectacular.generators import SchemaGenerator

    from zhifa.core import api_schema

    monkeypatch.setattr(api_schema, "_SCHEMAS", {})
    calls = []
    real = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    first = client.get("/api/v1/schema/").content
    assert client.get("/api/v1/schema/").content == first and len(calls) == 1
    english = client.get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="en").content
    assert len(calls) == 2 and english != first
    assert client.get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="en").content == english and len(calls) == 2


def test_the_schema_generates_without_a_warning(tmp_path, db):
    """Seen: two components named ReasonRequest, colliding enums, untyped path ids, an authenticator without its
    scheme. A new warning fails here."""
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "ReviewReasonRequest" in text and "CaseOutcomeEnum" in text and "cookieAuth" in text

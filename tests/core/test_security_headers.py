"""Security headers on every family of responses: Content-Security-Policy (django-csp), nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy, Permissions-Policy, framing; HSTS when served over HTTPS. The browser side — the pages
still work under the policy — is tests/e2e/test_csp.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.cases.conftest import clock, cw  # noqa: F401

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'none'"},
    "object-src": {"'none'"},
}


def _csp(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def _check(response, *, style=frozenset({"'self'"}), frame_ancestors=frozenset({"'none'"}), frame="DENY"):
    csp = _csp(response)
    for name, values in POLICY.items():
        expected = {"style-src": set(style), "frame-ancestors": set(frame_ancestors)}.get(name, values)
        assert csp.get(name) == expected, (response.request["PATH_INFO"], name, csp.get(name))
    h = response.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert {"camera=()", "microphone=()", "geolocation=()"} <= {
        p.strip() for p in h["Permissions-Policy"].split(",")
    }
    assert h.get("X-Frame-Options") == frame


ANONYMOUS = [
    "/login/",
    "/portal/",
    "/portal/ledger/",
    "/portal/certificates/verify/?number=CERT-0000",
    "/healthz",
    "/static/zhifa/zhifa.css",
    "/static/zhifa/zhifa.js",
    "/api/v1/people/",  # 401/403 JSON
    "/no-such-page/",  # 404
    "/django-admin/login/",
]
STAFF = ["/", "/cases/", "/password/", "/api/v1/people/", "/api/v1/schema/", "/org/people/"]


@pytest.mark.parametrize("url", ANONYMOUS)
def test_every_anonymous_response_carries_the_headers(client, world, url):
    # Static files are served before Django's X-Frame-Options middleware; frame-ancestors 'none' covers them.
    _check(client.get(url), frame=None if url.startswith("/static/") else "DENY")


@pytest.mark.parametrize("url", STAFF)
def test_every_staff_response_carries_the_headers(client, world, url):
    client.force_login(world.officer if url != "/org/people/" else world.secadmin)
    response = client.get(url)
    assert response.status_code == 200, url
    _check(response)


def test_the_api_docs_relax_inline_styles_for_themselves_only(client, world):
    """Swagger UI's page carries a <style> block and Swagger styles its elements inline; scripts stay files."""
    client.force_login(world.officer)
    page = client.get(reverse("api_docs"))
    assert page.status_code == 200
    _check(page, style={"'self'", "'unsafe-inline'"})
    html = page.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script on the API docs page"
    script = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    start = client.get(script)
    assert start.status_code == 200 and "SwaggerUIBundle" in start.content.decode()


def test_the_document_preview_may_be_framed_by_the_platform_only(client, cw):  # noqa: F811
    """The draft's PDF is shown in an <iframe> of the document and signature pages: framing by the platform's own
    pages is allowed for it (both headers agree), by anyone else not."""
    from tests.records.conftest import inquiry
    from zhifa.cases import actions as case_actions
    from zhifa.records import actions as record_actions

    case = cw.new_case()
    case_actions.request_filing(cw.officer, case)
    case_actions.approve_filing(cw.head, case, opinion="同意立案")
    case.refresh_from_db()
    cw.case = case
    inquiry(cw, case)
    doc = record_actions.generate_document(
        cw.officer, case, kind="inquiry_record", narrative={"qa": "问：？\n答：。"}
    )
    client.force_login(cw.officer)
    preview = client.get(reverse("records:preview", args=[doc.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    _check(preview, frame_ancestors={"'self'"}, frame="SAMEORIGIN")
    _check(client.get(reverse("records:document", args=[doc.pk])))  # the page around it: not framable


# Templates rendered to PDF by WeasyPrint, never served as pages: their <style> blocks are not under the policy.
PDF_TEMPLATES = re.compile(r"(/records/documents/|_pdf\.html$)")
INLINE = re.compile(
    r"""(\sstyle\s*=|<style[\s>]|<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*["']|javascript:)""",
    re.IGNORECASE,
)


def test_no_page_template_has_inline_script_or_style():
    """What the policy would block: style attributes and blocks, inline scripts and handlers, javascript: links."""
    root = Path(__file__).resolve().parents[2] / "zhifa"
    found = []
    for path in root.rglob("templates/**/*.html"):
        if PDF_TEMPLATES.search(path.as_posix()):
            continue
        for match in INLINE.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("https", [True, False])
def test_hsts_is_sent_when_served_over_https(tmp_path, https):
    env = {k: v for k, v in os.environ.items() if k not in ("ZHIFA_DATABASE_URL", "ZHIFA_REDIS_URL")}
    env.update(ZHIFA_VAR_DIR=str(tmp_path), ZHIFA_HTTPS="true" if https else "false")
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'zhifa.settings'; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/static/zhifa/zhifa.css', secure=True, HTTP_HOST='localhost')\n"
        "print(r.status_code, r.headers.get('Strict-Transport-Security', '-'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    status, hsts = out.split(maxsplit=1)
    assert status == "200"
    assert hsts.strip() == ("max-age=31536000" if https else "-")

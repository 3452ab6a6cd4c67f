"""Uploads are streamed to disk with their limit enforced while reading; request bodies are capped (issue 13, item 4).

The bodies are streamed through the test client (a WSGI input that produces its bytes as they are read), so the
60 MB never exist in this process unless the platform reads them; tracemalloc measures what the request allocates.
"""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django.urls import reverse

from tests.cases.conftest import clock, cw  # noqa: F401
from zhifa.cases import actions as case_actions
from zhifa.catalog.models import EnforcementItem
from zhifa.ledger.models import Entry
from zhifa.publicity.models import Complaint, ComplaintAttachment
from zhifa.records.models import Evidence, EvidenceUpload

MB = 1024 * 1024
BOUNDARY = "zhifaBoundary7MA4YWxkTrZu0gW"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMPLAINT = {
    "kind": "complaint",
    "subject": "执法人员未出示证件",
    "content": "3月1日在某诊所检查时，执法人员未出示执法证件。",
}


class StreamedBody(io.RawIOBase):
    """A multipart body whose file parts are ``size`` filler bytes made as they are read (never held whole)."""

    def __init__(self, fields: dict, files: list[tuple[str, str, bytes, int]]):
        self.pieces = []
        for name, value in fields.items():
            self.pieces.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for field, filename, head, size in files:
            self.pieces.append(
                (
                    f"--{BOUNDARY}\r\nContent-Disposition: form-data; name={field!r}; "
                    f"filename={filename!r}\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .replace("'", '"')
                .encode()
                + head
            )
            self.pieces.append(size - len(head))  # filler bytes, produced on demand
            self.pieces.append(b"\r\n")
        self.pieces.append(f"--{BOUNDARY}--\r\n".encode())
        self.length = sum(p if isinstance(p, int) else len(p) for p in self.pieces)
        self.sent = 0

    def readable(self):
        return True

    def read(self, size=-1):
        out = bytearray()
        want = self.length if size is None or size < 0 else size
        while want > 0 and self.pieces:
            piece = self.pieces[0]
            if isinstance(piece, int):
                n = min(piece, want, 64 * 1024)
                out += b"x" * n
                self.pieces[0] = piece - n
                if self.pieces[0] == 0:
                    self.pieces.pop(0)
            else:
                n = min(len(piece), want)
                out += piece[:n]
                self.pieces[0] = piece[n:]
                if not self.pieces[0]:
                    self.pieces.pop(0)
            want -= n
        self.sent += len(out)
        return bytes(out)


def post_streamed(client, url, fields, files):
    """POST a streamed multipart body; returns (response, bytes the server read, peak bytes allocated)."""
    body = StreamedBody(fields, files)
    tracemalloc.start()
    try:
        response = client.post(
            url,
            **{
                "wsgi.input": body,
                "CONTENT_LENGTH": str(body.length),
                "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            },
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, body.sent, peak


@pytest.fixture(autouse=True)
def _upload_dirs(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    settings.RECORDS_UPLOAD_DIR = tmp_path / "partial"


def leftovers(settings) -> list:
    media = settings.MEDIA_ROOT
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    return files + list(settings.FILE_UPLOAD_TEMP_DIR.iterdir())


# The public complaint form -------------------------------------------------------------------------------------


def test_60mb_complaint_is_refused_without_reading_it(client, world, settings):
    entries = Entry.objects.count()
    response, sent, peak = post_streamed(
        client, reverse("publicity:complaint_new"), COMPLAINT, [("attachments", "big.pdf", PDF, 60 * MB)]
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "提交的内容过大：每个文件不超过5 MB，合计不超过16 MB" in html and "未保存任何内容" in html
    assert sent == 0 and response["Connection"] == "close"  # refused on its declared length, nothing read
    assert peak < 10 * MB
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()
    assert Entry.objects.count() == entries and leftovers(settings) == []


def test_an_attachment_over_its_limit_is_stopped_while_it_arrives(client, world, settings):
    """10 MB is within the form's total (3 × 5 MB) but one attachment may be 5 MB: the count stops it at 5 MB and the
    files already written to disk are removed."""
    entries = Entry.objects.count()
    response, sent, peak = post_streamed(
        client,
        reverse("publicity:complaint_new"),
        COMPLAINT,
        [("attachments", "small.pdf", PDF, 1 * MB), ("attachments", "big.pdf", PDF, 10 * MB)],
    )
    assert response.status_code == 413
    assert "文件“big.pdf”超过大小限制（5 MB）" in response.content.decode()
    assert sent < 7 * MB and peak < 10 * MB
    assert not Complaint.objects.exists() and Entry.objects.count() == entries
    assert leftovers(settings) == []


def test_a_valid_complaint_with_an_attachment_still_works(client, world, settings):
    response, _sent, peak = post_streamed(
        client, reverse("publicity:complaint_new"), COMPLAINT, [("attachments", "scan.pdf", PDF, 2 * MB)]
    )
    assert response.status_code == 200 and 'id="receipt"' in response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.attachments.count() == 1
    assert list(settings.FILE_UPLOAD_TEMP_DIR.iterdir()) == []  # the temporary file is gone after the request


def test_anonymous_requests_have_the_lower_cap(client, world, settings):
    """Any page, not only the complaint form: a visitor's multipart body over ZHIFA_MAX_ANON_REQUEST_MB is 413."""
    settings.ZHIFA_MAX_ANON_REQUEST_BYTES = 2 * MB
    response, sent, _peak = post_streamed(
        client, reverse("login"), {"username": "x", "password": "y"}, [("f", "a.pdf", PDF, 3 * MB)]
    )
    assert response.status_code == 413 and sent == 0


def test_non_file_bodies_are_capped(client, world, login, settings):
    """Form fields and JSON are read into memory, so they are held to ZHIFA_MAX_BODY_MB; the API answers in JSON."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    big = "x" * (100 * 1024)
    page = client.post(reverse("login"), {"username": big, "password": "y"})
    assert page.status_code == 413 and "提交的内容过大" in page.content.decode()
    api = login(world.officer).post("/api/v1/parties/", {"name": big}, content_type="application/json")
    assert api.status_code == 413 and "提交的内容过大" in api.json()["detail"]


# An officer's evidence upload ----------------------------------------------------------------------------------


@pytest.fixture
def case(cw):  # noqa: F811
    c = cw.new_case()
    case_actions.request_filing(cw.officer, c)
    case_actions.approve_filing(cw.head, c, opinion="同意立案")
    c.refresh_from_db()
    return c


EVIDENCE = {"kind": "documentary", "description": "书证扫描"}


def test_evidence_page_streams_60mb_to_disk(cw, case, client, settings):  # noqa: F811
    client.force_login(cw.officer)
    url = reverse("records:evidence_upload", args=[case.pk])
    entries = Entry.objects.count()
    response, sent, peak = post_streamed(client, url, EVIDENCE, [("file", "clip.mp4", b"", 60 * MB)])
    # 60 MB is within the evidence limit: read in full, to a temporary file, hashed on the way — in constant memory;
    # then refused for its content (filler bytes are no video), leaving nothing behind.
    assert sent > 60 * MB and peak < 10 * MB
    assert response.status_code == 200 and "不支持该文件类型" in response.content.decode()
    assert not Evidence.objects.exists() and Entry.objects.count() == entries
    assert leftovers(settings) == []


def test_evidence_page_over_its_limit(cw, case, client, settings):  # noqa: F811
    settings.RECORDS_EVIDENCE_MAX_BYTES = 20 * MB
    client.force_login(cw.officer)
    url = reverse("records:evidence_upload", args=[case.pk])
    response, sent, peak = post_streamed(client, url, EVIDENCE, [("file", "a.pdf", PDF, 60 * MB)])
    assert response.status_code == 413 and sent == 0 and peak < 10 * MB
    assert "提交的内容过大：文件不超过20 MB" in response.content.decode()
    # Within the request's length but over the evidence limit: stopped while reading, a form error.
    response, sent, _peak = post_streamed(
        client, url, EVIDENCE, [("file", "a.pdf", PDF, 20 * MB + 512 * 1024)]
    )
    assert response.status_code == 200 and "文件超过允许的大小（不超过20 MB）" in response.content.decode()
    assert not Evidence.objects.exists() and leftovers(settings) == []
    # A small valid file still goes in.
    response, _sent, _peak = post_streamed(client, url, EVIDENCE, [("file", "a.pdf", PDF, len(PDF))])
    assert response.status_code == 302 and Evidence.objects.count() == 1


def test_resumable_piece_cannot_exceed_the_declared_size(cw, case, client, settings):  # noqa: F811
    """The PUT of a resumable upload reads the body in pieces to disk: a piece that would pass the size declared when
    the upload was opened is refused before it is read, and bytes beyond Content-Length are never read."""
    client.force_login(cw.officer)
    data = PDF + b"y" * 5000
    r = client.post(
        "/api/v1/evidence-uploads/", {"case": case.pk, "size": len(data)}, content_type="application/json"
    )
    uid = r.json()["id"]
    url = f"/api/v1/evidence-uploads/{uid}/"
    over = client.put(
        url, data + b"z" * 1000, content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="0"
    )
    assert over.status_code == 400 and "超过了声明的文件大小" in over.json()["detail"]
    assert EvidenceUpload.objects.get(pk=uid).received == 0
    # A body longer than its Content-Length: only Content-Length bytes are read.
    body = io.BytesIO(data[:3000] + b"z" * (60 * MB))
    r = client.put(
        url,
        **{"wsgi.input": body, "CONTENT_LENGTH": "3000", "CONTENT_TYPE": "application/octet-stream"},
        HTTP_UPLOAD_OFFSET="0",
    )
    assert r.status_code == 200 and r["Upload-Offset"] == "3000" and body.tell() <= 3000 + 64 * 1024


# The catalog import -----------------------------------------------------------------------------------------------


def test_catalog_import_upload_is_limited_while_reading(client, world, settings):
    client.force_login(world.sysadmin)
    url = reverse("catalog:import", args=[world.a.pk, "items"])
    entries = Entry.objects.count()
    items = EnforcementItem.objects.count()
    response, sent, peak = post_streamed(client, url, {}, [("file", "items.csv", b"", 60 * MB)])
    assert response.status_code == 413 and sent == 0 and peak < 10 * MB
    response, sent, peak = post_streamed(client, url, {}, [("file", "items.csv", b"a,b\n", 5 * MB + 1)])
    assert response.status_code == 413 and peak < 10 * MB
    assert "文件“items.csv”超过大小限制（5 MB）" in response.content.decode()
    assert EnforcementItem.objects.count() == items and Entry.objects.count() == entries
    assert leftovers(settings) == []


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("records:scan", 11 * MB),  # a signed document's scan: 10 MB and the form
        ("catalog:material_add", 11 * MB),  # a guide's sample form: 10 MB and the form
        ("records:evidence_upload", 8 * 1024 * MB + MB),  # evidence: the evidence limit and the form
    ],
)
def test_each_upload_page_has_its_own_limit(client, world, settings, name, limit):
    """The limit follows the page (checked before the view runs, whatever the object), not the site-wide cap."""
    client.force_login(world.officer)
    args = [world.a.pk, 1] if name.startswith("catalog:") else [1]
    url = reverse(name, args=args)
    declared = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "wsgi.input": io.BytesIO(b"")}
    over = client.post(url, **declared, CONTENT_LENGTH=str(limit + 1))
    assert over.status_code == 413
    within = client.post(
        url, **declared, CONTENT_LENGTH=str(min(limit, settings.ZHIFA_MAX_REQUEST_BYTES * 4))
    )
    assert within.status_code != 413

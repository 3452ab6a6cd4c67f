"""Uploaded file names are stored and sent back safe (issue 13, item 5): no path parts, no control or bidi
characters, RFC 6266/5987 headers."""

import hashlib
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tests.cases.conftest import clock, cw  # noqa: F401
from zhifa.core.filenames import MAX_LENGTH, disposition, safe_name


@given(st.text(max_size=400))
def test_a_safe_name_has_no_path_control_or_bidi_character(name):
    out = safe_name(name)
    assert out and len(out) <= MAX_LENGTH
    assert "/" not in out and "\\" not in out and not out.startswith(".")
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in out)
    header = disposition(name)
    assert "\n" not in header and "\r" not in header and header.startswith("attachment")


def test_the_seen_names():
    assert safe_name("../../../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\a\\证据.pdf") == "证据.pdf"
    assert safe_name("invoice\u202egpj.exe") == "invoicegpj.exe"  # the right-to-left override is gone
    assert safe_name("\x00\x1f") == "file" and safe_name("") == "file"
    assert safe_name("a" * 300 + ".pdf").endswith(".pdf") and len(safe_name("a" * 300 + ".pdf")) == MAX_LENGTH
    assert (
        disposition("现场照片 1.jpg")
        == "attachment; filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87%201.jpg"
    )


def test_an_evidence_download_sends_the_safe_name(cw, login, tmp_path):  # noqa: F811
    from zhifa.records import evidence, ingest

    case = cw.investigate(cw.new_case())
    data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    path = tmp_path / "in.pdf"
    path.write_bytes(data)
    item = evidence.add_evidence(
        cw.officer,
        case,
        received=ingest.Received(
            path,
            hashlib.sha256(data).hexdigest(),
            len(data),
            original_name="../../../../etc/pass\u202efdp.exe",
        ),
        kind="documentary",
        description="营业执照复印件",
    )
    assert item.original_name == "passfdp.exe"
    response = login(cw.officer).get(f"/records/evidence/{item.pk}/file?download=1")
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "passfdp.exe" in header and ".." not in header and "\u202e" not in header

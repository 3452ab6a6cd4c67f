"""Documents are made on cases walked through their life by the cases fixtures (``cw``, ``clock``)."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.utils import timezone

from tests.cases.conftest import clock, cw  # noqa: F401
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import RecordKind, ServiceMethod
from zhifa.records import actions


@pytest.fixture(autouse=True)
def _seal_dir(settings, tmp_path):
    settings.RECORDS_SEAL_DIR = tmp_path / "seal"


def signature_png(width: int = 120, height: int = 40) -> bytes:
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    ImageDraw.Draw(img).line((5, height - 5, width - 5, 5), fill=(0, 0, 0, 255), width=3)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def pdftotext(data: bytes) -> str:
    """The PDF's text with all blanks and line breaks removed (lines wrap anywhere in Chinese text), and the page
    footers taken out."""
    import re

    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"第\d+页共\d+页", "", "".join(result.stdout.decode().split()))


def pdffonts(data: bytes) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        return subprocess.run(["pdffonts", fh.name], capture_output=True, check=True).stdout.decode()


def pdfpages(data: bytes) -> int:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        info = subprocess.run(["pdfinfo", fh.name], capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"
)


@pytest.fixture
def decided(cw):  # noqa: F811
    """A general-procedure case decided with a warning and a 5,000 yuan fine, not yet served."""
    case = cw.investigate(cw.new_case())
    cw.notice(case)
    case.refresh_from_db()
    cw.clock.move_to(dt.date.fromisoformat(case.notice_snapshot["statement_due"]) + dt.timedelta(days=1))
    cw.decide(case)
    case.refresh_from_db()
    cw.case = case
    return cw


@pytest.fixture
def served(decided):
    case = decided.case
    decided.finalise(case, "service_receipt")
    case_actions.serve_decision(
        decided.officer,
        case,
        method=ServiceMethod.DIRECT,
        delivered_on=decided.clock.today,
        recipient="李康宁",
    )
    case.refresh_from_db()
    return decided


def sign_all(w, document, *, party: bool = True):
    """Both officers sign, and the party signs on the screen."""
    actions.sign_document(w.officer, document)
    actions.sign_document(w.officer2, document)
    if party:
        actions.capture_party_signature(w.officer, document, signer_name="李康宁", png=signature_png())


def inquiry(w, case, qa="问：你是谁？\n答：我是李康宁。"):
    return case_actions.add_record(
        w.officer,
        case,
        kind=RecordKind.INQUIRY,
        data={"person": "李康宁", "qa": qa},
        started_at=timezone.now(),
        place="甲区健康路1号",
        officers=[w.officer, w.officer2],
        certificates_shown=w.certs(),
    )


@pytest.fixture
def investigating(cw):  # noqa: F811
    """A filed case under investigation, with an inquiry record."""
    case = cw.new_case()
    case_actions.request_filing(cw.officer, case)
    case_actions.approve_filing(cw.head, case, opinion="同意立案")
    case.refresh_from_db()
    cw.case = case
    cw.inquiry = inquiry(cw, case)
    return cw


def finalised_inquiry(w, qa="问：你是谁？\n答：我是李康宁。"):
    """An inquiry record document, signed by both officers and the party, finalised."""
    doc = actions.generate_document(w.officer, w.case, kind="inquiry_record", narrative={"qa": qa})
    sign_all(w, doc)
    return actions.finalise_document(w.officer, doc)

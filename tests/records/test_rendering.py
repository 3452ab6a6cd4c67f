"""What the PDF and DOCX say: the 文号, the party and the amounts in figures and in 大写; the fonts embedded;
every kind lays out; and how long a page takes."""

import datetime as dt
import io
import time

import pytest
from docx import Document as Docx

from zhifa.cases.choices import PenaltyKind
from zhifa.records import actions, contexts, kinds, render, storage
from zhifa.records.choices import DocumentKind
from zhifa.records.decision_draft import current_draft  # the draft the decision bound
from zhifa.records.models import Document

from .conftest import needs_poppler, pdffonts, pdfpages, pdftotext

pytestmark = needs_poppler


def _decision(w):
    doc = current_draft(w.case)
    return actions.finalise_document(w.officer, doc)


def test_the_decision_pdf_states_number_party_and_amounts(decided):
    doc = _decision(decided)
    assert doc.number == "甲卫医罚〔2026〕1号"
    text = pdftotext(storage.read(doc.pdf_name, doc.pdf_sha256))
    assert "行政处罚决定书" in text and "甲卫医罚〔2026〕1号" in text
    assert "当事人：甲区康宁诊所" in text and "91350100M000100Y43" in text and "李康宁" in text
    assert "警告，罚款人民币伍仟元整（¥5,000.00）" in text
    assert (
        "十五日内" in text
        and "六十日内向甲区人民政府申请行政复议" in text
        and "六个月内依法向甲区人民法院" in text
    )
    assert "《医疗机构管理条例》第十四条" in text and "《医疗机构管理条例》第四十三条" in text
    assert "草稿" not in text


def test_a_large_amount_in_figures_and_words(cw):
    case = cw.investigate(
        cw.new_case(),
        kinds=(PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS),
        fine="12345.60",
        confiscation="100005",
    )
    from zhifa.cases import actions as case_actions

    notice = actions.finalise_document(
        cw.officer, actions.generate_document(cw.officer, case, kind=DocumentKind.HEARING_RIGHTS)
    )
    case_actions.issue_notice(cw.officer, case)  # the 听证告知书 served: the 事先告知 it backs
    text = pdftotext(storage.read(notice.pdf_name, notice.pdf_sha256))
    assert notice.number == "甲卫医听告〔2026〕1号"
    assert "罚款人民币壹万贰仟叁佰肆拾伍元陆角整（¥12,345.60）" in text
    assert "没收违法所得人民币壹拾万零伍元整（¥100,005.00）" in text
    assert "要求举行听证" in text and "五个工作日内" in text


def test_the_chinese_font_is_embedded_and_only_one_family_used(decided):
    doc = _decision(decided)
    fonts = pdffonts(storage.read(doc.pdf_name, doc.pdf_sha256))
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows, fonts
    assert all("WenQuanYi" in row[0] for row in rows), fonts
    assert all(row[-5] == "yes" for row in rows), fonts  # the "emb" column


def test_the_font_family_is_configurable(decided, settings):
    settings.RECORDS_FONT_FAMILIES = ["仿宋_GB2312", "FangSong"]
    doc = current_draft(decided.case)
    _content, ctx = render.draft_context(doc)
    html = render.html(doc, ctx)
    assert (
        'font-family: "仿宋_GB2312", "FangSong", "WenQuanYi Micro Hei"' in html
    )  # falls back when not licensed


def test_the_docx_says_the_same(decided):
    doc = _decision(decided)
    docx = Docx(io.BytesIO(storage.read(doc.docx_name, doc.docx_sha256)))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "甲卫医罚〔2026〕1号" in text and "行政处罚决定书" in text
    assert "警告，罚款人民币伍仟元整（¥5,000.00）。" in text
    assert "甲区康宁诊所" in text
    east_asia = docx.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asia == "仿宋_GB2312"


def test_a_draft_preview_is_marked_and_unnumbered(decided):
    doc = current_draft(decided.case)
    _content, ctx = render.draft_context(doc)
    data, box = render.pdf(render.html(doc, ctx))
    text = pdftotext(data)
    assert "草稿" in text and "（定稿时编号）" in text
    assert box is not None and box.page >= 0


# Every kind, from a synthetic case file (no database): the templates hold together, and the time per page ------


def _synthetic(kind: str) -> dict:
    data = {
        "agency": {
            "name": "甲区卫生健康局",
            "short_name": "甲卫",
            "region": "甲区",
            "address": "甲区政府路8号",
            "phone": "0000-1234567",
            "reconsideration_body": "甲区人民政府",
            "court": "甲区人民法院",
        },
        "case": {
            "reference": "甲卫案〔2026〕1号",
            "cause": "未取得《医疗机构执业许可证》擅自执业",
            "source": "监督检查",
            "filed_on": "2026-06-01",
            "accepted_on": "2026-06-01",
            "decided_on": "2026-06-20",
            "served_on": "2026-06-21",
            "payment_due": "2026-07-06",
            "demand_served_on": "2026-07-10",
            "hearing_on": "2026-06-18",
            "hearing_place": "听证室",
            "place": "甲区健康路1号",
            "hearing_chair": "甲听证",
            "unit": "医疗卫生监督科",
            "violated_provisions": "《医疗机构管理条例》第十四条",
            "penalty_provisions": "《医疗机构管理条例》第四十三条",
        },
        "party": {
            "name": "甲区康宁诊所",
            "kind": "法人",
            "natural": False,
            "id_type": "统一社会信用代码",
            "id_number": "91350100M000100Y43",
            "legal_representative": "李康宁",
            "address": "甲区健康路1号",
            "phone": "",
        },
        "officers": [
            {"name": "甲执法", "certificate": "CERT-0000"},
            {"name": "甲执法二", "certificate": "CERT-0001"},
        ],
        "record": {
            "place": "甲区健康路1号",
            "started_at": "2026-06-01T10:00+08:00",
            "ended_at": "2026-06-01T11:00+08:00",
            "due_on": "2026-07-01",
            "officers": [{"name": "甲执法", "certificate": "CERT-0000"}],
            "data": {},
        },
        "penalty": contexts.penalty_view(
            {"outcome": "penalty", "kinds": ["warning", "fine"], "fine": "5000.00"}
        ),
        "decision": {
            "violated_provisions": "《医疗机构管理条例》第十四条",
            "penalty_provisions": "第四十三条",
            "transfer_to": "甲区公安分局",
        },
        "decision_document": {"title": "行政处罚决定书", "number": "甲卫医罚〔2026〕1号"},
        "owed": {
            "fine": contexts.money(5000),
            "confiscation": contexts.money(0),
            "surcharge": contexts.money(300),
            "total": contexts.money(5300),
            "on": "2026-07-12",
        },
        "statement_period": "三个工作日",
        "hearing_period": "五个工作日",
        "reconsideration_period": "六十日",
        "litigation_period": "六个月",
        "hearing_eligible": True,
        "matters": contexts.approval_matters(),
        "payments": [],
        "services": [],
    }
    spec = kinds.spec(kind)
    narrative = {
        n.name: (n.choices[0] if n.choices else f"{n.label}的内容。\n第二段。") for n in spec.narrative
    }
    return {
        "kind": kind,
        "case": 1,
        "record": None,
        "version": 1,
        "dated": "2026-06-20",
        "narrative": narrative,
        "data": data,
    }


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_every_kind_renders_to_pdf_and_docx(kind):
    document = Document(kind=kind, dated=dt.date(2026, 6, 20), version=1)
    spec = kinds.spec(kind)
    ctx = render.template_context(document, _synthetic(kind), [], draft=False, number="甲卫医罚〔2026〕99号")
    html = render.html(document, ctx)
    data, box = render.pdf(html)
    text = pdftotext(data)
    assert spec.label in text and "甲区卫生健康局" in text
    assert (box is not None) == spec.seal
    for n in spec.narrative:
        if not n.choices and n.name not in ("payment", "items"):
            assert f"{n.label}的内容。" in text, (kind, n.name)
    docx = Docx(io.BytesIO(render.docx(html)))
    assert spec.label in "\n".join(p.text for p in docx.paragraphs)


def test_render_time_per_page(capsys):
    """WeasyPrint with one CJK family, every kind once: measured for the report, bounded loosely for slow machines."""
    pages, started = 0, time.perf_counter()
    for kind in DocumentKind.values:
        document = Document(kind=kind, dated=dt.date(2026, 6, 20), version=1)
        ctx = render.template_context(document, _synthetic(kind), [], draft=False, number="2026-0001")
        data, _box = render.pdf(render.html(document, ctx))
        pages += pdfpages(data)
    per_page = (time.perf_counter() - started) / pages
    with capsys.disabled():
        print(f"\nPDF rendering: {pages} pages, {per_page * 1000:.0f} ms per page")
    assert per_page < 2.0

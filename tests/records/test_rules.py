"""The rules of documents as pure functions, and the declared table of kinds."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from zhifa.cases.choices import State
from zhifa.records import contexts, kinds, rules, uploads
from zhifa.records.choices import DocumentKind
from zhifa.records.docxfile import blocks_from_html

from .conftest import signature_png

TEMPLATES = Path(__file__).resolve().parents[2] / "zhifa" / "records" / "templates" / "records" / "documents"


def test_document_number_with_wenhao_follows_article_4():
    assert (
        rules.document_number(
            agency_short_name="明卫", field_abbreviation="医", code="罚", year=2026, serial=12
        )
        == "明卫医罚〔2026〕12号"
    )


def test_document_number_with_bianhao_is_year_and_serial():
    number = rules.document_number(
        agency_short_name="明卫", field_abbreviation="医", code=None, year=2026, serial=7
    )
    assert number == "2026-0007"


def test_serials_start_at_one():
    with pytest.raises(ValueError):
        rules.document_number(
            agency_short_name="明卫", field_abbreviation="医", code="罚", year=2026, serial=0
        )


def test_sequence_key_per_kind_and_optionally_per_field():
    assert rules.sequence_key("penalty_decision") == "doc:penalty_decision"
    assert rules.sequence_key("penalty_decision", 3) == "doc:penalty_decision:f3"
    assert len(rules.sequence_key(max(DocumentKind.values, key=len), 10**9)) <= 40  # fits core.Sequence.key


def test_content_hash_is_canonical_and_sensitive():
    a = {"narrative": {"qa": "问：\n答：", "x": 1}, "kind": "inquiry_record"}
    b = {"kind": "inquiry_record", "narrative": {"x": 1, "qa": "问：\n答："}}
    assert rules.content_hash(a) == rules.content_hash(b)
    assert rules.content_hash(a) != rules.content_hash({**a, "narrative": {"qa": "问：\n答：是", "x": 1}})


def test_chinese_dates():
    assert rules.chinese_date(dt.date(2026, 6, 1)) == "2026年6月1日"
    assert rules.chinese_date("2026-12-31") == "2026年12月31日"
    assert rules.chinese_date("") == ""
    assert rules.chinese_datetime("2026-06-01T09:05:00+08:00") == "2026年6月1日9时05分"


def test_missing_signatures_count_only_the_current_content():
    req = rules.Requirement(officers=2, party=True)
    sigs = [
        rules.Sig("officer", "account", 1, "new"),
        rules.Sig("officer", "account", 1, "new"),  # the same officer twice counts once
        rules.Sig("officer", "account", 2, "old"),  # signed before the text changed
        rules.Sig("head", "account", 3, "new"),  # a head is not one of the officers
    ]
    assert rules.missing_signatures(req, sigs, "new") == ["officers:1", "party"]
    sigs += [rules.Sig("officer", "account", 2, "new"), rules.Sig("party", "refused", None, "new")]
    assert rules.missing_signatures(req, sigs, "new") == []


def test_chinese_counts():
    assert [contexts.cn_number(n) for n in (3, 5, 10, 15, 30, 60, 90)] == [
        "三",
        "五",
        "十",
        "十五",
        "三十",
        "六十",
        "九十",
    ]


# The declared table ----------------------------------------------------------------------------------------------

REQUIRED_KINDS = {
    "案件受理记录",
    "立案报告",
    "现场笔录",
    "询问笔录",
    "证据先行登记保存决定书",
    "查封扣押决定书",
    "案件调查终结报告",
    "合议记录",
    "卫生行政执法事项审批表",
    "行政处罚事先告知书",
    "陈述和申辩笔录",
    "行政处罚听证告知书",
    "行政处罚听证通知书",
    "听证笔录",
    "听证意见书",
    "行政处罚决定书",
    "当场行政处罚决定书",
    "送达回执",
    "催告书",
    "强制执行申请书",
    "结案报告",
    "卫生监督意见书",
}


def test_every_required_kind_is_declared_with_a_template():
    assert REQUIRED_KINDS <= {str(label) for label in DocumentKind.labels}
    assert set(kinds.KINDS) == set(DocumentKind.values)
    for spec in kinds.KINDS.values():
        assert (TEMPLATES / f"{spec.kind}.html").exists(), spec.kind


def test_kinds_are_made_in_real_states_and_never_after_archiving():
    for spec in kinds.KINDS.values():
        assert spec.states, spec.kind
        assert spec.states <= set(State.values), spec.kind
        assert State.ARCHIVED not in spec.states, spec.kind


def test_decisions_carry_a_wenhao_and_records_a_bianhao():
    assert kinds.number_code(kinds.spec(DocumentKind.PENALTY_DECISION)) == "罚"
    assert kinds.spec(DocumentKind.PENALTY_DECISION).seal
    assert not kinds.spec(DocumentKind.INQUIRY_RECORD).has_wenhao
    assert kinds.spec(DocumentKind.INQUIRY_RECORD).requirement(None) == rules.Requirement(
        officers=2, party=True
    )
    codes = [kinds.number_code(s) for s in kinds.KINDS.values() if s.has_wenhao]
    assert len(codes) == len(set(codes)), "two kinds share a 执法性质 code"


def test_number_codes_can_be_overridden(settings):
    settings.RECORDS_NUMBER_CODES = {DocumentKind.PRIOR_NOTICE: "先告"}
    assert kinds.number_code(kinds.spec(DocumentKind.PRIOR_NOTICE)) == "先告"


# Uploads ---------------------------------------------------------------------------------------------------------


def test_a_png_signature_is_accepted():
    checked = uploads.check_signature_png(signature_png())
    assert checked.content_type == "image/png"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "没有收到签名图像"),
        (b"GIF89a" + b"\0" * 100, "PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "已损坏"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 1), "过大"),
    ],
)
def test_bad_signature_uploads_are_refused(data, message):
    with pytest.raises(ValidationError, match=message):
        uploads.check_signature_png(data)


def test_a_jpeg_named_png_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (100, 40), "white").save(out, format="JPEG")
    with pytest.raises(ValidationError, match="PNG"):
        uploads.check_signature_png(out.getvalue())
    assert uploads.check_scan(out.getvalue()).content_type == "image/jpeg"


def test_tiny_or_huge_images_are_refused():
    with pytest.raises(ValidationError, match="尺寸"):
        uploads.check_signature_png(signature_png(5, 5))
    with pytest.raises(ValidationError, match="尺寸"):
        uploads.check_signature_png(signature_png(4001, 20))


def test_data_urls_from_the_canvas():
    import base64

    png = signature_png()
    assert uploads.decode_data_url("data:image/png;base64," + base64.b64encode(png).decode()) == png
    with pytest.raises(ValidationError):
        uploads.decode_data_url("data:image/svg+xml;base64,PHN2Zz4=")
    with pytest.raises(ValidationError):
        uploads.decode_data_url("data:image/png;base64,!!!")


def test_scans_may_be_pdf():
    assert uploads.check_scan(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n").content_type == "application/pdf"
    with pytest.raises(ValidationError, match="扫描件"):
        uploads.check_scan(b"PK\x03\x04 not a scan")


# DOCX blocks -----------------------------------------------------------------------------------------------------


def test_docx_blocks_follow_the_html_layout():
    html = """<html><body><div class="draft-mark">草稿</div><p class="agency">甲区卫生健康局</p><h1>询问笔录</h1>
    <p class="number">编号：2026-0001</p><p>第一行<br>第二行</p>
    <table><tr><th>名称</th><td>口罩<p>第二段</p></td></tr></table>
    <div class="issuer"><div class="seal-area"></div><p>甲区卫生健康局</p></div></body></html>"""
    blocks = blocks_from_html(html)
    assert blocks[0] == {"type": "center", "text": "甲区卫生健康局"}
    assert blocks[1] == {"type": "title", "text": "询问笔录"}
    assert blocks[2] == {"type": "right", "text": "编号：2026-0001"}
    assert blocks[3] == {"type": "p", "text": "第一行\n第二行"}
    assert blocks[4] == {"type": "table", "rows": [["名称", "口罩\n第二段"]]}
    assert blocks[5] == {"type": "right", "text": "甲区卫生健康局"}
    assert all("草稿" not in str(b) for b in blocks)

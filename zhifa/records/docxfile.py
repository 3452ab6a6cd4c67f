"""The DOCX of a document, with docxtpl, from the same HTML as its PDF.

The docxtpl template is built here with python-docx (A4, the configured font, a loop over blocks) rather than
shipped as a binary file; the HTML of the document is read into those blocks: centred and right-aligned lines,
paragraphs, tables (物品清单, forms), signature images. The DOCX is the editable and printable copy; the sealed
PDF is the authentic one, so the DOCX carries no seal.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from lxml import html as lxml_html

from . import conf

SKIP_CLASSES = {"draft-mark", "seal-area", "no-docx"}
BLOCK_TAGS = {"p", "div", "li", "h2", "h3"}


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _text(el) -> str:
    """The element's text with <br> as line breaks and runs of blanks collapsed (as a browser shows it)."""
    parts: list[str] = []

    def walk(node):
        if node.tag == "br":
            parts.append("\n")
        elif node.tag == "img":
            pass
        else:
            if node.tag in BLOCK_TAGS and node is not el and parts:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
            for child in node:
                if not (_classes(child) & SKIP_CLASSES):
                    walk(child)
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    return "\n".join(lines).strip()


def blocks_from_html(html_text: str) -> list[dict[str, Any]]:
    root = lxml_html.document_fromstring(html_text)
    body = root.find("body")
    blocks: list[dict[str, Any]] = []

    def add(kind: str, el) -> None:
        text = _text(el)
        if text:
            blocks.append({"type": kind, "text": text})

    def walk(parent, align: str | None = None) -> None:
        for el in parent:
            if not isinstance(el.tag, str) or _classes(el) & SKIP_CLASSES or el.tag in ("style", "script"):
                continue
            classes = _classes(el)
            here = (
                "right"
                if classes & {"right", "issuer", "number"}
                else "center"
                if "center" in classes
                else align
            )
            if el.tag == "h1":
                add("title", el)
            elif el.tag in ("h2", "h3"):
                add("h", el)
            elif el.tag == "table":
                rows = []
                for tr in el.iter("tr"):
                    cells = [_text(td) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
                    if any(cells):
                        rows.append(cells)
                if rows:
                    blocks.append({"type": "table", "rows": rows})
            elif el.tag == "img":
                walk_img(el)
            elif el.tag in ("p", "li"):
                images = [img for img in el.iter("img")]
                if "agency" in classes:
                    add("center", el)
                else:
                    add(here or ("plain" if "noindent" in classes else "p"), el)
                for img in images:
                    walk_img(img)
            elif el.tag in ("div", "section", "ul", "ol", "article", "header", "footer"):
                walk(el, here)
            else:
                add(here or "p", el)

    def walk_img(img) -> None:
        src = img.get("src") or ""
        if src.startswith("data:image/png;base64,"):
            block = {"type": "img", "data": base64.b64decode(src.split(",", 1)[1])}
            width = img.get("data-width-mm") or ""
            if width.isdigit():  # a chart: its width on the page (a signature: 12 mm high)
                block["width_mm"] = int(width)
            blocks.append(block)

    if body is not None:
        walk(body)
    return blocks


def _template() -> io.BytesIO:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin, section.right_margin = Mm(25), Mm(22)
    font = conf.docx_font()
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    def para(text: str, align=None, size: int | None = None, bold: bool = False, indent: bool = False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        if size:
            run.font.size = Pt(size)
        run.bold = bold
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(24)
        return p

    para("{%p for b in blocks %}")
    para("{%p if b.type == 'title' %}")
    para("{{ b.text }}", WD_ALIGN_PARAGRAPH.CENTER, size=20)
    para("{%p elif b.type == 'center' %}")
    para("{{ b.text }}", WD_ALIGN_PARAGRAPH.CENTER, size=16)
    para("{%p elif b.type == 'right' %}")
    para("{{ b.text }}", WD_ALIGN_PARAGRAPH.RIGHT)
    para("{%p elif b.type == 'h' %}")
    para("{{ b.text }}", bold=True)
    para("{%p elif b.type == 'plain' %}")
    para("{{ b.text }}")
    para("{%p elif b.type == 'img' %}")
    para("{{ b.image }}")
    para("{%p elif b.type == 'table' %}")
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    table.cell(0, 0).text = "{%tr for row in b.rows %}"
    table.cell(1, 0).text = "{%tc for cell in row %}"
    table.cell(1, 1).text = "{{ cell }}"
    table.cell(1, 2).text = "{%tc endfor %}"
    table.cell(2, 0).text = "{%tr endfor %}"
    para("{%p else %}")
    para("{{ b.text }}", indent=True)
    para("{%p endif %}")
    para("{%p endfor %}")
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return out


def render_docx(html_text: str) -> bytes:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage, Listing

    tpl = DocxTemplate(_template())
    blocks = []
    for block in blocks_from_html(html_text):
        if block["type"] == "img":
            size = {"width": Mm(block["width_mm"])} if "width_mm" in block else {"height": Mm(12)}
            blocks.append({"type": "img", "image": InlineImage(tpl, io.BytesIO(block["data"]), **size)})
        elif block["type"] == "table":
            blocks.append(
                {"type": "table", "rows": [[Listing(cell) for cell in row] for row in block["rows"]]}
            )
        else:
            blocks.append({"type": block["type"], "text": Listing(block["text"])})
    tpl.render({"blocks": blocks}, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()

"""Reading and writing tables as CSV and XLSX (openpyxl). No database here.

Row numbers are the spreadsheet's own: the header is row 1, the first data row is row 2, so an error
report points at the line a person sees in Excel or WPS.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation

# A cell starting with one of these is a formula to Excel: exported text is prefixed with an apostrophe
# (CSV) or stored as a string cell (XLSX), and the apostrophe is dropped again on import.
_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        value = value.isoformat()[:10]
    text = str(value).strip()
    if text.startswith("'") and len(text) > 1 and text[1] in "=+@-":
        text = text[1:]
    return text


def read_table(name: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(headers, [(row number, {header: text})]) from a .csv or .xlsx file; blank rows are skipped."""
    if name.lower().endswith(".xlsx"):
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(data)
    if not rows:
        raise RuleViolation(_("文件中没有内容。"))
    headers = [_cell_text(h) for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise RuleViolation(_("第1行应为列名。"))
    out = []
    for index, values in enumerate(rows[1:], start=2):
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            continue
        cells += [""] * (len(headers) - len(cells))
        out.append((index, {h: cells[i] for i, h in enumerate(headers) if h}))
    return headers, out


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RuleViolation(_("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV 文件。"))
    return [row for row in csv.reader(io.StringIO(text))]


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise RuleViolation(_("无法读取该 XLSX 文件，文件可能已损坏。")) from None
    try:
        ws = wb.worksheets[0]
        return [list(row) for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _csv_safe(text: str) -> str:
    return (
        "'" + text
        if text.startswith(_FORMULA_START)
        or (text.startswith("-") and len(text) > 1 and not text[1:2].isdigit())
        else text
    )


def write_csv(headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_safe("" if v is None else str(v)) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def write_xlsx(headers: Sequence[str], rows: Sequence[Sequence], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            text = "" if value is None else str(value)
            cell.value = text
            cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for c, header in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = max(
            10, min(40, len(header) * 2 + 4)
        )
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

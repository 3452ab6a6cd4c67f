"""The case file (案卷) and its archive package.

The 卷内目录 lists the case's finalised documents in the legal order (the order of ``kinds.KINDS``, which follows
the procedure: intake, filing, investigation, notice, decision, service, execution, closing), then the evidence
in the order it was collected. ``archive_case`` archives a closed case (the case becomes read-only) and records
the retention period; ``package`` builds the zip a records office keeps: the PDFs, the evidence files, the
卷内目录, a manifest with every SHA-256 and the ledger proof bundles of the case, its documents and its evidence,
which ``verify_archive.py`` checks offline with the agency's public key alone.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.choices import Procedure, State
from zhifa.core.errors import RuleViolation

from . import kinds, storage
from .choices import DocumentState
from .models import Document, Evidence

FORMAT = "zhifa-case-archive/1"
# Retention in years per procedure (configurable: RECORDS_RETENTION_YEARS = {"general": 30, "simple": 10}).
DEFAULT_RETENTION = {Procedure.GENERAL: 30, Procedure.SIMPLE: 10}


def retention_years(case) -> int:
    table = {**DEFAULT_RETENTION, **(getattr(settings, "RECORDS_RETENTION_YEARS", None) or {})}
    return int(table.get(case.procedure, 30))


def _pages(data: bytes) -> int | None:
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        return int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])
    except Exception:  # an unreadable PDF has no page count; the index says so
        return None


@dataclass
class IndexRow:
    number: int
    title: str
    doc_number: str
    date: str
    pages: int | None
    path: str
    sha256: str
    size: int
    obj: object


def index(case) -> list[IndexRow]:
    """卷内目录: finalised documents (the latest version of each) in the legal order, then the evidence."""
    order = {kind: i for i, kind in enumerate(kinds.KINDS)}
    docs = list(Document.objects.filter(case=case, state=DocumentState.FINAL))
    replaced = {d.supersedes_id for d in docs if d.supersedes_id}
    docs = [d for d in docs if d.pk not in replaced]
    docs.sort(key=lambda d: (order.get(d.kind, len(order)), d.dated, d.pk))
    rows: list[IndexRow] = []
    for doc in docs:
        data = storage.read(doc.pdf_name)
        rows.append(
            IndexRow(
                len(rows) + 1,
                str(doc.get_kind_display()),
                doc.number,
                doc.dated.isoformat(),
                _pages(data),
                f"documents/{len(rows) + 1:03d}-{doc.kind}.pdf",
                doc.pdf_sha256,
                len(data),
                doc,
            )
        )
    for ev in Evidence.objects.filter(case=case).order_by("collected_at", "id"):
        ext = ev.file_name.rsplit(".", 1)[-1]
        rows.append(
            IndexRow(
                len(rows) + 1,
                f"{ev.get_kind_display()}：{ev.description}",
                "",
                timezone.localdate(ev.collected_at).isoformat(),
                None,
                f"evidence/{len(rows) + 1:03d}-{ev.pk}.{ext}",
                ev.sha256,
                ev.size,
                ev,
            )
        )
    return rows


def check_archivable(case) -> None:
    if case.state not in (State.CLOSED, State.ARCHIVED, State.NOT_FILED, State.REVOKED, State.TERMINATED):
        raise RuleViolation(_("案件结案（或终止、撤销立案）后方可归档。"))


@transaction.atomic
def archive_case(actor, case):
    """归档: the case (closed) becomes read-only; the retention period is recorded in the ledger."""
    from zhifa.cases import actions as case_actions
    from zhifa.ledger import actions as ledger

    check_archivable(case)
    case = case_actions.archive_case(actor, case)
    rows = index(case)
    ledger.append(
        agency=case.agency,
        actor=actor,
        action="records.archive_case",
        obj=case,
        payload={
            "retention_years": retention_years(case),
            "index": [[r.number, r.title, r.sha256] for r in rows],
        },
        files=[(r.obj.pdf_name if isinstance(r.obj, Document) else r.obj.file_name, r.sha256) for r in rows],
    )
    return case


def package(case, out) -> dict:
    """Write the archive package (zip) of ``case`` to the binary file ``out``; returns the manifest."""
    from zhifa.ledger import bundles

    check_archivable(case)
    rows = index(case)
    manifest = {
        "format": FORMAT,
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "cause": case.cause,
            "agency": case.agency.code,
            "state": case.state,
            "archived_on": case.archived_on.isoformat() if case.archived_on else None,
        },
        "retention_years": retention_years(case),
        "index": [
            {
                "number": r.number,
                "title": r.title,
                "doc_number": r.doc_number,
                "date": r.date,
                "pages": r.pages,
                "path": r.path,
                "sha256": r.sha256,
                "size": r.size,
            }
            for r in rows
        ],
        "bundles": [],
        "created_at": timezone.now().isoformat(),
    }
    objects = [("cases.case", str(case.pk))] + [
        ("records.document" if isinstance(r.obj, Document) else "records.evidence", str(r.obj.pk))
        for r in rows
    ]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for r in rows:
            name = r.obj.pdf_name if isinstance(r.obj, Document) else r.obj.file_name
            with (
                storage.default_storage.open(name, "rb") as src,
                z.open(r.path, "w", force_zip64=True) as dst,
            ):
                while block := src.read(storage.CHUNK):
                    dst.write(block)
        key = None
        for kind, object_id in objects:
            try:
                bundle = bundles.build(kind, object_id, agency=case.agency)
            except RuleViolation:
                continue
            key = bundle["public_key"]
            path = f"ledger/{kind}-{object_id}.json"
            z.writestr(path, json.dumps(bundle, ensure_ascii=False, indent=1))
            manifest["bundles"].append(path)
        if key:
            z.writestr("ledger/agency.pub", key + "\n")
        z.writestr("卷内目录.txt", index_text(case, rows))
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def index_text(case, rows) -> str:
    lines = [f"卷内目录  {case.reference}  {case.cause}", "序号\t题名\t文号\t日期\t页数"]
    for r in rows:
        lines.append(f"{r.number}\t{r.title}\t{r.doc_number or '—'}\t{r.date}\t{r.pages or '—'}")
    return "\n".join(lines) + "\n"

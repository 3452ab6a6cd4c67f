"""The case file (案卷) and its archive package.

The 卷内目录 lists the case's finalised documents in the legal order (the order of ``kinds.KINDS``, which follows
the procedure: intake, filing, investigation, notice, decision, service, execution, closing), then the evidence
in the order it was collected. The 法制审核意见书 of each concluded review round stands before the decision.

``archive_case`` is the one archive action (the case page, the API and the 案卷 page all end in it): the file is
checked against ``REQUIRED``, the list of documents the case's procedure path produces (``procedure_path``), no
draft may remain, every evidence file's fixity is checked; the state change, the retention period with the
卷内目录 (``records.archive_case``) and the end of the case's running deadlines are written in one transaction.
After it nothing of the case can be signed, generated or uploaded (``refuse_if_archived``).

``package`` builds the zip a records office keeps: the PDFs, the evidence files, the 卷内目录, a manifest with
every SHA-256 and the ledger proof bundles of the case, its documents, its review opinions and its evidence,
which ``verify_archive.py`` checks offline with the agency's public key alone.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.choices import Outcome, Procedure, RecordKind, State
from zhifa.core.errors import RuleViolation
from zhifa.core.snapshot import object_kind

from . import kinds, storage
from .choices import DocumentKind as K
from .choices import DocumentState
from .models import Document, Evidence

FORMAT = "zhifa-case-archive/1"


def retention_years(case) -> int:
    """The case file's retention period in years: agency data per procedure (``records.policy``; defaults
    ``rules.RECORDS_DEFAULTS``, no national rule — law-facts §8 item 7)."""
    from .policy import settings_for

    return settings_for(case.agency_id).retention_for(case.procedure)


# What each procedure path must hold ------------------------------------------------------------------------------
# One entry per required document; a tuple inside is a choice (any one of them, finalised, will do). The path is
# decided from the case's facts (``procedure_path``). Documents that depend on what happened in the case rather
# than on the path (the 法制审核意见书 where a review was held, the decisions on 先行登记保存 and 查封扣押 where
# those measures were taken) are added by ``required_items``.

INVESTIGATION_RECORD = (
    K.ONSITE_RECORD,
    K.INQUIRY_RECORD,
)  # 调查取证 (art. 55): at least one record made on site
NOTICE = (
    K.PRIOR_NOTICE,
    K.HEARING_RIGHTS,
)  # 事先告知 (art. 44), by the 听证告知书 where a hearing could be asked

REQUIRED: dict[str, tuple] = {
    # 普通程序，给予行政处罚: 立案 (art. 54), 调查取证 (art. 55), 调查终结 (art. 57), 事先告知 (art. 44), 决定
    # (art. 59), 送达 (art. 61), 结案.
    "general": (
        K.FILING_REPORT,
        INVESTIGATION_RECORD,
        K.INVESTIGATION_REPORT,
        NOTICE,
        K.PENALTY_DECISION,
        K.SERVICE_RECEIPT,
        K.CLOSING_REPORT,
    ),
    # 举行听证的: 另有听证通知书、听证笔录、听证意见书 (art. 64).
    "hearing": (
        K.FILING_REPORT,
        INVESTIGATION_RECORD,
        K.INVESTIGATION_REPORT,
        NOTICE,
        K.HEARING_NOTICE,
        K.HEARING_RECORD,
        K.HEARING_REPORT,
        K.PENALTY_DECISION,
        K.SERVICE_RECEIPT,
        K.CLOSING_REPORT,
    ),
    # 简易程序: 当场行政处罚决定书，当事人签收 (arts. 51–52)；结案即备案.
    "simple": (K.ON_THE_SPOT_DECISION, K.CLOSING_REPORT),
    # 不予行政处罚 (art. 57 (2)(3)): 不予行政处罚决定书，送达.
    "no_penalty": (
        K.FILING_REPORT,
        INVESTIGATION_RECORD,
        K.INVESTIGATION_REPORT,
        K.NO_PENALTY_DECISION,
        K.SERVICE_RECEIPT,
        K.CLOSING_REPORT,
    ),
    # 移送司法机关 (arts. 27, 57 (4)): 案件移送书.
    "transfer": (
        K.FILING_REPORT,
        INVESTIGATION_RECORD,
        K.INVESTIGATION_REPORT,
        K.TRANSFER_LETTER,
        K.CLOSING_REPORT,
    ),
    # 不予立案: 案件受理记录 records the head's decision not to file, with the reason.
    "not_filed": (K.INTAKE_RECORD,),
    # 撤销立案、终止: the 立案报告 of the filing that ends, with the head's opinion.
    "revoked": (K.FILING_REPORT,),
    "terminated": (K.FILING_REPORT,),
    # 行政强制措施 (行政强制法 arts. 18, 24, 27–28): 现场笔录, 查封扣押决定书 and its 清单, and the end — the
    # 解除查封扣押决定书 or the 查封扣押处理决定书 (the 延期通知书 where it was extended: ``missing``). One the head
    # refused holds the reasons and the refusal, both on the act itself.
    "measure_released": (K.ONSITE_RECORD, K.SEIZURE_DECISION, K.SEIZURE_RELEASE),
    "measure_disposed": (K.ONSITE_RECORD, K.SEIZURE_DECISION, K.SEIZURE_DISPOSAL),
    "measure_refused": (),
    # 行政征用: the decision and the compensation; the return where something was returned (``procedure_path``).
    "requisition_returned": (K.REQUISITION_DECISION, K.REQUISITION_RETURN, K.REQUISITION_COMPENSATION),
    "requisition_kept": (K.REQUISITION_DECISION, K.REQUISITION_COMPENSATION),
    "requisition_refused": (),
    # 行政确认: the decision, served (the party signed it, or the service is recorded on the act).
    "confirmation": (K.CONFIRMATION_DECISION,),
    # 行政检查: the 现场笔录; the 卫生监督意见书 where correction was ordered (the 采样记录 where samples were taken,
    # ``RECORD_DOCUMENTS``).
    "inspection": (K.ONSITE_RECORD,),
    "inspection_ordered": (K.ONSITE_RECORD, K.SUPERVISION_OPINION),
}

# Records whose measure needs its decision document in the file (art. 56; 行政强制法 art. 24).
RECORD_DOCUMENTS = {
    RecordKind.PRESERVATION: K.PRESERVATION_DECISION,
    RecordKind.SEIZURE: K.SEIZURE_DECISION,
    RecordKind.STATEMENT: K.STATEMENT_RECORD,  # the party stated and defended: its 陈述和申辩笔录 (art. 45)
    RecordKind.SAMPLING: K.SAMPLING_RECORD,  # samples taken: the 采样记录 the target signed
}
# The review rounds whose 法制审核意见书 belongs in the file: the concluded ones.
CONCLUDED_REVIEW = ("approved", "problems")
PASSED_REVIEW = ("approved",)


def procedure_path(case) -> str:
    """The procedure path the case took, from its facts (the state it ended in, the procedure, the outcome and
    whether a hearing was held)."""
    if case.state == State.NOT_FILED:
        return "not_filed"
    if case.state == State.REVOKED:
        return "revoked"
    if case.state == State.TERMINATED:
        return "terminated"
    if case.act_kind == "confirmation":
        return "confirmation"
    if case.act_kind == "inspection":
        return "inspection_ordered" if case.state == State.INSPECTION_CORRECTED else "inspection"
    if case.act_kind == "requisition":
        if case.state == State.REQUISITION_REFUSED:
            return "requisition_refused"
        returned = Document.objects.filter(case=case, kind=K.REQUISITION_RETURN, state=DocumentState.FINAL)
        return "requisition_returned" if returned.exists() else "requisition_kept"
    if case.act_kind == "compulsion":
        return {
            State.MEASURE_REFUSED: "measure_refused",
            State.MEASURE_DISPOSED: "measure_disposed",
        }.get(case.state, "measure_released")
    if case.procedure == Procedure.SIMPLE:
        return "simple"
    if case.outcome == Outcome.TRANSFER:
        return "transfer"
    if case.outcome in (Outcome.NO_PENALTY_MINOR, Outcome.NO_PENALTY_UNPROVEN):
        return "no_penalty"
    if case.hearing_on or case.records.filter(kind=RecordKind.HEARING).exists():
        return "hearing"
    return "general"


def _label(kind) -> str:
    return f"《{K(kind).label}》"


def _latest_final(case) -> list[Document]:
    docs = list(Document.objects.filter(case=case, state=DocumentState.FINAL))
    replaced = {d.supersedes_id for d in docs if d.supersedes_id}
    return [d for d in docs if d.pk not in replaced]


def missing(case, path: str | None = None) -> list[str]:
    """Everything that keeps the file from being archived, each by name (empty: the file is complete)."""
    from zhifa.review.models import Discussion, Submission

    path = path or procedure_path(case)
    have = {d.kind for d in _latest_final(case)}
    problems: list[str] = []
    needed = list(REQUIRED[path])
    for record_kind, kind in RECORD_DOCUMENTS.items():
        if path not in ("not_filed", "simple") and case.records.filter(kind=record_kind).exists():
            needed.append(kind)
    if path.startswith("measure_") and case.records.filter(kind=RecordKind.SEIZURE_EXTENSION).exists():
        needed.append(K.SEIZURE_EXTENSION_NOTICE)  # the extension told in writing (行政强制法 art. 25)
    for item in needed:
        choice = item if isinstance(item, tuple) else (item,)
        if not have & set(choice):
            problems.append(_("缺少已定稿的%(kind)s") % {"kind": _("或").join(_label(k) for k in choice)})
    submissions = list(Submission.objects.filter(case=case))
    decided = path in ("general", "hearing", "no_penalty", "transfer")
    if any(s.state == "pending" for s in submissions):
        problems.append(_("法制审核尚未审结"))
    elif (
        decided
        and submissions
        and not any(s.state in PASSED_REVIEW for s in submissions)
        # a disagreement the heads resolved collectively (review.actions.coordinate → 集体讨论)
        and not Discussion.objects.filter(case=case, resolves__isnull=False, outcome="agree").exists()
    ):
        problems.append(_("缺少法制审核意见书（法制审核未通过）"))
    elif decided and not submissions and _review_required(case):
        problems.append(_("缺少法制审核意见书（本案须经法制审核）"))
    if Discussion.objects.filter(case=case, state="open").exists():
        problems.append(_("集体讨论尚未作出结论"))
    drafts = Document.objects.filter(case=case, state=DocumentState.DRAFT).order_by("id")
    for doc in drafts:
        problems.append(_("%(kind)s仍是草稿，请定稿或作废") % {"kind": _label(doc.kind)})
    for ev in Evidence.objects.filter(case=case, fixity_ok=False).order_by("id"):
        problems.append(
            _("证据“%(name)s”存储完整性校验未通过（文件缺失或被改动）") % {"name": ev.description}
        )
    return problems


def _review_required(case) -> bool:
    from zhifa.review import queries as review_queries

    try:
        return bool(review_queries.review_reasons(case))
    except Exception:  # a case without the facts the review list reads (never decided) needs no review
        return False


def refuse_if_archived(case) -> None:
    """The one check every action on a case's documents, evidence and uploads makes: an archived file is read-only."""
    if case.state == State.ARCHIVED:
        raise RuleViolation(_("案件已归档，案卷只读：不能再签名、制作、修改文书或上传证据。"))


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
    file_name: str = ""


def _sources(case) -> list[tuple[tuple, str, str, str, object, str, str]]:
    """(sort key, title, number, date, object, stored file, sha256) of every finalised paper of the file."""
    order = {kind: i for i, kind in enumerate(kinds.KINDS)}
    out = []
    for doc in _latest_final(case):
        out.append(
            (
                (order.get(doc.kind, len(order)), doc.dated, 0, doc.pk),
                str(doc.get_kind_display()),
                doc.number,
                doc.dated,
                doc,
                doc.pdf_name,
                doc.pdf_sha256,
            )
        )
    from zhifa.review.models import Submission

    # 法制审核意见书 (art. 58): after the notice and hearing papers, before the decision it cleared.
    before_decision = order[K.PENALTY_DECISION] - 0.5
    for sub in Submission.objects.filter(case=case).exclude(pdf_name="").order_by("round"):
        day = timezone.localdate(sub.decided_at or sub.submitted_at)
        out.append(
            (
                (before_decision, day, 1, sub.pk),
                _("法制审核意见书"),
                sub.number,
                day,
                sub,
                sub.pdf_name,
                sub.pdf_sha256,
            )
        )
    from zhifa.review.models import Discussion

    # 集体讨论记录 (art. 57(2)): beside the review opinion, before the decision it led to.
    for d in Discussion.objects.filter(case=case).exclude(pdf_name="").order_by("held_on", "pk"):
        day = timezone.localdate(d.concluded_at) if d.concluded_at else d.held_on
        out.append(((before_decision, day, 2, d.pk), _("集体讨论记录"), "", day, d, d.pdf_name, d.pdf_sha256))
    out.sort(key=lambda row: row[0])
    return out


# The file name part of the papers that are not records.Document rows.
SOURCE_KINDS = {
    "review.submission": "legal_review_opinion",
    "review.discussion": "collective_discussion_record",
}


def index(case) -> list[IndexRow]:
    """卷内目录: finalised documents (the latest version of each) and the 法制审核意见书 in the legal order, then
    the evidence."""
    rows: list[IndexRow] = []
    for _key, title, number, day, obj, name, sha in _sources(case):
        data = storage.read(name)
        kind = obj.kind if isinstance(obj, Document) else SOURCE_KINDS[obj._meta.label_lower]
        rows.append(
            IndexRow(
                len(rows) + 1,
                title,
                number,
                day.isoformat(),
                _pages(data),
                f"documents/{len(rows) + 1:03d}-{kind}.pdf",
                sha,
                len(data),
                obj,
                name,
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
                ev.file_name,
            )
        )
    return rows


def check_archivable(case) -> None:
    if case.state not in (State.CLOSED, State.ARCHIVED, State.NOT_FILED, State.REVOKED, State.TERMINATED):
        raise RuleViolation(_("案件结案（或终止、撤销立案）后方可归档。"))


def check_complete(actor, case, path: str) -> None:
    """Refuse to archive an incomplete file, naming everything missing. Evidence never checked yet is re-hashed
    now (its result recorded), so every evidence file's fixity is checked when the file closes."""
    from . import evidence

    evidence.check_case_fixity(actor, case)
    problems = missing(case, path)
    if problems:
        raise RuleViolation(
            _("案卷不完整，不能归档：%(items)s。") % {"items": "；".join(str(p) for p in problems)}
        )


def record_archive(actor, case) -> None:
    """In the archive action's transaction: issue the 法制审核意见书 of each concluded review round not yet issued,
    and record the retention period with the 卷内目录 (``records.archive_case``)."""
    from zhifa.ledger import actions as ledger
    from zhifa.review import actions as review_actions
    from zhifa.review.models import Discussion, Submission

    for sub in Submission.objects.filter(case=case, state__in=CONCLUDED_REVIEW, pdf_name="").exclude(
        number=""
    ):
        review_actions.issue_opinion_document(actor, sub)
    for discussion in Discussion.objects.filter(case=case, state="concluded", pdf_name=""):
        review_actions.issue_discussion_record(actor, discussion)
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
        files=[(r.file_name, r.sha256) for r in rows],
    )


def archive_case(actor, case):
    """归档 from the 案卷 page: the one archive action, ``cases.actions.archive_case``."""
    from zhifa.cases import actions as case_actions

    return case_actions.archive_case(actor, case)


def package(case, out, progress=None) -> dict:
    """Write the archive package (zip) of ``case`` to the binary file ``out``; returns the manifest. ``progress``
    (a ``zhifa.core.queue.Progress`` when a background job makes it) hears of each file and proof."""
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
    objects = [("cases.case", str(case.pk))] + [(object_kind(r.obj), str(r.obj.pk)) for r in rows]
    total = len(rows) + len(objects)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for number, r in enumerate(rows):
            if progress:
                progress(done=number, total=total, step=_("打包：%(title)s") % {"title": r.title})
            with (
                storage.default_storage.open(r.file_name, "rb") as src,
                z.open(r.path, "w", force_zip64=True) as dst,
            ):
                while block := src.read(storage.CHUNK):
                    dst.write(block)
        key = None
        for number, (kind, object_id) in enumerate(objects, start=len(rows)):
            if progress:
                progress(done=number, total=total, step=_("生成账本证明"))
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

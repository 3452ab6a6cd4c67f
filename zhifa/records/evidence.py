"""Evidence actions: register an evidence item with its file, resumable uploads, attaching recordings to the
records whose act the 音像记录事项清单 marks 全程, fixity checks, and the sweep of abandoned uploads.

Like every action: check who may do it, check the rules, write inside one ``transaction.atomic()`` with the
ledger entry (which names the stored file and its SHA-256, so ``zhifa ledger verify`` re-hashes it).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import RuleViolation
from zhifa.core.filenames import safe_name
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger

from . import conf, ingest, storage
from . import rules as records_rules
from .choices import EvidenceKind, Secrecy, UploadState
from .models import Evidence, EvidenceUpload
from .policy import settings_for

log = logging.getLogger(__name__)

PREFIX = "evidence"


def _require_handler(actor, case) -> None:
    from zhifa.cases import access

    _check_case_open(case)
    access.require(actor, case, "add_evidence", documents=False)


def _check_case_open(case) -> None:
    from .archive import refuse_if_archived

    refuse_if_archived(case)


def _append(agency, actor, action: str, obj, files=(), **extra) -> None:
    payload = {"state": snapshot(obj), "case": obj.case_id, **extra}
    ledger.append(
        agency=agency, actor=actor, action=f"records.{action}", obj=obj, payload=payload, files=files
    )


def _clean_meta(case, meta: dict) -> tuple[dict, list]:
    kind = meta.get("kind") or ""
    if kind not in EvidenceKind.values:
        raise RuleViolation(_("请选择证据种类（《行政处罚法》第四十六条）。"))
    description = str(meta.get("description") or "").strip()
    if not description:
        raise RuleViolation(_("请填写证据说明。"))
    collected_at = meta.get("collected_at") or timezone.now()
    if isinstance(collected_at, str):
        collected_at = dt.datetime.fromisoformat(collected_at)
    if timezone.is_naive(collected_at):
        collected_at = timezone.make_aware(collected_at)
    if collected_at > timezone.now() + dt.timedelta(minutes=5):
        raise RuleViolation(_("收集时间不能晚于现在。"))
    secrecy = meta.get("secrecy") or ""
    if secrecy not in Secrecy.values:
        raise RuleViolation(_("涉密标识不正确。"))
    record = meta.get("record")
    if record is not None and record.case_id != case.pk:
        raise RuleViolation(_("所属调查记录不属于本案。"))
    document = meta.get("document")
    if document is not None and document.case_id != case.pk:
        raise RuleViolation(_("所属文书不属于本案。"))
    officers = list(meta.get("officers") or ())
    case_officers = set(case.officer_links.values_list("person_id", flat=True))
    if any(p.pk not in case_officers for p in officers):
        raise RuleViolation(_("收集人员须是本案承办人员。"))
    out = {
        "kind": kind,
        "description": description[:500],
        "collected_at": collected_at,
        "secrecy": secrecy,
        "record": record,
        "document": document,
        "source": str(meta.get("source") or "")[:300],
        "place": str(meta.get("place") or "")[:300],
        "stage": str(meta.get("stage") or "")[:40],
        "act_code": str(meta.get("act_code") or "")[:40],
        "device_id": str(meta.get("device_id") or "")[:100],
    }
    for axis in ("latitude", "longitude"):
        value = meta.get(axis)
        out[axis] = Decimal(str(value)).quantize(Decimal("0.000001")) if value not in (None, "") else None
    return out, officers


@transaction.atomic
def add_evidence(actor, case, *, received: ingest.Received, **meta) -> Evidence:
    """登记证据: the file is complete on local disk (hashed as it arrived); type it from its bytes, store it under its
    hash, and make the row with its ledger entry. A refused file leaves nothing behind (the caller removes the
    temporary file; nothing reached the storage)."""
    from zhifa.cases.access import lock as _lock

    case = _lock(case)
    _require_handler(actor, case)
    _check_case_open(case)
    fields, officers = _clean_meta(case, meta)
    if received.size > conf.evidence_max_bytes():
        raise RuleViolation(ingest.too_large_message())
    if received.size == 0:
        raise RuleViolation(_("文件为空，请重新上传。"))
    content_type, ext = ingest.detect(received.path)
    media = ingest.probe(received.path) if content_type.startswith(("audio/", "video/")) else None
    if media is not None and content_type == "video/mp4" and media.codec and not media.has_video:
        content_type, ext = "audio/mp4", "m4a"  # an M4A that libmagic calls MP4
    if fields["kind"] == EvidenceKind.AUDIOVISUAL and not content_type.startswith(
        ("audio/", "video/", "image/")
    ):
        raise RuleViolation(_("视听资料须是录音、录像或图片文件。"))
    stored = storage.put_path(
        received.path, sha256=received.sha256, size=received.size, ext=ext, prefix=PREFIX
    )
    evidence = Evidence.objects.create(
        agency=case.agency,
        case=case,
        created_by=actor,
        file_name=stored.name,
        sha256=stored.sha256,
        size=stored.size,
        content_type=content_type,
        original_name=safe_name(received.original_name or "", fallback=""),
        duration=media.duration if media else None,
        codec=(media.codec if media else "")[:100],
        **fields,
    )
    evidence.officers.set(officers)
    _append(case.agency, actor, "add_evidence", evidence, files=[(stored.name, stored.sha256)])
    return evidence


# Resumable uploads --------------------------------------------------------------------------------------------------


@transaction.atomic
def start_upload(actor, case, *, size: int, original_name: str = "", sha256: str = "") -> EvidenceUpload:
    """Open a resumable upload of ``size`` bytes for the case (no evidence row until it is finished)."""
    from zhifa.cases.access import lock as _lock

    case = _lock(case)
    _require_handler(actor, case)
    _check_case_open(case)
    if size <= 0:
        raise RuleViolation(_("文件为空，请重新上传。"))
    if size > conf.evidence_max_bytes():
        raise RuleViolation(ingest.too_large_message())
    sha256 = (sha256 or "").strip().lower()
    if sha256 and (len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256)):
        raise RuleViolation(_("SHA-256 格式不正确。"))
    return EvidenceUpload.objects.create(
        id=uuid.uuid4(),
        agency=case.agency,
        case=case,
        created_by=actor,
        size=size,
        original_name=safe_name(original_name, fallback=""),
        sha256=sha256,
    )


def _open_upload(actor, upload_id) -> EvidenceUpload:
    from django.http import Http404

    try:
        upload = EvidenceUpload.objects.select_related("case", "case__agency").get(pk=upload_id)
    except (EvidenceUpload.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if upload.created_by_id != getattr(actor, "pk", None):
        raise Http404
    if upload.state != UploadState.OPEN:
        raise RuleViolation(_("该上传已结束，请重新开始上传。"))
    _check_case_open(upload.case)
    return upload


def receive_piece(actor, upload_id, *, offset: int, stream, length: int) -> EvidenceUpload:
    """Append one piece at ``offset`` (which must be where the upload stands). The bytes go to disk first, then
    the count moves on in the database only if no other piece moved it meanwhile; a piece cut off by a dropped
    connection counts up to the bytes that arrived, and the client continues from there."""
    upload = _open_upload(actor, upload_id)
    if offset != upload.received:
        raise RuleViolation(
            _("续传位置不正确：服务器已收到%(n)d字节，请从该位置继续。") % {"n": upload.received}
        )
    if length < 0 or offset + length > upload.size:
        raise RuleViolation(_("上传的数据超过了声明的文件大小。"))
    written = ingest.append_piece(ingest.part_path(upload.pk), offset, stream, length)
    moved = EvidenceUpload.objects.filter(pk=upload.pk, received=offset, state=UploadState.OPEN).update(
        received=offset + written, updated_at=timezone.now()
    )
    if not moved:
        raise RuleViolation(_("该上传同时收到了另一段数据，请查询进度后继续。"))
    upload.received = offset + written
    return upload


def finish_upload(actor, upload_id, **meta) -> Evidence:
    """The last byte is in: hash the partial file (streaming), compare with the hash the client declared, and
    register the evidence. Refused files are removed at once; the upload is closed either way."""
    upload = _open_upload(actor, upload_id)
    path = ingest.part_path(upload.pk)
    if upload.received != upload.size or not path.exists():
        raise RuleViolation(
            _("文件尚未上传完整（已收到%(got)d / %(size)d字节），请继续上传。")
            % {"got": upload.received, "size": upload.size}
        )
    with open(path, "rb") as fh:
        sha, size = storage.sha256_of(fh)
    try:  # the file itself refused: close the upload and remove its bytes (metadata refusals may be retried)
        if size != upload.size or (upload.sha256 and sha != upload.sha256):
            raise RuleViolation(_("文件校验失败：收到的内容与声明的SHA-256不一致，请重新上传。"))
        ingest.detect(path)
    except RuleViolation:
        EvidenceUpload.objects.filter(pk=upload.pk).update(state=UploadState.ABANDONED)
        path.unlink(missing_ok=True)
        raise
    received = ingest.Received(path=path, sha256=sha, size=size, original_name=upload.original_name)
    with transaction.atomic():
        evidence = add_evidence(actor, upload.case, received=received, **meta)
        EvidenceUpload.objects.filter(pk=upload.pk).update(state=UploadState.DONE, evidence=evidence)
    path.unlink(missing_ok=True)
    return evidence


def sweep_uploads(now: dt.datetime | None = None) -> int:
    """Remove partial files of uploads untouched for ``conf.upload_abandon_hours()`` and of closed uploads, and
    partial files no upload names (left by a process killed between writing and recording). Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=conf.upload_abandon_hours())
    stale = EvidenceUpload.objects.filter(state=UploadState.OPEN, updated_at__lt=cutoff)
    ids = [str(u) for u in stale.values_list("pk", flat=True)]
    stale.update(state=UploadState.ABANDONED)
    removed = 0
    open_ids = {
        str(u) for u in EvidenceUpload.objects.filter(state=UploadState.OPEN).values_list("pk", flat=True)
    }
    for part in conf.upload_dir().glob("*.part"):
        if part.stem in ids or part.stem not in open_ids:
            part.unlink(missing_ok=True)
            removed += 1
    return removed


# Audio/video obligations ---------------------------------------------------------------------------------------------


def act_of(record, record_acts=None) -> str | None:
    """Which act of the 音像记录事项清单 a case record is: the agency's map (``records.policy``, its
    ``record_acts``; defaults ``rules.RECORDS_DEFAULTS``) unless the record names its act."""
    if record_acts is None:
        record_acts = settings_for(record.case.agency_id).record_acts
    return records_rules.act_of(record.kind, record.data, record_acts)


def _requirement(case, act: str | None, on: dt.date):
    if not act:
        return None
    from zhifa.catalog.queries import av_requirement

    return av_requirement(case.agency, act, on)


def _av_lists(case):
    return av_lists(case.agency)


def av_lists(agency):
    """{act code: requirement} of the agency's 音像记录事项清单 in force on a day: the list's versions are read once,
    and each version in force once (a case's records, or an agency's, do not multiply the queries)."""
    from zhifa.catalog import queries as catalog_queries
    from zhifa.catalog import rules as catalog_rules
    from zhifa.catalog.choices import ListKind
    from zhifa.core import memo

    refs = memo.once(
        ("records.av_versions", agency.pk),
        lambda: [
            catalog_rules.VersionRef(number, effective_on)
            for number, effective_on in catalog_queries.versions(agency, ListKind.AV).values_list(
                "number", "effective_on"
            )
        ],
    )

    def in_force(on: dt.date) -> dict:
        ref = catalog_rules.effective_version(refs, on)

        def read() -> dict:
            out: dict = {}
            for req in catalog_queries.av_requirements(agency, on):
                out.setdefault(req.act_code, req)  # the first line for an act, as av_requirement reads
            return out

        return memo.once(("records.av_list", agency.pk, ref.number if ref else None), read)

    return in_force


def _recordings(case):
    return case.evidence.filter(content_type__regex=r"^(audio|video)/")


def check_recording(actor, case, record) -> None:
    """cases.actions.RECORD_CHECKS hook: a record whose act is 全程音像记录 needs its recording already uploaded
    (with the act chosen and no record yet); it is attached to the record here, in the same transaction."""
    acts = settings_for(case.agency_id).record_acts
    req = _requirement(case, act_of(record, acts), timezone.localdate(record.started_at))
    if req is None or not req.mandatory:
        return
    pending = list(_recordings(case).filter(act_code=req.act_code, record__isnull=True))
    if not pending:
        raise RuleViolation(
            _(
                "“%(act)s”须全程音像记录（音像记录事项清单）：请先上传本次执法的录音录像（音像记录事项选“%(act)s”），再保存该记录。"
            )
            % {"act": req.act}
        )
    for evidence in pending:
        evidence.record = record
        evidence.save(update_fields=["record"])
        _append(case.agency, actor, "attach_evidence", evidence, record=record.pk)


def require_recording(actor, case, record) -> None:
    """cases.actions.RECORDING_CHECKS hook: a 行政强制措施 is recorded on audio and video from start to end
    whatever the agency's 音像记录事项清单 says (law-facts §5: 查封扣押财产 directly affects major property rights).
    The recording uploaded for it (any act chosen, no record yet) is attached to the measure's record; without one
    the measure is refused."""
    if _recordings(case).filter(record=record).exists():
        return  # the list names the act: check_recording attached it already
    pending = list(_recordings(case).filter(record__isnull=True))
    if not pending:
        raise RuleViolation(
            _("查封、扣押须全程音像记录：请先在本案“提交证据”中上传本次实施的录音录像，再登记实施查封扣押。")
        )
    for evidence in pending:
        evidence.record = record
        evidence.save(update_fields=["record"])
        _append(case.agency, actor, "attach_evidence", evidence, record=record.pk)


def av_flags(case) -> list[dict]:
    """Records of the case whose act the AV list names, with whether the recording is there: 全程 ones missing it
    are errors (only possible for records made before the list said so); 根据情况 ones are warnings unless the
    record gives the reason it was not recorded (``data['av_skip_reason']``)."""
    out = []
    # The records, the ones with a recording, and the 音像记录事项清单 once per version in force: however many
    # records the case has.
    recorded = set(_recordings(case).filter(record__isnull=False).values_list("record_id", flat=True))
    in_force = _av_lists(case)
    acts = settings_for(case.agency_id).record_acts
    from zhifa.cases.queries import case_records

    for record in case_records(case):  # in (started, id) order
        act = act_of(record, acts)
        if not act or record.pk in recorded:
            continue
        req = in_force(timezone.localdate(record.started_at)).get(act)
        if req is None:
            continue
        reason = str((record.data or {}).get("av_skip_reason") or "").strip()
        out.append(
            {
                "record": record,
                "act": req.act,
                "mandatory": req.mandatory,
                "reason": reason,
                "level": "bad" if req.mandatory else ("ok" if reason else "warn"),
            }
        )
    return out


# Fixity ------------------------------------------------------------------------------------------------------------


def check_fixity(limit: int | None = None) -> list[dict]:
    """Re-hash up to ``limit`` stored evidence files, the oldest-checked first (never-checked before all), and
    record each result in the ledger of the file's agency. Returns one dict per file checked."""
    limit = conf.fixity_batch() if limit is None else limit
    batch = list(
        Evidence.objects.select_related("agency").order_by(
            F("fixity_checked_at").asc(nulls_first=True), "id"
        )[:limit]
    )
    results = [_check_one(evidence) for evidence in batch]
    return results + check_document_fixity(limit)


def _check_one(evidence: Evidence, actor=None) -> dict:
    found = storage.rehash(evidence.file_name)
    ok = found is not None and found == (evidence.sha256, evidence.size)
    status = "ok" if ok else ("missing" if found is None else "mismatch")
    now = timezone.now()
    with transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(fixity_checked_at=now, fixity_ok=ok)
        evidence.fixity_checked_at, evidence.fixity_ok = now, ok
        ledger.append(
            agency=evidence.agency,
            actor=actor,
            action="records.fixity_check",
            obj=evidence,
            payload={
                "case": evidence.case_id,
                "file": evidence.file_name,
                "sha256": evidence.sha256,
                "result": status,
                "found": found[0] if found else None,
            },
        )
    if not ok:
        log.error("fixity: evidence %s (%s) is %s", evidence.pk, evidence.file_name, status)
    return {"evidence": evidence.pk, "file": evidence.file_name, "result": status}


def check_case_fixity(actor, case) -> list[dict]:
    """Before the file is archived: re-hash each evidence file of ``case`` not yet checked, or whose last check
    failed, and record the result (the archive refuses while any is missing or changed)."""
    batch = Evidence.objects.filter(case=case).exclude(fixity_ok=True).select_related("agency").order_by("id")
    return [_check_one(evidence, actor) for evidence in batch]


def check_document_fixity(limit: int) -> list[dict]:
    """The same for finalised documents: their sealed PDF and their DOCX, oldest-checked first."""
    from .models import Document

    batch = list(
        Document.objects.filter(state="final")
        .select_related("agency")
        .order_by(F("fixity_checked_at").asc(nulls_first=True), "id")[:limit]
    )
    results = []
    for document in batch:
        statuses = []
        for name, sha in (
            (document.pdf_name, document.pdf_sha256),
            (document.docx_name, document.docx_sha256),
        ):
            if not name:
                continue
            found = storage.rehash(name)
            status = (
                "ok"
                if found is not None and found[0] == sha
                else ("missing" if found is None else "mismatch")
            )
            statuses.append((name, sha, status))
        ok = all(status == "ok" for _name, _sha, status in statuses)
        now = timezone.now()
        with transaction.atomic():
            # A finalised document is immutable; only its fixity bookkeeping changes (volatile in the ledger).
            Document.objects.filter(pk=document.pk).update(fixity_checked_at=now, fixity_ok=ok)
            ledger.append(
                agency=document.agency,
                actor=None,
                action="records.fixity_check",
                obj=document,
                payload={
                    "case": document.case_id,
                    "files": [
                        {"file": name, "sha256": sha, "result": status} for name, sha, status in statuses
                    ],
                },
            )
        for name, _sha, status in statuses:
            if status != "ok":
                log.error("fixity: document %s (%s) is %s", document.pk, name, status)
            results.append({"document": document.pk, "file": name, "result": status})
    return results


def failed_files(model, agency_ids, limit: int | None = None) -> list:
    """Evidence or documents (``model``) of ``agency_ids`` whose last fixity check failed, with their cases. Their
    ids first, from the partial index of failed files alone (usually empty), then the rows: asked for whole rows and
    their cases at once, the database could not tell how few fail — files never checked yet leave it no
    statistics — and read a province's documents (1.4 s for a supervisor of 100 agencies at a million cases)."""
    ids = model.objects.filter(agency_id__in=agency_ids, fixity_ok=False).values_list("pk", flat=True)
    ids = list(ids[:limit] if limit else ids)
    return list(model.objects.filter(pk__in=ids).select_related("case")) if ids else []


def fixity_alerts(agency_ids) -> list[Evidence]:
    """Evidence whose last fixity check failed, for the supervisors' page and the case page."""
    return failed_files(Evidence, agency_ids)


def cleanup_received(received: ingest.Received) -> None:
    Path(received.path).unlink(missing_ok=True)

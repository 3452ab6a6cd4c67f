"""Every change to documents, one function per thing a person does.

Each action fetches the case through ``cases.queries.access_case`` with its row locked (so two actions on one
case never interleave), checks who may act (the handling officers, the unit head, the agency head — the same
rule as the case's own actions), checks the document's lifecycle, writes in one transaction and appends its
ledger entry in it. A finalised document is never written again; a correction is a new version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases.choices import State as CaseState
from zhifa.cases.models import Case, CaseRecord
from zhifa.cases.queries import access_case
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.sequences import next_number
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org.models import Person

from . import conf, decision_draft, kinds, render, rules, seal, storage, uploads
from .choices import DocumentKind, DocumentState, SignatureMethod, SignatureRole
from .models import Document, DocumentSignature

NARRATIVE_MAX = 20000
# The hearing chair (not an investigator, 行政处罚法 art. 64) signs and writes the hearing's own documents.
HEARING_KINDS = frozenset({DocumentKind.HEARING_RECORD, DocumentKind.HEARING_REPORT})
STORAGE_PREFIX = "records/documents"


# Who may act -----------------------------------------------------------------------------------------------------


def _require_change(actor: Person, case: Case, kind: str | None = None) -> None:
    """The handling officers change their case's documents; the unit head and agency head may too."""
    from zhifa.cases import access

    from .archive import refuse_if_archived

    if actor is None:
        raise ActionDenied(_("请先登录。"))
    refuse_if_archived(case)  # an archived file is read-only: nothing is signed, generated or uploaded
    step = "change_hearing_documents" if kind in HEARING_KINDS else "change_documents"
    access.require(actor, case, step, documents=False)


def _signer_role(actor: Person, case: Case, kind: str) -> str:
    if actor.pk in set(case.officer_links.values_list("person_id", flat=True)):
        return SignatureRole.OFFICER
    if kind in HEARING_KINDS and case.hearing_chair_id == actor.pk:
        return SignatureRole.OFFICER
    return SignatureRole.HEAD


def _case(actor: Person, case_id) -> Case:
    """The case, permission-checked (Http404 outside the actor's agencies) and locked until the action ends."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise ActionDenied(_("请先登录。"))
    return access_case(actor, case_id, lock=True)


def _document(actor: Person, document: Document) -> tuple[Case, Document]:
    case = _case(actor, document.case_id)
    locked = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    return case, locked


# Lifecycle checks ------------------------------------------------------------------------------------------------


def _check_state(case: Case, spec: kinds.KindSpec) -> None:
    if case.state == CaseState.ARCHIVED:
        raise RuleViolation(_("案件已归档，不能再制作或修改文书。"))
    if case.state not in spec.states:
        raise RuleViolation(
            _("案件当前状态为“%(state)s”，不能制作“%(kind)s”。")
            % {"state": CaseState(case.state).label, "kind": spec.label}
        )
    problem = spec.applies(case)
    if problem:
        raise RuleViolation(problem)


def _require_draft(document: Document) -> None:
    if document.state == DocumentState.FINAL:
        raise RuleViolation(_("文书已定稿，不能修改；如需更正，请制作更正版本。"))
    if document.state != DocumentState.DRAFT:
        raise RuleViolation(_("该文书草稿已作废。"))


def _clean_narrative(spec: kinds.KindSpec, narrative: Mapping[str, object]) -> dict[str, str]:
    known = {n.name: n for n in spec.narrative}
    unknown = sorted(set(narrative) - set(known))
    if unknown:
        raise RuleViolation(_("文书没有这些内容项：%(names)s。") % {"names": "、".join(unknown)})
    out = {}
    for name, value in narrative.items():
        text = "" if value is None else str(value)
        text = text.replace("\r\n", "\n").strip()
        if len(text) > NARRATIVE_MAX:
            raise RuleViolation(_("“%(label)s”内容过长。") % {"label": known[name].label})
        if known[name].choices and text and text not in known[name].choices:
            raise RuleViolation(
                _("“%(label)s”只能选择：%(choices)s。")
                % {"label": known[name].label, "choices": "、".join(known[name].choices)}
            )
        out[name] = text
    return out


def _not_future(day: dt.date) -> dt.date:
    if day > timezone.localdate():
        raise RuleViolation(_("文书日期不能晚于今天。"))
    return day


def _record_for(case: Case, spec: kinds.KindSpec, record: CaseRecord | None) -> CaseRecord | None:
    if spec.record_kind is None:
        if record is not None:
            raise RuleViolation(_("“%(kind)s”不依据调查记录制作。") % {"kind": spec.label})
        return None
    if record is None:
        record = case.records.filter(kind=spec.record_kind).order_by("-started_at", "-id").first()
        if record is None:
            from zhifa.cases.choices import RecordKind

            raise RuleViolation(
                _("本案还没有“%(record)s”记录，请先在案件中制作该记录，再生成“%(kind)s”。")
                % {"record": RecordKind(spec.record_kind).label, "kind": spec.label}
            )
    if record.case_id != case.pk or record.kind != spec.record_kind:
        raise RuleViolation(_("所选记录不属于本案或与文书种类不符。"))
    return record


def _append(document: Document, actor, action: str, obj=None, files=(), **extra) -> None:
    obj = obj or document
    payload = {"state": snapshot(obj), "case": document.case_id, **extra}
    if obj is not document:
        payload["document"] = document.pk
    ledger.append(
        agency=document.agency, actor=actor, action=f"records.{action}", obj=obj, payload=payload, files=files
    )


# Drafts ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def generate_document(
    actor: Person,
    case: Case,
    *,
    kind: str,
    record: CaseRecord | None = None,
    narrative: Mapping[str, object] | None = None,
    dated: dt.date | None = None,
) -> Document:
    """生成文书草稿: the kind's content from the case file, its narrative fields filled with their first text."""
    case = _case(actor, case.pk)
    if kind not in kinds.KINDS:
        raise RuleViolation(_("文书种类不正确。"))
    spec = kinds.spec(kind)
    _require_change(actor, case, kind)
    _check_state(case, spec)
    decision_draft.refuse_generate(case, kind)
    record = _record_for(case, spec, record)
    if dated is None:
        dated = timezone.localdate(record.started_at) if record is not None else timezone.localdate()
    text = {n.name: n.initial(case, record) or "" for n in spec.narrative}
    text.update(_clean_narrative(spec, narrative or {}))
    document = Document(
        agency=case.agency,
        case=case,
        kind=kind,
        record=record,
        narrative=text,
        dated=_not_future(dated),
        created_by=actor,
    )
    document.full_clean()
    document.save()
    _append(document, actor, "generate_document")
    return document


@transaction.atomic
def edit_draft(
    actor: Person,
    document: Document,
    *,
    narrative: Mapping[str, object] | None = None,
    dated: dt.date | None = None,
) -> Document:
    """Change what the officer wrote. Signatures made before the change no longer count (they signed other text)."""
    case, document = _document(actor, document)
    spec = kinds.spec(document.kind)
    _require_change(actor, case, document.kind)
    _require_draft(document)
    _check_state(case, spec)
    decision_draft.refuse_change(case, document)
    changes = _clean_narrative(spec, narrative or {})
    document.narrative = {**document.narrative, **changes}
    if dated is not None:
        document.dated = _not_future(dated)
    document.updated_at = timezone.now()
    document.save()
    _append(document, actor, "edit_draft", changed=sorted(changes) + (["dated"] if dated else []))
    return document


@transaction.atomic
def discard_draft(actor: Person, document: Document, *, reason: str) -> Document:
    case, document = _document(actor, document)
    _require_change(actor, case, document.kind)
    _require_draft(document)
    decision_draft.refuse_change(case, document)
    if not reason.strip():
        raise RuleViolation(_("请填写作废理由。"))
    document.state = DocumentState.DISCARDED
    document.updated_at = timezone.now()
    document.save()
    _append(document, actor, "discard_draft", reason=reason.strip())
    return document


# Signatures ------------------------------------------------------------------------------------------------------


def _draft_hash(document: Document) -> str:
    return rules.content_hash(render.content_for(document))


@transaction.atomic
def sign_document(actor: Person, document: Document) -> DocumentSignature:
    """An officer (or head) signs the draft with their account: bound to the content as it stands."""
    case, document = _document(actor, document)
    _require_change(actor, case, document.kind)
    _require_draft(document)
    sha = _draft_hash(document)
    if document.signatures.filter(person=actor, content_sha256=sha, method=SignatureMethod.ACCOUNT).exists():
        raise RuleViolation(_("您已在该文书上签名。"))
    signature = DocumentSignature.objects.create(
        document=document,
        role=_signer_role(actor, case, document.kind),
        method=SignatureMethod.ACCOUNT,
        person=actor,
        signer_name=actor.full_name,
        content_sha256=sha,
        recorded_by=actor,
    )
    _append(document, actor, "sign_document", obj=signature, content_sha256=sha)
    return signature


@transaction.atomic
def capture_party_signature(
    actor: Person, document: Document, *, signer_name: str, png: bytes
) -> DocumentSignature:
    """The party signs on the touch screen the officer holds out: a PNG of the handwriting, bound to the draft."""
    case, document = _document(actor, document)
    _require_change(actor, case, document.kind)
    _require_draft(document)
    if not signer_name.strip():
        raise RuleViolation(_("请填写签名人姓名。"))
    checked = uploads.check_signature_png(png)
    stored = storage.put(checked.data, ext=checked.ext, prefix="records/signatures")
    sha = _draft_hash(document)
    signature = DocumentSignature.objects.create(
        document=document,
        role=SignatureRole.PARTY,
        method=SignatureMethod.HANDWRITTEN,
        signer_name=signer_name.strip(),
        file_name=stored.name,
        file_sha256=stored.sha256,
        file_type=checked.content_type,
        content_sha256=sha,
        recorded_by=actor,
    )
    _append(
        document,
        actor,
        "capture_party_signature",
        obj=signature,
        files=[(stored.name, stored.sha256)],
        content_sha256=sha,
    )
    return signature


@transaction.atomic
def attach_signed_scan(
    actor: Person, document: Document, *, signer_name: str, data: bytes, note: str = ""
) -> DocumentSignature:
    """A scan of the paper the party signed. On a draft it stands for the party's signature of that content; on a
    finalised document it is kept beside it (the document itself does not change)."""
    case, document = _document(actor, document)
    _require_change(actor, case, document.kind)
    if document.state == DocumentState.DISCARDED:
        raise RuleViolation(_("该文书草稿已作废。"))
    if not signer_name.strip():
        raise RuleViolation(_("请填写签名人姓名。"))
    checked = uploads.check_scan(data)
    stored = storage.put(checked.data, ext=checked.ext, prefix="records/signatures")
    final = document.state == DocumentState.FINAL
    sha = document.content_sha256 if final else _draft_hash(document)
    signature = DocumentSignature.objects.create(
        document=document,
        role=SignatureRole.PARTY,
        method=SignatureMethod.SCAN,
        signer_name=signer_name.strip(),
        file_name=stored.name,
        file_sha256=stored.sha256,
        file_type=checked.content_type,
        content_sha256=sha,
        after_final=final,
        note=note.strip()[:300],
        recorded_by=actor,
    )
    _append(
        document,
        actor,
        "attach_signed_scan",
        obj=signature,
        files=[(stored.name, stored.sha256)],
        content_sha256=sha,
    )
    return signature


@transaction.atomic
def record_refusal(
    actor: Person, document: Document, *, signer_name: str, witness: str, note: str = ""
) -> DocumentSignature:
    """The party refuses to sign: noted with a witness (行政强制法 art. 18(7); 行政处罚法 art. 52)."""
    case, document = _document(actor, document)
    _require_change(actor, case, document.kind)
    _require_draft(document)
    if not signer_name.strip():
        raise RuleViolation(_("请填写拒绝签名的当事人姓名。"))
    if not witness.strip():
        raise RuleViolation(_("当事人拒绝签名的，须记录见证人。"))
    sha = _draft_hash(document)
    signature = DocumentSignature.objects.create(
        document=document,
        role=SignatureRole.PARTY,
        method=SignatureMethod.REFUSED,
        signer_name=signer_name.strip(),
        witness=witness.strip(),
        note=note.strip()[:300],
        content_sha256=sha,
        recorded_by=actor,
    )
    _append(document, actor, "record_refusal", obj=signature, content_sha256=sha)
    return signature


# Finalising ------------------------------------------------------------------------------------------------------

_MISSING = {
    "party": gettext_lazy("当事人签名（或记录拒绝签名及见证人）"),
}


def missing_for(document: Document, content_sha256: str) -> list[str]:
    """What the draft still lacks before it can be finalised, in words."""
    spec = kinds.spec(document.kind)
    problems = [
        _("“%(label)s”尚未填写") % {"label": _(n.label)}
        for n in spec.narrative
        if n.required and not str((document.narrative or {}).get(n.name, "")).strip()
    ]
    sigs = [
        rules.Sig(s.role, s.method, s.person_id, s.content_sha256)
        for s in document.signatures.all()
        if not s.after_final
    ]
    for code in rules.missing_signatures(spec.requirement(document.record), sigs, content_sha256):
        if code.startswith("officers:"):
            problems.append(_("还需%(n)s名执法人员签名") % {"n": code.split(":")[1]})
        else:
            problems.append(str(_MISSING[code]))
    return problems


def _number(document: Document, case: Case, spec: kinds.KindSpec) -> tuple[str, str, int, int]:
    """(number, series key, year, serial): a correction keeps the number of the document it corrects."""
    if document.supersedes_id:
        old = document.supersedes
        return old.number, old.number_key, old.year, old.serial
    year = document.dated.year
    key = rules.sequence_key(document.kind, case.field_id if conf.number_per_field() else None)
    serial = next_number(
        case.agency, key, year
    )  # locks the counter until this transaction ends: no gap, no twin
    number = rules.document_number(
        agency_short_name=case.agency.short_name,
        field_abbreviation=case.field.abbreviation,
        code=kinds.number_code(spec),
        year=year,
        serial=serial,
    )
    return number, key, year, serial


@transaction.atomic
def finalise_document(actor: Person, document: Document) -> Document:
    """定稿: number the document, freeze what it states, render the PDF and DOCX, seal the PDF with the agency's
    certificate, store both under their SHA-256 and record the hashes in the ledger. Never undone."""
    case, document = _document(actor, document)
    spec = kinds.spec(document.kind)
    _require_change(actor, case, document.kind)
    _require_draft(document)
    _check_state(case, spec)
    decision_draft.check_finalise(case, document)
    if document.kind in decision_draft.DECISION_KINDS and not document.supersedes_id:
        document.dated = case.decided_on  # the reviewed draft plus the decision's number, date and seal
    _not_future(document.dated)
    if document.supersedes_id and document.supersedes.state != DocumentState.FINAL:
        raise RuleViolation(_("被更正的文书尚未定稿。"))
    content = render.content_for(document)
    sha = rules.content_hash(content)
    problems = missing_for(document, sha)
    if problems:
        raise RuleViolation(_("文书还不能定稿：%(items)s。") % {"items": "；".join(str(p) for p in problems)})
    signatures = [render.signature_view(s) for s in render.valid_signatures(document, sha)]
    number, key, year, serial = _number(document, case, spec)

    ctx = render.template_context(document, content, signatures, draft=False, number=number)
    html = render.html(document, ctx)
    pdf, box = render.pdf(html)
    sealed = seal.provider().seal(
        pdf, agency=case.agency, box=box if spec.seal else None, reason=f"{spec.label} {number}"
    )
    pdf_file = storage.put(sealed.pdf, ext="pdf", prefix=STORAGE_PREFIX)
    docx_file = storage.put(render.docx(html), ext="docx", prefix=STORAGE_PREFIX)

    document.number, document.number_key, document.year, document.serial = number, key, year, serial
    document.context = {"content": content, "signatures": signatures}
    document.content_sha256 = sha
    document.pdf_name, document.pdf_sha256 = pdf_file.name, pdf_file.sha256
    document.docx_name, document.docx_sha256 = docx_file.name, docx_file.sha256
    document.seal = sealed.info
    document.state = DocumentState.FINAL
    document.finalised_by, document.finalised_at = actor, timezone.now()
    document.updated_at = document.finalised_at
    document.full_clean()
    document.save()
    _append(
        document,
        actor,
        "finalise_document",
        number=number,
        content_sha256=sha,
        files=[(pdf_file.name, pdf_file.sha256), (docx_file.name, docx_file.sha256)],
    )
    return document


@transaction.atomic
def correct_document(actor: Person, document: Document, *, reason: str) -> Document:
    """更正: a new draft version that, once finalised, supersedes this one. The old version stays as it was."""
    case, document = _document(actor, document)
    _require_change(actor, case, document.kind)
    if document.state != DocumentState.FINAL:
        raise RuleViolation(_("只有已定稿的文书需要更正；草稿可以直接修改。"))
    if not reason.strip():
        raise RuleViolation(_("请填写更正理由。"))
    if document.corrections.exclude(state=DocumentState.DISCARDED).exists():
        raise RuleViolation(_("该文书已有更正版本，请在最新版本上更正。"))
    if case.state == CaseState.ARCHIVED:
        raise RuleViolation(_("案件已归档，不能再制作或修改文书。"))
    correction = Document(
        agency=document.agency,
        case=case,
        kind=document.kind,
        record=document.record,
        narrative=dict(document.narrative),
        dated=timezone.localdate(),
        version=document.version + 1,
        supersedes=document,
        correction_reason=reason.strip()[:300],
        created_by=actor,
    )
    correction.full_clean()
    correction.save()
    _append(correction, actor, "correct_document", supersedes=document.pk, reason=reason.strip())
    return correction

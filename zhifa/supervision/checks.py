"""What the platform itself can judge of a 案卷评查 scorecard, for one closed case file (结案 or 归档).

``prefill(case)`` answers each item of ``CHECKS`` with a ``Finding``: "pass", "fail", or None where the platform has
no data to judge it and the evaluator must; a one-sentence note saying what was found; and links to where it can be
seen. Read-only: nothing is written, and nothing of the law is restated here — each check asks the function of the
platform that already decides the question (the actions' own rules, the archive's list of required documents, the
decision gate's review digest, the deadlines, the 音像记录事项清单 check, the publication's due date, the fixity
checks). The reads are bounded: a file of tens of records, documents and evidence items costs a fixed number of
queries, shared between the checks (``zhifa.core.memo``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core import memo

PASS = "pass"
FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    result: str | None  # "pass", "fail", or None: the platform cannot judge this here (the evaluator judges)
    note: str  # one sentence saying what was found
    evidence: tuple[tuple[str, str], ...] = ()  # (label, url path) where it can be seen


CHECKS: dict[str, str] = {
    "two_officers": gettext_lazy("两名以上持证执法人员（每份现场笔录、询问笔录）"),
    "documents_final": gettext_lazy("应有文书齐全且已定稿"),
    "deadlines_met": gettext_lazy("各办案期限均按期完成"),
    "legal_review": gettext_lazy("重大执法决定经法制审核通过（审核的是作出决定时的案件状态）"),
    "av_records": gettext_lazy("音像记录事项清单要求的音像记录齐全"),
    "service_proof": gettext_lazy("决定书依法送达并有送达凭证"),
    "publication": gettext_lazy("行政处罚决定按期公开（或依法不公开）"),
    "fixity": gettext_lazy("证据文件完整性核验无异常"),
}

# The procedure paths of ``records.archive.REQUIRED``, as an evaluator names them.
PATH_LABELS = {
    "general": gettext_lazy("一般程序"),
    "hearing": gettext_lazy("一般程序（举行听证）"),
    "simple": gettext_lazy("简易程序"),
    "no_penalty": gettext_lazy("不予行政处罚"),
    "transfer": gettext_lazy("移送司法机关"),
    "not_filed": gettext_lazy("不予立案"),
    "revoked": gettext_lazy("撤销立案"),
    "terminated": gettext_lazy("终止"),
}


def prefill(case) -> dict[str, Finding]:
    """One ``Finding`` per code of ``CHECKS`` (in its order) for a closed (结案/归档) case."""
    return memo.page(_prefill)(case)  # the records, officers and digest are read once for all the checks


def _prefill(case) -> dict[str, Finding]:
    file = _File(case)
    checks = {
        "two_officers": _two_officers,
        "documents_final": _documents_final,
        "deadlines_met": _deadlines_met,
        "legal_review": _legal_review,
        "av_records": _av_records,
        "service_proof": _service_proof,
        "publication": _publication,
        "fixity": _fixity,
    }
    return {code: checks[code](file) for code in CHECKS}


class _File:
    """The case and what several checks read of it, each read once."""

    def __init__(self, case):
        self.case = case
        self._documents = None

    @property
    def case_url(self) -> tuple[str, str]:
        return (_("案件页面"), reverse("cases:detail", args=[self.case.pk]))

    @property
    def file_url(self) -> tuple[str, str]:
        return (_("案卷"), reverse("records:case_file", args=[self.case.pk]))

    def records(self) -> list:
        """The case's records with their officers and certificates shown (``cases.queries.case_records``)."""
        from zhifa.cases.queries import case_records

        return case_records(self.case)

    def documents(self) -> list:
        """Every document of the case, discarded ones too, in the order made."""
        if self._documents is None:
            from zhifa.records.models import Document

            self._documents = list(Document.objects.filter(case_id=self.case.pk).order_by("id"))
        return self._documents

    def latest_final(self) -> list:
        """The finalised documents, the latest version of each (as ``records.archive._latest_final`` reads them)."""
        final = [d for d in self.documents() if d.state == "final"]
        replaced = {d.supersedes_id for d in final if d.supersedes_id}
        return [d for d in final if d.pk not in replaced]


def _document_link(document) -> tuple[str, str]:
    label = f"{document.get_kind_display()} {document.number}".strip()
    return (label, reverse("records:document", args=[document.pk]))


def _sentence(parts: list[str]) -> str:
    return "；".join(str(p) for p in parts) + "。"


# 两名以上持证执法人员 -----------------------------------------------------------------------------------------------


def _two_officers(file: _File) -> Finding:
    """Each record made on site with the party (``cases.actions.common.ONSITE_RECORDS``: 询问笔录, 现场笔录, 先行登记
    保存, 查封扣押) has at least ``org.rules.MIN_ACTING_OFFICERS`` officers, each holding a certificate valid for the
    case's field on the day (``org.rules.certificate_problem``, the rule of ``org.queries.acting_officer_certificate``),
    and records the certificate each one showed (art. 55) — what ``add_record`` refuses otherwise, so a failure here
    is a file that came in around the actions (an imported or legacy file)."""
    from zhifa.cases.actions.common import ONSITE_RECORDS
    from zhifa.cases.choices import RecordKind
    from zhifa.org import rules as org_rules
    from zhifa.org.models import Certificate

    case = file.case
    records = [r for r in file.records() if r.kind in ONSITE_RECORDS]
    if not records:
        return Finding(
            PASS, _("本案没有须两名执法人员在场制作的现场笔录、询问笔录等记录，不适用。"), (file.case_url,)
        )
    person_ids = {p.pk for r in records for p in r.officers.all()}
    certificates: dict[int, list] = {}
    for cert in Certificate.objects.filter(person_id__in=person_ids).prefetch_related("fields"):
        certificates.setdefault(cert.person_id, []).append(cert)
    field = case.field.code

    def certified(person, on) -> bool:
        return any(
            org_rules.certificate_problem(
                status=c.status,
                valid_from=c.valid_from,
                valid_to=c.valid_to,
                field_codes=[f.code for f in c.fields.all()],
                field=field,
                on=on,
            )
            is None
            for c in certificates.get(person.pk, ())
        )

    problems, bad, seen = [], [], {}
    for record in records:
        seen[record.kind] = seen.get(record.kind, 0) + 1
        what = _("第%(n)d份%(kind)s") % {"n": seen[record.kind], "kind": RecordKind(record.kind).label}
        officers = list(record.officers.all())
        on = timezone.localdate(record.started_at)
        found = []
        if len(officers) < org_rules.MIN_ACTING_OFFICERS:
            found.append(
                _("%(what)s没有记录执法人员") % {"what": what}
                if not officers
                else _("%(what)s只有一名执法人员") % {"what": what}
                if len(officers) == 1
                else _("%(what)s只有%(count)d名执法人员") % {"what": what, "count": len(officers)}
            )
        uncertified = [p.full_name for p in officers if not certified(p, on)]
        if uncertified:
            found.append(
                _("%(what)s的执法人员%(names)s在%(date)s没有有效的、适用于本执法领域的执法证")
                % {"what": what, "names": "、".join(uncertified), "date": on.isoformat()}
            )
        shown = {c.person_id for c in record.certificates_shown.all()}
        not_shown = [p.full_name for p in officers if p.pk not in shown]
        if not_shown:
            found.append(
                _("%(what)s没有记录%(names)s出示执法证") % {"what": what, "names": "、".join(not_shown)}
            )
        if found:
            problems.extend(found)
            bad.append((what, record))
    counts = "、".join(
        _("%(kind)s %(n)d 份") % {"kind": RecordKind(kind).label, "n": n} for kind, n in seen.items()
    )
    if not problems:
        return Finding(
            PASS,
            _("%(counts)s，均有两名以上持证执法人员并记录出示执法证。") % {"counts": counts},
            (file.case_url,),
        )
    by_record = {}
    for doc in file.latest_final() or ():
        if doc.record_id:
            by_record.setdefault(doc.record_id, doc)
    evidence = [file.case_url]
    for what, record in bad:
        doc = by_record.get(record.pk)
        if doc is not None:
            evidence.append((str(what), reverse("records:document", args=[doc.pk])))
    return Finding(FAIL, _sentence(problems), tuple(evidence))


# 应有文书齐全且已定稿 ----------------------------------------------------------------------------------------------


def _documents_final(file: _File) -> Finding:
    """The documents the case's procedure path must hold (``records.archive.REQUIRED`` for
    ``archive.procedure_path``, with ``archive.RECORD_DOCUMENTS`` for the measures taken) are each finalised, and no
    draft is left — the documents part of ``archive.missing`` (its review and fixity parts are checks of their own)."""
    from zhifa.cases.queries import record_kinds
    from zhifa.records import archive
    from zhifa.records.choices import DocumentKind

    case = file.case
    path = archive.procedure_path(case)
    have = {d.kind for d in file.latest_final()}
    needed = list(archive.REQUIRED[path])
    if path not in ("not_filed", "simple"):
        kinds = record_kinds(case)
        needed += [doc for record_kind, doc in archive.RECORD_DOCUMENTS.items() if record_kind in kinds]
    missing = []
    for item in needed:
        choice = item if isinstance(item, tuple) else (item,)
        if not have & set(choice):
            missing.append(_("或").join(f"《{DocumentKind(k).label}》" for k in choice))
    drafts = [d for d in file.documents() if d.state == "draft"]
    label = PATH_LABELS.get(path, path)
    if not missing and not drafts:
        return Finding(
            PASS,
            _("按%(path)s应有的%(n)d种文书均已定稿，没有遗留草稿。") % {"path": label, "n": len(needed)},
            (file.file_url,),
        )
    problems = []
    if missing:
        problems.append(_("按%(path)s缺少已定稿的%(kinds)s") % {"path": label, "kinds": "、".join(missing)})
    if drafts:
        problems.append(
            _("%(kinds)s仍是草稿") % {"kinds": "、".join(f"《{d.get_kind_display()}》" for d in drafts)}
        )
    evidence = [file.file_url] + [
        (_("%(kind)s（草稿）") % {"kind": d.get_kind_display()}, reverse("records:document", args=[d.pk]))
        for d in drafts
    ]
    return Finding(FAIL, _sentence(problems), tuple(evidence))


# 各办案期限均按期完成 ----------------------------------------------------------------------------------------------


def _deadlines_met(file: _File) -> Finding:
    """Every time limit of the case that binds the agency (``cases.deadlines._of_case_qs``: the case's own, its
    records' and its review rounds'; the party's periods — 陈述申辩、听证申请、缴款 — are not the agency's to keep) was
    met on or before its due date (``workdays.Deadline``: ``due`` with its extensions and suspensions, ``met_on``,
    ``ended_on``). One that ended unmet after it fell due, or still runs past it, was not."""
    from zhifa.cases import deadlines

    today = timezone.localdate()
    rows = list(deadlines._of_case_qs(file.case).select_related("kind").order_by("start", "id"))
    own = [d for d in rows if not d.kind.binds_party]
    if not own:
        return Finding(None, _("平台没有本案办案期限的记录，由评查人员核对。"), (file.case_url,))
    late, problems = [], []
    for d in own:
        values = {"kind": d.kind.label, "due": d.due.isoformat()}
        if d.met_on is not None:
            if d.met_on > d.due:
                late.append(d)
                problems.append(
                    _("%(kind)s至%(due)s届满，%(on)s才完成") % {**values, "on": d.met_on.isoformat()}
                )
        elif d.ended_on is not None:
            if d.ended_on > d.due:
                late.append(d)
                problems.append(
                    _("%(kind)s至%(due)s届满，逾期未完成，至%(on)s不再计算")
                    % {**values, "on": d.ended_on.isoformat()}
                )
        elif d.suspended_since is None and d.due < today:
            late.append(d)
            problems.append(_("%(kind)s至%(due)s届满，至今未完成") % values)
    if problems:
        evidence = [file.case_url] + [
            (d.kind.label, reverse("workdays:deadline_detail", args=[d.pk])) for d in late
        ]
        return Finding(FAIL, _sentence(problems), tuple(evidence))
    met = [d for d in own if d.met_on is not None]
    kinds = "、".join(dict.fromkeys(d.kind.label for d in met)) or _("无")
    note = _("%(n)d项办案期限均在届满前完成（%(kinds)s）") % {"n": len(met), "kinds": kinds}
    ended = len(own) - len(met)
    if ended:
        note += _("，另有%(n)d项在届满前因案件进程结束") % {"n": ended}
    return Finding(PASS, note + "。", (file.case_url,))


# 法制审核 -------------------------------------------------------------------------------------------------------------

_LEDGER_KINDS = {"record": "cases.caserecord", "document": "records.document", "evidence": "records.evidence"}


def _legal_review(file: _File) -> Finding:
    """Where the decision had to pass legal review (``review.queries.review_reasons``), a round passed it
    (``review.queries.passing_submission``: approved, or resolved by a collective discussion) for exactly the case as
    it stood when the head decided — the digest the decision gate (``review.gate``) compared then. That digest is
    rebuilt from today's (``review.digest.case_digest``) by setting aside what the ledger shows happened after the
    decision entry: records, documents and evidence made later, and decision drafts finalised later (taken back to
    the draft text the reviewer saw)."""
    from zhifa.review import queries as review_queries

    case = file.case
    if case.decided_on is None:
        return Finding(PASS, _("本案未作出处理决定，不涉及法制审核。"), (file.case_url,))
    reasons = review_queries.review_reasons(case)
    if not reasons:
        return Finding(PASS, _("本案不属于须经法制审核的情形。"), (file.case_url,))
    why = "；".join(str(r) for r in reasons)
    submissions = list(case.submissions.order_by("-round"))
    if not submissions:
        return Finding(
            FAIL,
            _("本案须经法制审核（%(why)s），但没有送审记录。") % {"why": why},
            (file.case_url,),
        )
    passed = _passed_round(case, submissions)
    if passed is None:
        latest = submissions[0]
        return Finding(
            FAIL,
            _("本案须经法制审核（%(why)s），%(n)d轮审核均未通过（最后一轮：%(state)s）。")
            % {"why": why, "n": len(submissions), "state": latest.get_state_display()},
            (file.case_url, _review_link(latest)),
        )
    decision = _decision_entry(case)
    if decision is None:
        return Finding(
            None,
            _(
                "第%(round)d轮法制审核已通过，但账本中没有作出决定的记录，无法核对审核的是否为作出决定时的材料。"
            )
            % {"round": passed.round},
            (file.case_url, _review_link(passed)),
        )
    at_decision, items = _digest_at(file, decision["seq"])
    cleared = review_queries.passing_submission(case, at_decision)
    if cleared is not None and cleared.decided_at is not None and cleared.decided_at <= decision["at"]:
        return Finding(
            PASS,
            _("第%(round)d轮法制审核于%(on)s通过，审核的材料与作出决定时的案件材料一致。")
            % {"round": cleared.round, "on": timezone.localdate(cleared.decided_at).isoformat()},
            (file.case_url, _review_link(cleared)),
        )
    if cleared is not None:
        return Finding(
            FAIL,
            _("第%(round)d轮法制审核在作出决定之后才通过。") % {"round": cleared.round},
            (file.case_url, _review_link(cleared)),
        )
    from zhifa.review import digest

    changed = _describe(file, digest.changes(passed.digest_items, items))
    return Finding(
        FAIL,
        _("第%(round)d轮法制审核通过的材料与作出决定时的案件材料不一致（%(changes)s）。")
        % {"round": passed.round, "changes": "、".join(changed)},
        (file.case_url, _review_link(passed)),
    )


def _review_link(submission) -> tuple[str, str]:
    return (
        _("第%(round)d轮法制审核") % {"round": submission.round},
        reverse("review:submission", args=[submission.pk]),
    )


def _passed_round(case, submissions):
    """The latest round that passed review for its own digest (approved, or resolved collectively)."""
    from zhifa.review import queries as review_queries

    for submission in submissions:  # newest first
        if submission.state == "approved":
            return submission
        if submission.state == "problems" and review_queries.passing_submission(case, submission.digest):
            return submission
    return None


def _decision_entry(case) -> dict | None:
    """The ledger entry of the decision (its sequence number and time), or None for a file decided outside it."""
    from zhifa.ledger.models import Entry

    return (
        Entry.objects.filter(
            log_id=case.agency_id,
            object_kind="cases.case",
            object_id=str(case.pk),
            action__in=("cases.decide", "cases.decide_on_the_spot"),
        )
        .order_by("-seq")
        .values("seq", "at")
        .first()
    )


def _digest_at(file: _File, seq: int) -> tuple[str, list[list[str]]]:
    """The review digest of the case as it stood at ledger entry ``seq`` (the decision): today's items without the
    records, documents and evidence first entered after it; a document finalised (or discarded) after it counted as
    the draft it then was (``review.digest.document_items`` hashes a draft by its kind and narrative)."""
    from zhifa.ledger.models import Entry
    from zhifa.review import digest

    _current, now = digest.case_digest(file.case)
    items = {key: value for key, value in now}
    documents = {str(d.pk): d for d in file.documents()}
    discarded = [
        d for d in file.documents() if d.state == "discarded" and d.kind not in digest.PROCEDURAL_DOCUMENTS
    ]
    wanted: dict[str, set[str]] = {}
    for key in items:
        kind, _sep, pk = key.partition(":")
        if kind in _LEDGER_KINDS:
            wanted.setdefault(_LEDGER_KINDS[kind], set()).add(pk)
    wanted.setdefault("records.document", set()).update(str(d.pk) for d in discarded)
    q = Q()
    for object_kind, ids in wanted.items():
        q |= Q(object_kind=object_kind, object_id__in=sorted(ids))
    first: dict[tuple[str, str], int] = {}
    after: dict[tuple[str, str], set[str]] = {}
    for object_kind, object_id, action, entry_seq in Entry.objects.filter(
        q, log_id=file.case.agency_id
    ).values_list("object_kind", "object_id", "action", "seq"):
        key = (object_kind, object_id)
        first[key] = min(first.get(key, entry_seq), entry_seq)
        if entry_seq > seq:
            after.setdefault(key, set()).add(action)

    def draft_hash(document) -> str:
        return digest._sha({"kind": document.kind, "narrative": document.narrative})

    for key in list(items):
        kind, _sep, pk = key.partition(":")
        ledger_key = (_LEDGER_KINDS.get(kind), pk)
        if ledger_key not in first:
            continue  # no ledger trace: taken as it stands
        if first[ledger_key] > seq:
            del items[key]  # made after the decision
        elif kind == "document" and "records.finalise_document" in after.get(ledger_key, ()):
            items[key] = draft_hash(documents[pk])
    for document in discarded:
        ledger_key = ("records.document", str(document.pk))
        if first.get(ledger_key, seq + 1) <= seq and "records.discard_draft" in after.get(ledger_key, ()):
            items[f"document:{document.pk}"] = draft_hash(document)
    rows = sorted([key, value] for key, value in items.items())
    return digest._sha(rows), rows


def _describe(file: _File, changes: list[dict]) -> list[str]:
    """The changed digest items in words (``review.queries.describe_changes`` reads today's case; these are the
    decision's)."""
    from zhifa.cases.choices import RecordKind

    words = {"added": _("新增"), "removed": _("删除"), "changed": _("修改")}
    records = {str(r.pk): r for r in file.records()}
    documents = {str(d.pk): d for d in file.documents()}
    out = []
    for change in changes:
        kind, _sep, pk = change["key"].partition(":")
        if kind == "draft":
            what = _("处理意见")
        elif kind == "officer":
            what = _("承办人员或其执法证")
        elif kind == "record" and pk in records:
            what = RecordKind(records[pk].kind).label
        elif kind == "document" and pk in documents:
            what = documents[pk].get_kind_display()
        elif kind == "evidence":
            what = _("证据")
        else:
            what = change["key"]
        out.append(f"{words[change['change']]}{what}")
    return out


# 音像记录 -------------------------------------------------------------------------------------------------------------


def _av_records(file: _File) -> Finding:
    """Every record whose act the 音像记录事项清单 in force on its day marks 全程 has its recording
    (``records.evidence.av_flags``, the case page's check). A 根据情况 act recorded neither with a recording nor with
    the reason it was not is left to the evaluator; so is a file of an agency that has no list at all."""
    from zhifa.catalog import queries as catalog_queries
    from zhifa.records import evidence

    case = file.case
    flags = evidence.av_flags(case)
    missing = [f for f in flags if f["level"] == "bad"]
    unexplained = [f for f in flags if f["level"] == "warn"]

    def named(flag) -> str:
        record = flag["record"]
        same = [r for r in file.records() if r.kind == record.kind]
        return _("第%(n)d份%(kind)s（%(act)s）") % {
            "n": same.index(record) + 1 if record in same else 1,
            "kind": record.get_kind_display(),
            "act": flag["act"],
        }

    if missing:
        return Finding(
            FAIL,
            _("%(records)s属于须全程音像记录的事项，未附音像记录。")
            % {"records": "、".join(named(f) for f in missing)},
            (file.case_url,),
        )
    if unexplained:
        return Finding(
            None,
            _("%(records)s属于根据情况音像记录的事项，未附音像记录也未说明理由，由评查人员判断。")
            % {"records": "、".join(named(f) for f in unexplained)},
            (file.case_url,),
        )
    days = [timezone.localdate(r.started_at) for r in file.records()]
    on = min(days) if days else case.accepted_on
    if not catalog_queries.av_requirements(case.agency, on):
        return Finding(
            None,
            _("本机关在本案办理时没有音像记录事项清单，平台无从核对，由评查人员判断。"),
            (file.case_url,),
        )
    return Finding(
        PASS,
        _("音像记录事项清单要求全程音像记录的事项均已附音像记录。"),
        (file.case_url,),
    )


# 送达 -----------------------------------------------------------------------------------------------------------------


def _service_proof(file: _File) -> Finding:
    """The decision was served and the service carries its proof, as ``serve_decision`` requires it: each method's
    proof (``cases.rules.service_problem``: the recipient, the witness or recording of 留置送达, the consent and the
    stored proof of 电子送达), 公告送达 only after a failed attempt (``rules.public_notice_allowed``), and the 送达回执
    finalised after the decision for the methods that need it (``access.missing_documents``); the simple procedure's
    on-the-spot decision is its own proof, finalised with the party's signature or the noted refusal. A case sent to
    the judicial organs (移送) has no decision to serve."""
    from zhifa.cases import access, rules
    from zhifa.cases.actions.execution import _SERVICE_MESSAGES
    from zhifa.cases.choices import Outcome, Procedure, ServiceMethod

    case = file.case
    if case.decided_on is None:
        return Finding(PASS, _("本案未作出处理决定，没有须送达的决定书。"), (file.case_url,))
    if case.outcome == Outcome.TRANSFER:
        return Finding(PASS, _("本案移送司法机关，没有须送达当事人的决定书。"), (file.case_url,))
    services = list(case.services.filter(document="decision").order_by("delivered_on", "id"))
    done = [s for s in services if not s.failed]
    if not done:
        return Finding(FAIL, _("决定书没有送达记录。"), (file.case_url,))
    problems = []
    evidence = [file.case_url]
    if case.procedure == Procedure.SIMPLE:
        if access.missing_documents(case, "close_case"):
            problems.append(_("当场行政处罚决定书没有经当事人签收（或注明拒绝签收）后定稿"))
    else:
        for service in done:
            method = service.get_method_display()
            problem = rules.service_problem(
                service.method,
                recipient=service.recipient,
                witness=service.witness,
                recording=service.recording,
                consent=service.consent,
                proof=bool(service.proof_sha256),
            )
            if problem:
                problems.append(f"{method}：{_SERVICE_MESSAGES[problem]}".rstrip("。"))
            if service.method == ServiceMethod.PUBLIC_NOTICE and not rules.public_notice_allowed(
                [s.method for s in services if s.failed and s.delivered_on <= service.delivered_on]
            ):
                problems.append(_("公告送达前没有登记其他方式未能送达的情况"))
            if service.proof_name:
                evidence.append(
                    (
                        _("送达凭证（%(method)s）") % {"method": method},
                        reverse("cases:service_proof", args=[case.pk, service.pk]),
                    )
                )
        if any(s.method != ServiceMethod.ELECTRONIC for s in done) and access.missing_documents(
            case, "serve_decision"
        ):
            problems.append(_("没有决定作出后定稿的送达回执"))
    receipts = [d for d in file.latest_final() if d.kind in ("service_receipt", "on_the_spot_decision")]
    evidence += [_document_link(d) for d in receipts]
    if problems:
        return Finding(FAIL, _sentence(problems), tuple(evidence))
    last = done[-1]
    return Finding(
        PASS,
        _("决定书于%(on)s以%(method)s送达，送达凭证齐全。")
        % {"on": last.served_on.isoformat(), "method": last.get_method_display()},
        tuple(evidence),
    )


# 决定公开 -------------------------------------------------------------------------------------------------------------


def _publication(file: _File) -> Finding:
    """The decision's publication (``publicity.Publication``, opened by the decision itself with its due date
    ``due_on``: 7 working days for a penalty decision, 20 for others) was released by its due date, or withheld by
    the head on a legal ground (不予公开). One still unpublished is late once its due date passed, and not yet
    judgeable before. A case sent to the judicial organs has no decision to publish
    (``publicity.publication.kind_for``)."""
    from zhifa.publicity import publication as publication_rules
    from zhifa.publicity.choices import NotPublishedGround, PublicationKind, PublicationState
    from zhifa.publicity.models import Publication

    case = file.case
    if case.decided_on is None:
        return Finding(PASS, _("本案未作出处理决定，没有须公开的决定。"), (file.case_url,))
    kind = publication_rules.kind_for(case)
    if kind is None:
        return Finding(PASS, _("本案移送司法机关，没有须公开的行政执法决定。"), (file.case_url,))
    publication = Publication.objects.filter(case_id=case.pk).first()
    what = PublicationKind(kind).label
    if publication is None:
        return Finding(FAIL, _("本案%(what)s没有公开记录，未见公开。") % {"what": what}, (file.case_url,))
    values = {"what": what, "due": publication.due_on.isoformat()}
    evidence = (file.case_url, (_("决定公开"), reverse("catalog:publication_detail", args=[publication.pk])))
    if publication.state == PublicationState.NOT_PUBLISHED:
        ground = (
            NotPublishedGround(publication.not_published_ground).label
            if publication.not_published_ground
            else publication.public_reason
        )
        return Finding(PASS, _("%(what)s依法不予公开：%(ground)s。") % {**values, "ground": ground}, evidence)
    if publication.released_at is not None:
        on = timezone.localdate(publication.released_at)
        values["on"] = on.isoformat()
        if on <= publication.due_on:
            return Finding(PASS, _("%(what)s于%(on)s公开，在公开期限（%(due)s）内。") % values, evidence)
        return Finding(FAIL, _("%(what)s于%(on)s才公开，超过公开期限（%(due)s）。") % values, evidence)
    if publication.is_late(timezone.localdate()):
        return Finding(FAIL, _("%(what)s至今未公开，公开期限%(due)s已过。") % values, evidence)
    return Finding(
        None,
        _("%(what)s尚未公开，公开期限至%(due)s，届时由评查人员核对。") % values,
        evidence,
    )


# 证据文件完整性 -------------------------------------------------------------------------------------------------------


def _fixity(file: _File) -> Finding:
    """The stored evidence files (and the finalised documents' PDFs) passed their last fixity check
    (``records.evidence.check_fixity``, ``check_case_fixity`` at archiving: ``fixity_ok``). Evidence never checked yet
    leaves the question open: checking it is an action (it writes its result to the ledger), not a read."""
    from zhifa.records.models import Evidence

    case = file.case
    rows = list(
        Evidence.objects.filter(case_id=case.pk)
        .order_by("id")
        .values_list("pk", "description", "fixity_ok", "fixity_checked_at")
    )
    failed = [(pk, description) for pk, description, ok, _at in rows if ok is False]
    failed_documents = [d for d in file.latest_final() if d.fixity_ok is False]
    if failed or failed_documents:
        names = [f"“{description}”" for _pk, description in failed] + [
            f"《{d.get_kind_display()}》" for d in failed_documents
        ]
        evidence = (
            [file.file_url]
            + [(str(description), reverse("records:evidence", args=[pk])) for pk, description in failed]
            + [_document_link(d) for d in failed_documents]
        )
        return Finding(
            FAIL,
            _("%(names)s存储完整性校验未通过（文件缺失或被改动）。") % {"names": "、".join(names)},
            tuple(evidence),
        )
    if not rows:
        return Finding(PASS, _("本案没有上传的证据文件，不适用。"), (file.file_url,))
    unchecked = [pk for pk, _d, ok, _at in rows if ok is None]
    if unchecked:
        return Finding(
            None,
            _("%(total)d个证据文件中有%(n)d个尚未做过完整性校验，由评查人员核对。")
            % {"total": len(rows), "n": len(unchecked)},
            (file.file_url,),
        )
    last = max((at for _pk, _d, _ok, at in rows if at is not None), default=None)
    on = timezone.localdate(last).isoformat() if last else "—"
    return Finding(
        PASS,
        _("%(n)d个证据文件最近一次完整性校验（%(on)s）均无异常。") % {"n": len(rows), "on": on},
        (file.file_url,),
    )

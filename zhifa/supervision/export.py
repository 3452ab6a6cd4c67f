"""For the supervising 司法局 (issue 16 item 6): an agency's case files as data — the export package a supervisor
downloads, and the API (``/api/v1/supervision/case-files/``) their systems pull — scoped to the agencies they
supervise, every case handed out recorded in its agency's access log (调阅记录, a ``ledger.access`` entry).

A case file (``case_file(case)``; schema ``SCHEMA``, documented in docs/supervision.md) is the case's facts and
state, its party, officers, on-site records, documents (with their SHA-256), evidence (metadata and SHA-256, not
the bytes), time limits, legal reviews, 复议/诉讼 and its publication. The package is a ZIP: ``cases.jsonl`` (one case
file per line), ``cases.csv`` (one line per case), ``schema.json`` and ``manifest.json`` (the agency, the period, the
count and the SHA-256 of each file).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile

from django.db.models import Q
from django.utils import timezone

VERSION = 1

# The cases a period covers: filed, decided or closed in it.
PERIOD_FIELDS = ("filed_on", "decided_on", "closed_on")


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def cases_in(agency_ids, start: dt.date, end: dt.date):
    from zhifa.cases.models import Case

    period = Q()
    for field in PERIOD_FIELDS:
        period |= Q(**{f"{field}__range": (start, end)})
    return Case.objects.filter(agency_id__in=agency_ids).filter(period).order_by("pk")


def _prefetched(cases):
    from django.db.models import Prefetch

    from zhifa.cases.models import CaseOfficer, CaseRecord
    from zhifa.records.models import Document, Evidence

    return cases.select_related("agency", "unit", "party").prefetch_related(
        Prefetch("officer_links", queryset=CaseOfficer.objects.select_related("person").order_by("pk")),
        Prefetch("records", queryset=CaseRecord.objects.order_by("started_at", "pk")),
        Prefetch("documents", queryset=Document.objects.order_by("pk")),
        Prefetch("evidence", queryset=Evidence.objects.order_by("pk")),
        "submissions",
        "remedies",
    )


def case_file(case, deadlines: list[dict] | None = None, publication: dict | None = None) -> dict:
    """One case as data (see ``SCHEMA``). ``case`` comes from ``_prefetched``."""
    party = case.party
    return {
        "id": case.pk,
        "reference": case.reference,
        "agency": case.agency.code,
        "unit": case.unit.name if case.unit else None,
        "cause": case.cause,
        "source": case.source,
        "state": case.state,
        "items": list(case.items or []),
        "accepted_on": _iso(case.accepted_on),
        "filed_on": _iso(case.filed_on),
        "decided_on": _iso(case.decided_on),
        "closed_on": _iso(case.closed_on),
        "outcome": case.outcome or None,
        "penalty_kinds": list(case.penalty_kinds or []),
        "fine_amount": str(case.fine_amount),
        "party": {
            "kind": party.kind,
            "name": party.name,
            "id_type": party.id_type,
            "id_number": party.id_number,
        }
        if party
        else None,
        "officers": [{"name": link.person.full_name, "lead": link.lead} for link in case.officer_links.all()],
        "records": [
            {"kind": r.kind, "started_at": _iso(r.started_at), "place": r.place} for r in case.records.all()
        ],
        "documents": [
            {
                "kind": d.kind,
                "number": d.number or None,
                "state": d.state,
                "dated": _iso(d.dated),
                "pdf_sha256": d.pdf_sha256 or None,
            }
            for d in case.documents.all()
        ],
        "evidence": [
            {
                "kind": e.kind,
                "description": e.description,
                "collected_at": _iso(e.collected_at),
                "sha256": e.sha256,
                "size": e.size,
            }
            for e in case.evidence.all()
        ],
        "deadlines": deadlines or [],
        "reviews": [
            {"state": s.state, "submitted_at": _iso(s.submitted_at), "decided_at": _iso(s.decided_at)}
            for s in case.submissions.all()
        ],
        "remedies": [
            {
                "kind": p.kind,
                "applied_on": _iso(p.applied_on),
                "decided_on": _iso(p.decided_on),
                "outcome": p.outcome or None,
            }
            for p in case.remedies.all()
        ],
        "publication": publication,
    }


def case_files(cases) -> list[dict]:
    """The case files of a page of cases: a fixed number of queries whatever the page's size."""
    from django.contrib.contenttypes.models import ContentType

    from zhifa.cases.models import Case
    from zhifa.publicity.models import Publication
    from zhifa.workdays.models import Deadline

    if isinstance(
        cases, list
    ):  # a page of cases already read: read again with what the files need, in its order
        order = [c.pk for c in cases]
        found = {c.pk: c for c in _prefetched(Case.objects.filter(pk__in=order))}
        cases = [found[pk] for pk in order if pk in found]
    else:
        cases = list(_prefetched(cases))
    ids = [c.pk for c in cases]
    deadlines: dict[int, list[dict]] = {}
    case_type = ContentType.objects.get_for_model(Case)
    for target, code, due, met, ended in (
        Deadline.objects.filter(content_type=case_type, object_id__in=ids)
        .order_by("due", "pk")
        .values_list("object_id", "kind__code", "due", "met_on", "ended_on")
    ):
        deadlines.setdefault(target, []).append(
            {"kind": code, "due": _iso(due), "met_on": _iso(met), "ended_on": _iso(ended)}
        )
    publications = {
        case_id: {"state": state, "due_on": _iso(due), "released_at": _iso(released)}
        for case_id, state, due, released in Publication.objects.filter(case_id__in=ids).values_list(
            "case_id", "state", "due_on", "released_at"
        )
    }
    return [case_file(c, deadlines.get(c.pk), publications.get(c.pk)) for c in cases]


def record_handed_out(user, cases, reason: str) -> None:
    """Each case handed out, in its agency's access log (调阅记录)."""
    from zhifa.ledger import actions as ledger_actions

    for case in cases:
        ledger_actions.record_access(user, case, reason)


CSV_COLUMNS = (
    "reference",
    "unit",
    "cause",
    "state",
    "accepted_on",
    "filed_on",
    "decided_on",
    "closed_on",
    "outcome",
    "fine_amount",
    "documents",
    "evidence",
    "reviews",
    "remedies",
)


def _csv_row(f: dict) -> list:
    return [
        *(f[k] if f[k] is not None else "" for k in CSV_COLUMNS[:10]),
        len(f["documents"]),
        len(f["evidence"]),
        len(f["reviews"]),
        len(f["remedies"]),
    ]


def package(user, agency, start: dt.date, end: dt.date, out, progress=None, batch: int = 200) -> dict:
    """Write the export package of ``agency``'s cases of the period into ``out`` (a binary file); returns the
    manifest. Every case written is recorded in the access log."""
    cases = cases_in([agency.pk], start, end)
    total = cases.count()
    lines, table = io.StringIO(), io.StringIO()
    writer = csv.writer(table)
    writer.writerow(CSV_COLUMNS)
    done = 0
    ids = list(cases.values_list("pk", flat=True))
    for i in range(0, len(ids), batch):
        chunk = cases.filter(pk__in=ids[i : i + batch])
        files = case_files(chunk)
        record_handed_out(user, chunk, f"监督导出：{agency.name} {start:%Y-%m-%d}至{end:%Y-%m-%d}")
        for f in files:
            lines.write(json.dumps(f, ensure_ascii=False, sort_keys=True) + "\n")
            writer.writerow(_csv_row(f))
        done += len(files)
        if progress is not None:
            progress(done=done, total=total, step=f"{done}/{total}")
    contents = {
        "cases.jsonl": lines.getvalue().encode(),
        "cases.csv": ("\ufeff" + table.getvalue()).encode(),
        "schema.json": json.dumps(SCHEMA, ensure_ascii=False, indent=2).encode(),
    }
    manifest = {
        "version": VERSION,
        "agency": {"code": agency.code, "name": agency.name},
        "period": {"start": start.isoformat(), "end": end.isoformat(), "covers": list(PERIOD_FIELDS)},
        "generated_at": timezone.now().isoformat(),
        "generated_by": getattr(user, "username", ""),
        "cases": done,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()},
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


_DATE = {"type": ["string", "null"], "format": "date"}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_STR = {"type": "string"}
_OPT = {"type": ["string", "null"]}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://zhifa.example/schema/supervision/case-file/1",
    "title": "zhifa 案卷数据（监督导出）",
    "type": "object",
    "required": ["id", "reference", "agency", "state", "documents", "evidence"],
    "properties": {
        "id": {"type": "integer", "description": "平台内的案件编号"},
        "reference": {"type": "string", "description": "案件编号（文号）"},
        "agency": {"type": "string", "description": "执法主体代码"},
        "unit": _OPT,
        "cause": _STR,
        "source": _STR,
        "state": {"type": "string", "description": "案件状态代码"},
        "items": {"type": "array", "items": _STR, "description": "执法事项编码"},
        "accepted_on": _DATE,
        "filed_on": _DATE,
        "decided_on": _DATE,
        "closed_on": _DATE,
        "outcome": _OPT,
        "penalty_kinds": {"type": "array", "items": _STR},
        "fine_amount": {"type": "string", "description": "罚款金额（元，两位小数）"},
        "party": {"type": ["object", "null"]},
        "officers": {"type": "array", "items": {"type": "object"}},
        "records": {"type": "array", "items": {"type": "object"}},
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "kind": _STR,
                    "number": _OPT,
                    "state": _STR,
                    "dated": _DATE,
                    "pdf_sha256": _OPT,
                },
            },
        },
        "evidence": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "kind": _STR,
                    "description": _STR,
                    "collected_at": _TIME,
                    "sha256": _STR,
                    "size": {"type": "integer"},
                },
            },
        },
        "deadlines": {"type": "array", "items": {"type": "object"}},
        "reviews": {"type": "array", "items": {"type": "object"}},
        "remedies": {"type": "array", "items": {"type": "object"}},
        "publication": {"type": ["object", "null"]},
    },
}

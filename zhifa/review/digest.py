"""The digest a review is bound to: the decision draft and every record, document and evidence item of the case.

Each source yields (key, sha256-hex) pairs; the digest is SHA-256 over their canonical JSON. Apps add sources
(``SOURCES.append``): the records app its documents and evidence. A change to any of them changes the digest,
so an approval given for one digest does not cover another ("材料已变更，须重新送审").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from zhifa.core import memo
from zhifa.core.snapshot import snapshot
from zhifa.ledger.encoding import canonical

# Draft fields that make up the decision the head will sign.
DRAFT_FIELDS = (
    "outcome",
    "penalty_kinds",
    "fine_amount",
    "confiscation_amount",
    "facts",
    "evidence_summary",
    "violated_provisions",
    "penalty_provisions",
    "discretion",
    "transfer_to",
    "complex_case",
    "complex_reason",
    "public_interest",
    "public_interest_reason",
    "party_id",
    "field_id",
    "items",
)
# Records that are evidence or procedure of the investigation and hearing (not the statement and defence, which
# is answered by the 复核 and would otherwise re-open every review after the notice).
RECORD_KINDS = (
    "inquiry",
    "onsite",
    "preservation",
    "preservation_decision",
    "seizure",
    "seizure_extension",
    "seizure_release",
    "deliberation",
    "hearing",
)


def _sha(data) -> str:
    # RFC 8785's bytes, through the C json encoder where it writes the same (the ledger's encoder)
    return hashlib.sha256(canonical(data)).hexdigest()


def draft_items(case) -> Iterable[tuple[str, str]]:
    state = snapshot(case, many_to_many=False)  # the draft fields are all plain columns
    yield "draft", _sha({k: state.get(k) for k in DRAFT_FIELDS})


def record_items(case) -> Iterable[tuple[str, str]]:
    from zhifa.cases.queries import case_records  # the page's records, with their many-to-many values

    for record in sorted((r for r in case_records(case) if r.kind in RECORD_KINDS), key=lambda r: r.pk):
        # snapshot() reads each many-to-many with a query of its own; the prefetched ids instead
        state = snapshot(record, many_to_many=False)
        state.update(
            {f.name: sorted(o.pk for o in getattr(record, f.name).all()) for f in record._meta.many_to_many}
        )
        yield f"record:{record.pk}", _sha(state)


# Documents that answer procedure after the investigation (notices to the party, the statement record, receipts,
# what comes after the decision) do not change what the reviewer approved; every other document does.
PROCEDURAL_DOCUMENTS = frozenset(
    {
        "prior_notice",
        "statement_record",
        "hearing_rights",
        "hearing_notice",
        "service_receipt",
        "demand",
        "enforcement_application",
        "closing_report",
    }
)


def document_items(case) -> Iterable[tuple[str, str]]:
    """Every document of the case (drafts by their narrative, finalised ones by their content hash)."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return
    Document = apps.get_model("records", "Document")
    for doc in (
        Document.objects.filter(case=case)
        .exclude(state="discarded")
        .exclude(kind__in=PROCEDURAL_DOCUMENTS)
        .order_by("id")
    ):
        content = doc.content_sha256 or _sha({"kind": doc.kind, "narrative": doc.narrative})
        yield f"document:{doc.pk}", content


def evidence_items(case) -> Iterable[tuple[str, str]]:
    """Every evidence item of the case: its file's SHA-256 and what is said about it (kind, description, the
    record and document it belongs to, the secrecy mark)."""
    from django.apps import apps

    if not apps.is_installed("zhifa.records"):
        return
    Evidence = apps.get_model("records", "Evidence")
    for ev in Evidence.objects.filter(case=case).order_by("id"):
        yield (
            f"evidence:{ev.pk}",
            _sha(
                {
                    "sha256": ev.sha256,
                    "kind": ev.kind,
                    "description": ev.description,
                    "record": ev.record_id,
                    "document": ev.document_id,
                    "secrecy": ev.secrecy,
                    "collected_at": ev.collected_at.isoformat(),
                }
            ),
        )


def officer_items(case) -> Iterable[tuple[str, str]]:
    """The acting officers (review point 2, 人员资格): who, who leads, and each one's certificates with their status
    and validity. Replacing an officer, or a certificate lapsing or being suspended, changes the digest."""
    from zhifa.cases.queries import officer_links

    links = sorted(officer_links(case), key=lambda link: link.person_id)
    for link in links:
        certificates = sorted(
            [
                c.number,
                c.status,
                c.valid_from.isoformat(),
                c.valid_to.isoformat(),
                sorted(f.code for f in c.fields.all()),
            ]
            for c in link.person.certificates.all()
        )
        yield f"officer:{link.person_id}", _sha({"lead": link.lead, "certificates": certificates})


SOURCES: list[Callable] = [draft_items, officer_items, record_items, document_items, evidence_items]


def changes(before: list[list[str]], after: list[list[str]]) -> list[dict]:
    """What differs between two digests' items: [{"key", "change": added | removed | changed}], by key."""
    old, new = dict(map(tuple, before)), dict(map(tuple, after))
    out = []
    for key in sorted(set(old) | set(new)):
        if key not in old:
            out.append({"key": key, "change": "added"})
        elif key not in new:
            out.append({"key": key, "change": "removed"})
        elif old[key] != new[key]:
            out.append({"key": key, "change": "changed"})
    return out


def case_digest(case) -> tuple[str, list[list[str]]]:
    """(digest hex, the sorted [key, hash] items it covers); computed once per page (``zhifa.core.memo``)."""

    def compute():
        items = sorted([key, value] for source in SOURCES for key, value in source(case))
        return _sha(items), items

    digest, items = memo.once(("review.case_digest", case.pk), compute)
    return digest, [list(item) for item in items]

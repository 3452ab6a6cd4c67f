"""The interface in English shows no Chinese outside what people typed in.

The main pages are rendered with ``Accept-Language: en`` (``LocaleMiddleware`` picks English; the language switch
in the page header sets the same through the session) for a case walked from investigation through the prior
notice and the legal review to the decision, with records, documents and evidence. Every value the users entered —
names, the case's cause and facts, addresses, laws from the catalog — is taken out of the page first; what is
left must hold no CJK character. The list of what counts as entered data is explicit (``ENTERED``) and small.
"""

from __future__ import annotations

import hashlib
import html
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import clock, cw  # noqa: F401
from tests.records.conftest import finalised_inquiry, inquiry, signature_png
from tests.review.conftest import rw  # noqa: F401
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import Outcome, PenaltyKind, RecordKind
from zhifa.records import evidence, ingest
from zhifa.review import actions as review_actions
from zhifa.review.choices import CriterionKind

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Model fields that hold what a person typed in (or a law's own text), and the official numbers made from the
# agency's short name (甲卫案〔2026〕1号): their values may stay Chinese.
ENTERED = {
    "org.Agency": ["name", "short_name", "region", "reconsideration_body", "court", "address"],
    "org.Unit": ["name"],
    "org.Person": ["full_name", "title"],
    "org.Certificate": ["issuer"],
    "org.EnforcementField": ["name", "abbreviation"],
    "cases.Party": ["name", "address", "legal_representative"],
    "cases.Case": [
        "reference",
        "cause",
        "summary",
        "facts",
        "evidence_summary",
        "violated_provisions",
        "penalty_provisions",
        "discretion",
        "transfer_to",
        "statement",
    ],
    "cases.CaseRecord": ["place", "data"],
    "cases.HearingPolicy": ["basis"],
    "cases.ExtensionPolicy": ["reasons", "basis"],
    "records.Evidence": ["description"],
    "records.Document": ["number", "narrative"],
    "records.DocumentSignature": ["signer_name"],
    "review.Criterion": ["label", "basis"],
    "review.Submission": ["number", "explanation", "discretion_reason", "qualifications", "summary"],
    "review.Opinion": ["summary"],
    "catalog.Law": ["name", "short_name", "issuer"],
    "catalog.Article": ["text"],
    "catalog.Item": ["name"],
}
# Names of languages are written in their own script in the language switch.
ALLOWED = ["简体中文"]
# Han characters (full-width punctuation such as "（" or "、" between entered names is not counted).
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def entered_values(more=None) -> list[str]:
    """Every entered value in the database, longest first (a long value is taken out before its parts)."""
    found = set()
    for label, fields in {**ENTERED, **(more or {})}.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names = {f.name for f in model._meta.get_fields()}
        for field in fields:
            if field not in names:
                continue
            for value in model.objects.values_list(field, flat=True):
                for text in _strings(value):
                    for part in re.split(r"[\r\n]+", text):
                        if len(part.strip()) > 1 and CJK.search(part):
                            found.add(part.strip())
    return sorted((v for v in found if v), key=len, reverse=True) + ALLOWED


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    attributes = " ".join(
        m.group(2) for m in re.finditer(r'\b(title|aria-label|placeholder|alt)="([^"]*)"', page)
    )
    text = re.sub(r"(?s)<[^>]+>", " ", page) + " " + attributes
    return html.unescape(text)


def leaks(page: str, entered: list[str]) -> list[str]:
    text = visible_text(page)
    for value in entered:
        text = text.replace(value, " ")
    out = []
    for m in CJK.finditer(text):
        out.append(text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " "))
    return out


def received(tmp_path, data: bytes, name="photo.png") -> ingest.Received:
    path = tmp_path / f"in-{hashlib.sha256(data).hexdigest()[:8]}"
    path.write_bytes(data)
    return ingest.Received(
        path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), original_name=name
    )


class Pages:
    """Renders pages in English as a person, and collects the Chinese left on each."""

    def __init__(self, client):
        self.client = client
        self.problems: dict[str, list[str]] = {}
        self.seen = 0

    def check(self, person, url, *, status=200):
        self.client.force_login(person)
        response = self.client.get(url, **EN)
        assert response.status_code == status, (url, response.status_code)
        self.seen += 1
        found = leaks(response.content.decode(), entered_values())
        if found:
            self.problems[f"{url} ({person.username})"] = found

    def assert_clean(self):
        assert not self.problems, "Chinese in the English interface:\n" + "\n".join(
            f"{url}:\n    " + "\n    ".join(sorted(set(found))[:40]) for url, found in self.problems.items()
        )


@pytest.fixture(autouse=True)
def _evidence_dirs(settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.RECORDS_SEAL_DIR = tmp_path / "seal"


def test_main_pages_in_english_show_only_entered_chinese(rw, client, tmp_path):  # noqa: F811
    pages = Pages(client)
    review_actions.set_criterion(
        rw.sysadmin,
        rw.a,
        kind=CriterionKind.PENALTY_KIND,
        value="revoke_license",
        label="吊销许可证",
        basis="方案",
    )
    officer, head, reviewer, supervisor = rw.officer, rw.head, rw.reviewer, rw.supervisor
    for person in (officer, head, reviewer, supervisor):
        pages.check(person, reverse("home"))
    case = rw.new_case()
    case_actions.request_filing(officer, case)
    case_actions.approve_filing(head, case, opinion="同意立案")
    case.refresh_from_db()
    rw.case = case
    inquiry(rw, case)
    case_actions.add_record(
        officer,
        case,
        kind=RecordKind.ONSITE,
        data={"observations": "诊室内有患者正在输液"},
        started_at=timezone.now(),
        place="甲区健康路1号",
        officers=[officer, rw.officer2],
        certificates_shown=rw.certs(),
    )
    case_actions.add_record(
        officer,
        case,
        kind=RecordKind.DELIBERATION,
        data={"conclusion": "建议给予警告并处罚款"},
        started_at=timezone.now(),
    )
    document = finalised_inquiry(rw)
    item = evidence.add_evidence(
        officer,
        case,
        received=received(tmp_path, signature_png()),
        kind="documentary",
        description="营业场所照片",
    )
    for person in (officer, head):
        pages.check(person, reverse("cases:detail", args=[case.pk]))
    pages.check(officer, reverse("records:document", args=[document.pk]))
    case_actions.update_draft(
        officer,
        case,
        outcome=Outcome.PENALTY,
        facts="未取得执业许可证擅自执业。",
        evidence_summary="现场笔录、询问笔录、照片。",
        penalty_kinds=[PenaltyKind.WARNING, PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS],
        fine_amount=Decimal("5000"),
        confiscation_amount=Decimal("1000"),
        violated_provisions="《医疗机构管理条例》第十四条",
        penalty_provisions="《医疗机构管理条例》第四十三条",
        discretion="首次违法，一般情节",
    )
    case_actions.close_investigation(officer, case)
    case.refresh_from_db()
    rw.notice(case)
    case_actions.waive_statement(officer, case, signer="李康宁")
    case.refresh_from_db()
    submission = rw.submit(case)
    review_actions.assign(head, submission, reviewers=[reviewer])
    pages.check(reviewer, reverse("review:home"))
    pages.check(reviewer, reverse("review:opinion", args=[submission.pk]))
    pages.check(officer, reverse("cases:detail", args=[case.pk]))
    review_actions.give_opinion(reviewer, submission, points=rw.all_pass(), outcome="agree", summary="同意。")
    case_actions.decide(head, case)
    case.refresh_from_db()
    for person in (officer, head, supervisor):
        pages.check(person, reverse("cases:list"))
        pages.check(person, reverse("cases:detail", args=[case.pk]))
    pages.check(officer, reverse("cases:party", args=[case.party_id]))
    pages.check(officer, reverse("records:case_documents", args=[case.pk]))
    pages.check(officer, reverse("records:document", args=[document.pk]))
    pages.check(officer, reverse("records:evidence", args=[item.pk]))
    pages.check(officer, reverse("records:case_file", args=[case.pk]))
    pages.check(officer, reverse("records:party_records", args=[case.party_id]))
    pages.check(reviewer, reverse("review:home"))
    pages.check(reviewer, reverse("review:submission", args=[submission.pk]))
    pages.check(reviewer, reverse("review:criteria"))
    for person in (officer, head):
        pages.check(person, reverse("workdays:deadlines"))
    pages.check(officer, reverse("workdays:kinds"))
    pages.check(officer, reverse("ledger:history", args=["cases.case", case.pk]))
    pages.assert_clean()


PORTAL = [
    ("publicity:home", []),
    ("publicity:agency", []),
    ("publicity:people", []),
    ("publicity:items", []),
    ("publicity:item_detail", ["A-001"]),
    ("publicity:random_inspection_items", []),
    ("publicity:av_items", []),
    ("publicity:guides", []),
    ("publicity:guide_detail", ["G-1"]),
    ("publicity:flowcharts", []),
    ("publicity:posts", []),
    ("publicity:verify", []),
    ("publicity:complaint_new", []),
    ("publicity:complaint_status", []),
    ("publicity:versions", ["items"]),
    ("publicity:decisions", []),
    ("publicity:statistics", []),
    ("portal_ledger", []),
]


def test_portal_pages_in_english_show_only_published_chinese(world, client):
    """The portal's published lists are data (ListVersion.data: laws, items, guides as the agency wrote them)."""
    from tests.catalog.factories import build_catalog
    from zhifa.ledger import actions as ledger_actions

    build_catalog(world)
    ledger_actions.make_checkpoints(force=True)
    ENTERED_PORTAL = {
        "catalog.ListVersion": ["data", "note"],
        "catalog.GuideMaterial": ["name", "requirement"],
    }
    entered = entered_values(ENTERED_PORTAL)
    problems = {}
    for name, args in PORTAL:
        response = client.get(reverse(name, args=args), **EN)
        assert response.status_code == 200, name
        found = leaks(response.content.decode(), entered)
        if found:
            problems[name] = sorted(set(found))[:40]
    assert not problems, "Chinese on the English portal:\n" + "\n".join(
        f"{name}:\n    " + "\n    ".join(found) for name, found in problems.items()
    )

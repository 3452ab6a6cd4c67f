"""Every staff and portal page fits a 390 px wide phone screen (Debian chromium).

The pages are listed from the URL patterns, not by hand: every named pattern is either visited (with the demo
objects it needs) or skipped with its reason (a POST-only action, a file download, …), so a new page is measured
as soon as it exists — or the test names it as unlisted. Each page is opened at 390 × 844 and
``document.documentElement.scrollWidth`` must not exceed 390. Staff pages are opened by the roles that use them
(officer, legal reviewer, head, supervisor; the administrators for master data and audit pages).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.cases.conftest import clock, cw  # noqa: F401
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.review.conftest import rw  # noqa: F401

pytestmark = pytest.mark.e2e

WIDTH = 390
ROLES = {
    "officer": "officer_a",
    "reviewer": "reviewer_a",
    "head": "head_a",
    "supervisor": "supervisor",
    "sysadmin": "sys_a",
    "auditor": "audit_a",
}
STAFF_ROLES = ("officer", "reviewer", "head", "supervisor")

# Named URL patterns that are not pages to look at, and why.
NOT_PAGES = {
    "logout": "POST only",
    "remedies:accept": "POST only",
    "remedies:outcome": "POST only",
    "remedies:upload": "POST only",
    "remedies:document": "file download",
    "supervision:draw": "POST only",
    "inspections:target_retire": "POST only (the form is on the target's page)",
    "inspections:draw": "POST only",
    "inspections:recheck": "POST only (the form is on the target's page)",
    "inspections:replace": "POST only (the form is on the target's page)",
    "supervision:answer": "POST only",
    "supervision:confirm": "POST only",
    "supervision:finish": "POST only",
    "supervision:submit_fix": "POST only",
    "supervision:verify_fix": "POST only",
    "supervision:fix_file": "file download",
    "supervision:report": "PDF download",
    "supervision:inspection_pdf": "PDF download",
    "supervision:analysis_report_file": "PDF or DOCX download",
    "supervision:read_analysis_report": "POST only",
    "supervision:prepare_inspection": "POST only",
    "supervision:add_finding": "POST only",
    "supervision:sign_inspection": "POST only",
    "supervision:judge_line": "POST only",
    "cases:service_proof": "file download",
    "ledger:verify_now": "POST only",
    "ledger:checkpoint_now": "POST only",
    "ledger:public_checkpoint": "plain text",
    "ledger:public_key": "plain text download",
    "org:role_remove": "POST only",
    "org:person_active": "POST only",
    "org:password_reset": "POST only",
    "org:certificate_status": "POST only",
    "org:token_revoke": "POST only",
    "workdays:deadline_change": "POST only",
    "workdays:reminders_read": "POST only (the buttons are on the reminders page)",
    "catalog:item_retire": "POST only",
    "catalog:item_confirm": "POST only",
    "catalog:random_retire": "POST only",
    "catalog:random_confirm": "POST only",
    "catalog:av_retire": "POST only",
    "catalog:guide_retire": "POST only",
    "catalog:material_retire": "POST only",
    "catalog:flowchart_retire": "POST only",
    "catalog:law_status": "POST only",
    "catalog:material_download": "file download",
    "catalog:export": "CSV/JSON download",
    "catalog:complaint_attachment": "file download",
    "records:sign": "POST only",
    "records:finalise": "POST only",
    "records:discard": "POST only",
    "records:correct": "POST only",
    "records:refusal": "POST only",
    "records:scan": "POST only (the upload form is on the document page)",
    "records:edit": "POST only (the form is on the document page)",
    "records:generate": "POST only (the form is on the case's documents page)",
    "records:preview": "PDF",
    "records:download": "PDF/DOCX download",
    "records:signature_file": "image",
    "records:evidence_file": "file download",
    "publicity:export": "CSV/JSON download",
    "publicity:decisions_export": "CSV/JSON download",
    "publicity:decision_pdf": "PDF",
    "publicity:decision_proof": "JSON proof bundle",
    "publicity:statistics_csv": "CSV download",
    "publicity:material_sample": "file download",
    "publicity:flowchart_svg": "SVG image",
    "publicity:certificate_qr": "SVG image",
    "publicity:feed": "Atom feed",
    "review:opinion_pdf": "PDF",
    "review:assign": "POST only (the form is on the submission page)",
    "review:withdraw": "POST only",
    "review:escalate": "POST only",
    "review:coordinate": "POST only",
    "healthz": "health check",
    "readyz": "health check",
    "job_download": "file download",
}
SKIP_PREFIXES = ("api/", "django-admin/", "i18n/")


def url_names() -> list[tuple[str, str]]:
    """(name, route) of every named page pattern outside the API, the Django admin and the language switch."""

    def walk(patterns, prefix="", ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ns if p.namespace is None else (f"{ns}:{p.namespace}" if ns else p.namespace)
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{ns}:{p.name}" if ns else p.name), prefix + str(p.pattern)

    return [(n, r) for n, r in walk(get_resolver().url_patterns) if not r.startswith(SKIP_PREFIXES)]


def _prepare(w, tmp_path):
    """A case walked to the legal review (assigned, opinion pending) with a finalised document and evidence, and
    the published catalog — in a thread: the PDF seal runs an event loop of its own, and Playwright's runs in
    the test thread."""
    from django.db import connection

    from tests.catalog.factories import build_catalog
    from tests.records.conftest import finalised_inquiry, inquiry
    from zhifa.cases import actions as case_actions
    from zhifa.ledger import actions as ledger_actions
    from zhifa.records import evidence
    from zhifa.review import actions as review_actions

    try:
        catalog = build_catalog(w)
        case = w.new_case()
        case_actions.request_filing(w.officer, case)
        case_actions.approve_filing(w.head, case, opinion="同意立案")
        case.refresh_from_db()
        w.case = case
        inquiry(w, case)
        finalised_inquiry(w)
        data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        path = tmp_path / "in.pdf"
        path.write_bytes(data)
        import hashlib

        from zhifa.records import ingest

        received = ingest.Received(
            path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), original_name="photo.pdf"
        )
        evidence.add_evidence(
            w.officer, case, received=received, kind="documentary", description="现场检查记录"
        )
        w.investigate(w.new_case())  # a second case, concluded, for the lists
        from tests.security.world import _analysis_report, _evaluation, _inspection, _ranking

        _evaluation(w)  # a 案卷评查, drawn: its page and its file's scorecard
        _inspection(w)  # a 网上巡查, signed, with a finding
        _analysis_report(w)  # a 执法数据分析报告, made
        _ranking(w)  # a 考核 ranking, published
        from tests.security.world import _inspection_plan

        _inspection_plan(w, catalog.random)  # 双随机 plans: one drawn (its result form), one not yet
        case = w.investigate(w.new_case())
        w.notice(case)
        case_actions.waive_statement(w.officer, case, signer="李康宁")
        submission = w.submit(case)
        review_actions.assign(w.head, submission, reviewers=[w.reviewer])
        decided = w.investigate(w.new_case(w.person_party))  # a decision, for its publication page (事后公开)
        w.notice(decided)
        case_actions.waive_statement(w.officer, decided, signer="李康宁")
        w.decide(decided)
        # its decision numbered, its text submitted and released: the portal's decision page (事后公开)
        from zhifa.publicity import publication, statistics
        from zhifa.records import decision_draft

        w.finalise(decided, decision_draft.kind_for(decided))
        decided.refresh_from_db()
        publication.release(w.head, publication.submit(w.officer, decided.publication))
        # last year's 年度统计, generated (the job runs at once here) and published
        from django.utils import timezone

        report, _job = statistics.request_report(w.head, w.a, timezone.localdate().year - 1)
        statistics.publish_report(w.head, report)
        ledger_actions.make_checkpoints(force=True)
    finally:
        connection.close()


def _objects():
    from zhifa.cases.models import Case, Party
    from zhifa.catalog.models import (
        AvRecordingItem,
        EnforcementItem,
        Flowchart,
        Law,
        ListVersion,
        RandomInspectionItem,
        ServiceGuide,
    )
    from zhifa.inspections.models import Drawn, Plan, Target
    from zhifa.org.models import Agency, Person
    from zhifa.publicity.models import AnnualReport, Complaint, Publication
    from zhifa.records.models import Document, Evidence
    from zhifa.review.models import Discussion, Submission
    from zhifa.supervision.models import (
        AnalysisReport,
        Evaluation,
        EvaluationFile,
        Inspection,
        InspectionLine,
        Ranking,
        Rectification,
        Standard,
    )
    from zhifa.workdays.models import Deadline, DeadlineKind

    agency = Agency.objects.get(code="agency-a")
    officer = Person.objects.get(username=ROLES["officer"])
    document = Document.objects.filter(case__agency=agency).order_by("pk").first()
    case = document.case if document else Case.objects.filter(agency=agency).order_by("pk").first()
    version = ListVersion.objects.filter(agency=agency).order_by("pk").first()
    item = EnforcementItem.objects.filter(agency=agency).order_by("pk").first()
    guide = ServiceGuide.objects.filter(agency=agency).order_by("pk").first()
    a = agency.pk
    from zhifa.core.models import Job

    # a background job the officer started, running (its page refreshes itself)
    job = Job.objects.create(
        kind="records.archive_package", started_by=officer, state="running", done=3, total=9
    )
    o = {
        "agency": agency,
        "case": case,
        "document": document,
        "evidence": Evidence.objects.filter(case__agency=agency).order_by("pk").first(),
        "party": Party.objects.filter(agency=agency).order_by("pk").first(),
        "submission": Submission.objects.filter(case__agency=agency).order_by("pk").first(),
        "discussion": Discussion.objects.filter(case__agency=agency).order_by("pk").first(),
        "deadline": Deadline.objects.filter(agency=agency).order_by("pk").first(),
        "kind": DeadlineKind.objects.order_by("position").first(),
        "officer": officer,
        "law": Law.objects.filter(agency=agency).order_by("pk").first(),
        "item": item,
        "random": RandomInspectionItem.objects.filter(agency=agency).order_by("pk").first(),
        "av": AvRecordingItem.objects.filter(agency=agency).order_by("pk").first(),
        "guide": guide,
        "flowchart": Flowchart.objects.filter(agency=agency).order_by("pk").first(),
        "complaint": Complaint.objects.filter(agency=agency).order_by("pk").first(),
        "publication": Publication.objects.filter(agency=agency).order_by("pk").first(),
        "report": AnnualReport.objects.filter(agency=agency).order_by("pk").first(),
        "version": version,
        "evaluation": Evaluation.objects.order_by("pk").first(),
        "evaluation_file": EvaluationFile.objects.order_by("pk").first(),
        "rectification": Rectification.objects.order_by("pk").first(),
        "inspection": Inspection.objects.order_by("pk").first(),
        "analysis_report": AnalysisReport.objects.order_by("pk").first(),
        "ranking": Ranking.objects.order_by("pk").first(),
        "standard": Standard.objects.filter(agency=None).order_by("-version").first(),
        "plan": Plan.objects.order_by("pk").first(),
        "drawn": Drawn.objects.order_by("pk").first(),
        "target": Target.objects.order_by("pk").first(),
        "finding": InspectionLine.objects.filter(check_code="finding").order_by("pk").first(),
    }
    # name: (roles to open it as, args)
    pages = {
        "org:agency_detail": (("sysadmin", "officer"), [a]),
        "org:agency_edit": (("sysadmin",), [a]),
        "org:agency_create_child": (("sysadmin",), [a]),
        "org:unit_add": (("sysadmin",), [a]),
        "org:person_create": (("sysadmin",), [a]),
        "org:person_detail": (("sysadmin", "officer"), [officer.pk]),
        "org:person_edit": (("sysadmin",), [officer.pk]),
        "org:role_grant": ((), [officer.pk]),  # the security administrator's form: see below
        "org:certificate_issue": (("sysadmin",), [officer.pk]),
        "ledger:audit_log": (("auditor", "supervisor"), [agency.code]),
        "ledger:entry_detail": (("auditor", "supervisor"), [agency.code, 1]),
        "ledger:history": (STAFF_ROLES, ["cases.case", case.pk]),
        "workdays:calendar_year": (("sysadmin", "officer"), [2026]),
        "workdays:year_edit": ((), [2026]),  # the platform administrator's
        "workdays:year_import": ((), [2026]),
        "workdays:kind_edit": ((), [o["kind"].code]),
        "workdays:kind_agency": (("sysadmin",), [o["kind"].code, a]),
        "workdays:deadline_detail": (("officer", "head"), [o["deadline"].pk]),
        "catalog:agency_home": (("sysadmin", "officer"), [a]),
        "catalog:law_list": (("sysadmin",), [a]),
        "catalog:law_create": (("sysadmin",), [a]),
        "catalog:law_detail": (("sysadmin", "officer"), [a, o["law"].pk]),
        "catalog:law_edit": (("sysadmin",), [a, o["law"].pk]),
        "catalog:article_add": (("sysadmin",), [a, o["law"].pk]),
        "catalog:article_amend": (("sysadmin",), [a, o["law"].articles.order_by("pk").first().pk]),
        "catalog:item_list": (("sysadmin", "officer"), [a]),
        "catalog:item_create": (("sysadmin",), [a]),
        "catalog:item_detail": (("sysadmin", "officer"), [a, item.pk]),
        "catalog:item_edit": (("sysadmin",), [a, item.pk]),
        "catalog:item_benchmarks": (("sysadmin",), [a, item.pk]),
        "catalog:random_list": (("sysadmin",), [a]),
        "catalog:random_create": (("sysadmin",), [a]),
        "catalog:random_edit": (("sysadmin",), [a, o["random"].pk]),
        "catalog:av_list": (("sysadmin",), [a]),
        "catalog:av_create": (("sysadmin",), [a]),
        "catalog:av_edit": (("sysadmin",), [a, o["av"].pk]),
        "catalog:guide_list": (("sysadmin",), [a]),
        "catalog:guide_create": (("sysadmin",), [a]),
        "catalog:guide_detail": (("sysadmin",), [a, guide.pk]),
        "catalog:guide_edit": (("sysadmin",), [a, guide.pk]),
        "catalog:material_add": (("sysadmin",), [a, guide.pk]),
        "catalog:flowchart_list": (("sysadmin",), [a]),
        "catalog:flowchart_create": (("sysadmin",), [a]),
        "catalog:flowchart_detail": (("sysadmin",), [a, o["flowchart"].pk]),
        "catalog:flowchart_edit": (("sysadmin",), [a, o["flowchart"].pk]),
        "catalog:version_list": (("sysadmin",), [a, version.kind]),
        "catalog:version_detail": (("sysadmin",), [a, version.kind, version.number]),
        "catalog:publish": (("sysadmin",), [a, version.kind]),
        "catalog:import": (("sysadmin",), [a, "items"]),
        "catalog:complaint_detail": (
            ("officer", "supervisor"),
            [o["complaint"].pk] if o["complaint"] else None,
        ),
        "catalog:publication_detail": (("officer", "head", "supervisor"), [o["publication"].pk]),
        "catalog:statistics_detail": (("head", "supervisor"), [o["report"].pk]),
        "publicity:decision": ((None,), [o["publication"].pk]),
        "publicity:statistics_detail": ((None,), [o["report"].pk]),
        "records:case_documents": (("officer", "head"), [case.pk]),
        "records:document": (("officer", "head", "supervisor"), [document.pk] if document else None),
        "records:party_signature": (("officer",), [document.pk] if document else None),
        "records:verify_document": (("officer",), [document.pk] if document else None),
        "records:evidence_upload": (("officer",), [case.pk]),
        "records:evidence": (("officer", "supervisor"), [o["evidence"].pk] if o["evidence"] else None),
        "records:party_records": (("officer", "supervisor"), [o["party"].pk]),
        "records:case_file": (("officer", "head", "supervisor"), [case.pk]),
        "job": (("officer",), [job.pk]),
        "publicity:versions": ((None,), ["items"]),
        "publicity:item_detail": ((None,), [item.code]),
        "publicity:guide_detail": ((None,), [guide.code]),
        "cases:party": (("officer", "supervisor"), [o["party"].pk]),
        "cases:detail": (STAFF_ROLES, [case.pk]),
        "cases:action": ((), None),  # every form the case page links to, below
        "cases:party_connection": (("officer", "head"), [o["party"].pk]),
        "cases:extension_policy": (("sysadmin", "officer"), [a]),
        "remedies:new": (("officer",), [case.pk]),  # refused until the case is decided: counted as refused
        "remedies:detail": ((), None),  # no proceeding in this set-up
        "review:submit": (("officer",), [case.pk]),
        "review:discussion_new": (("head",), [case.pk]),
        "review:discussion": (("head", "supervisor"), [o["discussion"].pk] if o["discussion"] else None),
        "review:submission": (
            ("reviewer", "head", "supervisor"),
            [o["submission"].pk] if o["submission"] else None,
        ),
        "review:opinion": (("reviewer",), [o["submission"].pk] if o["submission"] else None),
        "supervision:evaluation": (("supervisor",), [o["evaluation"].pk]),
        "supervision:file": (("supervisor",), [o["evaluation_file"].pk]),
        "supervision:new_rectification": (("supervisor",), [o["evaluation_file"].pk, "cover"]),
        "supervision:rectification": (("supervisor", "head", "officer"), [o["rectification"].pk]),
        "supervision:new_accountability": (("supervisor",), [o["rectification"].pk]),
        "supervision:inspection": (("supervisor", "head"), [o["inspection"].pk]),
        "supervision:new_finding_rectification": (("supervisor",), [o["finding"].pk]),
        "supervision:figure_cases": ((), None),  # reached from a number of the figures (needs its query)
        "supervision:analysis_report": (("supervisor", "head"), [o["analysis_report"].pk]),
        "supervision:ranking": (("supervisor", "head"), [o["ranking"].pk]),
        "supervision:standard": (("supervisor", "head"), [o["standard"].pk]),
        "supervision:revise_standard": (("supervisor",), [o["standard"].pk]),
        "inspections:target_edit": (("sysadmin",), [o["target"].pk]),
        "inspections:plan": (("officer", "head", "supervisor"), [o["plan"].pk]),
        "inspections:drawn": (("officer", "head"), [o["drawn"].pk]),
        "publicity:inspection_plan": ((None,), [o["plan"].pk]),
    }
    return o, pages


def _login(page, base, username):
    log_in(page, base, username, PASSWORD)


def _width(page, url) -> tuple[int, int]:
    response = page.goto(url)
    return (response.status if response else 0), page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.RECORDS_SEAL_DIR = tmp_path / "seal"


@pytest.mark.slow(seconds=52)
def test_every_page_fits_a_390px_screen(browser, live_server, rw, tmp_path):  # noqa: F811
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_prepare, rw, tmp_path).result()
    objects, pages = _objects()
    base = live_server.url
    names = url_names()
    unlisted = [n for n, route in names if "<" in route and n not in pages and n not in NOT_PAGES]
    assert not unlisted, f"pages with parameters that this test does not know how to open: {unlisted}"

    plan: dict[str | None, list[str]] = {role: [] for role in (None, *ROLES)}
    for name, route in names:
        if name in NOT_PAGES or name == "portal_ledger" or route.startswith("portal/"):
            continue
        if "<" not in route:
            roles = (*STAFF_ROLES, "sysadmin", "auditor")
            for role in roles:
                plan[role].append(reverse(name))
            continue
        roles, args = pages[name]
        if args is None:
            continue
        for role in roles:
            plan[role].append(reverse(name, args=args))
    for name, route in names:
        if route.startswith("portal/") and name not in NOT_PAGES:
            plan[None].append(reverse(name, args=pages[name][1]) if "<" in route else reverse(name))
    plan[None] += [
        "/login/",
        f"/portal/certificates/verify/?number={objects['officer'].certificates.first().number}",
    ]

    too_wide, opened, refused = [], 0, []
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    try:
        for role, urls in plan.items():
            if role is not None:
                _login(page, base, ROLES[role])
            if role == "officer":  # the forms the case page offers (cases:action), as the officer sees them
                page.goto(f"{base}{reverse('cases:detail', args=[objects['case'].pk])}")
                pattern = re.compile(rf"^/cases/{objects['case'].pk}/[a-z_]+/$")
                links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
                urls = urls + sorted({h for h in links if pattern.match(h)})
            for url in urls:
                status, width = _width(page, f"{base}{url}")
                if status in (403, 404):
                    refused.append((role, url, status))
                    continue
                assert status == 200, (role, url, status)
                opened += 1
                if width > WIDTH:
                    too_wide.append(f"{url} ({role or 'public'}): {width}px")
    finally:
        context.close()
    print(f"\n{opened} page views at {WIDTH}px; refused (by permission): {len(refused)}")
    assert opened > 100
    assert not too_wide, f"wider than {WIDTH}px:\n" + "\n".join(too_wide)

"""A stateful property test of the ledger's completeness (issue 20): random sequences of every action of cases,
records, review and org — lawful steps, waivers, corrections, withdrawals, refusals and bad input — and after each
step ``zhifa ledger verify --state`` (the same code, ``checks.verify``) passes, and a refused request left no row
and no entry behind.

Actions with an API endpoint are taken through the API (``/api/v1/``), as a client would; the platform and
account actions that have none are taken through the actions layer, as the pages do. ``ACTIONS`` below names, for
each ledger action, the rule that takes it; ``test_the_machine_covers_every_action`` compares it with the ledger's
action registry, so a new action without a rule here fails.

Examples: ``ZHIFA_LEDGER_EXAMPLES`` (default 12, each up to 25 steps: the suite's count on SQLite and PostgreSQL);
``make soak`` runs it with a large count.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.cases.conftest import clock, cw  # noqa: F401 (fixtures)
from tests.fingerprint import ACCESS_ACTIONS, fingerprint
from tests.records.conftest import signature_png
from tests.review.conftest import rw  # noqa: F401 (fixture)
from zhifa.cases import actions as case_actions
from zhifa.cases import forms as case_forms
from zhifa.cases.choices import IdType, PartyKind, State
from zhifa.cases.models import Case, Party
from zhifa.ledger import checks, registry, tracking
from zhifa.ledger.models import Entry
from zhifa.org import actions as org_actions
from zhifa.org.choices import AuthEventKind, Role
from zhifa.org.models import Certificate, Person
from zhifa.records.choices import DocumentKind
from zhifa.records.models import Document
from zhifa.review import actions as review_actions
from zhifa.review.choices import AppliesTo, CriterionKind
from zhifa.review.models import Discussion, Submission
from zhifa.review.rules import POINT_CODES

EXAMPLES = int(os.environ.get("ZHIFA_LEDGER_EXAMPLES", "12"))
STEPS = int(os.environ.get("ZHIFA_LEDGER_STEPS", "25"))

# Which rule takes each ledger action (prefixes cases, records, review, org). Sub-entries an action writes beside
# its own (the hearing record of record_hearing, the service record of serve_decision) are named with it.
ACTIONS = {
    **{f"cases.{name}": "case_action" for name in case_forms.SPECS},
    "cases.accept_case": "accept_case",
    "cases.open_measure": "open_measure",
    "cases.open_requisition": "open_requisition",
    "cases.open_confirmation": "open_confirmation",
    "cases.open_inspection": "open_inspection",
    "cases.register_party": "register_party",
    "cases.record_hearing_record": "case_action",
    "cases.serve_decision_record": "case_action",
    "cases.serve_notice_record": "case_action",
    "cases.executed": "case_action",
    "cases.declare_connection": "declare_connection",
    "cases.decide_recusal": "decide_recusal",
    "cases.set_hearing_policy": "set_hearing_policy",
    "cases.set_extension_policy": "set_extension_policy",
    "cases.decide_on_the_spot": "decide_on_the_spot",
    "records.generate_document": "generate_document",
    "records.edit_draft": "document_step",
    "records.sign_document": "document_step",
    "records.capture_party_signature": "document_step",
    "records.attach_signed_scan": "document_step",
    "records.record_refusal": "document_step",
    "records.finalise_document": "document_step",
    "records.correct_document": "document_step",
    "records.discard_draft": "document_step",
    "records.add_evidence": "upload_evidence",
    "records.attach_evidence": "upload_evidence",
    "records.fixity_check": "fixity",
    "records.access_refused": "open_evidence",
    "records.archive_case": "case_action",
    "records.set_records_policy": "set_records_policy",
    "review.issue_discussion_record": "case_action",  # made when a case with a discussion is archived
    "review.submit": "submit_review",
    "review.assign": "review_step",
    "review.give_opinion": "review_step",
    "review.withdraw": "review_step",
    "review.escalate": "review_step",
    "review.coordinate": "review_step",
    "review.open_discussion": "discussion_step",
    "review.record_opinion": "discussion_step",
    "review.conclude_discussion": "discussion_step",
    "review.set_policy": "review_settings",
    "review.set_criterion": "review_settings",
    "remedies.record_proceeding": "remedy_step",
    "remedies.record_acceptance": "remedy_step",
    "remedies.record_outcome": "remedy_step",
    "remedies.decision_changed": "remedy_step",
    "remedies.add_document": "remedy_step",
    "org.create_agency": "org_step",
    "org.update_agency": "org_step",
    "org.add_unit": "org_step",
    "org.add_field": "org_step",
    "org.add_platform_admin": "org_step",
    "org.add_person": "org_step",
    "org.update_person": "org_step",
    "org.set_person_active": "org_step",
    "org.reset_password": "org_step",
    "org.change_password": "org_step",
    "org.grant_role": "org_step",
    "org.remove_role": "org_step",
    "org.create_api_token": "org_step",
    "org.revoke_api_token": "org_step",
    "org.rehash_password": "org_step",
    "org.auth_event": "org_step",
    "org.issue_certificate": "certificate_step",
    "org.suspend_certificate": "certificate_step",
    "org.reinstate_certificate": "certificate_step",
    "org.revoke_certificate": "certificate_step",
}

TEXT = st.sampled_from(
    ["", "当事人称已整改", "依据《医疗机构管理条例》", "x" * 400, "<script>alert(1)</script>"]
)
ACTORS = ("officer", "officer2", "head", "reviewer", "officer_b", "sysadmin", "supervisor")
PASS = {c: {"result": "pass", "comment": ""} for c in POINT_CODES}


def _value(f, w, today):
    """A strategy for one declared field of a case action: lawful-looking values, and some that are not."""
    k = f.kind
    if k in ("text", "textarea"):
        return TEXT
    if (
        k == "hidden"
    ):  # the digest of what the head reviewed (decide's "seen"): none, or one that no longer matches
        return st.sampled_from(["", "0" * 64])
    if k == "date":
        return st.one_of(
            st.none(),
            st.integers(-15, 15).map(lambda n: (today + dt.timedelta(days=n)).isoformat()),
            st.just("2026-02-30"),
        )
    if k == "datetime":
        return st.sampled_from([timezone.now().isoformat(), "昨天"])
    if k == "decimal":
        return st.sampled_from(["0", "500", "5000", "200000", "-1", "abc"])
    if k == "int":
        return st.sampled_from([0, 5, 30, 400, -3])
    if k == "bool":
        return st.booleans()
    if k == "file":  # an upload (the proof of electronic service): none, or not a file at all over JSON
        return st.sampled_from([None, "not-a-file"])
    if k == "choice":
        return st.sampled_from([c for c, _label in f.choices] + ["bogus"])
    if (
        k == "extension_reason"
    ):  # the agency's list of reasons (cases.actions.extension_rule), and one not in it
        from zhifa.cases.rules import EXTENSION_DEFAULTS

        return st.sampled_from([*EXTENSION_DEFAULTS["reasons"][:2], "工作量大"])
    if k == "multichoice":
        return st.lists(st.sampled_from([c for c, _label in f.choices]), max_size=3, unique=True)
    if k == "items":
        return st.lists(st.sampled_from(["A001", "B-2"]), max_size=2)
    people = [w.officer.pk, w.officer2.pk, w.head.pk, w.officer_b.pk, 99999]
    if k == "person":
        return st.sampled_from(people + [None])
    if k == "people":
        return st.lists(st.sampled_from(people), max_size=3, unique=True)
    if k == "certificates":
        certs = list(Certificate.objects.values_list("pk", flat=True)) + [99999]
        return st.lists(st.sampled_from(certs), max_size=2, unique=True)
    if k == "party":
        return st.sampled_from([w.clinic.pk, 99999])
    if k == "field":
        return st.sampled_from([w.medical.pk, 99999])
    if k == "unit":
        return st.sampled_from([w.section.pk, 99999])
    raise AssertionError(f"no strategy for field kind {k}")


class Ledger(RuleBasedStateMachine):
    """The world (``w``), the test client and the first case are set by the test before it runs."""

    w = client = first = people = None
    taken: set[str] = set()  # the ledger actions the sequences reached (kept across examples)

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.cases = [self.first.pk]
        self.steps = 0

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    # How a request is made and judged.

    def _as(self, actor):
        self.client.force_login(self.people[actor])
        return self.client

    def _call(self, actor, method, url, data=None, **extra):
        c = self._as(actor)  # logging in is itself recorded (org.auth_event): before the fingerprint
        before = fingerprint()
        if method == "put":  # a piece of a resumable upload, as the browser sends it
            response = c.put(url, data=data, content_type="application/octet-stream", **extra)
        else:
            response = getattr(c, method)(url, data=data or {}, content_type="application/json", **extra)
        assert response.status_code < 500, (url, response.status_code, response.content[:500])
        if response.status_code >= 400:
            assert fingerprint() == before, f"refused {url} ({response.status_code}) changed something"
        else:
            self._taken()
        return response

    def _taken(self):
        self.taken.update(
            Entry.objects.exclude(action__in=ACCESS_ACTIONS).values_list("action", flat=True).distinct()
        )

    def _direct(self, call):
        """An action without an endpoint, as its page calls it; a refusal must change nothing."""
        before = fingerprint()
        try:
            call()
        except (ValueError, TypeError, LookupError, tracking.LedgerIncomplete):
            raise
        except Exception:  # ActionDenied, RuleViolation, ValidationError: the refusals a person sees
            assert fingerprint() == before, "a refused action changed something"
            return False
        self._taken()
        return True

    def _case(self, i):
        return Case.objects.get(pk=self.cases[i % len(self.cases)])

    # Cases.

    @rule(
        i=st.integers(0, 50),
        action=st.sampled_from(sorted(case_forms.SPECS)),
        actor=st.sampled_from(ACTORS),
        data=st.data(),
    )
    def case_action(self, i, action, actor, data):
        spec = case_forms.SPECS[action]
        payload = {
            f.name: data.draw(_value(f, self.w, self.w.clock.today), label=f.name)
            for f in spec.fields
            if data.draw(st.booleans(), label=f"send {f.name}") or f.required
        }
        case = self._case(i)
        self._call(actor, "post", f"/api/v1/cases/{case.pk}/{action.replace('_', '-')}/", payload)

    @initialize(waive=st.booleans(), hearing=st.booleans())
    def walk_the_first_case(self, waive, hearing):
        """Each sequence begins with the first case taken lawfully to the archive (notice, statement or its
        waiver, review, decision, service, payment, closing), so the later actions are always reached."""
        for _ in range(14):
            self._step(self._case(0), waive, hearing)
        self.the_ledger_verifies()

    @rule(i=st.integers(0, 50), waive=st.booleans(), hearing=st.booleans(), steps=st.integers(1, 8))
    def advance(self, i, waive, hearing, steps):
        """The next lawful steps of a case, each by the person the law gives it to (reaches the later states)."""
        for _ in range(steps):
            self._step(self._case(i), waive, hearing)
            self.the_ledger_verifies()

    def _step(self, case, waive, hearing):
        url = f"/api/v1/cases/{case.pk}"
        s = case.state
        # the other acts' first steps (a decision without its finalised document is refused: nothing may change)
        if s == State.INSPECTION_OPEN:
            if not case.records.exists():
                self._call(
                    "officer",
                    "post",
                    f"{url}/record-inspection/",
                    {
                        "kind": "onsite",
                        "started_at": timezone.now().isoformat(),
                        "place": "甲区健康路1号",
                        "content": "检查执业情况。",
                        "officers": [self.w.officer.pk, self.w.officer2.pk],
                        "certificates_shown": [c.pk for c in self.w.certs()],
                        "av_skip_reason": "日常检查",
                    },
                )
            else:  # refused until the 现场笔录 is finalised
                self._call("officer", "post", f"{url}/pass-inspection/")
        elif s == State.CONFIRMATION_APPLIED:
            self._call("officer", "post", f"{url}/examine-confirmation/", {"opinion": "材料齐全。"})
        elif s == State.CONFIRMATION_EXAMINED:
            self._call("head", "post", f"{url}/decide-confirmation/", {"opinion": "同意"})
        elif s == State.REQUISITION_REQUESTED:
            self._call("head", "post", f"{url}/decide-requisition/", {"opinion": "同意"})
        elif s == State.MEASURE_REQUESTED:
            self._call("head", "post", f"{url}/approve-measure/", {"opinion": "同意"})
        elif s == State.MEASURE_APPROVED:  # refused without the recording of the whole: nothing may change
            self._call("officer", "post", f"{url}/carry-out-measure/", {"measure": "扣押"})
        elif s == State.INTAKE:
            self._call("officer", "post", f"{url}/request-filing/")
        elif s == State.FILING_REQUESTED:
            self._call("head", "post", f"{url}/approve-filing/", {"opinion": "同意立案"})
        elif s == State.INVESTIGATING:
            if not case.records.exists():
                self._call(
                    "officer",
                    "post",
                    f"{url}/add-record/",
                    {
                        "kind": "onsite",
                        "started_at": timezone.now().isoformat(),
                        "place": "甲区健康路1号",
                        "content": "诊室内有患者正在输液",
                        "officers": [self.w.officer.pk, self.w.officer2.pk],
                        "certificates_shown": [c.pk for c in self.w.certs()],
                    },
                )
            elif not case.facts:
                self._call(
                    "officer",
                    "post",
                    f"{url}/update-draft/",
                    {
                        "outcome": "penalty",
                        "penalty_kinds": ["warning", "fine"],
                        "fine_amount": "5000",
                        "facts": "未取得执业许可证擅自执业。",
                        "evidence_summary": "现场笔录。",
                        "violated_provisions": "《医疗机构管理条例》第十四条",
                        "penalty_provisions": "《医疗机构管理条例》第四十三条",
                        "discretion": "一般情节",
                    },
                )
            else:
                self._call("officer", "post", f"{url}/close-investigation/")
        elif s == State.INVESTIGATED:
            from zhifa.records.contexts import hearing_reasons_for_draft

            self._ensure_document(
                case, "hearing_rights" if hearing_reasons_for_draft(case) else "prior_notice"
            )
            self._call(
                "officer", "post", f"{url}/issue-notice/", {"served_on": self.w.clock.today.isoformat()}
            )
        elif s == State.NOTIFIED:
            if hearing and not case.records.filter(kind="statement").exists():
                asked = self._call(
                    "officer",
                    "post",
                    f"{url}/request-hearing/",
                    {"requested_on": self.w.clock.today.isoformat()},
                )
                if asked.status_code < 400:
                    return
            stated = case.records.filter(kind__in=("statement", "statement_waiver")).exists()
            if not stated and waive:
                self._call("officer", "post", f"{url}/waive-statement/", {"signer": "李康宁"})
            elif not stated:
                self._call(
                    "officer", "post", f"{url}/record-statement/", {"content": "已整改", "recheck": "维持"}
                )
            else:
                self._review_and_decide(case)
        elif s == State.HEARING_REQUESTED:
            self._call(
                "officer",
                "post",
                f"{url}/schedule-hearing/",
                {
                    "hearing_on": (self.w.clock.today + dt.timedelta(days=10)).isoformat(),
                    "place": "听证室",
                    "chair": self.w.head.pk,
                },
            )
        elif s == State.HEARING_SCHEDULED:
            self._ensure_document(case, "hearing_notice")
            self._call("officer", "post", f"{url}/record-hearing/", {"record": "听证笔录", "opinion": "维持"})
        elif s == State.HEARING_HELD:
            self._review_and_decide(case)
        elif s == State.DECIDED:
            self._ensure_document(case, "service_receipt")
            self._call(
                "officer",
                "post",
                f"{url}/serve-decision/",
                {"method": "direct", "delivered_on": self.w.clock.today.isoformat(), "recipient": "李康宁"},
            )
        elif s == State.SERVED and not case.payments.exists():
            self._call(
                "officer",
                "post",
                f"{url}/record-payment/",
                {
                    "kind": "fine",
                    "amount": str(case.fine_amount),
                    "paid_on": self.w.clock.today.isoformat(),
                    "receipt_number": "PJ-0001",
                },
            )
        elif s in (State.SERVED, State.EXECUTED):
            self._ensure_document(case, "closing_report")
            self._call("head", "post", f"{url}/close-case/", {"report": "已履行。"})
        elif s == State.CLOSED:
            if self._call("head", "post", f"{url}/archive-case/").status_code >= 400:
                # the file is not complete: make, sign and finalise what its procedure path requires, then archive
                from zhifa.records.demo import complete_file

                self._direct(lambda: complete_file(case, [self.w.officer, self.w.officer2]))
                self._call("head", "post", f"{url}/archive-case/")

    def _ensure_document(self, case, kind):
        """The document the next step needs, made, signed and finalised as the documents pages do."""
        from tests.cases.conftest import make_document
        from zhifa.records.models import Document

        if not Document.objects.filter(case=case, kind=kind, state="final").exists():
            self._direct(lambda: make_document(self.w, case, kind))

    def _review_and_decide(self, case):
        response = self._call("head", "post", f"/api/v1/cases/{case.pk}/decide/")
        if response.status_code < 400:
            return
        pending = Submission.objects.filter(case=case).order_by("-pk").first()
        if pending is None or pending.state not in ("submitted", "assigned", "in_review"):
            from tests.cases.conftest import draft_decision_document

            self._direct(lambda: draft_decision_document(self.w, case))  # the 代拟稿 the reviewer reviews
            self._call(
                "officer",
                "post",
                "/api/v1/reviews/",
                {
                    "case": case.pk,
                    "explanation": "拟给予警告并处罚款。",
                    "discretion_reason": "一般情节。",
                    "qualifications": "两名承办人均持证。",
                },
            )
            pending = Submission.objects.filter(case=case).order_by("-pk").first()
        if pending is not None:
            self._call(
                "head", "post", f"/api/v1/reviews/{pending.pk}/assign/", {"reviewers": [self.w.reviewer.pk]}
            )
            self._call(
                "reviewer",
                "post",
                f"/api/v1/reviews/{pending.pk}/opinion/",
                {"points": PASS, "outcome": "agree", "summary": "同意。"},
            )

    @rule(
        party=st.sampled_from(["clinic", "person_party", "other"]),
        officers=st.sampled_from(["two", "one", "b"]),
        actor=st.sampled_from(ACTORS),
    )
    def accept_case(self, party, officers, actor):
        party_id = getattr(self.w, party).pk if party != "other" else 99999
        team = {
            "two": [self.w.officer.pk, self.w.officer2.pk],
            "one": [self.w.officer.pk],
            "b": [self.w.officer_b.pk],
        }[officers]
        response = self._call(
            actor,
            "post",
            "/api/v1/cases/",
            {
                "party": party_id,
                "cause": "未取得《医疗机构执业许可证》擅自执业",
                "source": "inspection",
                "field": self.w.medical.pk,
                "unit": self.w.section.pk,
                "officers": team,
                "summary": "监督检查发现。",
                "violation_date": (self.w.clock.today - dt.timedelta(days=10)).isoformat(),
            },
        )
        if response.status_code == 201:
            self.cases.append(response.json()["id"])

    @rule(emergency=st.booleans(), officers=st.sampled_from(["two", "one"]), actor=st.sampled_from(ACTORS))
    def open_measure(self, emergency, officers, actor):
        """报请实施查封扣押 (a 行政强制措施 of its own): its later steps are taken by ``case_action`` and ``advance``."""
        team = [self.w.officer.pk, self.w.officer2.pk] if officers == "two" else [self.w.officer.pk]
        response = self._call(
            actor,
            "post",
            "/api/v1/cases/measures/",
            {
                "party": self.w.clinic.pk,
                "cause": "涉嫌违规处置医疗废物",
                "source": "inspection",
                "field": self.w.medical.pk,
                "unit": self.w.section.pk,
                "officers": team,
                "summary": "监督检查发现医疗废物混入生活垃圾。",
                "basis": "《医疗废物管理条例》第三十九条",
                "emergency": emergency,
            },
        )
        if response.status_code == 201:
            self.cases.append(response.json()["id"])

    @rule(listed=st.booleans(), actor=st.sampled_from(ACTORS))
    def open_requisition(self, listed, actor):
        """登记征用 (a 行政征用): with its list, or without one (refused, nothing written)."""
        response = self._call(
            actor,
            "post",
            "/api/v1/cases/requisitions/",
            {
                "party": self.w.clinic.pk,
                "cause": "疫情防控临时隔离场所",
                "source": "assigned",
                "field": self.w.medical.pk,
                "unit": self.w.section.pk,
                "officers": [self.w.officer.pk, self.w.officer2.pk],
                "summary": "聚集性疫情。",
                "basis": "《中华人民共和国传染病防治法》",
                "requisitioned": "宾馆客房｜标准间｜40间" if listed else "",
            },
        )
        if response.status_code == 201:
            self.cases.append(response.json()["id"])

    @rule(actor=st.sampled_from(ACTORS))
    def open_inspection(self, actor):
        """登记行政检查 (outside a plan): recorded and concluded later by ``advance`` and ``case_action``."""
        response = self._call(
            actor,
            "post",
            "/api/v1/cases/inspections/",
            {
                "party": self.w.clinic.pk,
                "cause": "日常监督检查",
                "source": "inspection",
                "field": self.w.medical.pk,
                "unit": self.w.section.pk,
                "officers": [self.w.officer.pk, self.w.officer2.pk],
                "summary": "依法执业情况。",
                "basis": "《医疗机构管理条例》",
            },
        )
        if response.status_code == 201:
            self.cases.append(response.json()["id"])

    @rule(actor=st.sampled_from(ACTORS))
    def open_confirmation(self, actor):
        """受理确认申请 (a 行政确认): examined and decided later by ``advance`` and ``case_action``."""
        response = self._call(
            actor,
            "post",
            "/api/v1/cases/confirmations/",
            {
                "party": self.w.person_party.pk,
                "cause": "奖励扶助对象资格确认",
                "source": "other",
                "field": self.w.medical.pk,
                "unit": self.w.section.pk,
                "officers": [self.w.officer.pk, self.w.officer2.pk],
                "summary": "申请确认。",
                "basis": "《全国农村部分计划生育家庭奖励扶助制度管理规范》",
            },
        )
        if response.status_code == 201:
            self.cases.append(response.json()["id"])

    @rule(
        id_number=st.sampled_from(["91350100M000100Y43", "11010519491231002X", "110105194912310021", "1"]),
        actor=st.sampled_from(ACTORS),
    )
    def register_party(self, id_number, actor):
        natural = len(id_number) == 18 and id_number[0] == "1"
        self._call(
            actor,
            "post",
            "/api/v1/parties/",
            {
                "kind": PartyKind.NATURAL if natural else PartyKind.LEGAL,
                "name": "王五",
                "id_type": IdType.RESIDENT_ID if natural else IdType.CREDIT_CODE,
                "id_number": id_number,
                "address": "甲区",
                "legal_representative": "" if natural else "王五",
            },
        )

    @rule(actor=st.sampled_from(["officer", "officer2", "head"]))
    def declare_connection(self, actor):
        self._direct(
            lambda: case_actions.declare_connection(
                self.people[actor], Party.objects.get(pk=self.w.clinic.pk), relation="亲属"
            )
        )

    @rule(i=st.integers(0, 50), granted=st.booleans(), who=st.sampled_from(["officer", "officer2"]))
    def decide_recusal(self, i, granted, who):
        self._direct(
            lambda: case_actions.decide_recusal(
                self.w.head,
                self._case(i),
                person=self.people[who],
                reason="与当事人有利害关系",
                granted=granted,
            )
        )

    @rule(count=st.sampled_from([0, 1, 2, -1]), days=st.sampled_from([30, 0]))
    def set_extension_policy(self, count, days):
        from zhifa.cases.rules import EXTENSION_DEFAULTS

        self._direct(
            lambda: case_actions.set_extension_policy(
                self.w.sysadmin,
                self.w.a,
                max_count=count,
                max_days=days,
                approver_role="agency_head",
                reasons=EXTENSION_DEFAULTS["reasons"][:2],
            )
        )

    @rule(years=st.sampled_from([30, 50, 0]), actor=st.sampled_from(["sysadmin", "officer"]))
    def set_records_policy(self, years, actor):
        from zhifa.records.policy import set_records_policy

        self._direct(
            lambda: set_records_policy(
                self.people[actor],
                self.w.a,
                retention_general=years,
                retention_simple=10,
                access_burst_count=20,
                access_burst_minutes=10,
                basis="甲省档案规定",
            )
        )

    @rule(fine=st.sampled_from(["10000", "50000", "-5"]))
    def set_hearing_policy(self, fine):
        self._direct(
            lambda: case_actions.set_hearing_policy(
                self.w.sysadmin,
                self.w.a,
                fine_person=Decimal(fine),
                fine_organisation=Decimal("100000"),
                confiscation=Decimal("50000"),
                basis="甲省卫生健康行政处罚听证标准",
            )
        )

    @rule(fine=st.sampled_from(["50", "200", "5000"]), signed=st.booleans())
    def decide_on_the_spot(self, fine, signed):
        def call():
            case = case_actions.decide_on_the_spot(
                self.w.officer,
                party=Party.objects.get(pk=self.w.person_party.pk),
                cause="随地吐痰",
                field=self.w.medical,
                unit=self.w.section,
                officers=[self.w.officer, self.w.officer2],
                certificates_shown=self.w.certs(),
                penalty_kinds=["fine"],
                fine_amount=Decimal(fine),
                facts="公共场所违法行为。",
                violated_provisions="《公共场所卫生管理条例》",
                penalty_provisions="《公共场所卫生管理条例》",
                place="甲区车站",
                party_signed=signed,
                refusal_witness="" if signed else "",
                told_facts="公共场所随地吐痰。",
                told_reasons="违反公共场所卫生管理规定。",
                told_basis="《公共场所卫生管理条例》",
                rights_told=True,
                statement_waived=True,
            )
            self.cases.append(case.pk)

        self._direct(call)

    # Documents.

    @rule(
        i=st.integers(0, 50),
        kind=st.sampled_from(
            [
                DocumentKind.ONSITE_RECORD,
                DocumentKind.FILING_REPORT,
                DocumentKind.INVESTIGATION_REPORT,
                DocumentKind.PRIOR_NOTICE,
                DocumentKind.PENALTY_DECISION,
                "no_such_kind",
            ]
        ),
        actor=st.sampled_from(ACTORS),
    )
    def generate_document(self, i, kind, actor):
        self._call(actor, "post", "/api/v1/documents/", {"case": self._case(i).pk, "kind": kind})

    @rule(
        j=st.integers(0, 50),
        op=st.sampled_from(
            ["edit", "sign", "party-signature", "scan", "refusal", "finalise", "correct", "discard"]
        ),
        actor=st.sampled_from(ACTORS),
    )
    def document_step(self, j, op, actor):
        docs = list(Document.objects.order_by("pk").values_list("pk", flat=True))
        if not docs:
            return
        pk = docs[j % len(docs)]
        png = base64.b64encode(signature_png()).decode()
        payload = {
            "edit": {"narrative": {"facts": "补充事实"}},
            "party-signature": {"signer_name": "李康宁", "image": png},
            "scan": {"signer_name": "李康宁", "file": png},
            "refusal": {"signer_name": "李康宁", "witness": "赵见证"},
            "correct": {"reason": "笔误"},
            "discard": {"reason": "重新制作"},
        }.get(op, {})
        self._call(actor, "post", f"/api/v1/documents/{pk}/{op}/", payload)

    # Evidence.

    @rule(
        i=st.integers(0, 50),
        actor=st.sampled_from(["officer", "officer_b", "head"]),
        secret=st.booleans(),
        link=st.booleans(),
    )
    def upload_evidence(self, i, actor, secret, link):
        case = self._case(i)
        body = signature_png()
        started = self._call(
            actor,
            "post",
            "/api/v1/evidence-uploads/",
            {"case": case.pk, "size": len(body), "name": "现场照片.png"},
        )
        if started.status_code != 201:
            return
        upload = started.json()["id"]
        self._call(actor, "put", f"/api/v1/evidence-uploads/{upload}/", body, HTTP_UPLOAD_OFFSET="0")
        meta = {
            "kind": "photo",
            "description": "现场照片",
            "source": "现场拍摄",
            "collected_at": timezone.now().isoformat(),
            "place": "甲区健康路1号",
            "secrecy": "secret" if secret else "",
        }
        record = case.records.order_by("pk").first()
        if link and record is not None:
            meta["record"] = record.pk
        self._call(actor, "post", f"/api/v1/evidence-uploads/{upload}/complete/", meta)

    @rule(actor=st.sampled_from(ACTORS))
    def open_evidence(self, actor):
        from zhifa.records.models import Evidence

        item = Evidence.objects.order_by("-pk").first()
        if item is not None:
            self._call(actor, "get", f"/api/v1/evidence/{item.pk}/")

    @rule()
    def fixity(self):
        from zhifa.records import evidence

        evidence.check_fixity(limit=5)
        evidence.check_document_fixity(5)

    # Remedies (复议诉讼): recorded on a decided case; the head records the outcome; documents as multipart.

    @rule(
        i=st.integers(0, 50),
        op=st.sampled_from(["record", "accept", "outcome", "document"]),
        actor=st.sampled_from(ACTORS),
        changing=st.booleans(),
    )
    def remedy_step(self, i, op, actor, changing):
        from zhifa.remedies import actions as remedy_actions
        from zhifa.remedies.models import Proceeding

        today = timezone.localdate().isoformat()
        if op == "record":
            body = {"case": self._case(i).pk, "kind": "reconsideration", "applied_on": today}
            self._call(actor, "post", "/api/v1/remedies/", body)
            return
        p = Proceeding.objects.order_by("-pk").first()
        if p is None:
            return
        if op == "accept":
            self._call(actor, "post", f"/api/v1/remedies/{p.pk}/accept/", {"accepted_on": today})
        elif op == "outcome":
            outcome = {"outcome": "annulled" if changing else "upheld", "decided_on": today, "note": "撤销"}
            self._call(actor, "post", f"/api/v1/remedies/{p.pk}/outcome/", outcome)
        else:  # as the page's upload calls it
            self._direct(
                lambda: remedy_actions.add_document(
                    self.people[actor], p, title="复议决定书", data=b"%PDF-1.4\n%%EOF\n"
                )
            )

    # Review.

    @rule(i=st.integers(0, 50), actor=st.sampled_from(ACTORS), complete=st.booleans())
    def submit_review(self, i, actor, complete):
        if complete:  # the package is complete when the decision draft exists (the checklist is computed)
            from tests.cases.conftest import draft_decision_document

            case = self._case(i)
            self._direct(lambda: draft_decision_document(self.w, case))  # refused when the case can have none
        self._call(
            actor,
            "post",
            "/api/v1/reviews/",
            {
                "case": self._case(i).pk,
                "explanation": "拟处罚。",
                "discretion_reason": "一般情节。",
                "qualifications": "均持证。",
            },
        )

    @rule(
        j=st.integers(0, 50),
        op=st.sampled_from(["assign", "opinion", "problem", "withdraw", "escalate", "coordinate"]),
        actor=st.sampled_from(ACTORS),
    )
    def review_step(self, j, op, actor):
        ids = list(Submission.objects.order_by("pk").values_list("pk", flat=True))
        if not ids:
            return
        pk = ids[j % len(ids)]
        problem = {**PASS, "law": {"result": "problem", "comment": "条款引用有误"}}
        path, payload = {
            "assign": ("assign", {"reviewers": [self.w.reviewer.pk]}),
            "opinion": ("opinion", {"points": PASS, "outcome": "agree", "summary": "同意。"}),
            "problem": ("opinion", {"points": problem, "outcome": "revise", "summary": "请修改。"}),
            "withdraw": ("withdraw", {"reason": "补充材料"}),
            "escalate": ("escalate", {"reason": "意见不一"}),
            "coordinate": ("coordinate", {"outcome": "refer_discussion", "decision": "提交集体讨论"}),
        }[op]
        self._call(actor, "post", f"/api/v1/reviews/{pk}/{path}/", payload)

    @rule(
        i=st.integers(0, 50),
        op=st.sampled_from(["open", "opinion", "recuse", "conclude"]),
        actor=st.sampled_from(["head", "officer", "reviewer"]),
    )
    def discussion_step(self, i, op, actor):
        if op == "open":
            self._call(
                actor,
                "post",
                "/api/v1/discussions/",
                {
                    "case": self._case(i).pk,
                    "held_on": self.w.clock.today.isoformat(),
                    "place": "局会议室",
                    "participants": [self.w.head.pk, self.w.reviewer.pk, self.w.officer.pk],
                },
            )
            return
        discussion = Discussion.objects.order_by("-pk").first()
        if discussion is None:
            return
        url = f"/api/v1/discussions/{discussion.pk}"
        if op == "conclude":
            self._call(actor, "post", f"{url}/conclude/", {"conclusion": "同意处罚。"})
        else:
            self._call(
                actor,
                "post",
                f"{url}/record-opinion/",
                {
                    "participant": self.w.head.pk if op == "opinion" else self.w.officer.pk,
                    "opinion": "同意",
                    "vote": "agree" if op == "opinion" else "",  # the head votes; others attend
                    "recused": op == "recuse",
                    "reason": "承办人员回避" if op == "recuse" else "",
                },
            )

    @rule(on=st.booleans())
    def review_settings(self, on):
        self._direct(
            lambda: review_actions.set_policy(
                self.w.sysadmin, self.w.a, reviewer_ratio=Decimal("0.05"), discussion_quorum=3 if on else 1
            )
        )
        self._direct(
            lambda: review_actions.set_criterion(
                self.w.sysadmin,
                self.w.a,
                kind=CriterionKind.GENERAL_PENALTY,
                label="一般程序行政处罚决定",
                basis="方案",
            )
        )

    # Org.

    @rule(
        op=st.sampled_from(
            [
                "create_agency",
                "update_agency",
                "add_unit",
                "add_field",
                "add_platform_admin",
                "add_person",
                "update_person",
                "set_person_active",
                "reset_password",
                "change_password",
                "grant_role",
                "remove_role",
                "create_api_token",
                "revoke_api_token",
                "rehash_password",
                "auth_event",
            ]
        ),
        actor=st.sampled_from(["sysadmin", "head", "officer"]),
        n=st.integers(0, 3),
    )
    def org_step(self, op, actor, n):
        a = self.people[actor]
        secadmin = self.w.secadmin if actor == "sysadmin" else a
        target = Person.objects.get(pk=self.w.officer2.pk)
        calls = {
            "create_agency": lambda: org_actions.create_agency(
                a,
                parent=self.w.a,
                code=f"sub-{n}",
                name=f"甲区卫生监督所{n}",
                short_name="甲监",
                credit_code="12440300MB2D00001X",
                region="甲区",
            ),
            "update_agency": lambda: org_actions.update_agency(a, self.w.a, phone=f"0591-88{n}"),
            "add_unit": lambda: org_actions.add_unit(a, self.w.a, name=f"第{n}科"),
            "add_field": lambda: org_actions.add_field(
                None if actor == "sysadmin" else a, code=f"f{n}", name=f"领域{n}"
            ),
            "add_platform_admin": lambda: Person.objects.create_superuser(
                f"root{n}", "Root#Pass2026", full_name=f"平台管理员{n}"
            ),
            "add_person": lambda: org_actions.add_person(
                secadmin, self.w.a, username=f"new{n}", password="Test#Pass2026", full_name=f"新人{n}"
            ),
            "update_person": lambda: org_actions.update_person(secadmin, target, phone=f"1390000000{n}"),
            "set_person_active": lambda: org_actions.set_person_active(
                secadmin, target, active=bool(n % 2), reason="调岗"
            ),
            "reset_password": lambda: org_actions.reset_password(
                secadmin, target, new_password="New#Pass2026"
            ),
            "change_password": lambda: org_actions.change_password(
                a, old_password="Test#Pass2026", new_password=f"Chg#Pass202{n}"
            ),
            "grant_role": lambda: org_actions.grant_role(secadmin, target, Role.UNIT_HEAD),
            "remove_role": lambda: org_actions.remove_role(secadmin, target, Role.UNIT_HEAD, reason="调岗"),
            "create_api_token": lambda: org_actions.create_api_token(a, name=f"脚本{n}"),
            "revoke_api_token": lambda: [org_actions.revoke_api_token(a, t) for t in a.api_tokens.all()[:1]],
            # A login that upgrades the hash (as Person.check_password does), and a login-audit event (a known
            # person's, recorded in the agency's log; an unknown name's, only chained).
            "rehash_password": lambda: org_actions.rehash_password(target, "Rehash#Pass2026"),
            "auth_event": lambda: org_actions.record_auth_event(
                AuthEventKind.FAILURE,
                username=f"u{n}" if n % 2 else a.username,
                person=None if n % 2 else a,
                ip=None,
            ),
        }
        self._direct(calls[op])

    @rule(
        op=st.sampled_from(["issue", "suspend", "reinstate", "revoke"]),
        actor=st.sampled_from(ACTORS),
        n=st.integers(0, 3),
    )
    def certificate_step(self, op, actor, n):
        if op == "issue":
            self._call(
                actor,
                "post",
                "/api/v1/certificates/",
                {
                    "person": self.w.head.pk,
                    "number": f"CERT-H{n}",
                    "fields": ["medical"],
                    "issuer": "甲区人民政府",
                    "valid_from": (self.w.clock.today - dt.timedelta(days=1)).isoformat(),
                    "valid_to": (self.w.clock.today + dt.timedelta(days=300 * (n - 1))).isoformat(),
                },
            )
            return
        cert = Certificate.objects.order_by("pk").first()
        self._call(actor, "post", f"/api/v1/certificates/{cert.pk}/{op}/", {"reason": "复核"})

    @invariant()
    def the_ledger_verifies(self):
        report = checks.verify(state=True)
        assert report.ok, [str(p) for p in report.problems[:5]]


@pytest.mark.slow(seconds=4 * EXAMPLES)  # about 4 s a sequence on SQLite
@pytest.mark.django_db
def test_every_action_sequence_leaves_the_ledger_verifiable(rw, client):  # noqa: F811
    w = rw
    review_actions.set_criterion(
        w.sysadmin,
        w.a,
        kind=CriterionKind.LARGE_FINE,
        applies_to=AppliesTo.COLLECTIVE,
        label="罚款十万元以上集体讨论",
        threshold_person=Decimal("100000"),
        threshold_organisation=Decimal("100000"),
    )
    first = w.investigate(w.new_case())
    Ledger.w, Ledger.client, Ledger.first = w, client, first
    Ledger.people = {name: getattr(w, name) for name in ACTORS}
    before = set(Entry.objects.values_list("action", flat=True).distinct())
    Ledger.taken = set()
    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    reached = Ledger.taken - before
    print(f"ledger completeness: {len(reached)} actions reached beyond the set-up: {sorted(reached)}")
    walked = {
        "cases.issue_notice",
        "cases.record_statement",
        "review.submit",
        "review.assign",
        "review.give_opinion",
        "cases.decide",
        "cases.serve_decision",
        "cases.record_payment",
        "cases.close_case",
        "cases.archive_case",
    }
    assert walked <= reached, sorted(walked - reached)  # every sequence walks a case to the archive
    assert len(reached) >= 18, sorted(reached)  # and the random steps act too, not only bounce off refusals


def test_the_machine_covers_every_action():
    """A new action of cases, records, review or org must be added to the machine (ACTIONS) to pass."""
    registered = {
        name
        for name in registry.action_names()
        if name.split(".")[0] in ("cases", "records", "review", "org", "remedies")
    }
    assert registered - set(ACTIONS) == set()
    assert set(ACTIONS) - registered == set(), "the machine names actions the ledger does not know"
    assert {rule for rule in ACTIONS.values() if not callable(getattr(Ledger, rule, None))} == set()

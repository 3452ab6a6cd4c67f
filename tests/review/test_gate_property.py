"""A stateful property test of the legal-review gate (1,000 random sequences by default; see below).

Random sequences of submit, approve, reject, resubmit, withdraw, edit the draft, change the public-interest reason,
replace an acting officer, add evidence, escalate and coordinate (uphold, or refer to the heads' collective
discussion, which votes), hold a collective discussion, suspend (a back-dated start is refused) and resume, extend the
time limit (once; a second is refused), and decide (the head's signature). A model tracks, independently of the
platform's digest, which version of the case file each approval and discussion covered. The decision must succeed
exactly when the current version was approved (and, where required, discussed) — never otherwise.

1,000 sequences by default (about 0.2 s a sequence; in four tests of 250, which the test processes share), once: in the SQLite pass of `make test` (marked one_pass; the
PostgreSQL pass leaves it out, since the gate's logic is the same and only the database differs — the gate's own tests
in this folder, and every action it calls, run on both). Set ZHIFA_GATE_EXAMPLES for a longer or a PostgreSQL run
(`make test-postgres PYTEST_ARGS="-m one_pass tests/review/test_gate_property.py"`).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.cases.conftest import notice_fast
from zhifa.cases import actions as case_actions
from zhifa.cases.choices import RecordKind, State
from zhifa.cases.models import Case
from zhifa.review import actions
from zhifa.review.choices import AppliesTo, CriterionKind
from zhifa.review.rules import POINT_CODES

EXAMPLES = int(__import__("os").environ.get("ZHIFA_GATE_EXAMPLES", "1000"))
# The sequences run as SHARDS tests of EXAMPLES / SHARDS each (independent random sequences, the same count in all),
# so the test processes share them instead of one process running all of them at the end of the suite.
SHARDS = 4
PASS = {c: {"result": "pass", "comment": ""} for c in POINT_CODES}
PROBLEM = {**PASS, "law": {"result": "problem", "comment": "条款引用有误"}}


def _refused(call) -> bool:
    try:
        with transaction.atomic():
            call()
    except ValidationError:
        return True
    return False


@pytest.mark.slow(seconds=0.24 * EXAMPLES / SHARDS)  # about 0.24 s a sequence on SQLite
@pytest.mark.one_pass
@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_decision_without_a_passed_review_of_exactly_its_draft(rw, shard):
    w = rw
    actions.set_criterion(
        w.sysadmin,
        w.a,
        kind=CriterionKind.LARGE_FINE,
        applies_to=AppliesTo.COLLECTIVE,
        label="罚款六千元以上集体讨论",
        threshold_person=Decimal("1000"),
        threshold_organisation=Decimal("6000"),
    )
    third = w.person(w.a, "head_a2", "甲副局长", "agency_head")
    fourth = w.person(w.a, "head_a3", "甲副局长三", "agency_head")
    heads = [w.head, third, fourth]
    officer3 = w.person(w.a, "officer_a3", "甲执法三", "officer", unit=w.section)
    from zhifa.org import actions as org_actions

    org_actions.issue_certificate(
        None,
        officer3,
        number="CERT-0099",
        field_codes=["medical"],
        issuer="甲区人民政府",
        valid_from=w.clock.today.replace(year=2024),
        valid_to=w.clock.today.replace(year=2030),
    )
    case = w.investigate(w.new_case())
    notice_fast(w, case)
    case_actions.waive_statement(w.officer, case, signer="李康宁")
    w.draft_decision(case)  # the 代拟稿 the reviewers review and the decision binds

    class Gate(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.savepoint = transaction.savepoint()
            self.version = 0  # bumped by every change to the draft or the evidence
            self.fine = Decimal("5000")
            self.pending = None  # (submission, version it froze)
            self.problems = None
            self.approved = set()  # versions a review approved (or coordination accepted)
            self.discussed = set()  # versions a collective discussion concluded on
            self.decided = False
            self.versions = {}  # submission id -> the version it froze
            self.coordinated = set()
            self.referred = (
                None  # the round whose disagreement was referred to the heads, while it is the latest
            )
            self.officers = (w.officer, w.officer2)
            self.reason = ""
            self.suspended = False
            self.extended = False

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def _case(self):
            return Case.objects.get(pk=case.pk)

        def _change(self, edit, changes_file=True):
            """Reopen the investigation, make the edit, and go back to the notice. Only a real change to the draft
            or the evidence makes a new version of the file (re-issuing the same notice does not)."""
            c = self._case()
            case_actions.reopen_investigation(w.officer, c, reason="补充调查")
            edit(c)
            case_actions.close_investigation(w.officer, c)
            notice_fast(w, c)
            case_actions.waive_statement(w.officer, c, signer="李康宁")
            if changes_file:
                self.version += 1

        @precondition(lambda self: not self.decided and self.pending is None)
        @rule(mode=st.sampled_from(["single", "collegial"]))
        def submit(self, mode):
            responses = {"law": "已更正"} if self.problems is not None else {}
            s = actions.submit(
                w.officer,
                self._case(),
                explanation="说明",
                discretion_reason="一般",
                qualifications="持证",
                mode=mode,
                responses=responses,
            )
            reviewers = [w.reviewer] if mode == "single" else [w.reviewer, w.reviewer2]
            actions.assign(w.head, s, reviewers=reviewers)
            self.pending, self.problems, self.referred = (s, self.version), None, None
            self.versions[s.pk] = self.version

        @precondition(lambda self: self.pending is not None)
        @rule(agree=st.booleans())
        def review(self, agree):
            s, version = self.pending
            reviewers = [a.reviewer for a in s.assignments.all()]

            def give():
                for r in reviewers:
                    actions.give_opinion(
                        r,
                        s,
                        points=PASS if agree else PROBLEM,
                        outcome="agree" if agree else "problems",
                        summary="意见",
                    )

            refused = _refused(give)
            assert refused == (version != self.version), (
                "an opinion on a changed file must be refused, and only then"
            )
            if refused:
                actions.withdraw(w.officer, s, reason="材料变更")
            elif agree:
                self.approved.add(version)
            else:
                self.problems = s
            self.pending = None

        @precondition(lambda self: self.pending is not None)
        @rule()
        def withdraw(self):
            actions.withdraw(w.officer, self.pending[0], reason="补充材料")
            self.pending = None

        @precondition(lambda self: self.problems is not None and self.problems.pk not in self.coordinated)
        @rule(refer=st.booleans())
        def escalate_and_coordinate(self, refer):
            """The head never passes a review: uphold (a new round) or refer to the heads."""
            s = self.problems
            actions.escalate(w.officer, s, reason="不同意审核意见")
            assert _refused(lambda: actions.coordinate(w.head, s, outcome="accept_unit", decision="采纳"))
            actions.coordinate(
                w.head, s, outcome="refer_discussion" if refer else "uphold_review", decision="协调意见"
            )
            self.coordinated.add(s.pk)
            if refer:
                self.referred = s

        @precondition(lambda self: not self.decided and self.referred is not None)
        @rule(agree=st.booleans())
        def heads_settle(self, agree):
            """The heads' collective discussion of a referred disagreement: a majority of the voting heads; the
            reviewer attends without a vote. It judges the file the reviewers reviewed, or it is refused."""
            c = self._case()
            if c.discussions.filter(state="open").exists():
                return
            s = self.referred
            d = actions.open_discussion(
                w.head, c, held_on=w.clock.today, place="会议室", participants=[*heads, w.reviewer]
            )
            votes = ["agree", "agree", "reject"] if agree else ["agree", "reject", "reject"]
            for p, vote in zip(heads, votes, strict=False):
                actions.record_opinion(w.head, d, participant=p, opinion="意见", vote=vote)
            actions.record_opinion(w.head, d, participant=w.reviewer, opinion="维持审核意见")
            same = self.versions[s.pk] == self.version
            refused = _refused(lambda: actions.conclude_discussion(w.head, d, conclusion="结论"))
            assert refused == (not same)
            if refused:
                actions.record_opinion(w.head, d, participant=w.reviewer, opinion="另行送审")
                self.referred = None
                return
            if agree:
                self.approved.add(self.version)
                self.discussed.add(self.version)
            self.referred = None if agree else self.referred

        @precondition(lambda self: not self.decided and self.pending is None)
        @rule()
        def replace_officer(self):
            """Review point 2 covers the acting officers: replacing one changes what was approved."""
            new = (w.officer, officer3) if self.officers[1] == w.officer2 else (w.officer, w.officer2)
            self._change(lambda c: case_actions.assign_officers(w.head, c, officers=list(new)))
            self.officers = new

        @precondition(lambda self: not self.decided and self.pending is None)
        @rule(reason=st.sampled_from(["", "涉及区域公共卫生安全", "涉及不特定多数患者"]))
        def public_interest(self, reason):
            self._change(
                lambda c: case_actions.update_draft(
                    w.officer, c, public_interest=bool(reason), public_interest_reason=reason
                ),
                reason != self.reason,
            )
            self.reason = reason

        @precondition(lambda self: not self.decided)
        @rule()
        def suspend_or_resume(self):
            """A suspension takes effect from its approval: a back-dated start is refused; while suspended no
            decision."""
            import datetime as dt

            c = self._case()
            if self.suspended:
                case_actions.resume(w.head, c)
                self.suspended = False
                return
            back = w.clock.today - dt.timedelta(days=10)
            assert _refused(lambda: case_actions.suspend(w.head, c, reason="当事人下落不明", since=back))
            case_actions.suspend(w.head, c, reason="当事人下落不明")
            self.suspended = True

        @precondition(lambda self: not self.decided and not self.suspended)
        @rule()
        def extend(self):
            """One extension by the head with a listed reason (the agency's default rule); a second is refused."""
            from zhifa.cases.actions import extension_rule

            reason = extension_rule(w.a).reasons[0]
            refused = _refused(lambda: case_actions.extend(w.head, self._case(), days=30, reason=reason))
            assert refused == self.extended
            self.extended = True

        @precondition(lambda self: not self.decided and self.pending is None)
        @rule(fine=st.sampled_from([Decimal("5000"), Decimal("8000"), Decimal("4000")]))
        def edit_draft(self, fine):
            self._change(
                lambda c: case_actions.update_draft(w.officer, c, fine_amount=fine), fine != self.fine
            )
            self.fine = fine

        @precondition(lambda self: not self.decided and self.pending is None)
        @rule()
        def add_evidence(self):
            self._change(
                lambda c: case_actions.add_record(
                    w.officer,
                    c,
                    kind=RecordKind.INQUIRY,
                    data={"content": f"补充询问{self.version}"},
                    started_at=timezone.now(),
                    officers=[w.officer, w.officer2],
                    certificates_shown=w.certs(),
                )
            )

        @precondition(lambda self: not self.decided)
        @rule(kind=st.sampled_from(["investigation_report", "approval_form", "prior_notice"]))
        def add_document(self, kind):
            """A document of the case file changes the file; a procedural notice to the party does not."""
            from zhifa.records import actions as records

            records.generate_document(w.officer, self._case(), kind=kind, narrative={})
            if kind != "prior_notice":
                self.version += 1

        @precondition(lambda self: not self.decided and self.referred is None)
        @rule()
        def discuss(self):
            c = self._case()
            if c.discussions.filter(state="open").exists():
                return
            d = actions.open_discussion(
                w.head, c, held_on=w.clock.today, place="会议室", participants=[*heads, w.reviewer]
            )
            for p in heads:
                actions.record_opinion(w.head, d, participant=p, opinion="同意", vote="agree")
            actions.record_opinion(w.head, d, participant=w.reviewer, opinion="同意")
            actions.conclude_discussion(w.head, d, conclusion="同意")
            self.discussed.add(self.version)

        @precondition(lambda self: not self.decided)
        @rule()
        def decide(self):
            needs_discussion = self.fine >= Decimal("6000")
            expected = (
                self.version in self.approved
                and (not needs_discussion or self.version in self.discussed)
                and not self.suspended
            )
            refused = _refused(lambda: case_actions.decide(w.head, self._case()))
            assert refused == (not expected), (self.version, self.approved, self.discussed, self.fine)
            self.decided = not refused

        @precondition(lambda self: self.decided)
        @rule()
        def decide_again(self):
            assert _refused(lambda: case_actions.decide(w.head, self._case())), "a case is decided once"

        @invariant()
        def decision_only_with_its_review(self):
            if self.decided:
                assert self._case().state == State.DECIDED
                assert self.version in self.approved

    run_state_machine_as_test(
        Gate,
        settings=settings(
            max_examples=max(1, EXAMPLES // SHARDS + (shard < EXAMPLES % SHARDS)),  # EXAMPLES in all
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )

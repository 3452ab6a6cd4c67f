"""A stateful property test of the legal-review gate (issue: at least 2,000 random sequences).

Random sequences of submit, approve, reject, resubmit, withdraw, edit the draft, add evidence, escalate and
coordinate, hold a collective discussion, and decide (the head's signature). A model tracks, independently of the
platform's digest, which version of the case file each approval and discussion covered. The decision must succeed
exactly when the current version was approved (and, where required, discussed) — never otherwise.

2,000 sequences by default (the SQLite run of `make test`); the PostgreSQL run repeats it with 300
(ZHIFA_GATE_EXAMPLES), since the gate's logic is the same and only the database differs.
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

EXAMPLES = int(__import__("os").environ.get("ZHIFA_GATE_EXAMPLES", "2000"))
PASS = {c: {"result": "pass", "comment": ""} for c in POINT_CODES}
PROBLEM = {**PASS, "law": {"result": "problem", "comment": "条款引用有误"}}
MATERIALS = ["explanation", "draft", "evidence"]


def _refused(call) -> bool:
    try:
        with transaction.atomic():
            call()
    except ValidationError:
        return True
    return False


@pytest.mark.django_db
def test_no_decision_without_a_passed_review_of_exactly_its_draft(rw):
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
    case = w.investigate(w.new_case())
    notice_fast(w, case)
    case_actions.waive_statement(w.officer, case, signer="李康宁")

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
                materials=MATERIALS,
                mode=mode,
                responses=responses,
            )
            reviewers = [w.reviewer] if mode == "single" else [w.reviewer, w.reviewer2]
            actions.assign(w.head, s, reviewers=reviewers)
            self.pending, self.problems = (s, self.version), None
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
        @rule(accept=st.booleans())
        def escalate_and_coordinate(self, accept):
            s = self.problems
            actions.escalate(w.officer, s, reason="不同意审核意见")
            actions.coordinate(
                w.head, s, outcome="accept_unit" if accept else "uphold_review", decision="协调意见"
            )
            self.coordinated.add(s.pk)
            if accept:
                self.approved.add(self.versions[s.pk])
                self.problems = None

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

        @precondition(lambda self: not self.decided)
        @rule()
        def discuss(self):
            c = self._case()
            if c.discussions.filter(state="open").exists():
                return
            d = actions.open_discussion(
                w.head, c, held_on=w.clock.today, place="会议室", participants=[w.reviewer, third]
            )
            for p in (w.head, w.reviewer, third):
                actions.record_opinion(w.head, d, participant=p, opinion="同意")
            actions.conclude_discussion(w.head, d, conclusion="同意")
            self.discussed.add(self.version)

        @precondition(lambda self: not self.decided)
        @rule()
        def decide(self):
            needs_discussion = self.fine >= Decimal("6000")
            expected = self.version in self.approved and (
                not needs_discussion or self.version in self.discussed
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
            max_examples=EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )

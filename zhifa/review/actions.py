"""Every change in legal review and collective discussion. Each action checks who may act and the rules, writes
in one transaction and appends its ledger entry there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases import access as case_access
from zhifa.cases import deadlines as case_deadlines
from zhifa.cases import queries as case_queries
from zhifa.cases.choices import State
from zhifa.cases.models import Case
from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.sequences import next_number
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org import queries as org_queries
from zhifa.org.choices import AgencyLevel, Role
from zhifa.org.models import Agency, Person
from zhifa.workdays import actions as wd_actions

from . import digest as digest_mod
from . import queries, rules
from .choices import (
    AppliesTo,
    CoordinationOutcome,
    DiscussionOutcome,
    DiscussionState,
    Outcome,
    ReviewMode,
    SubmissionState,
    Vote,
)
from .models import Assignment, Coordination, Criterion, Discussion, Opinion, ReviewPolicy, Submission

SUBMITTABLE = frozenset({State.INVESTIGATED, State.NOTIFIED, State.HEARING_HELD})
REVIEW_DEADLINE = "legal_review"


def _record(agency, actor, action: str, obj, **extra) -> None:
    ledger.append(
        agency=agency,
        actor=actor,
        action=f"review.{action}",
        obj=obj,
        payload={"state": snapshot(obj), **extra},
    )


def _has(actor, agency_id: int, roles) -> bool:
    return actor is None or bool(org_queries.agency_ids_with(actor, set(roles)) & {agency_id})


# The agency's list and settings (data, the system administrator's) -------------------------------------------


@transaction.atomic
def set_policy(actor, agency: Agency, *, reviewer_ratio: Decimal, discussion_quorum: int) -> ReviewPolicy:
    if not _has(actor, agency.pk, {Role.SYSTEM_ADMIN}):
        raise ActionDenied(_("只有本机关的系统管理员可以修改法制审核设置。"))
    if not (Decimal("0") < reviewer_ratio < Decimal("1")) or discussion_quorum < 2:
        raise RuleViolation(_("比例应在0到1之间，集体讨论人数不少于2人。"))
    policy, _created = ReviewPolicy.objects.update_or_create(
        agency=agency,
        defaults={
            "reviewer_ratio": reviewer_ratio,
            "discussion_quorum": discussion_quorum,
            "updated_at": timezone.now(),
        },
    )
    _record(agency, actor, "set_policy", policy)
    return policy


@transaction.atomic
def set_criterion(
    actor,
    agency: Agency,
    *,
    kind: str,
    label: str,
    applies_to: str = AppliesTo.REVIEW,
    value: str = "",
    threshold_person=None,
    threshold_organisation=None,
    basis: str = "",
    criterion: Criterion | None = None,
    active: bool = True,
) -> Criterion:
    """Add or change a line of the 重大执法决定法制审核事项清单 (or the collective-discussion list)."""
    if not _has(actor, agency.pk, {Role.SYSTEM_ADMIN}):
        raise ActionDenied(_("只有本机关的系统管理员可以修改法制审核事项清单。"))
    if kind in ("large_fine", "confiscation") and threshold_person is None and threshold_organisation is None:
        raise RuleViolation(_("金额标准至少填写一项。"))
    if kind in ("penalty_kind", "outcome", "item", "field", "level") and not value:
        raise RuleViolation(_("请填写处罚种类、处理结果、事项编码、执法领域代码或执法层级。"))
    if kind == "level" and value not in AgencyLevel.values:
        raise RuleViolation(
            _("执法层级只能是：%(levels)s。")
            % {"levels": "、".join(f"{v}（{label}）" for v, label in AgencyLevel.choices)}
        )
    c = criterion or Criterion(agency=agency)
    if c.agency_id != agency.pk:
        raise ActionDenied(_("不能修改其他执法主体的清单。"))
    c.kind, c.label, c.applies_to, c.value, c.basis, c.active = kind, label, applies_to, value, basis, active
    c.threshold_person, c.threshold_organisation = threshold_person, threshold_organisation
    c.full_clean()
    c.save()
    _record(agency, actor, "set_criterion", c)
    return c


# Submission --------------------------------------------------------------------------------------------------------


@transaction.atomic
def submit(
    actor: Person,
    case: Case,
    *,
    explanation: str,
    discretion_reason: str,
    qualifications: str,
    mode: str = ReviewMode.SINGLE,
    responses: dict | None = None,
) -> Submission:
    """送审: the handling unit submits the package; its digest is frozen with it. What the package contains is
    computed from the case file (``queries.materials``): a missing item is named, never ticked."""
    case = case_access.lock(case)
    if case.state not in SUBMITTABLE:
        raise RuleViolation(
            _("调查终结后、作出决定前方可送审（当前状态：%(s)s）。") % {"s": State(case.state).label}
        )
    case_access.require(actor, case, "submit_review")
    previous = queries.latest_submission(case)
    if previous is not None and previous.state == SubmissionState.PENDING:
        raise RuleViolation(_("上一轮送审尚在审核中。"))
    checklist = queries.materials(case)
    missing = [str(m["label"]) for m in checklist if m["required"] and not m["present"]]
    blanks = [
        label
        for value, label in (
            (explanation, _("送审说明")),
            (discretion_reason, _("裁量基准适用说明")),
            (qualifications, _("执法人员资格说明")),
        )
        if not value.strip()
    ]
    if missing or blanks:
        raise RuleViolation(
            _("送审材料不齐全，缺少：%(items)s。") % {"items": "、".join([*missing, *map(str, blanks)])}
        )
    responses = responses or {}
    if previous is not None and previous.state == SubmissionState.PROBLEMS:
        problem_points = {
            code for o in previous.opinions.all() for code, a in o.points.items() if a["result"] == "problem"
        }
        unanswered = [
            _(dict(rules.POINTS)[c])
            for c in rules.POINT_CODES
            if c in problem_points and not str(responses.get(c, "")).strip()
        ]
        if unanswered:
            raise RuleViolation(
                _("请逐条答复上一轮审核意见：%(points)s。") % {"points": "、".join(unanswered)}
            )
    if mode not in ReviewMode.values:
        raise RuleViolation(_("请选择审核方式。"))
    digest, items = digest_mod.case_digest(case)
    submission = Submission.objects.create(
        case=case,
        round=(previous.round + 1) if previous else 1,
        mode=mode,
        reasons=queries.review_reasons(case),
        explanation=explanation,
        discretion_reason=discretion_reason,
        qualifications=qualifications,
        materials=sorted(m["code"] for m in checklist if m["present"]),
        responses=responses,
        digest=digest,
        digest_items=items,
        submitted_by=actor,
    )
    deadline = wd_actions.open_deadline(
        actor,
        agency=case.agency,
        kind=REVIEW_DEADLINE,
        target=submission,
        start=timezone.localdate(),
        label=case.reference,
    )
    submission.due_on = deadline.due
    submission.save(update_fields=["due_on"])
    _record(case.agency, actor, "submit", submission, case=case.pk)
    return submission


def _lock(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("case", "case__agency")
        .get(pk=submission.pk)
    )


_REVIEWER_MESSAGES = {
    "not_reviewer": gettext_lazy("%(name)s不是本机关法制审核机构的法制审核人员。"),
    "conflict": gettext_lazy("%(name)s承办、调查或送审了本案，应当回避，不能审核。"),
    "qualification": gettext_lazy(
        "%(name)s初次从事法制审核，须取得法律职业资格（《行政处罚法》第五十八条）。"
    ),
}


def reviewer_problem(person: Person, submission: Submission) -> str | None:
    case = submission.case
    handled = (
        person.pk in case_queries.case_officer_ids(case) or case.records.filter(officers=person).exists()
    )
    code = rules.reviewer_problem(
        is_reviewer=org_queries.has_role(person, Role.LEGAL_REVIEWER, case.agency_id),
        in_review_unit=bool(
            person.unit_id and person.unit.is_legal_review_unit and person.agency_id == case.agency_id
        ),
        handled_case=handled,
        submitted=submission.case.submissions.filter(submitted_by=person).exists(),
        first_time=queries.first_time(person),
        qualified=person.legal_qualification,
    )
    if code is not None:
        return str(_REVIEWER_MESSAGES[code]) % {"name": person.full_name}
    from zhifa.cases import recusal

    conflicts = recusal.conflicts(case, [person])  # 行政处罚法 art. 43: a declared connection or a recusal
    return conflicts[0] if conflicts else None


@transaction.atomic
def assign(actor: Person, submission: Submission, *, reviewers: Sequence[Person]) -> Submission:
    """指派: a member of the legal review unit who did not handle, investigate or submit the case."""
    submission = _lock(submission)
    agency = submission.case.agency
    can_assign = _has(actor, agency.pk, {Role.AGENCY_HEAD}) or (
        _has(actor, agency.pk, {Role.UNIT_HEAD, Role.LEGAL_REVIEWER})
        and actor.unit_id
        and actor.unit.is_legal_review_unit
    )
    if not can_assign:
        raise ActionDenied(_("只有负责人或法制审核机构可以指派审核人员。"))
    if submission.state != SubmissionState.PENDING or submission.assignments.exists():
        raise RuleViolation(_("该送审已指派审核人员或已审核完毕。"))
    reviewers = list(dict.fromkeys(reviewers))
    if submission.mode == ReviewMode.SINGLE and len(reviewers) != 1:
        raise RuleViolation(_("独任审核须指派一名审核人员。"))
    if submission.mode == ReviewMode.COLLEGIAL and len(reviewers) < 2:
        raise RuleViolation(_("合议审核须指派两名以上审核人员。"))
    problems = [p for p in (reviewer_problem(r, submission) for r in reviewers) if p]
    if problems:
        raise RuleViolation(problems)
    for index, reviewer in enumerate(reviewers):
        Assignment.objects.create(
            submission=submission, reviewer=reviewer, lead=index == 0, assigned_by=actor
        )
    _record(agency, actor, "assign", submission, reviewers=[r.pk for r in reviewers])
    return submission


_OPINION_MESSAGES = {
    "points_missing": gettext_lazy("审核意见须逐项回答全部九个审核要点。"),
    "problem_without_comment": gettext_lazy("认为存在问题的要点须写明具体问题。"),
    "agree_with_problems": gettext_lazy("有要点存在问题的，审核结论不能为“同意”。"),
    "problems_without_point": gettext_lazy("审核结论为“存在问题”的，须指出存在问题的要点。"),
}


@transaction.atomic
def give_opinion(
    actor: Person, submission: Submission, *, points: dict, outcome: str, summary: str
) -> Opinion:
    """The reviewer's signed opinion on the nine points. When every assigned reviewer has answered, the round ends:
    同意, or 存在问题 (合议: the majority; dissent is kept)."""
    submission = _lock(submission)
    case = submission.case
    if not submission.assignments.filter(reviewer=actor).exists():
        raise ActionDenied(_("您不是本次送审的审核人员。"))
    if submission.state != SubmissionState.PENDING:
        raise RuleViolation(_("本轮审核已经结束。"))
    if submission.opinions.filter(reviewer=actor).exists():
        raise RuleViolation(_("您已出具审核意见。"))
    problem = reviewer_problem(
        actor, submission
    )  # at every opinion: the case may have changed since assignment
    if problem:
        raise RuleViolation(problem)
    code = rules.opinion_problem(points, outcome)
    if code:
        raise RuleViolation(str(_OPINION_MESSAGES[code]))
    if not summary.strip():
        raise RuleViolation(_("请填写审核意见。"))
    current, _items = digest_mod.case_digest(case)
    if current != submission.digest:
        raise RuleViolation(_("送审后案件材料已变更，须撤回后重新送审。"))
    opinion = Opinion.objects.create(
        submission=submission,
        reviewer=actor,
        points=points,
        outcome=outcome,
        summary=summary,
        digest=submission.digest,
    )
    _record(case.agency, actor, "give_opinion", opinion, submission=submission.pk)
    if submission.opinions.count() == submission.assignments.count():
        outcomes = list(submission.opinions.values_list("outcome", flat=True))
        final = outcomes[0] if submission.mode == ReviewMode.SINGLE else rules.collegial_outcome(outcomes)
        submission.state = SubmissionState.APPROVED if final == Outcome.AGREE else SubmissionState.PROBLEMS
        submission.decided_at = timezone.now()
        year = timezone.localdate().year
        n = next_number(case.agency, "review_opinion", year)
        submission.number = f"{case.agency.short_name}法审〔{year}〕{n}号"
        submission.save(update_fields=["state", "decided_at", "number"])
        case_deadlines.meet(actor, submission, REVIEW_DEADLINE, timezone.localdate())
        _record(case.agency, actor, "review_concluded", submission)
    return opinion


@transaction.atomic
def withdraw(actor: Person, submission: Submission, *, reason: str) -> Submission:
    submission = _lock(submission)
    if (
        actor is not None
        and actor.pk != submission.submitted_by_id
        and not _has(actor, submission.case.agency_id, {Role.UNIT_HEAD, Role.AGENCY_HEAD})
    ):
        raise ActionDenied(_("只有送审人或负责人可以撤回送审。"))
    if submission.state != SubmissionState.PENDING:
        raise RuleViolation(_("只有审核中的送审可以撤回。"))
    if not reason.strip():
        raise RuleViolation(_("请填写撤回理由。"))
    submission.state = SubmissionState.WITHDRAWN
    submission.decided_at = timezone.now()
    submission.save(update_fields=["state", "decided_at"])
    case_deadlines.meet(actor, submission, REVIEW_DEADLINE, timezone.localdate())
    _record(submission.case.agency, actor, "withdraw", submission, reason=reason)
    return submission


# Coordination ------------------------------------------------------------------------------------------------------


@transaction.atomic
def escalate(actor: Person, submission: Submission, *, reason: str) -> Coordination:
    """The unit or the reviewers disagree with the other side: ask the head to decide (协调)."""
    submission = _lock(submission)
    case = submission.case
    is_party = (
        actor.pk in case_queries.case_officer_ids(case)
        or submission.assignments.filter(reviewer=actor).exists()
    )
    if not (is_party or _has(actor, case.agency_id, {Role.UNIT_HEAD})):
        raise ActionDenied(_("只有承办机构或审核人员可以提请协调。"))
    if submission.state != SubmissionState.PROBLEMS:
        raise RuleViolation(_("审核意见为“存在问题”且双方意见不一致时方可提请协调。"))
    if hasattr(submission, "coordination"):
        raise RuleViolation(_("已提请协调。"))
    if not reason.strip():
        raise RuleViolation(_("请说明分歧及理由。"))
    coordination = Coordination.objects.create(submission=submission, raised_by=actor, reason=reason)
    _record(case.agency, actor, "escalate", coordination, submission=submission.pk)
    return coordination


@transaction.atomic
def coordinate(actor: Person, submission: Submission, *, outcome: str, decision: str) -> Coordination:
    """The agency head settles the way forward, never the review itself: uphold the review (the unit corrects the
    case and submits again, a new round), or refer the disagreement to the heads' collective discussion (行政处罚法
    art. 57), which must agree on the same digest before the decision. No single person turns a failed review into a
    pass."""
    submission = _lock(submission)
    case = submission.case
    if not _has(actor, case.agency_id, {Role.AGENCY_HEAD}):
        raise ActionDenied(_("协调由本机关负责人决定。"))
    coordination = getattr(submission, "coordination", None)
    if coordination is None or coordination.outcome:
        raise RuleViolation(_("没有待决定的协调。"))
    if outcome not in CoordinationOutcome.values or not decision.strip():
        raise RuleViolation(_("请选择协调结果并填写协调意见。"))
    coordination.outcome, coordination.decision = outcome, decision
    coordination.decided_by, coordination.decided_at = actor, timezone.now()
    coordination.save()
    _record(case.agency, actor, "coordinate", coordination, submission=submission.pk)
    return coordination


# Collective discussion (集体讨论) -----------------------------------------------------------------------------------


@transaction.atomic
def open_discussion(
    actor: Person, case: Case, *, held_on: dt.date, place: str, participants: Sequence[Person]
) -> Discussion:
    case = case_access.lock(case)
    if case.state not in SUBMITTABLE:
        raise RuleViolation(_("调查终结后、作出决定前方可进行集体讨论。"))
    case_access.require(actor, case, "open_discussion")
    if case.discussions.filter(state=DiscussionState.OPEN).exists():
        raise RuleViolation(_("本案已有进行中的集体讨论。"))
    people = list(dict.fromkeys([actor, *participants]))
    foreign = [p.full_name for p in people if p.agency_id != case.agency_id]
    if foreign or not place.strip():
        raise RuleViolation(_("参加人员须为本机关人员，并填写讨论地点。"))
    if not _has(actor, case.agency_id, {Role.AGENCY_HEAD}):
        raise ActionDenied(_("集体讨论由本机关负责人主持。"))
    from zhifa.cases import recusal

    conflicts = recusal.conflicts(case, people)  # art. 43
    if conflicts:
        raise RuleViolation(conflicts)
    discussion = Discussion.objects.create(
        case=case,
        held_on=held_on,
        place=place,
        chair=actor,
        opened_by=actor,
        resolves=queries.referred_submission(case),
    )
    discussion.participants.set(people)
    _record(case.agency, actor, "open_discussion", discussion, case=case.pk)
    return discussion


@transaction.atomic
def record_opinion(
    actor: Person,
    discussion: Discussion,
    *,
    participant: Person,
    opinion: str = "",
    vote: str = "",
    recused: bool = False,
    reason: str = "",
) -> Discussion:
    """The chair records each participant's opinion, and each head's vote (同意 / 不同意), or their recusal (回避)
    with its reason. Participants who are not heads attend and give their opinion without a vote (art. 57)."""
    discussion = (
        Discussion.objects.select_for_update(of=("self",))
        .select_related("case__agency")
        .get(pk=discussion.pk)
    )
    if actor.pk != discussion.chair_id:
        raise ActionDenied(_("由主持人记录参加人员意见。"))
    if discussion.state != DiscussionState.OPEN:
        raise RuleViolation(_("集体讨论已作出结论。"))
    if not discussion.participants.filter(pk=participant.pk).exists():
        raise RuleViolation(_("该人员不是本次集体讨论的参加人员。"))
    key = str(participant.pk)
    if recused:
        if not reason.strip():
            raise RuleViolation(_("请填写回避理由。"))
        discussion.recusals = [r for r in discussion.recusals if r["person"] != participant.pk] + [
            {"person": participant.pk, "reason": reason}
        ]
        discussion.opinions.pop(key, None)
        discussion.votes.pop(key, None)
    else:
        if not opinion.strip():
            raise RuleViolation(_("请填写意见。"))
        if _has(participant, discussion.case.agency_id, {Role.AGENCY_HEAD}):
            if vote not in Vote.values:
                raise RuleViolation(_("负责人须表明同意或不同意。"))
            discussion.votes[key] = vote
        elif vote:
            raise RuleViolation(
                _("列席人员发表意见，不参加表决（《行政处罚法》第五十七条：由负责人集体讨论决定）。")
            )
        discussion.opinions[key] = opinion
    discussion.save(update_fields=["recusals", "opinions", "votes"])
    _record(discussion.case.agency, actor, "record_opinion", discussion)
    return discussion


@transaction.atomic
def conclude_discussion(actor: Person, discussion: Discussion, *, conclusion: str) -> Discussion:
    """The conclusion, bound to the case digest as it stands: a later change needs a new discussion."""
    discussion = (
        Discussion.objects.select_for_update(of=("self",))
        .select_related("case__agency")
        .get(pk=discussion.pk)
    )
    case = discussion.case
    if actor.pk != discussion.chair_id:
        raise ActionDenied(_("由主持人宣布讨论结论。"))
    if discussion.state != DiscussionState.OPEN:
        raise RuleViolation(_("集体讨论已作出结论。"))
    recused = {r["person"] for r in discussion.recusals}
    heads = org_queries.people_with_role(case.agency, Role.AGENCY_HEAD)
    present = [p for p in discussion.participants.all() if p.pk not in recused]
    voters = [p for p in present if p.pk in heads]  # art. 57: the heads decide; others attend without a vote
    quorum = queries.policy(case.agency).discussion_quorum
    if len(voters) < quorum:
        raise RuleViolation(
            _("参加表决的负责人（不含回避人员）不足%(n)d人（《行政处罚法》第五十七条；本机关集体讨论设置）。")
            % {"n": quorum}
        )
    silent = [p.full_name for p in present if not discussion.opinions.get(str(p.pk))]
    silent += [p.full_name for p in voters if str(p.pk) not in discussion.votes and p.full_name not in silent]
    if silent:
        raise RuleViolation(_("尚未记录以下人员的意见或表决：%(names)s。") % {"names": "、".join(silent)})
    if not conclusion.strip():
        raise RuleViolation(_("请填写讨论结论。"))
    current, _items = digest_mod.case_digest(case)
    if discussion.resolves_id and discussion.resolves.digest != current:
        raise RuleViolation(_("送审后案件材料已变更，集体讨论须针对审核时的材料；请重新送审。"))
    agree = sum(1 for p in voters if discussion.votes.get(str(p.pk)) == Vote.AGREE)
    discussion.outcome = DiscussionOutcome.AGREE if agree * 2 > len(voters) else DiscussionOutcome.REJECT
    discussion.digest = current
    discussion.conclusion = conclusion
    discussion.state = DiscussionState.CONCLUDED
    discussion.concluded_at = timezone.now()
    discussion.save()
    _record(case.agency, actor, "conclude_discussion", discussion)
    return discussion


@transaction.atomic
def issue_discussion_record(actor, discussion: Discussion) -> Discussion:
    """The 集体讨论记录 of a concluded discussion: who took part (and who stood aside, why), each opinion and the
    conclusion, rendered to PDF and sealed, stored under its SHA-256 with the hash in the ledger. Made once; it
    goes into the 案卷 when the case is archived."""
    from zhifa.org.models import Person
    from zhifa.records import conf as records_conf
    from zhifa.records import render, seal, storage
    from zhifa.records.render import render_in_chinese as render_to_string  # documents stay Chinese

    discussion = (
        Discussion.objects.select_for_update(of=("self",))
        .select_related("case__agency", "case__party", "chair")
        .get(pk=discussion.pk)
    )
    if discussion.pdf_name:
        return discussion
    if discussion.state != DiscussionState.CONCLUDED:
        raise RuleViolation(_("集体讨论尚未作出结论，还没有集体讨论记录。"))
    case = discussion.case
    people = {p.pk: p for p in discussion.participants.all()}
    recused = {r["person"]: r.get("reason", "") for r in discussion.recusals}
    missing = [int(pk) for pk in [*discussion.opinions, *recused] if int(pk) not in people]
    people.update({p.pk: p for p in Person.objects.filter(pk__in=missing)})
    html = render_to_string(
        "review/discussion_pdf.html",
        {
            "d": discussion,
            "case": case,
            "agency": case.agency,
            "font_family": records_conf.css_font_family(),
            "opinions": [
                (people[int(pk)], text, str(dict(Vote.choices).get(discussion.votes.get(pk), "")))
                for pk, text in discussion.opinions.items()
            ],
            "recusals": [(people[int(pk)], reason) for pk, reason in recused.items()],
        },
    )
    pdf, box = render.pdf(html)
    sealed = seal.provider().seal(pdf, agency=case.agency, box=box, reason=f"集体讨论记录 {case.reference}")
    stored = storage.put(sealed.pdf, ext="pdf", prefix="review")
    discussion.pdf_name, discussion.pdf_sha256 = stored.name, stored.sha256
    discussion.save(update_fields=["pdf_name", "pdf_sha256"])
    ledger.append(
        agency=case.agency,
        actor=actor,
        action="review.issue_discussion_record",
        obj=discussion,
        payload={"state": snapshot(discussion), "case": case.pk},
        files=[(stored.name, stored.sha256)],
    )
    return discussion


@transaction.atomic
def issue_opinion_document(actor, submission: Submission) -> Submission:
    """The 法制审核意见书 of a concluded round: numbered, listing each reviewer's signed opinion on the nine points,
    rendered to PDF and sealed with the agency's certificate, stored under its SHA-256 with the hash in the ledger.
    Made once (on first request); the same bytes are served afterwards."""
    from zhifa.records import conf as records_conf
    from zhifa.records import render, seal, storage
    from zhifa.records.render import render_in_chinese as render_to_string  # documents stay Chinese

    submission = _lock(submission)
    if submission.pdf_name:
        return submission
    if submission.state in (SubmissionState.PENDING, SubmissionState.WITHDRAWN) or not submission.number:
        raise RuleViolation(_("本轮审核尚未结束，还没有法制审核意见书。"))
    case = submission.case
    labels = dict(rules.POINTS)
    html = render_to_string(
        "review/opinion_pdf.html",
        {
            "s": submission,
            "case": case,
            "agency": case.agency,
            "font_family": records_conf.css_font_family(),
            "opinions": [
                (o, [(labels[c], o.points[c]) for c in rules.POINT_CODES])
                for o in submission.opinions.select_related("reviewer")
            ],
        },
    )
    pdf, box = render.pdf(html)
    sealed = seal.provider().seal(
        pdf, agency=case.agency, box=box, reason=f"法制审核意见书 {submission.number}"
    )
    stored = storage.put(sealed.pdf, ext="pdf", prefix="review")
    submission.pdf_name, submission.pdf_sha256 = stored.name, stored.sha256
    submission.save(update_fields=["pdf_name", "pdf_sha256"])
    ledger.append(
        agency=case.agency,
        actor=actor,
        action="review.issue_opinion_document",
        obj=submission,
        payload={"state": snapshot(submission)},
        files=[(stored.name, stored.sha256)],
    )
    return submission

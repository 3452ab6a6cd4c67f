"""The lifecycle of a 行政处罚 case, declared in one table: who may take each step and what it needs.

For each step: its label, the states it may start from, the state it leads to (None: the state stays), who the
law gives it to (``who``: the step is on that person's to-do list), who else may take it (``also``: the 承办机构
负责人 and 机关负责人 may act for the handling officers), and the documents it needs (``needs``: each a finalised
document of one of the kinds named, made on or after the date the case attribute ``after`` holds).

Each act kind (choices.ActKind) has its own table (``TABLES``): the 行政处罚 case's below, the 行政强制措施's
(查封、扣押) after it. The machinery — access, documents and numbering, evidence and AV, the ledger, deadlines, the
案卷, supervision — reads a case's table through ``steps_of(case)`` and ``next_of(case)``; a new act kind is a table,
its states, its actions and its documents, not a new app.

``zhifa.cases.access`` reads these tables: ``may(actor, case, step)`` for pages, the API, to-do lists and "下一步";
``require(...)`` in every action. A refusal says the current state and what comes next, or which document is
missing. To add a step: add its line here, its action (``cases.actions``), and its form (``cases.forms.SPECS``);
docs/development.md shows the whole recipe.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import RuleViolation

from .choices import ActKind
from .choices import State as S

OPEN_INVESTIGATION = frozenset({S.INVESTIGATING, S.INVESTIGATED})
BEFORE_DECISION = frozenset(
    {S.INVESTIGATING, S.INVESTIGATED, S.NOTIFIED, S.HEARING_REQUESTED, S.HEARING_SCHEDULED, S.HEARING_HELD}
)
ENDED = frozenset({S.NOT_FILED, S.CLOSED, S.ARCHIVED, S.REVOKED, S.TERMINATED})
# The states only the other act kinds go through (their tables are below): each kind's states begin with its prefix.
OTHER_ACT_STATES = frozenset(
    v for v in S.values if v.startswith(("measure_", "requisition_", "confirmation_", "inspection_"))
)
NOT_ARCHIVED = frozenset(S.values) - {S.ARCHIVED} - OTHER_ACT_STATES
LIVE = frozenset(S.values) - ENDED - OTHER_ACT_STATES
# A suit may come months after the decision, when the file is archived: remedies are recorded beside it (the
# archived file itself stays read-only).
AFTER_DECISION = frozenset({S.DECIDED, S.SERVED, S.EXECUTED, S.COURT_ENFORCEMENT, S.CLOSED, S.ARCHIVED})

# Who: the handling officers of the case, the 承办机构负责人 (unit head), the 机关负责人 (agency head), the
# hearing chair the agency named, and the platform itself (scheduled jobs; never a person).
HANDLER = "handler"
UNIT_HEAD = "unit_head"
HEAD = "agency_head"
CHAIR = "hearing_chair"
SYSTEM = "system"

WHO_LABELS = {
    HANDLER: gettext_lazy("承办人员"),
    UNIT_HEAD: gettext_lazy("承办机构负责人"),
    HEAD: gettext_lazy("机关负责人"),
    CHAIR: gettext_lazy("听证主持人"),
    SYSTEM: gettext_lazy("系统"),
}
FOR_HANDLER = frozenset({UNIT_HEAD, HEAD})  # may act for the handling officers


@dataclass(frozen=True)
class Doc:
    """A finalised document of one of ``kinds`` (records.DocumentKind values), dated on or after the case's
    ``after`` date when that is set."""

    kinds: tuple[str, ...]
    after: str | None = None


@dataclass(frozen=True)
class Step:
    label: str
    leaves: frozenset[str]
    enters: str | None
    who: frozenset[str]
    also: frozenset[str] = frozenset()
    needs: tuple[Doc, ...] = ()


def _step(label, leaves, enters, who, also=frozenset(), needs=()):
    return Step(label, frozenset(leaves), enters, frozenset(who), frozenset(also), tuple(needs))


H = {HANDLER}

STEPS: dict[str, Step] = {
    "request_filing": _step(gettext_lazy("报请立案"), {S.INTAKE}, S.FILING_REQUESTED, H, FOR_HANDLER),
    "approve_filing": _step(gettext_lazy("批准立案"), {S.FILING_REQUESTED}, S.INVESTIGATING, {HEAD}),
    "refuse_filing": _step(gettext_lazy("不予立案"), {S.INTAKE, S.FILING_REQUESTED}, S.NOT_FILED, {HEAD}),
    "assign_officers": _step(
        gettext_lazy("指派承办人员"),
        {S.INTAKE, S.FILING_REQUESTED} | BEFORE_DECISION,
        None,
        {UNIT_HEAD, HEAD},
    ),
    "decide_recusal": _step(gettext_lazy("决定回避"), LIVE, None, {HEAD}),
    "add_record": _step(gettext_lazy("制作调查取证记录"), {S.INVESTIGATING}, None, H, FOR_HANDLER),
    "update_draft": _step(
        gettext_lazy("填写处理意见"), {S.INVESTIGATING, S.INVESTIGATED}, None, H, FOR_HANDLER
    ),
    "close_investigation": _step(gettext_lazy("调查终结"), {S.INVESTIGATING}, S.INVESTIGATED, H, FOR_HANDLER),
    "reopen_investigation": _step(
        gettext_lazy("补充调查"),
        {S.INVESTIGATED, S.NOTIFIED, S.HEARING_HELD},
        S.INVESTIGATING,
        H,
        FOR_HANDLER,
    ),
    # 事先告知 (arts. 44, 63): the finalised 事先告知书, or the 听证告知书 where a hearing may be asked for, made
    # after the investigation closed (a notice from before a 补充调查 is stale).
    "issue_notice": _step(
        gettext_lazy("事先告知"),
        {S.INVESTIGATED},
        S.NOTIFIED,
        H,
        FOR_HANDLER,
        (Doc(("prior_notice", "hearing_rights"), after="investigation_closed_on"),),
    ),
    "record_statement": _step(gettext_lazy("记录陈述申辩"), {S.NOTIFIED}, None, H, FOR_HANDLER),
    "waive_statement": _step(gettext_lazy("记录放弃陈述申辩"), {S.NOTIFIED}, None, H, FOR_HANDLER),
    "waive_hearing": _step(gettext_lazy("记录放弃听证"), {S.NOTIFIED}, None, H, FOR_HANDLER),
    "request_hearing": _step(gettext_lazy("登记听证申请"), {S.NOTIFIED}, S.HEARING_REQUESTED, H, FOR_HANDLER),
    "late_hearing_request": _step(gettext_lazy("登记逾期听证申请"), {S.NOTIFIED}, None, H, FOR_HANDLER),
    "schedule_hearing": _step(
        gettext_lazy("通知听证"), {S.HEARING_REQUESTED}, S.HEARING_SCHEDULED, H, FOR_HANDLER
    ),
    # 听证 (art. 64): the 听证通知书 served at least seven working days before (checked by the action).
    "record_hearing": _step(
        gettext_lazy("记录听证"),
        {S.HEARING_SCHEDULED},
        S.HEARING_HELD,
        {CHAIR},
        {HANDLER} | FOR_HANDLER,
        (Doc(("hearing_notice",), after="hearing_notice_on"),),
    ),
    "decide": _step(
        gettext_lazy("作出决定"), {S.INVESTIGATED, S.NOTIFIED, S.HEARING_HELD}, S.DECIDED, {HEAD}
    ),
    # 送达 (art. 61): the 送达回执 signed by the recipient (or the refusal noted); electronic service carries its
    # own proof (the consent and the delivery record) instead.
    "serve_decision": _step(
        gettext_lazy("登记送达"),
        {S.DECIDED},
        S.SERVED,
        H,
        FOR_HANDLER,
        (Doc(("service_receipt",), after="decided_on"),),
    ),
    # 未能送达: a failed attempt is recorded; 公告送达 needs one (民事诉讼法 art. 95).
    "record_failed_service": _step(
        gettext_lazy("登记未能送达"), {S.INVESTIGATED, S.DECIDED}, None, H, FOR_HANDLER
    ),
    "record_payment": _step(gettext_lazy("登记缴款"), {S.SERVED, S.COURT_ENFORCEMENT}, None, H, FOR_HANDLER),
    "approve_deferral": _step(gettext_lazy("批准延期或分期缴纳"), {S.SERVED}, None, {HEAD}),
    "serve_demand": _step(gettext_lazy("送达催告书"), {S.SERVED}, None, H, FOR_HANDLER),
    "apply_court_enforcement": _step(
        gettext_lazy("申请法院强制执行"), {S.SERVED}, S.COURT_ENFORCEMENT, {HEAD}
    ),
    "record_execution": _step(
        gettext_lazy("登记执行完毕"), {S.SERVED, S.COURT_ENFORCEMENT}, S.EXECUTED, H, FOR_HANDLER
    ),
    # 结案: the head approves the 结案报告 the handling officers made (the simple procedure's 备案 needs the 当场
    # 行政处罚决定书 instead, and the unit head may take it).
    "close_case": _step(
        gettext_lazy("结案"),
        {S.SERVED, S.EXECUTED, S.DECIDED},
        S.CLOSED,
        {HEAD},
        needs=(Doc(("closing_report",), after="decided_on"),),
    ),
    "archive_case": _step(
        gettext_lazy("归档"), {S.CLOSED, S.NOT_FILED, S.REVOKED, S.TERMINATED}, S.ARCHIVED, {UNIT_HEAD, HEAD}
    ),
    "revoke_filing": _step(gettext_lazy("撤销立案"), OPEN_INVESTIGATION, S.REVOKED, {HEAD}),
    "terminate": _step(
        gettext_lazy("终止案件"),
        BEFORE_DECISION | {S.DECIDED, S.SERVED, S.COURT_ENFORCEMENT},
        S.TERMINATED,
        {HEAD},
    ),
    "suspend": _step(gettext_lazy("中止调查"), BEFORE_DECISION, None, {HEAD}),
    "resume": _step(gettext_lazy("恢复调查"), BEFORE_DECISION, None, {HEAD}),
    "request_extension": _step(gettext_lazy("申请延长办案期限"), BEFORE_DECISION, None, H, FOR_HANDLER),
    "extend": _step(gettext_lazy("批准延长办案期限"), BEFORE_DECISION, None, {HEAD}),
    # Steps on the case's file (documents, evidence, review) rather than its state.
    "change_documents": _step(gettext_lazy("制作、修改文书"), NOT_ARCHIVED, None, H, FOR_HANDLER),
    "change_hearing_documents": _step(
        gettext_lazy("制作听证文书"), NOT_ARCHIVED, None, {CHAIR}, {HANDLER} | FOR_HANDLER
    ),
    "add_evidence": _step(gettext_lazy("提交证据"), NOT_ARCHIVED - ENDED, None, H, FOR_HANDLER),
    "submit_review": _step(
        gettext_lazy("提交法制审核"), {S.INVESTIGATED, S.NOTIFIED, S.HEARING_HELD}, None, H, FOR_HANDLER
    ),
    # 集体讨论 (art. 57(2)): the head holds it, after the investigation and before the decision.
    "open_discussion": _step(
        gettext_lazy("启动集体讨论"), {S.INVESTIGATED, S.NOTIFIED, S.HEARING_HELD}, None, {HEAD}
    ),
    # 行政复议、行政诉讼 against the decision (zhifa.remedies): the officers record what the party brought; the
    # head records how it ended, since an outcome that changes or annuls the decision changes the case.
    "record_remedy": _step(gettext_lazy("登记复议诉讼"), AFTER_DECISION, None, H, FOR_HANDLER),
    "record_remedy_outcome": _step(gettext_lazy("登记复议诉讼结果"), AFTER_DECISION, None, {HEAD}),
    # The simple procedure only (access.SIMPLE_ONLY): 备案 of the on-the-spot decision with the agency (art. 52) —
    # the unit head or head who receives the finalised 当场行政处罚决定书 records it; 当场收缴 (arts. 68–70) and its
    # hand-in to the agency within two working days (art. 71) by the handling officers.
    "file_simple_decision": _step(
        gettext_lazy("当场处罚决定备案"),
        {S.SERVED, S.EXECUTED},
        None,
        {UNIT_HEAD, HEAD},
        needs=(Doc(("on_the_spot_decision",)),),
    ),
    "collect_on_the_spot": _step(gettext_lazy("当场收缴罚款"), {S.SERVED}, None, H),
    "hand_in_collection": _step(gettext_lazy("当场收缴罚款交至机关"), {S.SERVED, S.EXECUTED}, None, H),
}

# Steps on the case's file, not ledger actions of their own (the documents, evidence and review actions name their
# own entries).
FILE_STEPS = frozenset(
    {"change_documents", "change_hearing_documents", "add_evidence", "submit_review", "open_discussion"}
    | {"record_remedy", "record_remedy_outcome"}
)

# The steps that move a case on, in the order they are offered as "下一步" in each state; the rest of the
# table's steps allowed in a state are offered as "其他操作".
NEXT_STEP: dict[str, tuple[str, ...]] = {
    S.INTAKE: (
        "request_filing",
    ),  # the head may refuse at once (其他操作), but the case waits on the officers
    S.FILING_REQUESTED: ("approve_filing", "refuse_filing"),
    S.INVESTIGATING: ("add_record", "update_draft", "close_investigation"),
    S.INVESTIGATED: ("issue_notice", "submit_review", "decide"),
    S.NOTIFIED: (
        "record_statement",
        "waive_statement",
        "waive_hearing",
        "request_hearing",
        "submit_review",
        "decide",
    ),
    S.HEARING_REQUESTED: ("schedule_hearing",),
    S.HEARING_SCHEDULED: ("record_hearing",),
    S.HEARING_HELD: ("submit_review", "decide"),
    S.DECIDED: ("serve_decision", "close_case"),
    S.SERVED: (  # 当场收缴 is optional (arts. 68–69): offered among the other steps, not as a next step
        "hand_in_collection",
        "file_simple_decision",
        "record_payment",
        "record_execution",
        "close_case",
    ),
    S.COURT_ENFORCEMENT: ("record_execution",),
    S.EXECUTED: ("hand_in_collection", "file_simple_decision", "close_case"),
    S.CLOSED: ("archive_case",),
    S.NOT_FILED: ("archive_case",),
    S.REVOKED: ("archive_case",),
    S.TERMINATED: ("archive_case",),
    S.ARCHIVED: (),
}

# 行政强制措施: 查封、扣押 as an act of its own (行政强制法 arts. 18–28) -------------------------------------------
# Opened by the officers as a request for approval (art. 18(1)); in an emergency carried out at once and approved
# within 24 hours after (art. 19: ``ratify_measure``; a refusal means release at once). Carried out by two officers
# with the 现场笔录, the 查封扣押决定书 and its 清单 handed over on the spot (art. 24) and the whole filmed (音像记录
# 全程); it lasts 30 days, extended once by up to 30 with the head's approval (art. 25); it ends by release
# (解除查封扣押决定书, art. 28) or by the decision on the items (查封扣押处理决定书). A penalty case may be opened
# from it (移送立案查处), keeping the link both ways.
M_LIVE = frozenset({S.MEASURE_REQUESTED, S.MEASURE_APPROVED, S.MEASURE_IN_FORCE})
M_ENDED = frozenset({S.MEASURE_REFUSED, S.MEASURE_RELEASED, S.MEASURE_DISPOSED})
ALL_ENDED = ENDED | M_ENDED
# the 现场笔录 signed and the decision with its 清单 handed over (arts. 18, 24) before the measure is extended or ends
M_ENDS = (Doc(("onsite_record",)), Doc(("seizure_decision",)))

COMPULSION_STEPS: dict[str, Step] = {
    "approve_measure": _step(
        gettext_lazy("批准实施强制措施"), {S.MEASURE_REQUESTED}, S.MEASURE_APPROVED, {HEAD}
    ),
    "refuse_measure": _step(
        gettext_lazy("不予批准强制措施"), {S.MEASURE_REQUESTED}, S.MEASURE_REFUSED, {HEAD}
    ),
    # from 审批中 only in an emergency (access.GUARDS)
    "carry_out_measure": _step(
        gettext_lazy("实施查封扣押"),
        {S.MEASURE_REQUESTED, S.MEASURE_APPROVED},
        S.MEASURE_IN_FORCE,
        H,
        FOR_HANDLER,
    ),
    "ratify_measure": _step(gettext_lazy("补办批准手续"), {S.MEASURE_IN_FORCE}, None, {HEAD}),
    "extend_measure": _step(
        gettext_lazy("延长查封扣押期限"), {S.MEASURE_IN_FORCE}, None, {HEAD}, needs=M_ENDS
    ),
    "release_measure": _step(
        gettext_lazy("解除查封扣押"),
        {S.MEASURE_IN_FORCE},
        S.MEASURE_RELEASED,
        H,
        FOR_HANDLER,
        (*M_ENDS, Doc(("seizure_release",), after="carried_on")),
    ),
    "dispose_measure": _step(
        gettext_lazy("作出查封扣押处理决定"),
        {S.MEASURE_IN_FORCE},
        S.MEASURE_DISPOSED,
        {HEAD},
        needs=(*M_ENDS, Doc(("seizure_disposal",), after="carried_on")),
    ),
    "open_penalty_case": _step(
        gettext_lazy("移送立案查处"),
        {S.MEASURE_IN_FORCE, S.MEASURE_RELEASED, S.MEASURE_DISPOSED},
        None,
        H,
        FOR_HANDLER,
    ),
    "assign_officers": _step(gettext_lazy("指派承办人员"), M_LIVE, None, {UNIT_HEAD, HEAD}),
    "decide_recusal": _step(gettext_lazy("决定回避"), M_LIVE, None, {HEAD}),
    "archive_case": _step(gettext_lazy("归档"), M_ENDED, S.ARCHIVED, {UNIT_HEAD, HEAD}),
    "change_documents": _step(gettext_lazy("制作、修改文书"), M_LIVE | M_ENDED, None, H, FOR_HANDLER),
    "add_evidence": _step(gettext_lazy("提交证据"), M_LIVE, None, H, FOR_HANDLER),
}

COMPULSION_NEXT: dict[str, tuple[str, ...]] = {
    S.MEASURE_REQUESTED: ("approve_measure", "refuse_measure", "carry_out_measure"),
    S.MEASURE_APPROVED: ("carry_out_measure",),
    S.MEASURE_IN_FORCE: ("ratify_measure", "release_measure", "dispose_measure"),
    S.MEASURE_REFUSED: ("archive_case",),
    S.MEASURE_RELEASED: ("archive_case",),
    S.MEASURE_DISPOSED: ("archive_case",),
    S.ARCHIVED: (),
}


# 行政征用: 传染病防治法's emergency requisition of premises, vehicles, facilities and equipment (2013 text art. 45:
# 临时征用房屋、交通工具以及相关设施、设备的，应当依法给予补偿；能返还的，应当及时返还). Registered by the officers with
# the list of what is requisitioned; the head decides with the finalised 行政征用决定书 (or refuses); what can be
# returned is returned with the 征用财物返还清单 the owner signs; the compensation is decided with the 征用补偿决定书.
R_LIVE = frozenset({S.REQUISITION_REQUESTED, S.REQUISITION_IN_FORCE, S.REQUISITION_RETURNED})
R_ENDED = frozenset({S.REQUISITION_REFUSED, S.REQUISITION_COMPENSATED})
ALL_ENDED = ALL_ENDED | R_ENDED

REQUISITION_STEPS: dict[str, Step] = {
    "decide_requisition": _step(
        gettext_lazy("作出征用决定"),
        {S.REQUISITION_REQUESTED},
        S.REQUISITION_IN_FORCE,
        {HEAD},
        needs=(Doc(("requisition_decision",)),),
    ),
    "refuse_requisition": _step(
        gettext_lazy("不予征用"), {S.REQUISITION_REQUESTED}, S.REQUISITION_REFUSED, {HEAD}
    ),
    "return_requisition": _step(
        gettext_lazy("返还被征用财物"),
        {S.REQUISITION_IN_FORCE},
        S.REQUISITION_RETURNED,
        H,
        FOR_HANDLER,
        (Doc(("requisition_return",), after="decided_on"),),
    ),
    "compensate_requisition": _step(
        gettext_lazy("作出征用补偿决定"),
        {S.REQUISITION_IN_FORCE, S.REQUISITION_RETURNED},
        S.REQUISITION_COMPENSATED,
        {HEAD},
        needs=(Doc(("requisition_compensation",), after="decided_on"),),
    ),
    "assign_officers": _step(gettext_lazy("指派承办人员"), R_LIVE, None, {UNIT_HEAD, HEAD}),
    "decide_recusal": _step(gettext_lazy("决定回避"), R_LIVE, None, {HEAD}),
    "archive_case": _step(gettext_lazy("归档"), R_ENDED, S.ARCHIVED, {UNIT_HEAD, HEAD}),
    "change_documents": _step(gettext_lazy("制作、修改文书"), R_LIVE | R_ENDED, None, H, FOR_HANDLER),
    "add_evidence": _step(gettext_lazy("提交证据"), R_LIVE, None, H, FOR_HANDLER),
}

REQUISITION_NEXT: dict[str, tuple[str, ...]] = {
    S.REQUISITION_REQUESTED: ("decide_requisition", "refuse_requisition"),
    # what cannot be returned (used up, destroyed) is compensated without a return
    S.REQUISITION_IN_FORCE: ("return_requisition", "compensate_requisition"),
    S.REQUISITION_RETURNED: ("compensate_requisition",),
    S.REQUISITION_REFUSED: ("archive_case",),
    S.REQUISITION_COMPENSATED: ("archive_case",),
    S.ARCHIVED: (),
}


# 行政确认: on the party's application, the officers examine it (审查意见), the head decides — 确认 or 不予确认 —
# with the finalised 行政确认决定书, which is served on the applicant; published within 20 working days.
C_LIVE = frozenset({S.CONFIRMATION_APPLIED, S.CONFIRMATION_EXAMINED, S.CONFIRMATION_DECIDED})
C_ENDED = frozenset({S.CONFIRMATION_SERVED})
ALL_ENDED = ALL_ENDED | C_ENDED

CONFIRMATION_STEPS: dict[str, Step] = {
    "examine_confirmation": _step(
        gettext_lazy("审查确认申请"), {S.CONFIRMATION_APPLIED}, S.CONFIRMATION_EXAMINED, H, FOR_HANDLER
    ),
    "decide_confirmation": _step(
        gettext_lazy("作出确认决定"),
        {S.CONFIRMATION_EXAMINED},
        S.CONFIRMATION_DECIDED,
        {HEAD},
        needs=(Doc(("confirmation_decision",)),),
    ),
    "serve_confirmation": _step(
        gettext_lazy("送达确认决定"), {S.CONFIRMATION_DECIDED}, S.CONFIRMATION_SERVED, H, FOR_HANDLER
    ),
    "assign_officers": _step(gettext_lazy("指派承办人员"), C_LIVE, None, {UNIT_HEAD, HEAD}),
    "decide_recusal": _step(gettext_lazy("决定回避"), C_LIVE, None, {HEAD}),
    "archive_case": _step(gettext_lazy("归档"), C_ENDED, S.ARCHIVED, {UNIT_HEAD, HEAD}),
    "change_documents": _step(gettext_lazy("制作、修改文书"), C_LIVE | C_ENDED, None, H, FOR_HANDLER),
    "add_evidence": _step(gettext_lazy("提交证据"), C_LIVE, None, H, FOR_HANDLER),
}

CONFIRMATION_NEXT: dict[str, tuple[str, ...]] = {
    S.CONFIRMATION_APPLIED: ("examine_confirmation",),
    S.CONFIRMATION_EXAMINED: ("decide_confirmation",),
    S.CONFIRMATION_DECIDED: ("serve_confirmation",),
    S.CONFIRMATION_SERVED: ("archive_case",),
    S.ARCHIVED: (),
}


# 行政检查 outside a random-inspection plan: two certified officers on site with the 现场笔录 (检查记录) and any
# sampling (采样记录); concluded 合格, or 责令改正 with the 卫生监督意见书 and a 复查 time limit, or 移送立案查处 (a
# penalty case opened from it, linked); the result published within 20 working days.
I_LIVE = frozenset({S.INSPECTION_OPEN, S.INSPECTION_ORDERED})
I_ENDED = frozenset({S.INSPECTION_PASSED, S.INSPECTION_CORRECTED, S.INSPECTION_CASE})
ALL_ENDED = ALL_ENDED | I_ENDED
I_RECORD = Doc(("onsite_record",))

INSPECTION_STEPS: dict[str, Step] = {
    "record_inspection": _step(gettext_lazy("制作检查记录"), {S.INSPECTION_OPEN}, None, H, FOR_HANDLER),
    "pass_inspection": _step(
        gettext_lazy("检查合格"), {S.INSPECTION_OPEN}, S.INSPECTION_PASSED, H, FOR_HANDLER, (I_RECORD,)
    ),
    "order_correction": _step(
        gettext_lazy("责令改正"),
        {S.INSPECTION_OPEN},
        S.INSPECTION_ORDERED,
        H,
        FOR_HANDLER,
        (I_RECORD, Doc(("supervision_opinion",))),
    ),
    "record_correction": _step(
        gettext_lazy("复查合格"), {S.INSPECTION_ORDERED}, S.INSPECTION_CORRECTED, H, FOR_HANDLER
    ),
    "open_penalty_case": _step(
        gettext_lazy("移送立案查处"),
        {S.INSPECTION_OPEN, S.INSPECTION_ORDERED},
        S.INSPECTION_CASE,
        H,
        FOR_HANDLER,
        (I_RECORD,),
    ),
    "assign_officers": _step(gettext_lazy("指派承办人员"), I_LIVE, None, {UNIT_HEAD, HEAD}),
    "decide_recusal": _step(gettext_lazy("决定回避"), I_LIVE, None, {HEAD}),
    "archive_case": _step(gettext_lazy("归档"), I_ENDED, S.ARCHIVED, {UNIT_HEAD, HEAD}),
    "change_documents": _step(gettext_lazy("制作、修改文书"), I_LIVE | I_ENDED, None, H, FOR_HANDLER),
    "add_evidence": _step(gettext_lazy("提交证据"), I_LIVE, None, H, FOR_HANDLER),
}

INSPECTION_NEXT: dict[str, tuple[str, ...]] = {
    S.INSPECTION_OPEN: ("record_inspection", "pass_inspection", "order_correction", "open_penalty_case"),
    S.INSPECTION_ORDERED: ("record_correction", "open_penalty_case"),
    S.INSPECTION_PASSED: ("archive_case",),
    S.INSPECTION_CORRECTED: ("archive_case",),
    S.INSPECTION_CASE: ("archive_case",),
    S.ARCHIVED: (),
}


@dataclass(frozen=True)
class Table:
    """One act kind's lifecycle: its steps, the steps offered first in each state, its first state, its live
    states (a time limit runs, the file takes documents and evidence) and its days of publication (working days
    from the decision, 《行政执法公示办法》: 7 for a penalty, 20 for the other acts)."""

    kind: str
    steps: dict[str, Step]
    next_step: dict[str, tuple[str, ...]]
    first: str
    live: frozenset[str]
    publish_within: int


TABLES: dict[str, Table] = {
    ActKind.PENALTY: Table(ActKind.PENALTY, STEPS, NEXT_STEP, S.INTAKE, LIVE, 7),
    ActKind.COMPULSION: Table(
        ActKind.COMPULSION, COMPULSION_STEPS, COMPULSION_NEXT, S.MEASURE_REQUESTED, M_LIVE, 20
    ),
    ActKind.REQUISITION: Table(
        ActKind.REQUISITION, REQUISITION_STEPS, REQUISITION_NEXT, S.REQUISITION_REQUESTED, R_LIVE, 20
    ),
    ActKind.CONFIRMATION: Table(
        ActKind.CONFIRMATION, CONFIRMATION_STEPS, CONFIRMATION_NEXT, S.CONFIRMATION_APPLIED, C_LIVE, 20
    ),
    ActKind.INSPECTION: Table(
        ActKind.INSPECTION, INSPECTION_STEPS, INSPECTION_NEXT, S.INSPECTION_OPEN, I_LIVE, 20
    ),
}


def table(case_or_kind) -> Table:
    """The lifecycle table of a case (or of an act kind's value)."""
    kind = (
        case_or_kind if isinstance(case_or_kind, str) else getattr(case_or_kind, "act_kind", ActKind.PENALTY)
    )
    return TABLES[kind or ActKind.PENALTY]


def steps_of(case) -> dict[str, Step]:
    return table(case).steps


def next_of(case) -> tuple[str, ...]:
    return table(case).next_step.get(case.state, ())


def step(case, action: str) -> Step:
    """Step ``action`` of the case's table (KeyError: the act kind has no such step)."""
    return steps_of(case)[action]


# Kept for code that reads (label, from, to) triples.
TRANSITIONS = {name: (s.label, s.leaves, s.enters) for name, s in STEPS.items()}
_LABELS = {name: s.label for t in TABLES.values() for name, s in t.steps.items()}


def label(action: str) -> str:
    return str(_LABELS[action])


def allowed(state: str, action: str, kind: str = ActKind.PENALTY) -> bool:
    found = TABLES[kind].steps.get(action)
    return found is not None and state in found.leaves


def target(state: str, action: str, kind: str = ActKind.PENALTY) -> str:
    to = TABLES[kind].steps[action].enters
    return state if to is None else to


def check(case, action: str) -> None:
    """Refuse ``action`` unless the case's state allows it; say what comes next."""
    kind = getattr(case, "act_kind", ActKind.PENALTY)
    if allowed(case.state, action, kind):
        return
    nxt = "、".join(label(a) for a in next_of(case)) or _("无")
    raise RuleViolation(
        _("案件当前状态为“%(state)s”，不能进行“%(action)s”。下一步可以：%(next)s。")
        % {"state": S(case.state).label, "action": label(action), "next": nxt}
    )

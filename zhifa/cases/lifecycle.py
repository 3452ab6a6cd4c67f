"""The lifecycle of a 行政处罚 case, declared in one place.

Each action names the states it may start from and the state it leads to (None: the state stays). The actions
layer calls ``check(case, action)`` first; a refusal says, in Chinese, the current state and what comes next.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import RuleViolation

from .choices import State as S

OPEN_INVESTIGATION = frozenset({S.INVESTIGATING, S.INVESTIGATED})
BEFORE_DECISION = frozenset(
    {S.INVESTIGATING, S.INVESTIGATED, S.NOTIFIED, S.HEARING_REQUESTED, S.HEARING_SCHEDULED, S.HEARING_HELD}
)
ENDED = frozenset({S.NOT_FILED, S.CLOSED, S.ARCHIVED, S.REVOKED, S.TERMINATED})

# action: (label, from states, to state or None)
TRANSITIONS: dict[str, tuple[str, frozenset[str], str | None]] = {
    "request_filing": (gettext_lazy("报请立案"), frozenset({S.INTAKE}), S.FILING_REQUESTED),
    "approve_filing": (gettext_lazy("批准立案"), frozenset({S.FILING_REQUESTED}), S.INVESTIGATING),
    "refuse_filing": (gettext_lazy("不予立案"), frozenset({S.INTAKE, S.FILING_REQUESTED}), S.NOT_FILED),
    "assign_officers": (
        gettext_lazy("指派承办人员"),
        frozenset({S.INTAKE, S.FILING_REQUESTED}) | BEFORE_DECISION,
        None,
    ),
    "add_record": (gettext_lazy("制作调查取证记录"), frozenset({S.INVESTIGATING}), None),
    "update_draft": (gettext_lazy("修改处理意见"), frozenset({S.INVESTIGATING, S.INVESTIGATED}), None),
    "close_investigation": (gettext_lazy("调查终结"), frozenset({S.INVESTIGATING}), S.INVESTIGATED),
    "reopen_investigation": (
        gettext_lazy("补充调查"),
        frozenset({S.INVESTIGATED, S.NOTIFIED, S.HEARING_HELD}),
        S.INVESTIGATING,
    ),
    "issue_notice": (gettext_lazy("事先告知"), frozenset({S.INVESTIGATED}), S.NOTIFIED),
    "record_statement": (gettext_lazy("记录陈述申辩"), frozenset({S.NOTIFIED}), None),
    "request_hearing": (gettext_lazy("申请听证"), frozenset({S.NOTIFIED}), S.HEARING_REQUESTED),
    "schedule_hearing": (gettext_lazy("通知听证"), frozenset({S.HEARING_REQUESTED}), S.HEARING_SCHEDULED),
    "record_hearing": (gettext_lazy("记录听证"), frozenset({S.HEARING_SCHEDULED}), S.HEARING_HELD),
    "decide": (gettext_lazy("作出决定"), frozenset({S.INVESTIGATED, S.NOTIFIED, S.HEARING_HELD}), S.DECIDED),
    "serve_decision": (gettext_lazy("送达决定书"), frozenset({S.DECIDED}), S.SERVED),
    "record_payment": (gettext_lazy("登记缴款"), frozenset({S.SERVED, S.COURT_ENFORCEMENT}), None),
    "approve_deferral": (gettext_lazy("批准延期或分期缴纳"), frozenset({S.SERVED}), None),
    "serve_demand": (gettext_lazy("送达催告书"), frozenset({S.SERVED}), None),
    "apply_court_enforcement": (gettext_lazy("申请法院强制执行"), frozenset({S.SERVED}), S.COURT_ENFORCEMENT),
    "record_execution": (
        gettext_lazy("登记执行完毕"),
        frozenset({S.SERVED, S.COURT_ENFORCEMENT}),
        S.EXECUTED,
    ),
    "close_case": (gettext_lazy("结案"), frozenset({S.SERVED, S.EXECUTED, S.DECIDED}), S.CLOSED),
    "archive_case": (
        gettext_lazy("归档"),
        frozenset({S.CLOSED, S.NOT_FILED, S.REVOKED, S.TERMINATED}),
        S.ARCHIVED,
    ),
    "revoke_filing": (gettext_lazy("撤销立案"), OPEN_INVESTIGATION, S.REVOKED),
    "terminate": (
        gettext_lazy("终止案件"),
        BEFORE_DECISION | {S.DECIDED, S.SERVED, S.COURT_ENFORCEMENT},
        S.TERMINATED,
    ),
    "suspend": (gettext_lazy("中止调查"), BEFORE_DECISION, None),
    "resume": (gettext_lazy("恢复调查"), BEFORE_DECISION, None),
    "extend": (gettext_lazy("延长办案期限"), BEFORE_DECISION, None),
}

# What the law requires next in each state (for the case page and for refusals).
NEXT_STEP: dict[str, tuple[str, ...]] = {
    S.INTAKE: ("request_filing", "refuse_filing"),
    S.FILING_REQUESTED: ("approve_filing", "refuse_filing"),
    S.INVESTIGATING: ("add_record", "close_investigation"),
    S.INVESTIGATED: ("issue_notice", "decide"),
    S.NOTIFIED: ("record_statement", "request_hearing", "decide"),
    S.HEARING_REQUESTED: ("schedule_hearing",),
    S.HEARING_SCHEDULED: ("record_hearing",),
    S.HEARING_HELD: ("decide",),
    S.DECIDED: ("serve_decision",),
    S.SERVED: ("record_payment", "close_case"),
    S.COURT_ENFORCEMENT: ("record_execution",),
    S.EXECUTED: ("close_case",),
    S.CLOSED: ("archive_case",),
    S.NOT_FILED: ("archive_case",),
    S.REVOKED: ("archive_case",),
    S.TERMINATED: ("archive_case",),
    S.ARCHIVED: (),
}


def label(action: str) -> str:
    return str(TRANSITIONS[action][0])


def allowed(state: str, action: str) -> bool:
    return state in TRANSITIONS[action][1]


def target(state: str, action: str) -> str:
    to = TRANSITIONS[action][2]
    return state if to is None else to


def check(case, action: str) -> None:
    """Refuse ``action`` unless the case's state allows it; say what comes next."""
    if allowed(case.state, action):
        return
    nxt = "、".join(label(a) for a in NEXT_STEP.get(case.state, ())) or _("无")
    raise RuleViolation(
        _("案件当前状态为“%(state)s”，不能进行“%(action)s”。下一步可以：%(next)s。")
        % {"state": S(case.state).label, "action": label(action), "next": nxt}
    )

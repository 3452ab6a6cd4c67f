"""The documents the platform produces, declared in one table.

For each kind (choices.DocumentKind): the case states it can be made in, whether it carries a 文号 (with its
执法性质 code) or a 编号, the investigation record it is made from, the narrative fields the officer writes (with
their initial text from the case file), what it states from the case file, the signatures it needs before it
is finalised and whether the agency seal is shown on it.

The 执法性质 codes below follow common health-bureau practice; the 2012 文书规范's own list was not available
(law-facts §3.2, [U]). An agency may override them with ``settings.RECORDS_NUMBER_CODES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhifa.cases.choices import Outcome, Procedure, RecordKind
from zhifa.cases.choices import State as S

from . import contexts as c
from . import rules
from .choices import DocumentKind as K

# Case states -----------------------------------------------------------------------------------------------------

MAIN_LINE = (
    S.INTAKE,
    S.FILING_REQUESTED,
    S.INVESTIGATING,
    S.INVESTIGATED,
    S.NOTIFIED,
    S.HEARING_REQUESTED,
    S.HEARING_SCHEDULED,
    S.HEARING_HELD,
    S.DECIDED,
    S.SERVED,
    S.COURT_ENFORCEMENT,
    S.EXECUTED,
    S.CLOSED,
)


def since(state: str, *also: str) -> frozenset[str]:
    """``state`` and every later state of the main line (never 归档: an archived file takes no new documents)."""
    return frozenset(MAIN_LINE[MAIN_LINE.index(state) :]) | frozenset(also)


# 行政强制措施: the documents of the measure are made once it is carried out (the 现场笔录, the 查封扣押决定书 and
# its 清单 on the spot), and after it ends where they were not finished then.
MEASURE_MADE = frozenset({S.MEASURE_IN_FORCE, S.MEASURE_RELEASED, S.MEASURE_DISPOSED})
# 行政检查: its records' documents are made on site and until it is archived.
INSPECTION_MADE = frozenset(
    {S.INSPECTION_OPEN, S.INSPECTION_PASSED, S.INSPECTION_ORDERED, S.INSPECTION_CORRECTED, S.INSPECTION_CASE}
)

# The decision documents are drafted from the end of the investigation (代拟稿, reviewed with the case).
DECISION_DRAFT_STATES = since(S.INVESTIGATED, S.TERMINATED)


# Declarations ----------------------------------------------------------------------------------------------------


def _blank(case, record) -> str:
    return ""


@dataclass(frozen=True)
class Narrative:
    """A field of the document the officer writes; ``initial`` gives its first text from the case file."""

    name: str
    label: str
    initial: Callable[[Any, Any], str] = _blank
    multiline: bool = True
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The label in the reader's language; ``label`` (and the stored choices) stay Chinese for the document."""
        return _(self.label)

    @property
    def choice_options(self) -> list[tuple[str, str]]:
        return [(c, _(c)) for c in self.choices]


@dataclass(frozen=True)
class KindSpec:
    kind: str
    states: frozenset[str]
    code: str | None = None  # 执法性质 code: the document carries a 文号; None: a 编号
    record_kind: str | None = None  # made from this kind of investigation record
    narrative: tuple[Narrative, ...] = ()
    build: Callable[[Any, Any, dt.date], dict] = lambda case, record, dated: {}
    applies: Callable[[Any], str | None] = lambda case: None
    officers: int = 0  # officer account signatures needed before finalising
    party: bool | Callable[[Any], bool] = False  # the party's signature (or refusal with witness) needed
    party_label: str = gettext_noop("当事人")
    seal: bool = False  # the agency seal is shown (every finalised PDF is digitally signed by the agency)

    @property
    def template(self) -> str:
        return f"records/documents/{self.kind}.html"

    @property
    def label(self) -> str:
        return str(K(self.kind).label)

    @property
    def party_title(self) -> str:
        """The party's label in the reader's language (``party_label`` stays Chinese for the document)."""
        return _(self.party_label)

    @property
    def has_wenhao(self) -> bool:
        return bool(number_code(self))

    def requirement(self, record) -> rules.Requirement:
        party = self.party(record) if callable(self.party) else self.party
        return rules.Requirement(officers=self.officers, party=bool(party))


def number_code(spec: KindSpec) -> str | None:
    overrides = getattr(settings, "RECORDS_NUMBER_CODES", None) or {}
    return overrides.get(spec.kind, spec.code)


# Applicability ---------------------------------------------------------------------------------------------------


def _general(case) -> str | None:
    if case.procedure == Procedure.SIMPLE:
        return _("简易程序案件使用当场行政处罚决定书，不制作该文书。")
    return None


def _penalty_proposed(case) -> str | None:
    return _general(case) or (
        None
        if case.outcome == Outcome.PENALTY
        else _("只有拟给予行政处罚的案件才制作该文书；请先在处理意见中选择给予行政处罚。")
    )


def _hearing_eligible(case) -> str | None:
    problem = _penalty_proposed(case)
    if problem:
        return problem
    eligible = case.hearing_eligible if case.notice_snapshot else bool(c.hearing_reasons_for_draft(case))
    return (
        None
        if eligible
        else _(
            "本案拟作出的处罚不属于可以要求听证的情形（《行政处罚法》第六十三条），请使用行政处罚事先告知书。"
        )
    )


def _hearing_scheduled(case) -> str | None:
    return None if case.hearing_on else _("尚未安排听证，请先通知听证时间和地点。")


def _decided(*outcomes: str) -> Callable[[Any], str | None]:
    def check(case) -> str | None:
        if case.decision_snapshot is None:
            return _("案件尚未作出决定。")
        if case.outcome not in outcomes:
            return _("该文书与本案的处理决定（%(outcome)s）不符。") % {"outcome": Outcome(case.outcome).label}
        return None

    return check


def _decision_document(*outcomes: str) -> Callable[[Any], str | None]:
    """The decision document is drafted (代拟稿) once the investigation ends, for review, and finalised after the
    decision (records.decision_draft)."""

    def check(case) -> str | None:
        if case.decision_snapshot is not None:
            return _general(case) or _decided(*outcomes)(case)
        if case.outcome not in outcomes:
            return _("本案的处理意见不是该文书对应的处理结果，不能制作该决定书代拟稿。")
        return _general(case)

    return check


def _simple(case) -> str | None:
    return None if case.procedure == Procedure.SIMPLE else _("当场行政处罚决定书只用于简易程序案件。")


def _demand_applies(case) -> str | None:
    from django.utils import timezone

    if case.demand_served_on:
        return None
    due = case.deferred_until or case.payment_due
    if due and timezone.localdate() > due:
        return None
    return _("缴款期限届满且当事人未履行的，方可制作催告书（《行政强制法》第五十四条）。")


def _demand_served(case) -> str | None:
    return None if case.demand_served_on else _("申请强制执行前须先送达催告书（《行政强制法》第五十四条）。")


def _any_decision(case) -> str | None:
    return None if case.decision_snapshot is not None else _("案件尚未作出决定。")


def _hearing_party_present(record) -> bool:
    return not (record is not None and (record.data or {}).get("party_absent"))


# Initial narrative text ------------------------------------------------------------------------------------------


def _data(key: str, default: str = "") -> Callable[[Any, Any], str]:
    def initial(case, record) -> str:
        value = (record.data or {}).get(key) if record is not None else None
        return str(value) if value not in (None, "") else default

    return initial


def _case(attr: str) -> Callable[[Any, Any], str]:
    return lambda case, record: str(getattr(case, attr) or "")


HEAD_OPINION = Narrative("head_opinion", gettext_noop("负责人意见"), _case("filing_opinion"))
SUMMARY = Narrative("summary", gettext_noop("案情摘要"), _case("summary"), required=True)
FACTS = Narrative("facts", gettext_noop("违法事实"), _case("facts"), required=True)
EVIDENCE = Narrative("evidence", gettext_noop("证据"), _case("evidence_summary"), required=True)
REMEDIES = Narrative(
    "remedies", gettext_noop("救济途径和期限"), lambda case, record: c.remedies_text(case), required=True
)
CONTACT = Narrative(
    "contact",
    gettext_noop("联系人及联系方式"),
    lambda case, record: "　".join(
        x for x in (c.lead_officer_name(case), case.agency.phone, case.agency.address) if x
    ),
    multiline=False,
)
ITEMS = Narrative(
    "items",
    gettext_noop("物品清单（每行一项：名称｜规格｜数量｜生产者｜生产日期｜批号）"),
    lambda case, record: c.items_text(record),
)
KEEP_PLACE = Narrative(
    "keep_place",
    gettext_noop("保存地点"),
    lambda case, record: str((record.data or {}).get("keep_place") or record.place or ""),
    multiline=False,
)
ONSITE_NOTE = "执法人员已出示执法证件，表明身份，告知当事人依法享有陈述、申辩和申请回避的权利。"
INQUIRY_OPENING = (
    "问：我们是{agency}的执法人员（出示执法证件），现依法就{cause}一事向你进行询问调查。你有如实回答问题的义务，"
    "也有陈述、申辩和申请回避的权利。你是否申请执法人员回避？\n答："
)


def _inquiry_initial(case, record) -> str:
    data = (record.data or {}) if record is not None else {}
    return str(
        data.get("qa")
        or data.get("content")
        or INQUIRY_OPENING.format(agency=case.agency.name, cause=case.cause)
    )


def _statement_initial(case, record) -> str:
    data = (record.data or {}) if record is not None else {}
    if data.get("waived"):
        return "当事人明确表示放弃陈述和申辩的权利。"
    return str(data.get("content", ""))


def _owed(case, record, dated):
    return c.owed_part(case, dated)


def _decision_and_doc(case, record, dated):
    return {**c.decision_part(case), **c.decision_document_part(case)}


# The table -------------------------------------------------------------------------------------------------------

_SPECS = (
    KindSpec(
        K.INTAKE_RECORD,
        since(S.INTAKE, S.NOT_FILED, S.REVOKED, S.TERMINATED),
        narrative=(SUMMARY, HEAD_OPINION),
        officers=1,
    ),
    KindSpec(
        K.FILING_REPORT,
        since(S.INTAKE, S.NOT_FILED, S.REVOKED, S.TERMINATED),
        narrative=(
            SUMMARY,
            Narrative(
                "suspected_provisions", gettext_noop("涉嫌违反的法律条款"), _case("violated_provisions")
            ),
            Narrative(
                "reasons",
                gettext_noop("立案理由"),
                lambda case, record: (
                    f"经初步核实，当事人涉嫌{case.cause}，有明确的违法嫌疑人和违法事实，属于本机关管辖，"
                    "依法应当给予行政处罚，建议立案调查。"
                ),
                required=True,
            ),
            HEAD_OPINION,
        ),
        applies=_general,
        officers=1,
    ),
    KindSpec(
        K.ONSITE_RECORD,
        since(S.INVESTIGATING, S.REVOKED, S.TERMINATED) | MEASURE_MADE | INSPECTION_MADE,
        record_kind=RecordKind.ONSITE,
        narrative=(
            Narrative(
                "present",
                gettext_noop("在场人员"),
                lambda case, record: case.party.legal_representative or case.party.name,
                multiline=False,
            ),
            Narrative("observations", gettext_noop("现场情况"), _data("observations"), required=True),
            Narrative("notes", gettext_noop("其他说明"), lambda case, record: ONSITE_NOTE),
        ),
        officers=2,
        party=True,
        party_label=gettext_noop("当事人（在场人）"),
    ),
    KindSpec(
        K.INQUIRY_RECORD,
        since(S.INVESTIGATING, S.REVOKED, S.TERMINATED),
        record_kind=RecordKind.INQUIRY,
        narrative=(
            Narrative(
                "interviewee",
                gettext_noop("被询问人"),
                lambda case, record: _data("person", case.party.legal_representative or case.party.name)(
                    case, record
                ),
                multiline=False,
                required=True,
            ),
            Narrative(
                "interviewee_info",
                gettext_noop("被询问人身份（职务、证件号码、联系电话）"),
                _data("person_info"),
                multiline=False,
            ),
            Narrative("qa", gettext_noop("询问内容（问答，逐行记录）"), _inquiry_initial, required=True),
        ),
        officers=2,
        party=True,
        party_label=gettext_noop("被询问人"),
    ),
    KindSpec(
        K.PRESERVATION_DECISION,
        since(S.INVESTIGATING, S.REVOKED, S.TERMINATED),
        code="证保",
        record_kind=RecordKind.PRESERVATION,
        narrative=(
            Narrative(
                "reason",
                gettext_noop("理由和依据"),
                lambda case, record: (
                    f"你（单位）涉嫌{case.cause}。为防止证据灭失或者以后难以取得，经本机关负责人批准，"
                    "依据《中华人民共和国行政处罚法》第五十六条的规定，决定对下列物品予以先行登记保存。"
                ),
                required=True,
            ),
            KEEP_PLACE,
            ITEMS,
        ),
        officers=1,
        party=True,
        seal=True,
    ),
    KindSpec(
        K.SEIZURE_DECISION,
        since(S.INVESTIGATING, S.REVOKED, S.TERMINATED) | MEASURE_MADE,
        code="封扣",
        record_kind=RecordKind.SEIZURE,
        narrative=(
            Narrative(
                "measure",
                gettext_noop("强制措施"),
                _data("measure", "查封、扣押"),
                multiline=False,
                choices=(gettext_noop("查封"), gettext_noop("扣押"), gettext_noop("查封、扣押")),
            ),
            Narrative("reason", gettext_noop("理由和依据"), _data("basis"), required=True),
            KEEP_PLACE,
            ITEMS,
        ),
        build=lambda case, record, dated: c.remedy_periods(case),
        officers=1,
        party=True,
        seal=True,
    ),
    KindSpec(
        K.INVESTIGATION_REPORT,
        since(S.INVESTIGATING, S.REVOKED, S.TERMINATED),
        narrative=(
            FACTS,
            EVIDENCE,
            Narrative("disputes", gettext_noop("争议要点")),
            Narrative(
                "proposal",
                gettext_noop("处理建议"),
                lambda case, record: c.proposal_text(case),
                required=True,
            ),
            Narrative("head_opinion", gettext_noop("负责人意见")),
        ),
        build=lambda case, record, dated: c.draft_part(case),
        applies=_general,
        officers=1,
    ),
    KindSpec(
        K.DELIBERATION_RECORD,
        since(S.INVESTIGATING, S.REVOKED, S.TERMINATED),
        record_kind=RecordKind.DELIBERATION,
        narrative=(
            Narrative("host", gettext_noop("主持人"), _data("host"), multiline=False, required=True),
            Narrative(
                "participants",
                gettext_noop("参加人员"),
                _data("participants"),
                multiline=False,
                required=True,
            ),
            Narrative("recorder", gettext_noop("记录人"), _data("recorder"), multiline=False),
            Narrative(
                "content",
                gettext_noop("合议记录"),
                _data(
                    "content",
                    "主持人询问参加合议人员是否存在应当回避的情形，参加人员均表示无应当回避的情形。",
                ),
                required=True,
            ),
            Narrative("conclusion", gettext_noop("合议结论"), _data("conclusion"), required=True),
        ),
        officers=2,
    ),
    KindSpec(
        K.APPROVAL_FORM,
        since(S.INVESTIGATING, S.REVOKED, S.TERMINATED),
        narrative=(
            Narrative(
                "matter",
                gettext_noop("审批事项"),
                lambda case, record: "行政处罚",
                multiline=False,
                choices=tuple(c.approval_matters()),
            ),
            FACTS,
            EVIDENCE,
            Narrative(
                "provisions",
                gettext_noop("违反的条款及处罚依据"),
                lambda case, record: "；".join(
                    x for x in (case.violated_provisions, case.penalty_provisions) if x
                ),
            ),
            Narrative(
                "opinion", gettext_noop("处理意见"), lambda case, record: c.proposal_text(case), required=True
            ),
            Narrative("review_opinion", gettext_noop("审核意见")),
            Narrative("approval_opinion", gettext_noop("审批意见")),
        ),
        build=lambda case, record, dated: {**c.draft_part(case), "matters": c.approval_matters()},
        officers=2,
    ),
    KindSpec(
        K.PRIOR_NOTICE,
        since(S.INVESTIGATED, S.TERMINATED),
        code="罚告",
        narrative=(
            FACTS,
            EVIDENCE,
            Narrative("discretion", gettext_noop("裁量说明"), _case("discretion")),
            CONTACT,
        ),
        build=lambda case, record, dated: c.notice_part(case),
        applies=_penalty_proposed,
        seal=True,
    ),
    KindSpec(
        K.STATEMENT_RECORD,
        since(S.NOTIFIED, S.TERMINATED),
        record_kind=RecordKind.STATEMENT,
        narrative=(
            Narrative(
                "stater",
                gettext_noop("陈述申辩人"),
                lambda case, record: case.party.legal_representative or case.party.name,
                multiline=False,
                required=True,
            ),
            Narrative("content", gettext_noop("陈述和申辩内容"), _statement_initial, required=True),
            Narrative("recheck", gettext_noop("复核意见"), _data("recheck")),
        ),
        officers=1,
        party=True,
        party_label=gettext_noop("陈述申辩人"),
    ),
    KindSpec(
        K.HEARING_RIGHTS,
        since(S.INVESTIGATED, S.TERMINATED),
        code="听告",
        narrative=(
            FACTS,
            EVIDENCE,
            Narrative("discretion", gettext_noop("裁量说明"), _case("discretion")),
            CONTACT,
        ),
        build=lambda case, record, dated: c.notice_part(case),
        applies=_hearing_eligible,
        seal=True,
    ),
    KindSpec(
        K.HEARING_NOTICE,
        since(S.HEARING_SCHEDULED, S.TERMINATED),
        code="听通",
        narrative=(
            Narrative(
                "time",
                gettext_noop("听证时间（时刻）"),
                lambda case, record: "上午9时00分",
                multiline=False,
                required=True,
            ),
            Narrative(
                "notes",
                gettext_noop("注意事项"),
                lambda case, record: (
                    "请你（单位）携带身份证明准时参加听证；可以委托一至二人代理参加听证，代理人应当提交授权委托书。"
                    "你（单位）认为听证主持人与本案有直接利害关系的，有权申请回避。无正当理由不参加听证的，视为放弃听证权利。"
                ),
            ),
            CONTACT,
        ),
        applies=_hearing_scheduled,
        seal=True,
    ),
    KindSpec(
        K.HEARING_RECORD,
        since(S.HEARING_HELD, S.TERMINATED),
        record_kind=RecordKind.HEARING,
        narrative=(
            Narrative(
                "participants",
                gettext_noop("参加人员"),
                lambda case, record: f"听证主持人：{case.hearing_chair or ''}",
            ),
            Narrative("record", gettext_noop("听证记录"), _data("record"), required=True),
        ),
        officers=1,
        party=_hearing_party_present,
    ),
    KindSpec(
        K.HEARING_REPORT,
        since(S.HEARING_HELD, S.TERMINATED),
        record_kind=RecordKind.HEARING,
        narrative=(Narrative("opinion", gettext_noop("听证意见"), _data("opinion"), required=True),),
        officers=1,
    ),
    KindSpec(
        K.PENALTY_DECISION,
        DECISION_DRAFT_STATES,
        code="罚",
        narrative=(
            FACTS,
            EVIDENCE,
            Narrative(
                "statement",
                gettext_noop("告知及陈述申辩情况"),
                lambda case, record: c.statement_summary(case),
            ),
            Narrative("discretion", gettext_noop("裁量说明"), _case("discretion")),
            Narrative(
                "payment",
                gettext_noop("履行方式和期限"),
                lambda case, record: c.payment_text(case),
                required=True,
            ),
            REMEDIES,
        ),
        build=lambda case, record, dated: c.decision_part(case),
        applies=_decision_document(Outcome.PENALTY),
        seal=True,
    ),
    KindSpec(
        K.NO_PENALTY_DECISION,
        DECISION_DRAFT_STATES,
        code="不罚",
        narrative=(
            FACTS,
            Narrative(
                "reason",
                gettext_noop("不予行政处罚的理由和依据"),
                lambda case, record: str(Outcome(case.outcome).label) if case.outcome else "",
                required=True,
            ),
            REMEDIES,
        ),
        build=lambda case, record, dated: c.decision_part(case),
        applies=_decision_document(Outcome.NO_PENALTY_MINOR, Outcome.NO_PENALTY_UNPROVEN),
        seal=True,
    ),
    KindSpec(
        K.TRANSFER_LETTER,
        since(S.DECIDED, S.TERMINATED),
        code="移",
        narrative=(
            FACTS,
            Narrative(
                "reason",
                gettext_noop("移送理由和依据"),
                lambda case, record: (
                    "该案涉嫌犯罪，依据《中华人民共和国行政处罚法》第二十七条的规定，现移送你单位依法处理。"
                ),
                required=True,
            ),
            Narrative("materials", gettext_noop("移送材料"), _case("evidence_summary")),
        ),
        build=lambda case, record, dated: c.decision_part(case),
        applies=_decided(Outcome.TRANSFER),
        seal=True,
    ),
    KindSpec(
        K.ON_THE_SPOT_DECISION,
        since(S.DECIDED),
        code="当罚",
        narrative=(
            FACTS,
            Narrative(
                "payment",
                gettext_noop("履行方式和期限"),
                lambda case, record: c.payment_text(case),
                required=True,
            ),
            REMEDIES,
        ),
        build=lambda case, record, dated: c.decision_part(case),
        applies=_simple,
        officers=1,
        party=True,
        seal=True,
    ),
    KindSpec(
        K.SERVICE_RECEIPT,
        since(S.INVESTIGATING, S.TERMINATED),
        narrative=(
            Narrative(
                "served_document",
                gettext_noop("送达文书名称及文号"),
                lambda case, record: c.served_document_text(case),
                required=True,
            ),
            Narrative(
                "recipient",
                gettext_noop("受送达人"),
                lambda case, record: case.party.name,
                multiline=False,
                required=True,
            ),
            Narrative(
                "place", gettext_noop("送达地点"), lambda case, record: case.party.address, multiline=False
            ),
            Narrative(
                "method",
                gettext_noop("送达方式"),
                lambda case, record: s.get_method_display() if (s := c.latest_service(case)) else "直接送达",
                multiline=False,
                choices=(
                    gettext_noop("直接送达"),
                    gettext_noop("留置送达"),
                    gettext_noop("电子送达"),
                    gettext_noop("邮寄送达"),
                    gettext_noop("委托送达"),
                    gettext_noop("公告送达"),
                ),
            ),
            Narrative(
                "note",
                gettext_noop("备注（代收人、见证人、留置情况）"),
                lambda case, record: (
                    (s.witness and f"见证人：{s.witness}") if (s := c.latest_service(case)) else ""
                ),
            ),
        ),
        build=lambda case, record, dated: c.services_part(case),
        officers=1,
        party=True,
        party_label=gettext_noop("受送达人"),
    ),
    KindSpec(
        K.DEMAND,
        frozenset({S.SERVED, S.COURT_ENFORCEMENT}),
        code="催",
        narrative=(
            Narrative(
                "demand",
                gettext_noop("催告内容"),
                lambda case, record: (
                    "请你（单位）自收到本催告书之日起十日内履行上述义务。逾期仍不履行的，本机关将依法申请人民法院强制执行。"
                ),
                required=True,
            ),
            Narrative(
                "rights",
                gettext_noop("陈述申辩权利"),
                lambda case, record: (
                    "你（单位）收到本催告书后有权进行陈述和申辩（《中华人民共和国行政强制法》第三十五条）。"
                ),
            ),
        ),
        build=lambda case, record, dated: {
            **_decision_and_doc(case, record, dated),
            **_owed(case, record, dated),
        },
        applies=_demand_applies,
        seal=True,
    ),
    KindSpec(
        K.ENFORCEMENT_APPLICATION,
        frozenset({S.SERVED, S.COURT_ENFORCEMENT}),
        code="强执",
        narrative=(
            Narrative(
                "request",
                gettext_noop("申请事项"),
                lambda case, record: "请求依法强制执行本机关作出的行政处罚决定。",
                required=True,
            ),
            Narrative(
                "reasons",
                gettext_noop("事实和理由"),
                lambda case, record: (
                    "被申请人在法定期限内未申请行政复议或者提起行政诉讼，又不履行行政处罚决定，经催告仍未履行。"
                    "依据《中华人民共和国行政强制法》第五十三条、第五十四条的规定，特申请强制执行。"
                ),
                required=True,
            ),
        ),
        build=lambda case, record, dated: {
            **_decision_and_doc(case, record, dated),
            **_owed(case, record, dated),
        },
        applies=_demand_served,
        seal=True,
    ),
    KindSpec(
        K.CLOSING_REPORT,
        since(S.DECIDED),
        narrative=(
            Narrative("execution", gettext_noop("执行情况"), lambda case, record: c.execution_text(case)),
            Narrative("result", gettext_noop("结案理由"), _case("close_report"), required=True),
            Narrative("head_opinion", gettext_noop("负责人意见")),
        ),
        build=lambda case, record, dated: {**_decision_and_doc(case, record, dated), **c.payments_part(case)},
        applies=_any_decision,
        officers=1,
    ),
    KindSpec(
        K.SUPERVISION_OPINION,
        since(S.INTAKE, S.NOT_FILED, S.REVOKED, S.TERMINATED) | {S.INSPECTION_OPEN, S.INSPECTION_ORDERED},
        narrative=(
            Narrative("opinion", gettext_noop("监督意见"), required=True),
            Narrative("basis", gettext_noop("依据")),
        ),
        officers=2,
        party=True,
        party_label=gettext_noop("被监督单位（人）"),
        seal=True,
    ),
)

# 行政强制措施: its extension notified in writing with the reason (art. 25(2)); its end by release (art. 28) or by
# the decision on the items. Each is made from the measure's 查封扣押 record (its items and period).
_MEASURE_SPECS = (
    KindSpec(
        K.SEIZURE_EXTENSION_NOTICE,
        MEASURE_MADE | since(S.INVESTIGATING, S.REVOKED, S.TERMINATED),
        code="封延",
        record_kind=RecordKind.SEIZURE_EXTENSION,
        narrative=(Narrative("reason", gettext_noop("延长理由"), _data("content"), required=True),),
        build=lambda case, record, dated: c.remedy_periods(case),
        officers=1,
        party=True,
        seal=True,
    ),
    KindSpec(
        K.SEIZURE_RELEASE,
        frozenset({S.MEASURE_IN_FORCE, S.MEASURE_RELEASED}),
        code="解封",
        record_kind=RecordKind.SEIZURE,
        narrative=(
            Narrative(
                "reason",
                gettext_noop("解除理由"),
                lambda case, record: (
                    "查封、扣押的场所、设施或者财物已不再需要查封、扣押（《中华人民共和国行政强制法》第二十八条）。"
                ),
                required=True,
            ),
            Narrative(
                "return",
                gettext_noop("财物退还情况"),
                lambda case, record: "查封、扣押的物品予以解封、退还当事人。",
            ),
            ITEMS,
        ),
        officers=1,
        party=True,
        seal=True,
    ),
    KindSpec(
        K.SEIZURE_DISPOSAL,
        frozenset({S.MEASURE_IN_FORCE, S.MEASURE_DISPOSED}),
        code="封处",
        record_kind=RecordKind.SEIZURE,
        narrative=(
            Narrative("facts", gettext_noop("违法事实和理由"), _case("summary"), required=True),
            Narrative("basis", gettext_noop("处理依据"), required=True),
            Narrative("disposal", gettext_noop("处理决定"), required=True),
            ITEMS,
        ),
        build=lambda case, record, dated: c.remedy_periods(case),
        officers=1,
        party=True,
        seal=True,
    ),
)

# 行政征用: the decision (before it is made: the head decides on the finalised one), the return the owner signs, the
# compensation. Each is made from the act's 征用清单 (its items).
_REQUISITION = frozenset(
    {S.REQUISITION_REQUESTED, S.REQUISITION_IN_FORCE, S.REQUISITION_RETURNED, S.REQUISITION_COMPENSATED}
)
_REQUISITION_SPECS = (
    KindSpec(
        K.REQUISITION_DECISION,
        frozenset({S.REQUISITION_REQUESTED}),
        code="征用",
        record_kind=RecordKind.REQUISITION,
        narrative=(
            Narrative("reason", gettext_noop("征用理由"), _case("summary"), required=True),
            Narrative("basis", gettext_noop("征用依据"), _case("measure_basis"), required=True),
            Narrative("period", gettext_noop("征用期限"), multiline=False, required=True),
            ITEMS,
        ),
        build=lambda case, record, dated: c.remedy_periods(case),
        officers=1,
        party=True,
        party_label=gettext_noop("被征用人"),
        seal=True,
    ),
    KindSpec(
        K.REQUISITION_RETURN,
        frozenset({S.REQUISITION_IN_FORCE, S.REQUISITION_RETURNED}),
        record_kind=RecordKind.REQUISITION,
        narrative=(
            Narrative("condition", gettext_noop("返还时财物状况"), required=True),
            ITEMS,
        ),
        officers=2,
        party=True,
        party_label=gettext_noop("被征用人"),
    ),
    KindSpec(
        K.REQUISITION_COMPENSATION,
        _REQUISITION - {S.REQUISITION_REQUESTED},
        code="征补",
        record_kind=RecordKind.REQUISITION,
        narrative=(
            Narrative("loss", gettext_noop("财物使用、损耗或者灭失情况"), required=True),
            Narrative("amount", gettext_noop("补偿金额（元）"), multiline=False, required=True),
            Narrative("basis", gettext_noop("补偿依据和计算方法"), required=True),
        ),
        build=lambda case, record, dated: c.remedy_periods(case),
        officers=1,
        party=True,
        party_label=gettext_noop("被征用人"),
        seal=True,
    ),
)

# 行政确认: the decision, 确认 or 不予确认 (the act records the result the document states), served on the applicant.
_CONFIRMATION_SPECS = (
    KindSpec(
        K.CONFIRMATION_DECISION,
        frozenset({S.CONFIRMATION_EXAMINED, S.CONFIRMATION_DECIDED}),
        code="确认",
        narrative=(
            Narrative(
                "result",
                gettext_noop("确认结果"),
                lambda case, record: "确认",
                multiline=False,
                required=True,
                choices=(gettext_noop("确认"), gettext_noop("不予确认")),
            ),
            Narrative("facts", gettext_noop("审查认定的事实"), _case("summary"), required=True),
            Narrative("basis", gettext_noop("确认依据"), _case("measure_basis"), required=True),
        ),
        build=lambda case, record, dated: c.remedy_periods(case),
        officers=1,
        party=True,
        party_label=gettext_noop("申请人"),
        seal=True,
    ),
)

# 行政检查: the 采样记录 (产品样品 or 非产品样品), made from the sampling record, signed by the officers and the target.
_INSPECTION_SPECS = (
    KindSpec(
        K.SAMPLING_RECORD,
        INSPECTION_MADE | since(S.INVESTIGATING, S.REVOKED, S.TERMINATED),
        record_kind=RecordKind.SAMPLING,
        narrative=(
            Narrative(
                "sample_kind",
                gettext_noop("样品类别"),
                lambda case, record: "产品样品",
                multiline=False,
                required=True,
                choices=(gettext_noop("产品样品"), gettext_noop("非产品样品")),
            ),
            Narrative("method", gettext_noop("采样方法和过程"), _data("content"), required=True),
            ITEMS,
        ),
        officers=2,
        party=True,
        party_label=gettext_noop("被采样人"),
    ),
    # The laboratory's result told to the party sampled, made from the sampling record (its samples).
    KindSpec(
        K.TEST_RESULT_NOTICE,
        INSPECTION_MADE | since(S.INVESTIGATING, S.REVOKED, S.TERMINATED),
        code="检告",
        record_kind=RecordKind.SAMPLING,
        narrative=(
            Narrative("lab", gettext_noop("检验机构和报告编号"), multiline=False, required=True),
            Narrative("result", gettext_noop("检验结果"), required=True),
            Narrative("conclusion", gettext_noop("结论"), multiline=False, required=True),
            ITEMS,
        ),
        build=lambda case, record, dated: c.remedy_periods(case),
        officers=1,
        party=True,
        party_label=gettext_noop("被采样人"),
        seal=True,
    ),
)

KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (*_SPECS, *_MEASURE_SPECS, *_REQUISITION_SPECS, *_CONFIRMATION_SPECS, *_INSPECTION_SPECS)
}


def spec(kind: str) -> KindSpec:
    return KINDS[kind]

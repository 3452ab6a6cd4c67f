"""The law of a 行政处罚 case as pure functions, each with the article it comes from.

Day counts come from the working-day calendar (workdays.rules): "二日、三日、五日、七日" in the 行政处罚法 are
working days (art. 85); every other period is in calendar days. Agency-set values (hearing thresholds, the
statement period) are passed in as data, never written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_noop

from zhifa.org.rules import credit_code_problem

from .choices import IdType, Outcome, PartyKind, PenaltyKind, ServiceMethod

# Identity numbers ---------------------------------------------------------------------------------------------

# GB 11643-1999 公民身份号码: 17 digits and a check character (ISO 7064 MOD 11-2).
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    return RESIDENT_ID_CHECK[sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True)) % 11]


def resident_id_problem(number: str) -> str | None:
    """Why ``number`` is not a valid 18-digit resident ID, or None."""
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return "format"
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birth_date"
    if resident_id_check_char(number[:17]) != number[17]:
        return "check"
    return None


def party_id_problem(kind: str, id_type: str, number: str) -> str | None:
    """Whether the party's identity document fits its kind and is well formed."""
    if kind == PartyKind.NATURAL and id_type == IdType.CREDIT_CODE:
        return "kind_mismatch"
    if kind in (PartyKind.LEGAL, PartyKind.OTHER_ORG) and id_type != IdType.CREDIT_CODE:
        return "kind_mismatch"
    if id_type == IdType.RESIDENT_ID:
        return resident_id_problem(number)
    if id_type == IdType.CREDIT_CODE:
        return credit_code_problem(number) and "credit_code"
    return None if number.strip() else "format"


# Limitation (追责时效), 行政处罚法 art. 36 ----------------------------------------------------------------------
# "违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，上述期限延长至五年。
# …前款规定的期限，从违法行为发生之日起计算；违法行为有连续或者继续状态的，从行为终了之日起计算。"
# The one table of the years (keyed by "life and health involved with harmful consequences"); "discovered" is the
# intake date (受理), not the filing date.

LIMITATION_YEARS = {False: 2, True: 5}


def limitation_years(life_health_harm: bool) -> int:
    return LIMITATION_YEARS[bool(life_health_harm)]


def limitation_ends(violation_date: dt.date, ended: dt.date | None, life_health_harm: bool) -> dt.date:
    """Last day a violation can still be found (art. 36): 2 years, or 5 where citizens' life and health are
    involved with harmful consequences, from the day the violation (or its continuing state) ended."""
    from zhifa.workdays.rules import add_years

    start = max(ended or violation_date, violation_date)
    return add_years(start, limitation_years(life_health_harm))


def within_limitation(
    found_on: dt.date, violation_date: dt.date, ended: dt.date | None, life_health_harm: bool
) -> bool:
    """Whether a violation discovered (受理) on ``found_on`` may still be punished (art. 36)."""
    return found_on <= limitation_ends(violation_date, ended, life_health_harm)


# Extending the 90-day decision period (行政处罚法 art. 60) -------------------------------------------------------
# Art. 60: "行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、规章另有规定的，从其规定。"
# National law fixes no count, length, approver or reasons for an extension; the health rule (卫生健康行政处罚程序
# 规定, 国家卫生健康委员会令第13号, 2025) has not been read in full (law-facts.md §3.1, §8 item 2: [U]). So these are
# agency data (``models.ExtensionPolicy``); the defaults below apply until the agency sets its own: one extension,
# approved by the agency head (负责人) before the period runs out, by at most 30 days, for a reason from the list.
# The reasons follow 浙卫发〔2019〕44号 (law-facts.md §3.1), which lists the permitted ones (不可抗力、当事人下落不明、
# 等待其他机关答复、以其他案件结果为依据、需要司法或其他机关协助) and forbids staff absence, workload or negligence.
# The 30 days follow the seizure extension of 行政强制法 art. 25 ("延长期限不得超过三十日"), the nearest statutory
# measure; an agency following another rule sets its own.

DECISION_PERIOD_DAYS = 90  # art. 60: the period itself is the workdays deadline kind "decision"
EXTENSION_APPROVER_ROLES = (
    "agency_head",
)  # who may approve: the workdays deadline needs a 负责人 as approver
# The default values are stored and compared in Chinese (the source language) and shown through gettext.
EXTENSION_DEFAULTS = {
    "max_count": 1,
    "max_days": 30,
    "approver_role": "agency_head",
    "reasons": [
        gettext_noop("因不可抗力致使案件暂时无法调查"),
        gettext_noop("当事人下落不明或者无法联系"),
        gettext_noop("需要等待其他机关作出答复或者认定"),
        gettext_noop("须以相关案件的裁判结果或者其他行政决定为依据"),
        gettext_noop("需要司法机关或者其他行政机关协助调查"),
        gettext_noop("需要检验、检测、检疫、鉴定，期间较长"),
    ],
    "basis": gettext_noop("《行政处罚法》第六十条；本机关未设置时的默认规则"),
}


@dataclass(frozen=True)
class ExtensionRule:
    max_count: int
    max_days: int
    approver_role: str
    reasons: tuple[str, ...]


def extension_problem(
    rule: ExtensionRule, *, days: int, reason: str, used: int, today: dt.date, due: dt.date
) -> str | None:
    """Why an extension of ``days`` for ``reason`` may not be asked for or approved on ``today`` (None when it may):
    "late" after the period ran out (``due`` passed), "count" beyond the agency's number, "days" outside 1..max,
    "reason" not one of the agency's reasons."""
    if today > due:
        return "late"
    if used >= rule.max_count:
        return "count"
    if not 1 <= days <= rule.max_days:
        return "days"
    if reason not in rule.reasons:
        return "reason"
    return None


# Penalties -------------------------------------------------------------------------------------------------------

PENALTY_ORDER = {kind: index for index, kind in enumerate(PenaltyKind)}


@dataclass(frozen=True)
class Penalty:
    """What is proposed (事先告知) or decided: the outcome, the kinds and the amounts."""

    outcome: str
    kinds: tuple[str, ...] = ()
    fine: Decimal = Decimal("0")
    confiscation: Decimal = Decimal("0")
    property_value: Decimal = Decimal("0")  # 没收非法财物: the value of the property (art. 63(2))

    def as_json(self) -> dict:
        return {
            "outcome": self.outcome,
            "kinds": sorted(self.kinds, key=PENALTY_ORDER.get),
            "fine": f"{self.fine:.2f}",
            "confiscation": f"{self.confiscation:.2f}",
            "property_value": f"{self.property_value:.2f}",
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Penalty:
        return cls(
            outcome=data["outcome"],
            kinds=tuple(data.get("kinds", ())),
            fine=Decimal(data.get("fine", "0")),
            confiscation=Decimal(data.get("confiscation", "0")),
            property_value=Decimal(data.get("property_value", "0")),
        )


def penalty_problem(p: Penalty) -> str | None:
    """A penalty that says what it does: kinds for a penalty, none otherwise; amounts only with their kinds."""
    if p.outcome == Outcome.PENALTY:
        if not p.kinds:
            return "no_kinds"
        if (PenaltyKind.FINE in p.kinds) != (p.fine > 0):
            return "fine_amount"
        if (PenaltyKind.CONFISCATE_GAINS in p.kinds) != (p.confiscation > 0):
            return "confiscation_amount"
        if (PenaltyKind.CONFISCATE_PROPERTY in p.kinds) != (p.property_value > 0):
            return "property_value"
    elif p.kinds or p.fine or p.confiscation or p.property_value:
        return "kinds_without_penalty"
    if any(k not in PENALTY_ORDER for k in p.kinds):
        return "unknown_kind"
    return None


def is_heavier(decision: Penalty, notice: Penalty) -> bool:
    """行政处罚法 art. 45: no heavier penalty because the party stated or defended.

    Heavier: a penalty where the notice proposed none, a kind the notice did not name, or a larger amount.
    """
    if decision.outcome != Outcome.PENALTY:
        return False
    if notice.outcome != Outcome.PENALTY:
        return True
    return (
        bool(set(decision.kinds) - set(notice.kinds))
        or decision.fine > notice.fine
        or (decision.confiscation > notice.confiscation)
        or (decision.property_value > notice.property_value)
    )


# Simple procedure (简易程序), art. 51: a warning, or a fine up to 200 yuan for a citizen, 3,000 for an organisation.
SIMPLE_FINE_LIMIT_PERSON = Decimal("200")
SIMPLE_FINE_LIMIT_ORGANISATION = Decimal("3000")
SIMPLE_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.FINE})


def counts_as_citizen(party_kind: str) -> bool:
    """For art. 51 an 个体工商户 is treated as a citizen (公民) — practice, [U] in law-facts; natural persons are."""
    return party_kind in (PartyKind.NATURAL, PartyKind.INDIVIDUAL_BUSINESS)


def simple_procedure_problem(party_kind: str, p: Penalty) -> str | None:
    if p.outcome != Outcome.PENALTY or not p.kinds:
        return "not_penalty"
    if set(p.kinds) - SIMPLE_KINDS:
        return "kinds"
    limit = SIMPLE_FINE_LIMIT_PERSON if counts_as_citizen(party_kind) else SIMPLE_FINE_LIMIT_ORGANISATION
    if p.fine > limit:
        return "amount"
    return None


# 当场处罚的告知 and 陈述申辩 (arts. 44, 45, 52 with 51): before the on-the-spot decision the officer tells the party
# the facts, reasons and basis and their rights, and hears the statement and defence (or records the waiver).
SIMPLE_NOTICE_PARTS = ("facts", "reasons", "basis")


def simple_notice_problem(
    told: dict, rights_told: bool, statement: str, waived: bool, recheck: str
) -> str | None:
    """What is missing from the 告知 / 陈述申辩 recorded before an on-the-spot decision, or None."""
    if any(not str(told.get(part) or "").strip() for part in SIMPLE_NOTICE_PARTS):
        return "told"
    if not rights_told:
        return "rights"
    if bool(statement.strip()) == bool(waived):
        return "statement"  # exactly one: what the party said, or that they waived it
    if statement.strip() and not recheck.strip():
        return "recheck"  # art. 45: the officer re-checks what the party said
    return None


# 备案 of the on-the-spot decision (art. 52: "报所属行政机关备案"): the law fixes no period, so it is agency data (the
# workdays deadline kind ``simple_filing``, which the agency may set); this is its default, in working days.
SIMPLE_FILING_DEFAULT_WORKDAYS = 5

# 当场收缴罚款 (arts. 68–71).
ON_THE_SPOT_COLLECTION_LIMIT = Decimal("100")  # art. 68(1): 依法给予一百元以下罚款的
COLLECTION_SMALL = "small"  # art. 68(1)
COLLECTION_HARD = "hard_to_enforce"  # art. 68(2): 不当场收缴事后难以执行的
COLLECTION_REMOTE = (
    "remote"  # art. 69: 边远、水上、交通不便地区, paying at a bank or electronically is truly hard
)
COLLECTION_GROUNDS = (COLLECTION_SMALL, COLLECTION_HARD, COLLECTION_REMOTE)
# art. 71: the officer hands the money in within 二日 of collecting it; the agency pays it to the bank within 二日.
# Art. 85: 二日 in this law means working days.
HAND_IN_WORKDAYS = 2
BANK_WORKDAYS = 2


def collection_problem(
    ground: str,
    fine: Decimal,
    amount: Decimal,
    owed: Decimal,
    reason: str,
    party_requested: bool,
    receipt: str,
) -> str | None:
    """Why an on-the-spot collection is refused, or None (arts. 68–70)."""
    if ground not in COLLECTION_GROUNDS:
        return "ground"
    if amount <= 0 or amount > owed:
        return "amount"
    if ground == COLLECTION_SMALL and fine > ON_THE_SPOT_COLLECTION_LIMIT:
        return "limit"
    if ground in (COLLECTION_HARD, COLLECTION_REMOTE) and not reason.strip():
        return "reason"
    if ground == COLLECTION_REMOTE and not party_requested:
        return "request"  # art. 69: 经当事人提出
    if not receipt.strip():
        return "receipt"  # art. 70: the 专用票据 of the finance department
    return None


# Hearing rights (听证), 行政处罚法 art. 63 -------------------------------------------------------------------------
#
# Art. 63: the party may ask for a hearing of (1) 较大数额罚款; (2) 没收较大数额违法所得、没收较大价值非法财物;
# (3) 降低资质等级、吊销许可证件; (4) 责令停产停业、责令关闭、限制从业; (5) 其他较重的行政处罚; (6) other cases in laws,
# regulations and rules. The amounts of (1)–(2) and the kinds of (5) are not fixed by national law: the agency sets them
# (HearingPolicy, following its province); ``HEARING_DEFAULTS`` applies to an agency that has set nothing.

# Art. 63(3)–(4): kinds that always carry the right to a hearing.
HEARING_KINDS = frozenset(
    {
        PenaltyKind.LOWER_QUALIFICATION,
        PenaltyKind.REVOKE_LICENSE,
        PenaltyKind.SUSPEND_BUSINESS,
        PenaltyKind.CLOSE,
        PenaltyKind.RESTRICT_PRACTICE,
    }
)
# Kinds an agency may not list as "其他较重" (5): the lightest kinds, and those art. 63(1)–(2) weigh by amount.
NOT_HEAVIER_KINDS = frozenset(
    {
        PenaltyKind.WARNING,
        PenaltyKind.CRITICISM,
        PenaltyKind.FINE,
        PenaltyKind.CONFISCATE_GAINS,
        PenaltyKind.CONFISCATE_PROPERTY,
    }
)


@dataclass(frozen=True)
class HearingThresholds:
    """较大数额 / 较大价值 and the 其他较重 kinds as the agency (or province) sets them: data, not law."""

    fine_person: Decimal
    fine_organisation: Decimal
    confiscation: Decimal  # 没收违法所得 of at least this amount (2)
    property_value: Decimal  # 没收非法财物 of at least this value (2)
    heavier_kinds: frozenset = frozenset()  # (5)


# Defaults for an agency with no hearing policy — [U] in law-facts.md §1.2 ("较大数额" is set by provinces): the
# 10,000 / 100,000 yuan pair is one of the local lists seen there; the same 50,000 for gains and property value; and
# as 其他较重 the kinds that restrict a licence or the business short of closing it (暂扣许可证件, 限制开展生产经营活动),
# which art. 63 does not name in (3)–(4). The agency's system administrator replaces them (HearingPolicy).
HEARING_DEFAULTS = HearingThresholds(
    fine_person=Decimal("10000"),
    fine_organisation=Decimal("100000"),
    confiscation=Decimal("50000"),
    property_value=Decimal("50000"),
    heavier_kinds=frozenset({PenaltyKind.SUSPEND_LICENSE, PenaltyKind.RESTRICT_BUSINESS}),
)
HEARING_DEFAULTS_BASIS = "《行政处罚法》第六十三条；本机关未设置时的平台默认标准"


def default_heavier_kinds() -> list[str]:
    return sorted(HEARING_DEFAULTS.heavier_kinds, key=PENALTY_ORDER.get)


def default_property_value() -> Decimal:
    return HEARING_DEFAULTS.property_value


def heavier_kinds_problem(kinds) -> str | None:
    """Whether ``kinds`` may stand as the agency's 其他较重 list (art. 63(5))."""
    if any(k not in PENALTY_ORDER for k in kinds):
        return "unknown_kind"
    if set(kinds) & NOT_HEAVIER_KINDS:
        return "not_heavier"
    return None


def hearing_reasons(party_kind: str, p: Penalty, thresholds: HearingThresholds) -> list[str]:
    """Why the party may request a hearing (art. 63); empty when it may not."""
    if p.outcome != Outcome.PENALTY:
        return []
    reasons = [f"kind:{k}" for k in p.kinds if k in HEARING_KINDS]
    reasons += [f"heavier:{k}" for k in p.kinds if k in thresholds.heavier_kinds and k not in HEARING_KINDS]
    limit = thresholds.fine_person if counts_as_citizen(party_kind) else thresholds.fine_organisation
    if PenaltyKind.FINE in p.kinds and p.fine >= limit:
        reasons.append("large_fine")
    if p.confiscation >= thresholds.confiscation and p.confiscation > 0:
        reasons.append("large_confiscation")
    if (
        PenaltyKind.CONFISCATE_PROPERTY in p.kinds
        and p.property_value >= thresholds.property_value
        and p.property_value > 0
    ):
        reasons.append("large_property")
    return reasons


# Periods --------------------------------------------------------------------------------------------------------

# The periods counted as deadlines (decision 90 days, statement, hearing request and notice, service, payment,
# preservation, seizure) are deadline kinds of the workdays app: data with their articles, computed there.
PUBLIC_NOTICE_DAYS = 30  # 民事诉讼法 art. 95 (2023): deemed served 30 days after publication
DEMAND_WAIT_WORKDAYS = 10  # 行政强制法 art. 54
COURT_APPLICATION_MONTHS = 3  # 行政强制法 art. 53
SURCHARGE_RATE = Decimal("0.03")  # art. 72(1): 3 % of the fine per day, at most the fine


def deemed_served(method: str, delivered_on: dt.date) -> dt.date:
    """The legal service date: 公告送达 is deemed served 30 days after publication; others on delivery."""
    if method == ServiceMethod.PUBLIC_NOTICE:
        return delivered_on + dt.timedelta(days=PUBLIC_NOTICE_DAYS)
    return delivered_on


def service_problem(
    method: str, *, recipient: str, witness: str, recording: str, consent: str, proof: bool = False
) -> str | None:
    """Each service method's proof (民事诉讼法 arts. 87–95; 卫生健康行政处罚程序规定 arts. 53–57): 留置送达 a witness
    or a photo/video record; 电子送达 the recipient's consent (确认书) and the record of the service (art. 57:
    拍照、截屏、录音、录像 — ``proof``, a stored file); direct and entrusted service the recipient's name."""
    if method == ServiceMethod.LEFT and not (witness or recording):
        return "left_needs_witness"
    if method == ServiceMethod.ELECTRONIC and not consent:
        return "electronic_needs_consent"
    if method == ServiceMethod.ELECTRONIC and not proof:
        return "electronic_needs_proof"
    if method in (ServiceMethod.DIRECT, ServiceMethod.ENTRUSTED) and not recipient:
        return "needs_recipient"
    return None


def public_notice_allowed(failed_methods) -> bool:
    """公告送达 only when the party cannot be found or the other methods failed (民事诉讼法 art. 95): the record
    must show at least one failed attempt by another method."""
    return any(m != ServiceMethod.PUBLIC_NOTICE for m in failed_methods)


def surcharge(fine: Decimal, due: dt.date, on: dt.date, already_paid_fine: Decimal = Decimal("0")) -> Decimal:
    """加处罚款 (art. 72(1)) owed on ``on`` for a fine due on ``due``: 3 % of the unpaid fine per day after the due
    date, never more than the fine itself. Rounded to the fen."""
    unpaid = max(fine - already_paid_fine, Decimal("0"))
    days = (on - due).days
    if days <= 0 or unpaid <= 0:
        return Decimal("0.00")
    amount = min(unpaid * SURCHARGE_RATE * days, fine)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Payment plans and the surcharge (行政处罚法 arts. 66, 72, 73) --------------------------------------------------------


@dataclass(frozen=True)
class Instalment:
    """One date and amount of an approved payment plan (art. 66: 暂缓或者分期缴纳, approved by the agency)."""

    due: dt.date
    amount: Decimal


def instalment_plan_problem(plan, owed: Decimal, approved_on: dt.date) -> str | None:
    """An instalment plan is at least two instalments, each a positive amount on a later date than the one before and
    not before the approval, that together make exactly what is owed (art. 66)."""
    if len(plan) < 2:
        return "too_few"
    if any(i.amount <= 0 for i in plan):
        return "amount"
    dates = [i.due for i in plan]
    if dates != sorted(set(dates)):
        return "order"
    if dates[0] < approved_on:
        return "past"
    if sum((i.amount for i in plan), Decimal("0")) != owed:
        return "total"
    return None


def _paused(day: dt.date, paused) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in paused)


def _counted_days(after: dt.date, until: dt.date, paused) -> int:
    """Days d with after < d <= until that are not in a paused period."""
    if until <= after:
        return 0
    total = (until - after).days
    if not paused:
        return total
    return sum(1 for n in range(1, total + 1) if not _paused(after + dt.timedelta(days=n), paused))


def surcharge_owed(schedule, payments, on: dt.date, paused=()) -> Decimal:
    """加处罚款 (art. 72(1)) accrued by ``on``: for each instalment of ``schedule`` (one instalment, the whole fine on its
    due date, when there is no plan) 3 % a day (``SURCHARGE_RATE``) of the part still unpaid, for each day after its
    due date, never more than that instalment (the amount that fell overdue). ``payments`` are the fine's payments
    (date, amount), applied to the earliest instalment first; the day of a late payment still counts. Days within a
    ``paused`` period (start, end or None while open) — a 行政复议 or 行政诉讼 pending (art. 73(3)) — are not counted.
    Rounded to the fen."""
    plan = sorted(schedule, key=lambda i: i.due)
    remaining = [i.amount for i in plan]
    # when each instalment's unpaid part went down, and by how much
    paid_down: list[list[tuple[dt.date, Decimal]]] = [[] for _ in plan]
    for paid_on, amount in sorted(payments):
        if paid_on > on:
            continue
        for index, left in enumerate(remaining):
            if amount <= 0:
                break
            part = min(left, amount)
            if part > 0:
                remaining[index] -= part
                paid_down[index].append((paid_on, part))
                amount -= part
    total = Decimal("0")
    for instalment, downs in zip(plan, paid_down, strict=True):
        unpaid, start, accrued = instalment.amount, instalment.due, Decimal("0")
        for paid_on, part in downs:
            # the days after the due date up to the payment day carry the amount then unpaid
            accrued += unpaid * SURCHARGE_RATE * _counted_days(start, paid_on, paused)
            start = max(start, paid_on)
            unpaid -= part
        accrued += unpaid * SURCHARGE_RATE * _counted_days(start, on, paused)
        total += min(accrued, instalment.amount)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_BIG_UNITS = ("", "万", "亿", "万亿")


def _group_words(n: int) -> str:
    text, zero = "", False
    for power, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        digit = n // 10**power % 10
        if digit:
            text += ("零" if zero else "") + _DIGITS[digit] + unit
            zero = False
        elif text:
            zero = True
    return text


def _integer_words(n: int) -> str:
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    text, zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = bool(text)
            continue
        if text and (zero or group < 1000):
            text += "零"
        text += _group_words(group) + _BIG_UNITS[index]
        zero = False
    return text


def amount_words(amount: Decimal) -> str:
    """人民币大写 as financial documents write it: 1234.50 → 壹仟贰佰叁拾肆元伍角整; 10005 → 壹万零伍元整."""
    cents = int(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    text = _integer_words(yuan) + "元" if yuan else ""
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"
    return text + (_DIGITS[fen] + "分" if fen else "整")


def penalty_text(p: Penalty, labels: Mapping[str, str]) -> str:
    """The penalty as a document states it: 警告，罚款人民币伍仟元整（¥5,000.00）; in another interface language
    the amounts in figures only (Warning, Fine ¥5,000.00). Documents are always made in Chinese."""
    from django.utils.translation import get_language

    chinese = (get_language() or "zh").startswith("zh")
    parts = []
    for kind in sorted(p.kinds, key=PENALTY_ORDER.get):
        label = str(labels.get(kind, kind))
        amount = p.fine if kind == PenaltyKind.FINE else p.confiscation
        if kind in (PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS):
            label += f"人民币{amount_words(amount)}（¥{amount:,.2f}）" if chinese else f" ¥{amount:,.2f}"
        elif kind == PenaltyKind.CONFISCATE_PROPERTY and p.property_value:
            value = p.property_value
            label += (
                f"（价值人民币{amount_words(value)}，¥{value:,.2f}）"
                if chinese
                else f" (value ¥{value:,.2f})"
            )
        parts.append(label)
    return ("，" if chinese else ", ").join(parts)


# 行政强制措施 (行政强制法) ------------------------------------------------------------------------------------------

# Art. 19: in an emergency the officers carry the measure out on the spot, report to the head within 24 hours and
# have it approved; if the head does not approve, it is released at once.
EMERGENCY_APPROVAL_HOURS = 24


def ratification_due(carried_out_at: dt.datetime) -> dt.datetime:
    """When the approval of a measure carried out in an emergency is due (art. 19)."""
    return carried_out_at + dt.timedelta(hours=EMERGENCY_APPROVAL_HOURS)


def ratification_late(carried_out_at: dt.datetime, approved_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the emergency measure's approval came (or is still missing) after the 24 hours (art. 19)."""
    return (approved_at or now) > ratification_due(carried_out_at)

"""Publicity rules as pure functions and the statutory facts the portal prints, with their sources."""

from __future__ import annotations

import secrets

from zhifa.remedies.rules import (  # noqa: F401 (the portal's template reads them as rules.*)
    LITIGATION_BASIS,
    LITIGATION_MONTHS,
    RECONSIDERATION_BASIS,
    RECONSIDERATION_DAYS,
)

from .choices import ComplaintStatus

# 救济渠道 printed on the portal's agency page (requirements §1 "Before"; law-facts.md §1.3): the periods and their
# articles (行政复议法 arts. 20, 24; 行政诉讼法 art. 46) live once, in zhifa.remedies.rules.

# 投诉举报 form limits (the platform's own choices, documented in docs/portal.md).
SUBJECT_MAX = 100
CONTENT_MIN = 10
CONTENT_MAX = 2000
ATTACHMENTS_MAX = 3
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

# Which status a complaint may move to from each status.
TRANSITIONS: dict[str, frozenset[str]] = {
    ComplaintStatus.RECEIVED: frozenset(
        {ComplaintStatus.PROCESSING, ComplaintStatus.ANSWERED, ComplaintStatus.REJECTED}
    ),
    ComplaintStatus.PROCESSING: frozenset({ComplaintStatus.PROCESSING, ComplaintStatus.ANSWERED}),
    ComplaintStatus.ANSWERED: frozenset(),
    ComplaintStatus.REJECTED: frozenset(),
}
FINAL = frozenset({ComplaintStatus.ANSWERED, ComplaintStatus.REJECTED})


def transition_allowed(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


# Query codes: no 0/O, 1/I/L, so a code read aloud or copied by hand stays right. 8 characters of 31 ≈ 40 bits;
# lookups are rate-limited.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_query_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


def new_receipt_number(today) -> str:
    """受理编号: the date and six random digits (not a running count, which would reveal volumes)."""
    return f"{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


def phone_problem(phone: str) -> bool:
    phone = phone.strip()
    return bool(phone) and (not 5 <= len(phone) <= 20 or any(c not in "0123456789-+ ()" for c in phone))


# 事后公开: how long a published decision stays online and how a natural person is named (issue 15; law-facts.md §6).
# Not national law for health: 市场监管总局令第45号 (SAMR45) art. 13 takes 通报批评 and small fines offline after 3 months
# and other penalties after 3 years; a Hebei rule uses 5 years (2 for natural persons). These are the platform's
# defaults; each agency sets its own (``publicity.policy``), and a decision already published keeps the date it got.
from dataclasses import dataclass, field  # noqa: E402
from decimal import Decimal  # noqa: E402

PERSON_NAME_POLICIES = ("mask_given", "keep")
RETENTION_MAX_MONTHS = 120


@dataclass(frozen=True)
class PublicationSettings:
    person_name: str = "mask_given"  # a natural person's name: surname kept, the rest 某 (or ``keep``)
    retention_months: int = 36  # SAMR45 art. 13: other penalty information, 3 years
    short_retention_months: int = 3  # SAMR45 art. 13: 通报批评 and small fines, 3 months
    short_kinds: tuple[str, ...] = field(default=("criticism",))
    small_fine_limit: Decimal = Decimal("0")  # a fine up to this amount alone is "small" (0: none is)


PUBLICATION_DEFAULTS = PublicationSettings()
PUBLICATION_DEFAULTS_BASIS = (
    "平台默认值（参照《市场监督管理行政处罚信息公示规定》第十三条；国家卫生健康领域未统一规定）"
)


def retention_months(settings: PublicationSettings, penalty_kinds, fine) -> int:
    """How long a decision stays online: the short period when every penalty kind is a short one (通报批评), or
    the only penalties are a fine (with a warning) not above the small-fine limit; else the general period."""
    kinds = set(penalty_kinds or ())
    if kinds and kinds <= set(settings.short_kinds):
        return settings.short_retention_months
    fine = Decimal(str(fine or "0"))
    if (
        settings.small_fine_limit > 0
        and "fine" in kinds
        and kinds <= {"fine", "warning", *settings.short_kinds}
        and fine <= settings.small_fine_limit
    ):
        return settings.short_retention_months
    return settings.retention_months


def add_months(day, months: int):
    """The same day ``months`` later (the month's last day when it has no such day)."""
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def settings_problems(s: PublicationSettings, penalty_kinds) -> list[str]:
    problems = []
    if s.person_name not in PERSON_NAME_POLICIES:
        problems.append("person_name")
    for months in (s.retention_months, s.short_retention_months):
        if not 1 <= months <= RETENTION_MAX_MONTHS:
            problems.append("months")
            break
    if s.short_retention_months > s.retention_months:
        problems.append("order")
    if set(s.short_kinds) - set(penalty_kinds):
        problems.append("kinds")
    if s.small_fine_limit < 0:
        problems.append("fine")
    return problems

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

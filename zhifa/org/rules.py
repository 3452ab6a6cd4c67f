"""Rules about agencies, people and certificates, as pure functions with their sources.

No database writes here; the actions call these and refuse with the message they give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .choices import CertificateStatus, Role

# GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》: 18 characters from this alphabet
# (no I, O, Z, S, V); the last is a check character over the first 17, modulo 31.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码, or None when it is. Messages are keys, see validators."""
    if len(code) != 18:
        return "length"
    if any(c not in CREDIT_CODE_ALPHABET for c in code):
        return "alphabet"
    if credit_code_check_char(code[:17]) != code[17]:
        return "check"
    return None


# 三员分立 (等保 2.0 level 3): the system, security and audit administrators are three different people,
# and none of them handles cases.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD})


def role_conflict(held: Iterable[str], new: str) -> str | None:
    """The role already held that forbids granting ``new``, or None when the grant is allowed."""
    held = set(held) - {new}
    if new in ADMIN_ROLES:
        for other in sorted(held):
            if other in ADMIN_ROLES or other in BUSINESS_ROLES or other == Role.SUPERVISOR:
                return other
    elif held & ADMIN_ROLES:
        return sorted(held & ADMIN_ROLES)[0]
    return None


def certificate_problem(
    *,
    status: str,
    valid_from: dt.date,
    valid_to: dt.date,
    field_codes: Iterable[str],
    field: str | None,
    on: dt.date,
) -> str | None:
    """Why a certificate does not let its holder act in ``field`` on date ``on``, or None when it does.

    行政处罚法 art. 42: penalties are enforced by officers holding enforcement certificates.
    """
    if status != CertificateStatus.ACTIVE:
        return "status"
    if on < valid_from:
        return "not_yet_valid"
    if on > valid_to:
        return "expired"
    if field is not None and field not in set(field_codes):
        return "field"
    return None


def expiring_soon(valid_to: dt.date, on: dt.date, days: int = 60) -> bool:
    """A certificate that ends within ``days`` of ``on`` (shown as a warning to its holder and the admin)."""
    return on <= valid_to <= on + dt.timedelta(days=days)


def password_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols the password uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


# 行政处罚法 art. 42: at least two enforcement officers holding certificates act together (except where a
# law says otherwise, e.g. the simple procedure of art. 52 with its own rule).
MIN_ACTING_OFFICERS = 2

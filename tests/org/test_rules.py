import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from zhifa.org import rules
from zhifa.org.choices import CertificateStatus, Role

ALPHABET = rules.CREDIT_CODE_ALPHABET
codes17 = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


def test_published_credit_code_example_is_valid():
    # The example printed in GB 32100 explanations (a Fujian company).
    assert rules.credit_code_problem("91350100M000100Y43") is None


def test_credit_code_problems_are_named():
    assert rules.credit_code_problem("91350100M000100Y4") == "length"
    assert rules.credit_code_problem("91350100M000100YI3") == "alphabet"  # I is not in the alphabet
    assert rules.credit_code_problem("91350100M000100Y44") == "check"


@given(codes17)
def test_generated_check_character_validates(first17):
    assert rules.credit_code_problem(first17 + rules.credit_code_check_char(first17)) is None


@given(codes17, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_any_single_changed_character_is_caught(first17, position, replacement):
    code = first17 + rules.credit_code_check_char(first17)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        # Modulo-31 weights are all non-zero and below 31, so one substitution always breaks the check.
        assert rules.credit_code_problem(changed) == "check"


def test_three_administrators_are_separate_people():
    assert rules.role_conflict({Role.SYSTEM_ADMIN}, Role.SECURITY_ADMIN) == Role.SYSTEM_ADMIN
    assert rules.role_conflict({Role.SECURITY_ADMIN}, Role.AUDIT_ADMIN) == Role.SECURITY_ADMIN
    assert rules.role_conflict({Role.OFFICER}, Role.AUDIT_ADMIN) == Role.OFFICER
    assert rules.role_conflict({Role.AUDIT_ADMIN}, Role.OFFICER) == Role.AUDIT_ADMIN
    assert rules.role_conflict({Role.OFFICER}, Role.UNIT_HEAD) is None
    assert rules.role_conflict({Role.OFFICER, Role.UNIT_HEAD}, Role.LEGAL_REVIEWER) is None
    assert rules.role_conflict(set(), Role.SYSTEM_ADMIN) is None


@given(st.lists(st.sampled_from(list(Role)), max_size=12))
def test_granting_in_any_order_keeps_the_administrators_separate(sequence):
    held: set[str] = set()
    for role in sequence:
        if rules.role_conflict(held, role) is None:
            held.add(role)
    admins = held & rules.ADMIN_ROLES
    assert len(admins) <= 1
    if admins:
        assert held == admins  # an administrator holds no other role


def test_certificate_validity():
    today = dt.date(2026, 11, 25)
    base = dict(
        valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2027, 1, 1), field_codes=["medical"], on=today
    )
    assert rules.certificate_problem(status=CertificateStatus.ACTIVE, field="medical", **base) is None
    assert rules.certificate_problem(status=CertificateStatus.ACTIVE, field="water", **base) == "field"
    assert rules.certificate_problem(status=CertificateStatus.SUSPENDED, field="medical", **base) == "status"
    assert rules.certificate_problem(status=CertificateStatus.REVOKED, field=None, **base) == "status"
    expired = {**base, "valid_to": dt.date(2026, 11, 24)}
    assert rules.certificate_problem(status=CertificateStatus.ACTIVE, field="medical", **expired) == "expired"
    last_day = {**base, "valid_to": today}
    assert rules.certificate_problem(status=CertificateStatus.ACTIVE, field="medical", **last_day) is None
    future = {**base, "valid_from": dt.date(2026, 11, 26)}
    assert rules.certificate_problem(status=CertificateStatus.ACTIVE, field=None, **future) == "not_yet_valid"


def test_password_classes():
    assert rules.password_classes("abcdefgh") == 1
    assert rules.password_classes("Abcdefg1") == 3
    assert rules.password_classes("Ab1#") == 4

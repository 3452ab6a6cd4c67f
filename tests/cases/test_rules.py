import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases import rules
from zhifa.cases.choices import Outcome, PartyKind, PenaltyKind, ServiceMethod

digits17 = st.text(alphabet="0123456789", min_size=17, max_size=17)


def test_resident_id_known_example():
    assert rules.resident_id_problem("11010519491231002X") is None  # the GB 11643 sample number
    assert rules.resident_id_problem("110105194912310021") == "check"
    assert rules.resident_id_problem("110105194913310029") == "birth_date"
    assert rules.resident_id_problem("1101051949123100") == "format"


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    st.text("0123456789", min_size=9, max_size=9),
)
def test_resident_id_check_character_roundtrip(birth, rest):
    first17 = rest[:6] + birth.strftime("%Y%m%d") + rest[6:9]
    number = first17 + rules.resident_id_check_char(first17)
    assert rules.resident_id_problem(number) is None
    wrong = "X" if number[17] != "X" else "0"
    assert rules.resident_id_problem(number[:17] + wrong) == "check"


def test_party_identity_must_fit_kind():
    assert rules.party_id_problem(PartyKind.LEGAL, "resident_id", "11010519491231002X") == "kind_mismatch"
    assert rules.party_id_problem(PartyKind.LEGAL, "credit_code", "91350100M000100Y43") is None
    assert rules.party_id_problem(PartyKind.LEGAL, "credit_code", "91350100M000100Y44") == "credit_code"
    assert rules.party_id_problem(PartyKind.NATURAL, "credit_code", "91350100M000100Y43") == "kind_mismatch"


def test_limitation_two_years_or_five_with_life_health_harm():
    v = dt.date(2024, 3, 1)
    assert rules.limitation_ends(v, None, False) == dt.date(2026, 3, 1)
    assert rules.limitation_ends(v, None, True) == dt.date(2029, 3, 1)
    assert rules.limitation_ends(v, dt.date(2025, 1, 10), False) == dt.date(
        2027, 1, 10
    )  # continuing violation
    assert rules.within_limitation(dt.date(2026, 3, 1), v, None, False)
    assert not rules.within_limitation(dt.date(2026, 3, 2), v, None, False)


P = rules.Penalty


def test_heavier_decision_is_detected():
    notice = P(Outcome.PENALTY, (PenaltyKind.WARNING, PenaltyKind.FINE), Decimal("5000"))
    assert not rules.is_heavier(P(Outcome.PENALTY, (PenaltyKind.FINE,), Decimal("3000")), notice)
    assert not rules.is_heavier(P(Outcome.NO_PENALTY_MINOR), notice)
    assert rules.is_heavier(
        P(Outcome.PENALTY, (PenaltyKind.WARNING, PenaltyKind.FINE), Decimal("5000.01")), notice
    )
    assert rules.is_heavier(
        P(Outcome.PENALTY, (PenaltyKind.FINE, PenaltyKind.REVOKE_LICENSE), Decimal("100")), notice
    )
    assert rules.is_heavier(P(Outcome.PENALTY, (PenaltyKind.WARNING,)), P(Outcome.NO_PENALTY_MINOR))


@given(
    st.decimals(min_value=0, max_value=10**6, places=2), st.decimals(min_value=0, max_value=10**6, places=2)
)
def test_lower_fine_is_never_heavier(a, b):
    low, high = sorted((a, b))
    notice = P(Outcome.PENALTY, (PenaltyKind.FINE,), high)
    assert not rules.is_heavier(P(Outcome.PENALTY, (PenaltyKind.FINE,), low), notice)
    assert rules.is_heavier(
        P(Outcome.PENALTY, (PenaltyKind.FINE,), high), P(Outcome.PENALTY, (PenaltyKind.FINE,), low)
    ) == (high > low)


def test_simple_procedure_limits():
    fine = lambda amount: P(Outcome.PENALTY, (PenaltyKind.FINE,), Decimal(amount))  # noqa: E731
    assert rules.simple_procedure_problem(PartyKind.NATURAL, fine("200")) is None
    assert rules.simple_procedure_problem(PartyKind.NATURAL, fine("200.01")) == "amount"
    assert rules.simple_procedure_problem(PartyKind.LEGAL, fine("3000")) is None
    assert rules.simple_procedure_problem(PartyKind.LEGAL, fine("3001")) == "amount"
    assert rules.simple_procedure_problem(PartyKind.LEGAL, P(Outcome.PENALTY, (PenaltyKind.WARNING,))) is None
    assert (
        rules.simple_procedure_problem(
            PartyKind.LEGAL, P(Outcome.PENALTY, (PenaltyKind.CONFISCATE_GAINS,), Decimal(0), Decimal(10))
        )
        == "kinds"
    )


def test_hearing_rights_follow_the_agency_thresholds():
    t = rules.HearingThresholds(Decimal("10000"), Decimal("100000"), Decimal("50000"), Decimal("50000"))
    assert rules.hearing_reasons(
        PartyKind.NATURAL, P(Outcome.PENALTY, (PenaltyKind.FINE,), Decimal("10000")), t
    ) == ["large_fine"]
    assert (
        rules.hearing_reasons(PartyKind.LEGAL, P(Outcome.PENALTY, (PenaltyKind.FINE,), Decimal("10000")), t)
        == []
    )
    assert rules.hearing_reasons(PartyKind.LEGAL, P(Outcome.PENALTY, (PenaltyKind.REVOKE_LICENSE,)), t) == [
        "kind:revoke_license"
    ]
    assert rules.hearing_reasons(PartyKind.LEGAL, P(Outcome.NO_PENALTY_MINOR), t) == []


def test_surcharge_three_percent_a_day_capped_at_the_fine():
    due = dt.date(2026, 6, 15)
    assert rules.surcharge(Decimal("1000"), due, due) == Decimal("0.00")
    assert rules.surcharge(Decimal("1000"), due, dt.date(2026, 6, 16)) == Decimal("30.00")
    assert rules.surcharge(Decimal("1000"), due, dt.date(2026, 6, 25)) == Decimal("300.00")
    assert rules.surcharge(Decimal("1000"), due, dt.date(2026, 8, 1)) == Decimal("1000.00")


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=10**7, places=2),
    st.integers(0, 2000),
    st.integers(0, 2000),
)
def test_surcharge_never_exceeds_the_fine_and_grows_with_time(fine, d1, d2):
    due = dt.date(2026, 1, 1)
    a, b = sorted((d1, d2))
    s_a = rules.surcharge(fine, due, due + dt.timedelta(days=a))
    s_b = rules.surcharge(fine, due, due + dt.timedelta(days=b))
    assert Decimal(0) <= s_a <= s_b <= fine.quantize(Decimal("0.01"))


def test_service_and_deemed_dates():
    d = dt.date(2026, 6, 1)
    assert rules.deemed_served(ServiceMethod.PUBLIC_NOTICE, d) == dt.date(2026, 7, 1)
    assert rules.deemed_served(ServiceMethod.POSTAL, d) == d
    assert (
        rules.service_problem(ServiceMethod.LEFT, recipient="", witness="", recording="", consent="")
        == "left_needs_witness"
    )
    assert (
        rules.service_problem(ServiceMethod.LEFT, recipient="", witness="", recording="REC-1", consent="")
        is None
    )
    assert (
        rules.service_problem(ServiceMethod.ELECTRONIC, recipient="", witness="", recording="", consent="")
        == "electronic_needs_consent"
    )


def test_amount_in_capital_chinese():
    assert rules.amount_words(Decimal("5000")) == "伍仟元整"
    assert rules.amount_words(Decimal("10005")) == "壹万零伍元整"
    assert rules.amount_words(Decimal("1234.05")) == "壹仟贰佰叁拾肆元零伍分"
    assert rules.amount_words(Decimal("100010000")) == "壹亿零壹万元整"
    assert rules.amount_words(Decimal("0.50")) == "伍角整"

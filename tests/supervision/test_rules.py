"""The draw anyone can re-do, the seed's commitment, recusal and the grade (supervision.rules)."""

from __future__ import annotations

import hashlib
import heapq
import math
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.supervision import rules
from zhifa.supervision.choices import Grade, ItemGroup

SEED = "00" * 31 + "01"


def reference_draw(frame, seed_hex, rate, minimum):
    """The draw written again from docs/supervision.md alone (not from the code): per stratum in code-point order,
    n = min(N, max(minimum, ceil(N * rate / 100))) files of lowest SHA-256("<seed>:<reference>")."""
    strata = {}
    for row in frame:
        strata.setdefault(row["stratum"], []).append(row["reference"])
    out = []
    for key in sorted(strata):
        refs = strata[key]
        n = min(len(refs), max(minimum, math.ceil(len(refs) * rate / 100)))
        out += heapq.nsmallest(n, refs, key=lambda r: hashlib.sha256(f"{seed_hex}:{r}".encode()).hexdigest())
    return out


frames = st.lists(
    st.tuples(st.sampled_from(["a/1", "a/2", "b/0", "b/7"]), st.integers(0, 10_000)),
    max_size=60,
    unique_by=lambda t: t[1],
).map(lambda rows: [{"stratum": s, "reference": f"明卫罚〔2026〕{n}号"} for s, n in rows])


@settings(max_examples=200, deadline=None)
@given(
    frame=frames,
    seed=st.binary(min_size=32, max_size=32),
    rate=st.integers(1, 100),
    minimum=st.integers(1, 5),
)
def test_the_draw_is_the_published_function_of_frame_and_seed(frame, seed, rate, minimum):
    sample = rules.draw(frame, seed.hex(), rate, minimum)
    assert sample == reference_draw(frame, seed.hex(), rate, minimum)
    assert len(set(sample)) == len(sample)
    # every stratum gets its share, and the frame's order does not matter
    for stratum in {r["stratum"] for r in frame}:
        refs = {r["reference"] for r in frame if r["stratum"] == stratum}
        assert len(refs & set(sample)) == rules.stratum_size(len(refs), rate, minimum)
    assert rules.draw(list(reversed(frame)), seed.hex(), rate, minimum) == sample


@pytest.mark.parametrize(
    ("count", "rate", "minimum", "expected"),
    [(10, 10, 1, 1), (11, 10, 1, 2), (3, 10, 5, 3), (40, 25, 1, 10), (7, 100, 1, 7), (1, 1, 1, 1)],
)
def test_a_stratum_draws_its_rate_rounded_up_and_at_least_the_minimum(count, rate, minimum, expected):
    assert rules.stratum_size(count, rate, minimum) == expected


def test_the_commitment_is_the_sha256_of_the_seed_bytes():
    seed = rules.new_seed()
    assert len(seed) == 64 and seed != rules.new_seed()
    assert rules.commitment(seed) == hashlib.sha256(bytes.fromhex(seed)).hexdigest()


def _person(pk, unit_id):
    return SimpleNamespace(pk=pk, unit_id=unit_id)


def test_an_evaluator_is_never_given_a_file_of_their_own_unit_or_their_own_case():
    ev_unit1, ev_none, ev_unit2 = _person(1, 10), _person(2, None), _person(3, 20)
    files = ["f1", "f2", "f3", "f4"]
    units = {"f1": 10, "f2": 10, "f3": 20, "f4": 30}
    officers = {"f4": {1}}
    chosen = rules.assign(files, [ev_unit1, ev_none, ev_unit2], units.get, lambda f: officers.get(f, set()))
    assert [p.pk for p in chosen] == [2, 2, 1, 2]  # in turn (file i starts at evaluator i), passing over
    for f, p in zip(files, chosen, strict=True):
        assert p.unit_id != units[f] and p.pk not in officers.get(f, set())
    assert rules.assign(["f1"], [ev_unit1], units.get, lambda f: set()) == [None]


ITEMS = [
    SimpleNamespace(code="veto", group=ItemGroup.BASIC, points=0),
    SimpleNamespace(code="form", group=ItemGroup.FORM, points=20),
    SimpleNamespace(code="content", group=ItemGroup.CONTENT, points=80),
]


@pytest.mark.parametrize(
    ("veto", "form", "content", "expected"),
    [
        ("pass", 20, 80, (100, Grade.EXCELLENT)),
        ("pass", 10, 80, (90, Grade.EXCELLENT)),
        ("na", 10, 79, (89, Grade.PASS)),
        ("pass", 0, 60, (60, Grade.PASS)),
        ("pass", 0, 59, (59, Grade.FAIL)),
        ("fail", 20, 80, (100, Grade.FAIL)),
    ],
)
def test_a_failed_veto_item_fails_the_file_whatever_its_points(veto, form, content, expected):
    answers = {
        "veto": {"verdict": veto},
        "form": {"verdict": "pass", "points": form},
        "content": {"verdict": "pass", "points": content},
    }
    assert rules.score_and_grade(ITEMS, answers, 90, 60) == expected
    assert rules.unanswered(ITEMS, answers) == []
    assert rules.unanswered(ITEMS, {"veto": {"verdict": "pass"}}) == ITEMS[1:]


def _entries(seed, frame, sample=None, order=(1, 2, 3), commitment=None):
    sample = rules.draw(frame, seed, 50, 1) if sample is None else sample
    payloads = [
        ("supervision.create_evaluation", {"commitment": commitment or rules.commitment(seed)}),
        ("supervision.close_frame", {"frame": frame, "rule": {"rate": 50, "minimum": 1}}),
        ("supervision.reveal_seed", {"seed": seed, "sample": sample}),
    ]
    return [
        {"head": {"action": action, "seq": seq}, "record": {"payload": payload}}
        for seq, (action, payload) in zip(order, payloads, strict=True)
    ]


FRAME = [{"stratum": "a/1", "reference": f"R{i}"} for i in range(9)]


def test_the_draw_is_redone_from_the_entries_and_every_break_is_named():
    seed = rules.new_seed()
    assert rules.redraw(_entries(seed, FRAME)) == rules.draw(FRAME, seed, 50, 1)
    with pytest.raises(rules.RedrawError, match="承诺值不符"):
        rules.redraw(_entries(seed, FRAME, commitment=rules.commitment(rules.new_seed())))
    with pytest.raises(rules.RedrawError, match="顺序"):
        rules.redraw(_entries(seed, FRAME, order=(1, 3, 2)))
    with pytest.raises(rules.RedrawError, match="抽样结果不同"):
        rules.redraw(_entries(seed, FRAME, sample=["R0"]))
    with pytest.raises(rules.RedrawError, match="随机种子"):
        rules.redraw(_entries(seed, FRAME)[:2])

"""The rules of 案卷评查 as pure functions: the draw anyone can re-do, the seed's commitment, and a file's grade.

The draw is published (docs/supervision.md) so that anyone holding the frame and the seed — both in the ledger,
the seed revealed only after the frame was recorded — gets the same sample, without our code:

1. The frame is a list of files, each ``{"reference": 案件编号, "stratum": 抽样层}``; a stratum is one agency's
   one 承办机构 (``"<agency code>/<unit id>"``). The strata are taken in ascending order of their key (Unicode
   code points).
2. In a stratum of N files, n = min(N, max(minimum, ceil(N × rate / 100))) files are drawn.
3. Each file's rank is SHA-256 of the UTF-8 bytes of ``"<seed hex>:<reference>"``, as lowercase hex; the n files
   of lowest rank are drawn, in rank order.
4. The sample is the strata's draws one after the other; that order is the order of the evaluation page.

The commitment is SHA-256 of the seed's 32 bytes (lowercase hex). The plan asks supervisors to evaluate case files
by sampling every half year (实施方案 "组织保障"; 《行政执法监督条例》 2026, law-facts.md §7).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from .choices import Grade, ItemGroup, Verdict


def new_seed() -> str:
    """32 random bytes from the operating system, as hex."""
    return secrets.token_bytes(32).hex()


def commitment(seed_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest()


def stratum_size(count: int, rate: int, minimum: int) -> int:
    """How many of a stratum's ``count`` files are drawn: ``rate`` per cent, rounded up, at least ``minimum``."""
    return min(count, max(minimum, math.ceil(count * rate / 100)))


def rank(seed_hex: str, reference: str) -> str:
    return hashlib.sha256(f"{seed_hex}:{reference}".encode()).hexdigest()


def draw(frame: Iterable[Mapping[str, str]], seed_hex: str, rate: int, minimum: int) -> list[str]:
    """The references drawn from ``frame`` (see the module's text), in the evaluation page's order."""
    strata: dict[str, list[str]] = {}
    for row in frame:
        strata.setdefault(row["stratum"], []).append(row["reference"])
    sample: list[str] = []
    for key in sorted(strata):
        ranked = sorted(strata[key], key=lambda ref: (rank(seed_hex, ref), ref))
        sample += ranked[: stratum_size(len(ranked), rate, minimum)]
    return sample


def assign(sample: list[Any], evaluators: list[Any], unit_of, officers_of) -> list[Any]:
    """An evaluator for each drawn file, in turn, passing over anyone of the file's 承办机构 or among its officers
    (recusal). ``evaluators`` in a fixed order; ``unit_of(file)`` the file's unit id, ``officers_of(file)`` its
    officers' ids. None where nobody may take it."""
    out = []
    for i, item in enumerate(sample):
        chosen = None
        for k in range(len(evaluators)):
            person = evaluators[(i + k) % len(evaluators)]
            if person.unit_id is not None and person.unit_id == unit_of(item):
                continue
            if person.pk in officers_of(item):
                continue
            chosen = person
            break
        out.append(chosen)
    return out


STANDARD_POINTS = 100  # 卷面 + 内容: the grade lines (优秀、合格) are out of a hundred


def standard_problems(items: list[Mapping[str, Any]], excellent_min: int, pass_min: int, checks) -> list[str]:
    """What is wrong with a 评查标准 as written (empty when it can be used): each item has a code (letters, digits,
    ``-``/``_``, unique), a part (``ItemGroup``), a text; a veto item of the 基本标准 carries no points, an item of
    卷面 or 内容 at least one; the points of 卷面 and 内容 add up to ``STANDARD_POINTS``; the grade lines are
    0 ≤ 合格 ≤ 优秀 ≤ 100; a platform check, where named, is one of ``checks``."""
    from django.utils.translation import gettext as _

    problems: list[str] = []
    if not items:
        return [_("评查标准至少要有一项。")]
    seen: set[str] = set()
    total = 0
    for n, item in enumerate(items, start=1):
        code, group = item.get("code") or "", item.get("group")
        points, check = item.get("points"), item.get("platform_check") or ""
        where = _("第 %(n)s 项") % {"n": n}
        if not code or len(code) > 40 or not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
            problems.append(
                _("%(where)s的代码只能由字母、数字、“-”和“_”组成，不超过 40 个字符。") % {"where": where}
            )
        elif code in seen:
            problems.append(_("%(where)s的代码“%(code)s”与前面的项目重复。") % {"where": where, "code": code})
        seen.add(code)
        if not (item.get("text") or "").strip():
            problems.append(_("%(where)s没有填写评查内容。") % {"where": where})
        if group not in ItemGroup.values:
            problems.append(_("%(where)s的类别无效。") % {"where": where})
        elif not isinstance(points, int) or points < 0:
            problems.append(_("%(where)s的分值应为非负整数。") % {"where": where})
        elif group == ItemGroup.BASIC and points:
            problems.append(_("%(where)s是基本标准的否决项，不计分值（填 0）。") % {"where": where})
        elif group != ItemGroup.BASIC and not points:
            problems.append(_("%(where)s是计分项目，分值至少为 1。") % {"where": where})
        elif group != ItemGroup.BASIC:
            total += points
        if check and check not in checks:
            problems.append(_("%(where)s的平台自动判断无效。") % {"where": where})
    if total != STANDARD_POINTS:
        problems.append(
            _("卷面和内容的分值合计应为 %(full)s 分，现为 %(total)s 分。")
            % {"full": STANDARD_POINTS, "total": total}
        )
    if not (
        isinstance(pass_min, int) and isinstance(excellent_min, int) and 0 <= pass_min <= excellent_min <= 100
    ):
        problems.append(_("分数线应满足 0 ≤ 合格分数线 ≤ 优秀分数线 ≤ 100。"))
    return problems


def unanswered(items, answers: Mapping[str, Mapping[str, Any]]) -> list[Any]:
    """The items of the standard that have no verdict yet."""
    return [item for item in items if not (answers.get(item.code) or {}).get("verdict")]


def score_and_grade(items, answers: Mapping[str, Mapping[str, Any]], excellent_min: int, pass_min: int):
    """(score, grade) of a fully answered scorecard: any failed veto item of the 基本标准 makes the file 不合格
    whatever its points; otherwise the points of 卷面 and 内容 against the standard's grade lines."""
    vetoed = False
    score = 0
    for item in items:
        answer = answers.get(item.code) or {}
        if item.group == ItemGroup.BASIC:
            vetoed = vetoed or answer.get("verdict") == Verdict.FAIL
        else:
            score += int(answer.get("points") or 0)
    if vetoed or score < pass_min:
        return score, Grade.FAIL
    return score, Grade.EXCELLENT if score >= excellent_min else Grade.PASS


class RedrawError(Exception):
    pass


def redraw(entries: Iterable[Mapping[str, Any]]) -> list[str]:
    """The sample of an evaluation re-done from its ledger entries (decoded, in log order: a verified bundle's):
    the commitment recorded at creation, the frame and rule recorded before the seed, the seed revealed after.
    Raises RedrawError where the entries do not hold together (the seed does not match its commitment, it was
    revealed before the frame was recorded, or the sample recorded is not the one the rule gives)."""
    found: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for entry in entries:
        head = entry.get("head") or {}
        action = head.get("action", "")
        if action in ("supervision.create_evaluation", "supervision.close_frame", "supervision.reveal_seed"):
            if action in found:
                raise RedrawError(f"账本中有两条 {action} 记录")
            found[action] = (int(head.get("seq", -1)), (entry.get("record") or {}).get("payload") or {})
    for action, label in (
        ("supervision.create_evaluation", "随机种子承诺"),
        ("supervision.close_frame", "抽样框"),
        ("supervision.reveal_seed", "随机种子"),
    ):
        if action not in found:
            raise RedrawError(f"账本记录中没有{label}（{action}）：尚未抽样，或证明包不完整")
    (created_at, created), (framed_at, framed), (revealed_at, revealed) = (
        found["supervision.create_evaluation"],
        found["supervision.close_frame"],
        found["supervision.reveal_seed"],
    )
    if not created_at < framed_at < revealed_at:
        raise RedrawError("记录顺序不对：承诺须在封存抽样框之前，公开种子须在其后")
    seed = str(revealed.get("seed", ""))
    try:
        matches = commitment(seed) == created.get("commitment")
    except ValueError:
        matches = False
    if not matches:
        raise RedrawError("公开的随机种子与创建时记入账本的承诺值不符")
    rule = framed.get("rule") or {}
    sample = draw(framed.get("frame") or [], seed, int(rule["rate"]), int(rule["minimum"]))
    if sample != list(revealed.get("sample") or []):
        raise RedrawError("按规则重新抽出的案卷与账本中记录的抽样结果不同")
    return sample


# 执法数据分析报告: the weak points found by declared rules (issue 16 item 5) -----------------------------------------
#
# Each rule reads the period's figures (``supervision.figures``: the agency's totals, the previous period's, and the
# same per unit and per enforcement item) and reports a weak point with its evidence and a proposed improvement. Its
# threshold and the minimum count below which it says nothing are data (``WeakPointRule``, seeded by migration 0007,
# editable by the platform administrator): a rate over a handful of cases proves nothing.


def _rate(values: Mapping[str, int], numerator: str, denominator: str) -> float | None:
    d = values.get(denominator) or 0
    return None if not d else 100 * (values.get(numerator) or 0) / d


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


# (rule, the measure counted, the measure it is a share of, the name of that count in the point's values)
UNIT_RULES = (
    ("unit_overdue", "overdue", "deadlines_due", "due"),
    ("unit_correction", "corrected", "decided", "decided"),
)
LOW_RATE_RULES = (
    ("late_publication", "pub_on_time", "pub_due", "due"),
    ("late_complaints", "complaints_on_time", "complaints", "count"),
    ("av_incomplete", "av_complete", "av_due", "due"),
)


def weak_points(
    current: Mapping[str, int],
    previous: Mapping[str, int],
    units: Mapping[str, Mapping[str, int]],
    items: Mapping[str, Mapping[str, int]],
    settings: Mapping[str, tuple[float, int]],
    access: Iterable[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """The weak points of one agency in one period. ``units`` and ``items``: {member: {measure: value}} (member: the
    unit's id or the item's code, as the drill-down takes it); ``settings``: {rule code: (threshold, minimum)} of the
    active rules; ``access``: the period's unusual openings of its files (``records.access.flags``: a person opening
    cases outside their unit, or many evidence items in a short time, by the agency's own thresholds). Each point: {"rule", "dimension", "member", "measure", "values": {...}} — the page and the report
    word it (``analysis.describe``)."""
    points: list[dict[str, Any]] = []

    def point(rule, dimension, member, measure, **values):
        points.append(
            {"rule": rule, "dimension": dimension, "member": member, "measure": measure, "values": values}
        )

    # A unit whose overdue rate is ``threshold`` times the agency's or more (at least ``minimum`` time limits due);
    # a unit whose decisions are corrected in 复议/诉讼 ``threshold`` times as often as the agency's or more (at least
    # ``minimum`` decisions).
    for rule, part, whole, named in UNIT_RULES:
        if rule not in settings:
            continue
        factor, minimum = settings[rule]
        agency_rate = _rate(current, part, whole)
        for member, values in units.items():
            rate = _rate(values, part, whole)
            if (values.get(whole) or 0) < minimum or not rate or agency_rate is None:
                continue
            if rate >= agency_rate * factor and rate > agency_rate:
                counts = {"count": values.get(part) or 0, named: values.get(whole) or 0}
                point(rule, "unit", member, part, rate=rate, agency_rate=agency_rate, **counts)
    # An item whose legal reviews find problems in ``threshold`` per cent of reviews or more.
    if "item_review_problems" in settings:
        threshold, minimum = settings["item_review_problems"]
        for member, values in items.items():
            rate = _rate(values, "review_problems", "reviews")
            if (values.get("reviews") or 0) >= minimum and rate is not None and rate >= threshold:
                point(
                    "item_review_problems",
                    "item",
                    member,
                    "review_problems",
                    rate=rate,
                    count=values.get("review_problems") or 0,
                    reviews=values.get("reviews") or 0,
                )
    # Decisions published on time, complaints answered on time, acts recorded on video as the 音像记录事项清单 requires:
    # in less than ``threshold`` per cent.
    for rule, part, whole, named in LOW_RATE_RULES:
        if rule not in settings:
            continue
        threshold, minimum = settings[rule]
        rate = _rate(current, part, whole)
        if (current.get(whole) or 0) >= minimum and rate is not None and rate < threshold:
            counts = {named: current.get(whole) or 0, "on_time": current.get(part) or 0}
            point(rule, "all", "", whole, rate=rate, **counts)
    # The agency's overdue rate up by ``threshold`` percentage points or more on the previous period.
    if "overdue_rising" in settings:
        threshold, minimum = settings["overdue_rising"]
        now, before = _rate(current, "overdue", "deadlines_due"), _rate(previous, "overdue", "deadlines_due")
        if (
            (current.get("deadlines_due") or 0) >= minimum
            and (previous.get("deadlines_due") or 0) >= minimum
            and now is not None
            and before is not None
            and now - before >= threshold
        ):
            point("overdue_rising", "all", "", "overdue", rate=now, previous_rate=before)
    # People whose openings of case files look unusual: ``threshold`` people or more, each with ``minimum`` openings
    # or more.
    if "access_anomalies" in settings:
        threshold, minimum = settings["access_anomalies"]
        flagged = [dict(f) for f in access if (f.get("count") or 0) >= minimum]
        if flagged and len({f["person"] for f in flagged}) >= threshold:
            people = sorted({f["person"] for f in flagged})
            point("access_anomalies", "all", "", "access", people=len(people), flags=flagged)
    return points


# 考核 (issue 16 item 7): a score from weighted indicators, and the ranks -------------------------------------------


def indicator_score(
    values: Mapping[str, float | None], indicators: Iterable[tuple[str, int, bool]]
) -> float | None:
    """The weighted mean, on 0–100, of the indicators that have a value: a rate counts as itself where higher is
    better and as 100 minus itself where lower is better (an average 案卷评查 score is on 0–100 already); an indicator
    without a value (nothing to count in the period) is left out and the weights of the others carry the score. None
    when no indicator has a value."""
    total, weights = 0.0, 0
    for source, weight, higher_better in indicators:
        value = values.get(source)
        if value is None or weight <= 0:
            continue
        points = min(100.0, max(0.0, float(value) if higher_better else 100.0 - float(value)))
        total += weight * points
        weights += weight
    return None if not weights else round(total / weights, 1)


def ranks(scores: Mapping[Any, float | None]) -> dict[Any, int | None]:
    """Competition ranks (1, 2, 2, 4), highest score first; no score, no rank."""
    ordered = sorted((s for s in scores.values() if s is not None), reverse=True)
    return {key: (None if s is None else ordered.index(s) + 1) for key, s in scores.items()}

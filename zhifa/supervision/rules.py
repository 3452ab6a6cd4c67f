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

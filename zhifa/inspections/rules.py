"""The rules of 双随机一公开 as pure functions: the draw anyone can re-do from the frame and the seed.

双随机、一公开 (国办发〔2015〕58号; 《优化营商环境条例》 art. 54): targets drawn at random from the 检查对象名录库,
inspectors drawn at random from the 执法检查人员名录库, at least two to each target, an inspector with an interest in
the target withdrawing (回避) and replaced by the next drawn (law-facts.md §4). The draw is published
(docs/inspections.md) so that anyone holding the frame and the seed — both in the ledger, the seed revealed only
after the frame was recorded — gets the same result, without our code:

1. The frame: ``targets`` (each ``{"credit_code", "stratum"}``; a stratum is the target's 执法领域 code), ``officers``
   (each ``{"certificate"}``: the number of an executive-enforcement certificate valid for the field on the day of the
   draw), ``recused`` (``{credit code: [certificate, …]}``: the connections declared with the target), ``rate`` and
   ``inspectors``.
2. Strata in ascending order of their key (Unicode code points). In a stratum of N targets, n = ceil(N × rate / 100)
   targets are drawn (none from an empty stratum).
3. A target's rank is SHA-256 of the UTF-8 bytes of ``"<seed hex>:target:<credit code>"`` as lowercase hex; the n of
   lowest rank are drawn, in rank order; the result is the strata's draws one after the other.
4. For each drawn target, every certificate's rank is SHA-256 of ``"<seed hex>:<credit code>:<certificate>"``; in rank
   order, certificates recused from the target are passed over (and listed), and the first ``inspectors`` are paired
   with it. Fewer certificates than that: the draw cannot be made (the pool is too small).

5. 变更 after the draw (an inspector who cannot go, or declares an interest late): the head replaces them, with the
   reason, by the next certificate in that target's rank order (step 4) that is not paired with it, not recused, not
   replaced before, and still valid on the day; recorded in the ledger beside the draw, which itself never changes.

The commitment is SHA-256 of the seed's 32 bytes (lowercase hex), as for the 案卷评查 draw (``supervision.rules``).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from typing import Any

from zhifa.supervision.rules import (
    commitment,
    new_seed,
)  # one seed and commitment scheme for every public draw

__all__ = [
    "commitment",
    "new_seed",
    "draw",
    "redraw",
    "RedrawError",
    "DEFAULT_MINIMUM_RATE",
    "MINIMUM_INSPECTORS",
]

# The platform's defaults for an agency's 抽查细则 (``DrawPolicy``): local rules commonly ask at least 5 % of the pool a
# year (law-facts.md §4, [S]); at least two inspectors to a target (国办发〔2015〕58号).
DEFAULT_MINIMUM_RATE = 5
MINIMUM_INSPECTORS = 2


class DrawError(Exception):
    pass


def _rank(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def draw(frame: Mapping[str, Any], seed_hex: str) -> list[dict[str, Any]]:
    """[{"credit_code", "certificates": [...], "recused": [...]}] in the plan page's order (see the module's text)."""
    rate, wanted = int(frame["rate"]), int(frame["inspectors"])
    strata: dict[str, list[str]] = {}
    for row in frame["targets"]:
        strata.setdefault(row["stratum"], []).append(row["credit_code"])
    certificates = [row["certificate"] for row in frame["officers"]]
    recused = {code: set(certs) for code, certs in (frame.get("recused") or {}).items()}
    out = []
    for key in sorted(strata):
        codes = sorted(strata[key], key=lambda code: (_rank(seed_hex, "target", code), code))
        for code in codes[: math.ceil(len(codes) * rate / 100)]:
            paired, passed = [], []
            for cert in sorted(certificates, key=lambda c: (_rank(seed_hex, code, c), c)):
                if len(paired) == wanted:
                    break
                (passed if cert in recused.get(code, ()) else paired).append(cert)
            if len(paired) < wanted:
                raise DrawError(f"检查人员不足：{code} 只能配 {len(paired)} 名检查人员")
            out.append({"credit_code": code, "certificates": paired, "recused": passed})
    return out


class RedrawError(Exception):
    pass


def redraw(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The draw of a plan re-done from its ledger entries (decoded, in log order: a verified bundle's): the commitment
    recorded at creation, the frame recorded before the seed, the seed revealed after. Raises RedrawError where they
    do not hold together."""
    found: dict[str, tuple[int, Mapping[str, Any]]] = {}
    steps = ("inspections.create_plan", "inspections.close_pools", "inspections.reveal_seed")
    for entry in entries:
        head = entry.get("head") or {}
        action = head.get("action", "")
        if action in steps:
            if action in found:
                raise RedrawError(f"账本中有两条 {action} 记录")
            found[action] = (int(head.get("seq", -1)), (entry.get("record") or {}).get("payload") or {})
    for action, label in zip(steps, ("随机种子承诺", "封存的名录库", "随机种子"), strict=True):
        if action not in found:
            raise RedrawError(f"账本记录中没有{label}（{action}）：尚未抽取，或证明包不完整")
    (created_at, created), (framed_at, framed), (revealed_at, revealed) = (found[a] for a in steps)
    if not created_at < framed_at < revealed_at:
        raise RedrawError("记录顺序不对：承诺须在封存名录库之前，公开种子须在其后")
    seed = str(revealed.get("seed", ""))
    try:
        matches = commitment(seed) == created.get("commitment")
    except ValueError:
        matches = False
    if not matches:
        raise RedrawError("公开的随机种子与创建时记入账本的承诺值不符")
    try:
        result = draw(framed.get("frame") or {}, seed)
    except DrawError as exc:
        raise RedrawError(str(exc)) from exc
    if result != list(revealed.get("drawn") or []):
        raise RedrawError("按规则重新抽取的结果与账本中记录的不同")
    return result


def checklist(items) -> list[tuple[str, str]]:
    """The points an inspection judges: each item's 检查内容 split at its semicolons (the lists write one point to a
    clause), as (item code, point)."""
    out = []
    for item in items:
        for point in str(item.content or "").replace(";", "；").split("；"):
            point = point.strip().rstrip("。").strip()
            if point:
                out.append((item.code, point))
    return out


def replacement(
    frame: Mapping[str, Any], seed_hex: str, credit_code: str, passed: Iterable[str], valid
) -> str | None:
    """The certificate that replaces an inspector of ``credit_code`` (rule 5): the next in its rank order not in
    ``passed`` (those paired, recused or replaced before) and in ``valid`` (certificates valid on the day)."""
    passed = set(passed) | set((frame.get("recused") or {}).get(credit_code, ()))
    certificates = [row["certificate"] for row in frame.get("officers") or ()]
    for cert in sorted(certificates, key=lambda c: (_rank(seed_hex, credit_code, c), c)):
        if cert not in passed and cert in valid:
            return cert
    return None

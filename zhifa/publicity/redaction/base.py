"""The redaction interface: what a detector finds (``Span``), what it knows about the case (``Context``), and how the
findings become the public text (``redact``).

Masking (documented in docs/publication.md, 去除个人信息):
- a natural person's name keeps its surname and shows 某 for each other character (王小明 → 王某某; 欧阳娜娜 → 欧阳某某);
- everything else removed (identity numbers, telephone numbers, bank accounts, e-mail, licence plates, addresses…)
  shows ■ for each character removed, so the published text keeps its length and layout.

What must stay is stronger than what a detector guesses: a finding lying wholly inside something the context keeps
(the agency, the organisation party and its credit code, laws and articles, document numbers, amounts, public bodies,
the agency's own address and telephone, the officers) is dropped, whichever detector made it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext

NAME = "name"
PERSON_MASK = "某"
MASK = "■"

# Two-character surnames (复姓): a masked name keeps both characters.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 独孤 南宫 西门 端木 申屠 澹台 百里 呼延 万俟".split()
)


@dataclass(frozen=True)
class Span:
    """A piece of the text to remove: [start, end) in characters, what it is, why, and which detector found it."""

    start: int
    end: int
    kind: str  # name, id_number, phone, bank_account, email, plate, passport, address, known
    reason: str  # marked with gettext_noop where it is written; translated when shown
    detector: str

    def as_dict(self, text: str, replacement: str) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": text[self.start : self.end],
            "kind": self.kind,
            "reason": gettext(self.reason),
            "detector": self.detector,
            "replacement": replacement,
        }


@dataclass
class Context:
    """What the case knows. ``remove``: strings to remove wherever they appear, each with its kind (the names of the
    natural persons the case names, their identity numbers, telephones and addresses). ``keep``: strings that must
    stay. ``party_name`` and ``party_kind``: the party; a natural person's name is masked per ``person_policy``
    (``mask_given``: 张某某; ``keep``: published as is, when the agency's policy says so)."""

    remove: dict[str, str] = field(default_factory=dict)  # text → kind
    keep: set[str] = field(default_factory=set)
    party_name: str = ""
    party_kind: str = ""  # "person" | "org" | ""
    person_policy: str = "mask_given"

    def __post_init__(self):
        if self.party_kind == "org" and self.party_name:
            self.keep.add(self.party_name)
        if self.party_kind == "person" and self.party_name and self.person_policy == "mask_given":
            self.remove.setdefault(self.party_name, NAME)
        if self.party_kind == "person" and self.party_name and self.person_policy == "keep":
            self.keep.add(self.party_name)


class Detector(Protocol):
    """A plug-in: finds spans in ``text``; it may use what the context knows."""

    name: str

    def detect(self, text: str, context: Context) -> Iterable[Span]: ...


@dataclass
class Redaction:
    original: str
    text: str
    spans: list[Span]
    replacements: list[str]

    def as_json(self) -> list[dict]:
        return [s.as_dict(self.original, r) for s, r in zip(self.spans, self.replacements, strict=True)]


# What stays whatever a detector thinks (the text itself shows it is public): laws in 《》 with their articles,
# document numbers, amounts, dates, public bodies.
_ALWAYS_KEEP = [
    re.compile(
        r"《[^《》\n]{1,60}》(?:第[一二三四五六七八九十百零〇\d]+条(?:第[一二三四五六七八九十\d]+款)?(?:第[（(]?[一二三四五六七八九十\d]+[）)]?项)?)*"
    ),
    re.compile(r"[\u4e00-\u9fff]{1,12}〔\d{4}〕\d+号"),
    re.compile(r"(?:人民币)?[\d,，.]+(?:万)?元"),
    re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+元[整角分]?(?:[零壹贰叁肆伍陆柒捌玖]+[角分])*"),  # 伍仟元整
    re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
    re.compile(
        r"[\u4e00-\u9fff]{2,16}?(?:人民政府|人民法院|人民检察院|卫生健康局|卫生健康委员会|市场监督管理局|公安局|司法局|"
        r"卫生监督所|卫生监督执法支队|疾病预防控制中心)"
    ),
]


def keep_ranges(text: str, context: Context) -> list[tuple[int, int]]:
    ranges = []
    for pattern in _ALWAYS_KEEP:
        ranges += [m.span() for m in pattern.finditer(text)]
    for value in context.keep:
        if value:
            ranges += [m.span() for m in re.finditer(re.escape(value), text)]
    return ranges


def _inside(span: Span, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= span.start and span.end <= b for a, b in ranges)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Overlapping or touching findings become one span; a name merged with anything else is no longer a name (it
    is removed whole)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and s.start < out[-1].end:
            last = out[-1]
            if s.end > last.end or s.kind != last.kind:
                kind = last.kind if s.kind == last.kind else (last.kind if last.kind != NAME else s.kind)
                out[-1] = Span(last.start, max(last.end, s.end), kind, last.reason, last.detector)
            continue
        out.append(s)
    return out


def mask(text: str, span: Span) -> str:
    piece = text[span.start : span.end]
    if span.kind == NAME:
        keep = 2 if piece[:2] in COMPOUND_SURNAMES and len(piece) > 2 else 1
        return piece[:keep] + PERSON_MASK * (len(piece) - keep)
    return MASK * len(piece)


def apply(text: str, context: Context, detectors: Sequence[Detector]) -> Redaction:
    found: list[Span] = []
    for detector in detectors:
        found.extend(detector.detect(text, context))
    keep = keep_ranges(text, context)
    return rebuild(text, merge(s for s in found if s.end > s.start and not _inside(s, keep)))


def rebuild(text: str, spans: Sequence[Span]) -> Redaction:
    """The public text of ``text`` with ``spans`` (sorted, not overlapping: ``merge``) masked."""
    parts, replacements, at = [], [], 0
    for s in spans:
        replacement = mask(text, s)
        parts += [text[at : s.start], replacement]
        replacements.append(replacement)
        at = s.end
    parts.append(text[at:])
    return Redaction(original=text, text="".join(parts), spans=spans, replacements=replacements)

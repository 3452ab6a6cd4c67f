"""执法流程图 drawn by the server: steps and arrows (plain data) → a layered layout → SVG.

A small Sugiyama-style layout, enough for procedure charts of a few dozen steps: back edges are found by
a depth-first walk, ranks are longest paths over the remaining edges, nodes in a rank are ordered by their
parents' positions, arrows between adjacent ranks are orthogonal, longer arrows run in a lane on the right
and arrows going back run in a lane on the left. No JavaScript and nothing from a CDN: the SVG is inline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

NODE_W = 196
H_GAP = 36
V_GAP = 46
LANE = 16
PAD = 16
LABEL_FONT = 14
NOTE_FONT = 12
LABEL_CHARS = 12  # CJK characters per line at LABEL_FONT inside NODE_W
NOTE_CHARS = 14
FONT = "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"
COLOURS = {
    "start": ("#e8f0fe", "#1849a9"),
    "end": ("#e8f0fe", "#1849a9"),
    "decision": ("#fff8e1", "#8a5300"),
    "step": ("#ffffff", "#1f2933"),
}


@dataclass
class Node:
    key: str
    label: str
    kind: str
    note: str
    order: int
    rank: int = 0
    x: float = 0
    y: float = 0
    h: float = 0
    label_lines: list[str] = field(default_factory=list)
    note_lines: list[str] = field(default_factory=list)


@dataclass
class Edge:
    source: str
    target: str
    label: str
    points: list[tuple[float, float]] = field(default_factory=list)
    label_at: tuple[float, float] = (0, 0)
    label_anchor: str = "start"


@dataclass
class Layout:
    nodes: dict[str, Node]
    edges: list[Edge]
    width: float
    height: float


NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)")


def _width(ch: str) -> float:
    return 0.55 if ord(ch) < 0x2E80 else 1.0


def wrap(text: str, chars: int) -> list[str]:
    """Break ``text`` into lines of at most ``chars`` CJK-width units (Latin counts about half)."""
    lines, line, used = [], "", 0.0
    for ch in (text or "").strip():
        w = _width(ch)
        # No line starts with closing punctuation (避头点): it stays on the line before, a little over.
        if used + w > chars and line and ch not in NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines or [""]


def layout(steps: Sequence[dict], arrows: Sequence[dict]) -> Layout:
    """Place ``steps`` ({key, label, kind, note}) and route ``arrows`` ({source, target, label})."""
    nodes: dict[str, Node] = {}
    for i, s in enumerate(steps):
        nodes[s["key"]] = Node(
            key=s["key"],
            label=s.get("label", ""),
            kind=s.get("kind") or "step",
            note=s.get("note") or "",
            order=i,
        )
    edges = [
        Edge(a["source"], a["target"], a.get("label") or "")
        for a in arrows
        if a["source"] in nodes and a["target"] in nodes
    ]
    succ: dict[str, list[str]] = {k: [] for k in nodes}
    for e in edges:
        succ[e.source].append(e.target)

    # Back edges: those reaching a node still on the depth-first stack.
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}

    def visit(k: str) -> None:
        state[k] = 1
        for t in succ[k]:
            if state.get(t) == 1:
                back.add((k, t))
            elif t not in state:
                visit(t)
        state[k] = 2

    incoming = {e.target for e in edges}
    roots = [k for k in nodes if k not in incoming] or list(nodes)[:1]
    for k in roots + list(nodes):
        if k not in state:
            visit(k)

    forward = [e for e in edges if (e.source, e.target) not in back and e.source != e.target]
    # Longest path ranks over the forward edges (a DAG now); steps in order make it stable.
    rank = {k: 0 for k in nodes}
    for _round in range(len(nodes)):
        changed = False
        for e in forward:
            if rank[e.target] < rank[e.source] + 1:
                rank[e.target] = rank[e.source] + 1
                changed = True
        if not changed:
            break
    for k, n in nodes.items():
        n.rank = rank[k]

    ranks: dict[int, list[Node]] = {}
    for n in sorted(nodes.values(), key=lambda n: n.order):
        ranks.setdefault(n.rank, []).append(n)
    parents: dict[str, list[str]] = {k: [] for k in nodes}
    for e in forward:
        parents[e.target].append(e.source)

    # Order within a rank by the mean position of the parents (fewer crossings).
    position: dict[str, float] = {}
    for r in sorted(ranks):
        row = ranks[r]
        if r > 0:
            row.sort(
                key=lambda n: (
                    sum(position[p] for p in parents[n.key]) / len(parents[n.key])
                    if parents[n.key]
                    else n.order,
                    n.order,
                )
            )
        for i, n in enumerate(row):
            position[n.key] = i - (len(row) - 1) / 2

    widest = max((len(row) for row in ranks.values()), default=1)
    inner_w = widest * NODE_W + (widest - 1) * H_GAP
    back_edges = [e for e in edges if (e.source, e.target) in back or e.source == e.target]
    long_edges = [e for e in forward if nodes[e.target].rank - nodes[e.source].rank > 1]
    # Room for the lanes, and for the labels written beside them.
    label_left = max(
        (sum(_width(c) for c in e.label) * NOTE_FONT + 4 for e in back_edges if e.label), default=0
    )
    label_right = max(
        (sum(_width(c) for c in e.label) * NOTE_FONT + 4 for e in long_edges if e.label), default=0
    )
    left = PAD + label_left + LANE * len(back_edges) + (LANE if back_edges else 0)
    right_lanes = LANE * len(long_edges) + (LANE if long_edges else 0) + label_right
    width = left + inner_w + right_lanes + PAD

    y = PAD
    for r in sorted(ranks):
        row = ranks[r]
        for n in row:
            n.label_lines = wrap(n.label, LABEL_CHARS)
            n.note_lines = wrap(n.note, NOTE_CHARS) if n.note else []
            n.h = 16 + len(n.label_lines) * (LABEL_FONT + 4) + len(n.note_lines) * (NOTE_FONT + 4)
            if n.kind == "decision":
                n.h += 12
        row_h = max(n.h for n in row)
        row_w = len(row) * NODE_W + (len(row) - 1) * H_GAP
        x0 = left + (inner_w - row_w) / 2
        for i, n in enumerate(row):
            n.x = x0 + i * (NODE_W + H_GAP)
            n.y = y + (row_h - n.h) / 2
        y += row_h + V_GAP
    height = y - V_GAP + PAD

    back_ids = {id(e) for e in back_edges}
    long_ids = {id(e) for e in long_edges}
    lane_right = left + inner_w + LANE
    lane_left = left - LANE
    for e in edges:
        s, t = nodes[e.source], nodes[e.target]
        if id(e) in back_ids:
            sy, ty = s.y + s.h / 2, t.y + t.h / 2
            e.points = [(s.x, sy), (lane_left, sy), (lane_left, ty), (t.x, ty)]
            e.label_at, e.label_anchor = (lane_left - 3, (sy + ty) / 2), "end"
            lane_left -= LANE
        elif id(e) in long_ids:
            sy, ty = s.y + s.h / 2, t.y + t.h / 2
            e.points = [(s.x + NODE_W, sy), (lane_right, sy), (lane_right, ty), (t.x + NODE_W, ty)]
            e.label_at, e.label_anchor = (lane_right + 3, (sy + ty) / 2), "start"
            lane_right += LANE
        else:
            sx, sy = s.x + NODE_W / 2, s.y + s.h
            tx, ty = t.x + NODE_W / 2, t.y
            mid = sy + (ty - sy) / 2 if ty > sy else sy + V_GAP / 2
            if abs(sx - tx) < 0.5:
                e.points = [(sx, sy), (tx, ty)]
                e.label_at = (sx + 6, sy + 15)
            else:
                e.points = [(sx, sy), (sx, mid), (tx, mid), (tx, ty)]
                e.label_at = ((sx + tx) / 2, mid - 4)
                e.label_anchor = "middle"
    return Layout(nodes=nodes, edges=edges, width=width, height=height)


def _shape(n: Node, fill: str, stroke: str) -> str:
    x, y, w, h = n.x, n.y, NODE_W, n.h
    if n.kind in ("start", "end"):
        return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h:.1f}" rx="{min(h / 2, 22):.1f}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
    if n.kind == "decision":
        pts = [
            (x + 14, y),
            (x + w - 14, y),
            (x + w, y + h / 2),
            (x + w - 14, y + h),
            (x + 14, y + h),
            (x, y + h / 2),
        ]
        return '<polygon points="{}" fill="{}" stroke="{}" stroke-width="1.5"/>'.format(
            " ".join(f"{px:.1f},{py:.1f}" for px, py in pts), fill, stroke
        )
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h:.1f}" rx="4" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'


def describe(steps: Sequence[dict], arrows: Sequence[dict]) -> str:
    """A plain-text description of the chart (the SVG's <desc>, for screen readers)."""
    labels = {s["key"]: s.get("label", "") for s in steps}
    parts = []
    for s in steps:
        outs = [a for a in arrows if a["source"] == s["key"] and a["target"] in labels]
        text = s.get("label", "")
        if s.get("note"):
            text += _("（%(note)s）") % {"note": s["note"]}
        if outs:
            text += _("，然后") + _("或").join(
                (_("%(label)s：") % {"label": a["label"]} if a.get("label") else "") + labels[a["target"]]
                for a in outs
            )
        parts.append(text)
    return _("；").join(parts) + _("。")


def render_svg(steps: Sequence[dict], arrows: Sequence[dict], *, title: str, ident: str = "flow") -> str:
    """The chart as an inline SVG element, with a title and a text description for assistive technology."""
    ident = re.sub(r"[^A-Za-z0-9_-]", "-", ident) or "flow"
    lay = layout(steps, arrows)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" role="img" '
        f'viewBox="0 0 {lay.width:.0f} {lay.height:.0f}" width="{lay.width:.0f}" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family={quoteattr(FONT)}>',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(steps, arrows))}</desc>',
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#3e4c59"/></marker></defs>',
    ]
    for e in lay.edges:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in e.points)
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="#3e4c59" stroke-width="1.4" '
            f'marker-end="url(#{ident}-arrow)"/>'
        )
        if e.label:
            lx, ly = e.label_at
            out.append(
                f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="{NOTE_FONT}" fill="#1f2933" '
                f'text-anchor="{e.label_anchor}" paint-order="stroke" stroke="#ffffff" stroke-width="3">'
                f"{escape(e.label)}</text>"
            )
    for n in lay.nodes.values():
        fill, stroke = COLOURS.get(n.kind, COLOURS["step"])
        out.append(_shape(n, fill, stroke))
        cx = n.x + NODE_W / 2
        y = n.y + 8 + (6 if n.kind == "decision" else 0)
        for line in n.label_lines:
            y += LABEL_FONT + 4
            out.append(
                f'<text x="{cx:.1f}" y="{y - 4:.1f}" font-size="{LABEL_FONT}" font-weight="600" fill="#1f2933" '
                f'text-anchor="middle">{escape(line)}</text>'
            )
        for line in n.note_lines:
            y += NOTE_FONT + 4
            out.append(
                f'<text x="{cx:.1f}" y="{y - 4:.1f}" font-size="{NOTE_FONT}" fill="#3e4c59" '
                f'text-anchor="middle">{escape(line)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)

"""One row format per list: what a version freezes, what the JSON download carries, and (flattened) what
the CSV/XLSX export writes and the import reads back. Keep these the one definition of each list's columns.
"""

from __future__ import annotations

from decimal import Decimal

from .choices import (
    AvMode,
    DiscretionTier,
    ItemKind,
    LawLevel,
    LawStatus,
    ProcedureKind,
    Stage,
    StepKind,
    TableKind,
)
from .rules import article_label, format_citations

YES, NO = "是", "否"


def _money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _article(a, role: str) -> dict:
    return {
        "role": role,
        "law": a.law.name,
        "cite_name": a.law.cite_name,
        "law_status": a.law.status,
        "number": a.number,
        "label": article_label(a.number),
        "version": a.version,
        "text": a.text,
    }


def _citations(articles) -> str:
    return format_citations(
        (a.law.cite_name, a.number) for a in sorted(articles, key=lambda a: (a.law_id, a.number))
    )


def item_row(item) -> dict:
    violated = list(item.violated_articles.select_related("law"))
    penalty = list(item.penalty_articles.select_related("law"))
    tiers = {t.tier: t for t in item.tiers.all()}
    return {
        "code": item.code,
        "name": item.name,
        "kind": item.kind,
        "kind_label": str(ItemKind(item.kind).label),
        "field": item.field.code if item.field else "",
        "field_name": item.field.name if item.field else "",
        "unit": item.unit.name if item.unit else "",
        "violated": _citations(violated),
        "penalty": _citations(penalty),
        "basis_note": item.basis_note,
        "hearing_eligible": item.hearing_eligible,
        "hearing_note": item.hearing_note,
        "articles": [_article(a, "violated") for a in violated] + [_article(a, "penalty") for a in penalty],
        "benchmarks": [
            {
                "tier": t.value,
                "tier_label": str(t.label),
                "circumstances": tiers[t.value].circumstances,
                "penalty": tiers[t.value].penalty,
                "fine_min": _money(tiers[t.value].fine_min),
                "fine_max": _money(tiers[t.value].fine_max),
            }
            for t in DiscretionTier
            if t.value in tiers
        ],
    }


def random_row(r) -> dict:
    return {
        "code": r.code,
        "seq": r.seq,
        "check_item": r.check_item,
        "sub_item": r.sub_item,
        "subject": r.subject,
        "basis": r.basis,
        "citations": _citations(r.articles.select_related("law")),
        "method": r.method,
        "content": r.content,
        "targets": r.targets,
        "frequency": r.frequency,
        "note": r.note,
        "field": r.field.code if r.field else "",
        "field_name": r.field.name if r.field else "",
    }


def av_row(a) -> dict:
    return {
        "code": a.act_code,
        "seq": a.seq,
        "act": a.act,
        "stage": a.stage,
        "stage_label": str(Stage(a.stage).label),
        "place": a.place,
        "mode": a.mode,
        "mode_label": str(AvMode(a.mode).label),
        "mandatory": a.mode == AvMode.FULL,
        "device": a.device,
        "recorder": a.recorder,
        "content": a.content,
        "note": a.note,
    }


def guide_row(g) -> dict:
    return {
        "code": g.code,
        "title": g.title,
        "item": g.item.code if g.item else "",
        "item_name": g.item.name if g.item else "",
        "procedure": g.procedure,
        "procedure_label": str(ProcedureKind(g.procedure).label) if g.procedure else "",
        "body": g.body,
        "conditions": g.conditions,
        "time_limit": g.time_limit,
        "fees": g.fees,
        "process": g.process,
        "contacts": g.contacts,
        "complaint_channel": g.complaint_channel,
        "basis": g.basis,
        "remedies": g.remedies,
        "flowchart": g.flowchart.code if g.flowchart else "",
        "materials": [
            {
                "id": m.pk,
                "name": m.name,
                "requirement": m.requirement,
                "sample_name": m.sample_name,
                "sample_type": m.sample_type,
                "sample_size": m.sample_size,
                "sample_sha256": m.sample_sha256,
            }
            for m in g.materials.filter(active=True)
        ],
    }


def flowchart_row(f) -> dict:
    keys = {s.pk: s.key for s in f.steps.all()}
    return {
        "code": f.code,
        "title": f.title,
        "procedure": f.procedure,
        "procedure_label": str(ProcedureKind(f.procedure).label),
        "description": f.description,
        "steps": [{"key": s.key, "label": s.label, "kind": s.kind, "note": s.note} for s in f.steps.all()],
        "arrows": [
            {"source": keys[a.source_id], "target": keys[a.target_id], "label": a.label}
            for a in f.arrows.all()
        ],
    }


# Flat tables (CSV/XLSX): header texts are part of the import format documented in docs/catalog.md.

# The file format is Chinese whatever the interface language: the tier names are written out, not translated.
TIER_NAMES = {"slight": "轻微", "general": "一般", "serious": "较重", "severe": "严重"}
TIER_COLUMNS = [
    (t, [f"{TIER_NAMES[t.value]}{suffix}" for suffix in ("情形", "处罚标准", "罚款下限", "罚款上限")])
    for t in DiscretionTier
]

HEADERS: dict[str, list[str]] = {
    TableKind.LAWS: [
        "法规名称",
        "简称",
        "制定机关",
        "效力层级",
        "公布日期",
        "施行日期",
        "状态",
        "条号",
        "条文",
    ],
    TableKind.ITEMS: [
        "事项编码",
        "事项名称",
        "事项类别",
        "执法领域",
        "承办机构",
        "违法依据",
        "处罚依据",
        "依据说明",
        "可否听证",
        "听证说明",
    ]
    + [h for _t, hs in TIER_COLUMNS for h in hs],
    TableKind.RANDOM: [
        "序号",
        "检查项目",
        "检查子项",
        "检查主体",
        "检查依据",
        "检查方式",
        "检查内容",
        "备注",
        "事项编码",
        "检查对象",
        "抽查比例和频次",
        "执法领域",
        "依据条文",
    ],
    TableKind.AV: [
        "序号",
        "行为编码",
        "执法行为",
        "执法环节",
        "记录场所",
        "记录方式",
        "记录设备",
        "记录人",
        "记录内容",
        "备注",
    ],
    TableKind.GUIDES: [
        "指南编码",
        "指南名称",
        "对应事项编码",
        "程序类别",
        "实施主体",
        "适用条件",
        "申请材料",
        "办理时限",
        "收费标准",
        "办理流程",
        "咨询方式",
        "投诉渠道",
        "法律依据",
        "救济途径",
        "流程图编码",
    ],
    TableKind.FLOWCHARTS: [
        "流程图编码",
        "流程图名称",
        "程序类别",
        "流程图说明",
        "步骤编码",
        "步骤名称",
        "步骤类型",
        "步骤说明",
        "下一步",
    ],
}

# Columns that must be present in an imported file (the others may be left out).
REQUIRED: dict[str, list[str]] = {
    TableKind.LAWS: ["法规名称", "制定机关", "效力层级", "条号", "条文"],
    TableKind.ITEMS: ["事项编码", "事项名称", "事项类别"],
    TableKind.RANDOM: [
        "序号",
        "检查项目",
        "检查子项",
        "检查主体",
        "检查依据",
        "检查方式",
        "检查内容",
        "备注",
    ],
    TableKind.AV: [
        "序号",
        "行为编码",
        "执法行为",
        "执法环节",
        "记录场所",
        "记录方式",
        "记录设备",
        "记录人",
        "记录内容",
    ],
    TableKind.GUIDES: ["指南编码", "指南名称", "实施主体"],
    TableKind.FLOWCHARTS: ["流程图编码", "流程图名称", "程序类别", "步骤编码", "步骤名称", "步骤类型"],
}


def materials_text(materials: list[dict]) -> str:
    return "；".join(
        m["name"] + (f"（{m['requirement']}）" if m.get("requirement") else "") for m in materials
    )


def flatten(kind: str, rows: list[dict]) -> list[list]:
    """The rows of one list (version rows or live rows) as the cells of the CSV/XLSX table."""
    out: list[list] = []
    if kind == TableKind.LAWS:
        for r in rows:
            out.append(
                [
                    r["name"],
                    r["short_name"],
                    r["issuer"],
                    r["level_label"],
                    r["promulgated_on"] or "",
                    r["effective_on"] or "",
                    r["status_label"],
                    article_label(r["number"]),
                    r["text"],
                ]
            )
    elif kind == TableKind.ITEMS:
        for r in rows:
            tiers = {b["tier"]: b for b in r["benchmarks"]}
            cells = [
                r["code"],
                r["name"],
                r["kind_label"],
                r["field_name"],
                r["unit"],
                r["violated"],
                r["penalty"],
                r["basis_note"],
                YES if r["hearing_eligible"] else NO,
                r["hearing_note"],
            ]
            for t, _headers in TIER_COLUMNS:
                b = tiers.get(t.value)
                cells += (
                    [b["circumstances"], b["penalty"], b["fine_min"] or "", b["fine_max"] or ""]
                    if b
                    else ["", "", "", ""]
                )
            out.append(cells)
    elif kind == TableKind.RANDOM:
        for r in rows:
            out.append(
                [
                    r["seq"],
                    r["check_item"],
                    r["sub_item"],
                    r["subject"],
                    r["basis"],
                    r["method"],
                    r["content"],
                    r["note"],
                    r["code"],
                    r["targets"],
                    r["frequency"],
                    r["field_name"],
                    r["citations"],
                ]
            )
    elif kind == TableKind.AV:
        for r in rows:
            out.append(
                [
                    r["seq"],
                    r["code"],
                    r["act"],
                    r["stage_label"],
                    r["place"],
                    r["mode_label"],
                    r["device"],
                    r["recorder"],
                    r["content"],
                    r["note"],
                ]
            )
    elif kind == TableKind.GUIDES:
        for r in rows:
            out.append(
                [
                    r["code"],
                    r["title"],
                    r["item"],
                    r["procedure_label"],
                    r["body"],
                    r["conditions"],
                    materials_text(r["materials"]),
                    r["time_limit"],
                    r["fees"],
                    r["process"],
                    r["contacts"],
                    r["complaint_channel"],
                    r["basis"],
                    r["remedies"],
                    r["flowchart"],
                ]
            )
    elif kind == TableKind.FLOWCHARTS:
        for r in rows:
            for i, s in enumerate(r["steps"]):
                nexts = [
                    a["target"] + (f":{a['label']}" if a["label"] else "")
                    for a in r["arrows"]
                    if a["source"] == s["key"]
                ]
                first = i == 0
                out.append(
                    [
                        r["code"],
                        r["title"] if first else "",
                        r["procedure_label"] if first else "",
                        r["description"] if first else "",
                        s["key"],
                        s["label"],
                        str(StepKind(s["kind"]).label),
                        s["note"],
                        "、".join(nexts),
                    ]
                )
    return out


def law_rows(laws) -> list[dict]:
    """Current articles of ``laws``, one row each (the laws table)."""
    rows = []
    for law in laws:
        for a in law.articles.filter(is_current=True).order_by("number"):
            rows.append(
                {
                    "name": law.name,
                    "short_name": law.short_name,
                    "issuer": law.issuer,
                    "level": law.level,
                    "level_label": str(LawLevel(law.level).label),
                    "promulgated_on": law.promulgated_on.isoformat() if law.promulgated_on else None,
                    "effective_on": law.effective_on.isoformat() if law.effective_on else None,
                    "status": law.status,
                    "status_label": str(LawStatus(law.status).label),
                    "number": a.number,
                    "text": a.text,
                }
            )
    return rows

"""Reading an import file into checked row specifications, or a row-numbered list of what is wrong.

This module only reads the database (to resolve fields, units, laws and codes); ``actions.import_table``
applies the specifications, all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from zhifa.org.models import EnforcementField

from . import rules
from .choices import (
    AvMode,
    ItemKind,
    LawLevel,
    LawStatus,
    ProcedureKind,
    Stage,
    StepKind,
    TableKind,
)
from .models import Article, EnforcementItem, Flowchart, Law
from .serialize import HEADERS, REQUIRED, TIER_COLUMNS, TIER_NAMES, YES

MAX_ROWS = 5000
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class Problems:
    errors: list[tuple[int, str]] = field(default_factory=list)

    def add(self, row: int, message: str) -> None:
        self.errors.append((row, message))


class RowError(ValueError):
    pass


def _choice(value: str, choices, column: str):
    value = value.strip()
    with translation.override("zh-hans"):
        for c in choices:
            if value in (c.value, str(c.label)):
                return c.value
        allowed = "、".join(str(c.label) for c in choices)
    raise RowError(
        _("%(column)s“%(value)s”无效，应为：%(allowed)s")
        % {"column": column, "value": value, "allowed": allowed}
    )


def _required(row: dict, column: str, max_length: int | None = None) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise RowError(_("“%(column)s”不能为空") % {"column": column})
    if max_length and len(value) > max_length:
        raise RowError(_("“%(column)s”超过%(n)d个字符") % {"column": column, "n": max_length})
    return value


def _optional(row: dict, column: str, max_length: int | None = None) -> str:
    value = row.get(column, "").strip()
    if max_length and len(value) > max_length:
        raise RowError(_("“%(column)s”超过%(n)d个字符") % {"column": column, "n": max_length})
    return value


def _code(row: dict, column: str) -> str:
    value = _required(row, column, 40)
    if not CODE_RE.match(value):
        raise RowError(
            _("%(column)s“%(value)s”只能由字母、数字、点、连字符和下划线组成")
            % {"column": column, "value": value}
        )
    return value


def _int(row: dict, column: str) -> int:
    value = _required(row, column)
    try:
        number = int(value)
    except ValueError:
        raise RowError(_("%(column)s“%(value)s”应为正整数") % {"column": column, "value": value}) from None
    if number <= 0:
        raise RowError(_("%(column)s“%(value)s”应为正整数") % {"column": column, "value": value})
    return number


def _date(row: dict, column: str) -> dt.date | None:
    value = row.get(column, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.replace("/", "-").replace(".", "-")[:10])
    except ValueError:
        raise RowError(
            _("%(column)s“%(value)s”不是有效日期，应写作“2026-01-31”") % {"column": column, "value": value}
        ) from None


def _money(row: dict, column: str) -> Decimal | None:
    value = row.get(column, "").strip().replace(",", "").replace("，", "").removesuffix("元")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise RowError(_("%(column)s“%(value)s”应为金额数字") % {"column": column, "value": value}) from None
    if amount < 0 or amount.is_nan():
        raise RowError(_("%(column)s不能为负数") % {"column": column})
    return amount


def _field(row: dict, column: str) -> EnforcementField | None:
    value = row.get(column, "").strip()
    if not value:
        return None
    found = EnforcementField.objects.filter(Q(code=value) | Q(name=value)).first()
    if found is None:
        raise RowError(_("%(column)s“%(value)s”不存在") % {"column": column, "value": value})
    return found


class ArticleIndex:
    """The agency's laws by name and short name, to resolve citations without a query per row."""

    def __init__(self, agency):
        self.laws: dict[str, Law] = {}
        for law in Law.objects.filter(agency=agency):
            self.laws[law.name] = law
            if law.short_name:
                self.laws.setdefault(law.short_name, law)
        self.articles = {
            (a.law_id, a.number): a for a in Article.objects.filter(law__agency=agency, is_current=True)
        }

    def resolve(self, text: str, column: str) -> list[Article]:
        try:
            citations = rules.parse_citations(text)
        except ValueError as exc:
            raise RowError(_("%(column)s：%(problem)s") % {"column": column, "problem": exc}) from None
        found = []
        for law_name, number in citations:
            law = self.laws.get(law_name) or self.laws.get(law_name.removeprefix("中华人民共和国"))
            if law is None:
                raise RowError(
                    _("%(column)s：法规库中没有《%(law)s》，请先导入该法规")
                    % {"column": column, "law": law_name}
                )
            if law.status == LawStatus.REPEALED:
                raise RowError(
                    _("%(column)s：《%(law)s》已废止，不能作为依据") % {"column": column, "law": law.name}
                )
            article = self.articles.get((law.pk, number))
            if article is None:
                raise RowError(
                    _("%(column)s：《%(law)s》%(article)s不在法规库中")
                    % {"column": column, "law": law_name, "article": rules.article_label(number)}
                )
            found.append(article)
        return found


def check_headers(kind: str, headers: list[str], problems: Problems) -> None:
    missing = [h for h in REQUIRED[kind] if h not in headers]
    if missing:
        problems.add(1, _("缺少列：%(columns)s") % {"columns": "、".join(missing)})
    unknown = [h for h in headers if h and h not in HEADERS[kind]]
    if unknown:
        problems.add(1, _("无法识别的列：%(columns)s") % {"columns": "、".join(unknown)})


def parse(
    kind: str, agency, headers: list[str], rows: list[tuple[int, dict]]
) -> tuple[list[dict], list[tuple[int, str]]]:
    """(specifications, errors). Specifications are only meaningful when there are no errors."""
    problems = Problems()
    check_headers(kind, headers, problems)
    if problems.errors:
        return [], problems.errors
    if not rows:
        problems.add(2, _("文件中没有数据行"))
        return [], problems.errors
    if len(rows) > MAX_ROWS:
        problems.add(MAX_ROWS + 2, _("一次最多导入%(n)d行") % {"n": MAX_ROWS})
        return [], problems.errors
    parser = {
        TableKind.LAWS: _laws,
        TableKind.ITEMS: _items,
        TableKind.RANDOM: _random,
        TableKind.AV: _av,
        TableKind.GUIDES: _guides,
        TableKind.FLOWCHARTS: _flowcharts,
    }[kind]
    specs = parser(agency, rows, problems)
    problems.errors.sort()
    return specs, problems.errors


def _each(rows, problems, fn):
    out = []
    for number, row in rows:
        try:
            out.append((number, fn(row)))
        except RowError as exc:
            problems.add(number, str(exc))
    return out


def _unique(parsed, key, column, problems):
    seen: dict[str, int] = {}
    for number, spec in parsed:
        value = spec[key]
        if value in seen:
            problems.add(
                number,
                _("%(column)s“%(value)s”与第%(row)d行重复")
                % {"column": column, "value": value, "row": seen[value]},
            )
        else:
            seen[value] = number


def _laws(agency, rows, problems) -> list[dict]:
    def one(row):
        try:
            number = rules.parse_cn_number(_required(row, "条号").removeprefix("第").removesuffix("条"))
        except ValueError:
            raise RowError(
                _("条号“%(value)s”无法识别，应写作“第四十二条”或“42”") % {"value": row.get("条号")}
            ) from None
        return {
            "name": _required(row, "法规名称", 200).strip("《》"),
            "short_name": _optional(row, "简称", 100).strip("《》"),
            "issuer": _required(row, "制定机关", 200),
            "level": _choice(row.get("效力层级", ""), LawLevel, "效力层级"),
            "promulgated_on": _date(row, "公布日期"),
            "effective_on": _date(row, "施行日期"),
            "status": _choice(row.get("状态") or "现行有效", LawStatus, "状态"),
            "number": number,
            "text": _required(row, "条文", 20000),
        }

    parsed = _each(rows, problems, one)
    laws: dict[str, dict] = {}
    seen_articles: dict[tuple[str, int], int] = {}
    for number, spec in parsed:
        law = laws.setdefault(
            spec["name"],
            {
                **{
                    k: spec[k]
                    for k in (
                        "name",
                        "short_name",
                        "issuer",
                        "level",
                        "promulgated_on",
                        "effective_on",
                        "status",
                    )
                },
                "articles": {},
                "row": number,
            },
        )
        for key in ("issuer", "level", "short_name", "promulgated_on", "effective_on", "status"):
            if spec[key] != law[key]:
                problems.add(
                    number,
                    _("《%(law)s》的“%(column)s”与第%(row)d行不一致")
                    % {"law": spec["name"], "column": key_label(key), "row": law["row"]},
                )
        art_key = (spec["name"], spec["number"])
        if art_key in seen_articles:
            problems.add(
                number,
                _("《%(law)s》%(article)s与第%(row)d行重复")
                % {
                    "law": spec["name"],
                    "article": rules.article_label(spec["number"]),
                    "row": seen_articles[art_key],
                },
            )
        seen_articles[art_key] = number
        law["articles"][spec["number"]] = spec["text"]
    return list(laws.values())


def key_label(key: str) -> str:
    return {
        "issuer": "制定机关",
        "level": "效力层级",
        "short_name": "简称",
        "promulgated_on": "公布日期",
        "effective_on": "施行日期",
        "status": "状态",
        "title": "流程图名称",
        "procedure": "程序类别",
        "description": "流程图说明",
    }.get(key, key)


def _items(agency, rows, problems) -> list[dict]:
    index = ArticleIndex(agency)
    units = {u.name: u for u in agency.units.all()}

    def one(row):
        unit_name = _optional(row, "承办机构")
        if unit_name and unit_name not in units:
            raise RowError(_("承办机构“%(unit)s”不是本执法主体的内设机构") % {"unit": unit_name})
        hearing = _optional(row, "可否听证") or "否"
        if hearing not in ("是", "否"):
            raise RowError(_("可否听证“%(value)s”应为“是”或“否”") % {"value": hearing})
        tiers = {}
        for tier, (h_circ, h_pen, h_min, h_max) in TIER_COLUMNS:
            circumstances, penalty = _optional(row, h_circ), _optional(row, h_pen)
            fine_min, fine_max = _money(row, h_min), _money(row, h_max)
            if not (circumstances or penalty or fine_min is not None or fine_max is not None):
                continue
            if not circumstances or not penalty:
                raise RowError(
                    _("裁量基准“%(tier)s”档须同时填写情形和处罚标准") % {"tier": TIER_NAMES[tier.value]}
                )
            problem = rules.fine_range_problem(fine_min, fine_max)
            if problem:
                raise RowError(
                    _("裁量基准“%(tier)s”档：%(problem)s")
                    % {"tier": TIER_NAMES[tier.value], "problem": problem}
                )
            tiers[tier.value] = {
                "circumstances": circumstances,
                "penalty": penalty,
                "fine_min": fine_min,
                "fine_max": fine_max,
            }
        return {
            "code": _code(row, "事项编码"),
            "name": _required(row, "事项名称", 200),
            "kind": _choice(row.get("事项类别", ""), ItemKind, "事项类别"),
            "field": _field(row, "执法领域"),
            "unit": units.get(unit_name),
            "violated": index.resolve(row.get("违法依据", ""), "违法依据"),
            "penalty": index.resolve(row.get("处罚依据", ""), "处罚依据"),
            "basis_note": _optional(row, "依据说明", 5000),
            "hearing_eligible": hearing == YES,
            "hearing_note": _optional(row, "听证说明", 200),
            "tiers": tiers,
        }

    parsed = _each(rows, problems, one)
    _unique(parsed, "code", "事项编码", problems)
    return [spec for _n, spec in parsed]


def _random(agency, rows, problems) -> list[dict]:
    index = ArticleIndex(agency)

    def one(row):
        seq = _int(row, "序号")
        code = row.get("事项编码", "").strip() or f"RI-{seq:03d}"
        if not CODE_RE.match(code) or len(code) > 40:
            raise RowError(_("事项编码“%(code)s”只能由字母、数字、点、连字符和下划线组成") % {"code": code})
        return {
            "code": code,
            "seq": seq,
            "check_item": _required(row, "检查项目", 200),
            "sub_item": _optional(row, "检查子项", 200),
            "subject": _required(row, "检查主体", 200),
            "basis": _required(row, "检查依据", 5000),
            "method": _required(row, "检查方式", 200),
            "content": _required(row, "检查内容", 5000),
            "note": _optional(row, "备注", 300),
            "targets": _optional(row, "检查对象", 200),
            "frequency": _optional(row, "抽查比例和频次", 200),
            "field": _field(row, "执法领域"),
            "articles": index.resolve(row.get("依据条文", ""), "依据条文"),
        }

    parsed = _each(rows, problems, one)
    _unique(parsed, "code", "事项编码", problems)
    return [spec for _n, spec in parsed]


def _av(agency, rows, problems) -> list[dict]:
    def one(row):
        mode = row.get("记录方式", "").strip()
        mode = {"全程": AvMode.FULL.value, "根据情况": AvMode.AS_NEEDED.value}.get(mode, mode)
        return {
            "act_code": _code(row, "行为编码"),
            "seq": _int(row, "序号"),
            "act": _required(row, "执法行为", 200),
            "stage": _choice(row.get("执法环节", ""), Stage, "执法环节"),
            "place": _required(row, "记录场所", 200),
            "mode": _choice(mode, AvMode, "记录方式"),
            "device": _required(row, "记录设备", 200),
            "recorder": _required(row, "记录人", 200),
            "content": _required(row, "记录内容", 5000),
            "note": _optional(row, "备注", 300),
        }

    parsed = _each(rows, problems, one)
    _unique(parsed, "act_code", "行为编码", problems)
    return [spec for _n, spec in parsed]


def _materials(text: str) -> list[tuple[str, str]]:
    out = []
    for part in re.split(r"[；;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^(.*?)[（(]([^（）()]*)[）)]$", part)
        name, requirement = (m.group(1).strip(), m.group(2).strip()) if m else (part, "")
        if not name or len(name) > 200 or len(requirement) > 300:
            raise RowError(
                _("申请材料“%(value)s”格式不正确，应写作“材料名称（份数及要求）”，多项用“；”分隔")
                % {"value": part[:30]}
            )
        out.append((name, requirement))
    return out


def _guides(agency, rows, problems) -> list[dict]:
    items = {i.code: i for i in EnforcementItem.objects.filter(agency=agency)}
    charts = {f.code: f for f in Flowchart.objects.filter(agency=agency)}

    def one(row):
        item_code = _optional(row, "对应事项编码")
        if item_code and item_code not in items:
            raise RowError(_("对应事项编码“%(code)s”不在本单位执法事项清单中") % {"code": item_code})
        chart_code = _optional(row, "流程图编码")
        if chart_code and chart_code not in charts:
            raise RowError(_("流程图编码“%(code)s”不存在") % {"code": chart_code})
        procedure = _optional(row, "程序类别")
        return {
            "code": _code(row, "指南编码"),
            "title": _required(row, "指南名称", 200),
            "item": items.get(item_code),
            "procedure": _choice(procedure, ProcedureKind, "程序类别") if procedure else "",
            "body": _required(row, "实施主体", 200),
            "conditions": _optional(row, "适用条件", 5000),
            "materials": _materials(row.get("申请材料", "")),
            "time_limit": _optional(row, "办理时限", 300),
            "fees": _optional(row, "收费标准", 200),
            "process": _optional(row, "办理流程", 5000),
            "contacts": _optional(row, "咨询方式", 300),
            "complaint_channel": _optional(row, "投诉渠道", 300),
            "basis": _optional(row, "法律依据", 5000),
            "remedies": _optional(row, "救济途径", 5000),
            "flowchart": charts.get(chart_code),
        }

    parsed = _each(rows, problems, one)
    _unique(parsed, "code", "指南编码", problems)
    return [spec for _n, spec in parsed]


def _flowcharts(agency, rows, problems) -> list[dict]:
    def one(row):
        nexts = []
        for part in re.split(r"[、,，；;\s]+", row.get("下一步", "").strip()):
            if not part:
                continue
            target, _sep, label = part.partition(":") if ":" in part else part.partition("：")
            nexts.append((target.strip(), label.strip()[:50]))
        procedure = _optional(row, "程序类别")
        return {
            "chart": _code(row, "流程图编码"),
            "title": _optional(row, "流程图名称", 200),
            "procedure": _choice(procedure, ProcedureKind, "程序类别") if procedure else "",
            "description": _optional(row, "流程图说明", 2000),
            "key": _code(row, "步骤编码"),
            "label": _required(row, "步骤名称", 100),
            "kind": _choice(row.get("步骤类型", "") or "步骤", StepKind, "步骤类型"),
            "note": _optional(row, "步骤说明", 200),
            "next": nexts,
        }

    parsed = _each(rows, problems, one)
    charts: dict[str, dict] = {}
    for number, spec in parsed:
        chart = charts.get(spec["chart"])
        if chart is None:
            if not spec["title"] or not spec["procedure"]:
                problems.add(
                    number, _("流程图“%(code)s”的第一行须填写流程图名称和程序类别") % {"code": spec["chart"]}
                )
            chart = charts[spec["chart"]] = {
                "code": spec["chart"],
                "title": spec["title"],
                "procedure": spec["procedure"],
                "description": spec["description"],
                "steps": [],
                "arrows": [],
                "rows": {},
            }
        else:
            for key in ("title", "procedure", "description"):
                if spec[key] and spec[key] != chart[key]:
                    problems.add(
                        number,
                        _("流程图“%(code)s”的“%(column)s”与前面的行不一致")
                        % {"code": spec["chart"], "column": key_label(key)},
                    )
        if spec["key"] in chart["rows"]:
            problems.add(
                number,
                _("步骤编码“%(key)s”与第%(row)d行重复")
                % {"key": spec["key"], "row": chart["rows"][spec["key"]]},
            )
            continue
        chart["rows"][spec["key"]] = number
        chart["steps"].append(
            {"key": spec["key"], "label": spec["label"], "kind": spec["kind"], "note": spec["note"]}
        )
        for target, label in spec["next"]:
            chart["arrows"].append({"source": spec["key"], "target": target, "label": label, "row": number})
    for chart in charts.values():
        for arrow in chart["arrows"]:
            if arrow["target"] not in chart["rows"]:
                problems.add(
                    arrow.pop("row"),
                    _("下一步“%(key)s”不是流程图“%(code)s”中的步骤编码")
                    % {"key": arrow["target"], "code": chart["code"]},
                )
            else:
                arrow.pop("row")
        chart.pop("rows")
    return list(charts.values())

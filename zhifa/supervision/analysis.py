"""执法数据分析报告 (issue 16 item 5): one agency's figures for a quarter, half-year or year, compared with the period
before and between its units and items, with the weak points the declared rules find (``rules.weak_points``, their
thresholds in ``WeakPointRule``), each with its evidence (the figures and the link to the cases behind them) and a
proposed improvement.

``compose(agency, kind, year, number)`` reads the summary table (``figures``) and returns the report's content, kept
with the report (``AnalysisReport.data``) so that the page, the PDF and the DOCX say the same thing however the
figures change later. ``charts(data)`` draws its charts as PNG (matplotlib, with the documents' CJK font) for the PDF
and the DOCX; the page draws the same rows with ECharts.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode

from . import figures, rules
from .choices import PeriodKind

VERSION = 1

# The figures the report shows and compares, in order.
SHOWN = (
    "filed",
    "decided",
    "penalties",
    "fines",
    "hearings",
    "reviews",
    "review_problems",
    "deadlines_due",
    "overdue",
    "pub_due",
    "pub_on_time",
    "complaints",
    "complaints_on_time",
    "remedies",
    "corrected",
)
UNIT_COLUMNS = (
    "filed",
    "decided",
    "fines",
    "reviews",
    "review_problems",
    "deadlines_due",
    "overdue",
    "corrected",
)


def bounds(kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    if kind == PeriodKind.QUARTER:
        first = dt.date(year, 3 * number - 2, 1)
        return first, figures.month_end(figures.add_months(first, 2))
    if kind == PeriodKind.HALF:
        first = dt.date(year, 6 * number - 5, 1)
        return first, figures.month_end(figures.add_months(first, 5))
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def valid(kind: str, number: int) -> bool:
    return {PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}.get(kind, 0) >= number >= 1


def previous(kind: str, year: int, number: int) -> tuple[int, int]:
    if number > 1:
        return year, number - 1
    return year - 1, {PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}[kind]


def title(kind: str, year: int, number: int) -> str:
    if kind == PeriodKind.QUARTER:
        return f"{year}年第{'一二三四'[number - 1]}季度"
    if kind == PeriodKind.HALF:
        return f"{year}年{'上下'[number - 1]}半年"
    return f"{year}年度"


def last_ended(today: dt.date) -> list[tuple[str, int, int]]:
    """The latest ended quarter, and the half-year and year if they ended with it."""
    month = today.month
    year, quarter = (today.year, (month - 1) // 3) if month > 3 else (today.year - 1, 4)
    periods = [(PeriodKind.QUARTER, year, quarter)]
    if quarter in (2, 4):
        periods.append((PeriodKind.HALF, year, quarter // 2))
    if quarter == 4:
        periods.append((PeriodKind.YEAR, year, 1))
    return periods


def _settings() -> dict[str, tuple[float, int]]:
    from .models import WeakPointRule

    return {r.code: (float(r.threshold), r.minimum) for r in WeakPointRule.objects.filter(active=True)}


def compose(agency, kind: str, year: int, number: int) -> dict:
    """The report's content from the summary table (the caller counts the two periods first)."""
    from zhifa.catalog.models import EnforcementItem
    from zhifa.org.models import Unit

    from .models import WeakPointRule

    start, end = bounds(kind, year, number)
    p_year, p_number = previous(kind, year, number)
    p_start, p_end = bounds(kind, p_year, p_number)
    key = (agency.pk, "")
    current = figures.totals([agency.pk], start, end).get(key, {})
    before = figures.totals([agency.pk], p_start, p_end).get(key, {})
    units = {m: v for (_a, m), v in figures.totals([agency.pk], start, end, figures.UNIT).items()}
    items = {m: v for (_a, m), v in figures.totals([agency.pk], start, end, figures.ITEM).items()}
    unit_names = {
        str(pk): name
        for pk, name in Unit.objects.filter(pk__in=[int(m) for m in units if m.isdigit()]).values_list(
            "pk", "name"
        )
    }
    item_names = dict(
        EnforcementItem.objects.filter(agency=agency, code__in=list(items)).values_list("code", "name")
    )
    from zhifa.records import access

    flags = access.flags([agency.pk], since=start, until=end)
    points = rules.weak_points(current, before, units, items, _settings(), flags)
    names = {"unit": unit_names, "item": item_names}
    rule_rows = {r.code: r for r in WeakPointRule.objects.all()}
    weak = []
    for point in points:
        rule = rule_rows[point["rule"]]
        member = point["member"]
        subject = (
            agency.name
            if point["dimension"] == "all"
            else names[point["dimension"]].get(member) or member or "（未指定承办机构）"
        )
        weak.append(
            {
                **point,
                "name": rule.name,
                "subject": subject,
                "evidence": describe(point, subject),
                "proposal": rule.proposal,
                "basis": rule.basis,
                "link": _drill(agency, point, start, end),
            }
        )
    monthly = figures.monthly([agency.pk], start, end, ["decided", "filed", "overdue"])
    return {
        "version": VERSION,
        "title": f"{agency.name}{title(kind, year, number)}执法数据分析报告",
        "period": title(kind, year, number),
        "previous_period": title(kind, p_year, p_number),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "current": current,
        "previous": before,
        "units": sorted(
            ([unit_names.get(m) or "（未指定承办机构）", m, v] for m, v in units.items()), key=lambda r: r[0]
        ),
        "items": sorted(
            ([f"{m} {item_names.get(m, '')}".strip(), m, v] for m, v in items.items()),
            key=lambda r: (-(r[2].get("decided") or 0), r[0]),
        )[:15],
        "monthly": [[f"{m:%Y-%m}", monthly[m]] for m in sorted(monthly)],
        "weak_points": weak,
        "rules": [[r.name, str(r.threshold), r.unit, r.minimum] for r in rule_rows.values() if r.active],
    }


def _drill(agency, point, start, end) -> str:
    if point["rule"] == "access_anomalies":  # the access log of the period, with its flags
        return f"{reverse('records:access_log')}?{urlencode({'since': start.isoformat(), 'until': end.isoformat()})}"
    measure = figures.MEASURES.get(point["measure"])
    if measure is None or not measure.drill:
        return ""
    query = {
        "agency": agency.pk,
        "key": point["measure"],
        "first": f"{start:%Y-%m}",
        "last": f"{end:%Y-%m}",
        "dimension": point["dimension"],
        "member": point["member"],
    }
    return f"{reverse('supervision:figure_cases')}?{urlencode(query)}"


def _p(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def describe(point: dict, subject: str) -> str:
    """The evidence of a weak point in a sentence (the report's content, in Chinese)."""
    v = point["values"]
    rule = point["rule"]
    if rule == "unit_overdue":
        return (
            f"{subject}到期的办案期限 {v['due']} 个，超期 {v['count']} 个，超期率 {_p(v['rate'])}，"
            f"本机关为 {_p(v['agency_rate'])}。"
        )
    if rule == "unit_correction":
        return (
            f"{subject}作出决定 {v['decided']} 件，经复议或诉讼被纠错 {v['count']} 件，被纠错率 {_p(v['rate'])}，"
            f"本机关为 {_p(v['agency_rate'])}。"
        )
    if rule == "item_review_problems":
        return f"“{subject}”法制审核 {v['reviews']} 次，存在问题 {v['count']} 次，问题率 {_p(v['rate'])}。"
    if rule == "late_publication":
        return f"应公开的决定 {v['due']} 件，按期公开 {v['on_time']} 件，按期公开率 {_p(v['rate'])}。"
    if rule == "late_complaints":
        return f"投诉举报 {v['count']} 件，按期答复 {v['on_time']} 件，按期答复率 {_p(v['rate'])}。"
    if rule == "overdue_rising":
        return f"超期率 {_p(v['rate'])}，上期为 {_p(v['previous_rate'])}。"
    if rule == "av_incomplete":
        return (
            f"音像记录事项清单列明的执法环节 {v['due']} 个，音像记录完整 {v['on_time']} 个，"
            f"完整率 {_p(v['rate'])}。"
        )
    if rule == "access_anomalies":
        what = {"outside_unit": "调阅本承办机构以外的案件", "burst": "短时间内大量调阅证据"}
        people = "；".join(
            f"{f['person']}（{what.get(f['what'], f['what'])} {f['count']} 次）" for f in v["flags"]
        )
        return f"{v['people']} 人调阅异常：{people}。"
    return ""


def rows_for(values: dict) -> dict:
    """A period's figures as shown: money in yuan and the rates."""
    return figures.shown(values)


def comparison(data: dict) -> list[dict]:
    """[{label, current, previous, change}] of the report's figures and rates."""
    labels = {k: m.label for k, m in figures.MEASURES.items()} | {k: lab for k, _n, _d, lab in figures.RATES}
    now, before = rows_for(data["current"]), rows_for(data["previous"])
    out = []
    for key in (*SHOWN, *(k for k, _n, _d, _l in figures.RATES)):
        a, b = now.get(key), before.get(key)
        change = None
        if a is not None and b is not None:
            change = a - b
            if isinstance(change, Decimal):
                change = change.quantize(Decimal("0.01"))
            elif isinstance(change, float):
                change = round(change, 1)
        out.append(
            {
                "key": key,
                "label": labels[key],
                "current": a,
                "previous": b,
                "change": change,
                "rate": key.endswith("_rate"),
            }
        )
    return out


def unit_table(data: dict) -> list[dict]:
    return [{"name": name, "values": rows_for(values)} for name, _m, values in data["units"]]


def item_table(data: dict) -> list[dict]:
    return [{"name": name, "values": rows_for(values)} for name, _m, values in data["items"]]


def charts(data: dict) -> list[tuple[str, str]]:
    """(title, PNG as a data URI) of the report's charts, for the PDF and the DOCX."""
    out = []
    months = data["monthly"]
    if months:
        out.append(
            (
                "每月立案与作出决定",
                _bars(
                    [m for m, _v in months],
                    [
                        ("立案", [v.get("filed", 0) for _m, v in months]),
                        ("作出决定", [v.get("decided", 0) for _m, v in months]),
                    ],
                ),
            )
        )
    units = [(name, figures.shown(v)) for name, _m, v in data["units"]]
    if units:
        out.append(
            (
                "各承办机构超期率与被纠错率（%）",
                _bars(
                    [n for n, _v in units],
                    [
                        ("超期率", [v["overdue_rate"] or 0 for _n, v in units]),
                        ("被纠错率", [v["correction_rate"] or 0 for _n, v in units]),
                    ],
                ),
            )
        )
    return out


def _bars(labels, series) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    from zhifa.records import conf as records_conf

    font = font_manager.FontProperties(fname=records_conf.seal_font())
    fig, ax = plt.subplots(figsize=(7, 2.8), dpi=150)
    width = 0.8 / max(1, len(series))
    colours = ("#1f5f99", "#b3261e", "#6b8e23")
    for i, (name, values) in enumerate(series):
        xs = [x + i * width for x in range(len(labels))]
        ax.bar(xs, values, width=width, label=name, color=colours[i % len(colours)])
    ax.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(labels))])
    ax.set_xticklabels(labels, fontproperties=font, fontsize=7, rotation=30 if len(labels) > 6 else 0)
    ax.legend(prop=font, fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    for label in ax.get_yticklabels():
        label.set_fontproperties(font)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()

"""考核 (issue 16 item 7): the agencies a supervisor supervises and their units ranked for a period by weighted
indicators (``Indicator``: rates of the figures and the average 案卷评查 score; ``rules.indicator_score``), to encourage
the best and spur the last (鼓励先进、鞭策落后). A supervisor publishes a ranking; it is kept as computed then and seen by
the heads of the agencies ranked."""

from __future__ import annotations

from django.db.models import Avg, Count

from . import analysis, figures, rules


def _indicators():
    from .models import Indicator

    return list(Indicator.objects.filter(active=True))


def _evaluation_scores(agency_ids, start, end) -> tuple[dict, dict]:
    """The average score of the 案卷评查 files graded in the period: {agency id: avg}, {(agency id, unit id): avg}."""
    from .models import EvaluationFile

    rows = (
        EvaluationFile.objects.filter(
            case__agency_id__in=agency_ids, finished_at__date__range=(start, end), score__isnull=False
        )
        .values_list("case__agency_id", "case__unit_id")
        .annotate(avg=Avg("score"), n=Count("pk"))
        .order_by()
    )
    by_agency: dict[int, list] = {}
    by_unit: dict[tuple[int, str], float] = {}
    for agency_id, unit_id, avg, n in rows:
        by_unit[(agency_id, str(unit_id or ""))] = round(float(avg), 1)
        by_agency.setdefault(agency_id, []).append((float(avg), n))
    return (
        {
            a: round(sum(avg * n for avg, n in parts) / sum(n for _a, n in parts), 1)
            for a, parts in by_agency.items()
        },
        by_unit,
    )


def compute(agency_ids, kind: str, year: int, number: int) -> dict:
    """The ranking's content: the indicators, and the agencies and units with their values, scores and ranks."""
    from zhifa.org.models import Agency, Unit

    start, end = analysis.bounds(kind, year, number)
    indicators = _indicators()
    spec = [(i.source, i.weight, i.higher_better) for i in indicators]
    agency_scores, unit_scores = _evaluation_scores(agency_ids, start, end)
    names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))

    def row(values: dict, evaluation: float | None) -> dict:
        shown = figures.shown(values)
        found = {key: shown[key] for key, _n, _d, _l in figures.RATES}
        found["evaluation_score"] = evaluation
        return {
            "values": [found.get(i.source) for i in indicators],
            "score": rules.indicator_score(found, spec),
            "cases": values.get("decided") or 0,
        }

    totals = figures.totals(agency_ids, start, end)
    agencies = {
        a: {"name": names.get(a, ""), **row(totals.get((a, ""), {}), agency_scores.get(a))} for a in names
    }
    unit_totals = figures.totals(agency_ids, start, end, figures.UNIT)
    unit_names = dict(
        Unit.objects.filter(pk__in=[int(m) for _a, m in unit_totals if m.isdigit()]).values_list("pk", "name")
    )
    units = {
        (a, m): {
            "name": f"{names.get(a, '')} · {unit_names.get(int(m), m) if m.isdigit() else '（未指定承办机构）'}",
            **row(values, unit_scores.get((a, m))),
        }
        for (a, m), values in unit_totals.items()
    }
    for table in (agencies, units):
        for key, rank in rules.ranks({k: v["score"] for k, v in table.items()}).items():
            table[key]["rank"] = rank
    order = lambda r: (r["rank"] is None, r["rank"] or 0, r["name"])  # noqa: E731
    return {
        "title": f"{analysis.title(kind, year, number)}行政执法考核排名",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "indicators": [[i.name, i.weight, i.higher_better] for i in indicators],
        "agencies": sorted(agencies.values(), key=order),
        "units": sorted(units.values(), key=order),
    }

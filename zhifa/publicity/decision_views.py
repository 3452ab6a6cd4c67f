"""The portal's published decisions (事后公开, issue 15 item 5): search and filters, each decision's page with its
summary, public text and ledger proof, the proof bundle for the offline check, and the list as open data.

Public: no login; only publications 已公开 are listed, and a 已撤回 one keeps its page with the withdrawal notice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import DateField, ExpressionWrapper, F, Value
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zhifa.cases.choices import ActKind, Outcome, PenaltyKind
from zhifa.org.models import Agency

from . import queries, search
from .choices import PublicationKind, PublicationState
from .models import Publication

PAGE_SIZE = 20
# The list counts at most this many matches (a word every decision holds would otherwise count a million rows on
# every page); beyond it the page says "more than" and the visitor narrows the search.
COUNT_CAP = 2_000
# A search by words counts fewer (measured at 1,000,000 decisions, docs/publication.md 检索): when most decisions
# hold the words, counting means testing each decision's word array in turn (20–30 µs a decision), 45–65 ms for
# 2,000; 500 cost a quarter of that. Past it the page says "more than 500" and the visitor narrows the search.
SEARCH_COUNT_CAP = 500
# PostgreSQL: a search either fetches all its matches by the word index and sorts them by date (about one heap read
# each), or walks the date index testing each decision's word array until the page is full (PAGE_SIZE / share of
# decisions matching, each test about this many times a fetch: 22–35 µs against 3–5 µs, measured at 1,000,000,
# docs/publication.md 检索). Sorting wins while matches² ≤ PAGE_SIZE × published × this: up to about 12,000 matches
# among a million decisions, 3,700 among 100,000.
WALK_TEST_COST = 7
# ... and at most this many it reads once, as ids and dates, and sorts itself (page_of).
FETCH_MATCHES = 2_000
# A full page of a selection the planner expects to be this many times the cap or more is shown as "more than the
# cap" without counting (PeekingPaginator): the count to the cap tests up to cap + 1 rows (a penalty kind held by a
# fifth of a million decisions: about 14 ms of its 17; a common word: about 11 ms, docs/publication.md 检索).
BEYOND = 10
OPEN_DATA_LIMIT = 1000
SORTS = {"new": ("-decided_on", "-id"), "old": ("decided_on", "id")}


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filtered(params) -> tuple[object, dict, list[str]]:
    """The published decisions the query and filters select (in the database, from the index), the filters as
    read, and the problems with them (shown to the visitor; a bad filter is dropped, never an error page)."""
    problems: list[str] = []
    f = {
        "q": (params.get("q") or "").strip()[:200],
        "agency": params.get("org") or "",
        "kind": params.get("kind") or "",
        "act": params.get("act") or "",
        "penalty": params.get("penalty") or "",
        "item": (params.get("item") or "").strip()[:60],
        "from": params.get("from") or "",
        "to": params.get("to") or "",
        "sort": params.get("sort") if params.get("sort") in SORTS else "new",
    }
    qs = Publication.objects.filter(state=PublicationState.PUBLISHED)
    if f["agency"]:
        agency = Agency.objects.filter(code=f["agency"]).first()
        if agency is None:
            problems.append(_("没有这个执法主体。"))
            f["agency"] = ""
        else:
            qs = qs.filter(agency=agency)
    words = search.query_words(f["q"]) if f["q"] else []
    if f["q"] and not words:
        problems.append(_("检索词中没有可以检索的文字。"))
    if f["kind"] in PublicationKind.values:
        words.append(search.tag("kind", f["kind"]))
    else:
        f["kind"] = ""
    if f["act"] in ActKind.values:  # 执法行为: a filter word like the others (search.tags)
        words.append(search.tag("act", f["act"]))
    else:
        f["act"] = ""
    if f["penalty"] in PenaltyKind.values:
        words.append(search.tag("pk", f["penalty"]))
    else:
        f["penalty"] = ""
    if f["item"]:
        words.append(search.tag("item", f["item"]))
    for key, op in (("from", "gte"), ("to", "lte")):
        if f[key]:
            day = _date(f[key])
            if day is None:
                problems.append(_("日期格式应为 年-月-日，如 2026-01-31。"))
                f[key] = ""
            else:
                qs = qs.filter(**{f"decided_on__{op}": day})
    qs = search.matching(qs, words)
    return qs.order_by(*SORTS[f["sort"]]), f, problems


class CappedPaginator(Paginator):
    """Counts at most ``cap + 1`` rows (a bounded subquery), so no page costs a full count."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class PeekingPaginator(CappedPaginator):
    """A ``CappedPaginator`` that reads the page first (one row more than a page) and counts only when it must:
    a page that is not full is the last one, so the count is known from it; a full page of a selection the planner
    expects to hold more than ``BEYOND`` times the cap (``beyond``, PostgreSQL) says "more than the cap" without
    counting. Otherwise (SQLite, or an estimate near the cap) it counts to the cap as before. A page past the end
    (an edited address) counts and shows the last page, as Django's paginator does."""

    def __init__(self, object_list, per_page, *, cap: int, beyond=None):
        super().__init__(object_list, per_page, cap=cap)
        self.beyond = beyond
        self._peeked: tuple[int, list] | None = None

    def get_page(self, number):
        try:
            n = int(number)
        except (TypeError, ValueError):
            n = 1  # Django's paginator shows the first page
        bottom = (n - 1) * self.per_page
        if n >= 1 and bottom <= self.cap:  # a page the count can reach (below 1: Django shows the last page)
            rows = list(self.object_list[bottom : bottom + self.per_page + 1])
            self._peeked = (bottom, rows)
            if len(rows) <= self.per_page and (rows or n == 1):
                self.__dict__["count"] = min(bottom + len(rows), self.cap + 1)
            elif len(rows) > self.per_page and self.beyond is not None and self.beyond():
                self.__dict__["count"] = self.cap + 1
        return super().get_page(number)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if self._peeked is not None and self._peeked[0] == bottom:
            rows = self._peeked[1][: top - bottom]
        else:
            rows = self.object_list[bottom:top]
        return self._get_page(rows, number, self)


class SortedMatchesPaginator(CappedPaginator):
    """The matches of a search fetched once by the word index as (id, date) and sorted here; a page's rows are then
    read by id. ``matches``: the ids in page order."""

    def __init__(self, qs, matches: list[int], per_page, *, cap: int):
        super().__init__(matches, per_page, cap=cap)
        self.rows = qs

    @cached_property
    def count(self) -> int:
        return min(len(self.object_list), self.cap + 1)

    def page(self, number):
        page = super().page(number)
        ids = list(page.object_list)
        by_id = {p.pk: p for p in self.rows.order_by().filter(pk__in=ids)}
        page.object_list = [by_id[pk] for pk in ids if pk in by_id]
        return page


# Sorting matches by an expression no index provides, so that PostgreSQL fetches them by the word index and sorts
# them instead of walking the date index.
BY_WORD_INDEX = {
    "new": (ExpressionWrapper(F("decided_on") + Value(0), output_field=DateField()).desc(), "-id"),
    "old": (ExpressionWrapper(F("decided_on") + Value(0), output_field=DateField()).asc(), "id"),
}


def beyond_cap(expected: int, cap: int) -> bool:
    """Does the planner expect so many more matches than the cap (``BEYOND`` times) that counting to the cap would
    only confirm "more than the cap"? Its estimates come from the word arrays' statistics (10,000 most common words,
    migration 0012) and the columns' histograms: for one word or filter they are within a small factor; for several
    words it assumes they are independent, which for the characters of one name underestimates (then it counts)."""
    return expected > BEYOND * cap


def capped_page(qs, per_page: int, number, *, cap: int | None = None):
    """Page ``number`` of ``qs`` counted to ``cap`` only when the page cannot tell (PeekingPaginator; on PostgreSQL
    a full page of a selection the planner expects far past the cap is "more than the cap" without counting)."""
    cap = COUNT_CAP if cap is None else cap
    beyond = None
    if connection.vendor == "postgresql":
        beyond = lambda: beyond_cap(search.estimated_rows(qs), cap)  # noqa: E731
    return PeekingPaginator(qs, per_page, cap=cap, beyond=beyond).get_page(number)


def sorting_beats_walking(matches: int, published: int) -> bool:
    """Fetch every match by the word index and sort (one read each) rather than walk the date index testing
    decisions until a page is full (PAGE_SIZE × published / matches tests, each ``WALK_TEST_COST`` reads)?"""
    return matches * matches <= PAGE_SIZE * published * WALK_TEST_COST


def page_of(qs, f: dict, number):
    """The page ``number`` of the selected decisions (the portal's list, the API, the benchmark).

    On PostgreSQL the plan of a search follows how many decisions the planner expects to match (from the word arrays'
    statistics; ``search.estimated_rows``, planning only):
    - at most ``FETCH_MATCHES``: the matches are read once by the word index as ids and dates and sorted here — that
      is also the count — and the page's rows read by id;
    - while fetching them all costs less than walking the date index to fill the page (``WALK_TEST_COST``): counted
      (to the cap) and fetched by the word index, sorted by the database;
    - more (a word many decisions hold): the date index is walked, which fills a page after a few rows.
    Walking the date index for rarer words tests decision after decision's stored word array (20–40 µs each) until a
    page is full: 140 ms for a name one decision in a hundred holds, 1.1 s for a document number (measured,
    docs/publication.md 检索).
    The page is read before any count (PeekingPaginator): a page that is not full gives the count, and a full page of
    a selection expected at ``BEYOND`` times the cap or more says "more than the cap" without counting."""
    cap = SEARCH_COUNT_CAP if f["q"] else COUNT_CAP
    if not (f["q"] and connection.vendor == "postgresql"):
        return capped_page(qs, PAGE_SIZE, number, cap=cap)
    expected = search.estimated_rows(qs)
    if expected <= FETCH_MATCHES:
        found = list(qs.order_by().values_list("pk", "decided_on")[: FETCH_MATCHES + 1])
        if len(found) <= FETCH_MATCHES:
            found.sort(key=lambda row: (row[1], row[0]), reverse=f["sort"] == "new")
            return SortedMatchesPaginator(qs, [pk for pk, _day in found], PAGE_SIZE, cap=cap).get_page(number)
    paginator = PeekingPaginator(qs, PAGE_SIZE, cap=cap, beyond=lambda: beyond_cap(expected, cap))
    published = search.estimated_rows(Publication.objects.filter(state=PublicationState.PUBLISHED))
    if sorting_beats_walking(expected, published):
        paginator.object_list = qs.order_by(*BY_WORD_INDEX[f["sort"]])
    return paginator.get_page(number)


def _context(request, **extra):
    from .views import _context as portal_context

    agency = queries.portal_agency(request.GET.get("agency"))
    return portal_context(request, agency, **extra)


def _rows(publications):
    return [{"p": p, "s": p.summary or {}, "labels": _labels(p.summary or {})} for p in publications]


@require_safe
def decisions(request):
    qs, f, problems = filtered(request.GET)
    page = page_of(
        qs.only("id", "agency_id", "kind", "decided_on", "summary", "released_at"), f, request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "publicity/decisions.html",
        _context(
            request,
            page=page,
            rows=_rows(page.object_list),
            f=f,
            problems=problems,
            query=query.urlencode(),
            agencies_all=list(Agency.objects.order_by("code").only("code", "name")),
            capped=page.paginator.capped,
            cap=page.paginator.cap,
            kinds=PublicationKind.choices,
            acts=ActKind.choices,
            penalties=PenaltyKind.choices,
        ),
    )


def public_decision(pk: int) -> Publication:
    """A published decision, or a withdrawn one (its page keeps the notice and the reason); else 404."""
    publication = (
        Publication.objects.filter(pk=pk, state__in=Publication.PUBLIC_STATES)
        .select_related("agency")
        .first()
    )
    if publication is None:
        raise Http404
    return publication


def _labels(summary: dict) -> dict:
    return {
        "act": dict(ActKind.choices).get(summary.get("act") or ActKind.PENALTY, ""),
        "outcome": dict(Outcome.choices).get(summary.get("outcome", ""), ""),
        "penalties": [dict(PenaltyKind.choices).get(k, k) for k in summary.get("penalty_kinds", [])],
    }


def _log_for_script(agency) -> list[dict]:
    from zhifa.ledger import keys
    from zhifa.ledger import queries as ledger_queries

    log = ledger_queries.public_logs().filter(agency=agency).first()
    if log is None:
        return []
    return [
        {
            "code": agency.code,
            "agency": agency.name,
            "origin": log.origin,
            "vkey": keys.public_key(log).vkey(),
            "checkpoint_url": reverse("ledger:public_checkpoint", args=[agency.code]),
            "proof_url": reverse("ledger-log-inclusion-proof", args=[agency.code]),
        }
    ]


@require_safe
def decision(request, pk):
    from zhifa.ledger.views import _check_words

    publication = public_decision(pk)
    summary = publication.summary or {}
    words = {
        **_check_words(),
        "text_matches": _("页面上的公开文本与账本中批准公开时记下的文本一致（SHA-256 %(hash)s…）。"),
        "text_differs": _("页面上的公开文本与账本中批准公开时记下的文本不一致：页面被改动。"),
        "no_release": _("证明包中没有批准公开的记录。"),
        "not_yet": _("批准公开的记录还没有被签入检查点（系统定期签署），请稍后再核验。"),
    }
    return render(
        request,
        "publicity/decision.html",
        _context(
            request,
            p=publication,
            s=summary,
            labels=_labels(summary),
            withdrawn=publication.state == PublicationState.WITHDRAWN,
            words=words,
            logs_json=_log_for_script(publication.agency),
            check={"id": publication.pk, "proof_url": reverse("publicity:decision_proof", args=[pk])},
        ),
    )


@require_safe
def decision_proof(request, pk):
    """The publication's ledger entries with their inclusion proofs and the agency's signed checkpoint (the
    offline verifier's bundle format). Every entry of a publication holds only public text (the removals are
    offsets, the text is the public one), so the bundle may be public. An entry not yet under a signed checkpoint
    is left out (``pending``); the periodic checkpoint covers it within minutes."""
    from zhifa.ledger import bundles

    publication = public_decision(pk)
    bundle = bundles.build(
        "publicity.publication", str(publication.pk), agency=publication.agency, sign=False
    )
    response = JsonResponse(bundle, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="decision-{publication.pk}-proof.json"'
    return response


PDF_CACHE_SECONDS = 30 * 24 * 3600


@require_safe
def decision_pdf(request, pk):
    """The public text as a PDF marked 公开版 (never the sealed original, which holds what was removed). Rendered
    once per public text and kept in the shared cache under the text's SHA-256."""
    from django.core.cache import cache
    from django.template.loader import render_to_string

    from zhifa.records import render as records_render

    publication = public_decision(pk)
    if publication.state != PublicationState.PUBLISHED:
        raise Http404
    name = f"portal:decision-pdf:{publication.pk}:{publication.text_sha256}"
    data = cache.get(name)
    if data is None:
        html_text = render_to_string(
            "publicity/public_decision_pdf.html",
            {
                "p": publication,
                "s": publication.summary or {},
                "lines": publication.text.splitlines(),
                "url": request.build_absolute_uri(reverse("publicity:decision", args=[pk])),
            },
        )
        data, _box = records_render.pdf(html_text)
        cache.set(name, data, PDF_CACHE_SECONDS)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{publication.pk}-public.pdf"'
    return response


OPEN_DATA_FIELDS = (
    "id",
    "number",
    "agency",
    "party",
    "credit_code",
    "cause",
    "act",
    "outcome",
    "measure",
    "penalty_kinds",
    "fine",
    "confiscation",
    "basis",
    "decided_on",
    "released_at",
    "url",
)


def _open_rows(request, qs):
    for p in qs[:OPEN_DATA_LIMIT]:
        s = p.summary or {}
        yield {
            "id": p.pk,
            "number": s.get("number", ""),
            "agency": s.get("agency", ""),
            "party": s.get("party", ""),
            "credit_code": s.get("credit_code", ""),
            "cause": s.get("cause", ""),
            "act": s.get("act") or ActKind.PENALTY,
            "outcome": s.get("outcome", ""),
            "measure": s.get("measure", ""),
            "penalty_kinds": s.get("penalty_kinds", []),
            "fine": s.get("fine", ""),
            "confiscation": s.get("confiscation", ""),
            "basis": s.get("basis", ""),
            "decided_on": p.decided_on.isoformat(),
            "released_at": p.released_at.isoformat() if p.released_at else "",
            "url": request.build_absolute_uri(reverse("publicity:decision", args=[p.pk])),
        }


@require_safe
def decisions_export(request, fmt):
    """The selected decisions (at most ``OPEN_DATA_LIMIT``, newest first) as CSV or JSON open data: the summary
    fields, without the text (each row links to its page)."""
    if fmt not in ("csv", "json"):
        raise Http404
    qs, _f, _problems = filtered(request.GET)
    rows = list(_open_rows(request, qs.only("id", "decided_on", "released_at", "summary")))
    if fmt == "json":
        response = JsonResponse(
            {"count": len(rows), "results": rows}, json_dumps_params={"ensure_ascii": False}
        )
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=OPEN_DATA_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "penalty_kinds": "、".join(row["penalty_kinds"])})
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decisions.{fmt}"'
    return response


# 年度统计 on the portal -------------------------------------------------------------------------------------------


def _published_report(pk: int):
    from .models import AnnualReport

    report = (
        AnnualReport.objects.filter(pk=pk, state=AnnualReport.State.PUBLISHED)
        .select_related("agency")
        .first()
    )
    if report is None:
        raise Http404
    return report


@require_safe
def statistics_list(request):
    from .models import AnnualReport

    reports = (
        AnnualReport.objects.filter(state=AnnualReport.State.PUBLISHED)
        .select_related("agency")
        .order_by("-year", "agency__code")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "publicity/statistics.html", _context(request, page=page))


@require_safe
def statistics_detail(request, pk):
    from . import statistics

    report = _published_report(pk)
    tables = statistics.labelled(report.data)
    return render(
        request,
        "publicity/statistics_detail.html",
        _context(
            request,
            report=report,
            tables=tables,
            chart_data=[{"key": t["key"], "title": t["title"], "rows": t["rows"]} for t in tables],
            amounts=report.data.get("amounts", {}),
        ),
    )


@require_safe
def statistics_csv(request, pk):
    from . import statistics

    report = _published_report(pk)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in statistics.csv_rows(report.data):
        writer.writerow(row)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statistics-{report.agency.code}-{report.year}.csv"'
    )
    return response

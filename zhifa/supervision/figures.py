"""执法统计 (issue 16 item 4): an agency's enforcement counted by month, by unit, by enforcement item and by officer,
kept in a summary table (``Tally``) so that a dashboard over any period and any set of agencies reads a few thousand
rows, not the cases.

Each measure is declared once in ``MEASURES``, with the date that places it in a month; ``build(agency, first, last)``
recounts every measure for the months from ``first`` to ``last`` from the agency's records and replaces those months'
rows. The daily task rebuilds the last ``REBUILD_MONTHS`` months of every agency (an outcome of 复议 or 诉讼 reached
years after the decision changes the month of that decision: 被纠错 is counted in the month the decision was made);
``zhifa supervision figures`` rebuilds any range. The cases behind a number are listed by ``cases_for`` with the
same definitions (drill-down).

The rates the pages show are ratios of two measures (``RATES``): 法制审核问题率, 按期公开率, 期限超期率, 投诉举报按期答复率
and 被纠错率 (decisions made in the period that a 复议 or 诉讼 changed, annulled or found unlawful or void, over decisions
made in the period; 行政复议法 arts. 63–67, 行政诉讼法 arts. 70–77 — ``remedies.rules.CHANGING``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.core import memo

REBUILD_MONTHS = 36

# The dimensions a measure is counted by: every agency's total, its units, its enforcement items, its officers.
ALL, UNIT, ITEM, OFFICER = "all", "unit", "item", "officer"
DIMENSIONS = {
    ALL: _("执法主体"),
    UNIT: _("承办机构"),
    ITEM: _("执法事项"),
    OFFICER: _("执法人员"),
}


@dataclass(frozen=True)
class Measure:
    key: str
    label: object
    dims: frozenset
    money: bool = False  # kept in fen (分), shown in yuan
    drill: bool = True  # the cases behind it can be listed


_CASE_DIMS = frozenset({ALL, UNIT, ITEM, OFFICER})
MEASURES = {
    m.key: m
    for m in (
        Measure("filed", _("立案"), _CASE_DIMS),
        Measure("decided", _("作出决定"), _CASE_DIMS),
        Measure("penalties", _("行政处罚决定"), _CASE_DIMS),
        Measure("fines", _("罚款金额（元）"), _CASE_DIMS, money=True),
        Measure("hearings", _("举行听证"), _CASE_DIMS),
        Measure("closed", _("结案"), _CASE_DIMS),
        Measure("reviews", _("法制审核"), frozenset({ALL, UNIT, ITEM})),
        Measure("review_problems", _("审核存在问题"), frozenset({ALL, UNIT, ITEM})),
        Measure("deadlines_due", _("到期的办案期限"), frozenset({ALL, UNIT, OFFICER}), drill=False),
        Measure("overdue", _("超期"), frozenset({ALL, UNIT, OFFICER}), drill=False),
        Measure("pub_due", _("应公开的决定"), frozenset({ALL, UNIT, ITEM})),
        Measure("pub_on_time", _("按期公开"), frozenset({ALL, UNIT, ITEM})),
        Measure("complaints", _("投诉举报"), frozenset({ALL}), drill=False),
        Measure("complaints_on_time", _("按期答复"), frozenset({ALL}), drill=False),
        Measure("remedies", _("复议诉讼审结"), frozenset({ALL, UNIT, ITEM})),
        Measure("remedies_changed", _("审结中纠错"), frozenset({ALL, UNIT, ITEM})),
        Measure("corrected", _("被纠错的决定"), _CASE_DIMS),
        Measure("av_due", _("应音像记录的执法环节"), frozenset({ALL, UNIT, ITEM, OFFICER}), drill=False),
        Measure("av_complete", _("音像记录完整"), frozenset({ALL, UNIT, ITEM, OFFICER}), drill=False),
    )
}

# (key, numerator, denominator, label): shown as a percentage where the denominator is not zero.
RATES = (
    ("review_problem_rate", "review_problems", "reviews", _("审核问题率")),
    ("overdue_rate", "overdue", "deadlines_due", _("超期率")),
    ("pub_on_time_rate", "pub_on_time", "pub_due", _("按期公开率")),
    ("complaint_on_time_rate", "complaints_on_time", "complaints", _("按期答复率")),
    ("correction_rate", "corrected", "decided", _("被纠错率")),
    ("av_complete_rate", "av_complete", "av_due", _("音像记录完整率")),
)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _local_day(value) -> dt.date:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


class _Counts:
    def __init__(self):
        self.rows: Counter = Counter()

    def add(self, key: str, day, value: int = 1, *, unit=None, items=(), officers=()) -> None:
        month = month_start(_local_day(day))
        dims = MEASURES[key].dims
        self.rows[(ALL, "", month, key)] += value
        if UNIT in dims:
            self.rows[(UNIT, str(unit or ""), month, key)] += value
        if ITEM in dims:
            for code in set(items or ()):
                self.rows[(ITEM, str(code), month, key)] += value
        if OFFICER in dims:
            for person in set(officers or ()):
                self.rows[(OFFICER, str(person), month, key)] += value


def _fen(amount) -> int:
    return int((Decimal(amount or 0) * 100).to_integral_value())


# What each case measure counts: the date field that places it in a month and the cases it counts (also the
# drill-down's definition).
def _case_measures():
    from zhifa.cases.choices import Outcome
    from zhifa.remedies.models import Proceeding
    from zhifa.remedies.rules import CHANGING

    corrected = Exists(Proceeding.objects.filter(case=OuterRef("pk"), outcome__in=CHANGING))
    return {
        "filed": ("filed_on", Q()),
        "decided": ("decided_on", ~Q(outcome="")),
        "penalties": ("decided_on", Q(outcome=Outcome.PENALTY)),
        "fines": ("decided_on", Q(outcome=Outcome.PENALTY, fine_amount__gt=0)),
        "hearings": ("hearing_on", Q()),
        "closed": ("closed_on", Q()),
        "corrected": ("decided_on", Q(corrected)),
    }


def count(agency, first: dt.date, last: dt.date, today: dt.date | None = None) -> Counter:
    """{(dimension, member, month, measure): value} for ``agency`` over the months ``first``..``last``."""
    from zhifa.cases.models import Case, CaseOfficer
    from zhifa.publicity.models import Complaint, ComplaintEvent, Publication
    from zhifa.publicity.rules import FINAL
    from zhifa.remedies.models import Proceeding
    from zhifa.review.models import Submission
    from zhifa.workdays import rules as wd_rules
    from zhifa.workdays.models import Deadline
    from zhifa.workdays.queries import current_calendar

    from .inspection import complaint_period

    today = today or timezone.localdate()
    start, end = month_start(first), month_end(month_start(last))
    c = _Counts()
    cases = Case.objects.filter(agency=agency)
    for key, (field, condition) in _case_measures().items():
        qs = cases.filter(condition, **{f"{field}__range": (start, end)})
        officers: dict[int, list[int]] = {}
        for case_id, person_id in CaseOfficer.objects.filter(case__in=qs.values("pk")).values_list(
            "case_id", "person_id"
        ):
            officers.setdefault(case_id, []).append(person_id)
        for pk, day, unit, items, fine in qs.values_list(
            "pk", field, "unit_id", "items", "fine_amount"
        ).iterator(chunk_size=5000):
            value = _fen(fine) if key == "fines" else 1
            c.add(key, day, value, unit=unit, items=items, officers=officers.get(pk, ()))
    for day, state, unit, items in (
        Submission.objects.filter(
            case__agency=agency, decided_at__date__range=(start, end), state__in=("approved", "problems")
        )
        .values_list("decided_at", "state", "case__unit_id", "case__items")
        .iterator(chunk_size=5000)
    ):
        c.add("reviews", day, unit=unit, items=items)
        if state == "problems":
            c.add("review_problems", day, unit=unit, items=items)
    for due, met, ended, unit, person in (
        Deadline.objects.filter(agency=agency, due__range=(start, end), kind__binds_party=False)
        .exclude(
            ended_on__isnull=False, met_on__isnull=True, ended_on__lte=F("due")
        )  # ended early (case ended)
        .values_list("due", "met_on", "ended_on", "responsible__unit_id", "responsible_id")
        .iterator(chunk_size=5000)
    ):
        if met is None and ended is None and due >= today:
            continue  # still running: not yet met or missed
        c.add("deadlines_due", due, unit=unit, officers=[person] if person else ())
        if (met or ended or today) > due:
            c.add("overdue", due, unit=unit, officers=[person] if person else ())
    for due, released, unit, items in (
        Publication.objects.filter(agency=agency, due_on__range=(start, end))
        .exclude(state="not_published")
        .values_list("due_on", "released_at", "case__unit_id", "case__items")
        .iterator(chunk_size=5000)
    ):
        released = _local_day(released) if released else None
        if released is None and due >= today:
            continue  # not yet due
        c.add("pub_due", due, unit=unit, items=items)
        if released is not None and released <= due:
            c.add("pub_on_time", due, unit=unit, items=items)
    period = complaint_period(agency)
    if period is not None:
        calendar = current_calendar()
        complaints = Complaint.objects.filter(agency=agency, submitted_at__date__range=(start, end))
        answered: dict[int, dt.date] = {}
        for cid, at in (
            ComplaintEvent.objects.filter(complaint__in=complaints, status__in=FINAL)
            .order_by("at")
            .values_list("complaint_id", "at")
        ):
            answered.setdefault(cid, _local_day(at))
        for cid, submitted in complaints.values_list("pk", "submitted_at"):
            day = _local_day(submitted)
            due = wd_rules.due_date(
                calendar, day, period.length, period.unit, period.direction, period.holiday_rule
            ).date
            done = answered.get(cid)
            if done is None and due >= today:
                continue
            c.add("complaints", day)
            if done is not None and done <= due:
                c.add("complaints_on_time", day)
    _count_av(c, agency, start, end)
    from zhifa.remedies.rules import CHANGING

    for day, outcome, unit, items in (
        Proceeding.objects.filter(agency=agency, decided_on__range=(start, end))
        .exclude(outcome="")
        .values_list("decided_on", "outcome", "case__unit_id", "case__items")
    ):
        c.add("remedies", day, unit=unit, items=items)
        if outcome in CHANGING:  # varied, annulled, found unlawful or void: in the month it was decided
            c.add("remedies_changed", day, unit=unit, items=items)
    return c.rows


@memo.page  # each version of the 音像记录事项清单 read once for all the records
def _count_av(c: _Counts, agency, start: dt.date, end: dt.date) -> None:
    """音像记录完整: the records of the period whose act the 音像记录事项清单 in force on their day names — 全程 ones
    complete with their recording, 根据情况 ones with their recording or the reason it was not made (the case page's
    and the 案卷评查's check, ``records.evidence.av_flags``), placed in the month of the record."""
    from django.db.models import BooleanField, Case, Value, When
    from django.db.models.fields.json import KT

    from zhifa.cases.models import CaseRecord
    from zhifa.records import rules as records_rules
    from zhifa.records.evidence import av_lists
    from zhifa.records.models import Evidence
    from zhifa.records.policy import settings_for

    acts = settings_for(agency.pk).record_acts
    in_force = av_lists(agency)
    records = CaseRecord.objects.filter(case__agency=agency, started_at__date__range=(start, end))
    recorded = set(
        Evidence.objects.filter(record__in=records.values("pk"), content_type__regex=r"^(audio|video)/")
        .values_list("record_id", flat=True)
        .distinct()
    )
    officers: dict[int, list[int]] = {}
    for record_id, person_id in CaseRecord.officers.through.objects.filter(
        caserecord__in=records.values("pk")
    ).values_list("caserecord_id", "person_id"):
        officers.setdefault(record_id, []).append(person_id)
    rows = records.annotate(
        act=KT("data__act_code"),
        room=Case(
            When(data__in_case_room=True, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        skip=KT("data__av_skip_reason"),
    ).values_list("pk", "kind", "act", "room", "skip", "started_at", "case__unit_id", "case__items")
    for pk, kind, act, room, skip, started, unit, items in rows.iterator(chunk_size=5000):
        act = records_rules.act_of(kind, {"act_code": act, "in_case_room": room}, acts)
        day = _local_day(started)
        req = in_force(day).get(act) if act else None
        if req is None:
            continue
        where = {"unit": unit, "items": items, "officers": officers.get(pk, ())}
        c.add("av_due", day, **where)
        if pk in recorded or (not req.mandatory and (skip or "").strip()):
            c.add("av_complete", day, **where)


@transaction.atomic
def build(agency, first: dt.date, last: dt.date, today: dt.date | None = None) -> int:
    """Recount the months ``first``..``last`` of ``agency`` into the summary table; returns the rows written."""
    from .models import FigureBuild, Tally

    first, last = month_start(first), month_start(last)
    rows = count(agency, first, last, today)
    Tally.objects.filter(agency=agency, month__range=(first, last)).delete()
    Tally.objects.bulk_create(
        [
            Tally(agency=agency, dimension=dim, member=member, month=month, key=key, value=value)
            for (dim, member, month, key), value in rows.items()
            if value
        ],
        batch_size=5000,
    )
    FigureBuild.objects.update_or_create(agency=agency, defaults={"built_at": timezone.now()})
    return len(rows)


def rebuild_recent(today: dt.date | None = None, months: int = REBUILD_MONTHS) -> int:
    """The daily task: the last ``months`` months of every agency, each agency in its own transaction."""
    from zhifa.org.models import Agency

    today = today or timezone.localdate()
    last = month_start(today)
    first = add_months(last, -(months - 1))
    rows = sum(build(agency, first, last, today) for agency in Agency.objects.order_by("pk"))
    tidy()
    return rows


def tidy() -> None:
    """After a rebuild (PostgreSQL): vacuum the summary table and refresh its statistics, so that the pages read
    their sums from the indexes alone (an index-only scan needs the pages marked all-visible) with plans made for
    its new size. Outside a transaction only (VACUUM cannot run inside one); SQLite has nothing to do."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) supervision_tally")


# Reading ----------------------------------------------------------------------------------------------------------


def totals(agency_ids, first: dt.date, last: dt.date, dimension: str = ALL) -> dict[tuple[int, str], dict]:
    """{(agency id, member): {measure: value}} summed over the months, from the summary table (one query)."""
    from .models import Tally

    out: dict[tuple[int, str], dict] = {}
    for agency_id, member, key, value in (
        Tally.objects.filter(
            agency_id__in=agency_ids,
            dimension=dimension,
            month__range=(month_start(first), month_start(last)),
        )
        .values_list("agency_id", "member", "key")
        .annotate(v=Sum("value"))
        .order_by()
    ):
        out.setdefault((agency_id, member), {})[key] = value
    return out


def _range(agency_ids, first: dt.date, last: dt.date, dimension: str):
    from .models import Tally

    return Tally.objects.filter(
        agency_id__in=agency_ids, dimension=dimension, month__range=(month_start(first), month_start(last))
    )


def member_page(
    agency_ids, first: dt.date, last: dt.date, dimension: str, *, after=None, before=None, size: int = 100
) -> tuple[list[tuple[int, str]], bool, bool]:
    """One page of the table's rows — (agency id, member), in that order — that have a figure in the months, cut by
    keyset: the ``size`` rows after the row ``after`` names, or before ``before``, or the first. Read from the index
    ``tally_members`` (dimension, agency, member, month) in its order, so a page of a province's 20,000 officers
    reads about its own rows, not every officer's. Returns (rows, whether more follow, whether some precede)."""
    qs = _range(agency_ids, first, last, dimension).values_list("agency_id", "member").distinct()
    mark = after or before
    if mark:
        agency, member = mark
        down = bool(before)
        lt, lte = ("lt", "lte") if down else ("gt", "gte")
        qs = qs.filter(
            Q(**{f"agency_id__{lte}": agency})
            & (Q(**{f"agency_id__{lt}": agency}) | Q(agency_id=agency, **{f"member__{lt}": member}))
        )
    if before:
        rows = list(qs.order_by("-agency_id", "-member")[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        if not more_before:  # the top of the list: a full first page
            return member_page(agency_ids, first, last, dimension, size=size)
        return rows, True, True
    rows = list(qs.order_by("agency_id", "member")[: size + 1])
    return rows[:size], len(rows) > size, bool(after)


def totals_of(agency_ids, first: dt.date, last: dt.date, dimension: str, keys) -> dict[tuple[int, str], dict]:
    """``totals`` of the rows ``keys`` ((agency id, member), a page of them) only."""
    keys = set(keys)
    if not keys:
        return {}
    out: dict[tuple[int, str], dict] = {}
    for agency_id, member, key, value in (
        _range({a for a, _m in keys} & set(agency_ids), first, last, dimension)
        .filter(member__in={m for _a, m in keys})
        .values_list("agency_id", "member", "key")
        .annotate(v=Sum("value"))
        .order_by()
    ):
        if (agency_id, member) in keys:
            out.setdefault((agency_id, member), {})[key] = value
    return out


def most(
    agency_ids, first: dt.date, last: dt.date, dimension: str, key: str, n: int
) -> list[tuple[int, str, int]]:
    """The ``n`` rows with the largest ``key`` over the months: [(agency id, member, value)] (index ``tally_key``)."""
    return [
        (agency_id, member, value)
        for agency_id, member, value in _range(agency_ids, first, last, dimension)
        .filter(key=key)
        .values_list("agency_id", "member")
        .annotate(v=Sum("value"))
        .filter(v__gt=0)
        .order_by("-v", "agency_id", "member")[:n]
    ]


def monthly(agency_ids, first: dt.date, last: dt.date, keys) -> dict[dt.date, dict]:
    """{month: {measure: value}} of the agencies' totals (one query)."""
    from .models import Tally

    out: dict[dt.date, dict] = {}
    for month, key, value in (
        Tally.objects.filter(
            agency_id__in=agency_ids,
            dimension=ALL,
            month__range=(month_start(first), month_start(last)),
            key__in=list(keys),
        )
        .values_list("month", "key")
        .annotate(v=Sum("value"))
        .order_by()
    ):
        out.setdefault(month, {})[key] = value
    return out


def rate(values: dict, numerator: str, denominator: str) -> float | None:
    d = values.get(denominator) or 0
    return None if not d else round(100 * (values.get(numerator) or 0) / d, 1)


def shown(values: dict) -> dict:
    """A row of values as the pages show them: money in yuan, and the rates."""
    row = {}
    for key, m in MEASURES.items():
        v = values.get(key) or 0
        row[key] = (Decimal(v) / 100).quantize(Decimal("0.01")) if m.money else v
    for key, num, den, _label in RATES:
        row[key] = rate(values, num, den)
    return row


# Where the drill-down cannot filter in the database (an item inside a case's list of items), it reads at most this
# many cases, newest first.
DRILL_ITEM_LIMIT = 5000


def cases_for(agency_ids, key: str, first: dt.date, last: dt.date, dimension: str = ALL, member: str = ""):
    """The cases behind one number (drill-down), by the measure's own definition: a queryset, or for an item a
    list (the item is matched inside each case's items). None for a measure not counted from cases."""
    from zhifa.cases.models import Case
    from zhifa.publicity.models import Publication
    from zhifa.remedies.models import Proceeding
    from zhifa.review.models import Submission

    start, end = month_start(first), month_end(month_start(last))
    qs = Case.objects.filter(agency_id__in=agency_ids)
    case_measures = _case_measures()
    if key in case_measures:
        field, condition = case_measures[key]
        qs = qs.filter(condition, **{f"{field}__range": (start, end)})
    elif key in ("reviews", "review_problems"):
        states = ("problems",) if key == "review_problems" else ("approved", "problems")
        decided = Submission.objects.filter(
            case=OuterRef("pk"), decided_at__date__range=(start, end), state__in=states
        )
        qs = qs.filter(Exists(decided))
    elif key in ("pub_due", "pub_on_time"):
        pubs = Publication.objects.filter(case=OuterRef("pk"), due_on__range=(start, end)).exclude(
            state="not_published"
        )
        if key == "pub_on_time":
            pubs = pubs.filter(released_at__date__lte=F("due_on"))
        else:
            pubs = pubs.filter(Q(released_at__isnull=False) | Q(due_on__lt=timezone.localdate()))
        qs = qs.filter(Exists(pubs))
    elif key in ("remedies", "remedies_changed"):
        from zhifa.remedies.rules import CHANGING

        ended = Proceeding.objects.filter(case=OuterRef("pk"), decided_on__range=(start, end)).exclude(
            outcome=""
        )
        if key == "remedies_changed":
            ended = ended.filter(outcome__in=CHANGING)
        qs = qs.filter(Exists(ended))
    else:
        return None
    if dimension == UNIT:
        qs = qs.filter(unit_id=int(member)) if member.isdigit() else qs.filter(unit__isnull=True)
    elif dimension == OFFICER and member.isdigit():
        qs = qs.filter(officer_links__person_id=int(member))
    qs = qs.select_related("unit", "party").order_by("-pk")
    if dimension == ITEM:
        return [c for c in qs[:DRILL_ITEM_LIMIT] if member in (c.items or [])]
    return qs

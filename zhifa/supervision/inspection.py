"""每季度网上巡查 (the quarterly online inspection of an agency's publicity): what the platform checks, line by line.

``lines(agency, start, end)`` reads what the agency published and answered and returns one ``Line`` per thing
checked, each with its result and a link to its evidence (a page of the platform the supervisor may open):

- 事前公开清单: each list in force at the quarter's end (its version, effective date and size); a list with entries in
  the catalog never published; a law of the library amended or repealed on or before the quarter's end after which a
  list citing it was not published again; an item whose basis changed and was not adjusted (依据已变更，待调整); an
  item citing an article's superseded text.
- 执法人员: the 执法人员清单 is made by the platform from the certificates in force (an expired certificate is never
  listed): its size, and every person holding the officer role without a certificate in force at the quarter's end.
- 事后公开: every decision whose publication fell due in the quarter (published on time, late, still unpublished, or
  not published with the head's approval), every publication still missing at the quarter's end, every withdrawal
  that fell due in the quarter (on time, late, missing).
- 投诉举报答复: every complaint whose time limit (deadline kind ``complaint_answer``, the agency's own length where it
  set one) fell in the quarter or that was still open past it: answered on time, late, or not yet.

Read-only; the lines' texts are written in Chinese (they are the report's content, like the documents), their checks
named in the reader's language (``CHECK_LABELS``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .choices import InspectionArea, LineResult

OK, PROBLEM = LineResult.OK, LineResult.PROBLEM
COMPLAINT_KIND = "complaint_answer"

CHECK_LABELS = {
    "list-current": gettext_lazy("清单现行版本"),
    "list-missing": gettext_lazy("清单未发布"),
    "list-outdated": gettext_lazy("法律变更后清单未更新"),
    "item-basis-changed": gettext_lazy("事项依据已变更未调整"),
    "item-old-article": gettext_lazy("事项引用已修改的条文"),
    "officers-listed": gettext_lazy("执法人员清单"),
    "officer-no-certificate": gettext_lazy("执法人员无有效执法证"),
    "pub-on-time": gettext_lazy("按期公开"),
    "pub-late": gettext_lazy("逾期公开"),
    "pub-missing": gettext_lazy("应公开未公开"),
    "pub-not-published": gettext_lazy("依法不予公开"),
    "withdraw-on-time": gettext_lazy("按期撤回"),
    "withdraw-late": gettext_lazy("逾期撤回"),
    "withdraw-missing": gettext_lazy("应撤回未撤回"),
    "complaint-on-time": gettext_lazy("按期答复"),
    "complaint-late": gettext_lazy("逾期答复"),
    "complaint-overdue": gettext_lazy("超期未答复"),
    "finding": gettext_lazy("巡查人员发现的问题"),
}


@dataclass(frozen=True)
class Line:
    area: str
    check: str
    subject: str
    result: str
    text: str
    link: str = ""
    case_id: int | None = None


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def last_ended_quarter(today: dt.date) -> tuple[int, int]:
    """The quarter that ended last before ``today`` (on 1 April: the first quarter)."""
    quarter = (today.month - 1) // 3  # the current quarter's number minus one
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def _d(day) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


def lines(agency, start: dt.date, end: dt.date) -> list[Line]:
    return [
        *_lists(agency, end),
        *_officers(agency, end),
        *_publications(agency, start, end),
        *_complaints(agency, start, end),
    ]


# 事前公开清单 ---------------------------------------------------------------------------------------------------------

_PORTAL = {
    "items": "publicity:items",
    "random": "publicity:random_inspection_items",
    "av": "publicity:av_items",
    "guides": "publicity:guides",
    "flowcharts": "publicity:flowcharts",
}


def _catalog_rows(agency) -> dict[str, int]:
    from zhifa.catalog.models import (
        AvRecordingItem,
        EnforcementItem,
        Flowchart,
        RandomInspectionItem,
        ServiceGuide,
    )

    models = {
        "items": EnforcementItem,
        "random": RandomInspectionItem,
        "av": AvRecordingItem,
        "guides": ServiceGuide,
        "flowcharts": Flowchart,
    }
    return {kind: model.objects.filter(agency=agency, active=True).count() for kind, model in models.items()}


def _lists(agency, end: dt.date) -> list[Line]:
    from zhifa.catalog.choices import LawStatus, ListKind
    from zhifa.catalog.models import EnforcementItem, Law, ListVersion, RandomInspectionItem

    area = InspectionArea.LISTS
    out: list[Line] = []
    in_force: dict[str, ListVersion | None] = {}
    for version in ListVersion.objects.filter(agency=agency, effective_on__lte=end).order_by(
        "kind", "-effective_on", "-number"
    ):
        in_force.setdefault(version.kind, version)
    rows = _catalog_rows(agency)
    for kind, label in ListKind.choices:
        version = in_force.get(kind)
        portal = reverse(_PORTAL[kind]) + f"?agency={agency.code}"
        if version is None:
            if rows.get(kind):
                out.append(
                    Line(
                        area,
                        "list-missing",
                        str(label),
                        PROBLEM,
                        f"{label}在目录中有 {rows[kind]} 条，截至 {_d(end)} 尚未发布。",
                        reverse("catalog:version_list", args=[agency.pk, kind]),
                    )
                )
            continue
        out.append(
            Line(
                area,
                "list-current",
                f"{label}第{version.number}版",
                OK,
                f"{label}第{version.number}版，自 {_d(version.effective_on)} 施行，共 {version.row_count} 条。",
                f"{portal}&version={version.number}",
            )
        )
    # A law amended or repealed by the quarter's end, after which a list citing it was not published again.
    citing = {
        "items": lambda law: EnforcementItem.objects.filter(agency=agency, active=True).filter(
            Q(violated_articles__law=law) | Q(penalty_articles__law=law)
        ),
        "random": lambda law: RandomInspectionItem.objects.filter(
            agency=agency, active=True, articles__law=law
        ),
    }
    labels = dict(ListKind.choices)
    for law in Law.objects.filter(
        agency=agency, status__in=[LawStatus.AMENDED, LawStatus.REPEALED], status_on__lte=end
    ).order_by("status_on", "pk"):
        for kind, query in citing.items():
            if not query(law).exists():
                continue
            version = in_force.get(kind)
            if version is not None and version.effective_on >= law.status_on:
                continue
            since = f"现行第{version.number}版自 {_d(version.effective_on)} 施行" if version else "尚未发布"
            out.append(
                Line(
                    area,
                    "list-outdated",
                    f"{law}·{labels[kind]}",
                    PROBLEM,
                    f"{law}于 {_d(law.status_on)} {law.get_status_display()}，{labels[kind]}中有事项引用它，"
                    f"此后清单未更新（{since}）。",
                    reverse("catalog:law_detail", args=[agency.pk, law.pk]),
                )
            )
    flagged = set()
    for item in EnforcementItem.objects.filter(agency=agency, active=True, needs_review=True).order_by(
        "code"
    ):
        flagged.add(item.pk)
        out.append(
            Line(
                area,
                "item-basis-changed",
                f"{item.code} {item.name}"[:200],
                PROBLEM,
                f"执法事项“{item.name}”的依据已变更，尚未调整：{item.review_reason or '—'}",
                reverse("catalog:item_detail", args=[agency.pk, item.pk]),
            )
        )
    for item in RandomInspectionItem.objects.filter(agency=agency, active=True, needs_review=True).order_by(
        "seq"
    ):
        out.append(
            Line(
                area,
                "item-basis-changed",
                f"{item.code} {item.check_item}"[:200],
                PROBLEM,
                f"随机抽查事项“{item.check_item}”的依据已变更，尚未调整：{item.review_reason or '—'}",
                reverse("catalog:random_list", args=[agency.pk]),
            )
        )
    old = (
        EnforcementItem.objects.filter(agency=agency, active=True)
        .filter(Q(violated_articles__is_current=False) | Q(penalty_articles__is_current=False))
        .exclude(pk__in=flagged)
        .distinct()
        .order_by("code")
    )
    for item in old:
        out.append(
            Line(
                area,
                "item-old-article",
                f"{item.code} {item.name}"[:200],
                PROBLEM,
                f"执法事项“{item.name}”引用的条文已有新的文本，事项仍引用旧文本。",
                reverse("catalog:item_detail", args=[agency.pk, item.pk]),
            )
        )
    return out


# 执法人员 ------------------------------------------------------------------------------------------------------------


def _officers(agency, end: dt.date) -> list[Line]:
    from zhifa.org.choices import Role
    from zhifa.org.models import Person
    from zhifa.publicity import queries as publicity_queries

    area = InspectionArea.OFFICERS
    listed = publicity_queries.active_officers(agency, on=end)
    names = {o.name for o in listed}
    out = [
        Line(
            area,
            "officers-listed",
            "执法人员清单",
            OK,
            f"{_d(end)} 公示执法人员 {len(names)} 人、有效执法证 {len(listed)} 张；清单由平台按有效执法证生成，"
            "过期、暂扣、注销的证件不列入。",
            reverse("publicity:people") + f"?agency={agency.code}",
        )
    ]
    holders = {o.number for o in listed}
    officers = (
        Person.objects.filter(agency=agency, is_active=True, roles__role=Role.OFFICER, roles__agency=agency)
        .select_related("unit")
        .prefetch_related("certificates")
        .distinct()
        .order_by("unit_id", "pk")
    )
    for person in officers:
        if any(c.number in holders for c in person.certificates.all()):
            continue
        out.append(
            Line(
                area,
                "officer-no-certificate",
                person.full_name,
                PROBLEM,
                f"{person.full_name}（{person.unit.name if person.unit else agency.name}）具有执法人员角色，"
                f"{_d(end)} 没有有效的执法证，未列入执法人员清单，不得从事执法活动。",
                reverse("publicity:people") + f"?agency={agency.code}",
            )
        )
    return out


# 事后公开 ------------------------------------------------------------------------------------------------------------


def _publications(agency, start: dt.date, end: dt.date) -> list[Line]:
    from zhifa.publicity.choices import PublicationState
    from zhifa.publicity.models import Publication

    area = InspectionArea.PUBLICATIONS
    out: list[Line] = []
    open_states = Publication.OPEN_STATES
    due = (
        Publication.objects.filter(agency=agency)
        .filter(Q(due_on__range=(start, end)) | Q(due_on__lt=start, state__in=open_states))
        .select_related("case")
        .order_by("due_on", "pk")
    )
    for p in due:
        ref = p.case.reference
        staff = reverse("catalog:publication_detail", args=[p.pk])
        if p.state in open_states:
            out.append(
                Line(
                    area,
                    "pub-missing",
                    ref,
                    PROBLEM,
                    f"{ref}（决定日期 {_d(p.decided_on)}）应于 {_d(p.due_on)} 前公开，截至 {_d(end)} 尚未公开"
                    f"（{p.get_state_display()}）。",
                    staff,
                    p.case_id,
                )
            )
        elif p.state == PublicationState.NOT_PUBLISHED:
            out.append(
                Line(
                    area,
                    "pub-not-published",
                    ref,
                    OK,
                    f"{ref} 经负责人批准不予公开（{p.get_not_published_ground_display() or '—'}）。",
                    staff,
                    p.case_id,
                )
            )
        else:
            released = timezone.localtime(p.released_at).date() if p.released_at else None
            public = (
                reverse("publicity:decision", args=[p.pk]) if p.state in Publication.PUBLIC_STATES else staff
            )
            if released is not None and released <= p.due_on:
                out.append(
                    Line(
                        area,
                        "pub-on-time",
                        ref,
                        OK,
                        f"{ref} 于 {_d(released)} 公开（期限 {_d(p.due_on)}）。",
                        public,
                        p.case_id,
                    )
                )
            else:
                late = (released - p.due_on).days if released else None
                out.append(
                    Line(
                        area,
                        "pub-late",
                        ref,
                        PROBLEM,
                        f"{ref} 于 {_d(released)} 公开，超过期限 {_d(p.due_on)}"
                        + (f" {late} 日" if late is not None else "")
                        + "。",
                        public,
                        p.case_id,
                    )
                )
    withdrawals = (
        Publication.objects.filter(agency=agency, withdrawal_due_on__range=(start, end))
        .select_related("case")
        .order_by("withdrawal_due_on", "pk")
    )
    for p in withdrawals:
        ref = p.case.reference
        link = reverse("catalog:publication_detail", args=[p.pk])
        withdrawn = timezone.localtime(p.withdrawn_at).date() if p.withdrawn_at else None
        if withdrawn is None:
            if p.state == PublicationState.PUBLISHED:
                out.append(
                    Line(
                        area,
                        "withdraw-missing",
                        ref,
                        PROBLEM,
                        f"{ref} 的决定已变更或撤销，应于 {_d(p.withdrawal_due_on)} 前撤回公开，截至 {_d(end)} 仍在公开。",
                        link,
                        p.case_id,
                    )
                )
        elif withdrawn <= p.withdrawal_due_on:
            out.append(
                Line(
                    area,
                    "withdraw-on-time",
                    ref,
                    OK,
                    f"{ref} 于 {_d(withdrawn)} 撤回（期限 {_d(p.withdrawal_due_on)}）。",
                    link,
                    p.case_id,
                )
            )
        else:
            out.append(
                Line(
                    area,
                    "withdraw-late",
                    ref,
                    PROBLEM,
                    f"{ref} 于 {_d(withdrawn)} 撤回，超过期限 {_d(p.withdrawal_due_on)}。",
                    link,
                    p.case_id,
                )
            )
    return out


# 投诉举报答复 ---------------------------------------------------------------------------------------------------------


def complaint_period(agency):
    """The time limit to answer a complaint (deadline kind ``complaint_answer``; the agency's own where it set one),
    or None when the kind is missing."""
    from zhifa.workdays import queries as wd_queries

    kind = wd_queries.kind_by_code(COMPLAINT_KIND)
    return None if kind is None else wd_queries.period_for(kind, agency)


def _complaints(agency, start: dt.date, end: dt.date) -> list[Line]:
    from zhifa.publicity.choices import ComplaintStatus
    from zhifa.publicity.models import Complaint, ComplaintEvent
    from zhifa.publicity.rules import FINAL
    from zhifa.workdays import queries as wd_queries
    from zhifa.workdays import rules as wd_rules

    period = complaint_period(agency)
    if period is None:
        return []
    calendar = wd_queries.current_calendar()

    def due_of(day: dt.date) -> dt.date:
        return wd_rules.due_date(
            calendar, day, period.length, period.unit, period.direction, period.holiday_rule
        ).date

    # Answered in the quarter, or not answered by its end (a final answer after the quarter counts as open then).
    complaints = list(
        Complaint.objects.filter(agency=agency, submitted_at__date__lte=end)
        .filter(~Q(status__in=FINAL) | Q(updated_at__date__gte=start))
        .order_by("submitted_at", "pk")
    )
    answered: dict[int, dt.date] = {}
    for complaint_id, at in (
        ComplaintEvent.objects.filter(complaint__in=complaints, status__in=FINAL)
        .order_by("at")
        .values_list("complaint_id", "at")
    ):
        answered.setdefault(complaint_id, timezone.localtime(at).date())
    area = InspectionArea.COMPLAINTS
    out: list[Line] = []
    for c in complaints:
        submitted = timezone.localtime(c.submitted_at).date()
        due = due_of(submitted)
        done = answered.get(c.pk)
        link = reverse("catalog:complaint_detail", args=[c.pk])
        head = f"{c.get_kind_display()} {c.receipt_number}（{_d(submitted)} 提交，期限 {_d(due)}）"
        if done is None or done > end:
            if due < end:
                out.append(
                    Line(
                        area,
                        "complaint-overdue",
                        c.receipt_number,
                        PROBLEM,
                        f"{head}截至 {_d(end)} 尚未答复。",
                        link,
                    )
                )
        elif done >= start:
            said = "答复" if c.status == ComplaintStatus.ANSWERED else "告知不予受理"
            if done <= due:
                out.append(
                    Line(
                        area, "complaint-on-time", c.receipt_number, OK, f"{head}于 {_d(done)} {said}。", link
                    )
                )
            else:
                out.append(
                    Line(
                        area,
                        "complaint-late",
                        c.receipt_number,
                        PROBLEM,
                        f"{head}于 {_d(done)} {said}，已超期。",
                        link,
                    )
                )
    return out

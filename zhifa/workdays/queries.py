"""Reads: the calendar (cached per process, keyed by the database's calendar version), deadline kinds with an
agency's own settings, and deadlines scoped to what the asking user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.org.choices import Role
from zhifa.org.queries import agency_ids_with

from . import rules
from .choices import DayKind
from .models import (
    AgencyDeadlineSetting,
    CalendarDay,
    CalendarVersion,
    CalendarYear,
    Deadline,
    DeadlineKind,
    Reminder,
)

# Who works on deadlines of an agency, and who may read them (supervisors see what is due and what is late).
DEADLINE_WRITER_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD})
DEADLINE_READER_ROLES = DEADLINE_WRITER_ROLES | {Role.SUPERVISOR}


def due_soon_working_days() -> int:
    """How many working days before the due date a deadline shows as "due soon" (a setting, default 3)."""
    return getattr(settings, "DEADLINE_DUE_SOON_WORKING_DAYS", 3)


# The calendar. A process keeps the last calendar it built together with the version token it was built
# from, and checks the token (one indexed single-row read) before every use: another process's change is
# seen at once, and nothing stale survives a change.

_built: dict[str, tuple[object, rules.Calendar]] = {}


def calendar_token():
    return CalendarVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def load_calendar(version: object = None) -> rules.Calendar:
    """Build the calendar from the database (no cache)."""
    holidays: dict[int, dict[dt.date, str]] = defaultdict(dict)
    workdays: dict[int, dict[dt.date, str]] = defaultdict(dict)
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (holidays if kind == DayKind.HOLIDAY else workdays)[day.year][day] = name
    schedules = [
        rules.YearSchedule(
            year=y.year,
            confirmed=y.confirmed,
            holidays=holidays[y.year],
            workdays=workdays[y.year],
            note=y.get_source_display(),
        )
        for y in CalendarYear.objects.all()
    ]
    return rules.Calendar(schedules, version=version)


def current_calendar() -> rules.Calendar:
    token = calendar_token()
    cached = _built.get("calendar")
    if token is not None and cached is not None and cached[0] == token:
        return cached[1]
    calendar = load_calendar(token)
    if token is not None:
        _built["calendar"] = (token, calendar)
    return calendar


def calendar_years() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.select_related("updated_by")


def year_record(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()


def confirmed_years() -> set[int]:
    return set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))


# Who may change what.


def can_manage_calendar(user) -> bool:
    """The calendar is a platform-level record: it moves every agency's deadlines, so only the platform
    administrator (平台管理员, ``zhifa createsuperuser``) keeps it — not one agency's system administrator."""
    return bool(getattr(user, "is_superuser", False))


def can_edit_platform_kinds(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def settable_agencies(user):
    """The agencies whose own deadline lengths ``user`` may set (their system administrator)."""
    from zhifa.org.models import Agency

    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    return Agency.objects.filter(id__in=agency_ids_with(user, {Role.SYSTEM_ADMIN}))


def calendar_warnings(user, today: dt.date | None = None) -> list[dict]:
    """Warnings for the home page of a calendar administrator: from 1 November while next year has no
    confirmed schedule (and always while this year has none). Nobody else gets them."""
    if not can_manage_calendar(user):
        return []
    today = today or timezone.localdate()
    year = rules.needs_next_year_warning(today, confirmed_years())
    if year is None:
        return []
    return [
        {
            "year": year,
            "message": _(
                "%(year)d年节假日安排尚未确认，涉及该年的期限均为估算。"
                "请在国务院办公厅发布通知后录入或导入%(year)d年节假日安排。"
            )
            % {"year": year},
            "url": reverse("workdays:year_edit", args=[year]),
        }
    ]


# Deadline kinds and the periods they give an agency.


@dataclass(frozen=True)
class Period:
    length: int
    unit: str
    direction: str
    holiday_rule: str
    agency_set: bool  # the agency's own length, not the platform default


def kinds() -> QuerySet[DeadlineKind]:
    return DeadlineKind.objects.all()


def kind_by_code(code: str) -> DeadlineKind | None:
    return DeadlineKind.objects.filter(code=code).first()


def agency_settings(agency) -> dict[int, AgencyDeadlineSetting]:
    if agency is None:
        return {}
    return {s.kind_id: s for s in AgencyDeadlineSetting.objects.filter(agency=agency)}


def period_for(kind: DeadlineKind, agency=None) -> Period:
    """The period of ``kind`` for ``agency``: its own length where it may set one and has, else the kind's."""
    length, own = kind.length, False
    if agency is not None and kind.agency_may_change:
        setting = AgencyDeadlineSetting.objects.filter(agency=agency, kind=kind).first()
        if setting is not None:
            length, own = setting.length, True
    return Period(length, kind.unit, kind.direction, kind.holiday_rule, own)


def compute_due(
    kind: DeadlineKind, start: dt.date, agency=None, calendar: rules.Calendar | None = None
) -> rules.Due:
    p = period_for(kind, agency)
    return rules.due_date(
        calendar or current_calendar(), start, p.length, p.unit, p.direction, p.holiday_rule
    )


# Deadlines.


def visible_deadlines(user) -> QuerySet[Deadline]:
    qs = Deadline.objects.select_related("kind", "agency", "responsible")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(agency_id__in=agency_ids_with(user, DEADLINE_READER_ROLES))


def access_deadline(user, pk, *, lock: bool = False) -> Deadline:
    """A deadline ``user`` may see, or 404. With ``lock`` the row is locked (call inside a transaction)."""
    qs = visible_deadlines(user)
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (Deadline.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def deadlines_for(target) -> QuerySet[Deadline]:
    """The deadlines attached to ``target`` (any model instance)."""
    from django.contrib.contenttypes.models import ContentType

    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("kind")


def state_of(deadline: Deadline, today: dt.date, calendar: rules.Calendar, soon: int) -> str:
    """The deadline's state as of ``today`` (``rules.deadline_state`` from the row; ``soon``: the due-soon threshold)."""
    return rules.deadline_state(
        calendar,
        due=deadline.due,
        today=today,
        met_on=deadline.met_on,
        suspended=deadline.suspended_since is not None,
        due_soon_working_days=soon,
        ended_on=deadline.ended_on,
        binds_party=deadline.kind.binds_party,
    )


def with_state(deadlines, today: dt.date | None = None, calendar: rules.Calendar | None = None) -> list[dict]:
    """Each deadline with its state (open, due soon, overdue, met, suspended) as of ``today``."""
    today = today or timezone.localdate()
    calendar = calendar or current_calendar()
    soon = due_soon_working_days()
    out = []
    for d in deadlines:
        state = state_of(d, today, calendar, soon)
        out.append(
            {
                "deadline": d,
                "state": state,
                "state_label": state_label(state, d),
                "reason": d.end_reason if d.ended_on else "",
                "party": d.kind.binds_party,
            }
        )
    return out


def state_label(state: str, deadline: Deadline | None = None) -> str:
    """The words for a deadline's state. A party's period that ran out says so ("当事人陈述、申辩期限已届满");
    an ended one gives its reason."""
    from .choices import DeadlineState

    if state == DeadlineState.ELAPSED and deadline is not None:
        return _("当事人%(kind)s已届满") % {"kind": deadline.kind.label}
    if state == DeadlineState.ENDED and deadline is not None and deadline.end_reason:
        return _("已结束（%(reason)s）") % {"reason": deadline.end_reason}
    return str(DeadlineState(state).label)


def my_deadlines(user, today: dt.date | None = None, limit: int = 20) -> list[dict]:
    """The open deadlines a person must watch, soonest first, with due-soon and overdue marked: those they
    are responsible for, and, for an agency's 负责人, every open deadline of that agency.

    Deadlines that ended (the case was cancelled, terminated, closed…) are not watched any more, and a period
    that binds the party is not the agency's to keep: once it has run out it leaves the list (it is shown on
    the case as the party's period that elapsed, never as the agency's breach)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    heads_of = agency_ids_with(user, {Role.AGENCY_HEAD})
    watched = (
        Deadline.objects.filter(met_on__isnull=True, ended_on__isnull=True)
        .exclude(kind__binds_party=True, due__lt=today)
        .select_related("kind", "agency", "responsible")
        .order_by("due", "id")
    )
    # Two queries, each served in due order from its own index (an OR of the two made PostgreSQL read every open
    # deadline of the agency: 1.9 s at a million cases), merged here.
    rows = {d.pk: d for d in watched.filter(responsible=user)[:limit]}
    if heads_of:
        rows.update((d.pk, d) for d in watched.filter(agency_id__in=heads_of)[:limit])
    return with_state(sorted(rows.values(), key=lambda d: (d.due, d.pk))[:limit], today)


# Reminders.


def reminder_candidates(today: dt.date, horizon: dt.date) -> list[int]:
    """The running deadlines that may owe a reminder today, by id: past their due date and not yet reminded as
    such at that date (a party's period only if it ran out lately, ``rules.ELAPSED_NEWS_DAYS``), or due by
    ``horizon`` with somebody responsible and not yet reminded as due soon. Each deadline's state decides."""
    from .choices import ReminderStage

    running = Deadline.objects.filter(
        met_on__isnull=True, ended_on__isnull=True, suspended_since__isnull=True
    )
    reminded = Reminder.objects.filter(deadline=OuterRef("pk"), due=OuterRef("due"))
    late = (
        running.filter(due__lt=today)
        .exclude(kind__binds_party=True, due__lt=today - dt.timedelta(days=rules.ELAPSED_NEWS_DAYS))
        .exclude(
            Exists(
                reminded.filter(
                    stage__in=[ReminderStage.OVERDUE, ReminderStage.ESCALATED, ReminderStage.ELAPSED]
                )
            )
        )
    )
    soon = running.filter(due__gte=today, due__lte=horizon, responsible__isnull=False).exclude(
        Exists(reminded.filter(stage=ReminderStage.DUE_SOON))
    )
    return sorted({*late.values_list("pk", flat=True), *soon.values_list("pk", flat=True)})


def my_reminders(user):
    """A person's own reminders, newest first (nobody sees another's)."""
    if not getattr(user, "is_authenticated", False):
        return Reminder.objects.none()
    return Reminder.objects.filter(person=user).select_related("deadline__kind").order_by("-id")


def reminder_text(reminder: Reminder) -> str:
    """What the reminder says, in the reader's language."""
    from .choices import ReminderStage

    values = {
        "kind": reminder.deadline.kind.label,
        "label": reminder.deadline.label or reminder.deadline.object_id,
        "due": reminder.due.isoformat(),
    }
    if reminder.stage == ReminderStage.DUE_SOON:
        return _("%(label)s的%(kind)s将于%(due)s届满。") % values
    if reminder.stage == ReminderStage.OVERDUE:
        return _("%(label)s的%(kind)s已于%(due)s届满，尚未完成。") % values
    if reminder.stage == ReminderStage.ESCALATED:
        return _("本机关%(label)s的%(kind)s已于%(due)s届满，尚未完成（告知负责人）。") % values
    return _("%(label)s的当事人%(kind)s已于%(due)s届满，可以继续办理。") % values

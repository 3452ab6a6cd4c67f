"""Every change to the calendar, the deadline kinds and deadlines.

Each action checks who may do it and the rules, writes inside one transaction, and appends its ledger entry
inside that same transaction. ``actor=None`` is the platform itself (CLI, migrations' helpers, demo loader).

The calendar and the kinds are platform-wide: a change to them changes deadlines of every agency, so it is
recorded in every agency's ledger. Calendar changes are serialised on the CalendarVersion row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ActionDenied, RuleViolation
from zhifa.core.snapshot import snapshot
from zhifa.ledger import actions as ledger
from zhifa.org.choices import Role
from zhifa.org.models import Agency
from zhifa.org.queries import has_role

from . import queries, rules
from .choices import CalendarSource, DayKind, DeadlineEventKind, DeadlineState, Direction, HolidayRule, Unit
from .models import (
    AgencyDeadlineSetting,
    CalendarDay,
    CalendarVersion,
    CalendarYear,
    Deadline,
    DeadlineEvent,
    DeadlineKind,
    Reminder,
)
from .textformat import ScheduleTextError, parse_schedule

WEEKDAYS = "一二三四五六日"


def _record(agency: Agency, actor, action: str, obj, **extra) -> None:
    ledger.append(
        agency=agency, actor=actor, action=action, obj=obj, payload={"state": snapshot(obj), **extra}
    )


def _record_everywhere(actor, action: str, obj, **extra) -> None:
    """A platform-wide change: one entry in each agency's ledger, in a fixed order (no lock-order deadlocks)."""
    for agency in Agency.objects.order_by("pk"):
        _record(agency, actor, action, obj, **extra)


def _actor_id(actor):
    return getattr(actor, "pk", None)


# The calendar.


def _require_calendar_admin(actor) -> None:
    if actor is None or queries.can_manage_calendar(actor):
        return
    raise ActionDenied(_("只有系统管理员可以维护节假日安排。"))


def _check_schedule(year: int, holidays: Mapping[dt.date, str], workdays: Mapping[dt.date, str]) -> None:
    errors = []
    for day in sorted({*holidays, *workdays}):
        if day.year != year:
            errors.append(_("%(date)s不在%(year)d年内。") % {"date": day.isoformat(), "year": year})
        elif day in holidays and day in workdays:
            errors.append(_("%(date)s不能既放假又上班。") % {"date": day.isoformat()})
        elif day in workdays and day.weekday() < 5:
            errors.append(
                _("%(date)s是星期%(weekday)s，调休上班日应为星期六或星期日。")
                % {"date": day.isoformat(), "weekday": WEEKDAYS[day.weekday()]}
            )
    if not (rules.FIRST_YEAR <= year <= rules.LAST_YEAR):
        errors.insert(0, _("年份须在%(a)d至%(b)d之间。") % {"a": rules.FIRST_YEAR, "b": rules.LAST_YEAR})
    if errors:
        raise RuleViolation(errors)


def _bump_calendar_version() -> None:
    """Lock the version row (serialising calendar changes) and give it a new token."""
    version = CalendarVersion.objects.select_for_update().filter(pk=1).first()
    if version is None:
        CalendarVersion.objects.create(pk=1, token=uuid.uuid4(), changed_at=timezone.now())
    else:
        version.token, version.changed_at = uuid.uuid4(), timezone.now()
        version.save(update_fields=["token", "changed_at"])


@transaction.atomic
def save_calendar_year(
    actor,
    *,
    year: int,
    holidays: Mapping[dt.date, str],
    workdays: Mapping[dt.date, str],
    confirmed: bool,
    notice: str = "",
    source: str = CalendarSource.NOTICE,
) -> CalendarYear:
    """Enter (or replace) ``year``'s schedule: every holiday and make-up workday of that year.

    Open deadlines whose period touches the year are recomputed on the new calendar, each with its own
    ledger entry, in this same transaction.
    """
    _require_calendar_admin(actor)
    _check_schedule(year, holidays, workdays)
    if confirmed and not holidays:
        raise RuleViolation(_("已确认的年度安排至少应包含一个放假日期。"))
    _bump_calendar_version()
    record, _created = CalendarYear.objects.update_or_create(
        year=year,
        defaults={
            "confirmed": confirmed,
            "source": source,
            "notice": notice.strip(),
            "updated_at": timezone.now(),
            "updated_by": actor,
        },
    )
    record.full_clean()
    CalendarDay.objects.filter(year=record).delete()
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, year=record, kind=DayKind.HOLIDAY, name=n) for d, n in holidays.items()]
        + [CalendarDay(date=d, year=record, kind=DayKind.WORKDAY, name=n) for d, n in workdays.items()]
    )
    days = sorted(
        [[d.isoformat(), DayKind.HOLIDAY, n] for d, n in holidays.items()]
        + [[d.isoformat(), DayKind.WORKDAY, n] for d, n in workdays.items()]
    )
    _record_everywhere(actor, "workdays.save_calendar_year", record, days=days)
    _recompute_for_year(actor, year)
    return record


@transaction.atomic
def import_calendar_text(actor, *, year: int, text: str, confirmed: bool, notice: str = "") -> CalendarYear:
    """Import ``year``'s schedule from the text format (see textformat.py). Any bad line changes nothing;
    the refusal names every bad line by its number."""
    _require_calendar_admin(actor)
    try:
        parsed = parse_schedule(text, year)
    except ScheduleTextError as exc:
        raise RuleViolation(exc.messages) from None
    return save_calendar_year(
        actor,
        year=year,
        holidays=parsed.holidays,
        workdays=parsed.workdays,
        confirmed=confirmed,
        notice=notice,
        source=CalendarSource.IMPORT,
    )


@transaction.atomic
def seed_from_chinesecalendar(actor=None, *, years=None) -> list[int]:
    """Add the years the installed chinesecalendar covers and the database does not yet have confirmed.
    Never overwrites a confirmed year an administrator entered. Returns the years added."""
    from .seed import chinesecalendar_schedules

    _require_calendar_admin(actor)
    have = queries.confirmed_years()
    added = []
    for s in chinesecalendar_schedules(first_year=rules.FIRST_YEAR):
        if s.year in have or (years is not None and s.year not in years):
            continue
        save_calendar_year(
            actor,
            year=s.year,
            holidays=dict(s.holidays),
            workdays=dict(s.workdays),
            confirmed=True,
            notice=_("国务院办公厅关于%(year)d年部分节假日安排的通知") % {"year": s.year},
            source=CalendarSource.CHINESECALENDAR,
        )
        added.append(s.year)
    return added


def _recompute_for_year(actor, year: int) -> None:
    """Recompute open deadlines whose period touches ``year`` (the calendar of that year just changed)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    touching = Q(direction=Direction.AFTER, start__lte=last, due__gte=first) | Q(
        direction=Direction.BEFORE, due__lte=last, start__gte=first
    )
    ids = list(
        Deadline.objects.filter(touching, met_on__isnull=True, ended_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return
    calendar = queries.current_calendar()
    for deadline in (
        Deadline.objects.select_for_update().select_related("agency").filter(pk__in=ids).order_by("pk")
    ):
        before = deadline.due
        due = _computed_due(deadline, calendar)
        if due.date == deadline.due and due.estimated == deadline.estimated:
            continue
        deadline.due, deadline.estimated = due.date, due.estimated
        deadline.save(update_fields=["due", "estimated"])
        DeadlineEvent.objects.create(
            deadline=deadline,
            kind=DeadlineEventKind.RECOMPUTED,
            on=timezone.localdate(),
            actor=actor,
            reason=_("%(year)d年节假日安排变更") % {"year": year},
            due_before=before,
            due_after=due.date,
        )
        _record(
            deadline.agency, actor, "workdays.recompute_deadline", deadline, due_before=before.isoformat()
        )


# Deadline kinds: platform values (superuser) and an agency's own lengths (its system administrator).

KIND_FIELDS = (
    "name",
    "legal_basis",
    "start_event",
    "length",
    "unit",
    "direction",
    "holiday_rule",
    "agency_may_change",
    "binds_party",
    "extension_length",
    "max_extensions",
    "note",
)


@transaction.atomic
def update_deadline_kind(actor, kind: DeadlineKind, **changes) -> DeadlineKind:
    """Change a platform deadline kind. Deadlines already running keep the period they opened with."""
    if actor is not None and not actor.is_superuser:
        raise ActionDenied(_("只有平台管理员可以修改期限种类。"))
    unknown = set(changes) - set(KIND_FIELDS)
    if unknown:
        raise TypeError(f"fields that cannot be changed: {sorted(unknown)}")
    kind = DeadlineKind.objects.select_for_update().get(pk=kind.pk)
    for name, value in changes.items():
        setattr(kind, name, value)
    kind.full_clean()
    if kind.unit == Unit.WORKING_DAYS and kind.holiday_rule != HolidayRule.NONE:
        raise RuleViolation({"holiday_rule": [_("按工作日计算的期限不适用节假日顺延规则。")]})
    kind.save()
    _record_everywhere(actor, "workdays.update_deadline_kind", kind, changed=sorted(changes))
    return kind


def _require_agency_admin(actor, agency: Agency) -> None:
    if actor is None or actor.is_superuser or has_role(actor, Role.SYSTEM_ADMIN, agency.pk):
        return
    raise ActionDenied(
        _("您没有进行此操作的权限：需要“%(role)s”角色（%(agency)s）。")
        % {"role": Role.SYSTEM_ADMIN.label, "agency": agency.name}
    )


@transaction.atomic
def set_agency_deadline(
    actor, agency: Agency, kind: DeadlineKind, *, length: int, reason: str = ""
) -> AgencyDeadlineSetting:
    """Set ``agency``'s own length for a kind the agency may set (陈述申辩期限, 法制审核时限)."""
    _require_agency_admin(actor, agency)
    if not kind.agency_may_change:
        raise RuleViolation(_("“%(kind)s”为法定期限，执法主体不能自行设定。") % {"kind": kind.name})
    if length is None or length < 1:
        raise RuleViolation({"length": [_("期限长度至少为1。")]})
    setting, _created = AgencyDeadlineSetting.objects.select_for_update().update_or_create(
        agency=agency,
        kind=kind,
        defaults={
            "length": length,
            "reason": reason.strip(),
            "updated_at": timezone.now(),
            "updated_by": actor,
        },
    )
    setting.full_clean()
    _record(agency, actor, "workdays.set_agency_deadline", setting, kind=kind.code)
    return setting


@transaction.atomic
def clear_agency_deadline(actor, agency: Agency, kind: DeadlineKind) -> None:
    """Go back to the platform default for ``kind``."""
    _require_agency_admin(actor, agency)
    setting = AgencyDeadlineSetting.objects.select_for_update().filter(agency=agency, kind=kind).first()
    if setting is None:
        return
    removed = snapshot(setting)
    setting.delete()
    ledger.append(
        agency=agency,
        actor=actor,
        action="workdays.clear_agency_deadline",
        obj=setting,
        payload={"state": None, "removed": removed, "kind": kind.code},
    )


# Deadlines on objects.


def _require_deadline_writer(actor, agency: Agency) -> None:
    if actor is None or actor.is_superuser:
        return
    if any(has_role(actor, role, agency.pk) for role in queries.DEADLINE_WRITER_ROLES):
        return
    raise ActionDenied(_("您没有权限管理该执法主体的期限。"))


def _require_approver(approver, agency: Agency) -> None:
    if approver is None:
        raise RuleViolation({"approver": [_("请选择批准人。")]})
    if not has_role(approver, Role.AGENCY_HEAD, agency.pk):
        raise RuleViolation({"approver": [_("批准人须为本执法主体的负责人。")]})


# Deadlines an owning app keeps under its own rules (the case's 90-day decision period: cases.actions.suspend,
# resume, extend, decide): {("app_label.model" of the target, kind code): the refusal}. The generic suspend,
# resume, extend and meet (pages, API) refuse them; the owner's actions pass ``by_owner=True``.
OWNED_KINDS: dict[tuple[str, str], str] = {}


def owned_message(deadline: Deadline):
    """Why the generic steps (suspend, resume, extend, meet) are refused on ``deadline``: its owning app keeps it
    (``OWNED_KINDS``); None when they are not."""
    if not OWNED_KINDS:
        return None
    ct = ContentType.objects.get_for_id(deadline.content_type_id)
    return OWNED_KINDS.get((f"{ct.app_label}.{ct.model}", deadline.kind.code))


def _require_unowned(deadline: Deadline, by_owner: bool) -> None:
    if by_owner:
        return
    message = owned_message(deadline)
    if message:
        raise RuleViolation(str(message))


def _require_reason(reason: str) -> str:
    if not (reason or "").strip():
        raise RuleViolation({"reason": [_("请填写理由。")]})
    return reason.strip()


def _require_running(deadline: Deadline) -> None:
    if deadline.ended_on is not None:
        raise RuleViolation(
            _("该期限已于%(date)s结束（%(reason)s），不再计算。")
            % {"date": deadline.ended_on.isoformat(), "reason": deadline.end_reason}
        )


def _events(deadline: Deadline) -> list[rules.Event]:
    if deadline.pk is None:
        return []
    return [
        rules.Event(e.kind, e.on, e.length)
        for e in deadline.events.filter(
            kind__in=[DeadlineEventKind.SUSPENDED, DeadlineEventKind.RESUMED, DeadlineEventKind.EXTENDED]
        ).order_by("id")
    ]


def _computed_due(
    deadline: Deadline, calendar: rules.Calendar, extra: rules.Event | None = None
) -> rules.Due:
    events = _events(deadline) + ([extra] if extra else [])
    try:
        return rules.recompute_due(
            calendar,
            start=deadline.start,
            length=deadline.length,
            unit=deadline.unit,
            direction=deadline.direction,
            holiday_rule=deadline.holiday_rule,
            events=events,
        )
    except rules.OutOfRange:
        raise RuleViolation(
            _("日期超出工作日历范围（%(a)d—%(b)d年）。") % {"a": rules.FIRST_YEAR, "b": rules.LAST_YEAR}
        ) from None


def _lock(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().select_related("agency", "kind").get(pk=deadline.pk)


@transaction.atomic
def open_deadline(
    actor,
    *,
    agency: Agency,
    kind: DeadlineKind | str,
    target,
    start: dt.date,
    label: str = "",
    responsible=None,
) -> Deadline:
    """Start the clock of ``kind`` on ``target`` (any saved model instance) from ``start``."""
    _require_deadline_writer(actor, agency)
    if isinstance(kind, str):
        code = kind
        kind = queries.kind_by_code(code)
        if kind is None:
            raise RuleViolation({"kind": [_("没有代码为“%(code)s”的期限种类。") % {"code": code}]})
    if responsible is not None and responsible.agency_id != agency.pk:
        raise RuleViolation({"responsible": [_("责任人须为本执法主体的人员。")]})
    period = queries.period_for(kind, agency)
    deadline = Deadline(
        agency=agency,
        kind=kind,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        label=label.strip(),
        responsible=responsible,
        start=start,
        length=period.length,
        unit=period.unit,
        direction=period.direction,
        holiday_rule=period.holiday_rule,
        due=start,
    )
    due = _computed_due(deadline, queries.current_calendar())
    deadline.due, deadline.estimated = due.date, due.estimated
    deadline.full_clean()
    deadline.save()
    DeadlineEvent.objects.create(
        deadline=deadline, kind=DeadlineEventKind.OPENED, on=start, actor=actor, due_after=due.date
    )
    _record(agency, actor, "workdays.open_deadline", deadline)
    return deadline


@transaction.atomic
def suspend_deadline(
    actor, deadline: Deadline, *, on: dt.date, reason: str, approver, by_owner: bool = False
) -> Deadline:
    """中止: stop the clock from ``on`` (a reason and the approving 负责人 are required)."""
    deadline = _lock(deadline)
    _require_unowned(deadline, by_owner)
    _require_deadline_writer(actor, deadline.agency)
    reason = _require_reason(reason)
    _require_approver(approver, deadline.agency)
    if deadline.met_on is not None:
        raise RuleViolation(_("该期限已完成，不能中止。"))
    _require_running(deadline)
    if deadline.suspended_since is not None:
        raise RuleViolation(_("该期限已中止。"))
    if deadline.direction == Direction.BEFORE:
        raise RuleViolation(_("“某日之前”的期限不能中止，请调整基准日期。"))
    if on < deadline.start:
        raise RuleViolation({"on": [_("中止日期不能早于起算日。")]})
    DeadlineEvent.objects.create(
        deadline=deadline,
        kind=DeadlineEventKind.SUSPENDED,
        on=on,
        reason=reason,
        approver=approver,
        actor=actor,
        due_before=deadline.due,
    )
    deadline.suspended_since = on
    deadline.save(update_fields=["suspended_since"])
    _record(
        deadline.agency,
        actor,
        "workdays.suspend_deadline",
        deadline,
        reason=reason,
        approver=_actor_id(approver),
    )
    return deadline


@transaction.atomic
def resume_deadline(
    actor, deadline: Deadline, *, on: dt.date, reason: str = "", by_owner: bool = False
) -> Deadline:
    """Restart the clock on ``on``; the due date moves by the time the clock stood still."""
    deadline = _lock(deadline)
    _require_unowned(deadline, by_owner)
    _require_deadline_writer(actor, deadline.agency)
    _require_running(deadline)
    if deadline.suspended_since is None:
        raise RuleViolation(_("该期限未中止。"))
    if on < deadline.suspended_since:
        raise RuleViolation({"on": [_("恢复日期不能早于中止日期。")]})
    before = deadline.due
    due = _computed_due(deadline, queries.current_calendar(), rules.Event(DeadlineEventKind.RESUMED, on))
    DeadlineEvent.objects.create(
        deadline=deadline,
        kind=DeadlineEventKind.RESUMED,
        on=on,
        reason=reason.strip(),
        actor=actor,
        due_before=before,
        due_after=due.date,
    )
    deadline.suspended_since = None
    deadline.due, deadline.estimated = due.date, due.estimated
    deadline.save(update_fields=["suspended_since", "due", "estimated"])
    _record(deadline.agency, actor, "workdays.resume_deadline", deadline, due_before=before.isoformat())
    return deadline


@transaction.atomic
def extend_deadline(
    actor,
    deadline: Deadline,
    *,
    reason: str,
    approver,
    length: int | None = None,
    on: dt.date | None = None,
    by_owner: bool = False,
) -> Deadline:
    """延期: extend by ``length`` (in the deadline's unit; the kind's fixed extension when it has one), with a
    reason and the approving 负责人, within the number of extensions the kind allows."""
    deadline = _lock(deadline)
    _require_unowned(deadline, by_owner)
    kind = deadline.kind
    _require_deadline_writer(actor, deadline.agency)
    reason = _require_reason(reason)
    _require_approver(approver, deadline.agency)
    if deadline.met_on is not None:
        raise RuleViolation(_("该期限已完成，不能延期。"))
    _require_running(deadline)
    if deadline.direction == Direction.BEFORE:
        raise RuleViolation(_("“某日之前”的期限不能延期。"))
    if kind.max_extensions == 0:
        raise RuleViolation(_("“%(kind)s”为法定期限，不得延期。") % {"kind": kind.name})
    if kind.max_extensions is not None and deadline.extensions >= kind.max_extensions:
        raise RuleViolation(
            _("“%(kind)s”最多延期%(n)d次，已用完。") % {"kind": kind.name, "n": kind.max_extensions}
        )
    if length is None:
        length = kind.extension_length
    if length is None or length < 1:
        raise RuleViolation({"length": [_("请填写延长的期限。")]})
    if kind.extension_length is not None and length > kind.extension_length:
        raise RuleViolation(
            {
                "length": [
                    _("每次延长不得超过%(n)d%(unit)s。")
                    % {"n": kind.extension_length, "unit": kind.get_unit_display()}
                ]
            }
        )
    before = deadline.due
    due = _computed_due(
        deadline, queries.current_calendar(), rules.Event(DeadlineEventKind.EXTENDED, before, length)
    )
    DeadlineEvent.objects.create(
        deadline=deadline,
        kind=DeadlineEventKind.EXTENDED,
        on=on or timezone.localdate(),
        length=length,
        reason=reason,
        approver=approver,
        actor=actor,
        due_before=before,
        due_after=due.date,
    )
    deadline.extensions += 1
    deadline.due, deadline.estimated = due.date, due.estimated
    deadline.save(update_fields=["extensions", "due", "estimated"])
    _record(
        deadline.agency,
        actor,
        "workdays.extend_deadline",
        deadline,
        reason=reason,
        approver=_actor_id(approver),
        due_before=before.isoformat(),
    )
    return deadline


@transaction.atomic
def meet_deadline(actor, deadline: Deadline, *, on: dt.date, by_owner: bool = False) -> Deadline:
    """The thing due was done on ``on`` (late or not: the record keeps the date, the state shows it)."""
    deadline = _lock(deadline)
    _require_unowned(deadline, by_owner)
    _require_deadline_writer(actor, deadline.agency)
    if deadline.met_on is not None:
        raise RuleViolation(_("该期限已完成。"))
    _require_running(deadline)
    if deadline.suspended_since is not None:
        raise RuleViolation(_("该期限已中止，请先恢复计算。"))
    DeadlineEvent.objects.create(deadline=deadline, kind=DeadlineEventKind.MET, on=on, actor=actor)
    deadline.met_on = on
    deadline.save(update_fields=["met_on"])
    _record(deadline.agency, actor, "workdays.meet_deadline", deadline, late=on > deadline.due)
    return deadline


@transaction.atomic
def end_deadline(actor, deadline: Deadline, *, on: dt.date, reason: str) -> Deadline:
    """The deadline stops running without the thing due having been done, for ``reason`` (the case was
    cancelled, terminated, closed or archived, the filing refused…). It never shows as running or overdue
    again; the record keeps the date and the reason, and whether it had already run out (``late``)."""
    deadline = _lock(deadline)
    _require_deadline_writer(actor, deadline.agency)
    reason = _require_reason(reason)
    if deadline.met_on is not None:
        raise RuleViolation(_("该期限已完成。"))
    _require_running(deadline)
    DeadlineEvent.objects.create(
        deadline=deadline, kind=DeadlineEventKind.ENDED, on=on, reason=reason[:500], actor=actor
    )
    deadline.ended_on, deadline.end_reason = on, reason[:500]
    deadline.save(update_fields=["ended_on", "end_reason"])
    _record(
        deadline.agency,
        actor,
        "workdays.end_deadline",
        deadline,
        reason=reason,
        late=deadline.suspended_since is None and on > deadline.due,
    )
    return deadline


# Reminders (the periodic task ``workdays.tasks.remind``; docs/workdays.md "期限提醒").

REMINDER_BATCH = 200  # deadlines per transaction: a first run over an old database commits as it goes


def send_reminders(*, today: dt.date | None = None, limit: int = 100_000) -> int:
    """Remind the people a deadline concerns (``rules.reminder_recipients``) of every deadline that became due
    soon, overdue or (a party's period) elapsed and has not been reminded of at its current due date; returns how
    many reminders were sent. Each reminder is one ledger entry (``workdays.send_reminder``, by the platform) in
    the transaction that creates it; running again the same day sends nothing new."""
    today = today or timezone.localdate()
    calendar = queries.current_calendar()
    soon = queries.due_soon_working_days()
    ids = queries.reminder_candidates(today, _soon_horizon(calendar, today, soon))[:limit]
    return sum(
        _remind(ids[start : start + REMINDER_BATCH], today, calendar, soon)
        for start in range(0, len(ids), REMINDER_BATCH)
    )


def _soon_horizon(calendar, today: dt.date, soon: int) -> dt.date:
    """The last due date that can be "due soon" today (beyond the entered calendar: a generous estimate, the
    state of each deadline decides)."""
    try:
        return rules.add_working_days(calendar, today, soon).date
    except rules.OutOfRange:
        return today + dt.timedelta(days=2 * soon + 14)


@transaction.atomic
def _remind(ids: list[int], today: dt.date, calendar, soon: int) -> int:
    deadlines = (
        Deadline.objects.filter(pk__in=ids).select_related("kind", "agency").select_for_update(of=("self",))
    ).order_by("pk")
    sent = set(
        Reminder.objects.filter(deadline_id__in=ids).values_list("deadline_id", "due", "stage", "person_id")
    )
    heads: dict[int, set[int]] = {}
    made = 0
    for deadline in deadlines:
        state = queries.state_of(deadline, today, calendar, soon)
        if state == DeadlineState.OVERDUE and deadline.agency_id not in heads:
            from zhifa.org.queries import people_with_role

            heads[deadline.agency_id] = people_with_role(deadline.agency, Role.AGENCY_HEAD)
        recipients = rules.reminder_recipients(
            state,
            responsible=deadline.responsible_id,
            heads=heads.get(deadline.agency_id, ()),
            due=deadline.due,
            today=today,
        )
        for person_id, stage in recipients:
            if (deadline.pk, deadline.due, stage, person_id) in sent:
                continue
            reminder = Reminder.objects.create(
                deadline=deadline, person_id=person_id, stage=stage, due=deadline.due
            )
            _record(deadline.agency, None, "workdays.send_reminder", reminder)
            made += 1
    return made


def mark_reminders_read(person, ids=None) -> int:
    """The person read their reminders (``ids``, or all unread): their own bookkeeping, a volatile column the
    ledger does not follow (ledger_kinds). Nobody can mark another person's reminders."""
    qs = Reminder.objects.filter(person=person, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    return qs.update(read_at=timezone.now())

"""Pages: the year calendar, its entry and import, deadline kinds, deadlines. Reads through queries,
writes through actions."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from zhifa.core.forms import run_action
from zhifa.org.models import Agency
from zhifa.org.queries import has_role

from . import actions, forms, queries, rules
from .choices import DayKind
from .models import AgencyDeadlineSetting, DeadlineKind

# The festivals of 全国年节及纪念日放假办法 art. 2, in the order the State Council's notice lists them.
FESTIVALS = ("元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆节")  # as chinesecalendar names them


def _year_or_404(year: int) -> int:
    if not (rules.FIRST_YEAR <= year <= rules.LAST_YEAR):
        raise Http404
    return year


def _require_calendar_admin(user) -> None:
    if not queries.can_manage_calendar(user):
        raise PermissionDenied(_("只有系统管理员可以维护节假日安排。"))


# The calendar.


def _months(year: int, schedule: rules.YearSchedule) -> list[dict]:
    weeks_of = _calendar.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in weeks_of.monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                if day in schedule.holidays:
                    kind, name = DayKind.HOLIDAY, schedule.holidays[day]
                elif day in schedule.workdays:
                    kind, name = DayKind.WORKDAY, schedule.workdays[day]
                else:
                    kind, name = ("weekend" if day.weekday() >= 5 else "normal"), ""
                cells.append({"day": day, "kind": kind, "name": name})
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return months


@login_required
def calendar_view(request, year: int | None = None):
    if year is None:
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdigit() else timezone.localdate().year
    year = _year_or_404(year)
    cal = queries.current_calendar()
    schedule = cal.schedule(year)
    record = queries.year_record(year)
    exceptions = sorted(
        [(d, DayKind.HOLIDAY, n) for d, n in schedule.holidays.items()]
        + [(d, DayKind.WORKDAY, n) for d, n in schedule.workdays.items()]
    )
    return render(
        request,
        "workdays/calendar.html",
        {
            "year": year,
            "record": record,
            "schedule": schedule,
            "estimated": not schedule.confirmed,
            "months": _months(year, schedule),
            "exceptions": [
                {"date": d, "kind": k, "kind_label": DayKind(k).label, "name": n} for d, k, n in exceptions
            ],
            "working_days": rules.working_days_between(
                cal, dt.date(year - 1, 12, 31), dt.date(year, 12, 31)
            ).days
            if year > rules.FIRST_YEAR
            else None,
            "prev_year": year - 1 if year > rules.FIRST_YEAR else None,
            "next_year": year + 1 if year < rules.LAST_YEAR else None,
            "years": queries.calendar_years(),
            "can_manage": queries.can_manage_calendar(request.user),
            "warnings": queries.calendar_warnings(request.user),
        },
    )


def _festival_rows(schedule: rules.YearSchedule) -> list[dict]:
    """The schedule as the notice reads: per festival, its days off and its make-up workdays."""
    holidays: dict[str, list[dt.date]] = defaultdict(list)
    workdays: dict[str, list[dt.date]] = defaultdict(list)
    for d, n in schedule.holidays.items():
        holidays[n].append(d)
    for d, n in schedule.workdays.items():
        workdays[n].append(d)
    rows = []
    for name in sorted({*holidays, *workdays}, key=lambda n: min(holidays.get(n) or workdays[n])):
        days = sorted(holidays.get(name, []))
        rows.append(
            {
                "name": name,
                "first": days[0] if days else None,
                "last": days[-1] if days else None,
                "workdays": ", ".join(d.isoformat() for d in sorted(workdays.get(name, []))),
            }
        )
    return rows


@login_required
def year_edit(request, year: int):
    """Enter a year's schedule festival by festival, as the State Council notice lists it."""
    year = _year_or_404(year)
    _require_calendar_admin(request.user)
    record = queries.year_record(year)
    schedule = queries.current_calendar().schedule(year)
    if request.method == "POST":
        form = forms.YearForm(request.POST)
        festivals = forms.FestivalFormSet(request.POST, prefix="f")
        if form.is_valid() and festivals.is_valid():
            holidays: dict[dt.date, str] = {}
            workdays: dict[dt.date, str] = {}
            for row in festivals.cleaned_data:
                if not row or not row.get("name"):
                    continue
                if row.get("first"):
                    day = row["first"]
                    while day <= row["last"]:
                        holidays[day] = row["name"]
                        day += dt.timedelta(days=1)
                for day in row.get("workdays") or []:
                    workdays[day] = row["name"]
            ok, _record = run_action(
                form,
                lambda: actions.save_calendar_year(
                    request.user,
                    year=year,
                    holidays=holidays,
                    workdays=workdays,
                    confirmed=form.cleaned_data["confirmed"],
                    notice=form.cleaned_data["notice"],
                ),
            )
            if ok:
                messages.success(request, _("%(year)d年节假日安排已保存。") % {"year": year})
                return redirect("workdays:calendar_year", year)
    else:
        form = forms.YearForm(
            initial={
                "confirmed": record.confirmed if record else True,
                "notice": record.notice
                if record
                else _("国务院办公厅关于%(year)d年部分节假日安排的通知") % {"year": year},
            }
        )
        # A year with no record starts from the festivals' names: the estimate is no notice to copy from.
        rows = _festival_rows(schedule) if record else [{"name": name} for name in FESTIVALS]
        festivals = forms.FestivalFormSet(prefix="f", initial=rows)
    return render(
        request,
        "workdays/year_edit.html",
        {"year": year, "form": form, "festivals": festivals, "record": record},
    )


@login_required
def year_import(request, year: int):
    year = _year_or_404(year)
    _require_calendar_admin(request.user)
    form = forms.ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"notice": _("国务院办公厅关于%(year)d年部分节假日安排的通知") % {"year": year}},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _record = run_action(
            form,
            lambda: actions.import_calendar_text(
                request.user, year=year, text=d["text"], confirmed=d["confirmed"], notice=d["notice"]
            ),
        )
        if ok:
            messages.success(request, _("%(year)d年节假日安排已导入。") % {"year": year})
            return redirect("workdays:calendar_year", year)
    return render(request, "workdays/year_import.html", {"year": year, "form": form})


# Deadline kinds.


@login_required
def kind_list(request):
    user = request.user
    settable = list(queries.settable_agencies(user))
    own = user.agency if user.agency_id else None
    settings_by_kind = defaultdict(dict)
    for s in AgencyDeadlineSetting.objects.filter(agency__in=settable).select_related("agency"):
        settings_by_kind[s.kind_id][s.agency_id] = s
    rows = []
    for kind in queries.kinds():
        period = queries.period_for(kind, own)
        rows.append(
            {
                "kind": kind,
                "period": period,
                "agency_settings": [
                    {"agency": a, "setting": settings_by_kind[kind.pk].get(a.pk)} for a in settable
                ]
                if kind.agency_may_change
                else [],
            }
        )
    return render(
        request,
        "workdays/kinds.html",
        {"rows": rows, "can_edit": queries.can_edit_platform_kinds(user), "own_agency": own},
    )


@login_required
def kind_edit(request, code: str):
    if not queries.can_edit_platform_kinds(request.user):
        raise PermissionDenied(_("只有平台管理员可以修改期限种类。"))
    kind = get_object_or_404(DeadlineKind, code=code)
    form = forms.DeadlineKindForm(request.POST or None, instance=kind)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        kind.refresh_from_db()
        ok, _kind = run_action(form, lambda: actions.update_deadline_kind(request.user, kind, **changes))
        if ok:
            messages.success(request, _("已保存。"))
            return redirect("workdays:kinds")
    return render(
        request, "core/form.html", {"form": form, "title": _("修改期限种类：%(name)s") % {"name": kind.name}}
    )


@login_required
def kind_agency(request, code: str, agency_pk: int):
    kind = get_object_or_404(DeadlineKind, code=code)
    agency = get_object_or_404(Agency, pk=agency_pk)
    if not queries.settable_agencies(request.user).filter(pk=agency.pk).exists():
        raise PermissionDenied(_("只有该执法主体的系统管理员可以设定本机关期限。"))
    if not kind.agency_may_change:
        raise PermissionDenied(_("“%(kind)s”为法定期限，执法主体不能自行设定。") % {"kind": kind.name})
    setting = AgencyDeadlineSetting.objects.filter(agency=agency, kind=kind).first()
    form = forms.AgencySettingForm(
        request.POST or None,
        initial={
            "length": setting.length if setting else kind.length,
            "reason": setting.reason if setting else "",
        },
    )
    if request.method == "POST" and request.POST.get("clear"):
        actions.clear_agency_deadline(request.user, agency, kind)
        messages.success(request, _("已恢复为平台默认期限。"))
        return redirect("workdays:kinds")
    if request.method == "POST" and form.is_valid():
        ok, _setting = run_action(
            form,
            lambda: actions.set_agency_deadline(
                request.user,
                agency,
                kind,
                length=form.cleaned_data["length"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if ok:
            messages.success(request, _("本机关期限已设定。"))
            return redirect("workdays:kinds")
    return render(
        request,
        "workdays/kind_agency.html",
        {"form": form, "kind": kind, "agency": agency, "setting": setting},
    )


# Deadlines.


@login_required
def deadline_list(request):
    qs = queries.visible_deadlines(request.user)
    if request.GET.get("all") != "1":
        qs = qs.filter(met_on__isnull=True, ended_on__isnull=True)
    page = Paginator(qs.order_by("due", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workdays/deadlines.html",
        {"page": page, "rows": queries.with_state(page.object_list), "all": request.GET.get("all") == "1"},
    )


@login_required
def deadline_detail(request, pk: int):
    deadline = queries.access_deadline(request.user, pk)
    can_write = request.user.is_superuser or any(
        has_role(request.user, r, deadline.agency_id) for r in queries.DEADLINE_WRITER_ROLES
    )
    today = timezone.localdate()
    owned = actions.owned_message(deadline)
    target_url = getattr(deadline.target, "get_absolute_url", None)
    return render(
        request,
        "workdays/deadline_detail.html",
        {
            "deadline": deadline,
            "owned": owned,
            "target_url": target_url() if target_url else None,
            "row": queries.with_state([deadline])[0],
            "events": deadline.events.select_related("approver", "actor"),
            "can_write": can_write and not owned,
            "suspend_form": forms.SuspendForm(agency=deadline.agency, initial={"on": today}),
            "resume_form": forms.ResumeForm(initial={"on": today}),
            "extend_form": forms.ExtendForm(
                agency=deadline.agency, initial={"length": deadline.kind.extension_length}
            ),
            "meet_form": forms.MeetForm(initial={"on": today}),
        },
    )


@login_required
@require_POST
def deadline_change(request, pk: int, what: str):
    deadline = queries.access_deadline(request.user, pk)
    form_class, action = {
        "suspend": (forms.SuspendForm, actions.suspend_deadline),
        "resume": (forms.ResumeForm, actions.resume_deadline),
        "extend": (forms.ExtendForm, actions.extend_deadline),
        "meet": (forms.MeetForm, actions.meet_deadline),
    }.get(what, (None, None))
    if form_class is None:
        raise Http404
    kwargs = {"agency": deadline.agency} if form_class in (forms.SuspendForm, forms.ExtendForm) else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        ok, _result = run_action(form, lambda: action(request.user, deadline, **form.cleaned_data))
        if ok:
            messages.success(request, _("期限已更新。"))
            return redirect("workdays:deadline_detail", deadline.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("workdays:deadline_detail", deadline.pk)


# Reminders: a person's own (queries.my_reminders), sent by the periodic task (actions.send_reminders).


@login_required
def reminder_list(request):
    qs = queries.my_reminders(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workdays/reminders.html",
        {
            "page": page,
            "rows": [{"reminder": r, "text": queries.reminder_text(r)} for r in page.object_list],
            "unread_only": unread_only,
        },
    )


@login_required
@require_POST
def reminders_read(request):
    """Mark the chosen reminders (or, with ``all``, every unread one) read: one's own only."""
    if request.POST.get("all") == "1":
        ids = None
    else:
        ids = request.POST.getlist("reminder")
        if not ids:
            messages.error(request, _("请选择要标为已读的提醒。"))
            return redirect("workdays:reminders")
    done = actions.mark_reminders_read(request.user, ids)
    messages.success(
        request, ngettext("%(n)d条提醒已标为已读。", "%(n)d条提醒已标为已读。", done) % {"n": done}
    )
    return redirect("workdays:reminders")

"""The workdays app's object kinds and action names, registered with the ledger's registry."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _


def _access_any(model_name: str):
    """Platform reference data (the calendar, the kinds): any logged-in person may read its history."""

    def access(user, object_id):
        from django.apps import apps

        model = apps.get_model("workdays", model_name)
        obj = model.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if obj is None or not getattr(user, "is_authenticated", False):
            raise Http404
        return obj

    return access


def _access_setting(user, object_id):
    from zhifa.org.queries import access_agency

    from .models import AgencyDeadlineSetting

    setting = AgencyDeadlineSetting.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if setting is None:
        raise Http404
    access_agency(user, setting.agency_id)
    return setting


def _access_reminder(user, object_id):
    """A reminder: its recipient, and whoever may see its deadline (the deadline's history shows it was sent)."""
    from .models import Reminder
    from .queries import access_deadline

    reminder = Reminder.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if reminder is None or not getattr(user, "is_authenticated", False):
        raise Http404
    if reminder.person_id != user.pk:
        access_deadline(user, reminder.deadline_id)
    return reminder


def year_days(year) -> dict:
    """The entry's account of a calendar year's days, as ``save_calendar_year`` records them (from the prefetched
    days where the caller prefetched them: a new agency's log records every year, ``record_platform_data``)."""
    return {"days": sorted([d.date.isoformat(), d.kind, d.name] for d in year.days.all())}


def register() -> None:
    try:
        from zhifa.ledger import registry
    except ImportError:  # a ledger without a registry: nothing to register
        return
    from . import queries

    registry.register_kind(
        "workdays.calendaryear", label=_("节假日安排年度"), access=_access_any("CalendarYear")
    )
    registry.register_kind("workdays.deadlinekind", label=_("期限种类"), access=_access_any("DeadlineKind"))
    registry.register_kind(
        "workdays.agencydeadlinesetting",
        label=_("本机关期限设定"),
        access=_access_setting,
        agency=lambda setting: setting.agency,
    )
    registry.register_kind(
        "workdays.deadline",
        label=_("期限"),
        access=queries.access_deadline,
        agency=lambda deadline: deadline.agency,
    )
    registry.register_kind(
        "workdays.reminder",
        label=_("期限提醒"),
        access=_access_reminder,
        agency=lambda reminder: reminder.deadline.agency,
        volatile=("read_at",),  # the recipient's own bookkeeping (actions.mark_reminders_read)
    )
    registry.register_platform_data(
        "workdays.calendaryear", year_days, rows=lambda years: years.prefetch_related("days")
    )
    registry.register_platform_data("workdays.deadlinekind")
    registry.register_unrecorded(
        "workdays.calendarday",
        _("作为所属年度的一部分记录：录入年度安排的账本记录列出当年每一个放假和调休日期"),
    )
    registry.register_unrecorded("workdays.calendarversion", _("各进程工作日历缓存的版本标记，没有业务含义"))
    registry.register_actions(
        {
            "workdays.save_calendar_year": _("录入节假日安排"),
            "workdays.update_deadline_kind": _("修改期限种类"),
            "workdays.set_agency_deadline": _("设定本机关期限"),
            "workdays.clear_agency_deadline": _("恢复平台默认期限"),
            "workdays.open_deadline": _("开始计算期限"),
            "workdays.suspend_deadline": _("中止期限"),
            "workdays.resume_deadline": _("恢复计算期限"),
            "workdays.extend_deadline": _("延长期限"),
            "workdays.meet_deadline": _("期限事项完成"),
            "workdays.end_deadline": _("期限不再计算（案件终结）"),
            "workdays.send_reminder": _("发送期限提醒"),
            "workdays.recompute_deadline": _("因节假日安排变更重算期限"),
        }
    )

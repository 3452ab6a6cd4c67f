"""Django admin: read-only views of the reference data. Changes go through the pages (actions + ledger)."""

from django.contrib import admin

from .models import AgencyDeadlineSetting, CalendarDay, CalendarYear, Deadline, DeadlineKind


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnly):
    list_display = ["year", "confirmed", "source", "notice", "updated_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnly):
    list_display = ["date", "kind", "name", "year"]
    list_filter = ["kind", "year"]


@admin.register(DeadlineKind)
class DeadlineKindAdmin(ReadOnly):
    list_display = [
        "code",
        "name",
        "length",
        "unit",
        "direction",
        "holiday_rule",
        "agency_may_change",
        "legal_basis",
    ]


@admin.register(AgencyDeadlineSetting)
class AgencyDeadlineSettingAdmin(ReadOnly):
    list_display = ["agency", "kind", "length", "updated_at"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnly):
    list_display = ["kind", "agency", "label", "start", "due", "estimated", "met_on"]
    list_filter = ["kind", "agency"]

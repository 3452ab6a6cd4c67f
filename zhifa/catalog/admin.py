from django.contrib import admin

from zhifa.core.admin_mixins import ReadOnlyAdmin

from .models import (
    Article,
    AvRecordingItem,
    BenchmarkTier,
    EnforcementItem,
    Flowchart,
    GuideMaterial,
    Law,
    ListVersion,
    RandomInspectionItem,
    ServiceGuide,
)


@admin.register(Law)
class LawAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "level", "status"]
    search_fields = ["name"]


@admin.register(EnforcementItem)
class EnforcementItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "agency", "kind", "active", "needs_review"]
    search_fields = ["code", "name"]


@admin.register(ListVersion)
class ListVersionAdmin(ReadOnlyAdmin):
    list_display = ["agency", "kind", "number", "effective_on", "published_at"]
    exclude = ["data"]


for model in (
    Article,
    BenchmarkTier,
    RandomInspectionItem,
    AvRecordingItem,
    ServiceGuide,
    GuideMaterial,
    Flowchart,
):
    admin.site.register(model, ReadOnlyAdmin)

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Django's admin only to look: every change goes through the actions layer and the ledger."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

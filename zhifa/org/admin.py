from django.contrib import admin

from zhifa.core.admin_mixins import ReadOnlyAdmin

from .models import Agency, AuthEvent, Certificate, EnforcementField, Person, RoleAssignment, Unit


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "short_name", "credit_code", "parent"]
    search_fields = ["name", "code"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "agency", "unit", "is_active"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "person", "valid_from", "valid_to", "status"]
    search_fields = ["number"]


admin.site.register(Unit, ReadOnlyAdmin)
admin.site.register(EnforcementField, ReadOnlyAdmin)
admin.site.register(RoleAssignment, ReadOnlyAdmin)
admin.site.register(AuthEvent, ReadOnlyAdmin)

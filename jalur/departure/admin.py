from django.contrib import admin

from jalur.audit.modeladmin import AuditedModelAdmin

from .models import DepartureCase, DepartureGroup, FeeEntry


@admin.register(DepartureCase)
class DepartureCaseAdmin(AuditedModelAdmin):
    list_display = ["id", "candidate", "agency", "status", "planned_departure_on"]
    list_filter = ["status"]
    readonly_fields = ["status"]  # moves only through the departure services


admin.site.register([DepartureGroup, FeeEntry], AuditedModelAdmin)

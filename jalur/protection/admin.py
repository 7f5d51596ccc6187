from django.contrib import admin

from jalur.audit.modeladmin import AuditedModelAdmin

from .models import ArrivalConfirmation, CheckIn, Grievance, ReturnRecord


@admin.register(Grievance)
class GrievanceAdmin(AuditedModelAdmin):
    list_display = ["number", "status", "category", "agency", "opened_at", "due_at"]
    list_filter = ["status", "category"]
    search_fields = ["number", "worker_name"]
    readonly_fields = ["status", "secret_hash"]  # moves go through the workflow service


admin.site.register([ArrivalConfirmation, CheckIn, ReturnRecord], AuditedModelAdmin)

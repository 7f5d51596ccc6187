from django.contrib import admin

from jalur.core.admin_site import AuditedModelAdmin

from .models import JobType


@admin.register(JobType)
class JobTypeAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "code",
        "kbji_codes",
        "ssw_field",
        "e9_sector",
        "zero_cost",
        "is_active",
    ]
    list_filter = ["zero_cost", "is_active"]

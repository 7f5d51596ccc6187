from django.contrib import admin

from jalur.audit.modeladmin import AuditedModelAdmin

from .models import JobType, Pathway, PathwayAssignment


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


@admin.register(Pathway)
class PathwayAdmin(AuditedModelAdmin):
    list_display = ["name", "country", "placing_party", "state", "closes_on"]
    list_filter = ["country", "state", "placing_party"]
    filter_horizontal = ["job_types"]


@admin.register(PathwayAssignment)
class PathwayAssignmentAdmin(AuditedModelAdmin):
    list_display = ["candidate", "pathway", "job_type", "is_active", "assigned_at"]
    list_filter = ["pathway", "is_active"]
    # an assignment stays the person's (their row's `has_pathway` follows it, assignment_state.py)
    readonly_fields = ["candidate"]

    def has_add_permission(self, request):
        return False  # through pathway_assign, which checks the pathway and the rules

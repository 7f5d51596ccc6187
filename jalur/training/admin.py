"""Training in the system admin (sysadmins only); day-to-day work happens in the training pages."""

from django.contrib import admin

from jalur.audit.modeladmin import AuditedModelAdmin

from .models import Certificate, Cohort, Programme, Provider, ScaleSetting


@admin.register(Provider)
class ProviderAdmin(AuditedModelAdmin):
    list_display = ["organisation", "kind", "licence_number", "licence_valid_until", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "hours", "min_attendance_pct", "quota", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["pathways", "job_types"]


@admin.register(Cohort)
class CohortAdmin(AuditedModelAdmin):
    list_display = ["name", "programme", "provider", "start_date", "end_date", "capacity"]
    list_filter = ["programme", "provider"]


@admin.register(ScaleSetting)
class ScaleSettingAdmin(AuditedModelAdmin):
    list_display = ["test", "pass_mark", "valid_months"]


@admin.register(Certificate)
class CertificateAdmin(AuditedModelAdmin):
    list_display = ["number", "programme_name", "issued_on", "status"]
    list_filter = ["status"]
    search_fields = ["number"]
    readonly_fields = [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False  # issued only by completing a trainee

    def has_delete_permission(self, request, obj=None):
        return False  # revoked with a reason in the training pages, never deleted

"""The system admin's view of placement: corrections to reference data, every change audited.

State changes of orders and applications are not made here: they go through the services, which
check the rules and write the history. The admin shows them read-only.
"""

from django.contrib import admin

from jalur.audit.modeladmin import AuditedModelAdmin

from .models import Agency, AgencySuspension, Agreement, Application, JobOrder, RecruitmentPermit


class SuspensionInline(admin.TabularInline):
    model = AgencySuspension
    extra = 0
    fields = ["starts_on", "reason", "reference", "lifted_on", "lift_reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # through agency_suspend, which notifies the agency


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["organisation", "licence_number", "licence_valid_until", "apjati_number"]
    search_fields = ["organisation__name", "licence_number"]
    inlines = [SuspensionInline]


@admin.register(Agreement)
class AgreementAdmin(AuditedModelAdmin):
    list_display = ["number", "kind", "agency", "starts_on", "ends_on", "quota"]
    list_filter = ["kind"]
    search_fields = ["number", "title"]
    filter_horizontal = ["pathways", "job_types"]
    exclude = ["document", "content_type", "document_sha256"]


@admin.register(RecruitmentPermit)
class RecruitmentPermitAdmin(AuditedModelAdmin):
    """A permit's figures are the government's: once recorded they change only through a change
    request with the new permit's scan, approved by the labour office (the SIP2MI page)."""

    fields = ["agency", "number", "quota", "issued_on", "valid_until"]
    list_display = ["number", "agency", "quota", "issued_on", "valid_until"]
    search_fields = ["number"]

    def get_readonly_fields(self, request, obj=None):
        return ["agency", "number", "quota", "issued_on", "valid_until"] if obj else []


@admin.register(JobOrder)
class JobOrderAdmin(AuditedModelAdmin):
    list_display = ["reference", "position_title", "agency", "status", "positions", "deadline"]
    list_filter = ["status", "employer_country"]
    search_fields = ["reference", "employer_name", "position_title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(AuditedModelAdmin):
    list_display = ["order", "candidate", "status", "origin", "rank", "status_changed_at"]
    list_filter = ["status", "origin"]
    raw_id_fields = ["candidate", "order"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

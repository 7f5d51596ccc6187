from django.contrib import admin

from jalur.audit.modeladmin import AuditedModelAdmin

from .models import Candidate, StageHistory


@admin.register(Candidate)
class CandidateAdmin(AuditedModelAdmin):
    list_display = ["id", "full_name", "stage", "district", "created_at"]
    list_filter = ["stage", "sex", "channel"]
    search_fields = ["full_name", "nik", "phone"]
    readonly_fields = ["stage", "stage_changed_at"]  # stages move only through the stage service


@admin.register(StageHistory)
class StageHistoryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "candidate", "from_stage", "to_stage", "actor"]
    readonly_fields = [f.name for f in StageHistory._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

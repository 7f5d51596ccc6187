from django.contrib import admin

from .models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: audit rows can be searched but never added, changed or deleted here."""

    list_display = ["created_at", "actor_label", "kind", "action", "object_label", "ip_address"]
    list_filter = ["kind", "content_type"]
    search_fields = ["action", "actor_label", "object_label", "object_id", "reason"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

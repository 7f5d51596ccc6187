"""The Django admin, for system admins only, with every change audited."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import can


class JalurAdminSite(admin.AdminSite):
    site_header = _("Jalur: administrasi sistem")
    site_title = _("Admin Jalur")
    index_title = _("Administrasi")

    def has_permission(self, request):
        return request.user.is_active and can(request.user, "admin.site")


class JalurAdminConfig(AdminConfig):
    default_site = "jalur.core.admin_site.JalurAdminSite"


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes an audit row, in the same transaction, for every add, change and delete in the admin."""

    def save_model(self, request, obj, form, change):
        from jalur.audit.services import audit_record, diff, snapshot

        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=f"admin.{obj._meta.model_name}.{'change' if change else 'add'}",
                target=obj,
                changes=diff(before, snapshot(obj)),
            )

    def delete_model(self, request, obj):
        from jalur.audit.services import audit_record, snapshot

        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=f"admin.{obj._meta.model_name}.delete",
                target=obj,
                changes={k: [v, None] for k, v in snapshot(obj).items()},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

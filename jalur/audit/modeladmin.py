"""The base of every model admin: each add, change and delete in the Django admin is audited."""

from django.contrib import admin
from django.db import transaction

from .services import audit_record, diff, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes an audit row, in the same transaction, for every add, change and delete in the admin."""

    def save_model(self, request, obj, form, change):
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

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jalur.audit.modeladmin import AuditedModelAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    search_fields = ["username", "full_name", "email", "phone"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data diri"), {"fields": ("full_name", "email", "phone", "language")}),
        (_("Peran"), {"fields": ("role", "organisation", "is_active")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "role", "organisation", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined", "two_factor"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, (_("Verifikasi dua langkah"), {"fields": ("two_factor",)}))

    @admin.display(description=_("Verifikasi dua langkah"))
    def two_factor(self, obj):
        from .two_factor import enrolled

        state = _("terpasang") if enrolled(obj) else _("belum dipasang")
        return format_html(
            '{} · <a href="{}">{}</a>',
            state,
            reverse("accounts:otp_reset", args=[obj.pk]),
            _("Atur ulang (HP hilang)"),
        )

    def save_model(self, request, obj, form, change):
        from .roles import Role

        obj.is_staff = obj.is_superuser = obj.role == Role.SYSADMIN
        super().save_model(request, obj, form, change)

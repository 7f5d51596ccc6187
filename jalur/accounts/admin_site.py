"""The Django admin, for system admins only (every change is audited: `audit.modeladmin`)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from .roles import can


class JalurAdminSite(admin.AdminSite):
    site_header = _("Jalur: administrasi sistem")
    site_title = _("Admin Jalur")
    index_title = _("Administrasi")

    def register(self, model_or_iterable, admin_class=None, **options):
        """django_otp's devices are not shown: their secrets and recovery codes are stored as they
        are. A lost phone is reset on Jalur's own page (`accounts:otp_reset`), audited."""
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        models = [m for m in models if not m._meta.app_label.startswith("otp_")]
        if models:
            super().register(models, admin_class, **options)

    def has_permission(self, request):
        return request.user.is_active and can(request.user, "admin.site")


class JalurAdminConfig(AdminConfig):
    default_site = "jalur.accounts.admin_site.JalurAdminSite"

"""The Django admin, for system admins only (every change is audited: `audit.modeladmin`)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from .roles import can


class JalurAdminSite(admin.AdminSite):
    site_header = _("Jalur: administrasi sistem")
    site_title = _("Admin Jalur")
    index_title = _("Administrasi")

    def has_permission(self, request):
        return request.user.is_active and can(request.user, "admin.site")


class JalurAdminConfig(AdminConfig):
    default_site = "jalur.accounts.admin_site.JalurAdminSite"

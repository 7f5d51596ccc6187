from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jalur.audit"
    verbose_name = _("Jejak audit")
    nav = [(_("Jejak audit"), "audit:list", "audit.view")]

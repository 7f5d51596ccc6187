from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "jalur.api"
    verbose_name = _("API untuk sistem lain")
    nav = [(_("Token API"), "api_tokens:list", "api.tokens")]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "jalur.privacy"
    verbose_name = _("Data pribadi")
    nav = [(_("Data pribadi saya"), "privacy:my_data", "candidates.self")]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "jalur.exchange"
    verbose_name = _("Ekspor dan impor seluruh program (Data Package)")
    nav = [(_("Ekspor seluruh data program"), "exchange:exports", "programme.export")]

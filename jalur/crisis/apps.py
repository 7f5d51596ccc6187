from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "jalur.crisis"
    verbose_name = _("Kasus darurat pekerja di luar negeri")
    nav = [(_("Darurat"), "crisis:urgent_list", "protection.view")]

    def ready(self):
        from jalur.notifications.inbound import inbound_message

        from .receivers import inbound_reply

        inbound_message.connect(inbound_reply, dispatch_uid="crisis.inbound_reply")

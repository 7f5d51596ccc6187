from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CONSENT_CHECKED = "jalur_consent_ok"  # the session has been checked for a new consent version


def _ask_again_at_log_in(sender, request, user, **kwargs):
    """Each log-in checks once more whether a new consent version waits for an answer."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(CONSENT_CHECKED, None)


class PrivacyConfig(AppConfig):
    name = "jalur.privacy"
    verbose_name = _("Data pribadi")
    nav = [
        (_("Data pribadi saya"), "privacy:my_data", "candidates.self"),
        (_("Permintaan data pribadi"), "privacy:requests", "privacy.decide"),
        (_("Insiden data pribadi"), "privacy:breaches", "privacy.dpo"),
        (_("Teks persetujuan"), "privacy:consent_publish", "privacy.dpo"),
    ]

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_ask_again_at_log_in, dispatch_uid="jalur.privacy.consent_check")

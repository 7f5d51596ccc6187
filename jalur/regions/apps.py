from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_reference(sender, using="default", **kwargs):
    """Region codes are reference data: present in every database, including test databases."""
    from .models import District
    from .selectors import clear_caches
    from .services import regions_load

    if District.objects.using(using).count() < 7000:
        regions_load()
        clear_caches()


class RegionsConfig(AppConfig):
    name = "jalur.regions"
    verbose_name = _("Wilayah")

    def ready(self):
        post_migrate.connect(_load_reference, sender=self, dispatch_uid="jalur.regions.load")

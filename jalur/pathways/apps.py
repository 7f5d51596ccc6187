from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_reference(sender, using="default", **kwargs):
    from .reference import job_types_ensure

    job_types_ensure(using)


class PathwaysConfig(AppConfig):
    name = "jalur.pathways"
    verbose_name = _("Skema penempatan dan jenis pekerjaan")

    def ready(self):
        post_migrate.connect(
            _ensure_reference, sender=self, dispatch_uid="jalur.pathways.reference"
        )

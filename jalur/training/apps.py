from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_reference(sender, using="default", **kwargs):
    from .reference import scale_settings_ensure

    scale_settings_ensure(using)


class TrainingConfig(AppConfig):
    name = "jalur.training"
    verbose_name = _("Pelatihan")
    nav = [
        (_("Angkatan pelatihan"), "training:cohort_list", "training.view"),
        (_("Program pelatihan"), "training:programme_list", "training.view"),
        (_("Lembaga pelatihan"), "training:provider_list", "training.view"),
    ]
    public_nav = [
        (
            _("Cek sertifikat pelatihan"),
            "training:certificate_check",
            _("Periksa keaslian sertifikat pelatihan program ini dengan nomornya."),
        )
    ]

    def ready(self):
        from jalur.accounts.roles import Role
        from jalur.candidates.access import register_scope
        from jalur.pathways.results import register_results_source

        from .access import candidates_trained_by
        from .selectors import official_results

        post_migrate.connect(
            _ensure_reference, sender=self, dispatch_uid="jalur.training.reference"
        )
        register_scope(Role.TRAINING_STAFF, candidates_trained_by)
        register_results_source(official_results)

    def home_widgets(self, user) -> list[dict]:
        from .widgets import training_widgets

        return training_widgets(user)

    def candidate_sections(self, candidate, user) -> list[dict]:
        from .widgets import candidate_section

        return candidate_section(candidate, user)

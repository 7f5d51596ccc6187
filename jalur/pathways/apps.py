from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_reference(sender, using="default", **kwargs):
    from .reference import job_types_ensure, pathways_ensure

    job_types_ensure(using)
    pathways_ensure(using)


class PathwaysConfig(AppConfig):
    """Pathways as data (state, placing party, eligibility rules) and the job types they cover."""

    name = "jalur.pathways"
    verbose_name = _("Skema penempatan dan jenis pekerjaan")
    nav = [
        (_("Skema penempatan"), "pathways:list", "pathways.view"),
        (_("Kelayakan skema pencaker"), "pathways:eligibility", "pathways.view"),
    ]
    public_nav = [
        (
            _("Jalur resmi bekerja ke Korea dan Jepang"),
            "pathways:public",
            _("Skema penempatan yang dibuka, ditangguhkan atau ditutup, dan syaratnya."),
        )
    ]

    def ready(self):
        from jalur.candidates.routes import register_routes

        from .selectors import job_type_countries

        post_migrate.connect(
            _ensure_reference, sender=self, dispatch_uid="jalur.pathways.reference"
        )
        # candidates comes before pathways and does not import it: it asks where job types lead here
        register_routes(job_type_countries)

        from django.db.models.signals import post_delete, post_save

        from .assignment_state import assignment_deleted, assignment_saved
        from .models import PathwayAssignment

        # whether each person has an active pathway, on their row, in the assignment's transaction
        post_save.connect(
            assignment_saved, sender=PathwayAssignment, dispatch_uid="pathways_has_pathway"
        )
        post_delete.connect(
            assignment_deleted, sender=PathwayAssignment, dispatch_uid="pathways_has_pathway"
        )

    def home_widgets(self, user) -> list[dict]:
        from .sections import home_widgets

        return home_widgets(user)

    def candidate_sections(self, candidate, user) -> list[dict]:
        from .sections import candidate_section

        return candidate_section(candidate, user)

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_reference(sender, using="default", **kwargs):
    from .reference import candidates_reference_ensure

    candidates_reference_ensure(using)


class CandidatesConfig(AppConfig):
    name = "jalur.candidates"
    verbose_name = _("Pencari kerja (CPMI)")
    nav = [
        (_("Pencari kerja"), "candidates:list", "candidates.view"),
        (_("Daftarkan pencari kerja"), "candidates:walk_in", "candidates.register"),
        (_("Verifikasi pendaftaran"), "candidates:queue", "candidates.verify"),
        (_("Kemungkinan duplikat"), "candidates:duplicates", "candidates.verify"),
        (_("Impor Excel pencari kerja"), "candidates:import", "candidates.import"),
    ]
    public_nav = [
        (
            _("Daftar sebagai pencari kerja"),
            "candidates:register_start",
            _("Daftar gratis dari HP Anda: isi data, unggah dokumen, lalu pantau prosesnya."),
        ),
        (
            _("Penggunaan data pribadi"),
            "candidates:consent_text",
            _(
                "Data apa yang dikumpulkan, untuk apa, siapa yang melihat, dan berapa lama disimpan."
            ),
        ),
    ]

    def ready(self):
        post_migrate.connect(
            _ensure_reference, sender=self, dispatch_uid="jalur.candidates.reference"
        )
        from django.db.models.signals import post_delete, post_save

        from . import document_state as state
        from .models import Candidate, CandidateDocument, DocumentType

        # the first day each person misses a document, on their row, in the same transaction
        uid = "candidates_documents_due"
        post_save.connect(state.candidate_saved, sender=Candidate, dispatch_uid=uid)
        post_save.connect(state.document_saved, sender=CandidateDocument, dispatch_uid=uid)
        post_delete.connect(state.document_deleted, sender=CandidateDocument, dispatch_uid=uid)
        post_save.connect(state.document_type_changed, sender=DocumentType, dispatch_uid=uid)
        post_delete.connect(state.document_type_changed, sender=DocumentType, dispatch_uid=uid)

    def home_redirect(self, user) -> str | None:
        """A job seeker's start page is their own registration (core.views.home asks each app)."""
        from django.urls import reverse

        from jalur.accounts.roles import Role

        return reverse("candidates:me") if user.role == Role.CANDIDATE else None

    def home_widgets(self, user) -> list[dict]:
        from .widgets import candidate_home_widgets

        return candidate_home_widgets(user)

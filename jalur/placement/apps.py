from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "jalur.placement"
    verbose_name = _("Penempatan: P3MI, perjanjian, lowongan dan seleksi")

    nav = [
        (_("Lowongan (job order)"), "placement:order_list", "placement.view"),
        (_("P3MI"), "placement:agency_list", "placement.view"),
        (_("Perjanjian MoU dan PKS"), "placement:agreement_list", "placement.view"),
        (_("Keadilan seleksi"), "placement:fairness", "placement.fairness"),
        (_("Pencocokan program"), "placement:matching_runs", "placement.match"),
        (_("Lowongan dan lamaran saya"), "placement:my_placement", "candidates.self"),
    ]
    public_nav = [
        (
            _("Lowongan resmi ke luar negeri"),
            "placement:public_orders",
            _(
                "Lowongan ke Korea dan Jepang yang sudah diperiksa Disnakertrans, dengan izin SIP2MI, upah dan siapa yang menanggung biaya."
            ),
        ),
        (
            _("Daftar P3MI berizin"),
            "placement:public_agencies",
            _(
                "Perusahaan penempatan yang izinnya berlaku dan bermitra dengan program. Perusahaan yang tidak ada di daftar ini bukan mitra program."
            ),
        ),
    ]

    def ready(self):
        from jalur.accounts.roles import Role
        from jalur.candidates.access import register_scope

        from .access import candidates_of_agency

        register_scope(Role.AGENCY_STAFF, candidates_of_agency)

    def home_widgets(self, user) -> list[dict]:
        from .selectors import home_widgets

        return home_widgets(user)

    def candidate_sections(self, candidate, user) -> list[dict]:
        from .selectors import candidate_section

        return candidate_section(candidate, user)

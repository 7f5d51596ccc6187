from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartureConfig(AppConfig):
    name = "jalur.departure"
    verbose_name = _("Persiapan dan keberangkatan")
    nav = [
        (_("Persiapan keberangkatan"), "departure:list", "departure.view"),
        (_("Rombongan keberangkatan"), "departure:groups", "departure.view"),
    ]

    def home_widgets(self, user):
        from jalur.accounts.roles import can

        if not can(user, "departure.view"):
            return []
        from django.urls import reverse

        from .models import CaseStatus
        from .selectors import accepted_without_case, case_list, passports_held_too_long

        cases = case_list(user)
        url = reverse("departure:list")
        return [
            {
                "title": _("Keberangkatan"),
                "stats": [
                    {
                        "label": _("tawaran diterima, daftar periksa belum dimulai"),
                        "value": accepted_without_case(user).count(),
                        "url": url,
                    },
                    {
                        "label": _("sedang melengkapi dokumen"),
                        "value": cases.filter(status=CaseStatus.OPEN).count(),
                        "url": url + "?status=open",
                    },
                    {
                        "label": _("siap berangkat"),
                        "value": cases.filter(status=CaseStatus.READY).count(),
                        "url": url + "?status=ready",
                    },
                    {
                        "label": _("paspor ditahan terlalu lama"),
                        "value": passports_held_too_long(user).count(),
                        "url": url,
                    },
                ],
            }
        ]

    def candidate_sections(self, candidate, user):
        from .selectors import cases_for

        cases = list(
            cases_for(user)
            .filter(candidate=candidate)
            .prefetch_related("items", "fees", "no_fee_statements")
        )
        if not cases:
            return []
        return [
            {
                "title": _("Persiapan keberangkatan"),
                "template": "departure/_candidate_section.html",
                "context": {"cases": cases},
            }
        ]

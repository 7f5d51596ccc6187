from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartureConfig(AppConfig):
    name = "jalur.departure"
    verbose_name = _("Persiapan dan keberangkatan")
    nav = [
        (_("Persiapan keberangkatan"), "departure:list", "departure.view"),
        (_("Rombongan keberangkatan"), "departure:groups", "departure.view"),
        (_("Rekonsiliasi SISKOP2MI"), "departure:siskop2mi_list", "departure.endorse"),
    ]

    def candidate_export_columns(self):
        """The office's candidate export: where each person is placed (their latest departure
        case), so the list answers "who went where, with whom, when" without a second file."""
        from django.db.models import OuterRef, Subquery
        from django.db.models.functions import Coalesce

        from jalur.candidates.selectors import Column

        from .models import CaseStatus, ChecklistItem, DepartureCase

        def latest(path):
            cases = DepartureCase.objects.filter(candidate=OuterRef("pk")).order_by(
                "-created_at", "-pk"
            )
            return Subquery(cases.values(path)[:1])

        def annotate(field, path):
            return lambda rows: rows.annotate(**{field: latest(path)})

        statuses = dict(CaseStatus.choices)
        return [
            Column(
                "placement_agency",
                _("P3MI"),
                lambda c: c.export_agency or "",
                "departure.view",
                annotate("export_agency", "agency__organisation__name"),
            ),
            Column(
                "placement_employer",
                _("Pemberi kerja"),
                lambda c: c.export_employer or "",
                "departure.view",
                annotate("export_employer", "application__order__employer_name"),
            ),
            Column(
                "placement_position",
                _("Jabatan"),
                lambda c: c.export_position or "",
                "departure.view",
                annotate("export_position", "application__order__position_title"),
            ),
            Column(
                "placement_order",
                _("Nomor lowongan"),
                lambda c: c.export_order or "",
                "departure.view",
                annotate("export_order", "application__order__reference"),
            ),
            Column(
                "departure_status",
                _("Keberangkatan"),
                lambda c: str(statuses.get(c.export_case_status, "")),
                "departure.view",
                annotate("export_case_status", "status"),
            ),
            Column(
                "e_pmi",
                _("Nomor E-PMI"),
                lambda c: c.export_e_pmi or "",
                "departure.view",
                lambda rows: rows.annotate(
                    export_e_pmi=Subquery(
                        ChecklistItem.objects.filter(case__candidate=OuterRef("pk"), code="e_pmi")
                        .order_by("-case__created_at", "-pk")
                        .values("data__e_pmi")[:1]
                    )
                ),
            ),
            Column(
                "departed_on",
                _("Tanggal berangkat (atau rencana)"),
                lambda c: c.export_departure_on,
                "departure.view",
                lambda rows: rows.annotate(
                    export_departure_on=Coalesce(
                        latest("departed_on"), latest("planned_departure_on")
                    )
                ),
            ),
        ]

    def home_widgets(self, user):
        from django.urls import reverse

        from jalur.accounts.roles import can

        from .models import CaseStatus, ItemStatus
        from .selectors import (
            accepted_without_case,
            case_list,
            groups_ready,
            passports_held_too_long,
            waiting_items,
        )

        if not can(user, "departure.view"):
            return []
        cases = case_list(user)
        url = reverse("departure:list")
        items = waiting_items(user)
        # Each stage that waits for someone, counted on that person's home page.
        waiting = [
            {
                "label": _("butir menunggu pemeriksaan Disnakertrans"),
                "value": items.filter(status=ItemStatus.SUBMITTED).count(),
                "url": url + "?butir=submitted",
            },
            {
                "label": _("butir dikembalikan, menunggu diperbaiki P3MI"),
                "value": items.filter(status=ItemStatus.REJECTED).count(),
                "url": url + "?butir=rejected",
            },
            {
                "label": _("rombongan siap berangkat"),
                "value": groups_ready(user).count(),
                "url": reverse("departure:groups"),
            },
        ]
        if not can(user, "departure.endorse"):
            waiting = [waiting[1], waiting[0], waiting[2]]  # the P3MI's own work first
        return [
            {
                "title": _("Keberangkatan"),
                "stats": [
                    *waiting,
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
        for case in cases:
            # sent back and waiting for the worker (with the P3MI), while it is still being prepared
            case.items_back = (
                sum(1 for item in case.items.all() if item.status == "rejected")
                if case.status in ("open", "ready")
                else 0
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

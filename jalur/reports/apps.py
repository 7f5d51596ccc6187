from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "jalur.reports"
    verbose_name = _("Laporan dan statistik")
    nav = [
        (_("Dasbor program"), "reports:dashboard", "reports.dashboard"),
        (_("Laporan bulanan"), "reports:monthly", "reports.dashboard"),
        (
            _("Daftar kerja: tertahan, dokumen, kursi kosong"),
            "reports:stuck",
            "reports.operational",
        ),
    ]
    public_nav = [
        (
            _("Statistik program"),
            "reports:public",
            _(
                "Berapa orang mendaftar, dilatih dan berangkat bekerja ke luar negeri, per kecamatan, negara dan jenis pekerjaan."
            ),
        )
    ]

    def ready(self):
        from jalur.candidates.services import STAGE_LISTENERS

        from .services.sync import stats_candidate_sync

        if stats_candidate_sync not in STAGE_LISTENERS:
            STAGE_LISTENERS.append(stats_candidate_sync)

    def home_widgets(self, user) -> list[dict]:
        from jalur.accounts.roles import can

        if not can(user, "reports.dashboard"):
            return []
        from django.urls import reverse
        from django.utils.formats import number_format

        from .selectors.dashboard import home_figures

        figures = home_figures()
        url = reverse("reports:dashboard")
        return [
            {
                "title": _("Program"),
                "stats": [
                    # each label says what it counts: who ever reached the stage, since the start
                    {
                        "label": _("mengirim pendaftaran sejak awal program"),
                        "value": figures["registered"],
                        "url": url,
                    },
                    {
                        "label": _("terverifikasi sejak awal program"),
                        "value": figures["verified"],
                        "url": url,
                    },
                    {"label": _("sedang pelatihan"), "value": figures["training_now"], "url": url},
                    {
                        "label": _("berangkat sejak awal program"),
                        "value": figures["departed"],
                        "url": url,
                    },
                    {"label": _("target"), "value": figures["target"], "url": url},
                ],
                "text": _("%(pct)s%% dari target %(target)s orang sudah berangkat.")
                % {
                    "pct": number_format(figures["pct"] or 0, 1),
                    "target": number_format(figures["target"], 0, force_grouping=True),
                },
            }
        ]

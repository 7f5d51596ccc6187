from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "jalur.protection"
    verbose_name = _("Pelindungan setelah berangkat")
    nav = [
        (_("Pemantauan pekerja"), "protection:monitoring", "protection.view"),
        (_("Pengaduan"), "protection:grievance_list", "protection.view"),
    ]
    public_nav = [
        (
            _("Buat pengaduan"),
            "protection:public_grievance_new",
            _("Keluarga pekerja migran bisa melapor masalah tanpa akun."),
        ),
        (
            _("Kirim kabar pekerja"),
            "protection:family_checkin",
            _("Keluarga mengirim kabar bulanan pekerja di luar negeri dengan kode keluarga."),
        ),
        (
            _("Lacak pengaduan"),
            "protection:public_grievance_track",
            _("Lihat perkembangan pengaduan dengan nomor dan kode rahasia."),
        ),
    ]

    def home_widgets(self, user):
        from jalur.accounts.roles import can

        if not can(user, "protection.view"):
            return []
        from django.urls import reverse

        from .selectors import grievance_list, overdue_checkin_count

        open_cases = grievance_list(user, status="open")
        return [
            {
                "title": _("Pelindungan"),
                "stats": [
                    {
                        "label": _("pengaduan terbuka"),
                        "value": open_cases.count(),
                        "url": reverse("protection:grievance_list") + "?status=open",
                    },
                    {
                        "label": _("pengaduan lewat batas waktu"),
                        "value": grievance_list(user, overdue=True).count(),
                        "url": reverse("protection:grievance_list") + "?overdue=1",
                    },
                    {
                        "label": _("laporan kabar terlambat"),
                        "value": overdue_checkin_count(user),
                        "url": reverse("protection:monitoring") + "?overdue=1",
                    },
                ],
            }
        ]

    def candidate_sections(self, candidate, user):
        from jalur.candidates.stages import Stage

        if candidate.stage not in (Stage.DEPARTED, Stage.RETURNED):
            return []
        from .models import CheckIn

        return [
            {
                "title": _("Kabar dan pengaduan"),
                "template": "protection/_candidate_section.html",
                "context": {
                    "candidate": candidate,
                    "checkins": list(CheckIn.objects.filter(candidate=candidate)[:5]),
                    "grievances": list(candidate.grievances.order_by("-opened_at")[:5]),
                    "is_self": candidate.user_id == user.pk,
                },
            }
        ]

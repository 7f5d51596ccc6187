from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def grievance_days_check(app_configs, **kwargs):
    """`JALUR_GRIEVANCE_DAYS` may change the office's own service levels and shorten the
    regulation's deadlines, never lengthen them; a value the rules ignore is reported here."""
    from jalur.rules.grievances import settings_problems

    return [
        checks.Warning(problem, id="protection.W001", obj="JALUR_GRIEVANCE_DAYS")
        for problem in settings_problems()
    ]


class ProtectionConfig(AppConfig):
    name = "jalur.protection"
    verbose_name = _("Pelindungan setelah berangkat")
    nav = [
        (_("Pemantauan pekerja"), "protection:monitoring", "protection.view"),
        (_("Pengaduan"), "protection:grievance_list", "protection.view"),
        (_("Purna PMI"), "protection:returnees", "protection.manage"),
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

    def ready(self):
        checks.register(grievance_days_check, checks.Tags.compatibility)
        from django.db.models.signals import post_delete, post_save

        from .models import CheckIn
        from .services.checkin_state import checkin_deleted, checkin_saved

        # each worker's latest check-in on their row, in the check-in's own transaction
        post_save.connect(checkin_saved, sender=CheckIn, dispatch_uid="protection_checkin_state")
        post_delete.connect(
            checkin_deleted, sender=CheckIn, dispatch_uid="protection_checkin_state"
        )
        from .models import ReintegrationFollowUp, ReturnRecord
        from .services.returnee_state import return_deleted, return_saved

        # each returnee's first return and next follow-up on their row, in the same transaction
        for model in (ReturnRecord, ReintegrationFollowUp):
            post_save.connect(return_saved, sender=model, dispatch_uid="protection_returnee_state")
            post_delete.connect(
                return_deleted, sender=model, dispatch_uid="protection_returnee_state"
            )

    def home_widgets(self, user):
        from jalur.accounts.roles import can

        if not can(user, "protection.view"):
            return []
        from django.urls import reverse

        from jalur.rules.grievances import Party

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
                        "label": _("pengaduan: P3MI terlambat menjawab"),
                        "value": grievance_list(user, late=Party.AGENCY).count(),
                        "url": reverse("protection:grievance_list") + "?overdue=p3mi",
                    },
                    {
                        "label": _("pengaduan: Disnakertrans lewat batas waktu"),
                        "value": grievance_list(user, late=Party.OFFICE).count(),
                        "url": reverse("protection:grievance_list") + "?overdue=kantor",
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
        """On the person's own page from the moment they may complain (fees are demanded before
        departure too): their complaints and the link to file one. Once abroad, also their news
        and arrival. Staff see it for workers abroad or when there are complaints they may open."""
        from jalur.accounts.roles import can
        from jalur.candidates.stages import Stage

        from .models import CheckIn
        from .selectors import (
            current_arrival,
            grievances_for,
            may_complain_from_account,
            workers_for,
        )

        is_self = candidate.user_id == user.pk
        # News from abroad (a check-in may say "my passport is held") is for the person and for those
        # who follow the worker: the office, and the P3MI that placed them. Not for a P3MI the person
        # once applied to, nor for a training provider.
        abroad = candidate.stage in (Stage.DEPARTED, Stage.RETURNED) and (
            is_self
            or (can(user, "protection.view") and workers_for(user).filter(pk=candidate.pk).exists())
        )
        may_complain = is_self and may_complain_from_account(candidate)
        grievances = list(grievances_for(user).filter(candidate=candidate).order_by("-opened_at"))
        sections = self._returnee_sections(candidate, user, is_self=is_self)
        if not (abroad or may_complain or grievances):
            return sections
        return sections + [
            {
                "title": _("Kabar dan pengaduan") if abroad else _("Pengaduan"),
                "template": "protection/_candidate_section.html",
                "context": {
                    "candidate": candidate,
                    "abroad": abroad,
                    "arrival": current_arrival(candidate) if abroad else None,
                    "checkins": list(CheckIn.objects.filter(candidate=candidate)[:5])
                    if abroad
                    else [],
                    "grievances": grievances,
                    "is_self": is_self,
                    "may_complain": may_complain,
                },
            }
        ]

    def _returnee_sections(self, candidate, user, *, is_self: bool) -> list[dict]:
        """After a return: the reintegration follow-up and "Daftar lagi", for the person and the office."""
        from django.utils import timezone

        from jalur.accounts.roles import can

        from .return_selectors import follow_up_due

        if not (is_self or can(user, "protection.manage")) or not candidate.returns.exists():
            return []
        return [
            {
                "title": _("Setelah pulang"),
                "template": "protection/_returnee_section.html",
                "context": {
                    "candidate": candidate,
                    "is_self": is_self,
                    "due": follow_up_due(candidate, timezone.localdate()),
                },
            }
        ]

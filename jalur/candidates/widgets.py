"""The home-page widgets of the candidates app: every stage that waits for someone, counted, with
a direct link, on that person's home page (core.views.home asks each app's `home_widgets`)."""

import datetime

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.roles import can

from .models import Candidate, DuplicateFlag, ImportJob
from .stages import Stage


def candidate_home_widgets(user) -> list[dict]:
    """Staff home page, for who works on each: the verification queue and possible duplicates
    (verifiers), registrations to complete or put right (the desk), imports that left rows
    behind (who imports). A job seeker's home is their own page (`candidates:me`)."""
    widgets = []
    if can(user, "candidates.verify"):
        counts = Candidate.objects.aggregate(
            waiting=Count("pk", filter=Q(stage=Stage.REGISTERED)),
            correction=Count("pk", filter=Q(stage=Stage.CORRECTION)),
            oldest=Min("stage_changed_at", filter=Q(stage=Stage.REGISTERED)),
        )
        flags = DuplicateFlag.objects.filter(status=DuplicateFlag.Status.OPEN).count()
        queue = reverse("candidates:queue")
        text = ""
        if counts["oldest"]:
            days = (timezone.now() - counts["oldest"]).days
            text = _("Pendaftaran terlama sudah menunggu %(days)d hari.") % {"days": days}
        widgets.append(
            {
                "title": _("Verifikasi pendaftaran"),
                "stats": [
                    {"label": _("menunggu verifikasi"), "value": counts["waiting"], "url": queue},
                    {
                        "label": _("sedang diperbaiki"),
                        "value": counts["correction"],
                        "url": f"{queue}?stage={Stage.CORRECTION}",
                    },
                    {
                        "label": _("kemungkinan duplikat"),
                        "value": flags,
                        "url": reverse("candidates:duplicates"),
                    },
                ],
                "text": text,
            }
        )
    if can(user, "candidates.register"):
        today = timezone.localdate()
        counts = Candidate.objects.aggregate(
            today=Count("pk", filter=Q(created_at__date=today)),
            filling=Count("pk", filter=Q(stage=Stage.REGISTERING)),
            correction=Count("pk", filter=Q(stage=Stage.CORRECTION)),
            total=Count("pk"),
        )
        listing = reverse("candidates:list")
        widgets.append(
            {
                "title": _("Pendaftaran"),
                "stats": [
                    {
                        # every record begun today (on a phone, at the desk, by import);
                        # the reports count registrations sent
                        "label": _("data baru dibuat hari ini"),
                        "value": counts["today"],
                        "url": listing,
                    },
                    {
                        "label": _("masih mengisi"),
                        "value": counts["filling"],
                        "url": f"{listing}?stage={Stage.REGISTERING}",
                    },
                    {
                        # sent back by a verifier: the desk helps the person put it right
                        "label": _("dikembalikan untuk diperbaiki"),
                        "value": counts["correction"],
                        "url": f"{listing}?stage={Stage.CORRECTION}",
                    },
                    {"label": _("seluruh pencari kerja"), "value": counts["total"], "url": listing},
                ],
                "text": "",
            }
        )
    if can(user, "candidates.import"):
        widgets.append(_import_widget())
    return widgets


IMPORTS_RECENT_DAYS = 30


def imports_with_problems(*, days: int = IMPORTS_RECENT_DAYS):
    """Imports of the last `days` days that saved nothing of some rows: finished with rejected
    rows (not a trial run, whose rows are only checked) or failed altogether."""
    since = timezone.now() - datetime.timedelta(days=days)
    return ImportJob.objects.filter(created_at__gte=since).filter(
        Q(status=ImportJob.Status.FAILED)
        | Q(status=ImportJob.Status.DONE, rejected__gt=0, dry_run=False)
    )


def _import_widget() -> dict:
    url = reverse("candidates:import")
    problems = imports_with_problems()
    latest = problems.first()
    return {
        "title": _("Impor Excel pencari kerja"),
        "stats": [
            {
                "label": _("impor dengan baris ditolak atau gagal (%(days)d hari terakhir)")
                % {"days": IMPORTS_RECENT_DAYS},
                "value": problems.count(),
                # the latest one's report says which rows and why
                "url": reverse("candidates:import_job", args=[latest.pk]) if latest else url,
            },
            {
                "label": _("impor sedang berjalan"),
                "value": ImportJob.objects.filter(
                    status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
                ).count(),
                "url": url,
            },
        ],
        "text": "",
    }

"""Urgent cases of a worker abroad (SOS, crisis, repatriation) and the steps the law asks of the
office and the P3MI (jalur.rules.crisis holds the steps and their deadlines)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jalur.candidates.models import Candidate
from jalur.rules import crisis as rules


class UrgentCase(models.Model):
    class Kind(models.TextChoices):
        SOS = rules.Kind.SOS, _("SOS: minta tolong")
        WAR = rules.Kind.WAR, _("Krisis: perang atau kerusuhan")
        DISASTER = rules.Kind.DISASTER, _("Krisis: bencana alam")
        ABUSE = rules.Kind.ABUSE, _("Krisis: kekerasan atau eksploitasi pemberi kerja")
        DETENTION = rules.Kind.DETENTION, _("Krisis: ditahan aparat")
        ILLNESS = rules.Kind.ILLNESS, _("Pemulangan: sakit")
        DEATH = rules.Kind.DEATH, _("Pemulangan: meninggal dunia")
        CONTRACT_END = rules.Kind.CONTRACT_END, _("Pemulangan: kontrak berakhir bermasalah")

    class Via(models.TextChoices):
        REPLY = "reply", _("Balasan WhatsApp/SMS")
        WEB = "web", _("Tombol darurat di akun pekerja")
        STAFF = "staff", _("Dicatat petugas")

    class Status(models.TextChoices):
        OPEN = "open", _("Baru, belum ditangani")
        IN_HAND = "in_hand", _("Sedang ditangani")
        CLOSED = "closed", _("Selesai")

    class Outcome(models.TextChoices):
        SAFE = "safe", _("Pekerja aman, tetap bekerja")
        RESOLVED = "resolved", _("Masalah selesai di negara tujuan")
        RETURNED = "returned", _("Pekerja sudah pulang ke daerah asal")
        REMAINS_HOME = "remains_home", _("Jenazah sudah diterima keluarga")
        REFERRED = "referred", _("Diserahkan ke KP2MI/perwakilan RI")
        FALSE_ALARM = "false_alarm", _("Bukan keadaan darurat")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="urgent_cases")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.SOS)
    opened_at = models.DateTimeField(_("dibuka pada"), db_index=True)
    opened_via = models.CharField(_("masuk lewat"), max_length=10, choices=Via.choices)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    words = models.TextField(_("kata-kata pekerja"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(_("mulai ditangani"), null=True, blank=True)
    # The P3MI that placed the worker, told when the case opened (None: Jalur does not know it).
    agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="urgent_cases",
        verbose_name=_("P3MI"),
    )
    agency_told_at = models.DateTimeField(_("P3MI diberi tahu"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=20, choices=Outcome.choices, blank=True)
    closing_note = models.TextField(_("catatan penutupan"), blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("kasus darurat")
        verbose_name_plural = _("kasus darurat")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="urgent_closed_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"kasus darurat #{self.pk}"

    @property
    def group(self) -> str:
        return rules.GROUP_OF[rules.Kind(self.kind)]

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class UrgentStep(models.Model):
    class Party(models.TextChoices):
        OFFICE = rules.Party.OFFICE, _("Disnakertrans")
        AGENCY = rules.Party.AGENCY, _("P3MI")

    case = models.ForeignKey(UrgentCase, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(max_length=30)
    title = models.CharField(_("langkah"), max_length=200)
    party = models.CharField(_("pihak"), max_length=10, choices=Party.choices)
    due_at = models.DateTimeField(_("batas waktu"))
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("langkah kasus darurat")
        verbose_name_plural = _("langkah kasus darurat")
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="urgent_step_once_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case.audit_label()}: {self.code}"

    def audit_label(self) -> str:
        return f"langkah {self.code} kasus darurat #{self.case_id}"

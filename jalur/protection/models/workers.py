"""A departed worker: arrival, periodic check-ins, the family's code for sending news."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jalur.candidates.models import Candidate


class ReporterKind(models.TextChoices):
    WORKER = "worker", _("Pekerja sendiri")
    FAMILY = "family", _("Keluarga")
    STAFF = "staff", _("Petugas Disnakertrans")
    AGENCY = "agency", _("P3MI")


class ArrivalConfirmation(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="arrivals")
    arrived_on = models.DateField(_("tanggal tiba"))
    confirmed_by_kind = models.CharField(
        _("dikonfirmasi oleh"), max_length=10, choices=ReporterKind.choices
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    address_abroad = models.CharField(
        _("alamat/tempat kerja di negara tujuan"), max_length=255, blank=True
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-arrived_on"]
        verbose_name = _("konfirmasi kedatangan")
        verbose_name_plural = _("konfirmasi kedatangan")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "arrived_on"], name="one_arrival_per_candidate_and_date"
            )
        ]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"kedatangan #{self.pk}"


class CheckIn(models.Model):
    class Status(models.TextChoices):
        GOOD = "baik", _("Baik")
        PROBLEM = "masalah", _("Ada masalah")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="checkins")
    status = models.CharField(_("kabar"), max_length=10, choices=Status.choices)
    note = models.TextField(_("catatan"), blank=True)
    reporter_kind = models.CharField(
        _("dilaporkan oleh"), max_length=10, choices=ReporterKind.choices
    )
    reporter_name = models.CharField(_("nama pelapor"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"), db_index=True)
    # The structured answers (jalur.rules.checkins.QUESTIONS); empty on older reports and the family's.
    wage_on_time = models.BooleanField(_("gaji tepat waktu"), null=True, blank=True)
    passport_held = models.BooleanField(_("paspor dipegang sendiri"), null=True, blank=True)
    housing_ok = models.BooleanField(_("tempat tinggal layak"), null=True, blank=True)
    health_ok = models.BooleanField(_("sehat"), null=True, blank=True)
    need_help = models.BooleanField(_("perlu bantuan"), null=True, blank=True)
    wage_amount = models.DecimalField(
        _("gaji diterima"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("jam kerja seminggu"), null=True, blank=True
    )
    # What the answers were compared with, as it stood that day: the contract's wage and currency.
    contract_wage = models.DecimalField(
        _("gaji menurut kontrak"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    wage_currency = models.CharField(_("mata uang"), max_length=10, blank=True)
    channel = models.CharField(_("saluran"), max_length=10, default="web")
    # What the answers mean (rules.checkins.checkin_findings): [{kind, message, case, case_id}].
    findings = models.JSONField(_("temuan"), default=list, blank=True)

    ANSWER_FIELDS = (
        "wage_on_time",
        "passport_held",
        "housing_ok",
        "health_ok",
        "need_help",
        "wage_amount",
        "hours_per_week",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("laporan kabar")
        verbose_name_plural = _("laporan kabar")
        indexes = [models.Index(fields=["candidate", "-created_at"])]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"laporan kabar #{self.pk}"

    @property
    def answered(self) -> bool:
        """Whether this report carries the structured answers (not only good/problem and a note)."""
        return any(getattr(self, name) is not None for name in self.ANSWER_FIELDS)


class FamilyLink(models.Model):
    """How a departed worker's family sends news without an account: a code and a secret that the
    office gives them on paper (the secret is shown once and stored only as a hash). One is in use
    per worker; giving a new one retires it, and so does the worker's return."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="family_links")
    code = models.CharField(_("kode keluarga"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=128)
    family_name = models.CharField(_("nama anggota keluarga"), max_length=200)
    relation = models.CharField(_("hubungan dengan pekerja"), max_length=50)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("diberikan pada"))
    retired_at = models.DateTimeField(_("tidak berlaku sejak"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("kode keluarga")
        verbose_name_plural = _("kode keluarga")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(retired_at__isnull=True),
                name="one_family_link_in_use",
            )
        ]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"kode keluarga {self.code}"

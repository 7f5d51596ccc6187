"""Records of personal data removed under the retention rule (who, when, why)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Anonymisation(models.Model):
    candidate = models.OneToOneField(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="anonymisation"
    )
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("alasan"))

    class Meta:
        verbose_name = _("penghapusan data pribadi")
        verbose_name_plural = _("penghapusan data pribadi")

    def __str__(self) -> str:
        return f"anonimisasi pencari kerja #{self.candidate_id}"


class RightsRequest(models.Model):
    """A person's request to correct (UU PDP Pasal 6) or erase (Pasal 8) their data, and the
    office's decision. Made by the person on their own page or at the desk on their behalf."""

    class Kind(models.TextChoices):
        RECTIFY = "rectify", _("Perbaikan data")
        ERASE = "erase", _("Penghapusan data")

    class Status(models.TextChoices):
        OPEN = "open", _("Menunggu keputusan kantor")
        ACCEPTED = "accepted", _("Diterima")
        REFUSED = "refused", _("Ditolak")

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="rights_requests"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # rectification: {field name: new value as typed}
    changes = models.JSONField(_("perubahan yang diminta"), default=dict, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    evidence = models.FileField(
        _("bukti"), upload_to="privacy/requests/%Y/%m/", max_length=200, blank=True
    )
    evidence_type = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("diajukan pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    # erasure: the day what had to be kept goes (the retention run erases everything then)
    erase_after = models.DateField(_("sisa data dihapus pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("permintaan hak atas data")
        verbose_name_plural = _("permintaan hak atas data")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "kind"],
                condition=models.Q(status="open"),
                name="one_open_rights_request_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="rights_request_queue")]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"permintaan hak atas data #{self.pk}"


class ConsentAnswer(models.Model):
    """A person's answer to one version of the consent text: agreed, or not (which withdraws
    them). Kept per version with its time; agreeing also writes the candidate's ConsentRecord."""

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="consent_answers"
    )
    consent_text = models.ForeignKey(
        "candidates.ConsentText", on_delete=models.PROTECT, related_name="+"
    )
    agreed = models.BooleanField(_("setuju"))
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("jawaban atas teks persetujuan")
        verbose_name_plural = _("jawaban atas teks persetujuan")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "consent_text"], name="one_answer_per_consent_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consent_text_id} {'setuju' if self.agreed else 'tidak setuju'}"


class Breach(models.Model):
    """A failure to protect personal data (UU PDP Pasal 46): the register the data-protection
    officer keeps, with the 3 x 24 hour clock from discovery (`jalur.rules.privacy.breach_clock`)."""

    class Risk(models.TextChoices):
        LOW = "low", _("Rendah")
        MEDIUM = "medium", _("Sedang")
        HIGH = "high", _("Tinggi")

    class Status(models.TextChoices):
        OPEN = "open", _("Sedang ditangani")
        NOTIFIED = "notified", _("Sudah diberitahukan")
        CLOSED = "closed", _("Selesai")

    discovered_at = models.DateTimeField(_("diketahui pada"))
    description = models.TextField(_("apa yang terjadi"))
    data_kinds = models.CharField(_("jenis data"), max_length=300)
    people_affected = models.PositiveIntegerField(_("perkiraan jumlah orang"), default=0)
    risk = models.CharField(_("risiko"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    actions = models.TextField(_("tindakan yang diambil"), blank=True)
    people_notified_at = models.DateTimeField(
        _("orang terdampak diberi tahu"), null=True, blank=True
    )
    authority_notified_at = models.DateTimeField(_("lembaga diberi tahu"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    warned_at = models.DateTimeField(null=True, blank=True)  # the 24-hours-left warning went
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-discovered_at", "-id"]
        verbose_name = _("kegagalan pelindungan data")
        verbose_name_plural = _("register kegagalan pelindungan data")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "notified", "closed"]),
                name="breach_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"kegagalan pelindungan data #{self.pk}"

    @property
    def notified_at(self):
        """Both were told: the later of the two times (the clock stops then)."""
        if self.people_notified_at and self.authority_notified_at:
            return max(self.people_notified_at, self.authority_notified_at)
        return None

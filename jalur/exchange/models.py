"""An export of the whole programme started from the web: its progress and its private file."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _export_name(instance, filename: str) -> str:
    return f"exports/programme/{filename}"


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")
        EXPIRED = "expired", _("Berkas sudah dihapus")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    with_files = models.BooleanField(_("termasuk berkas unggahan"), default=False)
    file = models.FileField(_("berkas paket"), upload_to=_export_name, max_length=200, blank=True)
    size = models.BigIntegerField(_("ukuran (bita)"), default=0)
    sha256 = models.CharField(_("sha256 datapackage.json"), max_length=64, blank=True)
    total_rows = models.PositiveBigIntegerField(_("jumlah baris"), default=0)
    processed_rows = models.PositiveBigIntegerField(_("baris diproses"), default=0)
    error = models.TextField(_("galat"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ekspor program")
        verbose_name_plural = _("ekspor program")

    def __str__(self) -> str:
        return f"ekspor #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:export_job", args=[self.pk])

    def audit_label(self) -> str:
        return f"ekspor program #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED}

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def expires_at(self) -> datetime.datetime | None:
        if not self.finished_at:
            return None
        return self.finished_at + datetime.timedelta(days=settings.JALUR_EXPORT_KEEP_DAYS)

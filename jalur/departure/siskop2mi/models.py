"""A reconciliation: one SISKOP2MI export the office uploaded, compared row by row with Jalur.

The file and its rows are personal data (NIK, name, passport): kept privately, shown to the
office only, and deleted with the reconciliation on `delete_after`
(`services.reconciliations_expire`, run by `apply_retention`)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _export_name(instance, filename: str) -> str:
    """A storage name that says nothing about the file's people and cannot be guessed."""
    extension = "xlsx" if filename.lower().endswith((".xlsx", ".xls")) else "csv"
    return f"siskop2mi/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


class Reconciliation(models.Model):
    file = models.FileField(upload_to=_export_name, max_length=200, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    columns = models.JSONField(_("kolom yang terbaca"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delete_after = models.DateField(_("dihapus setelah"))
    rows_read = models.PositiveIntegerField(_("baris di berkas"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rekonsiliasi SISKOP2MI")
        verbose_name_plural = _("rekonsiliasi SISKOP2MI")

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"rekonsiliasi SISKOP2MI #{self.pk}"


class RowCategory(models.TextChoices):
    MATCHED = "matched", _("Cocok")
    DIFFERENT = "different", _("Ada perbedaan")
    ONLY_SISKOP2MI = "only_siskop2mi", _("Di SISKOP2MI, tidak di Jalur")
    ONLY_JALUR = "only_jalur", _("Di Jalur, tidak di SISKOP2MI")
    UNREADABLE = "unreadable", _("Baris tidak terbaca")


class ReconciliationRow(models.Model):
    """One person as the comparison found them: a file row (with or without its Jalur person), or a
    Jalur person at the departure stages missing from the file."""

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="rows"
    )
    category = models.CharField(_("hasil"), max_length=15, choices=RowCategory.choices)
    line = models.PositiveIntegerField(_("baris"), null=True, blank=True)  # in the file
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    siskop2mi = models.JSONField(default=dict, blank=True)  # {field: text}, as in the file
    jalur = models.JSONField(default=dict, blank=True)  # {field: text}, Jalur's at the comparison
    differences = models.JSONField(default=list, blank=True)  # the fields that differ
    note = models.CharField(max_length=300, blank=True)  # why a row could not be read
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["reconciliation", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=RowCategory.values),
                name="reconciliation_row_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"baris rekonsiliasi SISKOP2MI #{self.pk}"

"""The append-only audit trail: who changed or viewed what, when, from where, and why."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit rows are append-only.")

    def delete(self):
        raise PermissionError("Audit rows are append-only.")


class AuditLog(models.Model):
    class Kind(models.TextChoices):
        CHANGE = "change", _("Perubahan")
        VIEW = "view", _("Akses data pribadi")
        EXPORT = "export", _("Ekspor data")
        AUTH = "auth", _("Log-in/keluar")

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("nama pelaku"), max_length=200, blank=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.CHANGE)
    action = models.CharField(_("tindakan"), max_length=100)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # leads the (content_type, object_id, created_at) index
    )
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_label = models.CharField(_("objek"), max_length=200, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    # The writing transaction's id, so the API's changes feed serves rows in commit order (see
    # jalur.api.feed). On PostgreSQL the column defaults to pg_current_xact_id() (migration 0003);
    # elsewhere it stays 0 and the id alone orders the rows (SQLite has one writer at a time).
    xid = models.BigIntegerField(_("transaksi"), db_default=0, editable=False)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("jejak audit")
        # Each change writes a row, so only the indexes its readers use: one object's history,
        # a search by object id, by actor, by date (actions are searched by substring: no index).
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(fields=["object_id"], name="audit_object_id"),
            models.Index(fields=["xid", "id"], name="audit_commit_order"),  # the changes feed
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Audit rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit rows are append-only.")

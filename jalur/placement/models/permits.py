"""SIP2MI recruitment permits and the changes of their figures."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constraints import FieldCheckConstraint
from .documents import permit_document_name
from .partners import Agency


class RecruitmentPermit(models.Model):
    """An SIP2MI (Surat Izin Perekrutan PMI): the ministry's permit to recruit, with its quota.

    Several job orders may use one permit; together they may not hold more positions than its quota.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="permits")
    number = models.CharField(_("nomor SIP2MI"), max_length=100, unique=True)
    quota = models.PositiveIntegerField(_("kuota SIP2MI"))
    issued_on = models.DateField(_("tanggal terbit SIP2MI"), null=True, blank=True)
    valid_until = models.DateField(_("SIP2MI berlaku sampai"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SIP2MI")
        verbose_name_plural = _("SIP2MI")
        constraints = [
            FieldCheckConstraint(
                condition=Q(quota__gt=0),
                name="permit_quota_positive",
                field="quota",
                violation_error_message=_(
                    "Kuota SIP2MI paling sedikit 1 orang. Salin kuota yang tertulis di SIP2MI."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(issued_on__lte=F("valid_until")),
                name="permit_dates_ordered",
                field="valid_until",
                violation_error_message=_(
                    "SIP2MI berlaku sampai harus sama dengan atau sesudah tanggal terbitnya "
                    "(%(issued_on)s). Periksa kedua tanggal di SIP2MI."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"SIP2MI #{self.pk} ({self.number})"


PERMIT_CHANGE_PENDING = _(
    "Sudah ada perubahan SIP2MI ini yang menunggu pemeriksaan Disnakertrans. Tunggu keputusannya "
    "sebelum mengajukan perubahan lain."
)


class PermitChangeStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu pemeriksaan Disnakertrans")
    APPROVED = "approved", _("Disetujui, angka SIP2MI diubah")
    REFUSED = "refused", _("Ditolak")


class PermitChange(models.Model):
    """A request to change an SIP2MI's figures (its quota, its dates) because the ministry issued a
    new or amended permit: the new figures, the new permit's scan, and the labour office's decision.

    The permit keeps its figures, and the job order gate uses them, until the office approves. An
    approved change keeps the figures it replaced, so these rows are the permit's history of figures.
    """

    permit = models.ForeignKey(RecruitmentPermit, on_delete=models.PROTECT, related_name="changes")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PermitChangeStatus.choices,
        default=PermitChangeStatus.PENDING,
    )
    quota = models.PositiveIntegerField(_("kuota baru"))
    issued_on = models.DateField(_("tanggal terbit SIP2MI baru"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai (baru)"), null=True, blank=True)
    # the permit's figures when the change was asked for (and replaced, once approved)
    previous_quota = models.PositiveIntegerField(_("kuota sebelumnya"))
    previous_issued_on = models.DateField(_("tanggal terbit sebelumnya"), null=True, blank=True)
    previous_valid_until = models.DateField(_("berlaku sampai sebelumnya"), null=True, blank=True)
    note = models.TextField(_("keterangan P3MI"), blank=True)
    document = models.FileField(
        _("scan SIP2MI baru"), upload_to=permit_document_name, max_length=200
    )
    content_type = models.CharField(max_length=40)
    document_sha256 = models.CharField(max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("perubahan SIP2MI")
        verbose_name_plural = _("perubahan SIP2MI")
        constraints = [
            models.UniqueConstraint(
                fields=["permit"],
                condition=Q(status=PermitChangeStatus.PENDING),
                name="one_pending_change_per_permit",
                violation_error_message=PERMIT_CHANGE_PENDING,
            ),
            FieldCheckConstraint(
                condition=Q(quota__gt=0),
                name="permit_change_quota_positive",
                field="quota",
                violation_error_message=_(
                    "Kuota SIP2MI paling sedikit 1 orang. Salin kuota yang tertulis di SIP2MI baru."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(issued_on__lte=F("valid_until")),
                name="permit_change_dates_ordered",
                field="valid_until",
                violation_error_message=_(
                    "SIP2MI berlaku sampai harus sama dengan atau sesudah tanggal terbitnya "
                    "(%(issued_on)s). Periksa kedua tanggal di SIP2MI baru."
                ),
            ),
            FieldCheckConstraint(
                condition=~Q(status=PermitChangeStatus.REFUSED) | ~Q(decision_reason=""),
                name="permit_change_refusal_has_reason",
                field="decision_reason",
                violation_error_message=_(
                    "Tulis alasan penolakan; P3MI membacanya dan alasan ini tercatat di jejak audit."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permit} {self.requested_at:%d-%m-%Y}"

    def audit_label(self) -> str:
        return f"perubahan SIP2MI #{self.pk} (SIP2MI #{self.permit_id})"

    @property
    def is_pending(self) -> bool:
        return self.status == PermitChangeStatus.PENDING


# How the job order form, and the `data` of the job order services, name a permit's fields.
PERMIT_ORDER_FIELDS = {
    "number": "sip2mi_number",
    "quota": "sip2mi_quota",
    "issued_on": "sip2mi_issued_on",
    "valid_until": "sip2mi_valid_until",
}

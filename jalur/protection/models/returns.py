"""The worker's return home."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jalur.candidates.models import Candidate


class ReturnReason(models.TextChoices):
    CONTRACT_FINISHED = "contract_finished", _("Kontrak selesai")
    EARLY = "early", _("Pulang sebelum kontrak selesai")
    SICK = "sick", _("Sakit")
    DECEASED = "deceased", _("Meninggal dunia")
    OTHER = "other", _("Lainnya")


class Reintegration(models.TextChoices):
    TRAINING = "training", _("Pelatihan keterampilan")
    BUSINESS = "business", _("Pendampingan usaha")
    JOB = "job", _("Penempatan kerja dalam negeri")
    COUNSELLING = "counselling", _("Konseling/pemulihan")
    NONE = "none", _("Belum/tidak memerlukan")


class ReturnRecord(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="returns")
    returned_on = models.DateField(_("tanggal kepulangan"))
    reason = models.CharField(_("alasan"), max_length=20, choices=ReturnReason.choices)
    reason_note = models.TextField(_("keterangan"), blank=True)
    handover_to = models.CharField(_("diserahterimakan kepada (keluarga)"), max_length=200)
    handover_witness = models.CharField(_("saksi serah terima"), max_length=200)
    handover_witness_role = models.CharField(
        _("jabatan saksi"), max_length=100, help_text=_("mis. Lurah Cipare, petugas Disnakertrans")
    )
    handover_place = models.CharField(_("tempat serah terima"), max_length=200)
    reintegration = models.CharField(
        _("program reintegrasi"), max_length=20, choices=Reintegration.choices
    )
    reintegration_note = models.TextField(_("catatan reintegrasi"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-returned_on"]
        verbose_name = _("kepulangan")
        verbose_name_plural = _("kepulangan")

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"kepulangan #{self.pk}"

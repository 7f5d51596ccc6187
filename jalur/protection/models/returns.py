"""The worker's return home."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class FollowUpChannel(models.TextChoices):
    SELF = "self", _("Diisi sendiri di akun")
    PHONE = "phone", _("Ditelepon petugas")
    VISIT = "visit", _("Kunjungan petugas")


class YesNoMaybe(models.TextChoices):
    YES = "yes", _("Ya")
    NO = "no", _("Tidak")
    MAYBE = "maybe", _("Mungkin/belum tahu")


class IncomeBand(models.TextChoices):
    NONE = "none", _("Belum ada penghasilan")
    UNDER_1M = "lt1", _("Di bawah Rp1 juta sebulan")
    FROM_1M = "1to3", _("Rp1-3 juta sebulan")
    FROM_3M = "3to5", _("Rp3-5 juta sebulan")
    OVER_5M = "gt5", _("Di atas Rp5 juta sebulan")


class ReintegrationNeed(models.TextChoices):
    TRAINING = "training", _("Pelatihan keterampilan")
    CAPITAL = "capital", _("Modal usaha")
    HEALTH = "health", _("Kesehatan/pemulihan")
    LEGAL = "legal", _("Bantuan hukum (hak yang belum dibayar dll.)")


class ReintegrationFollowUp(models.Model):
    """One follow-up of a returnee, 1, 3 or 6 months after the return day (`rules.reintegration`):
    made with the return record, answered by the returnee on their own page or by the office by phone.
    """

    return_record = models.ForeignKey(
        ReturnRecord, on_delete=models.CASCADE, related_name="follow_ups"
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="reintegration_follow_ups"
    )
    month = models.PositiveSmallIntegerField(_("bulan ke-"))
    due_on = models.DateField(_("jatuh tempo"), db_index=True)
    done_at = models.DateTimeField(_("diisi pada"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("cara"), max_length=8, choices=FollowUpChannel.choices, blank=True)
    # the answers
    working = models.BooleanField(_("sudah bekerja"), null=True, blank=True)
    work_where = models.CharField(_("bekerja di mana/bidang apa"), max_length=200, blank=True)
    business_started = models.BooleanField(_("sudah membuka usaha"), null=True, blank=True)
    business_what = models.CharField(_("usaha apa"), max_length=200, blank=True)
    income_band = models.CharField(
        _("penghasilan sebulan"), max_length=4, choices=IncomeBand.choices, blank=True
    )
    wants_to_go_again = models.CharField(
        _("ingin bekerja ke luar negeri lagi"), max_length=5, choices=YesNoMaybe.choices, blank=True
    )
    go_again_where = models.CharField(
        _("negara/pekerjaan yang diinginkan"), max_length=200, blank=True
    )
    needs = models.JSONField(_("kebutuhan"), default=list, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # reminders sent, so the daily job tells each party once
    reminded_at = models.DateTimeField(null=True, blank=True)
    office_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("tindak lanjut reintegrasi")
        verbose_name_plural = _("tindak lanjut reintegrasi")
        constraints = [
            models.UniqueConstraint(
                fields=["return_record", "month"], name="one_follow_up_per_month_per_return"
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(channel=""),
                name="done_follow_up_has_channel",
            ),
        ]
        indexes = [models.Index(fields=["done_at", "due_on"])]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"tindak lanjut reintegrasi #{self.pk} (bulan ke-{self.month})"

    def needs_display(self) -> list[str]:
        labels = dict(ReintegrationNeed.choices)
        return [str(labels.get(code, code)) for code in self.needs]

"""Applications of candidates to job orders, and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.core.text import same_words

from ..states import ApplicationStatus
from .constraints import FieldCheckConstraint
from .orders import JobOrder

INTERVIEW_TIME_MISSING = _("Isi tanggal dan jam wawancara.")


class ApplicationOrigin(models.TextChoices):
    RECOMMENDED = "recommended", _("Rekomendasi Jalur")
    APPLIED = "applied", _("Lamaran sendiri")
    MATCHING = "matching", _("Pencocokan program")


class InterviewMode(models.TextChoices):
    IN_PERSON = "in_person", _("Tatap muka")
    ONLINE = "online", _("Daring (online)")


# An interview held before it was entered in Jalur may be recorded this long afterwards; an older
# date is far more often a mistyped year than a late entry.
INTERVIEW_RECORD_DAYS_BACK = 30


class InterviewResult(models.TextChoices):
    PASSED = "passed", _("Lulus wawancara")
    FAILED = "failed", _("Tidak lulus wawancara")


class Application(models.Model):
    """A candidate for one job order, from recommendation or application to the answer to an offer."""

    order = models.ForeignKey(JobOrder, on_delete=models.PROTECT, related_name="applications")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, db_index=True
    )
    origin = models.CharField(_("asal"), max_length=12, choices=ApplicationOrigin.choices)
    # the transparent score as it stood when the person was recommended or applied
    score = models.DecimalField(_("skor"), max_digits=5, decimal_places=1, null=True, blank=True)
    score_parts = models.JSONField(_("rincian skor"), default=dict, blank=True)
    rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    recommended_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    selected_at = models.DateTimeField(null=True, blank=True)
    # interview
    interview_at = models.DateTimeField(_("waktu wawancara"), null=True, blank=True)
    interview_mode = models.CharField(
        _("cara wawancara"), max_length=10, choices=InterviewMode.choices, blank=True
    )
    interview_place = models.CharField(
        _("tempat atau tautan wawancara"), max_length=300, blank=True
    )
    interview_result = models.CharField(
        _("hasil wawancara"), max_length=8, choices=InterviewResult.choices, blank=True
    )
    interview_notes = models.TextField(_("catatan wawancara"), blank=True)
    # offer: its key terms as fields, compared with the approved job order when it is made (the
    # amount is in the order's currency and wage unit); offers made before these fields have only
    # the free text.
    offer_position_title = models.CharField(
        _("jabatan yang ditawarkan"), max_length=200, blank=True
    )
    offer_wage_amount = models.DecimalField(
        _("gaji yang ditawarkan"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    offer_contract_months = models.PositiveSmallIntegerField(
        _("lama kontrak yang ditawarkan (bulan)"), null=True, blank=True
    )
    offer_terms = models.TextField(_("isi tawaran"), blank=True)
    offer_respond_by = models.DateField(_("jawab paling lambat"), null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(_("keterangan"), blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # An accepted offer that was worked: the day the worker came home (`protection.return_record`).
    # It stays accepted (the position was filled), but no longer holds the person: a returnee who
    # registers again may accept an offer in their next cycle.
    returned_on = models.DateField(_("pekerja pulang pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank", "created_at", "id"]
        verbose_name = _("lamaran")
        verbose_name_plural = _("lamaran")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "candidate"], name="one_application_per_candidate_per_order"
            ),
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(status=ApplicationStatus.ACCEPTED, returned_on__isnull=True),
                name="one_accepted_offer_per_candidate",
                violation_error_message=_(
                    "Pencari kerja ini sudah menerima tawaran kerja lain. Ia harus mundur dari "
                    "tawaran itu dulu."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="application_status_valid",
                field="status",
                violation_error_message=_("Status lamaran tidak dikenal. Muat ulang halaman."),
            ),
            FieldCheckConstraint(
                condition=~Q(status=ApplicationStatus.INTERVIEW_SCHEDULED)
                | Q(interview_at__isnull=False),
                name="scheduled_interview_has_time",
                field="interview_at",
                violation_error_message=INTERVIEW_TIME_MISSING,
            ),
            # The key terms of an offer come together or not at all (older offers have none).
            FieldCheckConstraint(
                condition=Q(
                    offer_wage_amount__isnull=True,
                    offer_contract_months__isnull=True,
                    offer_position_title="",
                )
                | (
                    Q(offer_wage_amount__gt=0, offer_contract_months__gt=0)
                    & ~Q(offer_position_title="")
                ),
                name="offer_key_terms_complete",
                field="offer_wage_amount",
                violation_error_message=_(
                    "Tawaran kerja menyebut jabatan, gaji (lebih dari 0) dan lama kontrak (bulan) "
                    "sekaligus. Lengkapi ketiganya."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["candidate", "status"]),
            # the job-order list counts running and accepted applications of its page's orders
            # from this index alone (selectors.order_counts)
            models.Index(fields=["order", "status"], name="application_order_status"),
        ]

    def __str__(self) -> str:
        return f"{self.order.reference} · {self.candidate_id}"

    def audit_label(self) -> str:
        return f"lamaran #{self.pk} (lowongan #{self.order_id}, pencari kerja #{self.candidate_id})"

    @property
    def offer_has_key_terms(self) -> bool:
        """False for an offer made before its wage, contract and position were recorded apart."""
        return self.offer_wage_amount is not None

    @property
    def offer_position_differs(self) -> bool:
        return self.offer_has_key_terms and not same_words(
            self.offer_position_title, self.order.position_title
        )


class ApplicationEvent(models.Model):
    """One move of an application: from, to, who, when, why. Append-only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("keterangan"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

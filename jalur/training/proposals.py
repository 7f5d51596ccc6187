"""A training provider's proposal to enrol someone in its cohort, and its state machine.

Enrolling takes a seat of the programme's quota the city pays for, so the programme manager
enrols. The provider (training staff of the LPK/BLK running the cohort) knows who walked in and is
ready: it proposes, and the manager confirms or declines, each step audited
(`services/proposals.py`). Confirming enrols the person exactly as the manager's own enrolment
does (seat, quota, waiting list, every check).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan pengelola program")
    ACCEPTED = "accepted", _("Disetujui")
    DECLINED = "declined", _("Ditolak")


P = ProposalStatus
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    P.PENDING: frozenset({P.ACCEPTED, P.DECLINED}),
    P.ACCEPTED: frozenset(),
    P.DECLINED: frozenset(),
}


class EnrolmentProposal(models.Model):
    cohort = models.ForeignKey(
        "training.Cohort", on_delete=models.PROTECT, related_name="proposals"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="enrolment_proposals"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
        db_index=True,
    )
    proposed_at = models.DateTimeField(_("diusulkan pada"), default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    enrolment = models.OneToOneField(
        "training.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )

    class Meta:
        app_label = "training"
        ordering = ["proposed_at", "id"]
        verbose_name = _("usulan peserta pelatihan")
        verbose_name_plural = _("usulan peserta pelatihan")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "candidate"],
                condition=Q(status="pending"),
                name="one_pending_proposal_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.cohort}"

    def audit_label(self) -> str:
        return f"usulan peserta #{self.pk} (pencari kerja #{self.candidate_id})"

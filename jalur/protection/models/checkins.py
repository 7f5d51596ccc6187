"""The monthly check-in's escalation and the worker's consent to tell their family.

A month without a check-in goes step by step (jalur.rules.checkins.escalation_level): the worker is
reminded, then the P3MI that placed them is told and must answer, then the family (only if the
worker agreed) and the office. One row per worker and due day keeps how far it went and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jalur.candidates.models import Candidate
from jalur.rules import checkins as rules


class EscalationLevel(models.TextChoices):
    REMINDED = rules.Level.REMINDED, _("Pekerja diingatkan")
    AGENCY_TOLD = rules.Level.AGENCY_TOLD, _("Terlewat: P3MI diberi tahu")
    FAMILY_OFFICE_TOLD = (
        rules.Level.FAMILY_OFFICE_TOLD,
        _("Terlewat dua kali: keluarga dan kantor diberi tahu"),
    )


class CheckInEscalation(models.Model):
    """One due check-in that was not sent in time, and each step taken about it."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="checkin_escalations"
    )
    due_on = models.DateField(_("jatuh tempo kabar"))
    level = models.CharField(_("langkah"), max_length=20, choices=EscalationLevel.choices)
    agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("P3MI"),
    )
    reminded_at = models.DateTimeField(_("diingatkan pada"), null=True, blank=True)
    agency_told_at = models.DateTimeField(_("P3MI diberi tahu pada"), null=True, blank=True)
    agency_answer_due = models.DateField(_("batas jawaban P3MI"), null=True, blank=True)
    agency_answer = models.TextField(_("jawaban P3MI"), blank=True)
    agency_answered_at = models.DateTimeField(_("P3MI menjawab pada"), null=True, blank=True)
    agency_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the office was told that the P3MI let its answer's deadline pass (told once).
    agency_late_told_at = models.DateTimeField(
        _("kantor diberi tahu P3MI terlambat pada"), null=True, blank=True
    )
    family_office_told_at = models.DateTimeField(
        _("keluarga dan kantor diberi tahu pada"), null=True, blank=True
    )
    # The text message to the family's number, when the worker agreed and a number is known.
    family_message = models.ForeignKey(
        "notifications.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "protection.CheckIn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditutup oleh kabar"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on"]
        verbose_name = _("kabar terlewat")
        verbose_name_plural = _("kabar terlewat")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "due_on"], name="one_escalation_per_worker_and_due_day"
            ),
            models.CheckConstraint(
                condition=Q(level__in=[level.value for level in rules.LEVELS if level]),
                name="checkin_escalation_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"kabar terlewat #{self.pk}"

    @property
    def missed(self) -> bool:
        return self.level != EscalationLevel.REMINDED

    @property
    def agency_late(self) -> bool:
        from django.utils import timezone

        return (
            self.agency_answer_due is not None
            and self.agency_answered_at is None
            and self.closed_at is None
            and timezone.localdate() > self.agency_answer_due
        )


class FamilyNoticeConsent(models.Model):
    """The worker's yes or no to their family (the emergency contact) being told when they miss two
    check-ins in a row. Without a row the answer is no."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="family_notice_consent"
    )
    agreed = models.BooleanField(_("keluarga boleh diberi tahu"), default=False)
    set_at = models.DateTimeField(_("diubah pada"))

    class Meta:
        verbose_name = _("persetujuan memberi tahu keluarga")
        verbose_name_plural = _("persetujuan memberi tahu keluarga")

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"persetujuan keluarga #{self.pk}"

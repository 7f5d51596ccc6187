"""A programme-wide matching run and its proposals (app label "placement").

A run keeps everything needed to show, audit and repeat it: the orders chosen, the settings (method,
cap, fairness floors), the inputs exactly as the engine saw them (gzip of canonical JSON, with the
score parts of every eligible pair) and their sha256 fingerprint, the figures of each method on those
inputs, and one proposal row per (method, order, person). A run is a proposal until the manager
publishes one method's proposals (then they become recommendations) or discards it.
"""

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models.constraints import FieldCheckConstraint

METHODS = ("greedy", "stable", "optimal")


class MatchingMethod(models.TextChoices):
    GREEDY = "greedy", _("Per lowongan (cara lama)")
    STABLE = "stable", _("Pencocokan stabil")
    OPTIMAL = "optimal", _("Penugasan optimal")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu diproses")
    RUNNING = "running", _("Sedang dihitung")
    DRAFT = "draft", _("Usulan, belum diterbitkan")
    PUBLISHED = "published", _("Diterbitkan")
    DISCARDED = "discarded", _("Dibatalkan")
    FAILED = "failed", _("Gagal dihitung")


# Which status may follow which (the services check this table).
RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.QUEUED: frozenset({RunStatus.RUNNING, RunStatus.FAILED}),
    RunStatus.RUNNING: frozenset({RunStatus.DRAFT, RunStatus.FAILED}),
    RunStatus.DRAFT: frozenset({RunStatus.PUBLISHED, RunStatus.DISCARDED}),
    RunStatus.PUBLISHED: frozenset(),
    RunStatus.DISCARDED: frozenset(),
    RunStatus.FAILED: frozenset(),
}


class MatchingRun(models.Model):
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    all_orders = models.BooleanField(_("semua lowongan yang dibuka"), default=True)
    orders = models.ManyToManyField(
        "placement.JobOrder", verbose_name=_("lowongan"), blank=True, related_name="+"
    )
    # {"method": "optimal", "max_orders_per_person": 1, "floors": [{"group", "value", "share"}]}
    settings = models.JSONField(_("pengaturan"), default=dict)
    # The day and moment the scores were computed for (the waiting part counts days up to it).
    scored_on = models.DateField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(_("sidik masukan"), max_length=64, blank=True, db_index=True)
    inputs = models.BinaryField(blank=True, default=b"")
    # {"orders": n, "people": n, "pairs": n, "methods": {method: figures}, "rows": comparison}
    summary = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    progress = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    repeat_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )
    published_method = models.CharField(max_length=8, choices=MatchingMethod.choices, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pencocokan program")
        verbose_name_plural = _("pencocokan program")
        constraints = [
            FieldCheckConstraint(
                condition=Q(status__in=RunStatus.values),
                name="matching_run_status_valid",
                field="status",
                violation_error_message=_("Status pencocokan tidak dikenal. Muat ulang halaman."),
            ),
        ]

    def __str__(self) -> str:
        return f"Pencocokan #{self.pk}"

    def audit_label(self) -> str:
        return f"pencocokan #{self.pk}"

    @property
    def method(self) -> str:
        return self.settings.get("method", MatchingMethod.OPTIMAL)

    @property
    def is_finished(self) -> bool:
        return self.status not in (RunStatus.QUEUED, RunStatus.RUNNING)


class MatchingProposal(models.Model):
    """One person proposed to one order by one method of a run. The manager's changes are rows too:
    a removed proposal stays (removed, with the reason), an added one is marked as the manager's."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    method = models.CharField(max_length=8, choices=MatchingMethod.choices)
    order = models.ForeignKey("placement.JobOrder", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="matching_proposals"
    )
    score = models.FloatField(_("skor"))
    score_parts = models.JSONField(_("rincian skor"), default=dict)
    rank = models.PositiveIntegerField(_("urutan"))
    adjusted_by_manager = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    reason = models.TextField(_("alasan perubahan"), blank=True)
    application = models.OneToOneField(
        "placement.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matching_proposal",
    )
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "method", "order_id", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "method", "order", "candidate"],
                name="one_proposal_per_run_method_order_candidate",
            ),
        ]
        indexes = [models.Index(fields=["candidate", "order"], name="matching_prop_cand_order")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.method}: {self.order_id} · {self.candidate_id}"

    def audit_label(self) -> str:
        return f"usulan pencocokan #{self.run_id} ({self.order_id}, {self.candidate_id})"

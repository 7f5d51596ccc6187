"""Pre-departure: the checklist per accepted offer, contract checks, passport custody, the fee ledger,
no-fee statements and group departures."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.pathways.models import Country
from jalur.placement.models import CostItem, CostPayer

from .states import CaseStatus


def _document_name(instance, filename: str) -> str:
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(
        getattr(instance, "content_type", ""), "jpg"
    )
    return f"keberangkatan/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


class DepartureGroup(models.Model):
    """Workers who fly together: one date, flight and airport, one P3MI."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        DEPARTED = "departed", _("Sudah berangkat")

    agency = models.ForeignKey(
        "placement.Agency",
        verbose_name=_("P3MI"),
        on_delete=models.PROTECT,
        related_name="departure_groups",
    )
    country = models.CharField(_("negara tujuan"), max_length=2, choices=Country.choices)
    departs_on = models.DateField(_("tanggal berangkat"))
    flight = models.CharField(_("penerbangan"), max_length=50, help_text=_("mis. GA 878"))
    airport = models.CharField(
        _("bandara keberangkatan"), max_length=100, default="Soekarno-Hatta (CGK)"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    departed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-departs_on"]
        verbose_name = _("rombongan keberangkatan")
        verbose_name_plural = _("rombongan keberangkatan")

    def __str__(self) -> str:
        return f"{self.departs_on:%d-%m-%Y} {self.flight}"

    def audit_label(self) -> str:
        return f"rombongan #{self.pk}"


# A case's place in the office's list: preparing, then ready, then departed, then ended.
CASE_STATUS_RANK = Case(
    *(When(status=s, then=Value(i)) for i, s in enumerate(CaseStatus.values)),
    output_field=models.IntegerField(),
)


class DepartureCase(models.Model):
    """One accepted offer on its way to departure."""

    application = models.OneToOneField(
        "placement.Application", on_delete=models.PROTECT, related_name="departure_case"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="departure_cases"
    )
    agency = models.ForeignKey(
        "placement.Agency", on_delete=models.PROTECT, related_name="departure_cases"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CaseStatus.choices,
        default=CaseStatus.OPEN,
        db_index=True,
    )
    planned_departure_on = models.DateField(_("rencana tanggal berangkat"), null=True, blank=True)
    group = models.ForeignKey(
        DepartureGroup,
        verbose_name=_("rombongan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    ended_reason = models.TextField(_("alasan dihentikan"), blank=True)
    departed_on = models.DateField(_("tanggal berangkat"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("persiapan keberangkatan")
        verbose_name_plural = _("persiapan keberangkatan")
        indexes = [
            # The office's list of running cases with items missing, soonest departure first and
            # no date last, pages by keyset on this (reports.operational.CASE_ORDER).
            models.Index(
                Coalesce("planned_departure_on", Value(datetime.date.max)),
                "created_at",
                "id",
                name="case_departs_order",
                condition=Q(status__in=[CaseStatus.OPEN, CaseStatus.READY]),
            ),
            # The list of cases: work still to do first, newest first within a state
            # (selectors.case_list, CASE_LIST_ORDER).
            models.Index(
                CASE_STATUS_RANK,
                F("created_at").desc(),
                F("id").desc(),
                name="case_list_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="departure_case_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.DEPARTED) | Q(departed_on__isnull=False),
                name="departed_case_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"persiapan keberangkatan #{self.pk}"


class ItemStatus(models.TextChoices):
    MISSING = "missing", _("Belum ada")
    SUBMITTED = "submitted", _("Menunggu pemeriksaan")
    VERIFIED = "verified", _("Sudah diperiksa")
    REJECTED = "rejected", _("Perlu diperbaiki")


class ChecklistItem(models.Model):
    case = models.ForeignKey(DepartureCase, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("butir"), max_length=30)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.MISSING)
    data = models.JSONField(default=dict, blank=True)
    document = models.FileField(upload_to=_document_name, max_length=200, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("catatan pemeriksa"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="one_item_per_code_per_case"),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="checklist_item_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | Q(checked_by__isnull=False, checked_at__isnull=False),
                name="verified_item_names_its_checker",
            ),
        ]
        # Which cases still have items to bring or fix (the office's list), without reading the
        # items that are done.
        indexes = [
            models.Index(
                fields=["case"],
                name="item_todo_by_case",
                condition=Q(status__in=["missing", "rejected"]),
            )
        ]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"butir {self.code} keberangkatan #{self.case_id}"

    @property
    def type(self):
        from .items import ITEM_TYPES

        return ITEM_TYPES[self.code]

    def data_rows(self) -> list[tuple]:
        from .items import data_rows

        return data_rows(self.code, self.data or {})


class ContractReview(models.Model):
    """A signed contract that differs from the approved job order (possible contract substitution)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Menunggu keputusan")
        ACCEPTED = "accepted", _("Diterima (tidak merugikan pekerja)")
        REJECTED = "rejected", _("Ditolak: kontrak harus diperbaiki")
        SUPERSEDED = "superseded", _("Digantikan kontrak yang lebih baru")

    case = models.ForeignKey(
        DepartureCase, on_delete=models.CASCADE, related_name="contract_reviews"
    )
    differences = models.JSONField(_("perbedaan"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("alasan keputusan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"kontrak #{self.pk}"

    def rows(self) -> list[tuple]:
        """(what, agreed, signed) with the contract form's labels, for the case page."""
        from .items import field_labels

        labels = field_labels("employment_contract")
        return [(labels.get(name, name), *values[:2]) for name, values in self.differences.items()]


class PassportCustody(models.Model):
    """A time the passport left the worker's hands (for a visa, say), and when it came back."""

    class Holder(models.TextChoices):
        AGENCY = "agency", _("P3MI")
        EMBASSY = "embassy", _("Kedutaan/kantor visa")
        TRAINING = "training", _("Lembaga pelatihan")
        OTHER = "other", _("Lainnya")

    case = models.ForeignKey(
        DepartureCase, on_delete=models.CASCADE, related_name="passport_custody"
    )
    holder_kind = models.CharField(_("dipegang oleh"), max_length=10, choices=Holder.choices)
    holder_name = models.CharField(_("nama pemegang"), max_length=200)
    purpose = models.CharField(_("keperluan"), max_length=200)
    handed_over_on = models.DateField(_("diserahkan tanggal"))
    returned_on = models.DateField(_("dikembalikan tanggal"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-handed_over_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("handed_over_on")),
                name="passport_returned_after_handover",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(returned_on__isnull=True),
                name="one_open_passport_handover",
            ),
        ]

    def __str__(self) -> str:
        return f"paspor #{self.pk}"


class FeeEntry(models.Model):
    """One cost of a worker's placement: what, how much, who paid, when, proof (the fee ledger)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        PAID = "paid", _("Sudah dibayar")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Menunggu keputusan Disnakertrans")
        ALLOWED = "allowed", _("Dibolehkan Disnakertrans")
        VIOLATION = "violation", _("Pelanggaran menurut Disnakertrans")

    case = models.ForeignKey(DepartureCase, on_delete=models.CASCADE, related_name="fees")
    item = models.CharField(_("jenis biaya"), max_length=20, choices=CostItem.choices)
    description = models.CharField(_("uraian"), max_length=200, blank=True)
    amount = models.DecimalField(_("jumlah"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("mata uang"), max_length=3, default="IDR")
    paid_by = models.CharField(_("dibayar oleh"), max_length=12, choices=CostPayer.choices)
    state = models.CharField(_("status"), max_length=10, choices=State.choices)
    paid_on = models.DateField(_("tanggal bayar"), null=True, blank=True)
    proof = models.FileField(_("bukti"), upload_to=_document_name, max_length=200, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    violation = models.BooleanField(_("pelanggaran"), default=False, db_index=True)
    violation_note = models.TextField(blank=True)
    violation_followed_up = models.TextField(_("tindak lanjut"), blank=True)
    # A worker-paid item the rules do not name ("Lainnya"): the labour office decides, with a reason.
    decision = models.CharField(
        _("keputusan Disnakertrans"), max_length=10, choices=Decision.choices, blank=True
    )
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(state="paid") | Q(paid_on__isnull=False), name="paid_fee_has_date"
            ),
            # A planned charge the rules forbid is refused, never recorded; a planned one is a
            # violation only when the office decided so on an item the rules leave to it.
            models.CheckConstraint(
                condition=~Q(state="planned", paid_by="worker", violation=True)
                | Q(decision="violation"),
                name="forbidden_planned_worker_fee_is_refused",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", "pending"])
                | Q(decided_at__isnull=False) & ~Q(decision_reason=""),
                name="fee_decision_names_who_and_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.amount} {self.currency}"

    def audit_label(self) -> str:
        return f"biaya #{self.pk} keberangkatan #{self.case_id}"


# A charge to the worker that stops the no-fee statement and the departure gate: a violation not
# yet followed up, or an item the office has not yet decided on.
FEE_VIOLATION_OPEN = Q(violation=True, violation_followed_up="")
FEE_UNDECIDED = Q(decision=FeeEntry.Decision.PENDING)
FEE_UNRESOLVED = FEE_VIOLATION_OPEN | FEE_UNDECIDED


class NoFeeStatement(models.Model):
    class Occasion(models.TextChoices):
        CONTRACT = "contract", _("Saat penandatanganan perjanjian kerja")
        DEPARTURE = "departure", _("Saat keberangkatan")

    case = models.ForeignKey(
        DepartureCase, on_delete=models.CASCADE, related_name="no_fee_statements"
    )
    occasion = models.CharField(max_length=10, choices=Occasion.choices)
    signed_on = models.DateField(_("tanggal ditandatangani"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "occasion"], name="one_no_fee_statement_per_occasion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} {self.signed_on}"


class IdentityNumber(models.Model):
    """A number that belongs to one person only (a passport number, an E-PMI or ID PMI number), as
    recorded on a checklist item. The unique (kind, number) pair keeps a second person from being
    recorded with it, even when two offices save at the same moment."""

    kind = models.CharField(max_length=40)  # "<item code>.<field>", e.g. "passport.number"
    number = models.CharField(max_length=100)  # letters and digits only, upper case
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="identity_numbers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="identity_number_one_person")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


# The SISKOP2MI reconciliation's models live beside its code; imported here so Django finds them.
from .siskop2mi.models import Reconciliation, ReconciliationRow, RowCategory  # noqa: E402, F401

"""Grievances with their deadlines, events and evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jalur.accounts.models import Organisation
from jalur.candidates.models import Candidate
from jalur.rules import grievances as rules

from .workers import ReporterKind


class GrievanceCategory(models.TextChoices):
    # First: fees are demanded before departure too (training, selection), and are the most
    # common breach of the no-fee rule (domain README §6).
    FEES = "fees", _("Diminta membayar biaya (penempatan, pelatihan, seleksi)")
    WAGES = "wages", _("Gaji tidak dibayar/kurang")
    CONDITIONS = "conditions", _("Kondisi kerja")
    CONTRACT = "contract", _("Kontrak tidak sesuai")
    DOCUMENT_WITHHELD = "document_withheld", _("Dokumen (paspor) ditahan")
    VIOLENCE = "violence", _("Kekerasan/pelecehan")
    HEALTH = "health", _("Kesehatan")
    WANTS_RETURN = "wants_return", _("Ingin pulang")
    OTHER = "other", _("Lainnya")


class GrievanceStatus(models.TextChoices):
    """The labels of the workflow's states; the states, moves and deadlines are jalur.rules.grievances."""

    # "Received": its own context, as "Diterima" elsewhere means accepted (a document, an order).
    RECEIVED = rules.State.RECEIVED, pgettext_lazy("grievance status", "Diterima")
    ASSIGNED = rules.State.ASSIGNED, _("Ditangani petugas")
    CLARIFICATION_1 = rules.State.CLARIFICATION_1, _("Menunggu klarifikasi pertama P3MI")
    CLARIFICATION_2 = rules.State.CLARIFICATION_2, _("Menunggu klarifikasi kedua P3MI")
    COMMITMENT = rules.State.COMMITMENT, _("Menunggu pemenuhan komitmen P3MI")
    MEDIATION = rules.State.MEDIATION, _("Mediasi")
    REFERRED = rules.State.REFERRED, _("Dirujuk ke BP3MI/KP2MI")
    RESOLVED = rules.State.RESOLVED, _("Selesai, menunggu penutupan")
    CLOSED = rules.State.CLOSED, _("Ditutup")


# What the status says once the P3MI has answered in a state where it had to: the next move is the
# office's (jalur.rules.grievances.standing), no longer "waiting for the P3MI".
STATUS_AFTER_AGENCY_ANSWER = {
    GrievanceStatus.CLARIFICATION_1: _("Klarifikasi pertama diterima — menunggu Disnakertrans"),
    GrievanceStatus.CLARIFICATION_2: _("Klarifikasi kedua diterima — menunggu Disnakertrans"),
    GrievanceStatus.COMMITMENT: _(
        "Laporan pemenuhan komitmen P3MI diterima — menunggu Disnakertrans"
    ),
}


class ClosingReason(models.TextChoices):
    """The labels of the closing reasons; when each may be used is jalur.rules.grievances."""

    RESOLVED = rules.Reason.RESOLVED, _("Masalah terselesaikan")
    REFERRED = rules.Reason.REFERRED, _("Ditangani BP3MI/KP2MI setelah rujukan")
    INCOMPLETE = rules.Reason.INCOMPLETE, _("Dokumen tidak lengkap selama 30 hari")
    NO_CONTACT = rules.Reason.NO_CONTACT, _("Tidak ada kontak selama 60 hari")
    WITHDRAWN = rules.Reason.WITHDRAWN, _("Dicabut oleh pelapor")
    DUPLICATE = rules.Reason.DUPLICATE, _("Duplikat pengaduan lain")


class Grievance(models.Model):
    number = models.CharField(_("nomor pengaduan"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=128, blank=True)
    # The id of the form it was sent from: the same form sent again (Back, then Kirim) finds this
    # case instead of opening a second one.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    reporter_kind = models.CharField(_("pelapor"), max_length=10, choices=ReporterKind.choices)
    reporter_name = models.CharField(_("nama pelapor"), max_length=200)
    reporter_phone = models.CharField(_("nomor HP pelapor"), max_length=16, blank=True)
    reporter_relation = models.CharField(_("hubungan dengan pekerja"), max_length=50, blank=True)
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("pekerja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grievances",
    )
    worker_name = models.CharField(_("nama pekerja"), max_length=200)
    worker_country = models.CharField(_("negara penempatan"), max_length=2, blank=True)
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("P3MI"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grievances",
        limit_choices_to={"kind": "placement_agency"},
    )
    category = models.CharField(_("kategori"), max_length=20, choices=GrievanceCategory.choices)
    description = models.TextField(_("uraian masalah"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GrievanceStatus.choices,
        default=GrievanceStatus.RECEIVED,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The deadline of whoever's turn it is: the P3MI's while it has not answered in a state where it
    # must, otherwise the office's (jalur.rules.grievances.standing).
    due_at = models.DateTimeField(_("batas waktu tahap ini"), null=True, blank=True, db_index=True)
    agency_due_at = models.DateTimeField(
        _("batas waktu jawaban P3MI pada tahap ini"), null=True, blank=True
    )
    agency_answered_at = models.DateTimeField(
        _("P3MI menjawab pada tahap ini"), null=True, blank=True
    )
    # Contact with the reporter: the opening, their messages and files, contact the office records.
    last_contact_at = models.DateTimeField(
        _("kontak terakhir dengan pelapor"), null=True, blank=True
    )
    documents_requested = models.TextField(_("dokumen yang diminta kepada pelapor"), blank=True)
    documents_requested_at = models.DateTimeField(_("dokumen diminta pada"), null=True, blank=True)
    documents_received_at = models.DateTimeField(_("dokumen masuk pada"), null=True, blank=True)
    outcome = models.TextField(_("hasil"), blank=True)
    closing_reason = models.CharField(
        _("alasan penutupan"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    opened_at = models.DateTimeField(_("dibuka"), db_index=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=GrievanceStatus.CLOSED, closed_at__isnull=False)
                & ~Q(closing_reason="")
                | ~Q(status=GrievanceStatus.CLOSED),
                name="closed_grievance_has_time_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=GrievanceStatus.values), name="grievance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"pengaduan {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status != GrievanceStatus.CLOSED

    @property
    def standing(self) -> rules.Standing:
        """Whose turn it is now, the P3MI's or the office's, and whether they are late."""
        return rules.standing(
            state=self.status,
            now=timezone.now(),
            due_at=self.due_at,
            agency_due_at=self.agency_due_at,
            agency_answered_at=self.agency_answered_at,
        )

    @property
    def status_label(self) -> str:
        """The status as the pages show it: in a state where the P3MI must answer, once it has
        answered, that the case now waits for the office (as `standing` says)."""
        if self.standing.agency_answered_at is not None:
            return STATUS_AFTER_AGENCY_ANSWER.get(self.status, self.get_status_display())
        return self.get_status_display()

    @property
    def is_overdue(self) -> bool:
        return self.standing.late

    def closing_facts(self) -> rules.ClosingFacts:
        return rules.ClosingFacts(
            state=self.status,
            opened_at=self.opened_at,
            last_contact_at=self.last_contact_at,
            documents_requested_at=self.documents_requested_at,
            documents_received_at=self.documents_received_at,
        )

    @property
    def documents_missing(self) -> bool:
        return rules.documents_missing(self.closing_facts())


class GrievanceEvent(models.Model):
    """The case timeline. `public` events are shown to the reporter on the follow-up page."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Pengaduan diterima")
        STATUS = "status", _("Status berubah")
        ASSIGNED = "assigned", _("Petugas ditunjuk")
        AGENCY_RESPONSE = "agency_response", _("Tanggapan P3MI")
        REPORTER_MESSAGE = "reporter_message", _("Pesan pelapor")
        NOTE = "note", _("Catatan petugas")
        EVIDENCE = "evidence", _("Bukti ditambahkan")
        DOCUMENTS_REQUESTED = "documents_requested", _("Dokumen diminta kepada pelapor")
        DOCUMENTS_RECEIVED = "documents_received", _("Dokumen diterima")
        CONTACT = "contact", _("Kontak dengan pelapor")

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=GrievanceStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=GrievanceStatus.choices, blank=True)
    text = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class GrievanceEvidence(models.Model):
    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="grievances/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by_kind = models.CharField(max_length=10, choices=ReporterKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"bukti pengaduan #{self.pk}"

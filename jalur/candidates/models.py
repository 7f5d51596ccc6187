"""Job seekers (calon pekerja migran), their consent, documents, verification and imports."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.regions.models import District, Village
from jalur.rules.jobs import COUNTRY_NAMES, country_name, education_rank

from .stages import JOURNEY, Stage

# Stages in which a person waits for a next step (the final ones and the off-path rejected,
# withdrawn, departed and returned are not); reports.operational lists them longest-waiting first.
RUNNING_STAGES = [
    Stage.REGISTERING,
    Stage.REGISTERED,
    Stage.CORRECTION,
    Stage.VERIFIED,
    Stage.TRAINING,
    Stage.TRAINED,
    Stage.SELECTION,
    Stage.PRE_DEPARTURE,
    Stage.READY,
]


class CheckInClass(models.IntegerChoices):
    """What a worker's latest monthly check-in (protection.CheckIn) said, for the monitoring list's
    order: a call for help or a passport held by someone else, another problem, or neither."""

    URGENT = 0, _("mendesak")
    PROBLEM = 1, _("ada masalah")
    OTHER = 2, _("tanpa masalah")


# The moment a departed worker's next check-in counts from: the later of their latest check-in and
# their move to 'departed' (a check-in of an earlier stay abroad does not count). One expression
# for the monitoring list's order and its index.
CHECKIN_SINCE = Greatest(
    Coalesce(F("checkin_last_at"), F("stage_changed_at")), F("stage_changed_at")
)


# Stages in which a returnee's reintegration follow-ups wait: on the way abroad again, abroad, or
# withdrawn (the monthly check-in follows them instead).
FOLLOW_UP_PAUSED_STAGES = [Stage.READY, Stage.DEPARTED, Stage.WITHDRAWN]
# A returnee's next follow-up for the office's list: the earliest not done (`follow_up_due_on`),
# or none (the far future) when all are done or they wait. One expression for the list's order
# (overdue first, then due, then coming) and its index.
FOLLOW_UP_NEXT = Case(
    When(stage__in=FOLLOW_UP_PAUSED_STAGES, then=Value(datetime.date.max)),
    default=Coalesce(F("follow_up_due_on"), Value(datetime.date.max)),
    output_field=models.DateField(),
)


# The stages in which a person's documents are checked: from registration until ready to leave
# (the documents-missing list, `document_state`).
DOCUMENT_STAGES = [
    Stage.REGISTERED,
    Stage.CORRECTION,
    *JOURNEY[JOURNEY.index(Stage.VERIFIED) : JOURNEY.index(Stage.READY) + 1],
]


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Religion(models.TextChoices):
    ISLAM = "islam", _("Islam")
    PROTESTANT = "protestan", _("Kristen Protestan")
    CATHOLIC = "katolik", _("Katolik")
    HINDU = "hindu", _("Hindu")
    BUDDHIST = "buddha", _("Buddha")
    CONFUCIAN = "khonghucu", _("Khonghucu")
    OTHER = "kepercayaan", _("Kepercayaan terhadap Tuhan YME")


class MaritalStatus(models.TextChoices):
    SINGLE = "belum_kawin", _("Belum kawin")
    MARRIED = "kawin", _("Kawin")
    DIVORCED = "cerai_hidup", _("Cerai hidup")
    WIDOWED = "cerai_mati", _("Cerai mati")


class Education(models.TextChoices):
    """Highest completed level; the order of the members is the order of the levels."""

    SD = "SD", _("SD/sederajat")
    SMP = "SMP", _("SMP/sederajat")
    SMA = "SMA", _("SMA/MA")
    SMK = "SMK", _("SMK")
    D3 = "D3", _("Diploma III")
    D4 = "D4", _("Diploma IV")
    S1 = "S1", _("S1 atau lebih tinggi")

    @classmethod
    def rank(cls, value: str | None) -> int:
        """SD=1 … S1=6; SMA and SMK share a rank (`jalur.rules.jobs.education_rank`)."""
        return education_rank(value)


class RegistrationChannel(models.TextChoices):
    SELF = "self", _("Daftar sendiri")
    WALK_IN = "walk_in", _("Meja pendaftaran")
    IMPORT = "import", _("Impor Excel")


class Candidate(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate",
    )
    # identity
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    kk_number = models.CharField(_("nomor KK"), max_length=16, blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=200)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    religion = models.CharField(_("agama"), max_length=16, choices=Religion.choices, blank=True)
    marital_status = models.CharField(
        _("status perkawinan"), max_length=16, choices=MaritalStatus.choices, blank=True
    )
    # address (domicile in the home region is decided by the kelurahan, never by the NIK)
    district = models.ForeignKey(
        District,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed in Meta: without the LIKE index PostgreSQL adds for text keys
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        db_index=False,  # indexed in Meta, as district
    )
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    street = models.CharField(_("jalan/alamat"), max_length=255, blank=True)
    # contact
    phone = models.CharField(_("nomor HP/WhatsApp"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    emergency_name = models.CharField(_("nama kontak darurat/keluarga"), max_length=200, blank=True)
    emergency_relation = models.CharField(_("hubungan"), max_length=50, blank=True)
    emergency_phone = models.CharField(_("nomor HP kontak darurat"), max_length=16, blank=True)
    # The worker's own number in the country of placement (E.164, e.g. +821012345678), added once
    # departed; the Indonesian `phone` stays. Used for log-in and messages only while abroad.
    phone_abroad = models.CharField(_("nomor HP di negara penempatan"), max_length=16, blank=True)
    # education and work
    education_level = models.CharField(
        _("pendidikan terakhir"), max_length=3, choices=Education.choices, blank=True
    )
    education_major = models.CharField(_("jurusan"), max_length=100, blank=True)
    work_experience = models.TextField(_("pengalaman kerja"), blank=True)
    experience_years = models.PositiveSmallIntegerField(
        _("lama pengalaman kerja (tahun)"), default=0
    )
    height_cm = models.PositiveSmallIntegerField(_("tinggi badan (cm)"), null=True, blank=True)
    weight_kg = models.PositiveSmallIntegerField(_("berat badan (kg)"), null=True, blank=True)
    prior_abroad_country = models.CharField(
        _("negara tempat pernah bekerja"), max_length=2, blank=True
    )
    prior_abroad_years = models.DecimalField(
        _("lama bekerja di luar negeri (tahun)"), max_digits=4, decimal_places=1, default=0
    )
    # preferences
    preferred_countries = models.JSONField(
        _("negara tujuan yang diminati"), default=list, blank=True
    )
    preferred_job_types = models.ManyToManyField(
        "pathways.JobType",
        verbose_name=_("jenis pekerjaan yang diminati"),
        blank=True,
        related_name="+",
    )
    # programme state
    stage = models.CharField(
        _("tahap"), max_length=20, choices=Stage.choices, default=Stage.REGISTERING
    )  # indexed with stage_changed_at in Meta
    stage_changed_at = models.DateTimeField(_("tahap berubah pada"), auto_now_add=True)
    # 1 for a first registration; one more each time a returnee starts again ("Daftar lagi"). The
    # stage history keeps every cycle; `protection` keeps each return and its follow-ups.
    cycle = models.PositiveSmallIntegerField(_("siklus"), default=1)
    channel = models.CharField(
        _("cara mendaftar"),
        max_length=10,
        choices=RegistrationChannel.choices,
        default=RegistrationChannel.SELF,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_version = models.CharField(_("versi persetujuan"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("waktu persetujuan"), null=True, blank=True)
    # A birth date that differs from the NIK's is allowed (Dukcapil does not reissue the NIK), but
    # an officer must have compared it with the KTP before the candidate is verified.
    birth_date_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tanggal lahir dicocokkan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    birth_date_confirmed_at = models.DateTimeField(
        _("tanggal lahir dicocokkan pada"), null=True, blank=True
    )
    # SISKOP2MI references (the national register stays the legal one)
    siskop2mi_id_pmi = models.CharField(_("ID PMI (SISKOP2MI)"), max_length=50, blank=True)
    # The latest check-in abroad, kept by protection (`protection.services.checkin_state`) in the
    # transaction of every check-in written, changed or deleted: when it came and what it said.
    # With `stage_changed_at` they give the monitoring list's order over an index (CHECKIN_SINCE).
    checkin_last_at = models.DateTimeField(
        _("kabar terakhir pada"), null=True, blank=True, editable=False
    )
    checkin_class = models.PositiveSmallIntegerField(
        _("isi kabar terakhir"),
        choices=CheckInClass.choices,
        default=CheckInClass.OTHER,
        editable=False,
    )
    # Whether the person has an active pathway assignment, kept by pathways
    # (`pathways.assignment_state`) in the transaction of every assignment made, ended or deleted:
    # the list of trained people waiting for a pathway reads it from the row, over an index.
    has_pathway = models.BooleanField(_("punya skema aktif"), default=False, editable=False)
    # After a return, kept by protection (`protection.services.returnee_state`) in the transaction
    # of every return and follow-up written: the first return day, and the earliest follow-up not
    # yet done. With the stage they give the returnees' list its order over an index (FOLLOW_UP_NEXT).
    returned_first_on = models.DateField(_("pertama pulang"), null=True, blank=True, editable=False)
    follow_up_due_on = models.DateField(
        _("tindak lanjut berikutnya"), null=True, blank=True, editable=False
    )
    # The first day on which the person misses a required document at their stage, kept by
    # `candidates.document_state` in the transaction of every document, stage or document type
    # written: the day of the stage move (or the day after an accepted one expired) when one is
    # missing now, the day after the earliest expiry when all are there, none when none will be.
    # Missing on a day `on` is `documents_due_on <= on`, in DOCUMENT_STAGES.
    documents_due_on = models.DateField(
        _("dokumen kurang sejak"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pencari kerja")
        verbose_name_plural = _("pencari kerja")
        constraints = [
            models.CheckConstraint(
                condition=Q(nik__regex=r"^[0-9]{16}$"), name="candidate_nik_16_digits"
            ),
            models.CheckConstraint(
                condition=Q(kk_number="") | Q(kk_number__regex=r"^[0-9]{16}$"),
                name="candidate_kk_16_digits",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="candidate_stage_valid"
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="candidate_sex_valid"),
            models.CheckConstraint(
                condition=Q(prior_abroad_years__gte=0), name="candidate_prior_years_positive"
            ),
            # One worker per number abroad: it logs them in. Partial, so it also indexes the look-up.
            models.UniqueConstraint(
                fields=["phone_abroad"],
                condition=~Q(phone_abroad=""),
                name="candidate_phone_abroad_unique",
            ),
        ]
        # Every index is written on each registration, so only those a query uses: by stage
        # (queues, stuck lists), the duplicate look-ups (phone; name and birth date in any case),
        # the kecamatan/kelurahan filters. Equality only: no LIKE indexes.
        indexes = [
            models.Index(fields=["stage", "stage_changed_at"]),
            models.Index(Lower("full_name"), "birth_date", name="candidate_name_birth_ci"),
            models.Index(fields=["phone"], name="candidate_phone"),
            models.Index(fields=["district"], name="candidate_district"),
            models.Index(fields=["village"], name="candidate_village"),
            # The operational lists (people waiting longest, documents missing) page by keyset
            # over the stages still running, oldest first: this index reads just the page.
            models.Index(
                fields=["stage_changed_at", "id"],
                name="candidate_waiting_since",
                condition=Q(stage__in=RUNNING_STAGES),
            ),
            # The pathways eligibility list pages one stage's people by name (keyset on
            # (full_name, id)): this index reads just the page. Only the stages a pathway is set
            # in, so a registration does not write it.
            models.Index(
                fields=["stage", "full_name", "id"],
                name="candidate_stage_name",
                condition=Q(stage__in=[Stage.VERIFIED, Stage.TRAINING, Stage.TRAINED]),
            ),
            # Trained people without a pathway, longest waiting first (pathways' waiting list,
            # keyset on (stage_changed_at, id)): a page is a range of this index.
            models.Index(
                fields=["stage_changed_at", "id"],
                name="candidate_waiting_pathway",
                condition=Q(stage=Stage.TRAINED, has_pathway=False),
            ),
            # The monitoring list of workers abroad pages by keyset in this order (urgent, then
            # other problems, then the longest silence), and the overdue count reads `since`.
            models.Index(
                F("checkin_class"),
                CHECKIN_SINCE,
                F("id"),
                name="candidate_monitoring",
                condition=Q(stage=Stage.DEPARTED),
            ),
            # The overdue count and the daily escalation run: CHECKIN_SINCE before a moment,
            # written on these two columns, is answered from this index alone (index-only scan).
            models.Index(
                fields=["stage_changed_at", "checkin_last_at"],
                name="candidate_departed_since",
                condition=Q(stage=Stage.DEPARTED),
            ),
            # The returnees' list pages by keyset in this order (the next follow-up, overdue
            # first; then the latest first return); only returnees are in it.
            models.Index(
                FOLLOW_UP_NEXT,
                F("returned_first_on").desc(),
                F("id"),
                name="candidate_returnees",
                condition=Q(returned_first_on__isnull=False),
            ),
            # The documents-missing list pages by keyset on (documents_due_on, id), missing
            # longest first: a page is a range of this index. Only people in DOCUMENT_STAGES have
            # a day, so the condition needs no stage list.
            models.Index(
                fields=["documents_due_on", "id"],
                name="candidate_documents_due",
                condition=Q(documents_due_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def audit_label(self) -> str:
        # No name or NIK: audit rows outlive personal data removed under the retention rules.
        return f"pencari kerja #{self.pk}"

    @property
    def phone_abroad_in_use(self) -> str:
        """The number abroad while the worker is abroad; "" once back, when the operator may give
        it to someone else (who must not log in or reset a password with it)."""
        return self.phone_abroad if self.stage == Stage.DEPARTED else ""

    @property
    def country_labels(self) -> list[str]:
        return [country_name(c) for c in self.preferred_countries if c in COUNTRY_NAMES]


class StageHistory(models.Model):
    """One row per stage move: from, to, who, when, why. Append-only."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="stage_history")
    from_stage = models.CharField(_("dari"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("ke"), max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("alasan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat tahap")
        verbose_name_plural = _("riwayat tahap")
        indexes = [models.Index(fields=["to_stage", "created_at"])]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class ConsentText(models.Model):
    """One published version of the consent to personal-data processing (UU PDP 27/2022).

    A version is never edited once a candidate has agreed to it: publish a new version instead. The
    Indonesian text is the binding one.
    """

    version = models.CharField(_("versi"), max_length=20, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    collected = models.TextField(_("data yang dikumpulkan"))
    purpose = models.TextField(_("tujuan"))
    recipients = models.TextField(_("siapa yang melihat"))
    retention = models.TextField(_("lama penyimpanan"))
    rights = models.TextField(_("hak Anda"))
    published_at = models.DateTimeField(_("berlaku sejak"), default=timezone.now)
    is_current = models.BooleanField(_("versi yang berlaku"), default=False)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("teks persetujuan")
        verbose_name_plural = _("teks persetujuan")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_consent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.title}"

    def audit_label(self) -> str:
        return f"teks persetujuan {self.version}"


class ConsentRecord(models.Model):
    """A candidate agreed to one consent version at one moment (append-only)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(_("waktu persetujuan"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(
        _("cara"),
        max_length=10,
        choices=RegistrationChannel.choices,
        default=RegistrationChannel.SELF,
    )

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("persetujuan data pribadi")
        verbose_name_plural = _("persetujuan data pribadi")

    def __str__(self) -> str:
        return f"{self.consent_text.version} {self.given_at:%Y-%m-%d}"


class DocumentType(models.Model):
    """A kind of document a candidate uploads. Later stages add their own (passport, medical…)."""

    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    stage = models.CharField(
        _("dibutuhkan sejak tahap"), max_length=20, choices=Stage.choices, default=Stage.REGISTERING
    )
    required = models.BooleanField(_("wajib"), default=False)
    has_expiry = models.BooleanField(_("punya masa berlaku"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("jenis dokumen")
        verbose_name_plural = _("jenis dokumen")

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"jenis dokumen {self.code}"


def _document_name(instance, filename: str) -> str:
    """A storage name that says nothing about the person and cannot be guessed."""
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(instance.content_type, "jpg")
    now = timezone.now()
    return f"dokumen/{now:%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


class DocumentStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Menunggu diperiksa")
    ACCEPTED = "accepted", _("Diterima")
    REJECTED = "rejected", _("Ditolak")
    EXPIRED = "expired", _("Kedaluwarsa")


class CandidateDocument(models.Model):
    """One uploaded file. A new upload of the same type supersedes the old one, which is kept."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("jenis dokumen"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("berkas"), upload_to=_document_name, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.UPLOADED,
        db_index=True,
    )
    rejection_reason = models.CharField(_("alasan ditolak"), max_length=300, blank=True)
    expires_on = models.DateField(_("berlaku sampai"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("diganti pada"), null=True, blank=True)

    class Meta:
        ordering = ["document_type__sort_order", "-uploaded_at"]
        verbose_name = _("dokumen pencari kerja")
        verbose_name_plural = _("dokumen pencari kerja")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "document_type"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_document_per_type",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejected_document_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="document_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} ({self.get_status_display()})"

    def audit_label(self) -> str:
        return f"dokumen #{self.pk} ({self.document_type.code}) pencari kerja #{self.candidate_id}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def is_expired_on(self, day) -> bool:
        return self.status == DocumentStatus.EXPIRED or bool(
            self.expires_on and self.expires_on < day
        )


class Decision(models.TextChoices):
    VERIFIED = "verified", _("Terverifikasi")
    CORRECTION = "correction", _("Perlu perbaikan")
    REJECTED = "rejected", _("Ditolak")


class VerificationDecision(models.Model):
    """What the office decided after checking a registration, with the list shown to the candidate."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("keputusan"), max_length=12, choices=Decision.choices)
    items = models.JSONField(_("yang perlu diperbaiki"), default=list, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("keputusan verifikasi")
        verbose_name_plural = _("keputusan verifikasi")

    def __str__(self) -> str:
        return self.get_decision_display()


class DuplicateFlag(models.Model):
    """Two candidates who may be the same person; a verifier confirms or dismisses. Never merged."""

    class Reason(models.TextChoices):
        SAME_PHONE = "same_phone", _("Nomor HP sama, NIK berbeda")
        SAME_NAME_BIRTH = "same_name_birth", _("Nama dan tanggal lahir sama")

    class Status(models.TextChoices):
        OPEN = "open", _("Perlu diperiksa")
        CONFIRMED = "confirmed", _("Benar duplikat")
        DISMISSED = "dismissed", _("Bukan duplikat")

    first = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("alasan"), max_length=20, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("ditemukan"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kemungkinan duplikat")
        verbose_name_plural = _("kemungkinan duplikat")
        constraints = [
            models.UniqueConstraint(fields=["first", "second", "reason"], name="one_flag_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="flag_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.first_id} / #{self.second_id}: {self.get_reason_display()}"

    def audit_label(self) -> str:
        return f"kemungkinan duplikat #{self.pk} (pencari kerja #{self.first_id} dan #{self.second_id})"


def _import_name(instance, filename: str) -> str:
    return f"impor/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.xlsx"


def _report_name(instance, filename: str) -> str:
    extension = "xlsx" if filename.endswith(".xlsx") else "csv"  # reports before .xlsx were CSV
    return f"impor/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


class ImportJob(models.Model):
    """One Excel import, from the web or the command line, with its progress and per-row report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    file = models.FileField(upload_to=_import_name, max_length=200, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    dry_run = models.BooleanField(_("uji coba (tidak menyimpan)"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    processed_rows = models.PositiveIntegerField(_("baris diproses"), default=0)
    accepted = models.PositiveIntegerField(_("diterima"), default=0)
    flagged = models.PositiveIntegerField(_("diterima, kemungkinan duplikat"), default=0)
    duplicates = models.PositiveIntegerField(_("sudah terdaftar"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    problems = models.JSONField(_("contoh baris bermasalah"), default=list, blank=True)
    report = models.FileField(upload_to=_report_name, max_length=200, blank=True)
    error = models.TextField(_("galat"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor Excel")
        verbose_name_plural = _("impor Excel")

    def __str__(self) -> str:
        return self.original_name

    def audit_label(self) -> str:
        return f"impor #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def report_is_excel(self) -> bool:
        return self.report.name.endswith(".xlsx")

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

"""Training: providers, programmes, cohorts and their sessions, enrolment, attendance, test results,
certificates and costs."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import OrganisationKind
from jalur.pathways.models import JlptLevel, JobType, Pathway

from .scales import EPS_SECTION_MAX, JFT_MAX, JFT_MIN, JLPT_MAX, SKILL_SCORE_MAX, Test
from .states import EnrolmentStatus


class ProviderKind(models.TextChoices):
    LPK = "lpk", _("LPK (lembaga pelatihan kerja swasta)")
    BLK = "blk", _("BLK (balai latihan kerja pemerintah)")
    CENTRE = "centre", _("Pusat pelatihan lain")


class Provider(models.Model):
    """A training provider: the organisation its staff log in under, plus its licence and contact."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisasi"),
        on_delete=models.PROTECT,
        related_name="training_provider",
        limit_choices_to={"kind": OrganisationKind.TRAINING_PROVIDER},
    )
    kind = models.CharField(_("jenis lembaga"), max_length=10, choices=ProviderKind.choices)
    licence_number = models.CharField(_("nomor izin"), max_length=100)
    licence_valid_until = models.DateField(_("izin berlaku sampai"))
    address = models.TextField(_("alamat"))
    contact_name = models.CharField(_("nama kontak"), max_length=200)
    contact_phone = models.CharField(_("nomor HP kontak"), max_length=16)
    contact_email = models.EmailField(_("e-mail kontak"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("lembaga pelatihan")
        verbose_name_plural = _("lembaga pelatihan")

    def __str__(self) -> str:
        return self.organisation.name

    def audit_label(self) -> str:
        return f"lembaga pelatihan #{self.pk}"

    def licence_valid_on(self, day: datetime.date) -> bool:
        return day <= self.licence_valid_until


class ProgrammeKind(models.TextChoices):
    LANGUAGE = "language", _("Bahasa")
    SKILL = "skill", _("Keterampilan")


def _default_quota() -> int:
    return settings.JALUR_PROGRAMME_TARGET


class Programme(models.Model):
    """A course (language or skill) with its hours, the pathways it prepares for and its pass rule."""

    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama program"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=ProgrammeKind.choices)
    hours = models.PositiveSmallIntegerField(_("jumlah jam pelajaran"))
    description = models.TextField(_("keterangan"), blank=True)
    pathways = models.ManyToManyField(
        Pathway, verbose_name=_("skema yang disiapkan"), related_name="programmes"
    )
    job_types = models.ManyToManyField(
        JobType, verbose_name=_("jenis pekerjaan"), blank=True, related_name="programmes"
    )
    min_attendance_pct = models.PositiveSmallIntegerField(_("kehadiran minimal (%)"), default=80)
    required_assessments = models.JSONField(
        _("ujian yang wajib lulus"),
        default=list,
        blank=True,
        help_text=_('Daftar {"test", "min_score", "min_level", "official"}.'),
    )
    quota = models.PositiveIntegerField(
        _("kuota peserta program"),
        default=_default_quota,
        help_text=_("Jumlah peserta paling banyak di semua angkatan program ini."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("program pelatihan")
        verbose_name_plural = _("program pelatihan")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="programme_hours_positive"),
            models.CheckConstraint(
                condition=Q(min_attendance_pct__gte=1, min_attendance_pct__lte=100),
                name="programme_attendance_pct_range",
            ),
            models.CheckConstraint(condition=Q(quota__gt=0), name="programme_quota_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"program pelatihan {self.code}"


class Cohort(models.Model):
    """An angkatan: one run of a programme at one provider, with its dates and seats."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="cohorts"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("lembaga"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("nama angkatan"), max_length=100)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    venue = models.CharField(_("tempat"), max_length=255)
    instructor = models.CharField(_("instruktur"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("kapasitas"))
    notes = models.TextField(_("catatan"), blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        # the cohort list pages along it (selectors.COHORT_ORDER)
        indexes = [
            models.Index(F("start_date").desc(), "name", "id", name="cohort_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="cohort_starts_before_it_ends"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="cohort_capacity_positive"),
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_per_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} · {self.name}"

    def audit_label(self) -> str:
        return f"angkatan #{self.pk}"

    def status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.closed_at:
            return "closed"
        if today < self.start_date:
            return "planned"
        if today > self.end_date:
            return "finished"
        return "running"

    def status_label(self, today: datetime.date | None = None) -> str:
        return str(COHORT_STATUS_LABELS[self.status(today)])


COHORT_STATUS_LABELS = {
    "planned": _("Akan datang"),
    "running": _("Berjalan"),
    "finished": _("Selesai, belum ditutup"),
    "closed": _("Ditutup"),
}


class Session(models.Model):
    """One scheduled meeting of a cohort; its register is saved once attendance is taken."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("jam mulai"))
    end_time = models.TimeField(_("jam selesai"))
    topic = models.CharField(_("materi"), max_length=200, blank=True)
    register_saved_at = models.DateTimeField(_("absensi disimpan pada"), null=True, blank=True)
    register_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="session_starts_before_it_ends"
            ),
            models.UniqueConstraint(
                fields=["cohort", "date", "start_time"], name="session_unique_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.start_time:%H:%M}"

    def audit_label(self) -> str:
        return f"sesi #{self.pk} (angkatan #{self.cohort_id})"

    @property
    def hours(self) -> Decimal:
        start = datetime.datetime.combine(self.date, self.start_time)
        end = datetime.datetime.combine(self.date, self.end_time)
        return Decimal((end - start).seconds) / 3600


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, db_index=True
    )
    created_at = models.DateTimeField(_("didaftarkan pada"), default=timezone.now)
    enrolled_at = models.DateTimeField(_("mendapat kursi pada"), null=True, blank=True)
    ended_at = models.DateTimeField(_("berakhir pada"), null=True, blank=True)
    end_reason = models.TextField(_("keterangan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "candidate"],
                condition=Q(status__in=["waiting", "enrolled"]),
                name="one_open_enrolment_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnrolmentStatus.values), name="enrolment_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.cohort}"

    def audit_label(self) -> str:
        return f"peserta pelatihan #{self.pk} (pencari kerja #{self.candidate_id})"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Hadir")
    LATE = "late", _("Terlambat")
    EXCUSED = "excused", _("Izin/sakit")
    ABSENT = "absent", _("Tidak hadir")


# Present and late count as attended; an excused absence is still an absence for the minimum.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(
        _("kehadiran"),
        max_length=8,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="one_attendance_per_session"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_status_display()

    def audit_label(self) -> str:
        return f"kehadiran sesi #{self.session_id} peserta #{self.enrolment_id}"


class ResultKind(models.TextChoices):
    MOCK = "mock", _("Simulasi/ujian internal")
    OFFICIAL = "official", _("Hasil resmi")


class Assessment(models.Model):
    """One test result of a candidate on its official scale (or a mock test on the same scale)."""

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="assessments"
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    test = models.CharField(_("ujian"), max_length=12, choices=Test.choices)
    kind = models.CharField(_("jenis hasil"), max_length=8, choices=ResultKind.choices)
    taken_on = models.DateField(_("tanggal ujian/terbit"))
    reading = models.PositiveSmallIntegerField(_("membaca (0–100)"), null=True, blank=True)
    listening = models.PositiveSmallIntegerField(_("mendengar (0–100)"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("skor"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=4, blank=True)
    jlpt_level = models.CharField(
        _("level JLPT"), max_length=2, choices=JlptLevel.choices, blank=True
    )
    jlpt_language = models.PositiveSmallIntegerField(
        _("pengetahuan bahasa (0–60)"), null=True, blank=True
    )
    jlpt_reading = models.PositiveSmallIntegerField(_("membaca (0–60)"), null=True, blank=True)
    jlpt_language_reading = models.PositiveSmallIntegerField(
        _("pengetahuan bahasa dan membaca (0–120)"), null=True, blank=True
    )
    jlpt_listening = models.PositiveSmallIntegerField(_("mendengar (0–60)"), null=True, blank=True)
    passed = models.BooleanField(_("lulus"))
    job_type = models.ForeignKey(
        JobType,
        verbose_name=_("jenis pekerjaan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("nama ujian/skema/lisensi"), max_length=200, blank=True)
    issuer = models.CharField(_("penerbit/penyelenggara"), max_length=200, blank=True)
    certificate_number = models.CharField(_("nomor sertifikat/lisensi"), max_length=100, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-id"]
        verbose_name = _("hasil ujian")
        verbose_name_plural = _("hasil ujian")
        indexes = [models.Index(fields=["candidate", "test"])]
        constraints = [
            models.CheckConstraint(condition=Q(test__in=Test.values), name="assessment_test_valid"),
            models.CheckConstraint(
                condition=~Q(test=Test.EPS_TOPIK)
                | Q(
                    reading__lte=EPS_SECTION_MAX,
                    listening__lte=EPS_SECTION_MAX,
                    # Cast: PostgreSQL cannot add two untyped NULLs when Django validates the
                    # constraint in Python with the row's values.
                    score=Cast("reading", models.IntegerField())
                    + Cast("listening", models.IntegerField()),
                ),
                name="assessment_eps_topik_scale",
            ),
            models.CheckConstraint(
                condition=~Q(test=Test.JFT_BASIC) | Q(score__gte=JFT_MIN, score__lte=JFT_MAX),
                name="assessment_jft_basic_scale",
            ),
            models.CheckConstraint(
                condition=~Q(test=Test.JLPT)
                | Q(score__lte=JLPT_MAX, jlpt_level__in=JlptLevel.values),
                name="assessment_jlpt_scale",
            ),
            models.CheckConstraint(
                condition=~Q(test=Test.SKILL)
                | Q(score__isnull=True)
                | Q(score__lte=SKILL_SCORE_MAX),
                name="assessment_skill_scale",
            ),
            models.CheckConstraint(
                condition=~Q(test=Test.CARE_JAPANESE) | Q(score__isnull=True),
                name="assessment_care_japanese_pass_fail",
            ),
            models.CheckConstraint(
                condition=~Q(test__in=[Test.COMPETENCY, Test.LICENCE]) | ~Q(certificate_number=""),
                name="assessment_certificate_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_test_display()} {self.summary}"

    def audit_label(self) -> str:
        return f"hasil ujian #{self.pk} (pencari kerja #{self.candidate_id})"

    @property
    def summary(self) -> str:
        if self.test == Test.EPS_TOPIK:
            return f"{self.score}/200 (R {self.reading}, L {self.listening})"
        if self.test == Test.JFT_BASIC:
            return f"{self.score}/250 ({self.band})"
        if self.test == Test.JLPT:
            return f"{self.jlpt_level} {self.score}/180"
        if self.test in (Test.COMPETENCY, Test.LICENCE):
            return f"{self.title} {self.certificate_number}".strip()
        return f"{self.title} {self.score if self.score is not None else ''}".strip()

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_until is None or day <= self.valid_until


class ScaleSetting(models.Model):
    """Pass marks and validity the sources leave open (EPS-TOPIK has only a floor): data, not code."""

    test = models.CharField(_("ujian"), max_length=12, choices=Test.choices, unique=True)
    pass_mark = models.PositiveSmallIntegerField(_("batas lulus"), null=True, blank=True)
    valid_months = models.PositiveSmallIntegerField(
        _("masa berlaku hasil (bulan)"), null=True, blank=True
    )
    source = models.TextField(_("sumber dan status verifikasi"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["test"]
        verbose_name = _("pengaturan skala ujian")
        verbose_name_plural = _("pengaturan skala ujian")

    def __str__(self) -> str:
        return self.get_test_display()

    def audit_label(self) -> str:
        return f"skala ujian {self.test}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Berlaku")
    REVOKED = "revoked", _("Dicabut")


class Certificate(models.Model):
    """A completion certificate. What was printed is kept as issued, so the public check matches it."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("nomor sertifikat"), max_length=40, unique=True)
    token = models.CharField(max_length=32, unique=True)
    holder_name = models.CharField(_("nama"), max_length=200)
    programme_name = models.CharField(_("program"), max_length=200)
    hours = models.PositiveSmallIntegerField(_("jam pelajaran"))
    provider_name = models.CharField(_("lembaga"), max_length=200)
    result = models.CharField(_("hasil"), max_length=300)
    issued_on = models.DateField(_("tanggal terbit"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("sertifikat pelatihan")
        verbose_name_plural = _("sertifikat pelatihan")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CertificateStatus.VALID) | ~Q(revoked_reason=""),
                name="certificate_revocation_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"sertifikat #{self.pk}"

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID


class CostItem(models.TextChoices):
    INSTRUCTOR = "instructor", _("Honor instruktur")
    MATERIALS = "materials", _("Modul dan bahan latihan")
    VENUE = "venue", _("Tempat dan peralatan")
    TEST_FEE = "test_fee", _("Biaya ujian (EPS-TOPIK, JFT, JLPT, uji keterampilan)")
    CERTIFICATION = "certification", _("Sertifikasi kompetensi")
    MEALS = "meals", _("Konsumsi")
    TRANSPORT = "transport", _("Transport peserta")
    OTHER = "other", _("Lainnya")


class Payer(models.TextChoices):
    CITY_BUDGET = "city_budget", _("APBD kota/kabupaten")
    PROVINCE_BUDGET = "province_budget", _("APBD provinsi")
    NATIONAL_BUDGET = "national_budget", _("APBN")
    EMPLOYER = "employer", _("Pemberi kerja")
    P3MI = "p3mi", _("P3MI")
    PROVIDER = "provider", _("Lembaga pelatihan")
    CANDIDATE = "candidate", _("Peserta (pencari kerja)")
    OTHER = "other", _("Lainnya")


class TrainingCost(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="costs")
    item = models.CharField(_("jenis biaya"), max_length=16, choices=CostItem.choices)
    description = models.CharField(_("uraian"), max_length=255, blank=True)
    amount = models.DecimalField(_("jumlah (Rp)"), max_digits=14, decimal_places=0)
    payer = models.CharField(
        _("dibayar oleh"), max_length=16, choices=Payer.choices, default=Payer.CITY_BUDGET
    )
    legal_basis = models.CharField(_("dasar anggaran/hukum"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("biaya pelatihan")
        verbose_name_plural = _("biaya pelatihan")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="training_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(payer__in=Payer.values), name="training_payer_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.amount}"

    def audit_label(self) -> str:
        return f"biaya pelatihan #{self.pk} (angkatan #{self.cohort_id})"


from .facts import SelectionFacts, SkillFacts  # noqa: E402,F401 - a model of this app
from .proposals import EnrolmentProposal, ProposalStatus  # noqa: E402,F401 - a model of this app

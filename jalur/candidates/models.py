"""Job seekers (calon pekerja migran) and the history of their stages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jalur.pathways.models import Country, JobType
from jalur.regions.models import District, Village

from .stages import Stage


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
        """SD=1 … S1=6; SMA and SMK share a rank (both complete upper secondary)."""
        ranks = {"SD": 1, "SMP": 2, "SMA": 3, "SMK": 3, "D3": 4, "D4": 5, "S1": 6}
        return ranks.get(value or "", 0)


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
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
    )
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    street = models.CharField(_("jalan/alamat"), max_length=255, blank=True)
    # contact
    phone = models.CharField(_("nomor HP/WhatsApp"), max_length=16, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    emergency_name = models.CharField(_("nama kontak darurat/keluarga"), max_length=200, blank=True)
    emergency_relation = models.CharField(_("hubungan"), max_length=50, blank=True)
    emergency_phone = models.CharField(_("nomor HP kontak darurat"), max_length=16, blank=True)
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
        JobType, verbose_name=_("jenis pekerjaan yang diminati"), blank=True, related_name="+"
    )
    # programme state
    stage = models.CharField(
        _("tahap"), max_length=20, choices=Stage.choices, default=Stage.REGISTERING, db_index=True
    )
    stage_changed_at = models.DateTimeField(_("tahap berubah pada"), auto_now_add=True)
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
    # SISKOP2MI references (the national register stays the legal one)
    siskop2mi_id_pmi = models.CharField(_("ID PMI (SISKOP2MI)"), max_length=50, blank=True)
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
        ]
        indexes = [
            models.Index(fields=["stage", "stage_changed_at"]),
            models.Index(fields=["full_name", "birth_date"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def audit_label(self) -> str:
        # No name or NIK: audit rows outlive personal data removed under the retention rules.
        return f"pencari kerja #{self.pk}"

    @property
    def country_labels(self) -> list[str]:
        return [Country(c).label for c in self.preferred_countries if c in Country.values]


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

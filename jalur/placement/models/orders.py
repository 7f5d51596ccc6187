"""Job orders, their cost lines and their history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.pathways.models import Country, JlptLevel, JobType, Pathway
from jalur.rules import fees

from ..states import OrderStatus
from .constraints import FieldCheckConstraint
from .documents import attache_document_name
from .partners import Agency, Agreement
from .permits import RecruitmentPermit


def _education_choices():
    from jalur.candidates.models import Education

    return Education.choices


def _sex_choices():
    from jalur.candidates.models import Sex

    return Sex.choices


def cost_line_key(index: int, field: str) -> str:
    """How the job order services name a problem of one cost line in a refusal: its position in
    the `costs` list they were given (from 0) and its field, so the page puts it beside that field
    of that row."""
    return f"costs-{index}-{field}"


class Currency(models.TextChoices):
    JPY = "JPY", _("Yen Jepang (JPY)")
    KRW = "KRW", _("Won Korea (KRW)")
    USD = "USD", _("Dolar AS (USD)")
    IDR = "IDR", _("Rupiah (IDR)")


class WagePeriod(models.TextChoices):
    MONTH = "month", _("per bulan")
    HOUR = "hour", _("per jam")


class AttacheStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("Belum diajukan ke atase")
    PENDING = "pending", _("Menunggu verifikasi atase")
    VERIFIED = "verified", _("Terverifikasi atase ketenagakerjaan")
    REFUSED = "refused", _("Ditolak atase")


class JobOrder(models.Model):
    """A job order (permintaan PMI) a P3MI brings to the programme: the employer, the positions,
    what the job asks of a worker, what it offers, the permit it recruits under and who pays what."""

    reference = models.CharField(_("nomor lowongan"), max_length=20, unique=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("P3MI"), on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrderStatus.choices,
        default=OrderStatus.DRAFT,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status berubah pada"), default=timezone.now)
    # employer and job
    employer_name = models.CharField(_("nama pemberi kerja"), max_length=200)
    employer_country = models.CharField(_("negara"), max_length=2, choices=Country.choices)
    employer_city = models.CharField(_("kota/prefektur"), max_length=100)
    employer_sector = models.CharField(_("sektor usaha"), max_length=150)
    pathway = models.ForeignKey(
        Pathway, verbose_name=_("skema penempatan"), on_delete=models.PROTECT, related_name="+"
    )
    job_type = models.ForeignKey(
        JobType, verbose_name=_("jenis pekerjaan"), on_delete=models.PROTECT, related_name="+"
    )
    position_title = models.CharField(_("nama jabatan"), max_length=200)
    positions = models.PositiveIntegerField(_("jumlah lowongan"))
    description = models.TextField(_("uraian pekerjaan"), blank=True)
    # requirements (empty = no rule beyond the pathway's)
    min_age = models.PositiveSmallIntegerField(_("umur minimal"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("umur maksimal"), null=True, blank=True)
    sex = models.CharField(
        _("jenis kelamin"),
        max_length=1,
        choices=_sex_choices,
        blank=True,
        help_text=_("Isi hanya bila pekerjaan benar-benar menuntutnya, dengan alasannya."),
    )
    sex_reason = models.CharField(_("alasan syarat jenis kelamin"), max_length=300, blank=True)
    min_education = models.CharField(
        _("pendidikan minimal"), max_length=3, choices=_education_choices, blank=True
    )
    min_height_cm = models.PositiveSmallIntegerField(
        _("tinggi badan minimal (cm)"), null=True, blank=True
    )
    min_experience_years = models.PositiveSmallIntegerField(
        _("pengalaman kerja minimal (tahun)"), null=True, blank=True
    )
    eps_topik_min_score = models.PositiveSmallIntegerField(
        _("EPS-TOPIK minimal (0–200)"), null=True, blank=True
    )
    jft_min_score = models.PositiveSmallIntegerField(
        _("JFT-Basic minimal (10–250)"), null=True, blank=True
    )
    jlpt_min_level = models.CharField(
        _("JLPT minimal"), max_length=2, choices=JlptLevel.choices, blank=True
    )
    licence_required = models.BooleanField(_("wajib memiliki lisensi"), default=False)
    licence_name = models.CharField(_("nama lisensi"), max_length=200, blank=True)
    other_requirements = models.TextField(
        _("syarat lain"),
        blank=True,
        help_text=_(
            "Diperiksa saat wawancara, tidak disaring otomatis (misalnya tidak buta warna)."
        ),
    )
    # terms
    wage_amount = models.DecimalField(_("upah"), max_digits=12, decimal_places=2)
    wage_currency = models.CharField(_("mata uang"), max_length=3, choices=Currency.choices)
    wage_period = models.CharField(
        _("satuan upah"), max_length=5, choices=WagePeriod.choices, default=WagePeriod.MONTH
    )
    hours_per_week = models.PositiveSmallIntegerField(_("jam kerja per minggu"))
    contract_months = models.PositiveSmallIntegerField(_("lama kontrak (bulan)"))
    benefits = models.TextField(
        _("fasilitas dan jaminan"),
        blank=True,
        help_text=_("Misalnya asrama, makan, asuransi, cuti, tiket pulang."),
    )
    # permit, verification and deadline
    permit = models.ForeignKey(
        RecruitmentPermit,
        verbose_name=_("SIP2MI"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("PKS yang dipakai"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    attache_status = models.CharField(
        _("verifikasi atase ketenagakerjaan"),
        max_length=10,
        choices=AttacheStatus.choices,
        default=AttacheStatus.NOT_SENT,
    )
    attache_reference = models.CharField(_("nomor verifikasi atase"), max_length=150, blank=True)
    attache_verified_on = models.DateField(_("tanggal verifikasi atase"), null=True, blank=True)
    attache_document = models.FileField(
        _("dokumen verifikasi atase"), upload_to=attache_document_name, max_length=200, blank=True
    )
    attache_content_type = models.CharField(max_length=40, blank=True)
    deadline = models.DateField(_("batas akhir lamaran"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lowongan (job order)")
        verbose_name_plural = _("lowongan (job order)")
        constraints = [
            FieldCheckConstraint(
                condition=Q(positions__gt=0),
                name="order_positions_positive",
                field="positions",
                violation_error_message=_("Jumlah lowongan paling sedikit 1 orang."),
            ),
            FieldCheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="order_age_range_ordered",
                field="max_age",
                violation_error_message=_(
                    "Umur maksimal harus sama atau lebih besar dari umur minimal (%(min_age)s)."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(min_age__isnull=True) | Q(min_age__gte=18),
                name="order_no_one_under_18",
                field="min_age",
                violation_error_message=_(
                    "Umur minimal tidak boleh di bawah 18 tahun (UU 18/2017 Pasal 5)."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(sex="") | ~Q(sex_reason=""),
                name="order_sex_rule_has_reason",
                field="sex_reason",
                violation_error_message=_(
                    "Tulis mengapa pekerjaan ini hanya untuk satu jenis kelamin, atau kosongkan "
                    "syarat jenis kelamin."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(status__in=OrderStatus.values),
                name="order_status_valid",
                field="status",
                violation_error_message=_("Status lowongan tidak dikenal. Muat ulang halaman."),
            ),
            FieldCheckConstraint(
                condition=Q(wage_amount__gt=0),
                name="order_wage_positive",
                field="wage_amount",
                violation_error_message=_(
                    "Tulis upah yang dijanjikan pemberi kerja, lebih dari 0."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(eps_topik_min_score__isnull=True) | Q(eps_topik_min_score__lte=200),
                name="order_eps_topik_in_range",
                field="eps_topik_min_score",
                violation_error_message=_(
                    "Nilai EPS-TOPIK berkisar 0–200; tulis nilai minimal di antara itu, atau "
                    "kosongkan."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(jft_min_score__isnull=True)
                | Q(jft_min_score__gte=10, jft_min_score__lte=250),
                name="order_jft_in_range",
                field="jft_min_score",
                violation_error_message=_(
                    "Nilai JFT-Basic berkisar 10–250 (A2 mulai 200); tulis nilai minimal di antara "
                    "itu, atau kosongkan."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.position_title}"

    def audit_label(self) -> str:
        return f"lowongan {self.reference}"

    @property
    def is_open_for_applications(self) -> bool:
        return self.status == OrderStatus.APPROVED and self.deadline >= timezone.localdate()

    @property
    def recommendation_target(self) -> int:
        """Korea's EPS recommends at least three times the positions; so does Jalur."""
        return 3 * self.positions


# The vocabulary of costs and payers is the rules layer's (jalur.rules.fees), so the job order, the
# fee ledger and the rule that judges them speak of the same items.
CostItem = models.TextChoices(
    "CostItem", [(code.upper(), (code, label)) for code, label in fees.COST_ITEM_CHOICES]
)
CostPayer = models.TextChoices(
    "CostPayer", [(code.upper(), (code, label)) for code, label in fees.PAYER_CHOICES]
)


class CostDecision(models.TextChoices):
    """The labour office's decision on a worker-paid cost the rules leave to it ("Lainnya")."""

    ALLOWED = "allowed", _("Boleh dibayar pekerja")
    REFUSED = "refused", _("Tidak boleh dibayar pekerja")


class JobOrderCost(models.Model):
    """One placement cost of a job order and who pays it. Whether the worker may pay it is the rule
    of `jalur.rules.fees`; a worker-paid cost the rule leaves to the labour office carries the
    office's decision, with its reason, who and when."""

    order = models.ForeignKey(JobOrder, on_delete=models.CASCADE, related_name="costs")
    item = models.CharField(_("jenis biaya"), max_length=20, choices=CostItem.choices)
    description = models.CharField(_("uraian"), max_length=200, blank=True)
    amount = models.DecimalField(_("perkiraan jumlah (Rp)"), max_digits=14, decimal_places=0)
    paid_by = models.CharField(_("dibayar oleh"), max_length=12, choices=CostPayer.choices)
    office_decision = models.CharField(
        _("keputusan Disnakertrans"), max_length=8, choices=CostDecision.choices, blank=True
    )
    office_reason = models.TextField(_("alasan keputusan Disnakertrans"), blank=True)
    office_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    office_decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("biaya penempatan")
        verbose_name_plural = _("biaya penempatan")
        constraints = [
            FieldCheckConstraint(
                condition=Q(amount__gte=0),
                name="order_cost_not_negative",
                field="amount",
                violation_error_message=_(
                    "Perkiraan biaya tidak boleh negatif; tulis 0 bila tidak ada biayanya."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(paid_by__in=CostPayer.values),
                name="order_cost_payer_valid",
                field="paid_by",
                violation_error_message=_(
                    "Pilih siapa yang membayar biaya ini: APBD Kota, pemberi kerja, P3MI atau "
                    "pekerja."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(office_decision="") | ~Q(office_reason=""),
                name="order_cost_decision_has_reason",
                field="office_reason",
                violation_error_message=_(
                    "Tulis alasan keputusan atas biaya ini; P3MI membacanya dan alasan ini tercatat "
                    "di jejak audit."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} ({self.get_paid_by_display()})"

    def audit_label(self) -> str:
        return f"biaya #{self.pk} (lowongan #{self.order_id})"

    def ruling(self, *, zero_cost: bool | None = None) -> fees.Ruling:
        """What the rules say of this line's payer paying its item (on the order's job type, unless
        `zero_cost` is given)."""
        if zero_cost is None:
            zero_cost = self.order.job_type.zero_cost
        return fees.payer_may_pay(self.item, self.paid_by, zero_cost=zero_cost)

    @property
    def needs_office_decision(self) -> bool:
        return self.ruling().verdict == fees.Verdict.DECIDE

    @property
    def decision_key(self) -> tuple:
        """What the office's decision was about: a line changed in any of these is a new line."""
        return (self.item, " ".join(self.description.split()), self.amount, self.paid_by)


class JobOrderEvent(models.Model):
    """One move of a job order between states: from, to, who, when, why. Append-only."""

    order = models.ForeignKey(JobOrder, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("alasan"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

"""Placement: P3MI agencies, the city–APJATI MoU and PKS agreements, SIP2MI permits, job orders,
their cost lines, and the applications of candidates to them.

Nothing here is typed in that can be computed: an agency's state comes from its licence dates and
its suspension records, an agreement's state from its dates, the quota left from the orders that
hold it.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import OrganisationKind
from jalur.core.text import same_words
from jalur.pathways.models import Country, JlptLevel, JobType, Pathway
from jalur.rules import fees

from .states import ApplicationStatus, OrderStatus

EXPIRY_WARNING_DAYS = 60

# Said by a constraint below and by the service that checks the same thing first (stripping spaces).
SUSPENSION_REASON_MISSING = _(
    "Tulis alasan pembekuan; alasan ini dilihat P3MI dan tercatat di jejak audit."
)
LIFT_REASON_MISSING = _("Tulis alasan pembekuan dicabut.")
INTERVIEW_TIME_MISSING = _("Isi tanggal dan jam wawancara.")


class FieldCheckConstraint(models.CheckConstraint):
    """A CHECK constraint that says what to fix, beside the field to fix.

    When Django validates it before the database (a ModelForm, `full_clean()` in a service, the
    admin), a violation is `violation_error_message` filled in with the row's values (e.g.
    "%(min_age)s", dates as 17-08-2026) and put on `field`, instead of "Batasan “…” dilanggar."
    on top of the page. The message is the one source of truth: services and forms let Django
    check the constraint rather than repeating the rule. `field` must be one the condition reads,
    so a form that does not show it skips the check (as Django does) instead of failing to place
    the message. The database sees a plain CHECK; the code is the constraint's name.
    """

    non_db_attrs = (*models.CheckConstraint.non_db_attrs, "field")

    def __init__(self, *, field: str, violation_error_message, **kwargs):
        kwargs.setdefault("violation_error_code", kwargs.get("name"))
        super().__init__(violation_error_message=violation_error_message, **kwargs)
        self.field = field

    def get_violation_error_message(self, instance=None) -> str:
        return str(self.violation_error_message) % _ShownValues(instance)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError:
            raise ValidationError(
                {
                    self.field: ValidationError(
                        self.get_violation_error_message(instance),
                        code=self.violation_error_code,
                    )
                }
            ) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other):
        return super().__eq__(other) and self.field == getattr(other, "field", None)


class _ShownValues(dict):
    """A row's field values as a message shows them, for "%(field)s" in a constraint's message."""

    def __init__(self, instance):
        super().__init__()
        self.instance = instance

    def __missing__(self, key):
        value = getattr(self.instance, key, None)
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime.date):
            return value.strftime("%d-%m-%Y")
        return value


def _education_choices():
    from jalur.candidates.models import Education

    return Education.choices


def _sex_choices():
    from jalur.candidates.models import Sex

    return Sex.choices


def _random_name(folder: str, content_type: str) -> str:
    # Nothing about the agreement, the company or a person in the name, and not guessable.
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(content_type, "jpg")
    return f"penempatan/{folder}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


def agreement_document_name(instance, filename: str) -> str:
    return _random_name("perjanjian", instance.content_type)


def attache_document_name(instance, filename: str) -> str:
    return _random_name("atase", instance.attache_content_type)


def permit_document_name(instance, filename: str) -> str:
    return _random_name("sip2mi", instance.content_type)


# --- agencies --------------------------------------------------------------------------------------
class AgencyState(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    SUSPENDED = "suspended", _("Dibekukan")
    EXPIRED = "expired", _("Izin SIP3MI habis")
    NOT_YET_VALID = "not_yet_valid", _("Izin SIP3MI belum berlaku")


class AgencyQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "AgencyQuerySet":
        """Agencies whose licence is valid on `day` and that are not suspended then."""
        suspended = AgencySuspension.objects.filter(
            agency=models.OuterRef("pk"), starts_on__lte=day
        ).filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=day))
        return self.filter(
            licence_valid_from__lte=day,
            licence_valid_until__gte=day,
            organisation__is_active=True,
        ).exclude(models.Exists(suspended))


class Agency(models.Model):
    """A licensed private placement company (P3MI) taking part in the programme."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisasi"),
        on_delete=models.PROTECT,
        related_name="agency",
        limit_choices_to={"kind": OrganisationKind.PLACEMENT_AGENCY},
    )
    licence_number = models.CharField(_("nomor SIP3MI"), max_length=100, unique=True)
    licence_valid_from = models.DateField(_("SIP3MI berlaku sejak"))
    licence_valid_until = models.DateField(_("SIP3MI berlaku sampai"))
    apjati_number = models.CharField(
        _("nomor anggota APJATI"),
        max_length=100,
        blank=True,
        help_text=_("Kosongkan bila perusahaan bukan anggota APJATI."),
    )
    address = models.TextField(_("alamat kantor"))
    phone = models.CharField(_("telepon kantor"), max_length=20)
    email = models.EmailField(_("e-mail kantor"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    contact_name = models.CharField(_("nama penanggung jawab"), max_length=200)
    contact_phone = models.CharField(_("nomor HP penanggung jawab"), max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("P3MI")
        verbose_name_plural = _("P3MI")
        constraints = [
            FieldCheckConstraint(
                condition=Q(licence_valid_from__lte=F("licence_valid_until")),
                name="agency_licence_dates_ordered",
                field="licence_valid_until",
                violation_error_message=_(
                    "SIP3MI berlaku sampai harus sama dengan atau sesudah tanggal mulai berlakunya "
                    "(%(licence_valid_from)s)."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.organisation.name

    def audit_label(self) -> str:
        return f"P3MI #{self.pk} ({self.licence_number})"

    @property
    def name(self) -> str:
        return self.organisation.name

    def current_suspension(self, on: datetime.date | None = None) -> "AgencySuspension | None":
        """The suspension in force on `on` (uses prefetched `suspensions` when present)."""
        on = on or timezone.localdate()
        for suspension in self.suspensions.all():
            if suspension.in_force_on(on):
                return suspension
        return None

    def state(self, on: datetime.date | None = None) -> str:
        on = on or timezone.localdate()
        if self.current_suspension(on) is not None:
            return AgencyState.SUSPENDED
        if on > self.licence_valid_until:
            return AgencyState.EXPIRED
        if on < self.licence_valid_from:
            return AgencyState.NOT_YET_VALID
        return AgencyState.ACTIVE

    def state_label(self, on: datetime.date | None = None) -> str:
        return str(AgencyState(self.state(on)).label)

    def is_active_on(self, on: datetime.date | None = None) -> bool:
        return self.state(on) == AgencyState.ACTIVE and self.organisation.is_active

    def licence_days_left(self, on: datetime.date | None = None) -> int:
        on = on or timezone.localdate()
        return (self.licence_valid_until - on).days


class AgencySuspension(models.Model):
    """A suspension of an agency by the city (or a sanction notified by the ministry), and its end."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="suspensions")
    starts_on = models.DateField(_("dibekukan mulai"))
    reason = models.TextField(_("alasan pembekuan"))
    reference = models.CharField(_("nomor surat/keputusan"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_on = models.DateField(_("dicabut pada"), null=True, blank=True)
    lift_reason = models.TextField(_("alasan pencabutan pembekuan"), blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("pembekuan P3MI")
        verbose_name_plural = _("pembekuan P3MI")
        constraints = [
            FieldCheckConstraint(
                condition=~Q(reason=""),
                name="suspension_has_reason",
                field="reason",
                violation_error_message=SUSPENSION_REASON_MISSING,
            ),
            FieldCheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=F("starts_on")),
                name="suspension_lifted_after_start",
                field="lifted_on",
                violation_error_message=_(
                    "Tanggal pencabutan tidak boleh sebelum tanggal pembekuan (%(starts_on)s)."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(lifted_on__isnull=True) | ~Q(lift_reason=""),
                name="suspension_lift_has_reason",
                field="lift_reason",
                violation_error_message=LIFT_REASON_MISSING,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.starts_on:%d-%m-%Y}"

    def audit_label(self) -> str:
        return f"pembekuan #{self.pk} (P3MI #{self.agency_id})"

    def in_force_on(self, on: datetime.date) -> bool:
        return self.starts_on <= on and (self.lifted_on is None or on < self.lifted_on)


# --- agreements ------------------------------------------------------------------------------------
class AgreementKind(models.TextChoices):
    MOU = "mou", _("Nota Kesepakatan (MoU) Pemkot–APJATI")
    PKS = "pks", _("Perjanjian Kerja Sama (PKS) dengan P3MI")


class AgreementState(models.TextChoices):
    NOT_STARTED = "not_started", _("Belum berlaku")
    ACTIVE = "active", _("Berlaku")
    EXPIRING = "expiring", _("Segera berakhir")
    ENDED = "ended", _("Berakhir")


class AgreementQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "AgreementQuerySet":
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Agreement(models.Model):
    """The city–APJATI MoU (holding the programme target) or a PKS with one P3MI under it."""

    kind = models.CharField(_("jenis"), max_length=3, choices=AgreementKind.choices)
    number = models.CharField(_("nomor"), max_length=150, unique=True)
    title = models.CharField(_("judul"), max_length=250)
    parties = models.TextField(
        _("para pihak"), help_text=_("Satu pihak per baris, dengan nama penanda tangan.")
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("P3MI"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    mou = models.ForeignKey(
        "self",
        verbose_name=_("MoU induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        limit_choices_to={"kind": AgreementKind.MOU},
    )
    signed_on = models.DateField(_("tanggal penandatanganan"))
    starts_on = models.DateField(_("berlaku mulai"))
    ends_on = models.DateField(_("berlaku sampai"))
    countries = models.JSONField(_("negara tujuan"), default=list, blank=True)
    pathways = models.ManyToManyField(
        Pathway,
        verbose_name=_("skema penempatan"),
        blank=True,
        related_name="+",
        help_text=_("Kosongkan bila berlaku untuk semua skema P to P di negara tujuan."),
    )
    job_types = models.ManyToManyField(
        JobType, verbose_name=_("jenis pekerjaan"), blank=True, related_name="+"
    )
    quota = models.PositiveIntegerField(
        _("kuota/target pekerja"),
        null=True,
        blank=True,
        help_text=_(
            "MoU: target program (orang). PKS: jumlah lowongan paling banyak yang boleh diajukan P3MI ini."
        ),
    )
    obligations = models.TextField(_("kewajiban para pihak"), blank=True)
    document = models.FileField(
        _("dokumen yang ditandatangani"),
        upload_to=agreement_document_name,
        max_length=200,
        blank=True,
    )
    content_type = models.CharField(max_length=40, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-starts_on", "number"]
        verbose_name = _("perjanjian")
        verbose_name_plural = _("perjanjian")
        constraints = [
            FieldCheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")),
                name="agreement_starts_before_it_ends",
                field="ends_on",
                violation_error_message=_(
                    "Tanggal berakhir harus sama dengan atau sesudah tanggal mulai berlaku "
                    "(%(starts_on)s)."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(signed_on__lte=F("ends_on")),
                name="agreement_signed_before_it_ends",
                field="signed_on",
                violation_error_message=_(
                    "Tanggal penandatanganan tidak boleh sesudah tanggal berakhir (%(ends_on)s)."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(kind=AgreementKind.MOU, agency__isnull=True, mou__isnull=True)
                | Q(kind=AgreementKind.PKS, agency__isnull=False),
                name="agreement_kind_parties",
                field="agency",
                violation_error_message=_(
                    "PKS harus menyebut P3MI yang menandatanganinya. MoU ditandatangani Pemkot dan "
                    "APJATI: kosongkan P3MI dan MoU induk."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(kind__in=AgreementKind.values),
                name="agreement_kind_valid",
                field="kind",
                violation_error_message=_("Pilih jenis perjanjian: MoU atau PKS."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def audit_label(self) -> str:
        return f"perjanjian #{self.pk} ({self.number})"

    def state(self, on: datetime.date | None = None) -> str:
        on = on or timezone.localdate()
        if on < self.starts_on:
            return AgreementState.NOT_STARTED
        if on > self.ends_on:
            return AgreementState.ENDED
        if (self.ends_on - on).days <= EXPIRY_WARNING_DAYS:
            return AgreementState.EXPIRING
        return AgreementState.ACTIVE

    def state_label(self, on: datetime.date | None = None) -> str:
        return str(AgreementState(self.state(on)).label)

    def is_active_on(self, on: datetime.date | None = None) -> bool:
        return self.state(on) in (AgreementState.ACTIVE, AgreementState.EXPIRING)

    def days_left(self, on: datetime.date | None = None) -> int:
        on = on or timezone.localdate()
        return (self.ends_on - on).days

    @property
    def country_labels(self) -> list[str]:
        return [str(Country(c).label) for c in self.countries if c in Country.values]

    def covers(self, *, country: str, job_type_id: int, pathway_id: int) -> bool:
        """Whether this agreement's scope includes the destination, job type and pathway.

        Uses prefetched `job_types` and `pathways`; an empty pathway list means every pathway.
        """
        pathway_ids = {p.pk for p in self.pathways.all()}
        return (
            country in self.countries
            and job_type_id in {j.pk for j in self.job_types.all()}
            and (not pathway_ids or pathway_id in pathway_ids)
        )


class ExpiryNotice(models.Model):
    """That the 60-day warning for one end date was sent, so each is sent once."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    ends_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            FieldCheckConstraint(
                condition=Q(agreement__isnull=True, agency__isnull=False)
                | Q(agreement__isnull=False, agency__isnull=True),
                name="expiry_notice_one_subject",
                field="agreement",
                violation_error_message=_(
                    "Peringatan masa berlaku menyangkut satu perjanjian atau satu izin P3MI, tidak "
                    "keduanya dan tidak kosong."
                ),
            ),
            models.UniqueConstraint(
                fields=["agreement", "ends_on"],
                condition=Q(agreement__isnull=False),
                name="one_notice_per_agreement_end",
                violation_error_message=_(
                    "Peringatan untuk tanggal berakhir perjanjian ini sudah dikirim."
                ),
            ),
            models.UniqueConstraint(
                fields=["agency", "ends_on"],
                condition=Q(agency__isnull=False),
                name="one_notice_per_licence_end",
                violation_error_message=_(
                    "Peringatan untuk tanggal berakhir SIP3MI ini sudah dikirim."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id or self.agency_id} {self.ends_on}"


# --- SIP2MI permits and job orders ----------------------------------------------------------------
class RecruitmentPermit(models.Model):
    """An SIP2MI (Surat Izin Perekrutan PMI): the ministry's permit to recruit, with its quota.

    Several job orders may use one permit; together they may not hold more positions than its quota.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="permits")
    number = models.CharField(_("nomor SIP2MI"), max_length=100, unique=True)
    quota = models.PositiveIntegerField(_("kuota SIP2MI"))
    issued_on = models.DateField(_("tanggal terbit SIP2MI"), null=True, blank=True)
    valid_until = models.DateField(_("SIP2MI berlaku sampai"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SIP2MI")
        verbose_name_plural = _("SIP2MI")
        constraints = [
            FieldCheckConstraint(
                condition=Q(quota__gt=0),
                name="permit_quota_positive",
                field="quota",
                violation_error_message=_(
                    "Kuota SIP2MI paling sedikit 1 orang. Salin kuota yang tertulis di SIP2MI."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(issued_on__lte=F("valid_until")),
                name="permit_dates_ordered",
                field="valid_until",
                violation_error_message=_(
                    "SIP2MI berlaku sampai harus sama dengan atau sesudah tanggal terbitnya "
                    "(%(issued_on)s). Periksa kedua tanggal di SIP2MI."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"SIP2MI #{self.pk} ({self.number})"


PERMIT_CHANGE_PENDING = _(
    "Sudah ada perubahan SIP2MI ini yang menunggu pemeriksaan Disnakertrans. Tunggu keputusannya "
    "sebelum mengajukan perubahan lain."
)


class PermitChangeStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu pemeriksaan Disnakertrans")
    APPROVED = "approved", _("Disetujui, angka SIP2MI diubah")
    REFUSED = "refused", _("Ditolak")


class PermitChange(models.Model):
    """A request to change an SIP2MI's figures (its quota, its dates) because the ministry issued a
    new or amended permit: the new figures, the new permit's scan, and the labour office's decision.

    The permit keeps its figures, and the job order gate uses them, until the office approves. An
    approved change keeps the figures it replaced, so these rows are the permit's history of figures.
    """

    permit = models.ForeignKey(RecruitmentPermit, on_delete=models.PROTECT, related_name="changes")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PermitChangeStatus.choices,
        default=PermitChangeStatus.PENDING,
    )
    quota = models.PositiveIntegerField(_("kuota baru"))
    issued_on = models.DateField(_("tanggal terbit SIP2MI baru"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai (baru)"), null=True, blank=True)
    # the permit's figures when the change was asked for (and replaced, once approved)
    previous_quota = models.PositiveIntegerField(_("kuota sebelumnya"))
    previous_issued_on = models.DateField(_("tanggal terbit sebelumnya"), null=True, blank=True)
    previous_valid_until = models.DateField(_("berlaku sampai sebelumnya"), null=True, blank=True)
    note = models.TextField(_("keterangan P3MI"), blank=True)
    document = models.FileField(
        _("scan SIP2MI baru"), upload_to=permit_document_name, max_length=200
    )
    content_type = models.CharField(max_length=40)
    document_sha256 = models.CharField(max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("perubahan SIP2MI")
        verbose_name_plural = _("perubahan SIP2MI")
        constraints = [
            models.UniqueConstraint(
                fields=["permit"],
                condition=Q(status=PermitChangeStatus.PENDING),
                name="one_pending_change_per_permit",
                violation_error_message=PERMIT_CHANGE_PENDING,
            ),
            FieldCheckConstraint(
                condition=Q(quota__gt=0),
                name="permit_change_quota_positive",
                field="quota",
                violation_error_message=_(
                    "Kuota SIP2MI paling sedikit 1 orang. Salin kuota yang tertulis di SIP2MI baru."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(issued_on__lte=F("valid_until")),
                name="permit_change_dates_ordered",
                field="valid_until",
                violation_error_message=_(
                    "SIP2MI berlaku sampai harus sama dengan atau sesudah tanggal terbitnya "
                    "(%(issued_on)s). Periksa kedua tanggal di SIP2MI baru."
                ),
            ),
            FieldCheckConstraint(
                condition=~Q(status=PermitChangeStatus.REFUSED) | ~Q(decision_reason=""),
                name="permit_change_refusal_has_reason",
                field="decision_reason",
                violation_error_message=_(
                    "Tulis alasan penolakan; P3MI membacanya dan alasan ini tercatat di jejak audit."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permit} {self.requested_at:%d-%m-%Y}"

    def audit_label(self) -> str:
        return f"perubahan SIP2MI #{self.pk} (SIP2MI #{self.permit_id})"

    @property
    def is_pending(self) -> bool:
        return self.status == PermitChangeStatus.PENDING


# How the job order form, and the `data` of the job order services, name a permit's fields.
PERMIT_ORDER_FIELDS = {
    "number": "sip2mi_number",
    "quota": "sip2mi_quota",
    "issued_on": "sip2mi_issued_on",
    "valid_until": "sip2mi_valid_until",
}


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


# --- applications ----------------------------------------------------------------------------------
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


from .matching.models import MatchingProposal, MatchingRun  # noqa: E402, F401  (issue 19)

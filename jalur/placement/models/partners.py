"""P3MI agencies and their suspensions, the city–APJATI MoU and the PKS agreements, and the
notices sent before an agreement expires."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import OrganisationKind
from jalur.pathways.models import Country, JobType, Pathway

from .constraints import FieldCheckConstraint
from .documents import agreement_document_name

EXPIRY_WARNING_DAYS = 60

# Said by a constraint below and by the service that checks the same thing first (stripping spaces).
SUSPENSION_REASON_MISSING = _(
    "Tulis alasan pembekuan; alasan ini dilihat P3MI dan tercatat di jejak audit."
)
LIFT_REASON_MISSING = _("Tulis alasan pembekuan dicabut.")


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

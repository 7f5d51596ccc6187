"""Destinations, job types and the legal pathways (skema penempatan) with their eligibility rules.

A pathway is data, not code: its state (open, suspended, closed), the party that may place on it and
its rules are edited by programme managers and every edit is audited (see services.py).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.rules import pathways as pathway_rules
from jalur.rules.eligibility import jlpt_rank


class Country(models.TextChoices):
    KOREA = "KR", _("Korea Selatan")
    JAPAN = "JP", _("Jepang")


class JobType(models.Model):
    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kbji_codes = models.CharField(
        _("kode KBJI 2014"),
        max_length=100,
        help_text=_("Satu atau lebih kode 4 digit, dipisah koma."),
    )
    ssw_field = models.CharField(_("bidang SSW Jepang"), max_length=100, blank=True)
    e9_sector = models.CharField(_("sektor E-9 Korea"), max_length=100, blank=True)
    zero_cost = models.BooleanField(
        _("jabatan bebas biaya penempatan"),
        default=False,
        help_text=_("Perban BP2MI 9/2020: pekerja tidak boleh dibebani biaya penempatan."),
    )
    zero_cost_basis = models.CharField(_("dasar hukum bebas biaya"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan tampil"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("jenis pekerjaan")
        verbose_name_plural = _("jenis pekerjaan")

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"jenis pekerjaan {self.code}"

    def open_pathways(self, on: datetime.date | None = None) -> list["Pathway"]:
        """The pathways covering this job type that are open on `on` (prefetch `pathways` to avoid queries)."""
        return [p for p in self.pathways.all() if p.is_open(on)]


def _education_choices():
    # Education lives in candidates, which imports this module: resolve it lazily.
    from jalur.candidates.models import Education

    return Education.choices


def _sex_choices():
    from jalur.candidates.models import Sex

    return Sex.choices


class JlptLevel(models.TextChoices):
    """Ordered from the easiest to the hardest level."""

    N5 = "N5", "N5"
    N4 = "N4", "N4"
    N3 = "N3", "N3"
    N2 = "N2", "N2"
    N1 = "N1", "N1"

    @classmethod
    def rank(cls, value: str | None) -> int:
        """N5=1 … N1=5; 0 for none (`jalur.rules.eligibility.jlpt_rank`)."""
        return jlpt_rank(value)


_party = pathway_rules.PARTY_NAMES


class PlacingParty(models.TextChoices):
    """Who may place a worker on a pathway (`jalur.rules.pathways`, UU 18/2017 Pasal 49)."""

    P3MI = pathway_rules.P3MI, _party[pathway_rules.P3MI]
    GOVERNMENT = pathway_rules.GOVERNMENT, _party[pathway_rules.GOVERNMENT]
    LOCAL_GOVERNMENT = pathway_rules.LOCAL_GOVERNMENT, _party[pathway_rules.LOCAL_GOVERNMENT]
    SENDING_ORGANISATION = (
        pathway_rules.SENDING_ORGANISATION,
        _party[pathway_rules.SENDING_ORGANISATION],
    )
    MANNING_AGENCY = pathway_rules.MANNING_AGENCY, _party[pathway_rules.MANNING_AGENCY]
    NONE = pathway_rules.NO_INTERMEDIARY, _party[pathway_rules.NO_INTERMEDIARY]


class PathwayState(models.TextChoices):
    OPEN = pathway_rules.OPEN, pathway_rules.STATE_NAMES[pathway_rules.OPEN]
    SUSPENDED = pathway_rules.SUSPENDED, pathway_rules.STATE_NAMES[pathway_rules.SUSPENDED]
    CLOSED = pathway_rules.CLOSED, pathway_rules.STATE_NAMES[pathway_rules.CLOSED]


class Pathway(models.Model):
    """A legal channel to work abroad, with its state in law and its eligibility rules."""

    code = models.SlugField(_("kode"), max_length=50, unique=True)
    country = models.CharField(_("negara tujuan"), max_length=2, choices=Country.choices)
    name = models.CharField(_("nama skema"), max_length=150)
    placing_party = models.CharField(
        _("pihak yang menempatkan"), max_length=20, choices=PlacingParty.choices
    )
    state = models.CharField(
        _("status"), max_length=12, choices=PathwayState.choices, default=PathwayState.OPEN
    )
    state_reason = models.TextField(
        _("alasan status"),
        blank=True,
        help_text=_("Wajib diisi bila skema ditangguhkan, ditutup, atau akan ditutup."),
    )
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    closes_on = models.DateField(
        _("ditutup mulai tanggal"),
        null=True,
        blank=True,
        help_text=_(
            "Untuk skema yang sedang dihentikan bertahap: sejak tanggal ini skema tertutup."
        ),
    )
    description = models.TextField(_("keterangan untuk publik"), blank=True)
    job_types = models.ManyToManyField(
        JobType, verbose_name=_("jenis pekerjaan"), blank=True, related_name="pathways"
    )
    # eligibility rules (empty = no rule)
    min_age = models.PositiveSmallIntegerField(_("umur minimal"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("umur maksimal"), null=True, blank=True)
    min_education = models.CharField(
        _("pendidikan minimal"), max_length=3, choices=_education_choices, blank=True
    )
    sex = models.CharField(
        _("jenis kelamin yang diminta"),
        max_length=1,
        choices=_sex_choices,
        blank=True,
        help_text=_("Kosongkan bila skema terbuka untuk laki-laki dan perempuan."),
    )
    min_experience_years = models.PositiveSmallIntegerField(
        _("pengalaman kerja minimal (tahun)"), null=True, blank=True
    )
    prior_years_limit = models.DecimalField(
        _("lama bekerja sebelumnya di negara tujuan harus kurang dari (tahun)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    eps_topik_min_score = models.PositiveSmallIntegerField(
        _("EPS-TOPIK minimal (0–200)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila EPS-TOPIK tidak dipakai skema ini."),
    )
    jft_min_score = models.PositiveSmallIntegerField(
        _("JFT-Basic minimal (10–250)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila JFT-Basic tidak diterima skema ini."),
    )
    jlpt_min_level = models.CharField(
        _("JLPT minimal"),
        max_length=2,
        choices=JlptLevel.choices,
        blank=True,
        help_text=_("Kosongkan bila JLPT tidak diterima skema ini."),
    )
    skill_test_required = models.BooleanField(_("wajib lulus uji keterampilan"), default=False)
    skill_test_name = models.CharField(_("nama uji keterampilan"), max_length=200, blank=True)
    licence_required = models.BooleanField(_("wajib memiliki lisensi"), default=False)
    licence_name = models.CharField(_("nama lisensi"), max_length=200, blank=True)
    job_type_tests = models.JSONField(
        _("ujian tambahan menurut jenis pekerjaan"),
        default=dict,
        blank=True,
        help_text=_(
            "Kode ujian → kode jenis pekerjaan yang wajib lulus ujian itu (hasil resmi), "
            'misalnya {"kaigo_jp": ["caregiver"]}.'
        ),
    )
    checklist_items = models.JSONField(
        _("kode dokumen pra-keberangkatan"),
        default=list,
        blank=True,
        help_text=_("Kode butir daftar periksa pra-keberangkatan yang dibutuhkan skema ini."),
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan tampil"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["sort_order", "country", "name"]
        verbose_name = _("skema penempatan")
        verbose_name_plural = _("skema penempatan")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="pathway_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(state__in=PathwayState.values), name="pathway_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(eps_topik_min_score__isnull=True) | Q(eps_topik_min_score__lte=200),
                name="pathway_eps_topik_in_range",
            ),
            models.CheckConstraint(
                condition=Q(jft_min_score__isnull=True)
                | Q(jft_min_score__gte=10, jft_min_score__lte=250),
                name="pathway_jft_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"skema {self.code}"

    def is_open(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return pathway_rules.pathway_is_open(state=self.state, closes_on=self.closes_on, on=on)

    def open_problem(self, on: datetime.date | None = None) -> str:
        """Empty when open on `on`, else why not, with the stored reason and legal basis, and what to
        do (`jalur.rules.pathways.pathway_open_problem`)."""
        return pathway_rules.pathway_open_problem(
            state=self.state,
            name=self.name,
            reason=self.state_reason,
            basis=self.legal_basis,
            closes_on=self.closes_on,
            on=on or timezone.localdate(),
        )

    def allows(self, party: str) -> bool:
        return pathway_rules.party_may_place(self.placing_party, party)

    def placing_problem(self, party: str = PlacingParty.P3MI) -> str:
        """Empty when `party` may place on this pathway, else why not (`jalur.rules.pathways`)."""
        return pathway_rules.placing_problem(
            placing_party=self.placing_party, name=self.name, party=party
        )

    def state_display(self, on: datetime.date | None = None) -> str:
        """The state as a person reads it, including a phase-out date."""
        on = on or timezone.localdate()
        if self.state == PathwayState.OPEN and self.closes_on:
            if on >= self.closes_on:
                return str(PathwayState.CLOSED.label)
            return str(_("Dibuka, ditutup mulai %(date)s")) % {
                "date": self.closes_on.strftime("%d-%m-%Y")
            }
        return str(self.get_state_display())

    def extra_test_job_type_ids(self) -> dict[str, frozenset[int]]:
        """`job_type_tests` with job type ids: {test code: ids of the job types that must pass it}.

        Read from the pathway's job types (prefetch `job_types` to avoid the query) and kept on the
        instance, so checking a page of candidates against one pathway reads them once.
        """
        if not self.job_type_tests:
            return {}
        key = repr(sorted((k, tuple(v)) for k, v in self.job_type_tests.items()))
        cached = self.__dict__.get("_extra_test_ids")
        if cached is None or cached[0] != key:
            by_code = {jt.code: jt.pk for jt in self.job_types.all()}
            ids = {
                test: frozenset(by_code[c] for c in codes if c in by_code)
                for test, codes in self.job_type_tests.items()
            }
            cached = (key, {test: found for test, found in ids.items() if found})
            self.__dict__["_extra_test_ids"] = cached
        return cached[1]

    @property
    def language_required(self) -> bool:
        return bool(
            self.eps_topik_min_score is not None
            or self.jft_min_score is not None
            or self.jlpt_min_level
        )


class PathwayAssignment(models.Model):
    """A candidate placed on a pathway (stage 3 of the journey). One active assignment at a time."""

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="pathway_assignments"
    )
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="assignments")
    job_type = models.ForeignKey(
        JobType,
        verbose_name=_("jenis pekerjaan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(default=True)
    reason = models.TextField(_("catatan"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("ditetapkan pada"), auto_now_add=True)
    ended_at = models.DateTimeField(_("berakhir pada"), null=True, blank=True)
    end_reason = models.TextField(_("alasan berakhir"), blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        verbose_name = _("penetapan skema")
        verbose_name_plural = _("penetapan skema")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(is_active=True),
                name="one_active_pathway_per_candidate",
            )
        ]
        # The waiting list's "set by the rules lately" panel reads the last days of these.
        indexes = [
            models.Index(
                fields=["assigned_at"],
                name="pathway_assigned_by_rule",
                condition=Q(is_active=True, assigned_by__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pathway} ({self.candidate_id})"

    def audit_label(self) -> str:
        return f"penetapan skema #{self.pk} (pencari kerja #{self.candidate_id})"

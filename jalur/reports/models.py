"""Summary tables behind the dashboard, the monthly report and the public statistics.

Nothing here is typed in: every row is computed from the other apps' records (see facts.py for what
one candidate contributes, services.py for how the tables are kept current) and can be rebuilt at any
time with `manage.py rebuild_stats`. The tables hold counts and plain codes, never a name or a NIK, and
no foreign key to a candidate: they are statistics, not personal records.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidateStat(models.Model):
    """What the tallies currently count for one candidate, so a change can be applied as a difference.

    `last_history_id` is the newest stage-history row already counted: rows after it are new.
    """

    candidate_id = models.BigIntegerField(primary_key=True)
    registered_month = models.DateField()
    country = models.CharField(max_length=2, blank=True)
    pathway_id = models.IntegerField(default=0)
    job_type_id = models.IntegerField(default=0)
    # as counted: a home kecamatan, else a kab/kota or province code (facts.district_counted)
    district = models.CharField(max_length=8, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    stage = models.CharField(max_length=20)
    last_history_id = models.BigIntegerField(default=0)
    synced_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ringkasan pencari kerja")
        verbose_name_plural = _("ringkasan pencari kerja")

    def __str__(self) -> str:
        return f"#{self.candidate_id}"


class Tally(models.Model):
    """How many candidates fall in one cell: a dimension value within a month, destination and job type.

    `month` is the registration month for every dimension except "first" (the month the candidate
    first reached the stage). `grp` splits breakdowns into still in process / departed / stopped.
    """

    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=20, blank=True)
    grp = models.CharField(max_length=8, blank=True)
    month = models.DateField()
    country = models.CharField(max_length=2, blank=True)
    job_type_id = models.IntegerField(default=0)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("hitungan ringkasan")
        verbose_name_plural = _("hitungan ringkasan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dimension", "value", "grp", "country", "job_type_id"],
                name="tally_one_row_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value} {self.month:%Y-%m}: {self.n}"


class DwellTally(models.Model):
    """How many finished stays in a stage lasted `days` whole days, by the month the stay ended.

    `seconds` sums the exact durations, so the average is exact; the whole days give the percentiles.
    """

    stage = models.CharField(max_length=20)
    month = models.DateField()
    country = models.CharField(max_length=2, blank=True)
    job_type_id = models.IntegerField(default=0)
    days = models.IntegerField()
    n = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("lama di tahap")
        verbose_name_plural = _("lama di tahap")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "stage", "country", "job_type_id", "days"],
                name="dwell_one_row_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.days} d: {self.n}"


class CohortFigures(models.Model):
    """Attendance and results of one cohort, recomputed by the refresh task; final once it is closed."""

    cohort_id = models.BigIntegerField(primary_key=True)
    provider_id = models.BigIntegerField()
    provider_name = models.CharField(max_length=200)
    programme_name = models.CharField(max_length=200)
    cohort_name = models.CharField(max_length=100)
    start_date = models.DateField(db_index=True)
    end_date = models.DateField()
    # ",JP,KR," and ",3,7,": a LIKE finds one on every database; no job types = all of them.
    countries = models.CharField(max_length=20, blank=True)
    job_type_ids = models.CharField(max_length=400, blank=True)
    capacity = models.IntegerField(default=0)
    enrolled = models.IntegerField(default=0)
    waiting = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    attended = models.IntegerField(default=0)
    marks = models.IntegerField(default=0)
    final = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-start_date", "cohort_id"]
        verbose_name = _("angka angkatan")
        verbose_name_plural = _("angka angkatan")

    def __str__(self) -> str:
        return f"{self.programme_name} · {self.cohort_name}"


class ActivityTally(models.Model):
    """Counts recomputed by the refresh task from records other apps keep.

    kind "score": official language results, key "<test>:<bucket>", `day` the first of the exam month.
    kind "expiry": documents still needed that expire, key "<source>:<code>", `day` the expiry date.
    kind "grievance" (GRIEVANCE): keys "status:<status>" (open ones) and "late" (open past their
    deadline), `day` the refresh's; "category:<category>" (opened) and "closed", `day` the month.
    """

    GRIEVANCE = "grievance"

    kind = models.CharField(max_length=12)
    key = models.CharField(max_length=60)
    day = models.DateField()
    country = models.CharField(max_length=2, blank=True)
    job_type_id = models.IntegerField(default=0)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("hitungan kegiatan")
        verbose_name_plural = _("hitungan kegiatan")
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.day}: {self.n}"


class RefreshState(models.Model):
    """When the summary tables were last rebuilt and refreshed (one row)."""

    rebuilt_at = models.DateTimeField(null=True, blank=True)
    rebuild_seconds = models.FloatField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    refresh_seconds = models.FloatField(null=True, blank=True)
    # When a refresh was last asked for, so many page views ask only once per interval.
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status ringkasan")
        verbose_name_plural = _("status ringkasan")

    def __str__(self) -> str:
        return f"{self.refreshed_at}"

"""Each candidate's training facts that every job order's ranking reads, kept on one row.

The selection ranking (`placement.selection`) scores every eligible person of an order; reading
twenty attendance marks and every official language result of each of 80,000 people per page
cost seconds. These facts do not depend on the order, so they are kept here, one row per candidate
who has any: the attendance marks over every register (and how many were attended), and for each
language scale group the best normalised score over every official result with the latest expiry
among the results that reach it; and, in `SkillFacts`, the best passed skill test of each job
type. A result only stops being valid as the day moves on, so while that expiry has not passed
the stored best is the best valid one; once it has, the ranking reads the results themselves
(`placement.selection`, `placement.eligibility`).

Kept exact by `services.facts.facts_sync`, in the transaction of every write that changes them
(see that module); `facts_rebuild` recounts them all from the records.
"""

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from jalur.core.signals import skip_raw


class SelectionFacts(models.Model):
    candidate = models.OneToOneField(
        "candidates.Candidate",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="selection_facts",
    )
    # every attendance mark of the person, on every register, and those present or late
    marks = models.PositiveIntegerField(_("jumlah catatan kehadiran"), default=0)
    attended = models.PositiveIntegerField(_("jumlah hadir"), default=0)
    # the best normalised (0–100) official result of each scale group, NULL when there is none,
    # and the latest expiry among the results reaching it (NULL: one of them never expires)
    language_jp = models.FloatField(_("nilai bahasa Jepang terbaik"), null=True, blank=True)
    language_jp_until = models.DateField(null=True, blank=True)
    language_kr = models.FloatField(_("nilai bahasa Korea terbaik"), null=True, blank=True)
    language_kr_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("ringkasan pelatihan untuk seleksi")
        verbose_name_plural = _("ringkasan pelatihan untuk seleksi")

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.attended}/{self.marks}"

    def audit_label(self) -> str:
        return f"ringkasan seleksi pencari kerja #{self.candidate_id}"


class SkillFacts(models.Model):
    """For each job type a candidate holds a passed official skill test of: the best of those
    results on the ranking's scale (a pass without a score counts 100) with the latest expiry
    among the results reaching it, and the latest expiry of any of them (NULL: one never expires),
    which says on any day whether one is still valid."""

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="skill_facts"
    )
    job_type = models.ForeignKey("pathways.JobType", on_delete=models.CASCADE, related_name="+")
    best = models.FloatField(_("nilai uji keterampilan terbaik"))
    best_until = models.DateField(null=True, blank=True)
    passed_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("ringkasan uji keterampilan untuk seleksi")
        verbose_name_plural = _("ringkasan uji keterampilan untuk seleksi")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "job_type"], name="skill_facts_one_per_job_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}/{self.job_type_id}: {self.best}"

    def audit_label(self) -> str:
        return f"ringkasan uji keterampilan pencari kerja #{self.candidate_id}"


# Every save or delete of a result or an attendance mark one by one recomputes its person's facts
# in the same transaction (the services' bulk writes call `facts_sync` themselves). Connected here,
# with the model, so no path that loads the models can miss them.
@skip_raw
def _assessment_changed(sender, instance, **kwargs) -> None:
    from .services.facts import assessment_changed

    assessment_changed(sender, instance, **kwargs)


@skip_raw
def _attendance_changed(sender, instance, **kwargs) -> None:
    from .services.facts import attendance_changed

    attendance_changed(sender, instance, **kwargs)


for _signal in (post_save, post_delete):
    _signal.connect(_assessment_changed, sender="training.Assessment", dispatch_uid="facts")
    _signal.connect(_attendance_changed, sender="training.Attendance", dispatch_uid="facts")

"""When a trainee completes a course of the programme, and which test results count for it.

The programme's rule (it decides who gets a training certificate, the proof of competence UU 18/2017
Pasal 5 huruf b asks of every migrant worker):
- attendance is counted over the cohort's whole schedule: every session counts, those held before
  the person joined included (a certificate says the programme was attended, not part of it), and
  the share attended must reach the programme's pass mark;
- the hours attended must reach the same share of the programme's hours, so a cohort whose schedule
  holds fewer hours than its programme, or a person who sat through a few sessions of it, cannot be
  certified for the programme;
- an official result speaks before a mock one: while the trainee holds a valid official result of a
  test, mock results of that test count neither for the pass nor on the certificate; a mock result
  counts only when taken in this enrolment and the programme does not demand an official result;
- a skill test or licence counts only for the job types the programme trains for (a manufacturing
  skill test does not pass a caregiver course), the same reading the pathway's skill check uses.

The training app gathers the facts (sessions, marks, results) and calls these functions.
"""

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule

_COMPLETION = (sources.PROGRAMME, sources.COMPETENCE)


@dataclass(frozen=True)
class Requirement:
    """One condition of completing a course, judged."""

    code: str
    label: str
    passed: bool
    message: str
    # what the certificate prints for a condition met: None prints the message, "" nothing
    printed: str | None = None


def attendance_pct(attended: int, scheduled: int) -> Decimal | None:
    """The share of sessions attended, one decimal; None while nothing is scheduled."""
    if not scheduled:
        return None
    return (Decimal(attended) * 100 / scheduled).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@rule(title=gettext_lazy("Kehadiran untuk lulus pelatihan"), sources=_COMPLETION)
def attendance_requirement(*, attended: int, scheduled: int, min_pct: int) -> Requirement:
    """Sessions attended over every session of the cohort's schedule reach the programme's pass mark.

    `scheduled` is the whole schedule, sessions held before the person joined included; a session
    counts as attended when the person was present or late (an excused absence is an absence).
    """
    label = _("Kehadiran")
    pct = attendance_pct(attended, scheduled)
    if pct is None:
        return Requirement("attendance", label, False, _("angkatan belum punya jadwal sesi"))
    return Requirement(
        "attendance",
        label,
        attended * 100 >= min_pct * scheduled,  # exact: 79.96% is not rounded into a pass
        _("kehadiran %(pct)s%% (%(att)s dari %(total)s sesi), minimal %(min)s%%")
        % {"pct": number_format(pct, 1), "att": attended, "total": scheduled, "min": min_pct},
        printed=_("kehadiran %(pct)s%%") % {"pct": number_format(pct, 1)},
    )


@rule(title=gettext_lazy("Peserta yang bergabung terlambat masih bisa lulus"), sources=_COMPLETION)
def late_enrolment(*, held: int, scheduled: int, min_pct: int) -> Requirement:
    """Someone joining a running cohort can still reach the pass mark with the sessions left.

    The sessions held before they join count as missed (`attendance_requirement` counts the whole
    schedule), so the best they can reach is every session left attended. When even that is below
    the pass mark, they are not enrolled (nor proposed) in this cohort: they cannot pass in it.
    """
    label = _("Sisa sesi")
    best = attendance_pct(scheduled - held, scheduled)
    if best is None or not held:
        return Requirement("late_enrolment", label, True, _("belum ada sesi yang terlewat"))
    passed = attendance_requirement(
        attended=scheduled - held, scheduled=scheduled, min_pct=min_pct
    ).passed
    context = {
        "held": held,
        "total": scheduled,
        "pct": number_format(best, 1),
        "min": min_pct,
    }
    if passed:
        message = _(
            "%(held)s dari %(total)s sesi sudah berlangsung; kehadirannya paling tinggi "
            "%(pct)s%%, syarat lulus %(min)s%% masih bisa dicapai."
        )
    else:
        message = _(
            "%(held)s dari %(total)s sesi sudah berlangsung: yang didaftarkan sekarang paling tinggi "
            "hadir %(pct)s%%, di bawah syarat lulus %(min)s%%, jadi tidak bisa lulus di angkatan "
            "ini. Daftarkan di angkatan berikutnya."
        )
    return Requirement("late_enrolment", label, passed, message % context)


def _hours(value: Decimal) -> str:
    """160 or 12,8: whole hours without a decimal."""
    return str(int(value)) if value == int(value) else number_format(value, 1)


def hours_needed(programme_hours: int, min_pct: int) -> Decimal:
    """The pass mark's share of the programme's hours, in hours."""
    return Decimal(programme_hours) * min_pct / 100


def _shown(hours: Decimal) -> Decimal:
    return Decimal(hours).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


@rule(title=gettext_lazy("Jam pelajaran yang dihadiri untuk lulus pelatihan"), sources=_COMPLETION)
def hours_requirement(
    *, attended_hours: Decimal, programme_hours: int | None, min_pct: int
) -> Requirement | None:
    """The hours attended reach the pass mark's share of the programme's hours; None when the
    programme sets no hours.

    A 200-hour programme with an 80% pass mark needs 160 hours attended, however few sessions the
    cohort's schedule holds.
    """
    if not programme_hours:
        return None
    need = hours_needed(programme_hours, min_pct)
    have = Decimal(attended_hours)
    return Requirement(
        "hours",
        _("Jam pelajaran"),
        have >= need,
        _("hadir %(have)s jam, minimal %(need)s jam (%(min)s%% dari %(hours)s jam program)")
        % {
            "have": _hours(_shown(have)),
            "need": _hours(need.quantize(Decimal("0.1"), rounding=ROUND_UP)),
            "min": min_pct,
            "hours": programme_hours,
        },
        printed="",  # the certificate prints the hours attended on a line of its own
    )


@dataclass(frozen=True)
class Result:
    """One test result of the trainee, as far as the completion rule needs it."""

    ref: object  # the caller's own record, handed back in the ruling
    official: bool
    meets: bool  # reaches the requirement's score or level
    taken_on: datetime.date
    valid: bool = True  # an official result still valid on the day of the check
    this_enrolment: bool = False  # a mock result taken in the enrolment being judged
    order: int = 0  # breaks ties between results of one day (the later recorded wins)


@dataclass(frozen=True)
class ResultRuling:
    passed: bool
    quoted: (
        Result | None
    )  # the result that speaks for the trainee (met, or the latest one that did not)
    official_only: bool  # a valid official result exists, so mock results did not count


@rule(
    title=gettext_lazy("Hasil ujian yang dihitung untuk lulus pelatihan"),
    sources=(sources.PROGRAMME,),
)
def required_result(results: Sequence[Result], *, official_required: bool) -> ResultRuling:
    """Which result of a required test speaks for the trainee: an official one before any mock one.

    While a valid official result exists, only official results count. Otherwise a mock result taken
    in this enrolment counts, unless the programme demands an official result. Of the results that
    count, the latest one meeting the requirement is quoted; if none meets it, the latest one.
    """
    official = [r for r in results if r.official and r.valid]
    if official:
        pool = official
    elif official_required:
        pool = []
    else:
        pool = [r for r in results if not r.official and r.this_enrolment]
    met = [r for r in pool if r.meets]
    chosen = met or pool
    quoted = max(chosen, key=lambda r: (r.taken_on, r.order)) if chosen else None
    return ResultRuling(bool(met), quoted, bool(official))


@rule(
    title=gettext_lazy("Uji keterampilan dan lisensi sesuai jenis pekerjaan program"),
    sources=(sources.PROGRAMME, sources.COMPETENCE, sources.SSW_JAPAN),
)
def fits_programme(job_type_id: int | None, programme_job_type_ids: Collection[int]) -> bool:
    """A skill test or licence counts for a course only when it was taken for one of the job types
    the programme trains for; a programme that names no job type accepts none."""
    return job_type_id is not None and job_type_id in programme_job_type_ids

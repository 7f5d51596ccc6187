"""Writes for interviews: scheduling one and recording how it went."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Application, InterviewMode, InterviewResult
from ..models.applications import INTERVIEW_RECORD_DAYS_BACK, INTERVIEW_TIME_MISSING
from ._shared import AS, _application_move
from .applications import _lock_application, _notify_candidate


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H.%M")


def _past_interview_section(application: Application) -> str:
    """The heading of the part of the application page where a held interview is recorded."""
    if application.status == AS.INTERVIEW_SCHEDULED:
        return _("Catat hasil wawancara")
    return _("Catat wawancara yang sudah berlangsung")


def _held_at_problem(
    held_at: datetime.datetime, *, now: datetime.datetime, created: datetime.datetime
) -> str:
    """What is wrong with the time typed for an interview that has taken place, if anything."""
    if held_at > now:
        return _(
            "Waktu wawancara yang sudah berlangsung tidak boleh sesudah sekarang (%(now)s)."
        ) % {"now": _when(now)}
    if held_at < now - datetime.timedelta(days=INTERVIEW_RECORD_DAYS_BACK):
        return _(
            "Wawancara yang sudah berlangsung bisa dicatat sampai %(days)s hari sesudahnya; "
            "%(at)s lebih lama dari itu. Periksa tanggal dan tahunnya."
        ) % {"days": INTERVIEW_RECORD_DAYS_BACK, "at": _when(held_at)}
    # Times are typed to the minute: an interview in the minute the application was made is after it.
    if held_at < created.replace(second=0, microsecond=0):
        return _("Waktu wawancara tidak boleh sebelum lamaran ini ada di Jalur (%(created)s).") % {
            "created": _when(created)
        }
    return ""


def interview_schedule(
    *,
    actor,
    application: Application,
    at: datetime.datetime,
    mode: str,
    place: str,
    now: datetime.datetime | None = None,
) -> Application:
    """An upcoming interview, which the candidate is told about. One already held is recorded with
    its result instead (`interview_record`). `now`: when it was scheduled (the demo's and tests'
    history); the time must be after it."""
    errors = {}
    if at is None:
        errors["at"] = INTERVIEW_TIME_MISSING
    elif at <= (now or timezone.now()):
        errors["at"] = _(
            "Jadwal wawancara harus di masa depan. Wawancara yang sudah berlangsung dicatat "
            "bersama hasilnya, di bagian “%(section)s”."
        ) % {"section": _past_interview_section(application)}
    if not (place or "").strip():
        errors["place"] = _("Tulis alamat tempat wawancara atau tautan rapat daring.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _order, locked = _lock_application(application)
        rescheduled = locked.status == AS.INTERVIEW_SCHEDULED
        _application_move(
            locked,
            to_status=AS.INTERVIEW_SCHEDULED,
            actor=actor,
            reason=_("Jadwal diubah") if rescheduled else "",
            interview_at=at,
            interview_mode=mode,
            interview_place=place.strip(),
        )
        _notify_candidate(locked, "placement_interview")
    return locked


def interview_record(
    *,
    actor,
    application: Application,
    result: str,
    notes: str = "",
    held_at: datetime.datetime | None = None,
    mode: str = "",
    place: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """The result of an interview that has taken place, never dated after `now` (nor more than
    INTERVIEW_RECORD_DAYS_BACK days before it, nor before the application existed).

    A scheduled interview is held at its scheduled time unless `held_at` says otherwise (it took
    place earlier). One held before anything was entered in Jalur (the application is shortlisted)
    needs `held_at`, `mode` and `place`, and is recorded in one step with its result: the candidate
    is not told about an "upcoming" interview that is already over. Every problem shows at once.
    """
    now = now or timezone.now()
    errors: dict = {}
    if result not in InterviewResult.values:
        errors["result"] = _("Pilih hasil wawancara.")
    with transaction.atomic():
        _order, locked = _lock_application(application)
        unscheduled = locked.status == AS.SHORTLISTED
        if held_at and locked.interview_at and _when(held_at) == _when(locked.interview_at):
            held_at = None  # the scheduled time, as the result form shows it (to the minute)
        at = held_at or locked.interview_at
        if unscheduled:
            if held_at is None:
                errors["held_at"] = INTERVIEW_TIME_MISSING
            if mode not in InterviewMode.values:
                errors["mode"] = _("Pilih cara wawancara.")
            if not (place or "").strip():
                errors["place"] = _("Tulis tempat wawancara atau tautan rapat daring yang dipakai.")
        if held_at is not None:
            problem = _held_at_problem(held_at, now=now, created=locked.created_at)
            if problem:
                errors["held_at"] = problem
        elif at is not None and at > now:
            errors["held_at"] = _(
                "Wawancara dijadwalkan %(at)s; hasilnya bisa dicatat sesudah itu. Bila wawancara "
                "sudah berlangsung lebih awal, isi waktu berlangsungnya."
            ) % {"at": _when(at)}
        if errors:
            raise ValidationError(errors)
        fields = {"interview_result": result, "interview_notes": (notes or "").strip()}
        reason = ""
        if unscheduled:
            fields |= {
                "interview_at": at,
                "interview_mode": mode,
                "interview_place": place.strip(),
            }
            reason = _("Wawancara %(at)s dicatat sesudah berlangsung") % {"at": _when(at)}
        elif at != locked.interview_at:
            fields["interview_at"] = at
            reason = _("Wawancara berlangsung %(at)s, bukan %(scheduled)s seperti dijadwalkan") % {
                "at": _when(at),
                "scheduled": _when(locked.interview_at),
            }
        _application_move(locked, to_status=AS.INTERVIEWED, actor=actor, reason=reason, **fields)
    return locked

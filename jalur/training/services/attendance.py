"""The attendance register: everyone present by default, one tap per exception."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record

from ..models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from ._shared import _now, _user
from .facts import facts_sync


def _register_check(session: Session, today: datetime.date) -> None:
    if session.cohort.closed_at:
        raise ValidationError(_("Angkatan sudah ditutup; absensi tidak bisa diubah."))
    if session.date > today:
        raise ValidationError(
            _("Sesi ini belum berlangsung (%(date)s); absensi diisi pada hari itu atau sesudahnya.")
            % {"date": session.date.strftime("%d-%m-%Y")}
        )


def _register_open(session: Session, *, actor, now) -> None:
    """Everyone currently enrolled is present unless marked otherwise: write those rows once."""
    marked = set(Attendance.objects.filter(session=session).values_list("enrolment_id", flat=True))
    # Someone who joined after this session was not expected at it.
    missing = list(
        Enrolment.objects.filter(cohort_id=session.cohort_id, status=EnrolmentStatus.ENROLLED)
        .exclude(pk__in=marked)
        .exclude(enrolled_at__date__gt=session.date)
        .values_list("pk", "candidate_id")
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                enrolment_id=pk,
                status=AttendanceStatus.PRESENT,
                marked_by=_user(actor),
                marked_at=now,
            )
            for pk, _candidate in missing
        ]
    )
    # a bulk write sends no signal: the marks' people's selection facts are recounted here
    facts_sync(candidate for _pk, candidate in missing)
    if session.register_saved_at is None:
        session.register_saved_at = now
        session.register_saved_by = _user(actor)
        session.save(update_fields=["register_saved_at", "register_saved_by"])


def attendance_mark(
    *, session: Session, enrolment: Enrolment, status: str, actor, at=None
) -> Attendance:
    """One tap on the register: set one trainee's status (the others stay present)."""
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Pilih hadir, terlambat, izin/sakit atau tidak hadir."))
    if enrolment.cohort_id != session.cohort_id:
        raise ValidationError(_("Peserta ini bukan peserta angkatan sesi ini."))
    now = _now(at)
    with transaction.atomic():
        locked = (
            Session.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=session.pk)
        )
        _register_check(locked, timezone.localtime(now).date())
        _register_open(locked, actor=actor, now=now)
        row = (
            Attendance.objects.select_for_update()
            .filter(session=locked, enrolment=enrolment)
            .first()
        )
        if row is None:
            raise ValidationError(_("Peserta ini sudah tidak terdaftar di angkatan."))
        if row.status != status:
            before = row.status
            row.status = status
            row.marked_by = _user(actor)
            row.marked_at = now
            row.save(update_fields=["status", "marked_by", "marked_at"])
            audit_record(
                actor=actor,
                action="training.attendance.mark",
                target=row,
                changes={"status": [before, status]},
            )
    return row


def attendance_register_save(
    *, session: Session, statuses: dict[int, str], actor, at=None
) -> dict[str, int]:
    """Save a whole register (the form without JavaScript): anyone not listed is present."""
    if any(s not in AttendanceStatus.values for s in statuses.values()):
        raise ValidationError(_("Pilih hadir, terlambat, izin/sakit atau tidak hadir."))
    now = _now(at)
    with transaction.atomic():
        locked = (
            Session.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=session.pk)
        )
        _register_check(locked, timezone.localtime(now).date())
        _register_open(locked, actor=actor, now=now)
        changed = []
        rows = (
            Attendance.objects.select_for_update(of=("self",))
            .select_related("enrolment")
            .filter(session=locked)
        )
        for row in rows:
            wanted = statuses.get(row.enrolment_id)
            if wanted and wanted != row.status:
                row.status = wanted
                row.marked_by = _user(actor)
                row.marked_at = now
                changed.append(row)
        Attendance.objects.bulk_update(changed, ["status", "marked_by", "marked_at"])
        facts_sync(row.enrolment.candidate_id for row in changed)
        counts = {
            s: Attendance.objects.filter(session=locked, status=s).count()
            for s in AttendanceStatus.values
        }
        audit_record(
            actor=actor,
            action="training.attendance.register",
            target=locked,
            changes={"changed": [None, len(changed)], **{k: [None, v] for k, v in counts.items()}},
        )
    return counts

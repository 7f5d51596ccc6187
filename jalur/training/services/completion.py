"""Completing a course (`jalur.rules.training`), failing it, closing a cohort, and certificates:
their numbers, issue and revocation."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.pathways.services import pathway_assign_by_rule

from ..models import (
    Certificate,
    CertificateStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Programme,
)
from ..selectors import (
    CompletionCheck,
    certificate_revoked_standing,
    cohort_completion,
    completion_check,
    schedule_progress,
)
from ._shared import _notify, _now, _user
from .enrolment import _end, _move, _promote_waiting, _settle_stage

_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def certificate_number(pk: int, year: int) -> str:
    """PLT-3673-2026-000123-K7QX: region, year, serial, and a random tail so numbers cannot be guessed."""
    region = settings.JALUR_HOME_REGION.replace(".", "")
    tail = "".join(secrets.choice(_NUMBER_ALPHABET) for _position in range(4))
    return f"PLT-{region}-{year}-{pk:06d}-{tail}"


def certificate_issue(
    *, enrolment: Enrolment, check: CompletionCheck, actor, on: datetime.date
) -> Certificate:
    """Issue the certificate of a completed enrolment (called by the completion services).

    It prints the hours the person attended, not the programme's nominal hours nor the whole
    schedule's (a late joiner or an absentee did not sit through all of it)."""
    cohort = enrolment.cohort
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number=f"tmp-{secrets.token_hex(8)}",
        token=secrets.token_urlsafe(18),
        holder_name=enrolment.candidate.full_name,
        programme_name=cohort.programme.name,
        hours=check.rate.hours,
        provider_name=str(cohort.provider),
        result=check.result_text(),
        issued_on=on,
        issued_by=_user(actor),
    )
    certificate.number = certificate_number(certificate.pk, on.year)
    certificate.save(update_fields=["number"])
    audit_record(
        actor=actor,
        action="training.certificate.issue",
        target=certificate,
        changes={"number": [None, certificate.number]},
    )
    return certificate


def _complete(enrolment: Enrolment, check: CompletionCheck, *, actor, now) -> Certificate:
    _end(enrolment, EnrolmentStatus.COMPLETED, actor=actor, reason=check.result_text(), at=now)
    certificate = certificate_issue(
        enrolment=enrolment, check=check, actor=actor, on=timezone.localtime(now).date()
    )
    _settle_stage(
        enrolment.candidate_id,
        actor=actor,
        reason=_("Lulus %(programme)s") % {"programme": enrolment.cohort.programme.name},
        at=now,
    )
    _notify(
        enrolment.candidate,
        "training_completed",
        {"programme": enrolment.cohort.programme.name, "number": certificate.number},
    )
    # trained and without a pathway: where the rules leave one legal option, they assign it now;
    # otherwise the person waits on the manager's "menunggu skema" list
    candidate = Candidate.objects.get(pk=enrolment.candidate_id)
    pathway_assign_by_rule(candidate=candidate, on=timezone.localtime(now).date())
    return certificate


def _fail(enrolment: Enrolment, *, actor, reason: str, now) -> None:
    _end(enrolment, EnrolmentStatus.FAILED, actor=actor, reason=reason, at=now)
    _settle_stage(
        enrolment.candidate_id,
        actor=actor,
        reason=_("Tidak lulus %(programme)s: %(reason)s")
        % {"programme": enrolment.cohort.programme.name, "reason": reason},
        at=now,
    )
    _notify(
        enrolment.candidate,
        "training_failed",
        {"programme": enrolment.cohort.programme.name, "reason": reason},
    )


def _lock_enrolment(enrolment: Enrolment) -> tuple[Programme, Enrolment]:
    programme = Programme.objects.select_for_update().get(pk=enrolment.cohort.programme_id)
    locked = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "cohort__provider__organisation", "candidate")
        .get(pk=enrolment.pk)
    )
    if locked.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(
            _("Hanya peserta aktif yang bisa dinyatakan lulus atau tidak lulus."), code="status"
        )
    return programme, locked


def enrolment_complete(
    *, enrolment: Enrolment, actor, at: datetime.datetime | None = None
) -> Certificate:
    """Complete one trainee who meets the programme's rule; issues the certificate, moves the stage."""
    now = _now(at)
    with transaction.atomic():
        _programme, locked = _lock_enrolment(enrolment)
        check = completion_check(locked, on=timezone.localtime(now).date())
        if not check.schedule.finished:
            raise ValidationError(check.schedule.refusal, code="not_finished")
        if not check.ok:
            raise ValidationError(
                _("Belum memenuhi syarat lulus: %(items)s.") % {"items": "; ".join(check.failures)},
                code="not_met",
            )
        return _complete(locked, check, actor=actor, now=now)


def enrolment_fail(
    *, enrolment: Enrolment, actor, reason: str, at: datetime.datetime | None = None
) -> Enrolment:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan peserta tidak lulus.")})
    now = _now(at)
    with transaction.atomic():
        programme, locked = _lock_enrolment(enrolment)
        _fail(locked, actor=actor, reason=reason, now=now)
        _promote_waiting(programme, actor=actor, at=now)
    return locked


def cohort_close(*, cohort: Cohort, actor, at: datetime.datetime | None = None) -> dict[str, int]:
    """End a cohort: who meets the rule completes (with a certificate), the others fail; waiting ends."""
    now = _now(at)
    today = timezone.localtime(now).date()
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=cohort.programme_id)
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if locked.closed_at:
            raise ValidationError(_("Angkatan ini sudah ditutup."))
        schedule = schedule_progress(locked, on=today)
        if not schedule.finished:
            raise ValidationError(schedule.refusal, code="not_finished")
        summary = {"completed": 0, "failed": 0, "waiting_ended": 0}
        for enrolment, check in cohort_completion(locked, on=today, schedule=schedule):
            if check.ok:
                _complete(enrolment, check, actor=actor, now=now)
                summary["completed"] += 1
            else:
                _fail(enrolment, actor=actor, reason="; ".join(check.failures), now=now)
                summary["failed"] += 1
        for waiting in locked.enrolments.filter(status=EnrolmentStatus.WAITING):
            _end(
                waiting,
                EnrolmentStatus.WITHDRAWN,
                actor=actor,
                reason=_("Angkatan ditutup sebelum ada kursi kosong."),
                at=now,
            )
            summary["waiting_ended"] += 1
        locked.closed_at = now
        locked.closed_by = _user(actor)
        locked.save(update_fields=["closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action="training.cohort.close",
            target=locked,
            changes={k: [None, v] for k, v in summary.items()},
        )
        _promote_waiting(programme, actor=actor, at=now)
    return summary


def _completion_revoke(enrolment: Enrolment, *, actor, reason: str) -> None:
    """The pass behind a revoked certificate no longer counts: the enrolment stops being
    completed, so it no longer blocks a new enrolment in the programme. When and why the course
    ended stay as they were; the revocation is its own audited change."""
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status != EnrolmentStatus.COMPLETED:
        return
    _move(
        locked,
        EnrolmentStatus.REVOKED,
        actor=actor,
        action="training.enrolment.revoked",
        reason=reason,
        at=timezone.now(),
    )
    enrolment.status = locked.status


def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan sertifikat dicabut.")})
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__candidate")
            .get(pk=certificate.pk)
        )
        if locked.status == CertificateStatus.REVOKED:
            raise ValidationError(_("Sertifikat ini sudah dicabut."))
        locked.status = CertificateStatus.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_by = _user(actor)
        locked.revoked_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
        audit_record(
            actor=actor,
            action="training.certificate.revoke",
            target=locked,
            changes={"status": [CertificateStatus.VALID, CertificateStatus.REVOKED]},
            reason=reason,
        )
        _completion_revoke(locked.enrolment, actor=actor, reason=reason)
        candidate = locked.enrolment.candidate
        _notify(
            candidate, "training_certificate_revoked", {"number": locked.number, "reason": reason}
        )
        # Without a valid certificate the training no longer counts: someone not yet in selection
        # goes back to VERIFIED (to train again); later stages are stopped by the departure gate.
        if candidate.stage == Stage.TRAINED and certificate_revoked_standing(candidate):
            candidate_stage_change(
                candidate=candidate,
                to_stage=Stage.VERIFIED,
                actor=actor,
                reason=_("Sertifikat pelatihan %(number)s dicabut: %(reason)s")
                % {"number": locked.number, "reason": reason},
            )
    return locked

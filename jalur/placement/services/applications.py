"""Writes for applications: applying, the shortlist, the employer's choice, and an application's
end (not selected, withdrawn, or ended with its order); and the helpers the interview and offer
services share (locking an application, telling its candidate, settling the candidate's stage)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.roles import Role
from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.notifications.services import notify

from ..eligibility import order_eligibility
from ..models import Application, ApplicationEvent, ApplicationOrigin, InterviewResult, JobOrder
from ..states import APPLICATION_LIVE, APPLICATION_OPEN, OrderStatus
from ._shared import (
    AS,
    _actor_or_none,
    _agency_staff,
    _application_move,
    _notify_all,
    _order_move,
    _reason_required,
)


def _candidate_into_selection(candidate: Candidate, *, actor, order: JobOrder) -> None:
    if candidate.stage == Stage.TRAINED:
        candidate_stage_change(
            candidate=candidate,
            to_stage=Stage.SELECTION,
            actor=actor,
            # no order number: every P3MI the person applies to reads the stage history
            reason=_("Melamar atau direkomendasikan ke lowongan resmi"),
            notify_candidate=False,
        )


def _candidate_settle(candidate: Candidate, *, actor, reason: str) -> None:
    """After an application ends: back to "trained" when nothing is left in progress."""
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    # an offer worked in an earlier cycle (the worker came home) holds nothing now
    statuses = set(
        locked.applications.filter(returned_on__isnull=True).values_list("status", flat=True)
    )
    if AS.ACCEPTED in statuses:
        return
    if locked.stage == Stage.PRE_DEPARTURE:
        candidate_stage_change(
            candidate=locked,
            to_stage=Stage.TRAINED,
            actor=actor,
            reason=reason,
            notify_candidate=False,
        )
        locked.refresh_from_db(fields=["stage"])
        if statuses & APPLICATION_LIVE:
            candidate_stage_change(
                candidate=locked,
                to_stage=Stage.SELECTION,
                actor=actor,
                reason=reason,
                notify_candidate=False,
            )
        return
    if locked.stage == Stage.SELECTION and not statuses & APPLICATION_LIVE:
        candidate_stage_change(
            candidate=locked,
            to_stage=Stage.TRAINED,
            actor=actor,
            reason=reason,
            notify_candidate=False,
        )


def _notify_candidate(application: Application, key: str, **context) -> None:
    user = application.candidate.user
    if user is not None:
        notify(
            user=user,
            key=key,
            context={"order": application.order, "application": application, **context},
            link=reverse("placement:my_application", args=[application.pk]),
        )


def _lock_application(application: Application) -> tuple[JobOrder, Application]:
    order = JobOrder.objects.select_for_update().get(pk=application.order_id)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related(
            "candidate__user", "order__pathway", "order__job_type", "order__agency__organisation"
        )
        .get(pk=application.pk)
    )
    return order, locked


def _eligibility_problems(candidate: Candidate, order: JobOrder, on: datetime.date) -> list[str]:
    outcome = order_eligibility(candidate=candidate, order=order, on=on)
    return [f"{r.label}: {r.message}" for r in outcome.failures]


def _require_open(order: JobOrder, on: datetime.date) -> None:
    if order.status != OrderStatus.APPROVED or order.deadline < on:
        raise ValidationError(
            _("Lowongan %(ref)s tidak lagi menerima pelamar.") % {"ref": order.reference},
            code="order_closed",
        )


def application_apply(*, candidate: Candidate, order: JobOrder, actor, on=None) -> Application:
    """The candidate applies (or answers a recommendation). Only orders they qualify for."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked_order = (
            JobOrder.objects.select_for_update(of=("self",))
            .select_related("pathway", "job_type")
            .get(pk=order.pk)
        )
        _require_open(locked_order, on)
        existing = (
            Application.objects.select_for_update()
            .filter(order=locked_order, candidate_id=candidate.pk)
            .first()
        )
        person = Candidate.objects.select_for_update().get(pk=candidate.pk)
        failing = _eligibility_problems(person, locked_order, on)
        if failing:
            raise ValidationError(
                _("Anda belum memenuhi syarat lowongan ini: %(rules)s.")
                % {"rules": "; ".join(failing)},
                code="not_eligible",
            )
        now = timezone.now()
        if existing is None:
            application = Application.objects.create(
                order=locked_order,
                candidate=person,
                status=AS.APPLIED,
                origin=ApplicationOrigin.APPLIED,
                applied_at=now,
                status_changed_at=now,
            )
            ApplicationEvent.objects.create(
                application=application,
                from_status="",
                to_status=AS.APPLIED,
                actor=_actor_or_none(actor),
                created_at=now,
            )
            audit_record(
                actor=actor,
                action="application.applied",
                target=application,
                changes={"status": [None, AS.APPLIED]},
            )
        elif existing.status == AS.RECOMMENDED:
            application = _application_move(
                existing, to_status=AS.APPLIED, actor=actor, applied_at=now
            )
        else:
            raise ValidationError(
                _('Anda sudah punya lamaran untuk lowongan ini (status "%(status)s").')
                % {"status": existing.get_status_display()},
                code="duplicate",
            )
        _candidate_into_selection(person, actor=actor, order=locked_order)
        _notify_all(
            _agency_staff(locked_order.agency),
            key="placement_applied",
            context={"order": locked_order, "application": application},
            link=reverse("placement:application_detail", args=[application.pk]),
        )
    return application


def application_shortlist(*, actor, application: Application, on=None) -> Application:
    on = on or timezone.localdate()
    with transaction.atomic():
        order, locked = _lock_application(application)
        _require_open(order, on)
        person = Candidate.objects.select_for_update().get(pk=locked.candidate_id)
        failing = _eligibility_problems(person, locked.order, on)
        if failing:
            raise ValidationError(
                _("Pencari kerja ini tidak lagi memenuhi syarat: %(rules)s.")
                % {"rules": "; ".join(failing)},
                code="not_eligible",
            )
        _application_move(locked, to_status=AS.SHORTLISTED, actor=actor)
        _candidate_into_selection(person, actor=actor, order=order)
        _notify_candidate(locked, "placement_application_update", status=AS.SHORTLISTED.label)
    return locked


def application_select(*, actor, application: Application, on=None) -> Application:
    """Record that the employer chose this person."""
    on = on or timezone.localdate()
    with transaction.atomic():
        order, locked = _lock_application(application)
        if order.status != OrderStatus.APPROVED:
            raise ValidationError(_("Lowongan ini tidak lagi dibuka."), code="order_closed")
        if locked.interview_result == InterviewResult.FAILED:
            raise ValidationError(
                _(
                    "Hasil wawancara tercatat tidak lulus; perbaiki hasil wawancara bila pemberi kerja tetap memilihnya."
                )
            )
        _application_move(locked, to_status=AS.SELECTED, actor=actor, selected_at=timezone.now())
        _notify_candidate(locked, "placement_application_update", status=AS.SELECTED.label)
    return locked


def application_not_selected(*, actor, application: Application, reason: str) -> Application:
    reason = _reason_required(reason, _("Tulis alasan tidak terpilih; pencari kerja membacanya."))
    with transaction.atomic():
        order, locked = _lock_application(application)
        _application_move(locked, to_status=AS.NOT_SELECTED, actor=actor, reason=reason)
        _candidate_settle(locked.candidate, actor=actor, reason=reason)
        _notify_candidate(
            locked, "placement_application_update", status=AS.NOT_SELECTED.label, reason=reason
        )
    return locked


def application_withdraw(*, actor, application: Application, reason: str) -> Application:
    """The candidate steps back (or the agency records it for them, e.g. after an unfit medical).

    Withdrawing after accepting frees the place: a filled order opens again if its deadline allows.
    """
    reason = _reason_required(reason, _("Tulis alasan mengundurkan diri."))
    with transaction.atomic():
        order, locked = _lock_application(application)
        was_accepted = locked.status == AS.ACCEPTED
        _application_move(locked, to_status=AS.WITHDRAWN, actor=actor, reason=reason)
        _candidate_settle(locked.candidate, actor=actor, reason=reason)
        if (
            was_accepted
            and order.status == OrderStatus.FILLED
            and order.deadline >= timezone.localdate()
        ):
            _order_move(
                order,
                to_status=OrderStatus.APPROVED,
                actor=actor,
                reason=_("Dibuka kembali: pekerja yang menerima tawaran mengundurkan diri"),
            )
        recipients = (
            _agency_staff(order.agency) if getattr(actor, "role", None) == Role.CANDIDATE else []
        )
        _notify_all(
            recipients,
            key="placement_offer_answered",
            context={"order": order, "application": locked, "answer": AS.WITHDRAWN.label},
            link=reverse("placement:application_detail", args=[locked.pk]),
        )
    return locked


def _applications_end_open(order: JobOrder, *, actor, reason: str) -> None:
    """End every open application of an order that is filled or closed (order row already locked)."""
    rows = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("candidate__user", "order")
        .filter(order=order, status__in=APPLICATION_OPEN)
        .order_by("candidate_id")
    )
    for application in rows:
        _application_move(application, to_status=AS.CANCELLED, actor=actor, reason=reason)
        _candidate_settle(application.candidate, actor=actor, reason=reason)
        _notify_candidate(
            application, "placement_application_update", status=AS.CANCELLED.label, reason=reason
        )

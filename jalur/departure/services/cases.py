"""A departure case and its status: opening it for an accepted offer, marking it ready for a
date, ending it, sending a ready case back to 'open' when its documents change or no longer
hold (and the daily recheck that does so), and every move of a case's status
(`states.TRANSITIONS`, through `jalur.audit.transitions.status_move`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.audit.transitions import status_move
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.notifications.services import notify
from jalur.placement.models import Application
from jalur.placement.states import ApplicationStatus

from ..gates import gate_problems
from ..items import (
    ALWAYS_REQUIRED,
    ITEM_TYPES,
)
from ..models import (
    CaseStatus,
    ChecklistItem,
    DepartureCase,
)
from ..states import TRANSITIONS, case_can_move
from ._shared import _agency_staff


def case_open(*, application: Application, actor) -> DepartureCase:
    """Start the pre-departure checklist for an accepted offer (idempotent)."""
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(
            _("Daftar periksa keberangkatan hanya untuk tawaran kerja yang sudah diterima.")
        )
    with transaction.atomic():
        existing = DepartureCase.objects.filter(application=application).first()
        if existing is not None:
            return existing
        order = application.order
        case = DepartureCase.objects.create(
            application=application, candidate=application.candidate, agency=order.agency
        )
        codes = [c for c in [*order.pathway.checklist_items, *ALWAYS_REQUIRED] if c in ITEM_TYPES]
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(case=case, code=code) for code in dict.fromkeys(codes)]
        )
        audit_record(
            actor=actor,
            action="departure.case_open",
            target=case,
            changes={"application": [None, application.pk]},
        )
        if application.candidate.user_id:
            notify(
                user=application.candidate.user,
                key="departure_case_opened",
                context={"case": case},
                link="/",
            )
    return case


def case_end(*, case: DepartureCase, reason: str, actor) -> DepartureCase:
    """End the path for this order (unfit medical, withdrawal): the offer is withdrawn and the
    candidate goes back to 'trained' so another order can be found."""
    from jalur.placement.services import application_withdraw

    with transaction.atomic():
        case = DepartureCase.objects.select_for_update().get(pk=case.pk)
        if not case_can_move(case.status, CaseStatus.ENDED):
            raise ValidationError(_("Proses keberangkatan ini sudah selesai."))
        _case_move(
            case,
            CaseStatus.ENDED,
            actor=actor,
            action="departure.case_end",
            reason=reason,
            fields={"ended_reason": reason, "group": None},
        )
        candidate = case.candidate
        candidate.refresh_from_db()
        if candidate.stage == Stage.READY:
            candidate_stage_change(
                candidate=candidate,
                to_stage=Stage.PRE_DEPARTURE,
                actor=actor,
                reason=reason,
                notify_candidate=False,
            )
        # Placement withdraws the accepted offer and settles the candidate's stage (back to TRAINED).
        application_withdraw(actor=actor, application=case.application, reason=reason)
        if candidate.user_id:
            notify(
                user=candidate.user,
                key="departure_case_ended",
                context={"reason": reason},
                link="/",
            )
    return case


def _departure_date_check(day: datetime.date, *, field: str) -> None:
    """A departure being planned (a case's, a group's) is today or later."""
    if day < timezone.localdate():
        raise ValidationError({field: _("Tanggal berangkat tidak boleh di masa lalu.")})


def case_mark_ready(
    *, case: DepartureCase, planned_departure_on: datetime.date, actor
) -> DepartureCase:
    # the date and everything else still missing, in one round
    problems = gate_problems(case, planned_departure_on)
    try:
        _departure_date_check(planned_departure_on, field="planned_departure_on")
    except ValidationError as error:
        problems = [*error.messages, *problems]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        case = DepartureCase.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise ValidationError(
                _("Hanya proses yang sedang melengkapi dokumen yang bisa ditandai siap.")
            )
        _case_move(
            case,
            CaseStatus.READY,
            actor=actor,
            action="departure.case_ready",
            fields={"planned_departure_on": planned_departure_on},
        )
        candidate_stage_change(
            candidate=case.candidate,
            to_stage=Stage.READY,
            actor=actor,
            reason=_("Semua dokumen keberangkatan lengkap dan berlaku."),
        )
    return case


def _case_move(
    case: DepartureCase, to_status: str, *, actor, action: str, reason: str = "", fields=None
) -> DepartureCase:
    """Move a locked case along `states.TRANSITIONS`, saved with `fields` and audited."""
    return status_move(
        case,
        to_status=to_status,
        table=TRANSITIONS,
        labels=CaseStatus,
        noun=_("Proses keberangkatan"),
        actor=actor,
        action=action,
        reason=reason,
        fields=fields,
        changed_at_field=None,
    )


def _case_back_to_open(case: DepartureCase, *, actor, reason: str) -> None:
    """A ready case whose documents changed or no longer hold goes back to 'open' (in the
    caller's transaction)."""
    locked = DepartureCase.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.READY:
        case.status = locked.status
        return
    _case_move(locked, CaseStatus.OPEN, actor=actor, action="departure.case_reopen", reason=reason)
    case.status = CaseStatus.OPEN
    case.candidate.refresh_from_db()
    if case.candidate.stage == Stage.READY:
        candidate_stage_change(
            candidate=case.candidate, to_stage=Stage.PRE_DEPARTURE, actor=actor, reason=reason
        )


def cases_recheck(*, today: datetime.date | None = None, actor=None) -> list[DepartureCase]:
    """Daily: a 'ready' case whose documents no longer hold for its departure date goes back to 'open'."""
    today = today or timezone.localdate()
    reopened = []
    for case in DepartureCase.objects.filter(status=CaseStatus.READY).select_related(
        "application__order", "candidate"
    ):
        problems = gate_problems(case, max(case.planned_departure_on or today, today))
        if problems:
            with transaction.atomic():
                _case_back_to_open(case, actor=actor, reason=" ".join(problems))
                for staff in _agency_staff(case):
                    notify(
                        user=staff,
                        key="departure_case_reopened",
                        context={"case": case, "problems": problems},
                        link=f"/keberangkatan/{case.pk}/",
                    )
            reopened.append(case)
    return reopened

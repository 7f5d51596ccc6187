"""Withdrawing consent and leaving the programme (UU PDP Pasal 9), from the person's page or at the
desk on their behalf: what happens at their stage (`jalur.rules.privacy.withdrawal_at`), what is kept
and until when, and the one service that does it all in one transaction, audited."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.departure.models import DepartureCase
from jalur.departure.services import case_end
from jalur.departure.states import CaseStatus
from jalur.notifications.models import OutboxMessage
from jalur.notifications.services import notify
from jalur.placement.models import Application
from jalur.placement.services import application_withdraw
from jalur.placement.states import APPLICATION_OPEN, ApplicationStatus
from jalur.rules import privacy as rules
from jalur.training.models import Enrolment
from jalur.training.services import enrolment_withdraw
from jalur.training.states import OPEN_ENROLMENT

from .graph import candidate_links, rows_for


@dataclass(frozen=True)
class KeptRecord:
    name: str  # the table, as the person reads it
    count: int
    reason: str
    source: str
    until: object  # date, or None while the person is still in the programme


def kept_records(candidate: Candidate, *, left_on=None) -> list[KeptRecord]:
    """The records the law makes Jalur keep about this person (fees, departure file, grievances),
    with the reason and, once they have left, the day they go."""
    left_on = left_on or timezone.localdate()
    kept: dict[str, KeptRecord] = {}
    for link in candidate_links():
        plan = rules.kept_until(link.label, left_on=left_on)
        if plan is None:
            continue
        count = rows_for(candidate, link).count()
        if not count:
            continue
        keep, until = plan
        earlier = kept.get(link.name)
        kept[link.name] = KeptRecord(
            link.name,
            count + (earlier.count if earlier else 0),
            str(keep.reason),
            keep.source.cite(),
            until,
        )
    return list(kept.values())


def withdraw_plan(candidate: Candidate):
    """What withdrawing means for this person now, and what stays."""
    return rules.withdrawal_at(candidate.stage), kept_records(candidate)


def _agency_users(agency_ids):
    return User.objects.filter(
        organisation__agency__pk__in=agency_ids, role=Role.AGENCY_STAFF, is_active=True
    )


def candidate_withdraw(*, candidate: Candidate, actor, reason: str = "") -> Candidate:
    """The person withdraws consent and leaves the programme: a departure being prepared ends,
    open applications and enrolments end (the P3MI and the training provider are told by their own
    services), the stage becomes WITHDRAWN through the stage machine, and messages waiting to go
    out to them are stopped. The office's officer is the actor when done at the desk."""
    plan = rules.withdrawal_at(candidate.stage)
    if not plan.allowed:
        raise ValidationError(
            _("Dari tahap “%(stage)s” Anda tidak bisa mengundurkan diri di Jalur. %(why)s")
            % {
                "stage": Stage(candidate.stage).label,
                "why": " ".join(str(e) for e in plan.effects),
            },
            code="not_withdrawable",
        )
    by_self = getattr(actor, "role", None) == Role.CANDIDATE
    said = reason.strip() or _("Tidak ada alasan yang disebutkan.")
    text = _("Menarik persetujuan dan mengundurkan diri: %(reason)s") % {"reason": said}
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        agencies: set[int] = set()
        for case in DepartureCase.objects.filter(
            candidate=locked, status__in=[CaseStatus.OPEN, CaseStatus.READY]
        ):
            agencies.add(case.agency_id)
            case_end(case=case, reason=text, actor=actor)
        for application in Application.objects.filter(
            candidate=locked, status__in=[*APPLICATION_OPEN, ApplicationStatus.ACCEPTED]
        ).select_related("order"):
            agencies.add(application.order.agency_id)
            application_withdraw(actor=actor, application=application, reason=text)
        for enrolment in Enrolment.objects.filter(candidate=locked, status__in=OPEN_ENROLMENT):
            enrolment_withdraw(enrolment=enrolment, actor=actor, reason=text)
        locked.refresh_from_db()
        if not rules.withdrawal_at(locked.stage).allowed:  # moved meanwhile (e.g. departed)
            raise ValidationError(_("Tahap Anda baru saja berubah. Muat ulang halaman."))
        candidate_stage_change(candidate=locked, to_stage=Stage.WITHDRAWN, actor=actor, reason=text)
        stopped = 0
        if locked.user_id:
            stopped = OutboxMessage.objects.filter(
                notification__user_id=locked.user_id, status=OutboxMessage.Status.PENDING
            ).update(
                status=OutboxMessage.Status.FAILED,
                next_attempt_at=None,
                last_error="Dihentikan: penerima menarik persetujuan (UU PDP Pasal 9).",
            )
        if not by_self:  # the candidate's own withdrawal already told them through placement
            for user in _agency_users(agencies):
                notify(
                    user=user,
                    key="privacy_candidate_withdrawn",
                    context={"candidate_id": locked.pk},
                    link="",
                )
        audit_record(
            actor=actor,
            action="privacy.withdraw",
            target=locked,
            reason=said,
            changes={
                "by": ["", "candidate" if by_self else "desk"],
                "agencies_told": [[], sorted(agencies)],
                "messages_stopped": [0, stopped],
            },
        )
    candidate.stage = locked.stage
    return locked

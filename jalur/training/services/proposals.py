"""A provider proposes people for its cohort; the programme manager confirms or declines.

Proposing checks everything enrolling checks (the cohort open and still passable, the person's
stage and age, no second course of the programme), so the manager is not asked about someone who
could not be enrolled; confirming enrols through `enrolment_create`, in the same transaction as the
proposal's move, so a refusal there leaves the proposal waiting with the reason shown.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.audit.transitions import status_move
from jalur.candidates.models import Candidate

from ..models import Cohort, Enrolment
from ..proposals import PROPOSAL_TRANSITIONS, EnrolmentProposal, ProposalStatus
from ._shared import _now, _user
from .enrolment import enrolment_create, lock_enrollable


def enrolment_propose(
    *, cohort: Cohort, candidate: Candidate, actor, at: datetime.datetime | None = None
) -> EnrolmentProposal:
    """The cohort's provider proposes a person; the programme manager decides."""
    now = _now(at)
    today = timezone.localtime(now).date()
    with transaction.atomic():
        programme, cohort, locked = lock_enrollable(cohort=cohort, candidate=candidate, today=today)
        pending = (
            EnrolmentProposal.objects.filter(
                candidate=locked,
                cohort__programme=programme,
                status=ProposalStatus.PENDING,
            )
            .select_related("cohort")
            .first()
        )
        if pending is not None:
            raise ValidationError(
                _(
                    "Sudah diusulkan untuk %(cohort)s; usulan itu menunggu persetujuan pengelola program."
                )
                % {"cohort": pending.cohort.name},
                code="duplicate",
            )
        proposal = EnrolmentProposal.objects.create(
            cohort=cohort, candidate=locked, proposed_at=now, proposed_by=_user(actor)
        )
        audit_record(
            actor=actor,
            action="training.proposal.create",
            target=proposal,
            changes={"status": [None, proposal.status], "cohort": [None, cohort.pk]},
        )
    return proposal


def _decide(proposal: EnrolmentProposal, status: str, *, actor, reason: str, at, enrolment=None):
    fields = {"decided_at": at, "decided_by": _user(actor), "decision_reason": reason}
    if enrolment is not None:
        fields["enrolment"] = enrolment
    return status_move(
        proposal,
        to_status=status,
        table=PROPOSAL_TRANSITIONS,
        labels=ProposalStatus,
        noun=_("Usulan peserta"),
        actor=actor,
        action=f"training.proposal.{status}",
        reason=reason,
        fields=fields,
        changed_at_field=None,
        at=at,
    )


def proposal_accept(
    *, proposal: EnrolmentProposal, actor, at: datetime.datetime | None = None
) -> Enrolment:
    """The manager confirms: the person is enrolled (or put on the waiting list) as by the manager."""
    now = _now(at)
    with transaction.atomic():
        locked = EnrolmentProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != ProposalStatus.PENDING:
            raise ValidationError(
                _("Usulan ini sudah diputuskan (%(status)s). Muat ulang halaman.")
                % {"status": locked.get_status_display()},
                code="decided",
            )
        enrolment = enrolment_create(
            cohort=locked.cohort, candidate=locked.candidate, actor=actor, at=now
        )
        _decide(
            locked,
            ProposalStatus.ACCEPTED,
            actor=actor,
            reason=_("Diusulkan lembaga pelatihan, disetujui pengelola program"),
            at=now,
            enrolment=enrolment,
        )
    return enrolment


def proposal_decline(
    *, proposal: EnrolmentProposal, actor, reason: str, at: datetime.datetime | None = None
) -> EnrolmentProposal:
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Tulis alasan usulan ditolak; lembaga pelatihan membacanya.")}
        )
    now = _now(at)
    with transaction.atomic():
        locked = EnrolmentProposal.objects.select_for_update().get(pk=proposal.pk)
        return _decide(locked, ProposalStatus.DECLINED, actor=actor, reason=reason, at=now)

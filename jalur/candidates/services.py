"""Writes for candidates. Registration, verification and import services are added beside these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.notifications.services import notify

from .models import Candidate, StageHistory
from .stages import Stage, can_move


def candidate_stage_change(
    *,
    candidate: Candidate,
    to_stage: str,
    actor,
    reason: str = "",
    notify_candidate: bool = True,
    at=None,
) -> Candidate:
    """Move a candidate to `to_stage` if the transition table allows it.

    Locks the candidate row, so two people deciding at once cannot both move it: the second sees the
    stage the first left and gets a clear error.
    """
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        from_stage = locked.stage
        if not can_move(from_stage, to_stage):
            raise ValidationError(
                _(
                    'Tahap tidak bisa diubah dari "%(from)s" ke "%(to)s". Muat ulang halaman untuk melihat tahap terbaru.'
                )
                % {"from": Stage(from_stage).label, "to": Stage(to_stage).label},
                code="invalid_transition",
            )
        now = at or timezone.now()
        locked.stage = to_stage
        locked.stage_changed_at = now
        locked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        StageHistory.objects.create(
            candidate=locked,
            from_stage=from_stage,
            to_stage=to_stage,
            actor=actor if getattr(actor, "pk", None) else None,
            reason=reason,
            created_at=now,
        )
        audit_record(
            actor=actor,
            action="candidate.stage_change",
            target=locked,
            changes={"stage": [from_stage, to_stage]},
            reason=reason,
        )
        if notify_candidate and locked.user_id:
            notify(
                user=locked.user,
                key="stage_changed",
                context={"to_label": Stage(to_stage).label, "reason": reason},
                link="/",
            )
    candidate.stage = locked.stage
    candidate.stage_changed_at = locked.stage_changed_at
    return locked


def candidate_history_start(*, candidate: Candidate, actor, at=None) -> StageHistory:
    """The first history row, written when a candidate record is created."""
    return StageHistory.objects.create(
        candidate=candidate,
        from_stage="",
        to_stage=candidate.stage,
        actor=actor if getattr(actor, "pk", None) else None,
        created_at=at or timezone.now(),
    )

"""A candidate's stage and its history: every move (`stages.can_move`), the first history row
of a new record, and the stage listeners told of both inside their transaction."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.notifications.services import notify

from ..models import (
    Candidate,
    StageHistory,
)
from ..stages import Stage, can_move

# Called inside the transaction of every stage move, as `listener(candidate)`, and of every new
# record's first history row, as `listener(candidate, new=NewRecord(...))` (the reports app keeps its
# summary tables current this way). A listener with a batch form, `listener.many`, is told of the
# records created together in one call instead: `listener.many([(candidate, NewRecord(...)), ...])`.
# A record a job seeker creates themselves is not told at all (`_histories_start`'s `told`): the
# reports' periodic refresh counts it, as it counts every record created or changed since its last run.
STAGE_LISTENERS: list = []


@dataclass(frozen=True)
class NewRecord:
    """What a listener is told about a record created a moment ago, in the same transaction.

    Nothing else refers to the record yet: it has this first history row, the preferred job types
    written with it, and no offer, pathway or later move. A listener can work from memory instead
    of reading the record back.
    """

    history: StageHistory
    job_type_ids: tuple[int, ...] = ()


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
        for listener in STAGE_LISTENERS:
            listener(locked)
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
                context={"to_label": Stage(to_stage).label, "reason": reason, "candidate": locked},
                link=reverse("candidates:me"),
            )
    candidate.stage = locked.stage
    candidate.stage_changed_at = locked.stage_changed_at
    return locked


def candidate_history_start(
    *, candidate: Candidate, actor, at=None, job_type_ids=()
) -> StageHistory:
    """The first history row, written when a candidate record is created (in its transaction;
    `job_type_ids`: the preferred job types written with it)."""
    return _histories_start([(candidate, job_type_ids)], actor=actor, at=at)[0]


def _histories_start(
    records: list[tuple[Candidate, list | tuple]], *, actor, at=None, told: bool = True
) -> list:
    """`candidate_history_start` for many new records at once: (candidate, job type ids) pairs; the
    rows in one insert, then every stage listener: its batch form once, or else once a record.

    `told=False` leaves the listeners out: self-registration, where the record is one of thousands
    made on an opening day and the person waits for the answer. The reports' periodic refresh
    (every JALUR_REPORTS_REFRESH_MINUTES) counts such records, and the person's first stage move
    (sending the registration) counts them at once; until then the dashboard's figures for records
    still being filled in are behind by at most one refresh period."""
    now = at or timezone.now()
    rows = StageHistory.objects.bulk_create(
        [
            StageHistory(
                candidate=candidate,
                from_stage="",
                to_stage=candidate.stage,
                actor=actor if getattr(actor, "pk", None) else None,
                created_at=now,
            )
            for candidate, _job_type_ids in records
        ]
    )
    news = [
        (candidate, NewRecord(history=row, job_type_ids=tuple(sorted(set(job_type_ids or ())))))
        for (candidate, job_type_ids), row in zip(records, rows, strict=True)
    ]
    for listener in STAGE_LISTENERS if told else ():
        many = getattr(listener, "many", None)
        if many is not None:
            many(news)
        else:
            for candidate, new in news:
                listener(candidate, new=new)
    return rows

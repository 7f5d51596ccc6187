"""Each returnee's first return and next follow-up, kept on their candidate row for the office's
list of returnees.

`Candidate.returned_first_on` (the day of their first return) and `Candidate.follow_up_due_on` (the
due day of their earliest reintegration follow-up not yet done) are derived from the return records
and the follow-ups. With the stage (`FOLLOW_UP_NEXT`) they give the list's order over an index, so a
page reads its own rows however many people have come home. They are written here, in the
transaction of every return or follow-up created, changed or deleted: receivers of their save and
delete (apps.py) call `returnee_state_sync`, and `return_record`, whose follow-ups are made in one
`bulk_create` (no signal), calls it itself. A stage move needs nothing: the list reads the stage
from the same row. The exchange import copies them with the rest of the candidate row;
`returnee_state_rebuild` recounts them (the migration's backfill, and the test that holds the kept
values to it).
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery

from jalur.candidates.models import Candidate
from jalur.core.signals import skip_raw
from jalur.pathways.assignment_state import candidate_row_locked

from ..models import ReintegrationFollowUp, ReturnRecord

# The fields the kept values come from: a save of other fields changes nothing here.
RETURN_FIELDS = frozenset({"candidate", "returned_on"})
FOLLOW_UP_FIELDS = frozenset({"candidate", "due_on", "done_at"})


def _first_return(candidate):
    return Subquery(
        ReturnRecord.objects.filter(candidate=candidate)
        .order_by("returned_on")
        .values("returned_on")[:1]
    )


def _next_follow_up(candidate):
    return Subquery(
        ReintegrationFollowUp.objects.filter(candidate=candidate, done_at__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )


def returnee_state_sync(candidate_id: int) -> None:
    """Write the person's first return and next follow-up onto their row, the row locked first."""
    with transaction.atomic():
        if not candidate_row_locked(candidate_id):
            return
        Candidate.objects.filter(pk=candidate_id).update(
            returned_first_on=_first_return(candidate_id),
            follow_up_due_on=_next_follow_up(candidate_id),
        )


@skip_raw
def return_saved(sender, instance, update_fields=None, **kwargs) -> None:
    fields = RETURN_FIELDS if sender is ReturnRecord else FOLLOW_UP_FIELDS
    if update_fields is not None and not fields & set(update_fields):
        return
    returnee_state_sync(instance.candidate_id)


def return_deleted(sender, instance, **kwargs) -> None:
    returnee_state_sync(instance.candidate_id)


def returnee_state_rebuild() -> int:
    """Recount every person's first return and next follow-up; returns the rows written.
    Set-based: the people with a return, and those without whose values are not empty."""
    returned = Exists(ReturnRecord.objects.filter(candidate=OuterRef("pk")))
    with transaction.atomic():
        count = Candidate.objects.filter(returned).update(
            returned_first_on=_first_return(OuterRef("pk")),
            follow_up_due_on=_next_follow_up(OuterRef("pk")),
        )
        count += (
            Candidate.objects.filter(~returned)
            .filter(Q(returned_first_on__isnull=False) | Q(follow_up_due_on__isnull=False))
            .update(returned_first_on=None, follow_up_due_on=None)
        )
    return count

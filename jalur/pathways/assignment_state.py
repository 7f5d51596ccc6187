"""Whether each person has an active pathway, kept on their candidate row for the waiting list.

`Candidate.has_pathway` says whether the person has an active `PathwayAssignment`. With the stage
and `stage_changed_at` it gives the list of trained people waiting for a pathway over a partial
index (`candidate_waiting_pathway`), so a page reads its own rows however many people have been
trained. It is written here, in the transaction of every assignment made, ended or deleted: a
receiver of PathwayAssignment's save and delete (apps.py) calls `has_pathway_sync`, so the services
(`pathway_assign`, `pathway_assignment_end`), the admin and fixtures all keep it. Rows written
without the ORM write it themselves: the synthetic generator sets it with the assignments it copies
in, and the exchange import copies it with the rest of the candidate row. `has_pathway_rebuild`
recounts it from the assignments (the migration's backfill, and the test that holds the kept
value to it).
"""

from django.db import transaction
from django.db.models import Exists, OuterRef

from jalur.candidates.models import Candidate
from jalur.core.signals import skip_raw

from .models import PathwayAssignment

# The fields whether an assignment counts comes from: a save of other fields changes nothing here.
STATE_FIELDS = frozenset({"candidate", "is_active"})


def candidate_row_locked(candidate_id: int) -> bool:
    """Lock the person's row for a value kept on it (inside a transaction); False when the row is
    gone (the candidate itself is being deleted). Read after the lock, the records it is counted
    from include every other writer's, who waited for it or made us wait."""
    return bool(
        Candidate.objects.select_for_update()
        .filter(pk=candidate_id)
        .values_list("pk", flat=True)
        .first()
    )


def has_pathway_sync(candidate_id: int) -> None:
    """Write onto the person's row whether they have an active assignment, the row locked first
    (as `pathway_assign` does)."""
    with transaction.atomic():
        if not candidate_row_locked(candidate_id):
            return
        active = PathwayAssignment.objects.filter(candidate_id=candidate_id, is_active=True)
        Candidate.objects.filter(pk=candidate_id).update(has_pathway=Exists(active))


@skip_raw
def assignment_saved(sender, instance: PathwayAssignment, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not STATE_FIELDS & set(update_fields):
        return
    has_pathway_sync(instance.candidate_id)


def assignment_deleted(sender, instance: PathwayAssignment, **kwargs) -> None:
    if instance.is_active:
        has_pathway_sync(instance.candidate_id)


def has_pathway_rebuild() -> int:
    """Recount every person's flag from the assignments; returns the rows changed (set-based: only
    rows whose kept value differs are written)."""
    active = Exists(PathwayAssignment.objects.filter(candidate=OuterRef("pk"), is_active=True))
    with transaction.atomic():
        count = Candidate.objects.filter(active, has_pathway=False).update(has_pathway=True)
        count += Candidate.objects.filter(~active, has_pathway=True).update(has_pathway=False)
    return count

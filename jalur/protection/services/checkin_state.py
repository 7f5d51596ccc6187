"""Each worker's latest check-in, kept on their candidate row for the monitoring list.

`Candidate.checkin_last_at` (when the latest check-in came) and `Candidate.checkin_class` (whether
it was urgent, another problem, or neither) are derived from the worker's check-ins. With the move
to 'departed' (`stage_changed_at`) they give the list's order over an index, so a page reads its
own rows however many workers are abroad. They are written here, in the transaction of every
check-in created, changed or deleted: a receiver of CheckIn's save and delete (apps.py) calls
`checkin_state_sync`, so the services, the admin and fixtures all keep them. A stage move needs
nothing: the list reads `stage_changed_at` from the same row. The exchange import copies them with
the rest of the candidate row; `checkin_state_rebuild` recounts them from the check-ins (the
migration's backfill, and the test that holds the kept values to it).
"""

from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When

from jalur.candidates.models import Candidate, CheckInClass
from jalur.core.signals import skip_raw

from ..models import CheckIn

# A check-in's class: URGENT, a call for help or a passport held by someone else; PROBLEM,
# another problem; OTHER, neither.
CLASS_SQL = Case(
    When(Q(need_help=True) | Q(passport_held=False), then=Value(CheckInClass.URGENT)),
    When(status=CheckIn.Status.PROBLEM, then=Value(CheckInClass.PROBLEM)),
    default=Value(CheckInClass.OTHER),
    output_field=IntegerField(),
)
# The fields a check-in's class and time come from: a save of other fields changes nothing here.
STATE_FIELDS = frozenset({"candidate", "created_at", "status", "need_help", "passport_held"})


def latest_checkin(candidate_id: int) -> dict | None:
    """The worker's latest check-in: its time and its class (CLASS_SQL, the one definition)."""
    return (
        CheckIn.objects.filter(candidate_id=candidate_id)
        .order_by("-created_at", "-pk")
        .annotate(kind=CLASS_SQL)
        .values("created_at", "kind")
        .first()
    )


def checkin_state_sync(candidate_id: int) -> None:
    """Write the worker's latest check-in onto their row. The row is locked first, so two check-ins
    recorded at once are both seen by the second writer, which waits for the first."""
    with transaction.atomic():
        if not (
            Candidate.objects.select_for_update()
            .filter(pk=candidate_id)
            .values_list("pk", flat=True)
            .first()
        ):
            return  # the candidate itself is being deleted
        latest = latest_checkin(candidate_id)
        Candidate.objects.filter(pk=candidate_id).update(
            checkin_last_at=latest["created_at"] if latest else None,
            checkin_class=latest["kind"] if latest else CheckInClass.OTHER,
        )


@skip_raw
def checkin_saved(sender, instance: CheckIn, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not STATE_FIELDS & set(update_fields):
        return
    checkin_state_sync(instance.candidate_id)


def checkin_deleted(sender, instance: CheckIn, **kwargs) -> None:
    checkin_state_sync(instance.candidate_id)


def checkin_state_rebuild() -> int:
    """Recount every candidate's latest check-in from the check-ins; returns the rows written.
    Set-based: the candidates with check-ins, and those without whose values are not the empty ones."""
    latest = CheckIn.objects.filter(candidate=OuterRef("pk")).order_by("-created_at", "-pk")
    with transaction.atomic():
        changed = Candidate.objects.filter(Exists(CheckIn.objects.filter(candidate=OuterRef("pk"))))
        count = changed.update(
            checkin_last_at=Subquery(latest.values("created_at")[:1]),
            checkin_class=Subquery(latest.annotate(kind=CLASS_SQL).values("kind")[:1]),
        )
        count += (
            Candidate.objects.filter(~Exists(CheckIn.objects.filter(candidate=OuterRef("pk"))))
            .filter(Q(checkin_last_at__isnull=False) | ~Q(checkin_class=CheckInClass.OTHER))
            .update(checkin_last_at=None, checkin_class=CheckInClass.OTHER)
        )
    return count

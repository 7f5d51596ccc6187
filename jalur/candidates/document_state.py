"""The first day each person misses a required document, kept on their candidate row for the
documents-missing list.

`Candidate.documents_due_on` is, for a person in DOCUMENT_STAGES, the first day on which a required
document type needed at their stage has no accepted, unexpired, current (not superseded) document:

- a type with no such document is missing from the day of their last stage move (the day after its
  expiry, when an accepted one ran out before that);
- an accepted one that expires is missing from the day after its expiry;
- an accepted one without expiry is never missing.

The earliest of these over the types needed, or NULL when none is or will be missing (and outside
DOCUMENT_STAGES). So "missing on day `on`" is `documents_due_on <= on` (for any `on` from today on),
and the list pages over the partial index `candidate_documents_due`, missing longest first.

It is a function of the person's row, their documents and the document types, written in the
transaction of every change to them: a receiver of CandidateDocument's save and delete (apps.py:
upload, review, expiry, erasure, admin, fixtures), `candidate_stage_change` (the set needed depends
on the stage), and a receiver of DocumentType's save and delete, which recounts everyone
(`documents_due_rebuild`, set-based). Rows written without the ORM write it themselves: the
synthetic generator (no documents: the stage day when a type is needed), the exchange import copies
it with the row. The same expression (`documents_due_expression`) serves the person and the recount.
"""

import datetime

from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Least, NullIf, TruncDate

from jalur.core.signals import skip_raw

from .models import DOCUMENT_STAGES, Candidate, CandidateDocument, DocumentStatus, DocumentType
from .stages import JOURNEY, Stage

NEVER = datetime.date.max
# Off-path stages count as the journey stage they return to.
POSITION_OF = {Stage.CORRECTION: Stage.REGISTERED}
# The fields whether a document counts comes from: a save of other fields changes nothing here.
STATE_FIELDS = frozenset({"candidate", "document_type", "status", "expires_on", "superseded_at"})
TYPE_FIELDS = frozenset({"stage", "required", "has_expiry", "is_active"})


def stages_from(stage: str) -> list[str]:
    """Stages whose candidates have reached `stage` (for documents needed from that stage on)."""
    start = JOURNEY.index(stage) if stage in JOURNEY else 0
    return [s for s in DOCUMENT_STAGES if JOURNEY.index(POSITION_OF.get(s, s)) >= start]


def required_types() -> list[DocumentType]:
    return list(DocumentType.objects.filter(is_active=True, required=True).order_by("sort_order"))


class DayAfter(models.Func):
    """The day after a date (SQL: date + 1; SQLite: date(d, '+1 day'))."""

    template = "(%(expressions)s + 1)"
    output_field = models.DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '+1 day')")


def documents_due_expression(types: list, documents=None):
    """SQL for Candidate.documents_due_on from the person's row and documents (NULL: never).
    `documents`: the CandidateDocument manager (a migration passes its historical one)."""
    documents = documents if documents is not None else CandidateDocument.objects
    stage_day = TruncDate("stage_changed_at")
    days = []
    for doc_type in types:
        accepted = documents.filter(
            candidate=OuterRef("pk"),
            document_type=doc_type,
            superseded_at__isnull=True,
            status=DocumentStatus.ACCEPTED,
        )
        # the day after its expiry (never without one); none accepted: the stage move's day
        until = Subquery(
            accepted.values(due=Coalesce(DayAfter("expires_on"), Value(NEVER)))[:1],
            output_field=models.DateField(),
        )
        stages = stages_from(doc_type.stage)
        if not stages:
            continue
        needed = Q(stage__in=stages)
        days.append(
            models.Case(
                models.When(needed, then=Coalesce(until, stage_day)),
                default=Value(NEVER),
                output_field=models.DateField(),
            )
        )
    if not days:
        return Value(None, output_field=models.DateField())
    first = days[0] if len(days) == 1 else Least(*days)
    return NullIf(first, Value(NEVER))


def documents_due_sync(candidate_id: int) -> None:
    """Write onto the person's row the first day they miss a document, the row locked first (as
    `document_upload` does)."""
    with transaction.atomic():
        locked = (
            Candidate.objects.select_for_update()
            .filter(pk=candidate_id)
            .values_list("pk", flat=True)
            .first()
        )
        if locked is not None:  # None: the candidate itself is being deleted
            documents_due_write([candidate_id])


def documents_due_write(candidate_ids: list[int]) -> int:
    """Write the day onto these people's rows, in one statement (rows this transaction created or
    locked)."""
    return Candidate.objects.filter(pk__in=candidate_ids).update(
        documents_due_on=documents_due_expression(required_types())
    )


@skip_raw
def candidate_saved(sender, instance: Candidate, created=False, update_fields=None, **kwargs):
    """A new person, a stage move, or a whole row saved (which writes back what it read)."""
    if update_fields is not None and not {"stage", "stage_changed_at"} & set(update_fields):
        return
    if instance.stage not in DOCUMENT_STAGES and instance.documents_due_on is None:
        return  # nothing needed, nothing kept
    documents_due_sync(instance.pk)


@skip_raw
def document_saved(sender, instance: CandidateDocument, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not STATE_FIELDS & set(update_fields):
        return
    documents_due_sync(instance.candidate_id)


def document_deleted(sender, instance: CandidateDocument, **kwargs) -> None:
    if instance.status == DocumentStatus.ACCEPTED and instance.superseded_at is None:
        documents_due_sync(instance.candidate_id)


@skip_raw
def document_type_changed(sender, instance: DocumentType, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not TYPE_FIELDS & set(update_fields):
        return
    documents_due_rebuild()


def documents_due_rebuild(using: str = "default") -> int:
    """Recount everyone's day from their documents; returns the rows changed (set-based: only rows
    whose kept value differs are written)."""
    due = documents_due_expression(required_types())
    with transaction.atomic(using=using):
        differs = (
            Candidate.objects.using(using)
            .filter(stage__in=DOCUMENT_STAGES)
            .annotate(due=due)
            .filter(
                Q(due__isnull=True, documents_due_on__isnull=False)
                | Q(due__isnull=False, documents_due_on__isnull=True)
                | Q(due__lt=F("documents_due_on"))
                | Q(due__gt=F("documents_due_on"))
            )
        )
        count = (
            Candidate.objects.using(using)
            .filter(pk__in=differs.values("pk"))
            .update(documents_due_on=due)
        )
        count += (
            Candidate.objects.using(using)
            .exclude(stage__in=DOCUMENT_STAGES)
            .filter(documents_due_on__isnull=False)
            .update(documents_due_on=None)
        )
    return count

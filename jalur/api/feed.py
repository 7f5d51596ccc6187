"""The changes feed: every change of the programme's objects in commit order, from the audit trail.

An integrator keeps the `next` cursor of each page and asks for what came after it; it must neither
miss nor see twice an event. Rows are ordered by (writing transaction id, id) and, on PostgreSQL,
only rows of transactions older than every transaction still running are served (HORIZON): ids
come from a sequence when a row is inserted, but a row is seen only when its transaction commits,
so a reader going by id alone could pass id 101 (committed) while id 100 was still being written,
and never see 100. Below the horizon every transaction has ended, so no row can appear behind the
cursor later. A long transaction holds the feed back (it does not lose anything) until it ends. On
SQLite writers run one at a time and ids are commit order; every row's xid is 0 there.

Events name the object and what was done to it, never the personal data; the integrator fetches the
object. An office token sees the programme; a P3MI token the events of its own job orders, their
applications and its departure cases.
"""

import datetime
import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from jalur.accounts.roles import OrganisationKind
from jalur.audit.models import AuditLog

MAX_LIMIT = 500

# The first transaction id whose rows may not all be visible yet, from the statement's own snapshot:
# the oldest transaction still running (the snapshot's xip), else the next id to be given (xmax).
# Transaction ids are counted for the whole server, so a transaction still running in another
# database (another city's Jalur, a test run) would hold the feed back for nothing: those are left
# out when pg_locks shows them held by a session of another database. One that has ended since the
# snapshot is no longer in pg_locks and is kept, which only holds the feed back until the next
# call. The caller's own transaction, if it has written, is left out too: its rows are visible to
# it (xmax can be that transaction's own id, hence the GREATEST). Every row below the horizon is committed and visible now, and no row can later appear below it.
HORIZON = """
    SELECT LEAST(
        GREATEST(
            pg_snapshot_xmax(snap.s)::text::bigint,
            pg_current_xact_id_if_assigned()::text::bigint + 1
        ),
        (SELECT min(x::text::bigint) FROM pg_snapshot_xip(snap.s) AS x
         WHERE x IS DISTINCT FROM pg_current_xact_id_if_assigned()
           AND xid(x) NOT IN (
               SELECT l.transactionid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
                 AND a.datname IS DISTINCT FROM current_database())))
    FROM (SELECT pg_current_snapshot() AS s) AS snap
"""


@dataclass(frozen=True)
class Source:
    """Audit rows about `model` become events about `object_type`: the object itself, or (`parent`
    set) the object it belongs to, with the row's own object as the event's detail."""

    model: str
    object_type: str
    parent: str = ""  # the field holding the reported object's id
    agency_path: str = ""  # from the model to the organisation of the P3MI it belongs to
    detail_type: str = ""


SOURCES = [
    Source("candidates.Candidate", "candidate"),
    Source("candidates.CandidateDocument", "candidate", "candidate_id", "", "document"),
    Source("placement.Agency", "agency", "", "organisation"),
    Source("placement.JobOrder", "job_order", "", "agency__organisation"),
    Source(
        "placement.JobOrderCost", "job_order", "order_id", "order__agency__organisation", "cost"
    ),
    Source("placement.Application", "application", "", "order__agency__organisation"),
    Source("departure.DepartureCase", "departure_case", "", "agency__organisation"),
    Source(
        "departure.ChecklistItem",
        "departure_case",
        "case_id",
        "case__agency__organisation",
        "checklist_item",
    ),
    Source(
        "departure.ContractReview",
        "departure_case",
        "case_id",
        "case__agency__organisation",
        "contract_review",
    ),
    Source(
        "departure.PassportCustody",
        "departure_case",
        "case_id",
        "case__agency__organisation",
        "passport_custody",
    ),
    Source("departure.FeeEntry", "departure_case", "case_id", "case__agency__organisation", "fee"),
    Source(
        "departure.NoFeeStatement",
        "departure_case",
        "case_id",
        "case__agency__organisation",
        "no_fee_statement",
    ),
    Source("protection.Grievance", "grievance"),
]
OBJECT_TYPES = sorted({source.object_type for source in SOURCES})


class BadCursor(ValueError):
    pass


# A cursor reads "<transaction id>-<row id>". Opaque to the integrator all the same: the contract is
# to send back the `next` it was given, and the shape may change with the API's version.
CURSOR_PATTERN = r"^([0-9]{1,18}-[0-9]{1,18})?$"  # empty: from the start


@dataclass(frozen=True, order=True)
class Cursor:
    xid: int
    id: int

    def text(self) -> str:
        return f"{self.xid}-{self.id}"

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        if not text or not re.fullmatch(CURSOR_PATTERN, text):
            raise BadCursor(text)
        xid, row = text.split("-")
        return cls(int(xid), int(row))


@dataclass(frozen=True)
class Event:
    cursor: str
    time: datetime.datetime
    object_type: str
    object_id: str | None
    action: str
    detail_type: str | None
    detail_id: str | None
    fields: list[str]


@dataclass(frozen=True)
class FeedPage:
    events: list[Event]
    next: str
    has_more: bool


def _sources() -> dict[int, Source]:
    """{content type id: source} of the models installed here."""
    found = {}
    for source in SOURCES:
        try:
            model = apps.get_model(source.model)
        except LookupError:
            continue
        found[ContentType.objects.get_for_model(model).pk] = source
    return found


def _as_text(queryset):
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def _scope(user, sources: dict[int, Source]) -> Q | None:
    """The rows `user` may follow; None: none at all (this kind of organisation has no feed)."""
    organisation = user.organisation
    if organisation is None:
        return None
    if organisation.kind == OrganisationKind.LABOUR_OFFICE:
        return Q(content_type_id__in=list(sources))
    if organisation.kind != OrganisationKind.PLACEMENT_AGENCY:
        return None
    scope = Q(pk__in=[])
    for type_id, source in sources.items():
        if not source.agency_path:
            continue
        model = apps.get_model(source.model)
        own = model._default_manager.filter(**{source.agency_path: organisation})
        scope |= Q(content_type_id=type_id, object_id__in=_as_text(own))
    return scope


def feed_available(user) -> bool:
    return _scope(user, {}) is not None


def changes_after(user, *, after: Cursor | None, limit: int) -> FeedPage:
    """Up to `limit` events `user` may follow after `after` (from the start without one), in
    commit order, and the cursor to ask with next (the same one when nothing new is final yet)."""
    sources = _sources()
    scope = _scope(user, sources)
    if scope is None:
        raise PermissionError("no changes feed for this organisation")
    rows = AuditLog.objects.filter(scope, kind=AuditLog.Kind.CHANGE)
    if after is not None:
        rows = rows.filter(Q(xid__gt=after.xid) | Q(xid=after.xid, id__gt=after.id))
    if connection.vendor == "postgresql":
        # pg_stat_activity is read once a transaction and kept: read it afresh for this page.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
        horizon = RawSQL(HORIZON, [])  # noqa: S611 (a constant, no input in it)
        rows = rows.alias(horizon=horizon).filter(xid__lt=F("horizon"))
    page = list(
        rows.order_by("xid", "id").only(
            "id", "xid", "created_at", "content_type_id", "object_id", "action", "changes"
        )[: limit + 1]
    )
    has_more = len(page) > limit
    page = page[:limit]
    parents = _parents(page, sources)
    events = []
    for row in page:
        source = sources[row.content_type_id]
        if source.parent:
            object_id = parents.get((row.content_type_id, row.object_id))
            detail_type, detail_id = source.detail_type, row.object_id
        else:
            object_id, detail_type, detail_id = row.object_id, None, None
        events.append(
            Event(
                cursor=Cursor(row.xid, row.pk).text(),
                time=row.created_at,
                object_type=source.object_type,
                object_id=object_id,
                action=row.action,
                detail_type=detail_type,
                detail_id=detail_id,
                fields=sorted(row.changes or {}) if isinstance(row.changes, dict) else [],
            )
        )
    last = Cursor(page[-1].xid, page[-1].pk) if page else after
    return FeedPage(events=events, next=last.text() if last else "", has_more=has_more)


def _parents(rows, sources: dict[int, Source]) -> dict[tuple[int, str], str]:
    """{(content type id, object id): the reported object's id} for the rows about a part of an
    object (one query per kind of part on the page). A part deleted since has none."""
    wanted: dict[int, set[str]] = {}
    for row in rows:
        if sources[row.content_type_id].parent:
            wanted.setdefault(row.content_type_id, set()).add(row.object_id)
    found = {}
    for type_id, ids in wanted.items():
        source = sources[type_id]
        model = apps.get_model(source.model)
        numeric = [int(i) for i in ids if i.isdigit()]
        for pk, parent in model._default_manager.filter(pk__in=numeric).values_list(
            "pk", source.parent
        ):
            found[(type_id, str(pk))] = str(parent)
    return found

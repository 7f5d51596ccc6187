"""After a move the changes feed lists the imported history once, then the new instance's events
after it: the old server's transaction ids (AuditLog.xid) are not in the package, and the new
server gives the imported rows its own (PostgreSQL: the import's transaction; SQLite: 0)."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection

from jalur.api.feed import Cursor, changes_after
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.tests.factories import CandidateFactory
from jalur.exchange.services import programme_export, programme_import
from jalur.exchange.tables import tables

from .conftest import AUDIT, unpack

OLD_SERVER_XID = 9_000_000_000_000_000  # far beyond the new server's transaction ids


def _follow(user, after: Cursor | None = None) -> tuple[list, Cursor | None]:
    """Every event after `after`, three a page, and the last cursor given."""
    events = []
    while True:
        page = changes_after(user, after=after, limit=3)
        events += page.events
        after = Cursor.parse(page.next) if page.next else None
        if not page.has_more:
            return events, after


@pytest.mark.django_db
def test_the_feed_lists_the_imported_history_once_then_new_events(tmp_path, manager, agent):
    people = [CandidateFactory() for _ in range(4)]
    for person in people:
        audit_record(actor=agent, action="candidate.update", target=person, changes={"nama": 1})
    with connection.cursor() as cursor:  # written by the old server's transactions, far ahead
        cursor.execute("UPDATE audit_auditlog SET xid = %s", [OLD_SERVER_XID])
    package = tmp_path / "programme.zip"
    programme_export(target=package, actor=manager)
    assert b"xid" not in unpack(package)[AUDIT].split(b"\n")[0]

    for model in reversed([t.model for t in tables()]):  # a new, empty instance
        model._base_manager.all()._raw_delete(DEFAULT_DB_ALIAS)
    programme_import(source=package, actor_username=manager.username)
    assert not AuditLog.objects.filter(xid=OLD_SERVER_XID).exists()
    if connection.vendor == "sqlite":
        assert set(AuditLog.objects.values_list("xid", flat=True)) == {0}

    imported, last = _follow(manager)
    ours = [e for e in imported if e.action == "candidate.update"]
    assert [e.object_id for e in ours] == [str(p.pk) for p in people]
    assert len({e.cursor for e in imported}) == len(imported)

    audit_record(
        actor=manager, action="candidate.verify", target=Candidate.objects.get(pk=people[0].pk)
    )
    later, _ = _follow(manager, last)
    assert [(e.object_id, e.action) for e in later] == [(str(people[0].pk), "candidate.verify")]

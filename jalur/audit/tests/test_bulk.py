"""`audit_records` writes, in one insert, exactly the rows `audit_record` writes one by one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jalur.audit.context import RequestInfo, reset_request_info, set_request_info
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_record, audit_records
from jalur.candidates.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

FIELDS = [
    "actor_id",
    "actor_label",
    "kind",
    "action",
    "content_type_id",
    "object_id",
    "object_label",
    "changes",
    "reason",
    "ip_address",
    "user_agent",
]


def _entries(manager, candidate):
    """Every kind of argument: a user or nobody or a name as the actor, a target or none, its
    own label or a given one, a kind, a reason, changes or none."""
    return [
        {"actor": manager, "action": "user.create", "target": manager, "changes": {"a": [None, 1]}},
        {"actor": None, "action": "candidate.register", "target": candidate},
        {
            "actor": "impor Excel",
            "action": "candidate.export",
            "target": candidate,
            "kind": AuditLog.Kind.EXPORT,
            "label": "x" * 250,
            "reason": "permintaan dinas",
        },
        {"actor": manager, "action": "auth.login", "kind": AuditLog.Kind.AUTH},
    ]


def _rows(pks) -> list[dict]:
    by_pk = {row["pk"]: row for row in AuditLog.objects.filter(pk__in=pks).values("pk", *FIELDS)}
    return [{k: v for k, v in by_pk[pk].items() if k != "pk"} for pk in pks]


def test_the_bulk_rows_are_the_rows_written_one_by_one(manager):
    candidate = CandidateFactory()
    token = set_request_info(RequestInfo(ip="203.0.113.7", user_agent="Mozilla/5.0 (Android)"))
    try:
        one_by_one = [audit_record(**entry) for entry in _entries(manager, candidate)]
        with CaptureQueriesContext(connection) as queries:
            bulk = audit_records(_entries(manager, candidate))
    finally:
        reset_request_info(token)
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert all(row.pk and row.created_at for row in bulk)
    expected = _rows([row.pk for row in one_by_one])
    assert _rows([row.pk for row in bulk]) == expected
    assert expected[0]["ip_address"] == "203.0.113.7"
    assert [row["actor_label"] for row in expected[1:3]] == ["sistem", "impor Excel"]
    assert len(expected[2]["object_label"]) == 200


def test_nothing_to_record_writes_nothing():
    assert audit_records([]) == []
    assert not AuditLog.objects.exists()

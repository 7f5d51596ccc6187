"""The changes feed: every change once, in commit order, scoped by the token, never personal data;
and on PostgreSQL a change committed late with a smaller id is not skipped."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from jalur.accounts.roles import Role
from jalur.api.feed import Cursor, changes_after
from jalur.audit.models import AuditLog
from jalur.audit.services import audit_record
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure.services import case_open
from jalur.departure.tests.conftest import accept, make_agency, make_order

URL = "/api/v1/changes/"


def follow(client, after="", limit=100) -> tuple[list[dict], str]:
    """Every page from `after` on, as an integrator reads them: (events, the last next cursor)."""
    events = []
    while True:
        response = client.get(URL, {"after": after, "limit": limit})
        assert response.status_code == 200, response.content
        body = response.json()
        events += body["events"]
        after = body["next"]
        if not body["has_more"]:
            return events, after


@pytest.fixture
def two_agencies(agency, agency_b):
    return make_agency(agency), make_agency(agency_b)


def test_pages_give_every_event_once_in_order(api_client, api_token, agent):
    people = [CandidateFactory() for _ in range(7)]
    for person in people:
        audit_record(
            actor=agent, action="candidate.update", target=person, changes={"nama": [1, 2]}
        )
    client = api_client(api_token(Role.PROGRAMME_MANAGER)[1])
    events, last = follow(client, limit=3)
    ours = [e for e in events if e["action"] == "candidate.update"]
    assert [e["object_id"] for e in ours] == [str(p.pk) for p in people]
    assert len({e["cursor"] for e in events}) == len(events)
    # nothing new: the same cursor comes back, with no events
    again = client.get(URL, {"after": last}).json()
    assert again == {"events": [], "next": last, "has_more": False}
    # a later change is the only thing after it
    audit_record(actor=agent, action="candidate.verify", target=people[0])
    later, _ = follow(client, after=last)
    assert [(e["object_type"], e["object_id"], e["action"]) for e in later] == [
        ("candidate", str(people[0].pk), "candidate.verify")
    ]


def test_an_event_names_the_object_and_the_fields_never_the_values(api_client, api_token, agent):
    person = CandidateFactory()
    audit_record(
        actor=agent,
        action="candidate.update",
        target=person,
        changes={"phone": ["+6281111111111", "+6282222222222"]},
        reason="Nomor baru dari pencari kerja",
    )
    events, _ = follow(api_client(api_token()[1]))
    event = next(e for e in events if e["action"] == "candidate.update")
    assert set(event) == {
        "cursor",
        "time",
        "object_type",
        "object_id",
        "action",
        "detail_type",
        "detail_id",
        "fields",
    }
    assert event["fields"] == ["phone"]
    text = str(events)
    assert "6281111111111" not in text and "Nomor baru" not in text and person.nik not in text


def test_views_and_changes_of_other_things_are_not_events(api_client, api_token, agent, agency):
    person = CandidateFactory()
    audit_record(actor=agent, action="candidate.view", target=person, kind=AuditLog.Kind.VIEW)
    audit_record(actor=agent, action="organisation.update", target=agency)
    events, _ = follow(api_client(api_token()[1]))
    assert not [e for e in events if e["action"] in {"candidate.view", "organisation.update"}]


def test_a_p3mi_token_follows_only_its_own_orders_applications_and_cases(
    api_client, api_token, agent, agent_b, two_agencies, agency
):
    mine, theirs = make_order(two_agencies[0]), make_order(two_agencies[1], reference="JO-B")
    audit_record(actor=agent, action="job_order.update", target=mine)
    audit_record(actor=agent_b, action="job_order.update", target=theirs)
    my_application, their_application = accept(mine), accept(theirs)
    audit_record(actor=agent, action="application.accept", target=my_application)
    audit_record(actor=agent_b, action="application.accept", target=their_application)
    my_case = case_open(application=my_application, actor=agent)
    case_open(application=their_application, actor=agent_b)
    audit_record(actor=agent, action="candidate.update", target=my_application.candidate)

    events, _ = follow(api_client(api_token(Role.AGENCY_STAFF, agency)[1]))
    seen = {(e["object_type"], e["object_id"]) for e in events}
    assert ("job_order", str(mine.pk)) in seen
    assert ("application", str(my_application.pk)) in seen
    assert ("departure_case", str(my_case.pk)) in seen
    assert ("job_order", str(theirs.pk)) not in seen
    assert ("application", str(their_application.pk)) not in seen
    assert {t for t, _ in seen} <= {"job_order", "application", "departure_case", "agency"}
    # the office sees both agencies' events and the candidate's
    office_seen = {
        (e["object_type"], e["object_id"]) for e in follow(api_client(api_token()[1]))[0]
    }
    assert ("job_order", str(theirs.pk)) in office_seen
    assert ("candidate", str(my_application.candidate.pk)) in office_seen


def test_a_part_of_a_case_is_reported_as_the_case_with_the_part_as_detail(
    api_client, api_token, agent, two_agencies
):
    case = case_open(application=accept(make_order(two_agencies[0])), actor=agent)
    item = case.items.first()
    audit_record(actor=agent, action="departure.item.submit", target=item)
    events, _ = follow(api_client(api_token()[1]))
    event = next(e for e in events if e["action"] == "departure.item.submit")
    assert (event["object_type"], event["object_id"]) == ("departure_case", str(case.pk))
    assert (event["detail_type"], event["detail_id"]) == ("checklist_item", str(item.pk))


def test_a_training_provider_token_has_no_feed(api_client, api_token, provider):
    response = api_client(api_token(Role.TRAINING_STAFF, provider)[1]).get(URL)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "cursor", ["xyz", "!!!", Cursor(1, 2).text() + "A", "-1-2", "1-2-3", "1" * 19 + "-1"]
)
def test_a_cursor_it_did_not_give_is_refused_naming_the_field(api_client, api_token, cursor):
    response = api_client(api_token()[1]).get(URL, {"after": cursor})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["after"]


def test_a_page_costs_the_same_queries_however_many_events_it_holds(api_token, agent, two_agencies):
    manager = api_token()[0].user
    changes_after(manager, after=None, limit=1)  # content types cached, as in a running server

    def queries(count: int) -> int:
        order = make_order(two_agencies[0], reference=f"JO-{count}")
        case = case_open(application=accept(order), actor=agent)
        items = list(case.items.all())[:count]
        for item in items:
            audit_record(actor=agent, action="departure.item.submit", target=item)
        audit_record(actor=agent, action="job_order.update", target=order)
        start = Cursor.parse(changes_after(manager, after=None, limit=500).next)
        for item in items:
            audit_record(actor=agent, action="departure.item.check", target=item)
        audit_record(actor=agent, action="application.update", target=order.applications.get())
        with CaptureQueriesContext(connection) as captured:
            page = changes_after(manager, after=start, limit=500)
        assert len(page.events) == count + 1
        return len(captured)

    assert queries(2) == queries(6)


# --- PostgreSQL: a transaction that writes first and commits last -------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_with_a_smaller_id_is_not_skipped(agent, api_token):
    manager = api_token()[0].user
    people = [CandidateFactory(), CandidateFactory()]
    start = changes_after(manager, after=None, limit=500)
    cursor = Cursor.parse(start.next) if start.next else None

    inserted, release = threading.Event(), threading.Event()
    rows = {}

    def slow_writer():
        close_old_connections()
        try:
            with transaction.atomic():
                rows["late"] = audit_record(actor=agent, action="late", target=people[0])
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    try:
        assert inserted.wait(10)
        rows["early"] = audit_record(actor=agent, action="early", target=people[1])
        # the late row took its id first: a feed going by id alone would pass it now
        assert rows["late"].pk < rows["early"].pk
        while_open = changes_after(manager, after=cursor, limit=500)
        assert [e.action for e in while_open.events] == []
        assert while_open.next == start.next  # nothing is final yet: the cursor stays
    finally:
        release.set()
        writer.join()

    after_commit = changes_after(manager, after=cursor, limit=500)
    assert [e.action for e in after_commit.events] == ["late", "early"]
    assert changes_after(manager, after=Cursor.parse(after_commit.next), limit=500).events == []


@pytest.mark.postgres
def test_on_postgresql_each_row_keeps_its_writing_transaction(agent):
    person = CandidateFactory()
    with transaction.atomic():
        first = audit_record(actor=agent, action="a", target=person)
        second = audit_record(actor=agent, action="b", target=person)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()::text::bigint")
            (current,) = cursor.fetchone()
    xids = dict(AuditLog.objects.filter(pk__in=[first.pk, second.pk]).values_list("action", "xid"))
    assert xids == {"a": current, "b": current}

"""The candidates endpoints: the web list's filters and search, identity fields only for the roles
that see them on the web, an audit row for each record read, cursor pages of a fixed cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jalur.accounts.roles import Role
from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate, StageHistory
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.pathways.models import JobType, Pathway, PathwayAssignment

URL = "/api/v1/candidates/"


@pytest.fixture
def office_key(api_token):
    return api_token(Role.PROGRAMME_MANAGER)[1]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_the_office_lists_candidates_newest_first_with_their_identity(api_client, office_key):
    first, second = CandidateFactory(), CandidateFactory()
    response = api_client(office_key).get(URL)
    assert ids(response) == [second.pk, first.pk]
    row = response.json()["items"][0]
    assert row["nik"] == second.nik
    assert row["phone"] == second.phone
    assert row["district"] == {"code": "36.73.01", "name": second.district.name}
    assert row["regency_code"] == "36.73"
    assert row["stage"] == {"code": "registered", "label": "Menunggu verifikasi"}


def test_leadership_sees_no_nik_birth_date_or_phone(api_client, api_token):
    CandidateFactory()
    row = api_client(api_token(Role.LEADERSHIP)[1]).get(URL).json()["items"][0]
    assert (row["nik"], row["birth_date"], row["phone"]) == (None, None, None)
    assert row["age"] > 17


def test_labels_follow_accept_language(api_client, office_key):
    CandidateFactory(stage=Stage.VERIFIED)
    row = api_client(office_key, language="en").get(URL).json()["items"][0]
    assert row["stage"] == {"code": "verified", "label": "Verified"}


def test_filters_by_stage_region_pathway_and_dates(api_client, office_key):
    ssw = Pathway.objects.get(code="jp-ssw-p2p")
    verified = CandidateFactory(stage=Stage.VERIFIED)
    trained = CandidateFactory(stage=Stage.TRAINED)
    PathwayAssignment.objects.create(
        candidate=trained, pathway=ssw, job_type=JobType.objects.get(code="industrial")
    )
    elsewhere = CandidateFactory(district_id="36.73.02", village_id=None)
    old = CandidateFactory()
    Candidate.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40),
        updated_at=timezone.now() - datetime.timedelta(days=40),
    )
    client = api_client(office_key)
    assert ids(client.get(URL, {"stage": "verified"})) == [verified.pk]
    assert ids(client.get(URL, {"district": "36.73.02"})) == [elsewhere.pk]
    assert set(ids(client.get(URL, {"regency": "36.73"}))) == {
        verified.pk,
        trained.pk,
        elsewhere.pk,
        old.pk,
    }
    assert ids(client.get(URL, {"regency": "36.04"})) == []
    assert ids(client.get(URL, {"pathway": "jp-ssw-p2p"})) == [trained.pk]
    month_ago = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert old.pk not in ids(client.get(URL, {"registered_since": month_ago}))
    assert ids(client.get(URL, {"registered_until": month_ago})) == [old.pk]
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert old.pk not in ids(client.get(URL, {"updated_since": since}))


def test_a_filter_it_does_not_know_is_refused_naming_the_field(api_client, office_key):
    response = api_client(office_key).get(URL, {"stage": "flying"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "stage"
    assert "verified" in error["message"]
    english = api_client(office_key, language="en").get(URL, {"registered_since": "0.5"})
    assert [e["field"] for e in english.json()["errors"]] == ["registered_since"]
    # dates the wrong way round find nobody rather than fail
    CandidateFactory()
    until_before_since = {"registered_since": "2026-02-01", "registered_until": "2026-01-01"}
    assert ids(api_client(office_key).get(URL, until_before_since)) == []


def test_search_by_name_and_by_nik_as_the_web_does(api_client, office_key, api_token):
    siti = CandidateFactory(full_name="Siti Aminah")
    CandidateFactory(full_name="Budi Santoso")
    client = api_client(office_key)
    assert ids(client.get(URL, {"q": "aminah"})) == [siti.pk]
    assert ids(client.get(URL, {"q": siti.nik})) == [siti.pk]
    # a NIK search is recorded for the person found, the number only masked
    row = AuditLog.objects.filter(action="candidate.search").latest("pk")
    assert row.object_id == str(siti.pk)
    assert siti.nik not in str(row.changes)
    # leadership cannot find someone by NIK: a hit would tell whose number it is
    leader = api_client(api_token(Role.LEADERSHIP)[1])
    assert ids(leader.get(URL, {"q": siti.nik})) == []


def test_a_p3mi_sees_only_the_people_who_applied_to_its_orders(
    api_client, api_token, agency, agency_b
):
    order = make_order(make_agency(agency))
    mine = accept(order).candidate
    theirs = accept(make_order(make_agency(agency_b))).candidate
    CandidateFactory()
    client = api_client(api_token(Role.AGENCY_STAFF, agency)[1])
    assert ids(client.get(URL)) == [mine.pk]
    assert client.get(f"{URL}{mine.pk}/").json()["nik"] is None
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404


def test_reading_a_record_is_an_audit_read_row(api_client, api_token):
    token, key = api_token(Role.VERIFIER)
    person = CandidateFactory(email="siti@example.com")
    response = api_client(key).get(f"{URL}{person.pk}/")
    assert response.status_code == 200
    assert response.json()["email"] == "siti@example.com"
    assert response.json()["kk_number"] == person.kk_number
    read = AuditLog.objects.get(action="candidate.view", object_id=str(person.pk))
    assert read.actor_id == token.user_id
    assert read.kind == AuditLog.Kind.VIEW


def test_the_stage_history_is_for_the_roles_that_see_it_on_the_web(api_client, api_token):
    person = CandidateFactory(stage=Stage.VERIFIED)
    now = timezone.now()
    StageHistory.objects.create(
        candidate=person, from_stage="", to_stage=Stage.REGISTERED, created_at=now
    )
    StageHistory.objects.create(
        candidate=person,
        from_stage=Stage.REGISTERED,
        to_stage=Stage.VERIFIED,
        reason="dokumen lengkap",
        created_at=now + datetime.timedelta(minutes=5),
    )
    path = f"{URL}{person.pk}/stages/"
    items = api_client(api_token(Role.VERIFIER)[1]).get(path).json()["items"]
    assert [(i["from_stage"], i["to_stage"]["code"]) for i in items] == [
        (None, "registered"),
        ({"code": "registered", "label": "Menunggu verifikasi"}, "verified"),
    ]
    assert items[1]["reason"] == "dokumen lengkap"
    assert api_client(api_token(Role.REGISTRATION_OFFICER)[1]).get(path).status_code == 403
    assert api_client(api_token(Role.VERIFIER)[1]).get(f"{URL}0/stages/").status_code == 404


def test_cursor_pages_walk_the_whole_list_once(api_client, office_key):
    people = [CandidateFactory() for _ in range(7)]
    client = api_client(office_key)
    seen, cursor = [], None
    while True:
        body = client.get(URL, {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [row["id"] for row in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted((p.pk for p in people), reverse=True)


def test_a_cursor_it_did_not_give_is_refused(api_client, office_key):
    response = api_client(office_key).get(URL, {"cursor": "bukan-kursor"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"
    assert api_client(office_key).get(URL, {"limit": 0}).status_code == 422


def _people(count: int) -> None:
    ssw = Pathway.objects.get(code="jp-ssw-p2p")
    industrial = JobType.objects.get(code="industrial")
    for person in CandidateFactory.create_batch(count):
        person.preferred_job_types.set([industrial])
        PathwayAssignment.objects.create(candidate=person, pathway=ssw, job_type=industrial)


def _page_queries(client, params) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_a_page_costs_the_same_queries_however_long_or_deep(
    api_client, office_key, django_assert_max_num_queries
):
    _people(35)
    client = api_client(office_key)
    deep = client.get(URL, {"limit": 30}).json()["next_cursor"]
    short = _page_queries(client, {"limit": 2})
    # the page, its job types, its pathways; the rest is the token, its rate count and the audit
    with django_assert_max_num_queries(len(short)):
        body = client.get(URL, {"limit": 30}).json()
    with django_assert_max_num_queries(len(short)):
        client.get(URL, {"limit": 30, "cursor": deep})
    assert len(body["items"]) == 30
    assert all(row["pathway"]["id"] == "jp-ssw-p2p" for row in body["items"])
    assert all(row["preferred_job_types"][0]["id"] == "industrial" for row in body["items"])
    mine = [sql for sql in short if "candidates_candidate" in sql or "pathways_" in sql]
    assert len(mine) == 3

"""Grievances through the API: filing one for a person under the office form's or the public
form's rules, through the same service; following it (state, deadlines, the timeline this token
may read); the office sees every case, a P3MI only its own."""

import uuid

import pytest

from jalur.accounts.roles import Role
from jalur.audit.models import AuditLog
from jalur.protection import services
from jalur.protection.models import Grievance, GrievanceStatus, ReporterKind
from jalur.rules import grievances as rules

from .test_job_orders import token_client

URL = "/api/v1/grievances/"

FAMILY = {
    "reporter_name": "Ibu Sumiati",
    "reporter_relation": "ibu",
    "reporter_phone": "0812 3456 7890",
    "worker_name": "Rina Marlina",
    "worker_country": "JP",
    "category": "wages",
    "description": "Gaji dua bulan belum dibayar.",
}


@pytest.fixture
def desk(api_client, api_token):
    return token_client(api_client, api_token, Role.PROGRAMME_MANAGER)


@pytest.fixture
def p3mi(api_client, api_token, agency):
    return token_client(api_client, api_token, Role.AGENCY_STAFF, agency)


def test_the_office_files_a_grievance_as_its_complaint_form_does(desk, agency):
    response = desk.post(URL, {**FAMILY, "reporter_kind": "family", "agency": agency.pk})
    assert response.status_code == 201, response.content
    data = response.json()
    grievance = Grievance.objects.get()
    assert data["number"] == grievance.number
    assert services.grievance_check_secret(number=grievance.number, secret=data["secret"])
    assert grievance.reporter_phone == "+6281234567890"
    assert grievance.reporter_kind == ReporterKind.FAMILY
    assert grievance.agency == agency
    assert data["reporter_phone"] == "+6281234567890"
    assert data["status"]["code"] == GrievanceStatus.RECEIVED
    # the deadline is rules.grievances'
    assert data["standing"]["turn"] == rules.Party.OFFICE
    assert data["standing"]["due_at"] is not None
    opened = AuditLog.objects.get(action="grievance.open")
    assert opened.actor == desk.user


def test_a_p3mi_files_for_the_person_who_came_to_it_and_follows_it(p3mi, agency):
    response = p3mi.post(URL, FAMILY)
    assert response.status_code == 201, response.content
    grievance = Grievance.objects.get()
    assert grievance.reporter_kind == ReporterKind.AGENCY
    assert grievance.agency == agency
    followed = p3mi.get(f"{URL}{grievance.pk}/").json()
    assert followed["number"] == grievance.number
    assert followed["reporter_phone"] is None  # the office's only, as on the web
    assert [e["kind"]["code"] for e in followed["events"]] == ["opened"]


def test_the_public_forms_rules_hold_for_a_p3mi(p3mi):
    response = p3mi.post(URL, {**FAMILY, "reporter_phone": "", "reporter_relation": ""})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"reporter_phone", "reporter_relation"}
    unknown = p3mi.post(URL, {**FAMILY, "category": "bukan"})
    assert [e["field"] for e in unknown.json()["errors"]] == ["category"]
    english = p3mi.english.post(URL, {**FAMILY, "reporter_phone": "0254 200100"})
    assert english.status_code == 422
    [error] = english.json()["errors"]
    assert error["field"] == "reporter_phone"
    assert not Grievance.objects.exists()


def test_the_same_filing_sent_twice_opens_one_case(desk):
    filing = {**FAMILY, "reporter_kind": "worker", "submission": str(uuid.uuid4())}
    first = desk.post(URL, filing)
    again = desk.post(URL, filing)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["secret"] is None
    assert Grievance.objects.count() == 1


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.VERIFIER, Role.TRAINING_STAFF])
def test_roles_that_cannot_record_a_complaint_on_the_web_cannot_file_one(
    api_client, api_token, role, provider
):
    organisation = provider if role == Role.TRAINING_STAFF else None
    response = api_client(api_token(role, organisation)[1]).post(URL, FAMILY)
    assert response.status_code == 403
    # before the body is read: a broken one is refused the same way, not judged
    response = api_client(api_token(role, organisation)[1]).post(URL, {"category": 5})
    assert response.status_code == 403


def test_a_p3mi_follows_only_its_own_cases_and_reads_no_internal_note(p3mi, desk, agency, agency_b):
    mine = desk.post(URL, {**FAMILY, "reporter_kind": "family", "agency": agency.pk}).json()
    theirs = desk.post(
        URL, {**FAMILY, "reporter_kind": "family", "agency": agency_b.pk, "category": "fees"}
    ).json()
    grievance = Grievance.objects.get(pk=mine["id"])
    services.grievance_note(grievance=grievance, actor=desk.user, text="internal", public=False)
    assert [g["id"] for g in p3mi.get(URL).json()["items"]] == [mine["id"]]
    assert p3mi.get(f"{URL}{theirs['id']}/").status_code == 404
    assert "internal" not in [e["text"] for e in p3mi.get(f"{URL}{mine['id']}/").json()["events"]]
    assert "internal" in [e["text"] for e in desk.get(f"{URL}{mine['id']}/").json()["events"]]
    assert {g["id"] for g in desk.get(URL).json()["items"]} == {mine["id"], theirs["id"]}


def test_following_a_case_is_an_audit_read_row(desk):
    case = desk.post(URL, {**FAMILY, "reporter_kind": "family"}).json()
    desk.get(f"{URL}{case['id']}/")
    read = AuditLog.objects.get(action="grievance.view")
    assert (read.actor, read.object_id) == (desk.user, str(case["id"]))


def test_the_list_filters_by_state_and_who_is_late(desk):
    case = desk.post(URL, {**FAMILY, "reporter_kind": "family"}).json()
    assert [g["id"] for g in desk.get(URL, {"status": "open"}).json()["items"]] == [case["id"]]
    assert desk.get(URL, {"status": "closed"}).json()["items"] == []
    assert desk.get(URL, {"late": "agency"}).json()["items"] == []
    assert desk.get(URL, {"q": "Rina"}).json()["items"][0]["id"] == case["id"]
    refused = desk.get(URL, {"late": "someone"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "late"

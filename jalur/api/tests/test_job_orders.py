"""Job orders and applications through the API: a P3MI submits through the web form's form,
service and legal gate (same rules, audit and messages), sees only its own agency's orders and
applications; the office sees all and cannot submit for an agency."""

import pytest

from jalur.accounts.roles import Role
from jalur.audit.models import AuditLog
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, Pathway
from jalur.placement import services
from jalur.placement.models import Application, JobOrder
from jalur.placement.states import ApplicationStatus, OrderStatus
from jalur.placement.tests.conftest import days, make_agency, make_mou, make_pks, order_data
from jalur.rules import fees

URL = "/api/v1/job-orders/"


def body(**overrides) -> dict:
    """The web form's fields as JSON: pathway and job type by code, dates in ISO 8601."""
    data = order_data("jp-ssw-p2p", "industrial")
    data.update(
        wage_amount=210000,
        deadline=days(30).isoformat(),
        attache_verified_on=days(-5).isoformat(),
    )
    data.update(overrides)
    return data


@pytest.fixture
def p3mi(agency):
    return make_agency(agency)


@pytest.fixture
def covered(p3mi):
    """Agency A's PKS under the city's MoU, for Japan SSW industrial and care work."""
    return make_pks(
        p3mi,
        make_mou(),
        job_types=list(JobType.objects.filter(code__in=["industrial", "caregiver"])),
        pathways=[Pathway.objects.get(code="jp-ssw-p2p")],
        quota=100,
    )


def token_client(api_client, api_token, role, organisation=None):
    """A client calling with a new token of `role`: `.user` is the token's account, `.english`
    the same caller asking for English."""
    token, key = api_token(role, organisation)
    client = api_client(key)
    client.user = token.user
    client.english = api_client(key, language="en")
    return client


@pytest.fixture
def p3mi_client(api_client, api_token, agency):
    return token_client(api_client, api_token, Role.AGENCY_STAFF, agency)


def test_a_p3mi_submits_a_job_order_through_the_legal_gate(p3mi_client, covered):
    response = p3mi_client.post(URL, body())
    assert response.status_code == 201, response.content
    order = JobOrder.objects.get()
    data = response.json()
    assert data["id"] == order.pk
    assert data["reference"] == order.reference
    assert data["status"]["code"] == OrderStatus.SUBMITTED
    assert data["pathway"] == {"id": "jp-ssw-p2p", "name": order.pathway.name}
    assert data["permit"]["number"] == "SIP2MI/0001/2026"
    assert order.created_by == p3mi_client.user
    # the same audit rows as the web form and its "Ajukan" button
    actions = set(
        AuditLog.objects.filter(object_id=str(order.pk), actor=p3mi_client.user).values_list(
            "action", flat=True
        )
    )
    assert "job_order.create" in actions
    assert len(actions) >= 2


def test_a_draft_is_kept_with_what_the_gate_finds_and_submitted_later(p3mi_client, p3mi):
    response = p3mi_client.post(URL, body(submit=False))
    assert response.status_code == 201
    data = response.json()
    assert data["status"]["code"] == OrderStatus.DRAFT
    assert [p["code"] for p in data["problems"]] == ["agreement"]
    refused = p3mi_client.post(f"{URL}{data['id']}/submit/")
    assert refused.status_code == 422
    assert "Belum ada PKS" in refused.json()["detail"]


def test_a_draft_submitted_once_its_pks_exists(p3mi_client, p3mi):
    draft = p3mi_client.post(URL, body(submit=False)).json()
    make_pks(
        p3mi,
        make_mou(),
        job_types=[JobType.objects.get(code="industrial")],
        pathways=[Pathway.objects.get(code="jp-ssw-p2p")],
    )
    response = p3mi_client.post(f"{URL}{draft['id']}/submit/")
    assert response.status_code == 200, response.content
    assert response.json()["status"]["code"] == OrderStatus.SUBMITTED
    again = p3mi_client.post(f"{URL}{draft['id']}/submit/")
    assert again.status_code == 409  # a step taken twice: a conflict with the order's state
    assert "sudah diajukan" in again.json()["detail"]


def test_an_order_the_gate_refuses_is_not_kept_and_says_the_rule(p3mi_client, p3mi):
    response = p3mi_client.post(URL, body())
    assert response.status_code == 422
    message = response.json()["detail"]
    assert message.startswith("Belum ada PKS antara Pemkot dan PT A")
    assert not JobOrder.objects.exists()
    english = p3mi_client.english.post(URL, body())
    assert english.status_code == 422
    assert "PKS" in english.json()["detail"]
    assert english.json()["detail"] != message


def test_a_cost_the_worker_may_not_pay_is_refused_beside_its_row(p3mi_client, covered):
    costs = [
        {"item": "passport", "amount": 350000, "paid_by": "worker"},
        {"item": "ticket", "amount": 9000000, "paid_by": "worker"},
    ]
    response = p3mi_client.post(URL, body(costs=costs))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == [
        {
            "field": "costs-1-paid_by",
            "message": fees.worker_may_pay("ticket", zero_cost=False).message,
        }
    ]
    assert not JobOrder.objects.exists()


def test_every_missing_or_wrong_field_is_named_at_once(p3mi_client, covered):
    malformed = body(employer_name=None, positions=0, costs=[{"item": "ticket"}])
    response = p3mi_client.post(URL, malformed)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"employer_name", "positions", "costs.0.amount", "costs.0.paid_by"}
    # what the form judges beyond each field's type comes back the same way, in its words
    unknown = p3mi_client.post(URL, body(pathway="tidak-ada"))
    assert [e["field"] for e in unknown.json()["errors"]] == ["pathway"]
    refused = p3mi_client.post(URL, body(licence_required=True))
    assert refused.json()["errors"] == [
        {
            "field": "licence_name",
            "message": "Tulis nama lisensi yang diwajibkan, misalnya SIM Jepang.",
        }
    ]
    english = p3mi_client.english.post(URL, body(licence_required=True))
    [error] = english.json()["errors"]
    assert error["field"] == "licence_name"
    assert error["message"] != refused.json()["errors"][0]["message"]


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.LEADERSHIP, Role.VERIFIER])
def test_only_a_p3mi_creates_job_orders(api_client, api_token, role, covered):
    response = api_client(api_token(role)[1]).post(URL, body())
    assert response.status_code == 403
    assert not JobOrder.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"positions": "banyak"}, {"pathway": "tidak-ada"}])
def test_a_token_that_may_not_write_is_refused_before_its_body_is_read(
    api_client, api_token, payload, covered
):
    """403, not what is wrong with the body: the capability is checked before any validation."""
    key = api_token(Role.PROGRAMME_MANAGER)[1]
    for url in (URL, f"{URL}999999/submit/"):
        response = api_client(key).post(url, payload)
        assert response.status_code == 403, url
        assert response.json()["errors"] == []


def _order(p3mi, **overrides):
    """A draft of `p3mi` made through the service, as the web form makes it."""
    data = order_data(
        Pathway.objects.get(code="jp-ssw-p2p"), JobType.objects.get(code="industrial"), **overrides
    )
    return services.job_order_create(actor=None, agency=p3mi, data=data, costs=[])


def test_a_p3mi_sees_its_own_orders_and_applications_only(
    p3mi_client, p3mi, agency_b, api_client, api_token
):
    mine = _order(p3mi)
    theirs = _order(make_agency(agency_b), sip2mi_number="SIP2MI/0002/2026")
    assert [o["id"] for o in p3mi_client.get(URL).json()["items"]] == [mine.pk]
    assert p3mi_client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert p3mi_client.get(f"{URL}{theirs.pk}/applications/").status_code == 404
    assert p3mi_client.post(f"{URL}{theirs.pk}/submit/").status_code == 404
    office = api_client(api_token(Role.LEADERSHIP)[1])
    assert {o["id"] for o in office.get(URL).json()["items"]} == {mine.pk, theirs.pk}
    application = Application.objects.create(
        order=theirs, candidate=CandidateFactory(), status="applied", origin="applied"
    )
    assert p3mi_client.get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert office.get(f"/api/v1/applications/{application.pk}/").status_code == 200


def test_a_phone_number_only_once_the_person_is_shortlisted(p3mi_client, p3mi):
    order = _order(p3mi)
    applied = Application.objects.create(
        order=order,
        candidate=CandidateFactory(),
        status=ApplicationStatus.APPLIED,
        origin="applied",
    )
    shortlisted = Application.objects.create(
        order=order,
        candidate=CandidateFactory(),
        status=ApplicationStatus.SHORTLISTED,
        origin="applied",
    )
    rows = p3mi_client.get(f"{URL}{order.pk}/applications/").json()["items"]
    phones = {row["id"]: row["candidate_phone"] for row in rows}
    assert phones == {applied.pk: None, shortlisted.pk: shortlisted.candidate.phone}
    detail = p3mi_client.get(f"/api/v1/applications/{applied.pk}/").json()
    assert detail["candidate"] == {"id": applied.candidate_id, "name": applied.candidate.full_name}
    assert detail["status"]["code"] == "applied"
    only = p3mi_client.get(f"{URL}{order.pk}/applications/", {"status": "shortlisted"})
    assert [row["id"] for row in only.json()["items"]] == [shortlisted.pk]


def test_the_order_list_filters_like_the_web(p3mi_client, p3mi):
    draft = _order(p3mi)
    assert [o["id"] for o in p3mi_client.get(URL, {"status": "draft"}).json()["items"]] == [
        draft.pk
    ]
    assert p3mi_client.get(URL, {"status": "approved"}).json()["items"] == []
    assert p3mi_client.get(URL, {"q": "Tokai"}).json()["items"][0]["id"] == draft.pk
    refused = p3mi_client.get(URL, {"country": "XX"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "country"

"""The access matrix of the office, P3MI and grievance endpoints, per kind of token, as the web's
access matrix holds the pages: each role gets 200 (or the write's own answer) where its
capabilities let it, 403 where they do not, 404 for what it may not know exists; a P3MI token
never reaches another P3MI's object; an expired or revoked token is refused (401) everywhere."""

import datetime

import pytest
from django.utils import timezone

from jalur.accounts.roles import Role
from jalur.api.models import ApiToken
from jalur.api.services import token_revoke
from jalur.departure import services as departure
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.protection import services as protection

from .test_grievances import FAMILY
from .test_job_orders import body as order_body

S, PM, RO, V = Role.SYSADMIN, Role.PROGRAMME_MANAGER, Role.REGISTRATION_OFFICER, Role.VERIFIER
L, T, A = Role.LEADERSHIP, Role.TRAINING_STAFF, Role.AGENCY_STAFF
ROLES = [S, PM, RO, V, L, T, A]


def _everyone(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


def _only(roles, status: int = 200, others: int = 403) -> dict:
    return {role: status if role in roles else others for role in ROLES}


PLACEMENT_VIEW = (S, PM, L, A)

# (method, path with {names} of the objects below, {role: status})
MATRIX = [
    ("get", "/api/v1/candidates/", _everyone(200)),
    ("get", "/api/v1/candidates/{candidate}/", {**_everyone(200), T: 404}),
    ("get", "/api/v1/candidates/{candidate}/stages/", {**_only((S, PM, V, L)), T: 404}),
    ("get", "/api/v1/job-orders/", _only(PLACEMENT_VIEW)),
    ("get", "/api/v1/job-orders/{order}/", _only(PLACEMENT_VIEW)),
    ("get", "/api/v1/job-orders/{order}/applications/", _only(PLACEMENT_VIEW)),
    ("get", "/api/v1/applications/{application}/", _only(PLACEMENT_VIEW)),
    ("get", "/api/v1/departure-cases/", _only(PLACEMENT_VIEW)),
    ("get", "/api/v1/departure-cases/{case}/", _only(PLACEMENT_VIEW)),
    ("get", "/api/v1/grievances/", _only(PLACEMENT_VIEW)),
    ("get", "/api/v1/grievances/{grievance}/", _only(PLACEMENT_VIEW)),
    # writes of well-formed bodies: agency A has no PKS, so its order is refused by the gate (422)
    ("post", "/api/v1/job-orders/", _only((A,), 422)),
    # the sample order is past its draft: submitting it again conflicts with its state (409)
    ("post", "/api/v1/job-orders/{order}/submit/", _only((A,), 409)),
    ("post", "/api/v1/grievances/", _only((S, PM, A), 201)),
]

# (method, path): the body each role sends (each its own complaint, or it would be the same
# filing sent twice, answered 200 with the first case)
BODIES = {
    ("post", "/api/v1/job-orders/"): lambda role: order_body(),
    ("post", "/api/v1/grievances/"): lambda role: {
        **FAMILY,
        "reporter_kind": "family",
        "description": f"{FAMILY['description']} ({role})",
    },
}

# Agency B's objects: a P3MI token of agency A learns nothing of them.
OTHER_AGENCY = [
    "/api/v1/candidates/{candidate}/",
    "/api/v1/job-orders/{order}/",
    "/api/v1/job-orders/{order}/applications/",
    "/api/v1/applications/{application}/",
    "/api/v1/departure-cases/{case}/",
    "/api/v1/grievances/{grievance}/",
]


def _objects(organisation, actor) -> dict:
    """A departed-to-be worker of `organisation`'s P3MI, with its order, application, departure
    case and a grievance about the P3MI."""
    case = departure.case_open(
        application=accept(make_order(make_agency(organisation))), actor=actor
    )
    grievance, _secret = protection.grievance_open(
        reporter_kind="family",
        reporter_name="Ibu Sumiati",
        reporter_phone="081234567890",
        worker_name=case.candidate.full_name,
        category="wages",
        description="Gaji belum dibayar.",
        agency=organisation,
    )
    return {
        "candidate": case.candidate_id,
        "order": case.application.order_id,
        "application": case.application_id,
        "case": case.pk,
        "grievance": grievance.pk,
    }


@pytest.fixture
def objects(agency, agent):
    return _objects(agency, agent)


@pytest.fixture
def tokens(api_token, agency, provider):
    organisations = {T: provider, A: agency}
    return {role: api_token(role, organisations.get(role)) for role in ROLES}


@pytest.mark.parametrize(
    ("method", "path", "expected"), MATRIX, ids=[f"{m[0]} {m[1]}" for m in MATRIX]
)
def test_each_kind_of_token_gets_what_its_role_gets_on_the_web(
    api_client, tokens, objects, method, path, expected
):
    url = path.format(**objects)
    sent = BODIES.get((method, path))
    got = {
        role: (
            api_client(key).post(url, sent(role)) if sent else getattr(api_client(key), method)(url)
        ).status_code
        for role, (_token, key) in tokens.items()
    }
    assert got == expected


def test_a_p3mi_token_never_reaches_another_p3mis_objects(
    api_client, api_token, agency, agency_b, agent_b
):
    theirs = _objects(agency_b, agent_b)
    client = api_client(api_token(A, agency)[1])
    assert {path: client.get(path.format(**theirs)).status_code for path in OTHER_AGENCY} == (
        dict.fromkeys(OTHER_AGENCY, 404)
    )
    assert client.post(f"/api/v1/job-orders/{theirs['order']}/submit/").status_code == 404
    for listing in ("candidates", "job-orders", "departure-cases", "grievances"):
        assert client.get(f"/api/v1/{listing}/").json()["items"] == []


@pytest.mark.parametrize("ending", ["expired", "revoked"])
def test_an_expired_or_revoked_token_is_refused_everywhere(
    api_client, api_token, objects, ending, sysadmin
):
    token, key = api_token(PM)
    if ending == "expired":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    else:
        token_revoke(actor=sysadmin, token=token, reason="bocor")
    client = api_client(key)
    got = {
        path: getattr(client, method)(path.format(**objects)).status_code
        for method, path, _e in MATRIX
    }
    assert set(got.values()) == {401}

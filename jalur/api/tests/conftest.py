"""Fixtures for the API: a token for any role and organisation, and a client that calls with it.

def test_x(api_token, api_client, agency):
    token, key = api_token(Role.AGENCY_STAFF, agency)
    response = api_client(key).get("/api/v1/job-orders/")
"""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from jalur.accounts.roles import OrganisationKind, Role
from jalur.accounts.tests.factories import OrganisationFactory, UserFactory
from jalur.api.services import token_create


@pytest.fixture
def _token_maker(db):
    office = OrganisationFactory(kind=OrganisationKind.LABOUR_OFFICE, code="disnaker")
    return UserFactory(
        username="admin-token", role=Role.SYSADMIN, organisation=office, is_staff=True
    )


@pytest.fixture
def api_token(_token_maker, office):
    """make(role, organisation=None, name=..., days=90) -> (ApiToken, key text). Without an
    organisation: the office for an office role."""

    def make(role=Role.PROGRAMME_MANAGER, organisation=None, *, name="Integrasi uji", days=90):
        return token_create(
            actor=_token_maker,
            organisation=organisation or office,
            role=role,
            name=name,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )

    return make


class ApiClient:
    """Django's test client with the token in every call and JSON bodies."""

    def __init__(self, key: str | None = None, language: str = ""):
        self.client = Client()
        self.headers = {}
        if key:
            self.headers["Authorization"] = f"Bearer {key}"
        if language:
            self.headers["Accept-Language"] = language

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, headers={**self.headers, **headers})

    def _send(self, method, path, body, headers):
        return getattr(self.client, method)(
            path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def post(self, path, body=None, **headers):
        return self._send("post", path, body, headers)

    def put(self, path, body=None, **headers):
        return self._send("put", path, body, headers)

    def patch(self, path, body=None, **headers):
        return self._send("patch", path, body, headers)

    def delete(self, path, **headers):
        return self.client.delete(path, headers={**self.headers, **headers})


@pytest.fixture
def api_client(db):
    """api_client(key=None, language="") -> ApiClient; no key: an anonymous caller."""
    return ApiClient

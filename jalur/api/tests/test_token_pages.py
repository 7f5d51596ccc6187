"""The token pages: the office makes tokens for any organisation, P3MI staff only for their own
agency; the text is shown once; revoking asks a reason and is audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.accounts.roles import Role
from jalur.api.models import ApiToken
from jalur.audit.models import AuditLog

LIST, CREATE = reverse("api_tokens:list"), reverse("api_tokens:create")


def expires(days=30) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_the_manager_makes_a_p3mi_token_and_sees_its_text_once(
    client_for, manager, agency, api_client
):
    client = client_for(manager)
    response = client.post(
        CREATE,
        {
            "organisation": agency.pk,
            "role": Role.AGENCY_STAFF,
            "name": "ERP PT A",
            "expires_on": expires(),
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["key"]
    assert key.startswith("jalur_") and key in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.organisation, token.role, token.created_by) == (
        agency,
        Role.AGENCY_STAFF,
        manager,
    )
    assert token.expires_at.date() == timezone.localdate() + datetime.timedelta(days=30)
    listing = client.get(LIST).content.decode()
    assert "ERP PT A" in listing and token.prefix in listing and key not in listing
    assert api_client(key).get("/api/v1/changes/").status_code == 200
    assert AuditLog.objects.filter(action="api_token.create", actor=manager).exists()


def test_a_role_that_does_not_fit_the_organisation_is_refused_at_the_field(
    client_for, manager, office
):
    response = client_for(manager).post(
        CREATE,
        {
            "organisation": office.pk,
            "role": Role.AGENCY_STAFF,
            "name": "x",
            "expires_on": expires(),
        },
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_year_at_most(client_for, manager, office):
    response = client_for(manager).post(
        CREATE,
        {
            "organisation": office.pk,
            "role": Role.PROGRAMME_MANAGER,
            "name": "x",
            "expires_on": expires(400),
        },
    )
    assert response.context["form"].errors["expires_on"] == [
        "Token berlaku paling lama satu tahun."
    ]


def test_p3mi_staff_choose_only_their_own_agency_and_role(client_for, agent, agency, agency_b):
    client = client_for(agent)
    form = client.get(CREATE).context["form"]
    assert list(form.fields["organisation"].queryset) == [agency]
    assert [value for value, _label in form.fields["role"].choices] == [Role.AGENCY_STAFF]
    refused = client.post(
        CREATE,
        {
            "organisation": agency_b.pk,
            "role": Role.AGENCY_STAFF,
            "name": "x",
            "expires_on": expires(),
        },
    )
    assert "organisation" in refused.context["form"].errors
    assert not ApiToken.objects.exists()


def test_p3mi_staff_see_and_revoke_only_their_own_agencys_tokens(
    client_for, agent, agency, agency_b, api_token
):
    mine, _ = api_token(Role.AGENCY_STAFF, agency, name="Milik A")
    theirs, _ = api_token(Role.AGENCY_STAFF, agency_b, name="Milik B")
    client = client_for(agent)
    listing = client.get(LIST).content.decode()
    assert "Milik A" in listing and "Milik B" not in listing
    url = reverse("api_tokens:revoke", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "iseng"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoking_asks_a_reason_and_stops_the_token(
    client_for, agent, agency, api_token, api_client
):
    token, key = api_token(Role.AGENCY_STAFF, agency)
    client = client_for(agent)
    url = reverse("api_tokens:revoke", args=[token.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": ""})
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(url, {"reason": "Laptop admin hilang"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert (token.revoked_by, token.revoke_reason) == (agent, "Laptop admin hilang")
    assert api_client(key).get("/api/v1/changes/").status_code == 401
    assert AuditLog.objects.get(action="api_token.revoke").reason == "Laptop admin hilang"


@pytest.mark.parametrize(
    "role", [Role.VERIFIER, Role.LEADERSHIP, Role.TRAINING_STAFF, Role.CANDIDATE]
)
def test_other_roles_may_not_open_a_tokens_revoke_page(client_for, role_users, api_token, role):
    token, _ = api_token()
    response = client_for(role_users[role]).get(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 403

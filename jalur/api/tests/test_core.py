"""The API's core: tokens authenticate, expire and are revoked; errors have one shape in the
caller's language; calls are rate-limited and audited; the schema and its page are served."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation
from ninja.errors import ValidationError as NinjaValidationError

from jalur.accounts.roles import Role
from jalur.api.errors import validation_errors
from jalur.api.models import ApiToken
from jalur.api.services import token_create, token_revoke
from jalur.audit.models import AuditLog


def test_the_schema_is_openapi_3_1_and_documents_the_error_shape(api_client):
    response = api_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["title"] == "Jalur API"
    assert "ApiError" in schema["components"]["schemas"]
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert {"429", "4XX"} <= set(operation["responses"])


def test_the_docs_page_is_served_from_jalur_not_a_cdn(api_client):
    response = api_client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_a_call_without_a_token_is_refused_in_the_error_shape(api_client):
    response = api_client().get("/api/v1/changes/")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Token API tidak ada, salah, kedaluwarsa, atau sudah dicabut.",
        "errors": [],
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "key",
    ["", "jalur_", "jalur_abcdefgh_", "bukan-token", "jalur_abcdefgh_salah", "jalur_zzzz_x"],
)
def test_a_malformed_or_unknown_token_is_refused(api_client, key, api_token):
    api_token()
    assert api_client(key).get("/api/v1/changes/").status_code == 401


def test_a_right_prefix_with_a_wrong_secret_is_refused(api_client, api_token):
    token, key = api_token()
    wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert api_client(key).get("/api/v1/changes/").status_code == 200
    assert api_client(wrong).get("/api/v1/changes/").status_code == 401


def test_the_secret_is_stored_only_as_its_hash(api_token):
    token, key = api_token()
    stored = ApiToken.objects.get(pk=token.pk)
    secret = key.split("_", 2)[2]
    assert secret not in stored.secret_hash and len(stored.secret_hash) == 64
    assert stored.prefix in key


def test_an_expired_token_is_refused(api_client, api_token, time_machine):
    token, key = api_token(days=30)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=31))
    assert api_client(key).get("/api/v1/changes/").status_code == 401


def test_a_revoked_token_is_refused_and_its_account_switched_off(
    api_client, api_token, _token_maker
):
    token, key = api_token()
    token_revoke(actor=_token_maker, token=token, reason="Sistem mitra diganti")
    assert api_client(key).get("/api/v1/changes/").status_code == 401
    token.user.refresh_from_db()
    assert not token.user.is_active
    row = AuditLog.objects.get(action="api_token.revoke")
    assert row.reason == "Sistem mitra diganti" and row.actor == _token_maker


def test_a_token_of_a_switched_off_organisation_is_refused(api_client, api_token, agency):
    token, key = api_token(Role.AGENCY_STAFF, agency)
    agency.is_active = False
    agency.save()
    assert api_client(key).get("/api/v1/changes/").status_code == 401


def test_the_service_account_cannot_log_in_on_the_web(api_token):
    token, key = api_token()
    account = token.user
    assert not account.has_usable_password()
    assert account.phone is None and account.email is None
    account.set_password("dipasang-orang-12345")
    account.save()
    assert authenticate(username=account.username, password="dipasang-orang-12345") is None
    assert not Client().login(username=account.username, password="dipasang-orang-12345")


def test_the_service_account_has_the_tokens_role_and_organisation(api_token, agency):
    token, key = api_token(Role.AGENCY_STAFF, agency, name="Sistem PT A")
    assert token.user.role == Role.AGENCY_STAFF
    assert token.user.organisation == agency
    assert token.user.full_name == "API: Sistem PT A"
    assert token.user.username == f"api-{token.prefix}"


def test_a_role_must_fit_the_organisation(api_token, agency, office):
    with pytest.raises(ValidationError) as error:
        api_token(Role.AGENCY_STAFF, office)
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError):
        api_token(Role.PROGRAMME_MANAGER, agency)
    with pytest.raises(ValidationError):
        api_token(Role.CANDIDATE, office)


def test_a_token_lives_a_year_at_most(api_token):
    with pytest.raises(ValidationError) as error:
        api_token(days=400)
    assert "expires_at" in error.value.message_dict
    with pytest.raises(ValidationError):
        api_token(days=0)


def test_p3mi_staff_make_tokens_only_for_their_own_agency_and_role(agent, agency, agency_b):
    expires = timezone.now() + datetime.timedelta(days=30)
    token, _key = token_create(
        actor=agent, organisation=agency, role=Role.AGENCY_STAFF, name="ERP", expires_at=expires
    )
    assert token.organisation == agency
    with pytest.raises(PermissionDenied):
        token_create(
            actor=agent, organisation=agency_b, role=Role.AGENCY_STAFF, name="x", expires_at=expires
        )


def test_only_a_system_administrator_makes_a_system_administrator_token(manager, office):
    expires = timezone.now() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        token_create(
            actor=manager, organisation=office, role=Role.SYSADMIN, name="x", expires_at=expires
        )


def test_p3mi_staff_cannot_revoke_another_agencys_token(api_token, agent, agency_b):
    token, _key = api_token(Role.AGENCY_STAFF, agency_b)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=agent, token=token, reason="iseng")


def test_last_use_is_kept_at_most_once_a_minute(api_client, api_token, time_machine):
    token, key = api_token()
    client = api_client(key)
    client.get("/api/v1/changes/")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get("/api/v1/changes/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=2))
    client.get("/api/v1/changes/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_every_call_with_a_token_is_audited_naming_the_token(api_client, api_token):
    token, key = api_token()
    api_client(key).get("/api/v1/changes/?limit=5")
    row = AuditLog.objects.get(action="api.call")
    assert row.actor == token.user
    assert row.actor_label == "API: Integrasi uji"
    assert row.kind == AuditLog.Kind.VIEW
    assert row.reason == "GET /api/v1/changes/"
    assert row.changes == {"status": 200, "query": ["limit"]}


def test_calls_over_the_limit_get_429_with_retry_after(
    api_client, api_token, settings, time_machine
):
    # the count starts again each minute: stay inside one
    time_machine.move_to(timezone.now().replace(second=5), tick=False)
    settings.JALUR_API_TOKEN_RATE = 3
    token, key = api_token()
    other, other_key = api_token(name="Lain")
    client = api_client(key)
    statuses = [client.get("/api/v1/changes/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/changes/")
    assert int(response["Retry-After"]) == 55
    assert response.json()["detail"].startswith("Terlalu banyak permintaan")
    assert api_client(other_key).get("/api/v1/changes/").status_code == 200  # per token


def test_public_calls_are_limited_per_client_address(api_client, settings, time_machine):
    time_machine.move_to(timezone.now().replace(second=5), tick=False)
    settings.JALUR_API_PUBLIC_RATE = 2
    client = api_client()
    statuses = [client.get("/api/v1/public/agencies/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_messages_are_in_english_when_accept_language_asks(api_client):
    english = api_client(language="en-GB,en;q=0.9,id;q=0.5").get("/api/v1/changes/")
    assert english.status_code == 401
    assert english["Content-Language"] == "en"
    indonesian = api_client(language="id,en;q=0.5").get("/api/v1/changes/")
    assert indonesian["Content-Language"] == "id"
    assert indonesian.json()["detail"].startswith("Token API tidak ada")
    # a phone or browser set to English does not change the web pages, but the API says what
    # its caller asks for: no header at all is Indonesian
    assert api_client().get("/api/v1/changes/")["Content-Language"] == "id"


def test_a_field_message_follows_the_language():
    with translation.override("en"):
        assert validation_errors(
            NinjaValidationError([{"loc": ("body", "payload", "title"), "type": "missing"}])
        ) == [("title", "Required.")]


def test_a_validation_error_names_each_field(api_client):
    response = api_client().get("/api/v1/public/agencies/?limit=0&offset=-1")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Data tidak sah; lihat pesan per kolom."
    assert {"field": "limit", "message": "Paling kecil 1."} in body["errors"]
    assert {"field": "offset", "message": "Paling kecil 0."} in body["errors"]


@pytest.mark.parametrize(
    "path", ["/api/v1/tidak-ada/", "/api/v1/public/job-orders/%F0%B8%A2%A4%1E%0A%22/"]
)
def test_an_unknown_api_path_answers_json_404(api_client, path):
    response = api_client().get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Tidak ditemukan.", "errors": []}


def test_a_method_the_address_does_not_take_answers_405_in_the_error_shape(api_client):
    response = api_client().delete("/api/v1/public/agencies/")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {
        "detail": "Metode DELETE tidak dipakai di alamat ini; yang dipakai: GET.",
        "errors": [],
    }
    english = api_client(language="en").put("/api/v1/job-orders/")
    assert english.status_code == 405
    assert english["Content-Language"] == "en"
    assert english["Allow"] == "GET, POST"


def test_a_query_parameter_the_operation_does_not_take_is_refused(api_client):
    response = api_client().get("/api/v1/public/agencies/", {"qq": "PT A"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "qq", "message": "Operasi ini tidak memakai parameter ini."}
    ]


def test_a_query_parameter_sent_twice_is_refused(api_client):
    response = api_client().get("/api/v1/public/agencies/?q=a&q=b")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "q", "message": "Kirim parameter ini sekali saja."}
    ]

"""Every URL of the project, as every role and anonymously.

Generated from the URL configuration: a view without an `access` marker fails here, and every view
without URL arguments is requested by each role. Views that take an object are tested with objects of
another organisation in their own app's tests (and in the whole-project matrix of the security issue).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jalur.accounts.roles import CAPABILITIES

# The API answers to tokens, not sessions: its own matrix is jalur/api/tests/test_access.py.
SKIP_NAMESPACES = {"admin", "api"}
# api_not_found: the JSON 404 under /api/ (any path), tested with the API in jalur/api/tests.
SKIP_NAMES = {"set_language", "djdt", "api_not_found"}


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIP_NAMESPACES:
                continue
            yield from _walk(
                entry.url_patterns,
                f"{namespace}:{entry.namespace}" if namespace and entry.namespace else ns,
            )
        elif isinstance(entry, URLPattern):
            if entry.name in SKIP_NAMES:
                continue
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


ALL_VIEWS = list(_walk(get_resolver().url_patterns))
NO_ARG_VIEWS = [
    (name, p)
    for name, p in ALL_VIEWS
    if not p.pattern.converters and "<" not in str(p.pattern) and name
]


def test_every_view_declares_who_may_use_it():
    missing = [
        name for name, pattern in ALL_VIEWS if getattr(pattern.callback, "access", None) is None
    ]
    assert missing == [], f"views without @public/@login_only/@capability_required: {missing}"


def _allowed_roles(callback) -> set[str] | None:
    if callback.access == "capability":
        roles = set()
        for capability in callback.required_capabilities:
            roles |= CAPABILITIES[capability]
        return roles
    return None  # public or login: every role


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), NO_ARG_VIEWS, ids=[n for n, _ in NO_ARG_VIEWS])
def test_each_role_gets_exactly_what_it_may(name, pattern, client, client_for, role_users):
    url = reverse(name)
    callback = pattern.callback
    anonymous = client.get(url)
    if callback.access == "public":
        assert anonymous.status_code in (200, 302), name
    else:
        assert anonymous.status_code == 302 and "/masuk/" in anonymous["Location"], name
    allowed = _allowed_roles(callback)
    for role, user in role_users.items():
        status = client_for(user).get(url).status_code
        if allowed is None or role in allowed:
            assert status in (200, 302, 405), f"{name} as {role}: {status}"
        else:
            assert status == 403, f"{name} as {role}: {status}"
        client.logout()


SISKOP2MI_OBJECT_VIEWS = [
    "departure:siskop2mi",
    "departure:siskop2mi_file",
    "departure:siskop2mi_accept",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", SISKOP2MI_OBJECT_VIEWS)
def test_a_siskop2mi_reconciliation_is_for_the_office_only(name, client, client_for, role_users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jalur.departure.siskop2mi.services import reconciliation_create

    manager = role_users["programme_manager"]
    reconciliation = reconciliation_create(
        upload=SimpleUploadedFile("e.csv", b"NIK;Nama\n1234;Siti\n"), actor=manager
    )
    row = reconciliation.rows.get()
    url = reverse(name, args=[row.pk if name.endswith("_accept") else reconciliation.pk])
    method = "post" if name.endswith("_accept") else "get"
    assert getattr(client, method)(url).status_code == 302, name
    allowed = _allowed_roles(get_resolver().resolve(url).func)
    for role, user in role_users.items():
        status = getattr(client_for(user), method)(url).status_code
        assert (status == 403) == (role not in allowed), f"{name} as {role}: {status}"
        client.logout()

"""Passwords are hashed with Argon2id at OWASP's parameters (issue 20): 19 MiB, 2 iterations, 1 lane."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

import jalur.settings as configured
from jalur.accounts.models import User


@pytest.fixture(autouse=True)
def _real_hashers(settings):
    """The suite hashes with MD5 for speed (conftest.py); these tests use the configured list."""
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS


def test_the_configured_first_hasher_is_argon2id_at_owasp_parameters():
    assert configured.PASSWORD_HASHERS[0] == "jalur.accounts.hashers.OwaspArgon2PasswordHasher"


def test_new_hashes_use_owasp_parameters():
    encoded = make_password("kata-sandi-uji-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("kata-sandi-uji-2026", encoded)
    assert not check_password("salah", encoded)


@pytest.mark.django_db
def test_a_hash_made_with_djangos_defaults_still_logs_in_and_is_rewritten(client):
    old = Argon2PasswordHasher().encode("kata-sandi-lama-2026", Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in old
    user = User.objects.create(username="lama", role="candidate", password=old)
    assert (
        client.post("/masuk/", {"username": "lama", "password": "kata-sandi-lama-2026"}).status_code
        == 302
    )
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password

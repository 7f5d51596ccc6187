"""What jalur/settings.py computes with JALUR_ENV=production: where files go, and /healthz over HTTP.

settings.py is run in a fresh interpreter with the environment of each case, as a server starts it.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "jalur" / "settings.py"
NAMES = [
    "VAR_DIR",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "DATABASES",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
]
PRODUCTION = {"JALUR_ENV": "production", "SECRET_KEY": "p" * 50, "DEBUG": ""}


def _computed(settings_file: Path, **env) -> dict:
    """The values settings_file computes under `env` (and none of this process's Jalur settings)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JALUR_", "DJANGO_")) and k not in {"DATABASE_URL", "MEDIA_ROOT"}
    }
    clean.pop("STATIC_ROOT", None)
    code = (
        "import json, runpy, sys; ns = runpy.run_path(sys.argv[1]); "
        f"print(json.dumps({{k: ns.get(k) for k in {NAMES!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(settings_file)],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A stand-in checkout holding only jalur/settings.py, so ./var there is this test's own."""
    (tmp_path / "jalur").mkdir()
    shutil.copy(SETTINGS_FILE, tmp_path / "jalur" / "settings.py")
    return tmp_path


def _inside(path: str, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


def test_a_laptop_keeps_its_files_in_var_of_the_checkout(checkout):
    values = _computed(checkout / "jalur" / "settings.py")
    assert (checkout / "var").is_dir()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        assert _inside(values[name], checkout / "var"), name
    assert _inside(values["DATABASES"]["default"]["NAME"], checkout / "var")


def test_production_never_creates_or_uses_var_in_the_checkout(checkout):
    values = _computed(checkout / "jalur" / "settings.py", **PRODUCTION)
    assert not (checkout / "var").exists()
    for name in ("VAR_DIR", "MEDIA_ROOT", "STATIC_ROOT"):
        assert not _inside(values[name], checkout), (name, values[name])
    assert not _inside(values["DATABASES"]["default"]["NAME"], checkout)
    assert values["VAR_DIR"] == "/var/lib/jalur"


def test_production_takes_its_folders_from_the_environment(checkout, tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    values = _computed(
        checkout / "jalur" / "settings.py",
        **PRODUCTION,
        JALUR_VAR_DIR=str(var),
        MEDIA_ROOT=str(var / "uploads"),
    )
    assert values["VAR_DIR"] == str(var)
    assert values["MEDIA_ROOT"] == str(var / "uploads")
    assert values["STATIC_ROOT"] == str(var / "staticfiles")
    assert values["DATABASES"]["default"]["NAME"] == str(var / "jalur.sqlite3")
    assert not (checkout / "var").exists()


@pytest.mark.django_db
def test_healthz_answers_plain_http_in_production_while_pages_redirect_to_https(
    client, settings, tmp_path
):
    values = _computed(SETTINGS_FILE, **PRODUCTION, JALUR_VAR_DIR=str(tmp_path))
    assert values["SECURE_SSL_REDIRECT"] is True
    settings.SECURE_SSL_REDIRECT = values["SECURE_SSL_REDIRECT"]
    settings.SECURE_REDIRECT_EXEMPT = values["SECURE_REDIRECT_EXEMPT"] or []

    probe = client.get("/healthz")
    assert probe.status_code == 200, probe.get("Location")
    assert probe.json() == {"status": "ok"}
    page = client.get("/masuk/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")

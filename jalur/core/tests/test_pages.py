import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse

from jalur.accounts.models import User
from jalur.candidates.models import Candidate

ROOT = Path(__file__).resolve().parents[3]


def render(text, **context):
    return Template("{% load jalur %}" + text).render(Context(context))


def test_rupiah_is_written_the_indonesian_way():
    assert render("{{ v|rupiah }}", v=1500000) == "Rp 1.500.000"
    assert render("{{ v|rupiah }}", v="-25000") == "-Rp 25.000"
    assert render("{{ v|rupiah }}", v=None) == ""


def test_nik_is_masked_to_region_and_last_digits():
    assert render("{{ v|mask_nik }}", v="3673015705980001") == "3673••••••••0001"


@pytest.mark.django_db
class TestPages:
    def test_the_public_page_needs_no_login_and_is_in_indonesian(self, client):
        response = client.get(reverse("core:public_home"))
        assert response.status_code == 200
        assert 'lang="id"' in response.content.decode()

    def test_anonymous_home_goes_to_the_public_page(self, client):
        assert client.get("/").url == reverse("core:public_home")

    def test_staff_home_lists_the_menu_of_their_role(self, client_for, manager, agent):
        page = client_for(manager).get("/").content.decode()
        assert reverse("audit:list") in page
        page = client_for(agent).get("/").content.decode()
        assert reverse("audit:list") not in page

    def test_a_missing_page_is_a_friendly_indonesian_404(self, client):
        response = client.get("/tidak-ada/")
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in response.content.decode()

    def test_a_forbidden_page_is_a_friendly_indonesian_403(self, client_for, agent):
        response = client_for(agent).get(reverse("audit:list"))
        assert response.status_code == 403
        assert "tidak punya akses" in response.content.decode()

    def test_a_phone_set_to_english_still_gets_indonesian_until_the_person_switches(self, client):
        page = client.get(
            reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
        ).content.decode()
        assert "Masuk ke Jalur" in page

    def test_switching_to_english(self, client):
        client.post(reverse("set_language"), {"language": "en", "next": "/publik/"})
        page = client.get(reverse("accounts:login")).content.decode()
        assert "Log in to Jalur" in page

    def test_security_headers_are_set(self, client):
        response = client.get(reverse("accounts:login"))
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_forms_carry_a_csrf_token(self, client):
        assert "csrfmiddlewaretoken" in client.get(reverse("accounts:login")).content.decode()

    def test_posting_without_csrf_is_refused(self, manager):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = strict.post(
            reverse("accounts:login"), {"username": "manajer", "password": "rahasia-uji-123"}
        )
        assert response.status_code == 403

    def test_health_check(self, client):
        assert client.get("/healthz").json() == {"status": "ok"}

    def test_static_files_are_served_by_the_app_itself(self, client):
        page = client.get(reverse("accounts:login")).content.decode()
        assert "/static/css/jalur.css" in page and "/static/js/jalur.js" in page
        assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]
        for asset in ("/static/css/jalur.css", "/static/vendor/htmx.min.js", "/static/js/jalur.js"):
            response = client.get(asset)
            assert response.status_code == 200, asset
            response.close()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_covers_every_role():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    # the printed family code works on the public news form
    from jalur.protection.services import family_link_check

    code, secret = re.search(r"kode (KEL-\w+), kode rahasia (\w+)", out.getvalue()).groups()
    assert family_link_check(code=code, secret=secret) is not None
    counts = (User.objects.count(), Candidate.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), Candidate.objects.count()) == counts
    from jalur.accounts.roles import Role

    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Candidate.objects.values("stage").distinct().count() >= 5


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_with_the_default_secret(tmp_path):
    result = _manage(
        "check", JALUR_ENV="production", SECRET_KEY="", DEBUG="", JALUR_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        JALUR_ENV="production",
        SECRET_KEY="k" * 20 + "-x7Vq9#pL2mN8rT4wZ6yB1cD3fG5hJ0" + "s" * 10,
        ALLOWED_HOSTS="jalur.serangkota.go.id",
        DEBUG="",
        JALUR_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_the_cache_is_shared_by_every_process(settings):
    # The public forms' throttles count attempts in the cache: per-process memory would let each
    # app server and worker process count on its own.
    from django.core.cache import cache
    from django.db import connection

    backend = settings.CACHES["default"]["BACKEND"]
    assert "locmem" not in backend.lower()
    if backend.endswith("RedisCache"):  # REDIS_URL set: Redis is shared too
        return
    cache.set("jalur:shared", 7, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM jalur_cache")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_in_english_log_out_and_a_withdrawn_trainee_are_different_words(client_for, manager):
    """'Keluar' means both in Indonesian; the log-out button carries its own context."""
    from django.utils import translation

    from jalur.training.models import EnrolmentStatus

    client = client_for(manager)
    client.cookies["django_language"] = "en"
    manager.language = "en"
    manager.save()
    page = client.get("/").content.decode()
    assert ">Log out</button>" in page
    with translation.override("en"):
        assert str(EnrolmentStatus.WITHDRAWN.label) == "Withdrawn"

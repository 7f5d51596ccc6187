"""Cross-cutting security checks: production cookies, password hashing, CSRF on every form, escaping."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.urls import reverse

import jalur.settings as real_settings
from jalur.audit.services import audit_record
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.protection import services as protection
from jalur.protection.models import ReporterKind

ROOT = Path(__file__).resolve().parents[3]
PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def test_passwords_are_hashed_with_argon2(settings):
    assert real_settings.PASSWORD_HASHERS[0] == "jalur.accounts.hashers.OwaspArgon2PasswordHasher"
    settings.PASSWORD_HASHERS = (
        real_settings.PASSWORD_HASHERS
    )  # the suite uses a fast hasher elsewhere
    encoded = make_password("rahasia-kuat-2026")
    assert encoded.startswith("argon2$argon2id$") and check_password("rahasia-kuat-2026", encoded)


def test_production_cookies_are_secure_and_http_only(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        JALUR_ENV="production",
        SECRET_KEY="p" * 50,
        DEBUG="",
        JALUR_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="x.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split()[-5:] == ["True", "True", "True", "True", "True"], result.stderr


def _templates():
    return list(ROOT.joinpath("jalur").rglob("templates/**/*.html"))


def test_every_post_form_in_every_template_carries_a_csrf_token():
    missing = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(
            r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", text, flags=re.S | re.I
        ):
            if "{% csrf_token %}" not in match.group(1):
                missing.append(
                    f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
                )
    assert missing == []


def test_no_template_turns_off_escaping():
    offenders = [
        str(p.relative_to(ROOT))
        for p in _templates()
        if re.search(r"\|\s*safe\b|{%\s*autoescape\s+off", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_template_has_inline_script_or_style_attributes():
    offenders = []
    for p in _templates():
        text = p.read_text(encoding="utf-8")
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\sstyle=\"", text)
            or re.search(r"\son[a-z]+=\"", text)
        ):
            offenders.append(str(p.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
class TestEscaping:
    def test_a_script_in_a_family_grievance_is_shown_as_text(
        self, client, client_for, manager, agency
    ):
        grievance, secret = protection.grievance_open(
            reporter_kind=ReporterKind.FAMILY,
            reporter_name=PAYLOAD,
            reporter_relation=PAYLOAD[:50],
            reporter_phone="081211112222",
            worker_name=PAYLOAD,
            category="other",
            description=PAYLOAD,
            agency=agency,
        )
        protection.grievance_note(grievance=grievance, actor=manager, text=PAYLOAD, public=True)
        for page in (
            client_for(manager).get(reverse("protection:grievance_detail", args=[grievance.pk])),
            client_for(manager).get(reverse("protection:grievance_list")),
        ):
            body = page.content.decode()
            assert "<script>alert" not in body and "onerror=alert" not in body.replace(
                "onerror=alert(1)&gt;", ""
            )
            assert "&lt;script&gt;" in body
        client.logout()
        client.post(
            reverse("protection:public_grievance_track"),
            {"number": grievance.number, "secret": secret},
        )
        body = client.get(
            reverse("protection:public_grievance_status", args=[grievance.number])
        ).content.decode()
        assert "<script>alert" not in body and "&lt;script&gt;" in body

    def test_a_script_in_an_audit_reason_is_shown_as_text(self, client_for, manager):
        audit_record(
            actor=manager,
            action="x.y",
            target=manager,
            reason=PAYLOAD,
            changes={"name": [PAYLOAD, "ok"]},
        )
        body = client_for(manager).get(reverse("audit:list")).content.decode()
        assert "<script>alert" not in body and "&lt;script&gt;" in body

    def test_a_script_in_a_workers_name_is_escaped_on_the_monitoring_list(
        self, client_for, manager
    ):
        CandidateFactory(stage=Stage.DEPARTED, full_name=PAYLOAD[:200])
        body = client_for(manager).get(reverse("protection:monitoring")).content.decode()
        assert "<script>alert" not in body and "&lt;script&gt;" in body


@pytest.mark.django_db
class TestEscapingAcrossApps:
    def test_free_text_about_a_person_is_escaped_on_the_staff_and_own_pages(
        self, client_for, manager, candidate_user
    ):
        candidate = CandidateFactory(
            user=candidate_user,
            stage=Stage.REGISTERED,
            street=PAYLOAD[:200],
            work_experience=PAYLOAD,
            education_major=PAYLOAD[:100],
            emergency_relation=PAYLOAD[:50],
        )
        for user, url in (
            (manager, reverse("candidates:detail", args=[candidate.pk])),
            (candidate_user, reverse("candidates:me")),
        ):
            body = client_for(user).get(url).content.decode()
            assert "<script>alert" not in body and "<img src=x" not in body, url
            if user == manager:
                assert "&lt;script&gt;" in body, url  # the staff page shows the text, as text

    def test_job_order_text_is_escaped_on_the_public_register(self, client, agency):
        from jalur.departure.tests.conftest import make_agency, make_order

        order = make_order(make_agency(agency))
        order.description = PAYLOAD
        order.benefits = PAYLOAD
        order.employer_sector = PAYLOAD[:150]
        order.save()
        for url in (
            reverse("placement:public_orders"),
            reverse("placement:public_order", args=[order.pk]),
        ):
            body = client.get(url).content.decode()
            assert "<script>alert" not in body and "<img src=x" not in body, url

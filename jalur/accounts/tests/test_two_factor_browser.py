"""A verifier on a phone: enrolment on the first log-in (reads the secret shown, computes the
code as an authenticator app would), then later log-ins with a code and with a recovery code."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user):
    page.goto("/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "rahasia-uji-123")
    page.click("button[type=submit]")


def _code(secret: str, *, later: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, t0=-later):06d}"


def test_enrolment_then_a_code_then_a_recovery_code(phone_page, verifier, two_factor_on):
    page = phone_page
    _log_in(page, verifier)
    page.wait_for_url("**/akun/dua-langkah/**")
    expect(page.locator("h1")).to_contain_text("Pasang verifikasi dua langkah")
    expect(page.locator(".qr img")).to_be_visible()
    secret = page.locator("[data-otp-secret]").inner_text().replace(" ", "")
    page.fill("#id_code", _code(secret))
    page.click("button:has-text('Pasang')")
    expect(page.locator("h1")).to_contain_text("Kode pemulihan Anda")
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    expect(page.get_by_role("link", name="Unduh")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Sudah saya simpan, lanjut").click()
    expect(page.locator("h1")).to_contain_text("Selamat datang")

    # a later log-in: the code from the app (the next 30-second step: the first was used)
    page.context.clear_cookies()  # log out: a new session
    _log_in(page, verifier)
    page.wait_for_url("**/masuk/kode/**")
    page.fill("#id_code", _code(secret, later=30))
    page.click("button:has-text('Lanjut')")
    expect(page.locator("h1")).to_contain_text("Selamat datang")

    # and with a recovery code, which is then used up
    page.context.clear_cookies()  # log out: a new session
    _log_in(page, verifier)
    page.wait_for_url("**/masuk/kode/**")
    page.fill("#id_code", codes[0])
    page.click("button:has-text('Lanjut')")
    expect(page.locator(".messages")).to_contain_text("sisa 9")

"""The base layout in a real browser on a phone-sized screen."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_logs_in_on_a_phone_and_finds_the_menu(phone_page, manager):
    page = phone_page
    page.goto("/masuk/")
    assert page.locator("h1").inner_text() == "Masuk ke Jalur"
    page.fill("#id_username", manager.email)
    page.fill("#id_password", "rahasia-uji-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    assert "Selamat datang" in page.locator("h1").inner_text()
    page.click("summary")
    page.click("text=Jejak audit")
    page.wait_for_url("**/audit/")
    assert page.locator("table").is_visible()
    # the page fits a 360 px screen: nothing wider than the viewport except scrollable tables
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_a_wrong_password_shows_the_error_beside_the_form(phone_page, manager):
    page = phone_page
    page.goto("/masuk/")
    page.fill("#id_username", "manajer")
    page.fill("#id_password", "keliru")
    page.click("button[type=submit]")
    assert "kata sandi salah" in page.locator("[role=alert]").inner_text()

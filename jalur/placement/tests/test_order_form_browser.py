"""The job order form in Chromium on a phone: "Tambah baris biaya" adds rows and keeps what was
typed; Enter in a field still saves (it does not add rows)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_agency_adds_cost_rows_and_enter_still_saves(phone_page, agent, p3mi, pks):
    page = phone_page
    page.goto("/masuk/")
    page.fill("#id_username", agent.username)
    page.fill("#id_password", "rahasia-uji-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.goto("/penempatan/lowongan/baru/")
    rows = page.locator("[data-cost-line]")
    expect(rows).to_have_count(2)
    page.select_option("#id_cost-0-item", "ticket")
    page.fill("#id_cost-0-amount", "9.000.000")
    page.select_option("#id_cost-0-paid_by", "employer")
    page.get_by_role("button", name="Tambah baris biaya").click()
    expect(rows).to_have_count(5)
    expect(page.locator("#id_cost-0-amount")).to_have_value("9.000.000")
    expect(page.locator("#id_cost-0-paid_by")).to_have_value("employer")
    expect(page.locator(".errorlist-box")).to_have_count(0)
    assert not p3mi.orders.exists()
    # Enter in a field submits with the form's first button: save, which says what is missing
    page.locator("#id_cost-0-amount").press("Enter")
    expect(page.locator(".errorlist-box")).to_contain_text("Lowongan belum disimpan")
    expect(rows).to_have_count(5)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

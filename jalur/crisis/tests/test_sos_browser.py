"""The worker on a phone abroad: the emergency page fits 360 px, its numbers can be tapped to
call, and the button opens an urgent case the office sees first."""

import pytest
from playwright.sync_api import expect

from jalur.crisis.models import UrgentCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_taps_the_emergency_button_on_a_phone(phone_page, worker, candidate_user):
    page = phone_page
    page.goto("/masuk/")
    page.fill("#id_username", candidate_user.email)
    page.fill("#id_password", "rahasia-uji-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.goto("/darurat/saya/")
    expect(page.locator("a[href='tel:+818035068612']")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("textarea[name=words]", "Majikan menahan paspor saya")
    page.get_by_role("button", name="Saya butuh bantuan darurat").click()
    expect(page.locator("body")).to_contain_text("Permintaan bantuan Anda sudah diterima")
    case = UrgentCase.objects.get(candidate=worker)
    assert case.opened_via == UrgentCase.Via.WEB and "paspor" in case.words

"""The monthly check-in on a 360 px phone: each yes/no pair on one line (shorter to scroll on a
cheap phone), nothing wider than the screen, and the emergency button within reach."""

import pytest
from playwright.sync_api import expect

from .test_checkins import worker  # noqa: F401 - the fixture: a worker placed by `agency`

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_yes_no_answers_sit_side_by_side_on_a_phone(
    phone_page,
    worker,  # noqa: F811
    candidate_user,
):
    page = phone_page
    page.goto("/masuk/")
    page.fill("#id_username", candidate_user.email)
    page.fill("#id_password", "rahasia-uji-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.goto("/pelindungan/saya/kabar/")
    questions = page.locator("fieldset.choices:has(input.yes-no)")
    assert questions.count() == 5
    for i in range(questions.count()):
        yes, no = questions.nth(i).locator("label").all()
        yes_box, no_box = yes.bounding_box(), no.bounding_box()
        assert abs(yes_box["y"] - no_box["y"]) < 2  # one line
        assert no_box["x"] > yes_box["x"] + yes_box["width"]  # "Tidak" right of "Ya"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.get_by_role("link", name="Saya butuh bantuan darurat")).to_be_visible()

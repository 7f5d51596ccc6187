"""The manager on a phone: the home page's count leads to the list of people waiting for a
pathway, the suggestions are preselected, and one tap assigns them all."""

import pytest
from playwright.sync_api import expect

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, PathwayAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_goes_from_the_home_count_to_every_pathway_assigned(phone_page, manager):
    for n in range(3):
        person = CandidateFactory(
            stage=Stage.TRAINED, preferred_countries=["JP"], full_name=f"Lulusan {n}"
        )
        person.preferred_job_types.set(JobType.objects.filter(code="caregiver"))
    page = phone_page
    page.goto("/masuk/")
    page.fill("#id_username", manager.email)
    page.fill("#id_password", "rahasia-uji-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.get_by_text("Lulus pelatihan, menunggu penetapan skema").click()
    page.wait_for_url("**/skema/menunggu/")
    expect(page.locator("select[name^=pathway-] option[selected]")).to_have_count(3)
    page.get_by_role("button", name="Tetapkan skema untuk yang dicentang").click()
    expect(page.locator("body")).to_contain_text("Skema ditetapkan untuk 3 orang")
    assert PathwayAssignment.objects.filter(is_active=True).count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_public_pathway_page_fits_a_phone(phone_page):
    """The job types × open pathways table stacks at 360 px instead of running off the screen."""
    page = phone_page
    page.goto("/skema/publik/")
    expect(page.locator("table.stack")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    wrap_fits = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth)"
    )
    assert wrap_fits

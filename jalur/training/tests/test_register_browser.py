"""The attendance register in a real browser on a 360 px phone: tap the absent, HTMX saves it."""

import pytest
from playwright.sync_api import expect

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.training.models import Attendance
from jalur.training.services import enrolment_create

from .factories import CohortFactory, ProviderFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainer_taps_one_absent_on_a_phone_and_everyone_else_is_saved_present(
    phone_page, trainer, provider, manager
):
    cohort = CohortFactory(provider=ProviderFactory(organisation=provider), capacity=30)
    trainees = [
        enrolment_create(
            cohort=cohort,
            candidate=CandidateFactory(stage=Stage.VERIFIED, full_name=f"Peserta {n:02d}"),
            actor=manager,
        )
        for n in range(30)
    ]
    session = SessionFactory(cohort=cohort)
    page = phone_page
    page.goto("/masuk/")
    page.fill("#id_username", trainer.email)
    page.fill("#id_password", "rahasia-uji-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.goto(f"/pelatihan/sesi/{session.pk}/absensi/")
    assert page.locator(".reg-row").count() == 30
    target = trainees[4]
    row = page.locator(f"#row-{target.pk}")
    with page.expect_response(lambda r: "/absensi/" in r.url and r.request.method == "POST"):
        row.locator("label.seg-absent").click()
    # A locator assertion, not wait_for_function: a string predicate is run through eval, which
    # the Content-Security-Policy (script-src 'self') forbids.
    expect(page.locator(f"#row-{target.pk}")).to_contain_text("✓")
    statuses = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert statuses[target.pk] == "absent"
    assert len(statuses) == 30 and list(statuses.values()).count("present") == 29
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

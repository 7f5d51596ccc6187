"""The verification page in a real browser: rejecting a document, then choosing "back for
correction", fills the "what to fix" box with that document and its reason."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Serang-Maju-2026"


def test_a_rejected_document_fills_the_correction_list(phone_page, submitted, verifier):
    verifier.set_password(PASSWORD)
    verifier.save()
    page = phone_page
    page.goto("/masuk/")
    page.fill("#id_username", verifier.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"/pencaker/verifikasi/{submitted.pk}/")
    kk = submitted.documents.get(document_type__code="kk")
    row = page.locator(f"#doc-row-{kk.document_type_id}")
    row.locator("input[name=reason]").fill("Foto KK buram, halaman terpotong")
    row.locator("button[name=accept][value='0']").click()
    expect(page.locator(f"#doc-row-{kk.document_type_id}")).to_contain_text("Ditolak")
    page.locator("input[name=decision][value=correction]").check()
    expect(page.locator("textarea[name=items]")).to_have_value(
        "Kartu Keluarga: Foto KK buram, halaman terpotong"
    )

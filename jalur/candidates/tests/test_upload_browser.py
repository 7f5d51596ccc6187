"""The documents step in a real browser on a phone: a file over the size limit is stopped before it
is sent (no mobile data spent on it), with the server's own message."""

import pytest
from playwright.sync_api import expect

from jalur.candidates.models import DocumentType

from .conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Serang-Maju-2026"


def test_a_pdf_over_the_limit_is_stopped_before_it_is_sent(phone_page, registering, settings):
    settings.JALUR_MAX_UPLOAD_BYTES = 1_048_576
    registering.user.set_password(PASSWORD)
    registering.user.save()
    page = phone_page
    page.goto("/masuk/")
    page.fill("#id_username", registering.user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto("/pencaker/daftar/dokumen/")
    skck = DocumentType.objects.get(code="skck")
    card = page.locator(f"#doc-{skck.code}")
    file_input = card.locator("input[type=file]")
    big = {"name": "skck.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(b" " * 1_400_000)}
    file_input.set_input_files(big)
    expect(card.locator(".size-error")).to_contain_text(
        "Berkas terlalu besar (1.3 MB). Batasnya 1 MB"
    )
    expect(card.locator("button[type=submit]")).to_be_disabled()

    small = {"name": "skck.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    file_input.set_input_files(small)
    expect(card.locator(".size-error")).to_have_count(0)
    expect(card.locator("button[type=submit]")).to_be_enabled()

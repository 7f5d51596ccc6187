"""Self-registration on a 360 px phone, counted in taps, as a person with a cheap phone does it:
the date of birth is 17 August 1995, the person wants to work in Korea and would first take a
caregiver's job (whose legal pathways lead only to Japan), else industrial work.

How taps are counted (`Taps`): putting the cursor in an empty text field is one tap (typing is
keys, not taps; a field the form already filled in is not touched); a drop-down list is two (open,
pick); a box, a round button, a button or a link is one; a document is three (open the chooser,
pick the photo, Unggah). A browser's own date picker (`type="date"`, the field before the date
was typed) opens on today: open it, tap the year at its top, swipe the year list (one swipe per
twelve years), tap the year, tap the month arrows from this month to the month of birth, tap
the day, tap OK, as Chrome's picker on Android asks.

The figures are printed (pytest -s). Before the date was typed and the job types were offered by
country the form took 42 taps and sending it 3 more (on 7 December 2026); after, 28 and 3; the budget is 31."""

import datetime
import math

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jalur.candidates.models import Candidate, DocumentType
from jalur.candidates.stages import Stage
from jalur.pathways.models import JobType

from .conftest import CIPARE, jpeg_bytes, registration_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Serang-Maju-2026"
BIRTH = datetime.date(1995, 8, 17)


class Taps:
    def __init__(self, page):
        self.page = page
        self.count = 0

    def text(self, selector: str, value: str) -> None:
        field = self.page.locator(selector)
        if field.input_value():
            return  # filled in already (the name from the account)
        self.count += 1
        field.click()
        field.fill(value)

    def date(self, selector: str, day: datetime.date) -> None:
        field = self.page.locator(selector)
        if field.get_attribute("type") == "date":
            today = timezone.localdate()
            swipes = math.ceil((today.year - day.year) / 12)
            self.count += 1 + 1 + swipes + 1 + abs(today.month - day.month) + 1 + 1
            field.fill(day.isoformat())
        else:
            self.count += 1
            field.click()
            field.fill(day.strftime("%d%m%Y"))  # typed on the number pad, no dashes

    def select(self, selector: str, value: str) -> None:
        self.count += 2
        self.page.select_option(selector, value)

    def tick(self, selector: str, on: bool = True) -> None:
        self.count += 1
        self.page.locator(selector).set_checked(on)

    def press(self, name: str) -> None:
        self.count += 1
        self.page.get_by_role("button", name=name, exact=True).click()

    def link(self, selector: str) -> None:
        self.count += 1
        self.page.click(selector)

    def document(self, section, content: bytes, name: str) -> None:
        self.count += 3
        section.locator("input[type=file]").set_input_files(
            {"name": name, "mimeType": "image/jpeg", "buffer": content}
        )
        section.locator("button[type=submit]").click()


def test_registration_on_a_phone_takes_at_most_31_taps_besides_the_documents(phone_page, capsys):
    data = registration_data(birth_date=BIRTH, sex="P", serial=77)
    page = phone_page
    taps = Taps(page)
    page.goto("/pencaker/daftar/")
    taps.text("#id_full_name", data["full_name"])
    taps.text("#id_phone", data["phone"])
    taps.text("#id_password", PASSWORD)
    taps.text("#id_password_again", PASSWORD)
    taps.press("Buat akun dan lanjutkan")

    page.wait_for_url("**/pencaker/daftar/identitas/")
    taps.text("#id_nik", data["nik"])
    taps.text("#id_kk_number", data["kk_number"])
    taps.text("#id_full_name", data["full_name"])
    taps.text("#id_birth_place", data["birth_place"])
    taps.date("#id_birth_date", BIRTH)
    taps.tick("input[name=sex][value=P]")
    taps.select("#id_marital_status", data["marital_status"])
    taps.press("Simpan dan lanjut")

    page.wait_for_url("**/pencaker/daftar/alamat/")
    taps.select("#id_village", CIPARE)
    taps.text("#id_rt", data["rt"])
    taps.text("#id_rw", data["rw"])
    taps.text("#id_street", data["street"])
    taps.text("#id_phone", data["phone"])
    taps.text("#id_emergency_name", data["emergency_name"])
    taps.text("#id_emergency_relation", data["emergency_relation"])
    taps.text("#id_emergency_phone", data["emergency_phone"])
    taps.press("Simpan dan lanjut")

    page.wait_for_url("**/pencaker/daftar/pendidikan/")
    taps.select("#id_education_level", data["education_level"])
    taps.press("Simpan dan lanjut")

    page.wait_for_url("**/pencaker/daftar/minat/")
    caregiver = JobType.objects.get(code="caregiver")
    industrial = JobType.objects.get(code="industrial")
    taps.tick("input[name=preferred_countries][value=KR]")
    first_choice = page.locator(f"input[name=preferred_job_types][value='{caregiver.pk}']")
    refused = False
    if first_choice.is_visible():
        taps.tick(f"input[name=preferred_job_types][value='{caregiver.pk}']")
        taps.press("Simpan dan lanjut")
        expect(page.locator(".errorlist-box")).to_contain_text("hanya ada jalur resmi ke Jepang")
        refused = True
        taps.tick(f"input[name=preferred_job_types][value='{caregiver.pk}']", on=False)
    taps.tick(f"input[name=preferred_job_types][value='{industrial.pk}']")
    taps.press("Simpan dan lanjut")

    page.wait_for_url("**/pencaker/daftar/dokumen/")
    form_taps = taps.count
    for doc_type in DocumentType.objects.filter(required=True).order_by("pk"):
        taps.document(page.locator(f"#doc-{doc_type.code}"), jpeg_bytes(), f"{doc_type.code}.jpg")
        expect(page.locator(".messages")).to_contain_text(f"{doc_type.name} tersimpan.")
    document_taps = taps.count - form_taps
    taps.link("a.btn:has-text('Lanjut')")
    page.wait_for_url("**/pencaker/daftar/persetujuan/")
    taps.tick("#id_agree")
    taps.press("Setuju dan kirim pendaftaran")
    page.wait_for_url("**/pencaker/saya/")
    consent_taps = taps.count - form_taps - document_taps
    with capsys.disabled():
        print(
            f"\nregistration taps: form {form_taps} (job type refused first: {refused}), "
            f"documents {document_taps}, sending {consent_taps}, total {taps.count}"
        )

    candidate = Candidate.objects.get(nik=data["nik"])
    assert candidate.stage == Stage.REGISTERED
    assert candidate.birth_date == BIRTH
    assert list(candidate.preferred_job_types.all()) == [industrial]
    assert not refused, "a job type that goes to none of the countries ticked was offered"
    assert form_taps + consent_taps <= 31

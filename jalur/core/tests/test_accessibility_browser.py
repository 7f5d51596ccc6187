"""WCAG 2.1 AA on a cheap phone, held by the test suite: axe-core (vendored, see vendor/README.md)
and a reflow check over every page the people of the journey test reach.

The journey of `test_journey_browser.py` runs again here with each person's page wrapped: every page
they arrive at (`goto`, `wait_for_url`) is checked once, as it is at that moment of the journey (the
registration steps empty, the checklist before departure), then the home page of each person, the
pages the journey ends on, the public pages and the leadership dashboard. Each page: axe at 360 and
1280 px (fails on a serious or critical violation of a WCAG 2.1 A/AA rule), tap targets at 360 px
(buttons, fields, menus and choice labels at least 44 × 44 px), and reflow at 200 % zoom on a 360 px
phone (180 CSS px) and at 320 px (fails when the page scrolls sideways or something is cut off past
the left edge). All problems are listed together at the end, page by page.

JALUR_A11Y_REPORT=path.json writes the counts recorded in docs/benchmarks.md (every impact)."""

import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jalur.candidates.models import DocumentType
from jalur.candidates.stages import Stage
from jalur.candidates.tests.conftest import registration_data
from jalur.candidates.tests.factories import CandidateFactory
from jalur.core.tests import test_journey_browser as journey
from jalur.core.tests.a11y import AXE_VERSION, Audit, AuditedPage, axe_violations
from jalur.core.views import ACCESSIBILITY_TESTED
from jalur.placement.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

open_page = journey.open_page  # the journey's fixture: one browser context per person


def test_every_page_of_the_journey_passes_axe_and_reflows(
    phone_page, open_page, verifier, manager, trainer, provider, agent, agency, leader
):
    audit = Audit()
    people = {}

    def audited_open(name):
        people[name] = AuditedPage(open_page(name), name, audit)
        return people[name]

    people["candidate"] = AuditedPage(phone_page, "candidate", audit)
    journey.test_a_job_seeker_goes_from_registration_to_departure_and_the_family_is_heard(
        phone_page=people["candidate"],
        open_page=audited_open,
        verifier=verifier,
        manager=manager,
        trainer=trainer,
        provider=provider,
        agent=agent,
        agency=agency,
    )
    # where each person's journey ended (the family's "complaint received", …), then their home
    for who, page in people.items():
        audit.check(page._page, who)
        page.goto("/")
    people["agent"].goto(
        reverse("placement:application_detail", args=[Application.objects.get().pk])
    )
    public = people["public"]
    public.goto(reverse("core:public_home"))
    public.goto(reverse("core:accessibility"))
    board = audited_open("leader")
    journey.login(board, leader)
    board.goto(reverse("reports:dashboard"))

    if os.environ.get("JALUR_A11Y_REPORT"):
        audit.write_summary(os.environ["JALUR_A11Y_REPORT"])
    audit.assert_clean()
    # the accessibility statement says what was tested
    assert ACCESSIBILITY_TESTED["axe"] == AXE_VERSION
    assert audit.pages >= ACCESSIBILITY_TESTED["pages"], sorted(path for _w, path in audit.seen)


def test_a_refused_step_says_so_in_the_title_and_takes_the_focus_to_the_errors(phone_page):
    """A screen reader hears what went wrong first: the title starts with "Perbaiki", the focus is
    on the summary, and each refused question is marked invalid and described by its error."""
    page = phone_page
    data = registration_data()
    page.goto("/pencaker/daftar/")
    page.fill("#id_full_name", data["full_name"])
    page.fill("#id_phone", data["phone"])
    page.fill("#id_password", journey.CANDIDATE_PASSWORD)
    page.fill("#id_password_again", journey.CANDIDATE_PASSWORD)
    journey.press(page, "Buat akun dan lanjutkan")
    page.wait_for_url("**/pencaker/daftar/identitas/")
    assert not page.title().startswith("Perbaiki")
    page.fill("#id_nik", "12345")  # too short
    journey.press(page, "Simpan dan lanjut")

    expect(page.locator(".errorlist-box")).to_be_focused()
    assert page.title().startswith("Perbaiki: ")
    nik = page.locator("#id_nik")
    expect(nik).to_have_attribute("aria-invalid", "true")
    expect(nik).to_have_accessible_description(
        re.compile(r"^16 angka, lihat KTP atau Kartu Keluarga\. \S.*16")  # the help, then the error
    )
    # the summary links to the field
    page.locator(".errorlist-box a[href='#id_nik']").click()
    expect(nik).to_be_focused()
    # the choice questions are groups named by their question, and say which are required
    expect(page.get_by_role("group", name="Jenis kelamin")).to_be_visible()
    expect(page.get_by_role("textbox", name="NIK (wajib)")).to_be_visible()
    assert [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")] == []


def test_the_checks_catch_what_they_are_for(phone_page, caplog):
    """The audit fails, naming rule, impact and element, on the statement page with faults put in
    by hand: a pill that cannot wrap, a menu that opens past the left edge, an image without a text
    and a field without a label (axe, critical), and a 20 px button."""
    page = phone_page
    page.goto(reverse("core:accessibility"))
    # a favicon is linked and served (without one Chromium asks for /favicon.ico: a 404), and the
    # page has a description
    icons = page.locator("link[rel=icon]")
    expect(icons).to_have_count(2)
    for n in range(2):
        assert page.request.get(icons.nth(n).get_attribute("href")).ok
    page.wait_for_load_state("networkidle")
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == []
    assert page.locator("meta[name=description]").get_attribute("content")
    clean = Audit()
    clean.check(page, "public")
    clean.assert_clean()
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.style.position = "relative";
          const pill = document.createElement("span");
          pill.className = "tag"; pill.style.whiteSpace = "nowrap";
          pill.textContent = "perkebunan/pertanian perkebunan/pertanian";
          main.querySelector("h1").after(pill);
          const menu = document.createElement("nav");
          menu.id = "wide-menu"; menu.textContent = "Menu";
          menu.style.position = "absolute"; menu.style.right = "0"; menu.style.width = "400px";
          main.appendChild(menu);
          main.insertAdjacentHTML("beforeend",
            '<img id="no-alt" src="/static/favicon.png"><input id="no-label" type="text"><button id="tiny">x</button>');
          document.getElementById("tiny").style.cssText = "min-height:0;padding:0;width:20px;height:20px";
        }"""
    )
    faulty = Audit()
    faulty.check(page, "public")
    with pytest.raises(AssertionError) as failure:
        faulty.assert_clean()
    message = str(failure.value)
    assert "/aksesibilitas/ as public, axe at 360 px" in message
    assert "critical image-alt" in message and "#no-alt" in message
    assert "critical label" in message and "#no-label" in message
    assert "tap targets under 44 × 44 px" in message and "button#tiny 20×20" in message
    assert "reflow at 200 % zoom on 360 px" in message and "reflow at 320 px" in message
    assert "span.tag +" in message and "“perkebunan/pertanian" in message
    assert "nav#wide-menu +" in message and "px left" in message


def test_each_upload_is_named_by_its_document(phone_page, candidate_user):
    """Nine "Pilih berkas atau foto" fields and nine "Unggah" buttons: a screen reader hears which
    document each one is for."""
    CandidateFactory(user=candidate_user, stage=Stage.REGISTERING)
    page = phone_page
    page.goto("/masuk/")
    page.fill("#id_username", candidate_user.username)
    page.fill("#id_password", journey.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/pencaker/saya/")
    page.goto("/pencaker/daftar/dokumen/")
    types = list(DocumentType.objects.filter(is_active=True))
    assert len(types) >= 9
    for doc_type in types:
        card = page.locator(f"#doc-{doc_type.code}")
        wajib = r" \(wajib\)" if doc_type.required else ""
        name = re.escape(doc_type.name)  # Chromium puts a space before the unseen ": name"
        expect(card.locator("input[type=file]")).to_have_accessible_name(
            re.compile(rf"^Pilih berkas atau foto ?: {name}{wajib}$")
        )
        button = card.locator("button[type=submit]")
        expect(button).to_have_accessible_name(re.compile(rf"^Unggah ?: {name}$"))
        assert button.bounding_box()["height"] >= 44

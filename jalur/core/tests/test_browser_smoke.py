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


def _phone_sheet(live_server, body: str) -> str:
    """A page with the shared stylesheet and script around `body` (the real templates' markup)."""
    return (
        '<!doctype html><html lang="id" data-scroll-hint="Geser tabel ke samping">'
        '<head><meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="{live_server.url}/static/css/jalur.css">'
        f'<script src="{live_server.url}/static/js/jalur.js" defer></script></head>'
        f'<body><main class="container"><section class="card">{body}</section></main></body></html>'
    )


def test_the_registration_steps_and_checklist_links_are_big_enough_to_tap(phone_page, live_server):
    from django.template.loader import render_to_string

    from jalur.candidates.views.registration import STEPS

    steps = [
        {"slug": slug, "label": f"Langkah {slug}", "current": i == 1}
        for i, (slug, _section) in enumerate(STEPS)
    ]
    nav = render_to_string(
        "candidates/_step_nav.html",
        {"steps": steps, "step_number": 2, "step_count": len(steps), "candidate": True},
    )
    checklist = render_to_string(
        "candidates/_checklist.html",
        {
            "checklist": [
                {"label": "Data diri", "done": True, "url": "/a/"},
                {"label": "Alamat", "done": False, "url": "/b/", "detail": "Isi kecamatan"},
                {"label": "Dokumen", "done": False, "url": "/c/"},
            ]
        },
    )
    page = phone_page
    page.set_content(_phone_sheet(live_server, nav + checklist))
    page.wait_for_load_state("load")
    for selector in (".stepnav-list a", ".checklist a"):
        boxes = [link.bounding_box() for link in page.locator(selector).all()]
        assert boxes, selector
        assert all(box["height"] >= 44 for box in boxes), (selector, boxes)
        tops = [box["y"] for box in boxes]
        assert len(set(tops)) == len(tops), f"{selector}: one link per row"
    # the ✓ / ○ mark sits in the item's own left padding, never over its text (done or not)
    pads = page.evaluate(
        "[...document.querySelectorAll('.checklist li')]"
        ".map(li => parseFloat(getComputedStyle(li).paddingLeft))"
    )
    assert len(pads) == 3 and all(pad >= 20 for pad in pads), pads


def test_a_table_wider_than_the_phone_says_it_scrolls_sideways(phone_page, live_server):
    cells = "".join(f"<td>kolom-yang-cukup-panjang-{i}</td>" for i in range(6))
    wide = f'<div class="table-wrap" id="wide"><table><tr>{cells}</tr></table></div>'
    narrow = (
        '<div class="table-wrap" id="narrow"><table><tr><td>1</td><td>2</td></tr></table></div>'
    )
    page = phone_page
    page.set_content(_phone_sheet(live_server, wide + narrow))
    page.wait_for_load_state("load")
    hints = page.locator(".scroll-hint")
    expect_count = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')]"
        ".map(w => w.previousElementSibling?.className === 'scroll-hint')"
    )
    assert expect_count == [True, False]
    assert hints.first.is_visible() and hints.first.inner_text() == "Geser tabel ke samping"
    # without JavaScript the edge of a wide table is shaded: the wrapper draws background shadows
    background = page.evaluate("getComputedStyle(document.getElementById('wide')).backgroundImage")
    assert "gradient" in background


def test_a_comparison_table_stacks_on_a_phone(phone_page, live_server):
    """The offer's terms beside the job order's: every figure visible at 360 px, no sideways
    scrolling, each under its column's name."""
    cell = "JPY 215.000 per bulan, kontrak 36 bulan, jabatan operator mesin CNC"
    table = (
        '<div class="table-wrap" id="offer"><table class="stack"><thead><tr><th></th>'
        "<th>Tawaran ini</th><th>Lowongan yang disetujui Disnakertrans</th></tr></thead>"
        f'<tbody><tr><th scope="row">Gaji</th><td data-label="Tawaran ini">{cell}</td>'
        f'<td data-label="Lowongan yang disetujui Disnakertrans">{cell}</td></tr></tbody>'
        "</table></div>"
    )
    page = phone_page
    page.set_content(_phone_sheet(live_server, table))
    page.wait_for_load_state("load")
    fits = page.evaluate(
        "(() => { const w = document.querySelector('#offer'); return w.scrollWidth <= w.clientWidth; })()"
    )
    assert fits
    label = page.evaluate(
        "getComputedStyle(document.querySelector('td[data-label]'), '::before').content"
    )
    assert "Tawaran ini" in label

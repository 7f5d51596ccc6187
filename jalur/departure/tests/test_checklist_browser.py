"""The checklist at the scale of the programme, counted in a real browser (issue 17): every click
and submit a person makes is one action; typing into a field is counted apart.

- the office reviews one worker's complete checklist from its work list: open the review page,
  submit (target: at most 2 actions);
- the office reviews a whole departure group: open the group's review grid, submit;
- a P3MI prepares a group's checklists: the shared facts once, then one page per document kind
  with a row per member. The number of actions does not depend on the group's size; the typing
  per member is what each person's own documents need.

A group of 3 stands for the 40 of a flight. The figures are printed (`-s`) for docs/benchmarks.md."""

import pytest
from playwright.sync_api import expect

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure import services
from jalur.departure.items import ITEM_TYPES, SHARED_FIELDS
from jalur.departure.models import ChecklistItem, ItemStatus

from .conftest import DEPARTURE, GOOD, accept, make_agency, make_order
from .test_checklist import PDF
from .test_review import submit_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-uji-123"  # the user factory's
SIZE = 3


class Counter:
    """Clicks and submits (actions) and fields typed, as a person makes them."""

    def __init__(self, page):
        self.page, self.actions, self.typed = page, 0, 0

    def click(self, selector):
        self.actions += 1
        self.page.click(selector)

    def fill(self, selector, value):
        self.typed += 1
        self.page.fill(selector, value)

    def check(self, selector):
        self.typed += 1
        self.page.check(selector)

    def select(self, selector, value):
        self.typed += 1
        self.page.select_option(selector, value)

    def upload(self, selector, name="dokumen.pdf"):
        self.typed += 1
        self.page.set_input_files(
            selector, files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
        )


def log_in(page, user):
    page.goto("/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/masuk/" not in url)


# What each member's own row needs, per document kind (the shared facts were entered once).
def own_fields(code: str, case) -> dict:
    n = case.candidate_id
    values = {
        "passport": {
            "number": f"C{3000000 + n}",
            **{k: GOOD["passport"][k] for k in ("issued_on", "valid_until")},
        },
        "medical": {k: GOOD["medical"][k] for k in ("examined_on", "fit", "valid_until")},
        "psychological": {k: GOOD["psychological"][k] for k in ("examined_on", "fit")},
        "bpjs": {
            **{k: v for k, v in GOOD["bpjs"].items() if k not in ("jkk", "jkm")},
            "membership_number": f"BPJS-{n}",
            "jkk": True,
            "jkm": True,
        },
        "coe": {"number": f"COE-{n}", "issued_on": GOOD["coe"]["issued_on"]},
        "visa": {"number": f"V-{n}", **{k: GOOD["visa"][k] for k in ("issued_on", "valid_until")}},
        "e_pmi": {"id_pmi": f"IDPMI-{n}", "e_pmi": f"EPMI-{n}"},
        "skck": {"number": f"SKCK-{n}", "valid_until": GOOD["skck"]["valid_until"]},
        "family_permission": {"signed_by": f"Ibu {n}", "relation": "ibu"},
    }
    return values.get(code, {})


def test_the_checklist_at_scale_counted_in_actions(phone_page, agency, agent, manager):
    p3mi = make_agency(agency)
    order = make_order(p3mi, positions=SIZE + 2, reference="JO-HITUNG")
    group = services.group_create(
        agency=p3mi, country="JP", departs_on=DEPARTURE, flight="GA 874", airport="CGK", actor=agent
    )
    members = [
        services.case_open(
            application=accept(order, candidate=CandidateFactory(stage=Stage.PRE_DEPARTURE)),
            actor=agent,
        )
        for _ in range(SIZE)
    ]
    services.group_set_members(group=group, cases=members, actor=agent)
    page = phone_page
    page.set_viewport_size({"width": 1280, "height": 900})  # an office desk, not a phone

    # --- the P3MI prepares the group -------------------------------------------------------
    log_in(page, agent)
    page.goto(f"/keberangkatan/rombongan/{group.pk}/")
    p3mi_user = Counter(page)
    p3mi_user.click("text=Siapkan daftar periksa rombongan")
    shared_typed = 0
    shared = {
        "employment_contract-signed_on": GOOD["employment_contract"]["signed_on"],
        "placement_agreement-signed_on": GOOD["placement_agreement"]["signed_on"],
        "opp-held_on": GOOD["opp"]["held_on"],
        "opp-place": GOOD["opp"]["place"],
        "medical-clinic": GOOD["medical"]["clinic"],
        "psychological-clinic": GOOD["psychological"]["clinic"],
    }
    for name, value in shared.items():
        p3mi_user.fill(f"#bersama_{name}", value)
        shared_typed += 1
    p3mi_user.click("#bersama button[type=submit]")
    expect(page.locator("body")).to_contain_text("Keterangan bersama tersimpan")
    codes = list(dict.fromkeys(members[0].items.values_list("code", flat=True)))
    page_codes = [
        code
        for code in codes
        if ITEM_TYPES[code].needs_document
        or {f.name for f in ITEM_TYPES[code].fields} - set(SHARED_FIELDS.get(code, ()))
    ]
    own_typed = 0
    for code in page_codes:
        p3mi_user.click(f"a[href='/keberangkatan/rombongan/{group.pk}/siapkan/{code}/']")
        for case in members:
            for name, value in own_fields(code, case).items():
                selector = f"#c{case.pk}-{name}"
                if value is True:
                    p3mi_user.check(selector)
                elif ITEM_TYPES[code].fields and any(
                    f.name == name and f.kind == "choice" for f in ITEM_TYPES[code].fields
                ):
                    p3mi_user.select(selector, value)
                else:
                    p3mi_user.fill(selector, value)
                own_typed += 1
            if ITEM_TYPES[code].needs_document:
                p3mi_user.upload(f"#c{case.pk}-document")
                own_typed += 1
        p3mi_user.click("#per-orang button[type=submit]")
        expect(page.locator("body")).to_contain_text("menunggu pemeriksaan Disnakertrans")
    items = ChecklistItem.objects.filter(case__in=members)
    assert set(items.values_list("status", flat=True)) == {ItemStatus.SUBMITTED}
    prepare_actions = p3mi_user.actions
    page.context.clear_cookies()

    # --- the office reviews one worker's complete checklist --------------------------------
    single = services.case_open(
        application=accept(order, candidate=CandidateFactory(stage=Stage.PRE_DEPARTURE)),
        actor=agent,
    )
    submit_all(single, agent)
    log_in(page, manager)
    page.goto("/keberangkatan/?butir=submitted")
    office = Counter(page)
    office.click(f"a[href='/keberangkatan/{single.pk}/periksa/']")
    office.click("#periksa button[type=submit]")
    expect(page.locator("body")).to_contain_text("Pemeriksaan tersimpan")
    assert set(single.items.values_list("status", flat=True)) == {ItemStatus.VERIFIED}
    single_actions = office.actions

    # --- the office reviews the whole group ------------------------------------------------
    page.goto(f"/keberangkatan/rombongan/{group.pk}/")
    office = Counter(page)
    office.click(f"a[href='/keberangkatan/rombongan/{group.pk}/periksa/']")
    office.click("button:has-text('Terima butir yang dicentang')")
    expect(page.locator("body")).to_contain_text("butir diterima")
    assert set(items.values_list("status", flat=True)) == {ItemStatus.VERIFIED}
    group_actions = office.actions

    per_item = len(codes)
    print(
        f"\nchecklist at scale (group of {SIZE}, {per_item} items each):"
        f"\n  office, one worker's checklist: {single_actions} actions (was {per_item} accepts + section reopenings)"
        f"\n  office, whole group: {group_actions} actions ({group_actions / SIZE:.2f} per worker)"
        f"\n  P3MI, whole group: {prepare_actions} actions = 1 page + 1 shared submit + 2 x {len(page_codes)} document kinds, for any group size"
        f"\n  P3MI typing: {shared_typed} shared fields once; {own_typed / SIZE:.0f} fields or files per member"
    )
    assert single_actions <= 2
    assert group_actions == 2
    assert prepare_actions == 2 + 2 * len(page_codes)

"""The office reviewing whole checklists (one worker's in one submit, a group's at once), the P3MI
preparing a group's checklists (shared facts once, then a row per member), correcting an item the
office already accepted, the group forms' guards, and the counts on each home page."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure import services
from jalur.departure.items import data_rows
from jalur.departure.models import CaseStatus, ChecklistItem, DepartureCase, ItemStatus
from jalur.rules.documents import add_months

from .conftest import DEPARTURE, GOOD, accept, make_order, on
from .test_checklist import PDF, fill, own_numbers, parse, sign_no_fee

pytestmark = pytest.mark.django_db


def pdf(name="d.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def submit_all(case, agent, *, skip=(), overrides=None):
    """Every item filled in with good data and a document, waiting for the office."""
    overrides = overrides or {}
    numbers = own_numbers(case)
    for item in case.items.all():
        if item.code in skip:
            continue
        data = parse(
            {**GOOD[item.code], **numbers.get(item.code, {}), **overrides.get(item.code, {})}
        )
        services.item_submit(
            item=item,
            data=data,
            document=pdf() if item.type.needs_document else None,
            actor=agent,
        )


def new_case(order, agent):
    return services.case_open(
        application=accept(order, candidate=CandidateFactory(stage=Stage.PRE_DEPARTURE)),
        actor=agent,
    )


@pytest.fixture
def big_order(p3mi):
    return make_order(p3mi, positions=10, reference="JO-GROUP")


@pytest.fixture
def group(p3mi, agent, big_order):
    group = services.group_create(
        agency=p3mi, country="JP", departs_on=DEPARTURE, flight="GA 874", airport="CGK", actor=agent
    )
    members = [new_case(big_order, agent) for _ in range(3)]
    services.group_set_members(group=group, cases=members, actor=agent)
    return group


# --- the office: one worker's checklist in one submit ---------------------------------------------


def test_the_office_accepts_a_whole_checklist_and_sends_one_back_in_one_submit(
    client_for, case, agent, manager
):
    submit_all(case, agent)
    items = {item.code: item for item in case.items.all()}
    page = client_for(manager).get(reverse("departure:case_review", args=[case.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    # every item side by side, with its facts and its document, accept already chosen
    assert body.count('value="accept" checked') == len(items)
    assert "Sehat (fit)" in body and "Klinik Sehat Serang" in body
    assert reverse("departure:item_document", args=[items["passport"].pk]) in body
    post = {f"b{item.pk}-decision": "accept" for item in items.values()}
    post[f"b{items['visa'].pk}-decision"] = "reject"
    post[f"b{items['visa'].pk}-note"] = "Nomor visa tidak terbaca."
    response = client_for(manager).post(reverse("departure:case_review", args=[case.pk]), post)
    assert response.status_code == 302
    statuses = dict(case.items.values_list("code", "status"))
    assert statuses.pop("visa") == ItemStatus.REJECTED
    assert set(statuses.values()) == {ItemStatus.VERIFIED}
    # each item audited on its own, with who and why
    rows = AuditLog.objects.filter(
        action__in=["departure.item_verify", "departure.placement_agreement_endorse"]
    )
    assert rows.count() == len(items)
    assert rows.get(object_id=str(items["visa"].pk)).reason == "Nomor visa tidak terbaca."


def test_a_send_back_without_a_reason_saves_nothing_and_keeps_what_was_typed(
    client_for, case, agent, manager
):
    submit_all(case, agent)
    items = {item.code: item for item in case.items.all()}
    post = {f"b{item.pk}-decision": "accept" for item in items.values()}
    post[f"b{items['visa'].pk}-decision"] = "reject"
    post[f"b{items['passport'].pk}-decision"] = "reject"
    post[f"b{items['passport'].pk}-note"] = "Halaman identitas terpotong."
    response = client_for(manager).post(reverse("departure:case_review", args=[case.pk]), post)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Visa kerja: tulis apa yang harus diperbaiki sebelum mengembalikannya." in body
    assert "Halaman identitas terpotong." in body  # the other reason typed is kept
    assert "tidak ada butir yang diubah" in body
    assert set(case.items.values_list("status", flat=True)) == {ItemStatus.SUBMITTED}


def test_an_item_a_rule_speaks_against_shows_the_rule_and_is_not_chosen_for_acceptance(
    client_for, case, agent, manager
):
    short = add_months(DEPARTURE, 30).isoformat()  # the contract is 36 months, plus 6
    submit_all(case, agent, overrides={"passport": {"valid_until": short}})
    case.planned_departure_on = DEPARTURE
    case.save(update_fields=["planned_departure_on"])
    body = (
        client_for(manager).get(reverse("departure:case_review", args=[case.pk])).content.decode()
    )
    passport = case.items.get(code="passport")
    assert f"Paspor berlaku sampai {datetime.date.fromisoformat(short):%d-%m-%Y}" in body
    block = body.split(f'id="periksa-{passport.pk}"')[1].split("</section>")[0]
    assert 'value="accept" checked' not in block


# --- the office: a whole group ------------------------------------------------------------------


def test_the_office_accepts_a_groups_valid_items_in_one_submit_never_one_a_rule_refuses(
    client_for, group, agent, manager
):
    members = list(group.cases.all())
    short = add_months(DEPARTURE, 30).isoformat()
    for number, case in enumerate(members):
        submit_all(
            case, agent, overrides={"passport": {"valid_until": short}} if number == 0 else None
        )
    page = client_for(manager).get(reverse("departure:group_review", args=[group.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    bad = members[0].items.get(code="passport")
    ticked = re.findall(r'name="item" value="(\d+)" checked', body)
    assert str(bad.pk) not in ticked
    assert "Paspor berlaku sampai" in body
    # one submit with every box ticked, and the refused passport posted too (a crafted request)
    response = client_for(manager).post(
        reverse("departure:group_review", args=[group.pk]), {"item": [*ticked, str(bad.pk)]}
    )
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.status == ItemStatus.SUBMITTED
    waiting = ChecklistItem.objects.filter(case__group=group).exclude(status=ItemStatus.VERIFIED)
    assert list(waiting) == [bad]
    follow = client_for(manager).get(response["Location"]).content.decode()
    assert "Tidak diterima:" in follow and "Paspor berlaku sampai" in follow


def test_a_group_review_with_an_id_that_is_not_a_number_answers_400(client_for, group, manager):
    response = client_for(manager).post(
        reverse("departure:group_review", args=[group.pk]), {"item": ["12x"]}
    )
    assert response.status_code == 400
    assert "Pilihan butir tidak dikenal" in response.content.decode()


# --- the P3MI: a group's checklists in one sitting -----------------------------------------------


def test_shared_facts_entered_once_reach_every_member_each_judged_and_audited(
    client_for, group, agent
):
    page = client_for(agent).get(reverse("departure:group_prepare", args=[group.pk]))
    assert page.status_code == 200
    # the contract's terms come from the accepted offer
    assert 'value="Sakura Seimitsu K.K."' in page.content.decode()
    post = {
        "employment_contract-employer": "Sakura Seimitsu K.K.",
        "employment_contract-position": "Operator mesin",
        "employment_contract-wage": "210000",
        "employment_contract-currency": "JPY",
        "employment_contract-hours_per_week": "40",
        "employment_contract-contract_months": "36",
        "employment_contract-signed_on": on(-16),
        "opp-held_on": on(-3),
        "opp-place": "BP3MI Banten",
    }
    response = client_for(agent).post(reverse("departure:group_prepare", args=[group.pk]), post)
    assert response.status_code == 302
    opp = ChecklistItem.objects.filter(case__group=group, code="opp")
    # no document needed: complete, so waiting for the office
    assert set(opp.values_list("status", flat=True)) == {ItemStatus.SUBMITTED}
    contracts = ChecklistItem.objects.filter(case__group=group, code="employment_contract")
    # the contract still needs each person's signed copy: kept, not yet submitted
    assert set(contracts.values_list("status", flat=True)) == {ItemStatus.MISSING}
    assert {c.data["employer"] for c in contracts} == {"Sakura Seimitsu K.K."}
    audited = AuditLog.objects.filter(
        action__in=["departure.item_submit", "departure.item_draft"],
        object_id__in=[
            str(pk)
            for pk in [*opp.values_list("pk", flat=True), *contracts.values_list("pk", flat=True)]
        ],
    )
    assert audited.count() == 6


def test_a_shared_date_in_the_future_is_refused_beside_its_field_and_nothing_is_applied(
    client_for, group, agent
):
    response = client_for(agent).post(
        reverse("departure:group_prepare", args=[group.pk]),
        {"opp-held_on": on(5), "opp-place": "BP3MI Banten"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tanggal tidak boleh di masa depan." in body and 'value="BP3MI Banten"' in body
    # said once, beside the field, not once per member
    assert body.count("Tanggal tidak boleh di masa depan.") <= 2  # the summary and the field
    assert not ChecklistItem.objects.filter(case__group=group, code="opp").exclude(data={}).exists()


def test_per_person_rows_save_what_is_right_and_name_who_failed_and_why(client_for, group, agent):
    first, second, third = group.cases.order_by("pk")
    url = reverse("departure:group_uploads", args=[group.pk, "passport"])
    page = client_for(agent).get(url)
    assert page.status_code == 200
    post = {
        f"c{first.pk}-number": f"C{2000000 + first.pk}",
        f"c{first.pk}-issued_on": on(-300),
        f"c{first.pk}-valid_until": on(3300),
        f"c{first.pk}-document": pdf("a.pdf"),
        # the second: its document is not a PDF/JPG/PNG
        f"c{second.pk}-number": f"C{2000000 + second.pk}",
        f"c{second.pk}-issued_on": on(-300),
        f"c{second.pk}-valid_until": on(3300),
        f"c{second.pk}-document": SimpleUploadedFile("b.pdf", b"not a pdf at all"),
        # the third: nothing typed, left for later
    }
    response = client_for(agent).post(url, post)
    assert response.status_code == 400
    body = response.content.decode()
    failed = body.split("Belum tersimpan untuk")[1].split("Perbaiki isian")[0]
    assert escape(second.candidate.full_name) in failed
    assert escape(first.candidate.full_name) not in failed
    assert f'value="C{2000000 + second.pk}"' in body  # what was typed is kept
    statuses = {
        item.case_id: item.status
        for item in ChecklistItem.objects.filter(case__group=group, code="passport")
    }
    assert statuses == {
        first.pk: ItemStatus.SUBMITTED,
        second.pk: ItemStatus.MISSING,
        third.pk: ItemStatus.MISSING,
    }


# --- whose cases ----------------------------------------------------------------------------


def test_another_p3mi_can_neither_prepare_nor_review_a_group_that_is_not_theirs(
    client_for, group, agent_b, p3mi_b
):
    client = client_for(agent_b)
    member = group.cases.first()
    for url in (
        reverse("departure:group_prepare", args=[group.pk]),
        reverse("departure:group_uploads", args=[group.pk, "passport"]),
    ):
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"opp-place": "X", f"c{member.pk}-number": "C7654321"}).status_code
            == 404
        )
    for url in (
        reverse("departure:group_review", args=[group.pk]),
        reverse("departure:case_review", args=[member.pk]),
    ):
        assert client.get(url).status_code == 403  # reviewing is the office's
    assert not ChecklistItem.objects.filter(case__group=group).exclude(data={}).exists()


def test_adding_another_agencys_worker_to_a_group_is_refused_not_called_saved(
    client_for, group, agent, agent_b, p3mi_b
):
    other = new_case(make_order(p3mi_b, reference="JO-B"), agent_b)
    before = set(group.cases.values_list("pk", flat=True))
    response = client_for(agent).post(
        reverse("departure:group_members", args=[group.pk]), {"case": [*before, other.pk]}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Anggota rombongan tersimpan" not in body
    assert "bukan pekerja P3MI rombongan ini" in body
    assert set(group.cases.values_list("pk", flat=True)) == before


def test_a_group_member_id_that_is_not_a_number_answers_400_not_500(client_for, group, agent):
    response = client_for(agent).post(
        reverse("departure:group_members", args=[group.pk]), {"case": ["abc"]}
    )
    assert response.status_code == 400
    assert "Pilihan anggota tidak dikenal" in response.content.decode()


# --- correcting an item the office accepted ------------------------------------------------


def test_an_accepted_passport_can_be_replaced_and_goes_back_to_the_office_with_its_history(
    client_for, case, agent, manager
):
    fill(case, agent, manager)
    passport = case.items.get(code="passport")
    earlier_document = passport.document.name
    page = client_for(agent).get(reverse("departure:case", args=[case.pk])).content.decode()
    assert f'action="{reverse("departure:item_submit", args=[passport.pk])}"' in page
    renewed = {
        "number": f"C{1000000 + case.candidate_id}",
        "issued_on": on(-1),
        "valid_until": on(3650),
        "document": pdf("baru.pdf"),
    }
    response = client_for(agent).post(
        reverse("departure:item_submit", args=[passport.pk]),
        {**renewed, "document": pdf("baru.pdf")},
    )
    assert response.status_code == 302
    passport.refresh_from_db()
    assert passport.status == ItemStatus.SUBMITTED and passport.checked_by is None
    assert passport.document.name != earlier_document
    page = client_for(manager).get(reverse("departure:case", args=[case.pk])).content.decode()
    history = page.split(f'id="butir-{passport.pk}"')[1].split("</details>\n  </details>")[0]
    assert "Riwayat butir" in history and "Sudah diperiksa → Menunggu pemeriksaan" in history
    assert (
        f"Berlaku sampai {datetime.date.fromisoformat(GOOD['passport']['valid_until']):%d-%m-%Y}"
        in history
    )
    version = re.search(r"\?versi=(\d+)", history).group(1)
    earlier = client_for(manager).get(
        reverse("departure:item_document", args=[passport.pk]) + f"?versi={version}"
    )
    assert earlier.status_code == 200
    assert b"".join(earlier.streaming_content) == PDF
    assert (
        client_for(manager)
        .get(reverse("departure:item_document", args=[passport.pk]) + "?versi=abc")
        .status_code
        == 404
    )
    row = AuditLog.objects.filter(
        action="departure.item_submit", object_id=str(passport.pk)
    ).first()
    assert row.changes["status"] == [ItemStatus.VERIFIED, ItemStatus.SUBMITTED]


def test_a_medical_the_daily_recheck_finds_lapsed_is_replaced_through_the_page(
    client_for, case, agent, manager, settings
):
    fill(case, agent, manager)
    sign_no_fee(case, agent)
    services.case_mark_ready(case=case, planned_departure_on=DEPARTURE, actor=agent)
    medical = case.items.get(code="medical")
    # the medical lapses before the flight (re-examined later): the daily re-check reopens the case
    ChecklistItem.objects.filter(pk=medical.pk).update(
        valid_until=DEPARTURE - datetime.timedelta(days=1)
    )
    assert [c.pk for c in services.cases_recheck()] == [case.pk]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    page = client_for(agent).get(reverse("departure:case", args=[case.pk])).content.decode()
    assert f'action="{reverse("departure:item_submit", args=[medical.pk])}"' in page
    response = client_for(agent).post(
        reverse("departure:item_submit", args=[medical.pk]),
        {
            "clinic": "Klinik Sehat Serang",
            "examined_on": on(-1),
            "fit": "fit",
            "valid_until": on(200),
            "document": pdf(),
        },
    )
    assert response.status_code == 302
    medical.refresh_from_db()
    assert medical.status == ItemStatus.SUBMITTED
    services.item_verify(item=medical, accept=True, note="", actor=manager)
    services.case_mark_ready(case=case, planned_departure_on=DEPARTURE, actor=agent)


# --- wording ------------------------------------------------------------------------------------


def test_the_medical_result_reads_as_its_label_not_the_stored_value():
    rows = dict(data_rows("medical", parse(GOOD["medical"])))
    assert rows["Hasil"] == "Sehat (fit)"


def test_the_passport_dates_on_the_case_page_are_written_one_way(client_for, case, agent, manager):
    fill(case, agent, manager)
    case.planned_departure_on = DEPARTURE
    case.save(update_fields=["planned_departure_on"])
    page = client_for(agent).get(reverse("departure:case", args=[case.pk])).content.decode()
    needed = add_months(DEPARTURE, 36 + 6)
    assert f"Paspor harus berlaku sampai sedikitnya {needed:%d-%m-%Y}." in page


# --- what waits for whom, on each home page -------------------------------------------------


def test_each_stage_that_waits_shows_on_the_home_page_of_who_it_waits_for(
    client_for, group, agent, manager, p3mi
):
    first, second, third = group.cases.order_by("pk")
    submit_all(first, agent)
    submit_all(second, agent, skip=("visa",))
    visa = first.items.get(code="visa")
    services.item_verify(item=visa, accept=False, note="Buram", actor=manager)
    waiting = ChecklistItem.objects.filter(status=ItemStatus.SUBMITTED).count()

    def stat(user, label):
        body = client_for(user).get("/").content.decode()
        match = re.search(r"<b>(\d+)</b>" + re.escape(label), body)
        assert match, f"{label!r} not on the home page"
        return int(match.group(1))

    assert stat(manager, "butir menunggu pemeriksaan Disnakertrans") == waiting
    assert stat(agent, "butir dikembalikan, menunggu diperbaiki P3MI") == 1
    assert stat(agent, "rombongan siap berangkat") == 0
    # a group whose members are all ready counts as ready to depart
    DepartureCase.objects.filter(group=group).update(status=CaseStatus.READY)
    assert stat(agent, "rombongan siap berangkat") == 1
    assert stat(manager, "rombongan siap berangkat") == 1


def test_the_worker_sees_on_their_own_page_what_the_office_sent_back(
    client_for, case, agent, manager, candidate_user
):
    submit_all(case, agent)
    visa = case.items.get(code="visa")
    services.item_verify(item=visa, accept=False, note="Buram", actor=manager)
    body = client_for(candidate_user).get("/", follow=True).content.decode()
    assert "1 butir dikembalikan Disnakertrans dan perlu diperbaiki" in body

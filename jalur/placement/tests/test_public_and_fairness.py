"""The public register (approved orders and licensed agencies, no log-in, no personal data) and the
fairness view (recommended and selected by sex, age band and kecamatan)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import Sex
from jalur.placement import services
from jalur.placement.selectors import fairness_for_order, fairness_overall

from .conftest import after_the_interview, days

pytestmark = pytest.mark.django_db


# --- the public register ---------------------------------------------------------------------------
def test_anyone_sees_approved_orders_and_not_drafts(client, approved_order, make_order, agent):
    open_order = approved_order(position_title="Operator pabrik plastik")
    draft = make_order(position_title="Lowongan rahasia", sip2mi_number="SIP2MI/9")
    submitted = make_order(position_title="Lowongan ditinjau", sip2mi_number="SIP2MI/8")
    services.job_order_submit(actor=agent, order=submitted)
    page = client.get(reverse("placement:public_orders")).content.decode()
    assert "Operator pabrik plastik" in page and open_order.permit.number in page
    assert "Lowongan rahasia" not in page and "Lowongan ditinjau" not in page
    assert client.get(reverse("placement:public_order", args=[open_order.pk])).status_code == 200
    assert client.get(reverse("placement:public_order", args=[draft.pk])).status_code == 404


def test_an_order_past_its_deadline_leaves_the_register(client, approved_order):
    order = approved_order()
    type(order).objects.filter(pk=order.pk).update(deadline=days(-1))
    assert client.get(reverse("placement:public_order", args=[order.pk])).status_code == 404


def test_the_public_order_shows_who_pays_and_no_personal_data(
    client, approved_order, make_trained, agent
):
    order = approved_order(
        costs=[{"item": "ticket", "description": "PP", "amount": 9_000_000, "paid_by": "employer"}]
    )
    person = make_trained(user=True)
    services.application_apply(candidate=person, order=order, actor=person.user)
    page = client.get(reverse("placement:public_order", args=[order.pk])).content.decode()
    assert "Pemberi kerja" in page and "Rp 9.000.000" in page
    assert person.full_name not in page and person.nik not in page
    assert order.agency.contact_name not in page and "+62" not in page


def test_a_search_for_an_unknown_offer_says_to_report_it(client, approved_order):
    approved_order()
    page = client.get(reverse("placement:public_orders"), {"q": "LK-1999-00001"})
    assert "Tidak ada lowongan resmi" in page.content.decode()


def test_a_search_by_sip2mi_number_finds_the_order(client, approved_order):
    order = approved_order()
    page = client.get(reverse("placement:public_orders"), {"q": order.permit.number.lower()})
    assert order.reference in page.content.decode()


def test_a_known_order_that_is_not_open_is_explained(client, make_order):
    draft = make_order()
    page = client.get(reverse("placement:public_orders"), {"q": draft.reference}).content.decode()
    assert "tidak sedang dibuka" in page


def test_the_public_agency_list_has_only_active_licensed_agencies(
    client, p3mi, p3mi_b, pks, manager
):
    services.agency_suspend(actor=manager, agency=p3mi_b, starts_on=days(-1), reason="Audit")
    page = client.get(reverse("placement:public_agencies")).content.decode()
    assert p3mi.name in page and p3mi.licence_number in page and pks.number in page
    assert p3mi_b.name not in page
    assert p3mi.contact_name not in page
    search = client.get(reverse("placement:public_agencies"), {"q": p3mi_b.licence_number})
    assert "dibekukan" in search.content.decode()


def test_the_public_pages_are_linked_from_the_public_home(client):
    page = client.get(reverse("core:public_home")).content.decode()
    assert reverse("placement:public_orders") in page
    assert reverse("placement:public_agencies") in page


# --- fairness --------------------------------------------------------------------------------------
def _born(age: int) -> datetime.date:
    today = timezone.localdate()
    # the 1st of the month always exists, 29 February does not every year
    return today.replace(year=today.year - age, day=1) - datetime.timedelta(days=10)


def test_fairness_counts_people_by_group_at_each_step(make_trained, approved_order, manager, agent):
    order = approved_order(positions=1)
    women = [make_trained(sex=Sex.FEMALE, birth_date=_born(22), jft=240) for _ in range(2)]
    men = [make_trained(sex=Sex.MALE, birth_date=_born(31), jft=205) for _ in range(2)]
    services.recommendations_fill(actor=manager, order=order)  # 3 of 4
    chosen = order.applications.get(candidate=women[0])
    services.application_shortlist(actor=agent, application=chosen)
    services.interview_schedule(
        actor=agent,
        application=chosen,
        at=timezone.now() + datetime.timedelta(days=1),
        mode="online",
        place="https://meet.example/x",
    )
    services.interview_record(
        actor=agent, application=chosen, result="passed", now=after_the_interview(chosen)
    )
    services.application_select(actor=agent, application=chosen)

    report = fairness_for_order(order)
    assert report["labels"][:2] == ["Memenuhi syarat sekarang", "Direkomendasikan"]
    sex = next(t for t in report["tables"] if t["title"] == "Jenis kelamin")
    by_group = {row["group"]: [c["n"] for c in row["cells"]] for row in sex["rows"]}
    assert by_group["Perempuan"] == [2, 2, 0, 1]
    assert by_group["Laki-laki"] == [2, 1, 0, 0]
    age = next(t for t in report["tables"] if t["title"] == "Kelompok umur")
    bands = {row["group"]: row["cells"][0]["n"] for row in age["rows"]}
    assert bands == {"18–24": 2, "30–34": 2}
    district = next(t for t in report["tables"] if t["title"] == "Kecamatan")
    assert district["rows"][0]["group"] == "Serang" and district["totals"][0] == 4
    assert men  # both men were eligible; one was outranked


def test_the_overall_fairness_page_is_for_managers_and_leaders(client_for, role_users):
    url = reverse("placement:fairness")
    for role, user in role_users.items():
        status = client_for(user).get(url).status_code
        allowed = role in ("sysadmin", "programme_manager", "leadership")
        assert status == (200 if allowed else 403), role


def test_the_order_fairness_page_shows_the_groups(client_for, leader, approved_order, make_trained):
    order = approved_order()
    make_trained(sex=Sex.FEMALE)
    page = client_for(leader).get(reverse("placement:order_fairness", args=[order.pk]))
    assert page.status_code == 200 and "Perempuan" in page.content.decode()


def test_overall_fairness_counts_everyone_who_finished_training(make_trained):
    make_trained(sex=Sex.FEMALE)
    make_trained(sex=Sex.MALE)
    report = fairness_overall()
    sex = next(t for t in report["tables"] if t["title"] == "Jenis kelamin")
    assert sex["totals"][0] == 2

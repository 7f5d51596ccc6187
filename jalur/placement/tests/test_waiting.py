"""Every placement step that waits for someone is on that person's home page, with a count and a
link to exactly those items (issue 17: nobody asks another by WhatsApp what to do next)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.placement import services
from jalur.placement.models import Application, RecruitmentPermit
from jalur.placement.selectors import home_widgets

from .conftest import pdf_upload
from .test_applications import _offer, _through_to_selection

pytestmark = pytest.mark.django_db


def _stats(user) -> dict[str, dict]:
    return {str(s["label"]): s for w in home_widgets(user) for s in w["stats"]}


@pytest.fixture
def at_every_step(approved_order, make_trained, agent):
    """One application of agency A at each step of its work, plus one interview still ahead."""
    order = approved_order(positions=10)
    people = {}

    def apply(name):
        person = make_trained(user=True, full_name=name)
        people[name] = services.application_apply(candidate=person, order=order, actor=person.user)
        return people[name]

    apply("Ani Baru")
    services.application_shortlist(actor=agent, application=apply("Budi Pendek"))
    for name, hours in (("Citra Lewat", -2), ("Dedi Nanti", 30)):
        application = apply(name)
        services.application_shortlist(actor=agent, application=application)
        services.interview_schedule(
            actor=agent,
            application=application,
            at=timezone.now() + datetime.timedelta(hours=1),
            mode="online",
            place="Zoom",
        )
        Application.objects.filter(pk=application.pk).update(
            interview_at=timezone.now() + datetime.timedelta(hours=hours)
        )
    _through_to_selection(apply("Eka Dipilih"), agent)
    _offer(_through_to_selection(apply("Fajar Ditawari"), agent), agent)
    interviewed = apply("Gita Diwawancara")
    Application.objects.filter(pk=interviewed.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    interviewed.refresh_from_db()
    services.application_shortlist(actor=agent, application=interviewed)
    services.interview_record(
        actor=agent,
        application=interviewed,
        result="passed",
        held_at=timezone.now() - datetime.timedelta(minutes=5),
        mode="online",
        place="Zoom",
    )
    return people


STEP_PEOPLE = {
    "pelamar/rekomendasi baru": ["Ani Baru"],
    "wawancara perlu dijadwalkan": ["Budi Pendek"],
    "hasil wawancara perlu dicatat": ["Citra Lewat"],
    "menunggu keputusan pemberi kerja": ["Gita Diwawancara"],
    "tawaran perlu dibuat": ["Eka Dipilih"],
    "tawaran menunggu jawaban pencari kerja": ["Fajar Ditawari"],
}


def test_each_step_waiting_for_the_agency_is_counted_and_linked(at_every_step, agent, client_for):
    stats = _stats(agent)
    client = client_for(agent)
    for label, names in STEP_PEOPLE.items():
        assert stats[label]["value"] == len(names), label
        page = client.get(stats[label]["url"])
        assert page.status_code == 200, label
        listed = [a.candidate.full_name for a in page.context["page_obj"]]
        assert listed == names, label
    # the interview still ahead waits for its time, not for the agency
    assert "Dedi Nanti" not in str(
        [
            a.candidate.full_name
            for a in client.get(stats["hasil wawancara perlu dicatat"]["url"]).context["page_obj"]
        ]
    )
    home = client.get(reverse("core:home")).content.decode()
    assert "hasil wawancara perlu dicatat" in home
    assert stats["hasil wawancara perlu dicatat"]["url"].replace("&", "&amp;") in home


def test_another_agency_sees_none_of_it(at_every_step, agent_b, p3mi_b, client_for):
    labels = set(_stats(agent_b))
    assert not labels & set(STEP_PEOPLE) - {"pelamar/rekomendasi baru"}
    assert _stats(agent_b)["pelamar/rekomendasi baru"]["value"] == 0
    page = client_for(agent_b).get(reverse("placement:applications") + "?langkah=tawaran")
    assert page.status_code == 200 and list(page.context["page_obj"]) == []


def test_a_returned_order_waits_for_the_agency(make_order, agent, manager):
    order = make_order()
    services.job_order_submit(actor=agent, order=order)
    services.job_order_return(actor=manager, order=order, reason="Lampirkan surat atase")
    stat = _stats(agent)["lowongan dikembalikan, perlu diperbaiki"]
    assert stat["value"] == 1 and stat["url"].endswith("?status=returned")


def test_the_office_sees_orders_to_review_and_sip2mi_changes_to_decide(
    make_order, agent, manager, client_for
):
    order = make_order()
    services.job_order_submit(actor=agent, order=order)
    permit = RecruitmentPermit.objects.get(pk=order.permit_id)
    services.permit_change_request(
        actor=agent,
        permit=permit,
        quota=permit.quota + 10,
        issued_on=permit.issued_on,
        valid_until=permit.valid_until,
        document=pdf_upload("sip2mi-baru.pdf"),
    )
    stats = _stats(manager)
    assert stats["lowongan menunggu tinjauan"]["value"] == 1
    assert stats["perubahan SIP2MI menunggu keputusan"]["value"] == 1
    client = client_for(manager)
    for label in ("lowongan menunggu tinjauan", "perubahan SIP2MI menunggu keputusan"):
        page = client.get(stats[label]["url"]).content.decode()
        assert permit.number in page or order.reference in page, label


def test_a_job_seeker_sees_the_offer_waiting_for_their_answer_on_their_page(
    approved_order, make_trained, agent, client_for
):
    order = approved_order()
    person = make_trained(user=True)
    application = services.application_apply(candidate=person, order=order, actor=person.user)
    client = client_for(person.user)
    assert (
        "menunggu jawaban Anda"
        not in client.get(reverse("core:home"), follow=True).content.decode()
    )
    _offer(_through_to_selection(application, agent), agent)
    home = client.get(reverse("core:home"), follow=True).content.decode()
    assert "1 tawaran kerja menunggu jawaban Anda." in home
    assert reverse("placement:my_application", args=[application.pk]) in home
    assert "jawab paling lambat" in home


def test_a_step_count_stops_at_its_cap_and_says_so(
    at_every_step, make_trained, agent, client_for, monkeypatch
):
    from jalur.placement import waiting

    monkeypatch.setattr(waiting, "STEP_COUNT_CAP", 1)
    person = make_trained(user=True, full_name="Hadi Lagi")
    order = at_every_step["Ani Baru"].order
    services.application_apply(candidate=person, order=order, actor=person.user)
    stats = _stats(agent)
    new = stats["pelamar/rekomendasi baru"]
    assert (new["value"], new["more"]) == (1, True)
    shortlist = stats["wawancara perlu dijadwalkan"]
    assert (shortlist["value"], shortlist["more"]) == (1, False)
    page = client_for(agent).get(reverse("placement:applications")).content.decode()
    assert "<b>1+</b>pelamar/rekomendasi baru" in page

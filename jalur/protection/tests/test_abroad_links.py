"""Issue 15 wired together: the pages that link the parts. The office's monitoring list starts with
the open urgent cases; the worker abroad finds the emergency button, the numbers to call and their
number abroad on their own pages; the office's worker page shows the numbers and the links to act,
each only to the roles that may use it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.crisis import services as crisis
from jalur.protection import services

from .test_checkins import worker  # noqa: F401 - the fixture: a worker placed by `agency`

pytestmark = pytest.mark.django_db
ABROAD = "+821012345678"


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_monitoring_list_starts_with_the_open_urgent_cases(
    worker,  # noqa: F811
    manager,
    agent,
    agent_b,
    client_for,
):
    crisis.urgent_open(candidate=worker, kind="abuse", words="Dipukul majikan", actor=manager)
    for user in (manager, agent):  # the office, and the P3MI that placed the worker
        html = page(client_for(user), "protection:monitoring")
        assert "Darurat: perlu ditangani sekarang" in html
        assert reverse("crisis:case", args=[worker.urgent_cases.get().pk]) in html
        assert html.index("Darurat: perlu ditangani sekarang") < html.index("<table")
    other = page(client_for(agent_b), "protection:monitoring")  # another P3MI: not theirs
    assert "Darurat: perlu ditangani sekarang" not in other


def test_no_urgent_block_when_nothing_is_open(worker, manager, client_for):  # noqa: F811
    assert "Darurat: perlu ditangani" not in page(client_for(manager), "protection:monitoring")


def test_the_worker_abroad_finds_help_on_their_own_pages(
    worker,  # noqa: F811
    candidate_user,
    client_for,
):
    client = client_for(candidate_user)
    home = client.get(reverse("core:home"), follow=True).content.decode()
    for html in (home, page(client, "protection:my_checkin")):
        assert reverse("crisis:my_sos") in html and "Saya butuh bantuan darurat" in html
        assert reverse("candidates:my_phone_abroad") in html and "Nomor HP di luar negeri" in html
    assert "Nomor darurat" in home  # the missions and hotlines of the worker's country
    assert "KBRI" in home or "KJRI" in home


def test_someone_not_abroad_sees_no_emergency_links(candidate_user, client_for):
    CandidateFactory(stage=Stage.VERIFIED, user=candidate_user)
    home = client_for(candidate_user).get(reverse("candidates:me")).content.decode()
    assert reverse("crisis:my_sos") not in home
    assert reverse("candidates:my_phone_abroad") not in home
    assert "Nomor darurat" not in home


def test_the_office_sees_the_numbers_and_the_links_to_act(
    worker,  # noqa: F811
    manager,
    client_for,
):
    Candidate.objects.filter(pk=worker.pk).update(phone_abroad=ABROAD)
    url = reverse("protection:worker", args=[worker.pk])
    html = page(client_for(manager), "protection:worker", worker.pk)
    assert "+82 10-1234-5678" in html  # formatted as Korea writes it
    # and back to this page after saving the number
    assert f"{reverse('candidates:staff_phone_abroad', args=[worker.pk])}?next={url}" in html
    assert reverse("crisis:staff_open", args=[worker.pk]) in html
    assert reverse("protection:returnee", args=[worker.pk]) not in html  # not back yet


def test_the_agency_sees_the_numbers_but_not_the_office_links(
    worker,  # noqa: F811
    agent,
    client_for,
):
    Candidate.objects.filter(pk=worker.pk).update(phone_abroad=ABROAD)
    html = page(client_for(agent), "protection:worker", worker.pk)
    assert "+82 10-1234-5678" in html
    assert reverse("candidates:staff_phone_abroad", args=[worker.pk]) not in html
    assert reverse("crisis:staff_open", args=[worker.pk]) not in html


def test_leadership_sees_neither_numbers_nor_links(worker, leader, client_for):  # noqa: F811
    Candidate.objects.filter(pk=worker.pk).update(phone_abroad=ABROAD)
    html = page(client_for(leader), "protection:worker", worker.pk)
    assert "+82 10-1234-5678" not in html and worker.phone not in html
    assert "Nomor HP di luar negeri" not in html
    assert reverse("candidates:staff_phone_abroad", args=[worker.pk]) not in html
    assert reverse("crisis:staff_open", args=[worker.pk]) not in html


def test_a_returnee_page_links_to_the_follow_up_for_the_office_only(
    worker,  # noqa: F811
    manager,
    agent,
    client_for,
):
    services.return_record(
        candidate=worker,
        data={
            "returned_on": timezone.localdate() - datetime.timedelta(days=3),
            "reason": "contract_finished",
            "handover_to": "Ibu Sari",
            "handover_witness": "Ahmad",
            "handover_witness_role": "Lurah Cipare",
            "handover_place": "Kantor Kelurahan Cipare",
            "reintegration": "business",
        },
        actor=manager,
    )
    link = reverse("protection:returnee", args=[worker.pk])
    assert link in page(client_for(manager), "protection:worker", worker.pk)
    assert link not in page(client_for(agent), "protection:worker", worker.pk)

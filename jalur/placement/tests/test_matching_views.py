"""The matching pages: the manager starts a run, reads the comparison and an order's proposals,
publishes; a P3MI opens none of them; the candidate sees a published proposal and declines it."""

import pytest
from django.urls import reverse

from jalur.placement.matching.models import MatchingProposal, MatchingRun, RunStatus
from jalur.placement.states import ApplicationStatus as AS

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(approved_order):
    return [
        approved_order(positions=1, position_title=t) for t in ("Operator mesin", "Operator las")
    ]


@pytest.fixture
def people(make_trained):
    return [make_trained(jft=250 - 5 * i, user=True) for i in range(7)]


def _start(client, **extra):
    data = {"scope": "all", "method": "optimal", "max_orders_per_person": 1, **extra}
    return client.post(reverse("placement:matching_start"), data)


def test_the_manager_runs_compares_and_publishes(orders, people, client_for, manager):
    client = client_for(manager)
    assert client.get(reverse("placement:matching_start")).status_code == 200

    response = _start(client, women_share="")

    run = MatchingRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{run.pk}/")
    page = client.get(reverse("placement:matching_run", args=[run.pk])).content.decode()
    for label in ("Pencocokan stabil", "Penugasan optimal", "Per lowongan (cara lama)"):
        assert label in page
    assert "Jalankan ulang dengan masukan yang sama" in page
    assert run.fingerprint in page
    order_page = client.get(
        reverse("placement:matching_run_order", args=[run.pk, orders[0].pk]) + "?metode=optimal"
    ).content.decode()
    proposed = MatchingProposal.objects.filter(run=run, method="optimal", order=orders[0])
    assert all(p.candidate.full_name in order_page for p in proposed)
    assert "Bahasa" in order_page  # the score's parts
    # a person looked up by NIK: where proposed, or why not
    lookup = client.get(
        reverse("placement:matching_run", args=[run.pk]) + f"?nik={people[-1].nik}"
    ).content.decode()
    assert people[-1].full_name in lookup

    repeat = client.post(reverse("placement:matching_action", args=[run.pk, "ulangi"]))
    assert repeat.status_code == 302
    published = client.post(
        reverse("placement:matching_action", args=[run.pk, "terbitkan"]), {"method": "stable"}
    )
    assert published.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED and run.published_method == "stable"


def test_a_p3mi_opens_no_matching_page(orders, people, client_for, manager, agent):
    _start(client_for(manager))
    run = MatchingRun.objects.get()
    client = client_for(agent)
    for url in (
        reverse("placement:matching_runs"),
        reverse("placement:matching_start"),
        reverse("placement:matching_run", args=[run.pk]),
        reverse("placement:matching_run_order", args=[run.pk, orders[0].pk]),
    ):
        assert client.get(url).status_code == 403, url
    refused = client.post(reverse("placement:matching_action", args=[run.pk, "terbitkan"]))
    assert refused.status_code == 403
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT


def test_the_candidate_sees_the_proposal_and_declines_it(orders, people, client_for, manager):
    _start(client_for(manager))
    run = MatchingRun.objects.get()
    client_for(manager).post(
        reverse("placement:matching_action", args=[run.pk, "terbitkan"]), {"method": "optimal"}
    )
    proposal = MatchingProposal.objects.filter(run=run, method="optimal").first()
    person = proposal.candidate
    client = client_for(person.user)

    page = client.get(reverse("candidates:me")).content.decode()
    assert "Tolak usulan ini" in page and proposal.order.position_title in page

    response = client.post(
        reverse("placement:proposal_decline", args=[proposal.application_id]), {"reason": ""}
    )

    assert response.status_code == 302
    proposal.application.refresh_from_db()
    assert proposal.application.status == AS.WITHDRAWN
    assert "Tolak usulan ini" not in client.get(reverse("candidates:me")).content.decode()


def test_a_candidate_cannot_decline_someone_elses_proposal(
    orders, people, client_for, manager, make_trained
):
    _start(client_for(manager))
    run = MatchingRun.objects.get()
    client_for(manager).post(
        reverse("placement:matching_action", args=[run.pk, "terbitkan"]), {"method": "optimal"}
    )
    proposal = MatchingProposal.objects.filter(run=run, method="optimal").first()
    stranger = make_trained(user=True)
    response = client_for(stranger.user).post(
        reverse("placement:proposal_decline", args=[proposal.application_id])
    )
    assert response.status_code == 404
    proposal.application.refresh_from_db()
    assert proposal.application.status == AS.RECOMMENDED

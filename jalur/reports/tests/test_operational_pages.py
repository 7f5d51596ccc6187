"""The operational lists page by keyset: every person once, whatever happens between clicks, at a
cost that does not grow with the list; their counts stop at a cap."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.document_state import documents_due_rebuild
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.reports import operational
from jalur.reports import views as report_views

pytestmark = pytest.mark.django_db
S = Stage


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(report_views, "PAGE_SIZE", 4)


def waiting(days: float, stage=S.REGISTERED) -> Candidate:
    candidate = CandidateFactory(stage=stage)
    Candidate.objects.filter(pk=candidate.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=days)
    )
    return candidate


def walk(client, url: str, first: str = "") -> tuple[list[int], list[int]]:
    """(people in the order shown, queries per page) following "next" to the end."""
    seen, queries, link = [], [], first
    while True:
        with CaptureQueriesContext(connection) as ran:
            page = client.get(url + link).context["page_obj"]
        seen += [c.pk for c in page]
        queries.append(len(ran))
        if not page.has_next:
            return seen, queries
        link = page.next_url


def test_the_stuck_list_shows_everyone_once_longest_waiting_first_at_a_fixed_cost(
    client_for, manager, small_pages
):
    people = [waiting(40 + i, stage=[S.REGISTERED, S.TRAINING][i % 2]) for i in range(11)]
    client = client_for(manager)
    seen, queries = walk(client, reverse("reports:stuck"))
    assert seen == [p.pk for p in reversed(people)]
    assert len(set(queries)) == 1, queries


def test_people_who_start_waiting_between_clicks_neither_repeat_nor_hide_others(
    client_for, manager, small_pages
):
    people = [waiting(40 + i) for i in range(10)]
    client = client_for(manager)
    first = client.get(reverse("reports:stuck")).context["page_obj"]
    # one who waited longer than all on page one, one in the middle of the rest
    waiting(500)
    middle = waiting(44.5)
    rest, _ = walk(client, reverse("reports:stuck"), first.next_url)
    shown = [c.pk for c in first] + rest
    assert len(shown) == len(set(shown))
    assert {p.pk for p in people} <= set(shown) and middle.pk in rest


def test_the_counts_stop_at_the_cap_and_say_so(client_for, manager, monkeypatch):
    monkeypatch.setattr(operational, "COUNT_CAP", 3)
    for i in range(5):
        waiting(40 + i)
    waiting(40, stage=S.VERIFIED)
    response = client_for(manager).get(reverse("reports:stuck"))
    counts = {c["stage"]: (c["n"], c["more"]) for c in response.context["counts"]}
    assert counts == {S.REGISTERED: (3, True), S.VERIFIED: (1, False)}
    assert "Lebih dari 4 orang" in response.content.decode()
    response = client_for(manager).get(reverse("reports:stuck"), {"stage": S.VERIFIED})
    assert "1 orang, yang paling lama" in response.content.decode()


def test_the_documents_list_walks_every_person_missing_a_document(client_for, manager, small_pages):
    people = [waiting(10 + i, stage=S.VERIFIED) for i in range(9)]
    waiting(5, stage=S.DEPARTED)
    documents_due_rebuild()  # the stage days were moved back by SQL above
    seen, queries = walk(client_for(manager), reverse("reports:documents"))
    assert seen == [p.pk for p in reversed(people)]
    assert len(set(queries)) == 1, queries

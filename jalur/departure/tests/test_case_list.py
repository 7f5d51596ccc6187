"""The list of departure cases: keyset pages, each case with its own counts, at a fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jalur.departure import services
from jalur.departure import views as departure_views
from jalur.departure.models import ChecklistItem, ItemStatus

from .conftest import accept

pytestmark = pytest.mark.django_db


def test_each_case_shows_its_own_item_counts_and_every_page_costs_the_same(
    client_for, manager, order, agent, monkeypatch
):
    monkeypatch.setattr(departure_views, "PAGE_SIZE", 3)
    cases = [services.case_open(application=accept(order), actor=agent) for _ in range(7)]
    sent_back = cases[0]
    item = sent_back.items.first()
    ChecklistItem.objects.filter(pk=item.pk).update(status=ItemStatus.REJECTED)
    client = client_for(manager)
    seen, queries, link = [], [], ""
    while True:
        with CaptureQueriesContext(connection) as ran:
            page = client.get(reverse("departure:list") + link).context["page_obj"]
        queries.append(len(ran))
        seen += list(page)
        if not page.has_next:
            break
        link = page.next_url
    # newest first within the same state, every case once
    assert [c.pk for c in seen] == [c.pk for c in reversed(cases)]
    assert len(set(queries)) == 1, queries
    counts = {c.pk: (c.items_total, c.items_back) for c in seen}
    total = sent_back.items.count()
    assert counts[sent_back.pk] == (total, 1)
    assert all(counts[c.pk] == (total, 0) for c in cases[1:])


def test_offers_without_a_checklist_load_after_the_page_and_stop_at_a_limit(
    client_for, manager, agent, order, p3mi_b, monkeypatch
):
    from jalur.departure.tests.conftest import make_order

    monkeypatch.setattr(departure_views, "TO_START_SHOWN", 2)
    waiting = [accept(order) for _ in range(3)]
    services.case_open(application=waiting[0], actor=agent)
    elsewhere = accept(make_order(p3mi_b))
    panel = reverse("departure:to_start")
    # the list itself does not look for them (that tests every accepted offer): it asks for the panel
    page = client_for(manager).get(reverse("departure:list"))
    assert "to_start" not in page.context
    assert panel in page.content.decode()
    for user, expected in ((manager, [*waiting[1:], elsewhere]), (agent, waiting[1:])):
        response = client_for(user).get(panel, headers={"HX-Request": "true"})
        shown = response.context["to_start"]
        assert {a.pk for a in shown} <= {a.pk for a in expected}
        assert len(shown) == min(2, len(expected))
        assert response.context["more"] == (len(expected) > 2)
        assert "<html" not in response.content.decode()
    # without htmx it is a page of its own
    assert "<html" in client_for(agent).get(panel).content.decode()

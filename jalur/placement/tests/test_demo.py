"""The placement demo: every order state, an accepted offer, an expired licence, an expiring PKS;
and running seed_demo again creates nothing new."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from jalur.placement.models import (
    Agency,
    AgencyState,
    Agreement,
    AgreementState,
    Application,
    JobOrder,
)
from jalur.placement.states import ApplicationStatus, OrderStatus

pytestmark = pytest.mark.django_db


def _rows() -> int:
    return sum(m.objects.count() for m in apps.get_app_config("placement").get_models())


def test_the_demo_shows_every_order_state_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    assert set(JobOrder.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    statuses = set(Application.objects.values_list("status", flat=True))
    assert ApplicationStatus.ACCEPTED in statuses and len(statuses) >= 4
    states = {a.organisation.code: a.state() for a in Agency.objects.select_related("organisation")}
    assert states["pt-banten-global"] == AgencyState.EXPIRED
    assert list(states.values()).count(AgencyState.ACTIVE) == 2
    assert any(a.state() == AgreementState.EXPIRING for a in Agreement.objects.all())
    before = _rows()
    call_command("seed_demo", stdout=io.StringIO())
    assert _rows() == before


def test_the_demo_records_no_interview_result_before_the_interview():
    """The demo shows what Jalur allows: a result only after the interview's time."""
    from jalur.placement.models import ApplicationEvent

    call_command("seed_demo", stdout=io.StringIO())
    results = ApplicationEvent.objects.filter(
        to_status=ApplicationStatus.INTERVIEWED
    ).select_related("application")
    assert results.exists()
    for event in results:
        assert event.created_at >= event.application.interview_at, event.application_id


def test_every_demo_person_applying_to_an_order_wants_its_country():
    call_command("seed_demo", stdout=io.StringIO())
    for application in Application.objects.select_related("order", "candidate"):
        assert application.order.employer_country in application.candidate.preferred_countries, (
            application.pk
        )

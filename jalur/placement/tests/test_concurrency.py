"""Contested resources under concurrent requests (PostgreSQL: row locks do the work there).

- positions held against one SIP2MI permit never exceed its quota, however many submissions race;
- a person accepts at most one offer, even clicking two at the same moment;
- the last position of an order goes to exactly one of two people accepting together.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.db.models import Sum
from django.utils import timezone

from jalur.candidates.stages import Stage
from jalur.placement import services
from jalur.placement.models import Application, JobOrder
from jalur.placement.states import ApplicationStatus, OrderStatus

from .conftest import after_the_interview

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(calls) -> list[str]:
    """Run every call at the same moment, each on its own connection; return 'ok' or error codes."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call):
        close_old_connections()
        try:
            barrier.wait()
            call()
            result = "ok"
        except ValidationError as error:
            codes = {getattr(error, "code", None)} | {e.code for e in error.error_list}
            result = ",".join(sorted(c for c in codes if c)) or "invalid"
        finally:
            close_old_connections()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _offer(application, agent):
    services.application_shortlist(actor=agent, application=application)
    services.interview_schedule(
        actor=agent,
        application=application,
        at=timezone.now() + datetime.timedelta(days=1),
        mode="online",
        place="https://meet.example/a",
    )
    services.interview_record(
        actor=agent, application=application, result="passed", now=after_the_interview(application)
    )
    services.application_select(actor=agent, application=application)
    order = application.order
    return services.offer_make(
        actor=agent,
        application=application,
        position_title=order.position_title,
        wage_amount=order.wage_amount,
        contract_months=order.contract_months,
        respond_by=timezone.localdate() + datetime.timedelta(days=3),
    )


def test_racing_submissions_never_exceed_the_sip2mi_quota(make_order, agent):
    orders = [make_order(positions=4, employer_name=f"Employer {i}") for i in range(6)]
    permit = orders[0].permit
    assert permit.quota == 10 and {o.permit_id for o in orders} == {permit.pk}

    outcomes = race([lambda o=o: services.job_order_submit(actor=agent, order=o) for o in orders])

    assert outcomes.count("ok") == 2
    assert outcomes.count("permit_quota") == 4
    held = JobOrder.objects.filter(permit=permit, status=OrderStatus.SUBMITTED)
    assert held.aggregate(n=Sum("positions"))["n"] == 8


def test_two_offers_accepted_at_once_leave_one_accepted(make_trained, approved_order, agent):
    person = make_trained(user=True)
    first = approved_order(employer_name="First K.K.", sip2mi_number="SIP2MI/A")
    second = approved_order(employer_name="Second K.K.", sip2mi_number="SIP2MI/B")
    offers = [
        _offer(services.application_apply(candidate=person, order=o, actor=person.user), agent)
        for o in (first, second)
    ]

    outcomes = race(
        [lambda a=a: services.offer_accept(actor=person.user, application=a) for a in offers]
    )

    assert sorted(outcomes) == ["invalid_transition", "ok"]
    assert (
        Application.objects.filter(candidate=person, status=ApplicationStatus.ACCEPTED).count() == 1
    )
    person.refresh_from_db()
    assert person.stage == Stage.PRE_DEPARTURE


def test_the_last_position_goes_to_one_of_two_people_accepting_together(
    make_trained, approved_order, agent
):
    order = approved_order(positions=1)
    people = [make_trained(user=True) for _ in range(2)]
    offers = [
        _offer(services.application_apply(candidate=p, order=order, actor=p.user), agent)
        for p in people
    ]

    outcomes = race(
        [
            lambda a=a, p=p: services.offer_accept(actor=p.user, application=a)
            for a, p in zip(offers, people, strict=True)
        ]
    )

    assert outcomes.count("ok") == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.FILLED
    assert order.applications.filter(status=ApplicationStatus.ACCEPTED).count() == 1

"""The cohort list: a keyset page whose seat counts are those of its own cohorts, at a fixed cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.tests.factories import CandidateFactory
from jalur.training.models import Enrolment, EnrolmentStatus
from jalur.training.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def seats(cohort, **statuses):
    for status, n in statuses.items():
        for _ in range(n):
            Enrolment.objects.create(cohort=cohort, candidate=CandidateFactory(), status=status)


def test_each_cohort_shows_its_own_counts_and_a_page_costs_the_same_with_more_cohorts(
    client_for, manager
):
    today = timezone.localdate()
    older = CohortFactory(start_date=today - datetime.timedelta(days=40))
    newer = CohortFactory(start_date=today - datetime.timedelta(days=5))
    seats(older, **{EnrolmentStatus.ENROLLED: 2, EnrolmentStatus.WAITING: 1})
    seats(newer, **{EnrolmentStatus.COMPLETED: 3})
    client = client_for(manager)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("training:cohort_list")).context["page_obj"]
    counts = {c.pk: (c.enrolled_count, c.waiting_count, c.completed_count) for c in page}
    assert [c.pk for c in page] == [newer.pk, older.pk]
    assert counts == {older.pk: (2, 1, 0), newer.pk: (0, 0, 3)}
    for i in range(40):
        seats(CohortFactory(start_date=today - datetime.timedelta(days=60 + i)), waiting=1)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("training:cohort_list")).context["page_obj"]
    assert len(many) == len(few) and len(page) == 30 and page.has_next
    rest = client.get(reverse("training:cohort_list") + page.next_url).context["page_obj"]
    assert len(rest) == 12 and all(c.waiting_count == 1 for c in rest)

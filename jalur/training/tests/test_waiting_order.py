"""The waiting list is numbered by the time people joined it, the same order everywhere it shows."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.training.models import Enrolment, EnrolmentStatus
from jalur.training.selectors import waiting_position

pytestmark = pytest.mark.django_db


def waiting(cohort, name, days_ago, **kwargs):
    return Enrolment.objects.create(
        cohort=cohort,
        candidate=CandidateFactory(stage=Stage.VERIFIED, full_name=name, **kwargs),
        status=EnrolmentStatus.WAITING,
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_the_waiting_list_is_numbered_by_join_time_not_by_name(
    client_for, cohort, manager, candidate_user
):
    """Issue 17: Ahmad, who joined today, stood above Zainal, who joined 18 days earlier."""
    zainal = waiting(cohort, "Zainal Abidin", 18)
    ahmad = waiting(cohort, "Ahmad Fauzi", 0, user=candidate_user)
    assert (waiting_position(zainal), waiting_position(ahmad)) == (1, 2)
    page = client_for(manager).get(reverse("training:cohort_detail", args=[cohort.pk]))
    html = page.content.decode()
    waiting_list = html[html.index("Daftar tunggu</h2>") :]
    assert waiting_list.index("Zainal Abidin") < waiting_list.index("Ahmad Fauzi")
    # what the person reads on their own page agrees with the list
    sections = apps.get_app_config("training").candidate_sections(ahmad.candidate, candidate_user)
    from django.template.loader import render_to_string

    own = render_to_string(sections[0]["template"], {"ctx": sections[0]["context"]})
    assert "Anda nomor 2 di daftar tunggu" in own


def test_ties_in_join_time_go_by_id(cohort):
    now = timezone.now()
    first = waiting(cohort, "Zaki", 0)
    second = waiting(cohort, "Abdul", 0)
    Enrolment.objects.filter(pk__in=[first.pk, second.pk]).update(created_at=now)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (waiting_position(first), waiting_position(second)) == (1, 2)

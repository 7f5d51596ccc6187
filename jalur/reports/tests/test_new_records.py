"""A new record is counted from memory as it is registered (`services._start`), or, when a person
registers themselves, by the next periodic refresh: the tables must be exactly what a recount from
the database gives."""

import pytest
from django.db import models

from jalur.accounts.roles import Role
from jalur.accounts.services import user_create
from jalur.candidates.models import RegistrationChannel, Sex
from jalur.candidates.rules import SECTIONS
from jalur.candidates.services import candidate_register
from jalur.candidates.tests.conftest import registration_data
from jalur.pathways.models import JobType
from jalur.reports.models import CandidateStat
from jalur.reports.services.refresh import stats_rebuild, stats_refresh

from .conftest import tally_tables

pytestmark = pytest.mark.django_db


def _tables():
    stats = {
        s.candidate_id: (
            s.registered_month,
            s.country,
            s.pathway_id,
            s.job_type_id,
            s.district,
            s.sex,
            s.age_band,
            s.stage,
            s.last_history_id,
        )
        for s in CandidateStat.objects.all()
    }
    return (*tally_tables(), stats)


def _codes(*codes):
    return [JobType.objects.get(code=code).pk for code in codes]


def test_registrations_counted_as_they_happen_equal_a_recount(officer):
    # given people registered every way a record is made: at the desk with no, one and several
    # preferred job types (listed out of their display order), and on a phone by themselves
    newest = JobType.objects.order_by("-pk").first()
    JobType.objects.update(sort_order=models.F("sort_order") + 1)
    JobType.objects.filter(pk=newest.pk).update(sort_order=0)  # listed first, yet the newest
    job_types = list(JobType.objects.order_by("sort_order", "name", "pk"))
    assert job_types[0].pk == newest.pk and len(job_types) >= 3
    desk = [
        {"preferred_job_types": [], "preferred_countries": []},
        {"preferred_job_types": _codes("caregiver"), "preferred_countries": ["KR"]},
        {
            "preferred_job_types": [job_types[2].pk, job_types[0].pk, job_types[1].pk],
            "preferred_countries": ["JP", "KR"],
        },
    ]
    for serial, overrides in enumerate(desk, start=1):
        candidate_register(
            data=registration_data(
                serial=serial, phone=f"0812-3456-70{serial:02d}", sex=Sex.MALE, **overrides
            ),
            actor=officer,
            channel=RegistrationChannel.WALK_IN,
        )
    counted = _tables()
    # when everything is recounted from the database
    stats_rebuild()
    # then nothing differs, and the first-choice job type is the one listed first
    assert _tables() == counted
    assert len(counted[2]) == 3
    assert {row[3] for row in counted[2].values()} == {
        0,
        JobType.objects.get(code="caregiver").pk,
        job_types[0].pk,
    }


def test_a_self_registration_is_counted_by_the_next_refresh_as_a_recount_would(officer):
    # given figures counted up to now, and a person who registers themselves on a phone
    candidate_register(
        data=registration_data(serial=1), actor=officer, channel=RegistrationChannel.WALK_IN
    )
    stats_rebuild()
    account = user_create(
        actor=None, username="sendiri", role=Role.CANDIDATE, phone="+6285712340001"
    )
    identity_only = {
        key: value
        for key, value in registration_data(serial=9).items()
        if key in SECTIONS["identity"]
    }
    mine = candidate_register(
        data=identity_only, actor=account, channel=RegistrationChannel.SELF, user=account
    )
    # then the request did not wait for the dashboard's figures
    assert not CandidateStat.objects.filter(candidate_id=mine.pk).exists()
    # when the periodic refresh runs
    stats_refresh()
    counted = _tables()
    # then the record is counted, exactly as a recount from the database counts it
    assert CandidateStat.objects.filter(candidate_id=mine.pk).exists()
    stats_rebuild()
    assert _tables() == counted

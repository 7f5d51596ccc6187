"""The training demo: cohorts completed, in progress and planned, made through the services; idempotent."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate, StageHistory
from jalur.candidates.stages import Stage
from jalur.pathways.reference import PATHWAYS
from jalur.training.models import Assessment, Certificate, Cohort, Enrolment, Programme, Session


@pytest.mark.django_db
def test_seed_demo_builds_training_in_every_state_and_running_it_again_adds_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    counts = [m.objects.count() for m in (Cohort, Enrolment, Session, Assessment, Certificate)]
    call_command("seed_demo", stdout=io.StringIO())
    assert [
        m.objects.count() for m in (Cohort, Enrolment, Session, Assessment, Certificate)
    ] == counts
    assert {c.status() for c in Cohort.objects.all()} == {"closed", "running", "planned"}
    assert Certificate.objects.exists()
    assert Candidate.objects.filter(stage=Stage.TRAINING).exists()
    # graduates reached TRAINED (later apps' demos may move them on to selection)
    assert (
        StageHistory.objects.filter(from_stage=Stage.TRAINING, to_stage=Stage.TRAINED).count()
        == Certificate.objects.count()
    )
    running = next(c for c in Cohort.objects.all() if c.status() == "running")
    assert running.sessions.filter(register_saved_at__isnull=False).exists()
    # every stage move went through the stage service (audited)
    assert AuditLog.objects.filter(
        action="candidate.stage_change", changes__stage__1=Stage.TRAINED
    ).exists()


@pytest.mark.django_db
def test_the_demo_is_seeded_on_the_day_a_pathway_closes():
    """Japan's TITP closes on a date of the reference data; from that day the demo's programmes
    prepare only for the pathways still open (a programme is refused for a closed one)."""
    titp = next(p for p in PATHWAYS if p["code"] == "jp-titp")
    jakarta = datetime.timezone(datetime.timedelta(hours=7))
    with time_machine.travel(
        datetime.datetime.combine(titp["closes_on"], datetime.time(10), jakarta), tick=True
    ):
        call_command("seed_demo", stdout=io.StringIO())
    pathways = set(
        Programme.objects.get(code="jepang-jft-n4").pathways.values_list("code", flat=True)
    )
    assert pathways == {"jp-ssw-p2p", "jp-ssw-mandiri"}

"""The candidates demo: the people waiting for a verifier can be verified once their documents
are checked (nothing in their own data blocks them)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.candidates.selectors import verification_blockers
from jalur.candidates.stages import Stage
from jalur.pathways.selectors import job_type_countries

pytestmark = pytest.mark.django_db


def test_everyone_in_the_demo_queue_wants_a_job_with_an_open_pathway_to_their_country():
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    routes = job_type_countries()
    waiting = Candidate.objects.filter(stage=Stage.REGISTERED).prefetch_related(
        "preferred_job_types"
    )
    assert waiting
    for candidate in waiting:
        blockers = " ".join(verification_blockers(candidate, today=today))
        assert "Negara dan pekerjaan tujuan belum lengkap" not in blockers, candidate
        jobs = list(candidate.preferred_job_types.all())
        assert jobs and all(
            routes.get(job.pk, set()) & set(candidate.preferred_countries) for job in jobs
        )

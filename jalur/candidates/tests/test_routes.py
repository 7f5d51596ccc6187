"""Candidates reads where job types lead through what the pathways app registers, not by importing it."""

import pytest

from jalur.candidates import routes
from jalur.pathways.models import JobType, Pathway
from jalur.pathways.selectors import job_type_countries

pytestmark = pytest.mark.django_db


def test_the_pathways_app_registers_the_routes_candidates_reads():
    assert routes.job_type_countries() == job_type_countries()
    baby_sitter = JobType.objects.get(code="baby-sitter")
    assert baby_sitter.pk not in routes.job_type_countries()  # no legal route at all


def test_a_pathway_suspended_today_takes_its_job_types_out_of_the_routes():
    welder = JobType.objects.get(code="welder")
    assert "KR" in routes.job_type_countries()[welder.pk]
    Pathway.objects.filter(code__in=["kr-e7", "kr-eps-g2g"]).update(state="suspended")
    assert "KR" not in routes.job_type_countries().get(welder.pk, set())


def test_the_job_types_offered_are_the_active_ones():
    JobType.objects.filter(code="painter").update(is_active=False)
    codes = set(routes.job_types().values_list("code", flat=True))
    assert "painter" not in codes and "welder" in codes

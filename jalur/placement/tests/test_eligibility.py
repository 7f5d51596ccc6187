"""The SQL filter that ranks 100,000 candidates must say exactly what the pathways engine says.

A random population is built around every boundary the rules have (birthdays on the day, 29
February, results that expire today, mock against official, a skill test for another job type…),
then the set the SQL returns is compared with the engine's verdict for each person.
"""

import datetime
import random
from decimal import Decimal

import pytest

from jalur.candidates.models import Education, Sex
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.pathways.results import results_for
from jalur.placement.eligibility import (
    eligible_candidates,
    order_eligibility,
    order_requirements,
    years_before,
)
from jalur.placement.models import JobOrder
from jalur.training.models import ResultKind
from jalur.training.scales import Test as Exam

from .conftest import add_result

pytestmark = pytest.mark.django_db

ON = datetime.date(2028, 2, 29)  # a leap day, so birthdays on 29 February are at the edge


def _random_population(rng: random.Random, n: int, ssw, industrial, caregiver, other_pathway):
    people = []
    for i in range(n):
        age = rng.choice([17, 18, 19, 20, 24, 29, 30, 34, 35, 36, 39, 40])
        edge = rng.random()
        if edge < 0.25:
            birth = years_before(ON, age)  # birthday today
        elif edge < 0.35:
            birth = datetime.date(ON.year - age, 2, 29 if (ON.year - age) % 4 == 0 else 28)
        else:
            birth = years_before(ON, age) - datetime.timedelta(days=rng.randint(-200, 200))
        candidate = CandidateFactory(
            birth_date=birth,
            sex=rng.choice([Sex.MALE, Sex.FEMALE]),
            education_level=rng.choice(["", *Education.values]),
            height_cm=rng.choice([None, 150, 159, 160, 161, 175]),
            experience_years=rng.choice([0, 1, 2, 3]),
            prior_abroad_country=rng.choice(["", "JP", "KR", "MY"]),
            prior_abroad_years=Decimal(rng.choice(["0", "1.5", "4.9", "5.0", "6"])),
            stage=rng.choice(
                [Stage.TRAINED, Stage.TRAINED, Stage.SELECTION, Stage.VERIFIED, Stage.PRE_DEPARTURE]
            ),
            nik=f"3673{i:012d}",
        )
        assignment = rng.choice(["fit", "fit", "fit_no_job", "other_job", "other_pathway", None])
        if assignment == "fit":
            PathwayAssignment.objects.create(candidate=candidate, pathway=ssw, job_type=industrial)
        elif assignment == "fit_no_job":
            PathwayAssignment.objects.create(candidate=candidate, pathway=ssw, job_type=None)
        elif assignment == "other_job":
            PathwayAssignment.objects.create(candidate=candidate, pathway=ssw, job_type=caregiver)
        elif assignment == "other_pathway":
            PathwayAssignment.objects.create(candidate=candidate, pathway=other_pathway)
        # Most people hold what the pathway asks, so every variant has people on both sides.
        if rng.random() < 0.7:
            add_result(candidate, Exam.JFT_BASIC, score=rng.choice([200, 201, 230]), passed=True)
            add_result(candidate, Exam.SKILL, score=80, passed=True, job_type=industrial)
        if rng.random() < 0.4:
            add_result(candidate, Exam.JLPT, score=120, passed=True, jlpt_level="N3")
        if rng.random() < 0.4:
            add_result(
                candidate,
                Exam.LICENCE,
                passed=True,
                job_type=industrial,
                certificate_number="SIM-0",
                title="SIM Jepang",
            )
        for _ in range(rng.randint(0, 3)):
            test = rng.choice([Exam.JFT_BASIC, Exam.JLPT, Exam.SKILL, Exam.LICENCE, Exam.EPS_TOPIK])
            kind = rng.choice([ResultKind.OFFICIAL, ResultKind.OFFICIAL, ResultKind.MOCK])
            valid_until = rng.choice([None, None, ON, ON - datetime.timedelta(days=1)])
            if test == Exam.JFT_BASIC:
                score = rng.choice([150, 199, 200, 201, 230])
                add_result(
                    candidate,
                    test,
                    score=score,
                    passed=score >= 200,
                    kind=kind,
                    valid_until=valid_until,
                )
            elif test == Exam.JLPT:
                add_result(
                    candidate,
                    test,
                    score=rng.randint(70, 150),
                    passed=rng.random() < 0.6,
                    kind=kind,
                    valid_until=valid_until,
                    jlpt_level=rng.choice(["N5", "N4", "N3", "N2"]),
                )
            elif test == Exam.EPS_TOPIK:
                add_result(
                    candidate,
                    test,
                    score=rng.choice([79, 80, 150]),
                    passed=True,
                    kind=kind,
                    valid_until=valid_until,
                )
            elif test == Exam.SKILL:
                add_result(
                    candidate,
                    test,
                    score=rng.choice([None, 60, 90]),
                    passed=rng.random() < 0.7,
                    kind=kind,
                    valid_until=valid_until,
                    job_type=rng.choice([industrial, caregiver, None]),
                )
            else:
                add_result(
                    candidate,
                    test,
                    passed=rng.random() < 0.7,
                    kind=kind,
                    valid_until=valid_until,
                    job_type=rng.choice([industrial, None]),
                    certificate_number="SIM-1",
                    title="SIM Jepang",
                )
        people.append(candidate)
    return people


def _order(ssw, industrial, **extra) -> JobOrder:
    """An unsaved order is enough: the rules read its fields only."""
    return JobOrder(
        pathway=ssw,
        job_type=industrial,
        employer_country=ssw.country,
        positions=1,
        **extra,
    )


ORDER_VARIANTS = [
    {},
    {"min_age": 20, "max_age": 35, "min_education": "SMA", "min_height_cm": 160},
    {
        "sex": "L",
        "sex_reason": "asrama laki-laki",
        "min_experience_years": 1,
        "jlpt_min_level": "N3",
    },
    {"jft_min_score": 201, "licence_required": True, "licence_name": "SIM Jepang"},
    {"max_age": 18},
]


@pytest.mark.parametrize("extra", ORDER_VARIANTS, ids=[str(sorted(v)) for v in ORDER_VARIANTS])
def test_the_sql_filter_and_the_engine_agree_on_every_person(extra):
    rng = random.Random(20260101 + len(extra))
    ssw = Pathway.objects.get(code="jp-ssw-p2p")
    industrial = JobType.objects.get(code="industrial")
    caregiver = JobType.objects.get(code="caregiver")
    other = Pathway.objects.get(code="jp-ssw-mandiri")
    people = _random_population(rng, 220, ssw, industrial, caregiver, other)
    order = _order(ssw, industrial, **extra)

    by_sql = set(eligible_candidates(order, ON).values_list("pk", flat=True))
    results = results_for([p.pk for p in people])
    by_engine = {
        p.pk
        for p in people
        if order_eligibility(candidate=p, order=order, on=ON, results=results[p.pk]).eligible
    }
    assert by_sql == by_engine
    assert by_engine, "the population should contain eligible people"
    assert len(by_engine) < len(people), "…and people who fail"


def test_a_caregiver_order_needs_care_japanese_in_the_sql_as_in_the_engine():
    """The ranking and the recommendations read the SQL: a caregiver without the care-Japanese
    test must not be ranked for a caregiver order the engine would refuse."""
    rng = random.Random(20261128)
    ssw = Pathway.objects.get(code="jp-ssw-p2p")
    industrial = JobType.objects.get(code="industrial")
    caregiver = JobType.objects.get(code="caregiver")
    other = Pathway.objects.get(code="jp-ssw-mandiri")
    people = _random_population(rng, 160, ssw, industrial, caregiver, other)
    for person in people:
        add_result(person, Exam.SKILL, score=85, passed=True, job_type=caregiver)
        if rng.random() < 0.6:
            add_result(
                person,
                Exam.CARE_JAPANESE,
                passed=rng.random() < 0.8,
                kind=rng.choice([ResultKind.OFFICIAL, ResultKind.OFFICIAL, ResultKind.MOCK]),
                valid_until=rng.choice([None, ON, ON - datetime.timedelta(days=1)]),
            )
    order = _order(ssw, caregiver)
    by_sql = set(eligible_candidates(order, ON).values_list("pk", flat=True))
    results = results_for([p.pk for p in people])
    verdicts = {
        p.pk: order_eligibility(candidate=p, order=order, on=ON, results=results[p.pk])
        for p in people
    }
    assert by_sql == {pk for pk, verdict in verdicts.items() if verdict.eligible}
    assert by_sql, "the population should contain eligible caregivers"
    only_care_japanese = [
        pk
        for pk, verdict in verdicts.items()
        if [r.code for r in verdict.rules if not r.passed] == [Exam.CARE_JAPANESE]
    ]
    assert only_care_japanese, "…and people refused for the care-Japanese test alone"


def test_a_korean_order_uses_eps_topik_and_the_prior_years_limit():
    e7 = Pathway.objects.get(code="kr-e7")
    welder = JobType.objects.get(code="welder")
    rng = random.Random(7)
    people = _random_population(rng, 1, e7, welder, welder, e7)
    order = _order(e7, welder, eps_topik_min_score=80)
    requirements = order_requirements(order)
    assert requirements.languages[0].eps_topik_min == 80
    assert requirements.skill_test
    strong = CandidateFactory(stage=Stage.TRAINED, nik="3673999999990001")
    PathwayAssignment.objects.create(candidate=strong, pathway=e7, job_type=welder)
    add_result(strong, Exam.EPS_TOPIK, score=150)
    add_result(strong, Exam.SKILL, score=85, job_type=welder)
    assert list(eligible_candidates(order, ON).values_list("pk", flat=True)) == [strong.pk]
    assert people[0].pk not in set(eligible_candidates(order, ON).values_list("pk", flat=True))


def test_a_pathway_that_is_not_open_makes_nobody_eligible(make_trained, ssw, industrial):
    make_trained()
    ssw.state, ssw.state_reason = "suspended", "Moratorium"
    order = _order(ssw, industrial)
    assert not eligible_candidates(order, datetime.date.today()).exists()


def test_each_failing_rule_says_what_is_missing(make_trained, ssw, industrial):
    candidate = make_trained(jft=180, skill=None, height_cm=150)
    order = _order(ssw, industrial, min_height_cm=160)
    outcome = order_eligibility(candidate=candidate, order=order, on=datetime.date.today())
    messages = {r.code: r.message for r in outcome.failures}
    assert messages["height"] == "tinggi 150 cm, minimal 160 cm"
    assert "JFT-Basic 180" in messages["language"]
    assert "belum lulus" in messages["skill"]


def test_a_candidate_not_yet_trained_or_on_another_pathway_is_told_why(
    make_trained, ssw, industrial
):
    candidate = make_trained(stage=Stage.TRAINING)
    order = _order(ssw, industrial)
    failures = {
        r.code: r.message
        for r in order_eligibility(
            candidate=candidate, order=order, on=datetime.date.today()
        ).failures
    }
    assert "harus sudah lulus pelatihan" in failures["training"]
    caregiver_job = JobType.objects.get(code="caregiver")
    other = make_trained(job_type=caregiver_job)
    failures = {
        r.code: r.message
        for r in order_eligibility(candidate=other, order=order, on=datetime.date.today()).failures
    }
    assert "bukan" in failures["assignment"]


@pytest.mark.parametrize(
    ("on", "years", "expected"),
    [
        (datetime.date(2028, 2, 29), 18, datetime.date(2010, 2, 28)),
        (datetime.date(2028, 2, 29), 20, datetime.date(2008, 2, 29)),
        (datetime.date(2026, 11, 28), 18, datetime.date(2008, 11, 28)),
    ],
)
def test_years_before_handles_the_leap_day(on, years, expected):
    assert years_before(on, years) == expected

"""The matching run's reader (`matching.inputs.build_inputs`) against the per-order ranking
(`selection.ranked`): over a varied population and orders of both countries, several job types and
different requirements, every (person, order) pair, its score and each of its five parts must be
the same, as must who takes part, their groups and the orders they want."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from jalur.candidates.models import StageHistory
from jalur.candidates.stages import Stage
from jalur.pathways.models import JobType, Pathway
from jalur.placement.eligibility import years_before
from jalur.placement.matching.inputs import (
    PARTS,
    SCORE_DIGITS,
    build_inputs,
    preferences_from_applications,
    start_of_day,
)
from jalur.placement.models import Application, JobOrder
from jalur.placement.selection import ranked
from jalur.placement.states import ApplicationStatus
from jalur.training.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from jalur.training.scales import Test as Kind
from jalur.training.tests.factories import CohortFactory, SessionFactory

from .conftest import add_result, days

pytestmark = pytest.mark.django_db


def _expected(orders, on):
    """What the per-order ranking gives, pair by pair, less the pairs with an application."""
    now = start_of_day(on)
    taken = set(Application.objects.values_list("candidate_id", "order_id"))
    scores, parts, groups, wants = {}, {}, {}, {}
    for order in orders:
        rows = ranked(order, on=on, now=now).values_list(
            "pk", "sex", "district_id", "score", *(f"part_{name}" for name in PARTS)
        )
        for pk, sex, district, score, *values in rows:
            if (pk, order.pk) in taken:
                continue
            scores[(pk, order.pk)] = round(float(score), SCORE_DIGITS)
            parts[(pk, order.pk)] = tuple(round(float(v or 0.0), SCORE_DIGITS) for v in values)
            groups[pk] = {"sex": sex} | ({"kecamatan": district} if district else {})
            if parts[(pk, order.pk)][PARTS.index("preference")] >= 100.0:
                wants.setdefault(pk, set()).add(order.pk)
    return scores, parts, groups, wants


def _attendance(candidate, attended: int, of: int):
    cohort = CohortFactory(capacity=5)
    enrolment = Enrolment.objects.create(
        cohort=cohort, candidate=candidate, status=EnrolmentStatus.COMPLETED
    )
    for i in range(of):
        session = SessionFactory(cohort=cohort, date=cohort.start_date + datetime.timedelta(days=i))
        Attendance.objects.create(
            session=session,
            enrolment=enrolment,
            status=AttendanceStatus.PRESENT if i < attended else AttendanceStatus.ABSENT,
        )


@pytest.fixture
def population(make_trained, ssw, industrial, caregiver):
    """Sixty people on three pathways, with results of every kind (some expired, a JLPT pass, a
    skill pass without a score, an EPS-TOPIK), attendance, time waiting and chosen preferences."""
    rng = random.Random(19)
    eps = Pathway.objects.get(code="kr-eps-g2g")
    welder = JobType.objects.get(code="welder")
    now = timezone.now()
    today = timezone.localdate()
    people = []
    for i in range(60):
        on_kr = i % 4 == 3
        job = rng.choice([industrial, industrial, caregiver]) if not on_kr else welder
        person = make_trained(
            jft=None if on_kr else rng.choice([None, 180, 200, 215, 230, 240, 250]),
            skill=rng.choice([None, 60, 72, 85, 100]),
            job_type=job,
            pathway=eps if on_kr else ssw,
            stage=rng.choice([Stage.TRAINED, Stage.TRAINED, Stage.SELECTION, Stage.TRAINING]),
            sex=rng.choice("LP"),
            height_cm=rng.choice([None, 150, 160, 172]),
            preferred_countries=rng.choice([[], ["JP"], ["KR"], ["JP", "KR"]]),
            # around the age limits of the orders below (20 to 30), to the day
            birth_date=years_before(today, rng.choice([19, 20, 25, 30, 31]))
            + datetime.timedelta(days=rng.choice([-1, 0, 1])),
            education_level=rng.choice(["", "SD", "SMP", "SMA", "SMK", "D3"]),
            experience_years=rng.choice([0, 0, 1, 3]),
            prior_abroad_country=rng.choice(["", "", "KR", "JP"]),
            prior_abroad_years=Decimal(rng.choice(["0", "1.5", "4", "5"])),
        )
        type(person).objects.filter(pk=person.pk).update(
            stage_changed_at=now - datetime.timedelta(days=rng.randint(0, 500), hours=i)
        )
        if person.stage == Stage.SELECTION and rng.random() < 0.7:
            StageHistory.objects.create(
                candidate=person,
                from_stage=Stage.TRAINING,
                to_stage=Stage.TRAINED,
                created_at=now - datetime.timedelta(days=rng.randint(1, 300), minutes=i),
            )
        if job == caregiver and rng.random() < 0.8:  # Japan SSW care work asks for it
            add_result(person, Kind.CARE_JAPANESE, passed=True)
        if on_kr:
            add_result(person, Kind.EPS_TOPIK, score=rng.choice([None, 90, 130, 170]))
        if rng.random() < 0.3:
            add_result(person, Kind.JLPT, score=100, jlpt_level=rng.choice(["N5", "N4", "N3"]))
        if rng.random() < 0.2:  # an old result, no longer valid: it counts for nothing
            add_result(person, Kind.JFT_BASIC, score=250, valid_until=days(-1))
        if rng.random() < 0.2:  # a skill pass recorded without a score
            add_result(person, Kind.SKILL, score=None, job_type=job)
        if rng.random() < 0.7:
            _attendance(person, rng.randint(0, 6), 6)
        choice = rng.choice([[], [industrial], [caregiver], [welder, caregiver]])
        person.preferred_job_types.set(choice)
        people.append(person)
    return people + _on_the_edges(make_trained, eps, welder, today)


def _on_the_edges(make_trained, eps, welder, today):
    """People who pass every rule of the orders below but one column, which sits exactly on an
    order's limit or one step past it: the SQL and the reader must put each on the same side."""
    strong = {"jft": 240, "skill": 85, "stage": Stage.TRAINED, "education_level": "SMA"}
    strong |= {"height_cm": 170, "experience_years": 2, "birth_date": years_before(today, 25)}
    edges = [
        {"birth_date": years_before(today, 31)},  # 31 today: over "at most 30"
        {"birth_date": years_before(today, 31) + datetime.timedelta(days=1)},
        {"birth_date": years_before(today, 21)},  # 21 today: "at least 21"
        {"birth_date": years_before(today, 21) + datetime.timedelta(days=1)},
        {"height_cm": 158},
        {"height_cm": 157},
        {"height_cm": None},
        {"experience_years": 1},
        {"experience_years": 0},
        {"education_level": "SMP"},
    ]
    people = [make_trained(**(strong | edge)) for edge in edges]
    for years in ("5.0", "4.9"):  # Korea EPS: less than 5 years already worked in Korea
        person = make_trained(
            job_type=welder,
            pathway=eps,
            **(strong | {"jft": None, "prior_abroad_country": "KR"}),
            prior_abroad_years=Decimal(years),
        )
        add_result(person, Kind.EPS_TOPIK, score=150)
        people.append(person)
    return people


def _orders(approved_order, ssw, industrial, caregiver):
    """Eight orders: two alike (one eligibility query for both), a caregiver order, one with a
    height rule, one for women only, a Korean EPS order for welders (where years already worked in
    Korea count), and two with age, education and experience rules."""
    eps = Pathway.objects.get(code="kr-eps-g2g")
    welder = JobType.objects.get(code="welder")
    orders = [approved_order(positions=1, position_title=f"Operator {i}") for i in range(8)]
    changes = [
        {},
        {},
        {"job_type": caregiver},
        {"min_height_cm": 158},
        {"sex": "P", "sex_reason": "Asrama khusus perempuan"},
        {"pathway": eps, "job_type": welder, "employer_country": "KR", "jft_min_score": None},
        {"min_age": 20, "max_age": 30, "min_education": "SMA"},
        {"min_age": 21, "min_experience_years": 1, "min_education": "SMP", "min_height_cm": 150},
    ]
    for order, change in zip(orders, changes, strict=True):
        if change:
            JobOrder.objects.filter(pk=order.pk).update(**change)
    rows = JobOrder.objects.filter(pk__in=[o.pk for o in orders]).select_related("pathway")
    return list(rows.order_by("pk"))


def test_every_pair_score_and_part_equals_the_per_order_ranking(
    population, approved_order, ssw, industrial, caregiver
):
    orders = _orders(approved_order, ssw, industrial, caregiver)
    on = timezone.localdate()
    # one person applied to the first order: they take no part in it, but do in the others
    before, *_rest = _expected(orders, on)
    applicant = next(p for p in population if (p.pk, orders[1].pk) in before)
    Application.objects.create(
        candidate=applicant,
        order=orders[0],
        status=ApplicationStatus.APPLIED,
        applied_at=timezone.now(),
    )

    inputs = build_inputs(on=on)
    scores, parts, groups, wants = _expected(orders, on)

    assert len(scores) > 40, "the population should give many eligible pairs"
    assert {o for _p, o in scores} == {o.pk for o in orders}, "every order has someone"
    assert inputs.problem.scores == scores
    assert inputs.parts == parts
    people = {p.id: p for p in inputs.problem.people}
    assert {pk: p.group for pk, p in people.items()} == groups
    assert {pk: set(p.wants) for pk, p in people.items() if p.wants} == wants
    assert (applicant.pk, orders[0].pk) not in inputs.problem.scores
    # their application says which kind of work they want first: the run's other orders of that
    # country and job type lead their preferences, best score first
    first = orders[0]
    same_kind = [
        o.pk
        for o in orders[1:]
        if (o.employer_country, o.job_type_id) == (first.employer_country, first.job_type_id)
        and (applicant.pk, o.pk) in scores
    ]
    assert same_kind, "the applicant is eligible for another order of the same kind"
    same_kind.sort(key=lambda o: (-scores[(applicant.pk, o)], o))
    assert people[applicant.pk].preferences == tuple(same_kind)
    assert all(not p.preferences for pk, p in people.items() if pk != applicant.pk)
    # each person on an edge is on the side the SQL puts them (and both sides are there)
    edge = population[-12:]
    assert (edge[0].pk, orders[6].pk) not in scores and (edge[1].pk, orders[6].pk) in scores
    assert (edge[2].pk, orders[7].pk) in scores and (edge[3].pk, orders[7].pk) not in scores
    assert (edge[4].pk, orders[3].pk) in scores and (edge[5].pk, orders[3].pk) not in scores
    assert (edge[6].pk, orders[3].pk) not in scores
    assert (edge[7].pk, orders[7].pk) in scores and (edge[8].pk, orders[7].pk) not in scores
    assert (edge[9].pk, orders[6].pk) not in scores and (edge[9].pk, orders[7].pk) in scores
    assert (edge[10].pk, orders[5].pk) not in scores and (edge[11].pk, orders[5].pk) in scores
    # the parts really differ between people and orders (the comparison is not of zeros)
    for k, name in enumerate(PARTS):
        assert len({v[k] for v in parts.values()}) > 2, name


def test_a_chosen_subset_of_orders_reads_only_those(
    population, approved_order, ssw, industrial, caregiver
):
    orders = _orders(approved_order, ssw, industrial, caregiver)
    on = timezone.localdate()
    chosen = [orders[2], orders[5]]

    inputs = build_inputs([o.pk for o in chosen], on=on)

    scores, parts, _groups, _wants = _expected(chosen, on)
    assert {o.id for o in inputs.problem.orders} == {o.pk for o in chosen}
    assert inputs.problem.scores == scores and inputs.parts == parts


def test_preferences_follow_the_order_of_applications_then_score():
    japan_care, korea_weld, japan_farm = ("JP", 1), ("KR", 2), ("JP", 3)
    eligible = {
        10: (korea_weld, 80.0),
        11: (japan_care, 70.0),
        12: (japan_care, 90.0),
        13: (japan_farm, 99.0),  # a kind never applied for: left to the engine
        14: (korea_weld, 80.0),
    }
    applied = [japan_care, korea_weld, japan_care]
    assert preferences_from_applications(applied, eligible) == (12, 11, 10, 14)
    assert preferences_from_applications([], eligible) == ()

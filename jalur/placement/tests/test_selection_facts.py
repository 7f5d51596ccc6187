"""The ranking reads attendance and the best language result from the kept `SelectionFacts`: on
any day, before or after a kept best expires, the parts are those the records themselves give."""

import datetime
import random

import pytest
from django.db.models import Count, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.training.models import ATTENDED, Assessment, Attendance, ResultKind
from jalur.training.scales import Test as Exam
from jalur.training.services.facts import language_results

from ..selection import _attendance_part, _language_part, _skill_part, ranked
from .conftest import add_result
from .test_selection import _attendance

pytestmark = pytest.mark.django_db


class _Order:
    def __init__(self, country, job_type):
        self.employer_country = country
        self.job_type_id = job_type


def _from_the_records(country: str, job_type: int, on: datetime.date):
    """The parts as the ranking computed them before the facts: every mark and result read."""
    group = "kr" if country == "KR" else "jp"
    valid = language_results(group).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    rate = (
        Attendance.objects.filter(enrolment__candidate_id=OuterRef("pk"))
        .order_by()
        .values("enrolment__candidate_id")
        .annotate(
            pct=Cast(Count("id", filter=Q(status__in=ATTENDED)), FloatField())
            * 100.0
            / Cast(Count("id"), FloatField())
        )
        .values("pct")
    )
    skill = (
        Assessment.objects.filter(
            candidate=OuterRef("pk"),
            kind=ResultKind.OFFICIAL,
            test=Exam.SKILL,
            passed=True,
            job_type_id=job_type,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .annotate(part=Coalesce(Cast("score", FloatField()), Value(100.0)))
        .order_by("-part")
        .values("part")[:1]
    )
    return {
        "skill": Coalesce(Subquery(skill, output_field=FloatField()), Value(0.0)),
        "language": Coalesce(Subquery(valid.values("part")[:1]), Value(0.0)),
        "attendance": Coalesce(Subquery(rate, output_field=FloatField()), Value(0.0)),
    }


def test_the_kept_parts_equal_the_records_on_any_day(make_trained, industrial, caregiver):
    rng = random.Random(7)
    today = timezone.localdate()
    for i in range(14):
        person = make_trained(jft=None, skill=None)
        for _ in range(rng.randint(0, 3)):
            test = rng.choice([Exam.JFT_BASIC, Exam.JLPT, Exam.EPS_TOPIK])
            until = rng.choice([None, today + datetime.timedelta(days=rng.randint(-30, 90))])
            kind = rng.choice([ResultKind.OFFICIAL, ResultKind.OFFICIAL, ResultKind.MOCK])
            if test == Exam.JFT_BASIC:
                add_result(person, test, score=rng.randint(150, 250), valid_until=until, kind=kind)
            elif test == Exam.JLPT:
                level = rng.choice(["N5", "N4", "N3", "N2"])
                add_result(
                    person,
                    test,
                    score=120,
                    passed=rng.random() < 0.8,
                    jlpt_level=level,
                    valid_until=until,
                    kind=kind,
                )
            else:
                add_result(person, test, score=rng.randint(60, 190), valid_until=until, kind=kind)
        for _ in range(rng.randint(0, 3)):
            until = rng.choice([None, today + datetime.timedelta(days=rng.randint(-30, 90))])
            add_result(
                person,
                Exam.SKILL,
                score=rng.choice([None, 60, 85]),
                passed=rng.random() < 0.8,
                job_type=rng.choice([industrial, caregiver]),
                valid_until=until,
                kind=rng.choice([ResultKind.OFFICIAL, ResultKind.OFFICIAL, ResultKind.MOCK]),
            )
        if i % 3:
            _attendance(person, attended=rng.randint(0, 4), missed=rng.randint(0, 3))
    for days in (-40, 0, 20, 45, 100):
        on = today + datetime.timedelta(days=days)
        for country, job_type in (("JP", industrial.pk), ("KR", caregiver.pk)):
            order = _Order(country, job_type)
            kept = {
                "skill": _skill_part(order, on),
                "language": _language_part(order, on),
                "attendance": _attendance_part(),
            }
            names = list(kept)
            got = Candidate.objects.annotate(**{f"k_{n}": kept[n] for n in names}).annotate(
                **{f"r_{n}": _from_the_records(country, job_type, on)[n] for n in names}
            )
            for row in got.values():
                for n in names:
                    assert row[f"k_{n}"] == row[f"r_{n}"], (days, country, n, row["id"])


def test_an_expired_best_gives_way_to_the_best_still_valid(make_trained, approved_order):
    order = approved_order()
    today = timezone.localdate()
    person = make_trained(jft=None)
    add_result(person, Exam.JFT_BASIC, score=250, valid_until=today + datetime.timedelta(days=9))
    add_result(person, Exam.JFT_BASIC, score=250, valid_until=today + datetime.timedelta(days=3))
    add_result(person, Exam.JFT_BASIC, score=202, valid_until=None)
    add_result(person, Exam.JLPT, score=120, jlpt_level="N3", valid_until=today)  # 220 on JFT
    _attendance(person, attended=2, missed=1)
    now = timezone.now()

    def part(days: int) -> float:
        [row] = ranked(order, on=today + datetime.timedelta(days=days), now=now)
        assert row.part_attendance == 2 * 100.0 / 3
        return row.part_language

    assert part(0) == part(9) == 100.0  # the later expiry of the two 250s is kept
    assert part(10) == (202 - 10) * 100.0 / 240  # the N3 has expired too by then

"""The selection facts kept on each candidate's row are exactly what a rebuild from the records
gives, whatever the services, the admin's one-by-one writes, deletions or the synthetic generator
did to the marks and results."""

import datetime
import random

import pytest
from django.utils import timezone

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType
from jalur.training.models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    ResultKind,
    SelectionFacts,
    SkillFacts,
)
from jalur.training.scales import Test as Exam
from jalur.training.services import (
    assessment_delete,
    assessment_record,
    attendance_mark,
    attendance_register_save,
)
from jalur.training.services.facts import facts_differences, facts_rebuild

from .factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db
STATUSES = list(AttendanceStatus.values)


def _result_data(rng: random.Random, today: datetime.date) -> dict:
    test = rng.choice([Exam.JFT_BASIC, Exam.JLPT, Exam.EPS_TOPIK, Exam.SKILL])
    data = {
        "test": test,
        "kind": rng.choice([ResultKind.OFFICIAL, ResultKind.OFFICIAL, ResultKind.MOCK]),
        "taken_on": today - datetime.timedelta(days=rng.randint(30, 400)),
        # some never expire, some have expired, some still run; equal bests with other expiries
        "valid_until": rng.choice(
            [None, today - datetime.timedelta(days=5), today + datetime.timedelta(days=60)]
        ),
    }
    if test == Exam.JFT_BASIC:
        data["score"] = rng.choice([180, 200, 220, 250])
    elif test == Exam.JLPT:
        level = rng.choice(["N5", "N4", "N3"])
        data |= {
            "jlpt_level": level,
            "jlpt_language_reading": 100,
            "jlpt_listening": rng.choice([10, 50]),
        }
        if level == "N3":
            data |= {"jlpt_language": 50, "jlpt_reading": 50, "jlpt_language_reading": None}
    elif test == Exam.EPS_TOPIK:
        data |= {"reading": rng.choice([40, 70]), "listening": rng.choice([50, 80])}
    else:
        data |= {"score": rng.choice([70, 90, None]), "passed": rng.random() < 0.8}
        data |= {"title": "Uji", "issuer": "LSP"}
        data["job_type"] = JobType.objects.get(code=rng.choice(["industrial", "caregiver"]))
    return data


def test_random_writes_through_the_services_keep_every_row_equal_to_a_rebuild(trainer):
    rng = random.Random(20)
    today = timezone.localdate()
    cohorts = [CohortFactory(capacity=20) for _ in range(2)]
    sessions = {
        c.pk: [
            SessionFactory(cohort=c, date=c.start_date + datetime.timedelta(days=d))
            for d in range(4)
        ]
        for c in cohorts
    }
    people = [CandidateFactory(stage=Stage.TRAINING) for _ in range(8)]
    start = timezone.now() - datetime.timedelta(days=30)
    enrolments = [
        Enrolment.objects.create(
            cohort=cohort, candidate=person, status=EnrolmentStatus.ENROLLED, enrolled_at=start
        )
        for person in people
        for cohort in cohorts
        if rng.random() < 0.7
    ]
    results = []
    for _step in range(60):
        action = rng.random()
        enrolment = rng.choice(enrolments)
        session = rng.choice(sessions[enrolment.cohort_id])
        if action < 0.25:  # a whole register: the bulk writes
            mine = [e for e in enrolments if e.cohort_id == enrolment.cohort_id]
            statuses = {e.pk: rng.choice(STATUSES) for e in mine if rng.random() < 0.5}
            attendance_register_save(session=session, statuses=statuses, actor=trainer)
        elif action < 0.45:  # one tap
            attendance_mark(
                session=session, enrolment=enrolment, status=rng.choice(STATUSES), actor=trainer
            )
        elif action < 0.7:
            person = rng.choice(people)
            results.append(
                assessment_record(candidate=person, actor=trainer, data=_result_data(rng, today))
            )
        elif action < 0.8 and results:
            gone = results.pop(rng.randrange(len(results)))
            assessment_delete(assessment=gone, actor=trainer, reason="salah input")
        elif action < 0.87 and results:  # the admin changes a result: a save one by one
            changed = rng.choice(results)
            changed.valid_until = rng.choice([None, today - datetime.timedelta(days=1)])
            changed.kind = rng.choice(ResultKind.values)
            changed.save()
        elif action < 0.93:  # the admin corrects one mark, or deletes it
            mark = Attendance.objects.filter(enrolment=enrolment).first()
            if mark and rng.random() < 0.5:
                mark.status = rng.choice(STATUSES)
                mark.save()
            elif mark:
                mark.delete()
        elif len(enrolments) > 4:  # an enrolment deleted with its marks
            enrolments.remove(enrolment)
            enrolment.delete()
        assert facts_differences() == [], _step
    # a pass without a score counts full marks
    skill = {"test": Exam.SKILL, "kind": ResultKind.OFFICIAL, "taken_on": today, "score": None}
    skill |= {"passed": True, "title": "Uji", "issuer": "LSP"}
    skill["job_type"] = JobType.objects.get(code="industrial")
    assessment_record(candidate=people[0], actor=trainer, data=skill)
    assert facts_differences() == []
    assert SkillFacts.objects.get(candidate=people[0], job_type=skill["job_type"]).best == 100.0
    kept = SelectionFacts.objects.count()
    assert kept >= 5
    assert SelectionFacts.objects.filter(marks__gt=0).exists()
    assert SelectionFacts.objects.exclude(language_jp=None).exists()
    # a rebuild from nothing gives the same rows
    kept += SkillFacts.objects.count()
    SelectionFacts.objects.all().delete()
    SkillFacts.objects.all().delete()
    assert facts_rebuild() == kept


def test_a_deleted_candidate_takes_their_facts_with_them(trainer):
    person = CandidateFactory(stage=Stage.TRAINED)
    today, official = timezone.localdate(), ResultKind.OFFICIAL
    for data in (
        {"test": Exam.JFT_BASIC, "score": 230},
        {"test": Exam.SKILL, "score": 80, "passed": True, "title": "Uji", "issuer": "LSP"}
        | {"job_type": JobType.objects.get(code="welder")},
    ):
        data |= {"kind": official, "taken_on": today}
        assessment_record(candidate=person, actor=trainer, data=data)
    assert SelectionFacts.objects.filter(candidate=person).exists()
    assert SkillFacts.objects.filter(candidate=person).exists()
    person.delete()  # the results go with the person: nothing is recomputed for them
    assert not SelectionFacts.objects.exists()
    assert not SkillFacts.objects.exists()


def test_the_synthetic_generator_writes_the_facts_a_rebuild_gives():
    from jalur.reports.synthetic import Generator

    Generator(seed=3).run(300, batch=120)
    assert SelectionFacts.objects.filter(marks__gt=0).count() > 20
    assert facts_differences() == []

"""Keeping `SelectionFacts` and `SkillFacts` exact: each candidate's attendance counts, best
language results and best skill test per job type.

The values are defined here once, as SQL over the records (`facts_rows`, `skill_rows`): the
attendance marks over every register and those attended; for each language scale group
(LANGUAGE_GROUPS) the best normalised official result (`language_normalised`, the scale the ranking
scores on) and the latest expiry among the results reaching it; for each job type the best passed
official skill test (SKILL_PART), the latest expiry among those reaching it, and the latest expiry
of any of them (a valid one exists on a day exactly when that has not passed).

`facts_sync(ids)` recomputes the rows of some candidates from the records, after locking their
candidate rows (so two writers for one person take turns, the second seeing the first's marks);
it is called in the transaction of every write that changes them:

- a result saved or deleted, an attendance mark saved or deleted one by one (the admin, fixtures,
  an enrolment deleted with its marks): receivers of the models' signals (`training.facts`);
- the register's bulk writes (`services.attendance`), which send no signals;
- the synthetic generator writes the rows itself, by COPY (`reports.synthetic.training`);
- the exchange package carries the tables like every other, so an import copies the rows as kept;
- erasure and withdrawal keep results and marks (privacy.policy), so the facts stay as they are.

`facts_rebuild()` recomputes both tables in one statement each (the migration's backfill, the
benchmark's build, and the test that holds the kept rows to it).
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from jalur.candidates.models import Candidate

from ..facts import SelectionFacts, SkillFacts
from ..models import ATTENDED, Assessment, Attendance, ResultKind
from ..scales import JFT_MAX, JFT_MIN, Test

# A passed JLPT level counted on the JFT-Basic scale: N4 is the SSW equivalent of JFT-Basic A2 (200).
JLPT_AS_JFT = {"N5": 150, "N4": 200, "N3": 220, "N2": 235, "N1": 250}
_JFT_SPAN = JFT_MAX - JFT_MIN
# The language tests of each destination, scored on one scale: a job order in Korea reads "kr".
LANGUAGE_GROUPS = {"jp": (Test.JFT_BASIC, Test.JLPT), "kr": (Test.EPS_TOPIK,)}


def language_group(country: str) -> str:
    return "kr" if country == "KR" else "jp"


def language_normalised() -> Case:
    """A result on its group's 0–100 scale: EPS-TOPIK out of 200, JFT-Basic on 10–250, a passed
    JLPT level as the JFT-Basic score of the same level (JLPT_AS_JFT), anything else 0."""
    return Case(
        When(test=Test.EPS_TOPIK, then=Cast("score", FloatField()) / 2.0),
        When(
            test=Test.JFT_BASIC,
            then=(Cast("score", FloatField()) - JFT_MIN) * 100.0 / _JFT_SPAN,
        ),
        *[
            When(
                test=Test.JLPT,
                passed=True,
                jlpt_level=level,
                then=Value((score - JFT_MIN) * 100.0 / _JFT_SPAN),
            )
            for level, score in JLPT_AS_JFT.items()
        ],
        default=Value(0.0),
        output_field=FloatField(),
    )


def language_results(group: str, candidate=None) -> QuerySet[Assessment]:
    """The official results of a scale group, each with its normalised `part`, best first and,
    among equals, the one valid longest first (never expiring before any date)."""
    return (
        Assessment.objects.filter(
            candidate=candidate if candidate is not None else OuterRef("pk"),
            kind=ResultKind.OFFICIAL,
            test__in=LANGUAGE_GROUPS[group],
        )
        .annotate(part=language_normalised())
        .order_by("-part", F("valid_until").desc(nulls_first=True))
    )


def attendance_counts(attended: bool) -> Subquery:
    """How many attendance marks the candidate has over every register (only those attended)."""
    marks = Attendance.objects.filter(enrolment__candidate_id=OuterRef("pk"))
    if attended:
        marks = marks.filter(status__in=ATTENDED)
    counted = marks.order_by().values("enrolment__candidate_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


COLUMNS = ["candidate_id", "marks", "attended"] + [
    f"language_{g}{suffix}" for g in LANGUAGE_GROUPS for suffix in ("", "_until")
]


def facts_rows(candidates: QuerySet[Candidate]) -> QuerySet:
    """The facts of `candidates` computed from the records, in COLUMNS order (also for people
    without any: the callers keep only the others)."""
    annotations = {"marks": attendance_counts(False), "attended": attendance_counts(True)}
    for group in LANGUAGE_GROUPS:
        best = language_results(group)
        annotations[f"language_{group}"] = Subquery(best.values("part")[:1])
        annotations[f"language_{group}_until"] = Subquery(best.values("valid_until")[:1])
    return candidates.order_by().annotate(**annotations).values_list("pk", *annotations)


def _write(candidates: QuerySet[Candidate]) -> None:
    sql, params = facts_rows(candidates).query.sql_with_params()
    table = SelectionFacts._meta.db_table
    has_any = " OR ".join(
        ["f.marks > 0"] + [f"f.language_{g} IS NOT NULL" for g in LANGUAGE_GROUPS]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(COLUMNS)}) "  # noqa: S608 (names of this module)
            f"SELECT * FROM ({sql}) AS f WHERE {has_any}",
            params,
        )


def skill_results(candidate=None) -> QuerySet[Assessment]:
    """The passed official skill results of a job type (`job_type` of the outer row), each with
    its `part` on the ranking's scale, best first and, among equals, the one valid longest first."""
    return (
        Assessment.objects.filter(
            candidate=candidate if candidate is not None else OuterRef("candidate_id"),
            job_type=OuterRef("job_type_id"),
            kind=ResultKind.OFFICIAL,
            test=Test.SKILL,
            passed=True,
        )
        .annotate(part=SKILL_PART)
        .order_by("-part", F("valid_until").desc(nulls_first=True))
    )


# a skill result on the ranking's scale: its score, or full marks for a pass without one
SKILL_PART = Coalesce(Cast("score", FloatField()), Value(100.0))
SKILL_COLUMNS = ["candidate_id", "job_type_id", "best", "best_until", "passed_until"]


def skill_rows(candidate_ids=None) -> QuerySet:
    """SkillFacts computed from the records: one row per candidate and job type with a passed
    official skill result, in SKILL_COLUMNS order."""
    passed = Assessment.objects.filter(
        kind=ResultKind.OFFICIAL, test=Test.SKILL, passed=True, job_type__isnull=False
    )
    if candidate_ids is not None:
        passed = passed.filter(candidate_id__in=candidate_ids)
    return (
        passed.order_by()
        .values("candidate_id", "job_type_id")
        .alias(never=Count("id", filter=Q(valid_until__isnull=True)))
        .annotate(
            best=Max(SKILL_PART),
            best_until=Subquery(skill_results().values("valid_until")[:1]),
            passed_until=Case(
                When(never__gt=0, then=Value(None)),
                default=Max("valid_until"),
                output_field=DateField(),
            ),
        )
        .values_list(*SKILL_COLUMNS)
    )


def _write_skill(candidate_ids=None) -> None:
    sql, params = skill_rows(candidate_ids).query.sql_with_params()
    names = ", ".join(SKILL_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SkillFacts._meta.db_table} ({names}) "  # noqa: S608 (module's names)
            f"SELECT {', '.join(f'f.{n}' for n in SKILL_COLUMNS)} FROM ({sql}) AS f",
            params,
        )


def _sync(candidates: QuerySet[Candidate], *, skill: bool) -> None:
    with transaction.atomic(savepoint=False):
        # lock the people in one order, so two writers of one person's facts take turns
        ids = list(
            candidates.select_for_update(no_key=True, of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if ids:
            SelectionFacts.objects.filter(candidate_id__in=ids).delete()
            _write(Candidate.objects.filter(pk__in=ids))
            if skill:
                SkillFacts.objects.filter(candidate_id__in=ids).delete()
                _write_skill(ids)


def facts_sync(candidate_ids: Iterable[int], *, skill: bool = True) -> None:
    """Recompute the facts of these candidates from the records, in the caller's transaction
    (`skill=False`: only attendance and language, for a change of attendance marks)."""
    ids = {pk for pk in candidate_ids if pk is not None}
    if ids:
        _sync(Candidate.objects.filter(pk__in=ids), skill=skill)


def facts_rebuild() -> int:
    """Recompute every candidate's facts from the records; returns the number of rows."""
    with transaction.atomic():
        SelectionFacts.objects.all().delete()
        _write(Candidate.objects.all())
        SkillFacts.objects.all().delete()
        _write_skill()
        return SelectionFacts.objects.count() + SkillFacts.objects.count()


# --- receivers of the models' signals (connected in training.facts) -------------------------------
def _from_candidate(origin) -> bool:
    """Whether a deletion started at a candidate: their facts go with them, nothing to recompute."""
    model = getattr(origin, "model", None) or type(origin)
    return model is Candidate


def assessment_changed(sender, instance, origin=None, **kwargs) -> None:
    if origin is not None and _from_candidate(origin):
        return
    facts_sync([instance.candidate_id])


def attendance_changed(sender, instance, origin=None, **kwargs) -> None:
    if origin is not None and _from_candidate(origin):
        return
    _sync(Candidate.objects.filter(enrolments__pk=instance.enrolment_id), skill=False)


def facts_differences() -> list[tuple]:
    """The kept rows that differ from a rebuild (for the test and for a check by hand): each as
    (key, kept, rebuilt), the key (candidate,) or (candidate, job type)."""

    def rows():
        return {row[:1]: row for row in SelectionFacts.objects.values_list(*COLUMNS)} | {
            row[:2]: row for row in SkillFacts.objects.values_list(*SKILL_COLUMNS)
        }

    kept = rows()
    with transaction.atomic():
        facts_rebuild()
        rebuilt = rows()
        transaction.set_rollback(True)
    return [
        (pk, kept.get(pk), rebuilt.get(pk))
        for pk in sorted(kept.keys() | rebuilt.keys())
        if kept.get(pk) != rebuilt.get(pk)
    ]

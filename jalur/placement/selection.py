"""Ranking the eligible candidates of a job order by a transparent score, in the database.

The score is out of 100 and is the weighted sum of five parts, each itself out of 100, all shown to
the people who use the ranking:

- language: the best official, still valid language result (EPS-TOPIK and JFT-Basic on their own
  scales; a passed JLPT level counts as the JFT-Basic score of the same level, see JLPT_AS_JFT);
- skill: the best official skill test for the order's job type (a pass without a score counts 100);
- attendance: share of training sessions attended, over every register the candidate was on;
- waiting: days since the candidate finished training, full marks after WAITING_FULL_DAYS, so
  people who have waited longest are not passed over for ever;
- preference: half for the destination, half for the job type the candidate asked for (a candidate
  who named no preference is open to any and gets that half).

Everything is computed in one SQL query over the candidates who pass the hard requirements
(eligibility.eligible_candidates); only the page that is shown is loaded into Python.
`ranked` is the definition (every eligible person, every part); `ranked_page` gives one page of
it and the number of eligible people in one query, reading attendance only for the people who
can still reach that page.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import NotSupportedError, connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.candidates.models import Candidate, StageHistory
from jalur.candidates.stages import Stage
from jalur.training.models import ATTENDED, Assessment, Attendance, ResultKind
from jalur.training.scales import JFT_MAX, JFT_MIN, Test

from .eligibility import eligible_candidates

WEIGHTS: dict[str, int] = {
    "language": 40,
    "skill": 20,
    "attendance": 15,
    "waiting": 15,
    "preference": 10,
}
PART_LABELS = {
    "language": gettext_lazy("Bahasa"),
    "skill": gettext_lazy("Uji keterampilan"),
    "attendance": gettext_lazy("Kehadiran pelatihan"),
    "waiting": gettext_lazy("Lama menunggu"),
    "preference": gettext_lazy("Kesesuaian minat"),
}
WAITING_FULL_DAYS = 365
# A passed JLPT level counted on the JFT-Basic scale: N4 is the SSW equivalent of JFT-Basic A2 (200).
JLPT_AS_JFT = {"N5": 150, "N4": 200, "N3": 220, "N2": 235, "N1": 250}
_JFT_SPAN = JFT_MAX - JFT_MIN


class DaysSince(Func):
    """Days (with fraction) from a timestamp column to a fixed moment, on PostgreSQL and SQLite."""

    output_field = FloatField()

    def __init__(self, expression, moment: datetime.datetime):
        super().__init__(expression, Value(moment, output_field=DateTimeField()))

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"Jalur runs on PostgreSQL or SQLite, not {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql_template(
            compiler, connection, "EXTRACT(EPOCH FROM (%(moment)s - %(column)s)) / 86400.0"
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql_template(
            compiler, connection, "(julianday(%(moment)s) - julianday(%(column)s))"
        )

    def as_sql_template(self, compiler, connection, template):
        column, column_params = compiler.compile(self.source_expressions[0])
        moment, moment_params = compiler.compile(self.source_expressions[1])
        sql = template % {"column": column, "moment": moment}
        # The moment appears before the column in both templates.
        return sql, (*moment_params, *column_params)


def _language_part(order, on: datetime.date):
    tests = [Test.EPS_TOPIK] if order.employer_country == "KR" else [Test.JFT_BASIC, Test.JLPT]
    normalised = Case(
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
    best = (
        Assessment.objects.filter(
            candidate=OuterRef("pk"), kind=ResultKind.OFFICIAL, test__in=tests
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .annotate(part=normalised)
        .order_by("-part")
        .values("part")[:1]
    )
    return Coalesce(Subquery(best, output_field=FloatField()), Value(0.0))


def _skill_part(order, on: datetime.date):
    best = (
        Assessment.objects.filter(
            candidate=OuterRef("pk"),
            kind=ResultKind.OFFICIAL,
            test=Test.SKILL,
            passed=True,
            job_type_id=order.job_type_id,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .annotate(part=Coalesce(Cast("score", FloatField()), Value(100.0)))
        .order_by("-part")
        .values("part")[:1]
    )
    return Coalesce(Subquery(best, output_field=FloatField()), Value(0.0))


def _attendance_part():
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
    return Coalesce(Subquery(rate, output_field=FloatField()), Value(0.0))


def _trained_at():
    """When the candidate finished training. For someone still in "trained" that is the moment of
    their last stage change; only people already in selection need the history looked up."""
    latest = (
        StageHistory.objects.filter(candidate=OuterRef("pk"), to_stage=Stage.TRAINED)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Case(
        When(stage=Stage.TRAINED, then=F("stage_changed_at")),
        default=Coalesce(Subquery(latest, output_field=DateTimeField()), F("stage_changed_at")),
        output_field=DateTimeField(),
    )


def _preference_part(order):
    wanted = Candidate.preferred_job_types.through.objects.filter(candidate_id=OuterRef("pk"))
    country = Case(
        When(countries_text__contains=f'"{order.employer_country}"', then=Value(50.0)),
        When(countries_text="[]", then=Value(50.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    job = Case(
        When(Exists(wanted.filter(jobtype_id=order.job_type_id)), then=Value(50.0)),
        When(~Exists(wanted), then=Value(50.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return country + job


def _scored(order, on: datetime.date, now: datetime.datetime, parts) -> QuerySet[Candidate]:
    """The eligible candidates of `order` with the named parts of their score annotated."""
    made = {
        "language": lambda: _language_part(order, on),
        "skill": lambda: _skill_part(order, on),
        "attendance": _attendance_part,
        "waiting": lambda: Least(
            Greatest(DaysSince("trained_at", now), Value(0.0)) * 100.0 / WAITING_FULL_DAYS,
            Value(100.0),
        ),
        "preference": lambda: _preference_part(order),
    }
    return (
        eligible_candidates(order, on)
        .annotate(
            countries_text=Cast("preferred_countries", TextField()),
            trained_at=_trained_at(),
        )
        .annotate(**{f"part_{name}": made[name]() for name in parts})
    )


def _weighted_sum(parts):
    return sum(
        (F(f"part_{name}") * (WEIGHTS[name] / 100.0) for name in parts),
        start=Value(0.0),
    )


def ranked(order, *, on: datetime.date, now: datetime.datetime) -> QuerySet[Candidate]:
    """The eligible candidates of `order`, best first, with each part of the score annotated."""
    return (
        _scored(order, on, now, WEIGHTS)
        .annotate(score=_weighted_sum(WEIGHTS))
        .order_by("-score", "trained_at", "pk")
    )


# The part left out of the first pass of `ranked_page`: it reads about twenty attendance marks a
# person, the dearest part by far, and it can move a score by at most its weight.
_DEFERRED = "attendance"
_FIRST_PASS = [name for name in WEIGHTS if name != _DEFERRED]
# Float rounding of the sums is far below this; the bound only needs to hold, not to be tight.
_SLACK = 0.001


@dataclass(frozen=True)
class RankedPage:
    total: int  # everyone eligible for the order
    rows: list  # Candidates annotated as `ranked` annotates them, best first


def ranked_page(
    order,
    *,
    on: datetime.date,
    now: datetime.datetime,
    offset: int,
    limit: int,
    select_related: tuple[str, ...] = (),
) -> RankedPage:
    """Rows `offset` to `offset + limit` of `ranked(order)` (the same people, order and values),
    with the number of eligible people, reading each person's attendance only when they can
    still reach those rows.

    Everyone eligible is scored on every part but attendance in one pass, counted as they pass.
    Let T be the K-th best of these first-pass sums (K = offset + limit): K people score at least
    T in full, and attendance adds at most its weight (100 × 15 %), so someone whose sum is below
    T less that weight cannot be among the first K. Only the others get their attendance read
    and the full score, computed exactly as `ranked` computes it, decides the order.
    """
    if connection.vendor != "postgresql":
        rows = ranked(order, on=on, now=now).select_related(*select_related)
        return RankedPage(rows.count(), list(rows[offset : offset + limit]))
    first = (
        _scored(order, on, now, _FIRST_PASS)
        .annotate(total=Window(Count("*")))
        .order_by()
        .values("pk", "trained_at", "total", *(f"part_{n}" for n in _FIRST_PASS))
    )
    first_sql, first_params = first.query.sql_with_params()
    # the attendance part as `ranked` writes it, for the row of the first pass it is joined to
    later_sql, later_params = (
        Candidate.objects.filter(pk=RawSQL("first_pass.pk", ()))
        .annotate(part=_attendance_part())
        .values("part")
        .query.sql_with_params()
    )
    # the total as `ranked` adds it: the same terms, in the same order, with the same parameters;
    # the first-pass sum (for the cut only) from the parts the first pass computed
    score, partial = "%s", "0.0"
    for name, weight in WEIGHTS.items():
        if name == _DEFERRED:
            score = f"({score} + (later.part * %s))"
        else:
            score = f"({score} + (first_pass.part_{name} * %s))"
            partial = f"({partial} + first_pass.part_{name} * {weight / 100.0!r})"
    sql = f"""
        WITH first_pass AS MATERIALIZED ({first_sql}),
        cut AS (SELECT {partial} AS partial FROM first_pass ORDER BY 1 DESC LIMIT 1 OFFSET %s)
        SELECT first_pass.pk, first_pass.total, first_pass.trained_at,
               {", ".join(f"first_pass.part_{n}" for n in _FIRST_PASS)}, later.part,
               {score} AS score
        FROM first_pass CROSS JOIN LATERAL ({later_sql}) AS later
        WHERE {partial} >= COALESCE((SELECT partial FROM cut), '-Infinity') - %s
        ORDER BY score DESC, first_pass.trained_at, first_pass.pk
        LIMIT %s OFFSET %s
    """  # noqa: S608 (only SQL that Django compiled and column names of this module)
    reach = WEIGHTS[_DEFERRED] + _SLACK
    params = (
        *first_params,
        max(offset + limit - 1, 0),
        0.0,
        *(weight / 100.0 for weight in WEIGHTS.values()),
        *later_params,
        reach,
        limit,
        offset,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if not found:
        total = 0 if offset == 0 else eligible_candidates(order, on).count()
        return RankedPage(total, [])
    people = Candidate.objects.select_related(*select_related).in_bulk([r[0] for r in found])
    rows = []
    for pk, _total, trained_at, *values, score in found:
        person = people[pk]
        person.trained_at = trained_at
        for name, value in zip([*_FIRST_PASS, _DEFERRED], values, strict=True):
            setattr(person, f"part_{name}", float(value))
        person.score = score
        rows.append(person)
    return RankedPage(found[0][1], rows)


def ranked_paginated(
    order,
    *,
    on: datetime.date,
    now: datetime.datetime,
    number,
    per_page: int,
    select_related: tuple[str, ...] = (),
) -> Page:
    """Page `number` of `ranked(order)` (its paginator counts everyone eligible), with only that
    page's rows read. Like `Paginator.get_page`: not a number gives the first page, a number past
    the end the last."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1

    def fetch(number: int) -> RankedPage:
        return ranked_page(
            order,
            on=on,
            now=now,
            offset=(number - 1) * per_page,
            limit=per_page,
            select_related=select_related,
        )

    found = fetch(number)
    paginator = Paginator(range(found.total), per_page)
    if number > paginator.num_pages:
        number = paginator.num_pages
        found = fetch(number)
    return Page(found.rows, number, paginator)


@dataclass(frozen=True)
class ScorePart:
    code: str
    label: str
    weight: int
    value: float  # 0–100, to one decimal: the value shown is the value multiplied

    @property
    def points(self) -> float:
        return round(self.value * self.weight / 100.0, 1)


def score_parts(candidate) -> list[ScorePart]:
    """The parts of an annotated candidate's score, for display and for the recommendation record."""
    return [
        ScorePart(
            code=name,
            label=str(PART_LABELS[name]),
            weight=weight,
            value=round(float(getattr(candidate, f"part_{name}") or 0.0), 1),
        )
        for name, weight in WEIGHTS.items()
    ]


def score_snapshot(candidate) -> dict:
    return {part.code: part.value for part in score_parts(candidate)}


def describe_weights() -> str:
    return _("Skor (0–100) = %(parts)s.") % {
        "parts": " + ".join(f"{w}% {PART_LABELS[n]}" for n, w in WEIGHTS.items())
    }

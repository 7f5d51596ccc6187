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
(eligibility.eligible_candidates); only the page that is shown is loaded into Python. The parts
that do not depend on the order (attendance counts, the best language result of each scale and
the best skill test of each job type, with their expiry) are read from the candidate's
`training.SelectionFacts` and `SkillFacts` rows, which the training app keeps exact as results and
marks are written, instead of from every mark and result each time.
`ranked` is the definition (every eligible person, every part); `ranked_page` gives one page of
it and the number of eligible people in one query.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import NotSupportedError, connection, transaction
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
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.candidates.models import Candidate, StageHistory
from jalur.candidates.stages import Stage
from jalur.training.models import SkillFacts
from jalur.training.services.facts import language_group, language_results, skill_results

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
    """The best valid official result of the order's scale group: the kept best (`SelectionFacts`)
    while its expiry has not passed (then no valid result is better), else the results themselves."""
    group = language_group(order.employer_country)
    kept = f"selection_facts__language_{group}"
    valid = language_results(group).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    return Case(
        When(**{f"{kept}__isnull": True}, then=Value(0.0)),
        When(
            Q(**{f"{kept}_until__isnull": True}) | Q(**{f"{kept}_until__gte": on}),
            then=F(kept),
        ),
        default=Coalesce(Subquery(valid.values("part")[:1]), Value(0.0)),
        output_field=FloatField(),
    )


def _skill_part(order, on: datetime.date):
    """The best valid passed official skill test for the order's job type: the kept best
    (`SkillFacts`) while its expiry has not passed, else the results themselves."""
    valid = skill_results().filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    kept = (
        SkillFacts.objects.filter(candidate=OuterRef("pk"), job_type_id=order.job_type_id)
        .annotate(
            value=Case(
                When(Q(best_until__isnull=True) | Q(best_until__gte=on), then=F("best")),
                default=Coalesce(Subquery(valid.values("part")[:1]), Value(0.0)),
                output_field=FloatField(),
            )
        )
        .values("value")[:1]
    )
    return Coalesce(Subquery(kept), Value(0.0))


def _attendance_part():
    """Share of attendance marks attended, over every register: the counts `SelectionFacts` keeps."""
    return Case(
        When(
            selection_facts__marks__gt=0,
            then=Cast("selection_facts__attended", FloatField())
            * 100.0
            / Cast("selection_facts__marks", FloatField()),
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )


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
    with the number of eligible people, in one query: `ranked` itself, counted by a window
    function before its top rows are cut. Every part is read from the candidate's row or their
    kept facts (`SelectionFacts`, `SkillFacts`), save the stage history of people in selection
    and a result whose kept best has expired, so scoring everyone eligible is cheap; only the
    page's own people are then read whole."""
    names = [f"part_{name}" for name in WEIGHTS]
    rows = (
        ranked(order, on=on, now=now)
        .annotate(total=Window(Count("*")))
        .values_list("pk", "total", "trained_at", *names, "score")[offset : offset + limit]
    )
    if connection.vendor != "postgresql":
        found = list(rows)
    else:
        # At 1M candidates the plan's cost passes PostgreSQL's JIT thresholds, and compiling its
        # ~190 expressions took 0.4-2.5 s of a 3-5 s query (EXPLAIN ANALYZE): more than it saves
        # on 85,000 rows. Off for this statement only; the caller's setting is put back.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit')")
            (before,) = cursor.fetchone()
            cursor.execute("SET LOCAL jit = off")
            found = list(rows)
            cursor.execute("SELECT set_config('jit', %s, true)", [before])
    if not found:
        total = 0 if offset == 0 else eligible_candidates(order, on).count()
        return RankedPage(total, [])
    people = Candidate.objects.select_related(*select_related).in_bulk([r[0] for r in found])
    rows = []
    for pk, _total, trained_at, *values, score in found:
        person = people[pk]
        person.trained_at = trained_at
        for name, value in zip(names, values, strict=True):
            setattr(person, name, float(value))
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

"""From the database to the engine's `Problem`, and the canonical form a run keeps.

Nothing about who may be matched or how a pair scores is decided here: who is eligible comes from
`eligibility.eligible_candidates` and each score part from the SQL expressions of
`selection.ranked` (the per-order selection page and `recommendations_fill`), so a rule or a score
part changed there changes matching too. Only the way they are read differs, so that 200 orders
over 100,000 people take seconds, not an hour of one ranking per order:

- eligibility: the rules on other tables (pathway assignment, language, skill, licence, extra
  tests) in SQL, one query per distinct set of them; the rules on the candidate's own columns
  (age, education, sex, height, experience, years abroad) per order in Python on what it read;
- the score parts: one query over everyone who may take part, with attendance and waiting once per
  person, language once per country, skill once per job type; a pair's parts and total are then
  put together in Python, in the order and with the weights `ranked` uses, so every pair, score
  and part is equal to the ranking's (tests/test_matching_inputs.py compares them pair by pair,
  benchmarks/bench_matching_db.py byte for byte on PostgreSQL).

What a run takes:

- capacity: the order's recommendation target (3 × positions) less the places already held (open and
  accepted applications), as `recommendations_fill` counts them;
- a person who has any application for an order (open: they keep it; ended, a declined proposal
  included: not proposed there again) takes no part in that order;
- the waiting part is counted to the start of the day, so a run repeated on the same day over the
  same data gets the same inputs (the same fingerprint) and so the same result;
- preferences: the person keeps the applications they made, so those orders are not theirs in
  the run; the order of their applications says which kind of work they want most, and the run's
  orders of the country and job type they applied for first come first
  (`preferences_from_applications`), then the engine's own order; `wants`: orders whose country and
  job type both match what the person chose (the score's preference part at full marks);
- groups: sex ("P"/"L") and kecamatan (the district code) for the fairness floors.
"""

import datetime
import gzip
import hashlib
import json
from dataclasses import dataclass, field, replace

from django.db.models import Case, Exists, FloatField, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Cast, Greatest, Least
from django.utils import timezone

from jalur.candidates.models import Candidate
from jalur.pathways.models import PathwayAssignment
from jalur.rules.jobs import education_at_least

from ..eligibility import (
    MATCHABLE_STAGES,
    order_requirements,
    requirements_filter,
    years_before,
)
from ..models import Application, JobOrder
from ..selection import (
    WAITING_FULL_DAYS,
    WEIGHTS,
    DaysSince,
    _attendance_part,
    _language_part,
    _skill_part,
    _trained_at,
)
from ..states import APPLICATION_OPEN, ApplicationStatus, OrderStatus
from .engine import Order, Person, Problem

PARTS = tuple(WEIGHTS)  # language, skill, attendance, waiting, preference
_PREFERENCE = PARTS.index("preference")
FULL_PREFERENCE = 100.0
SCORE_DIGITS = 3
CHUNK = 5000
BATCH = 2000  # ids in one IN (…): well under SQLite's limit of bound values


@dataclass
class OrderFacts:
    """What publishing checks again: the order must still look as the run saw it."""

    id: int
    reference: str
    positions: int
    held: int
    capacity: int
    sequence: int


@dataclass
class Inputs:
    problem: Problem
    orders: dict[int, OrderFacts]
    parts: dict[tuple[int, int], tuple[float, ...]] = field(default_factory=dict)
    scored_on: datetime.date | None = None
    scored_at: datetime.datetime | None = None

    def canonical(self) -> dict:
        """Plain JSON, sorted, floats rounded: the same data always gives the same bytes."""
        problem = self.problem
        return {
            "scored_on": self.scored_on.isoformat() if self.scored_on else None,
            "scored_at": self.scored_at.isoformat() if self.scored_at else None,
            "orders": [
                [o.id, o.capacity, o.sequence, f.positions, f.held, f.reference]
                for o in sorted(problem.orders, key=lambda o: o.id)
                for f in [self.orders[o.id]]
            ],
            "people": [
                [p.id, list(p.preferences), sorted(p.wants), dict(sorted(p.group.items()))]
                for p in sorted(problem.people, key=lambda p: p.id)
            ],
            "pairs": [
                [person, order, problem.scores[(person, order)], *self.parts[(person, order)]]
                for person, order in sorted(problem.scores)
            ],
        }

    def to_bytes(self) -> tuple[bytes, str]:
        """(gzip of the canonical JSON, its sha256 fingerprint)."""
        raw = json.dumps(self.canonical(), separators=(",", ":"), sort_keys=True).encode()
        return gzip.compress(raw, mtime=0), hashlib.sha256(raw).hexdigest()

    def part_dict(self, person_id: int, order_id: int) -> dict[str, float]:
        values = self.parts.get((person_id, order_id))
        return dict(zip(PARTS, values, strict=True)) if values else {}


def inputs_load(blob: bytes) -> Inputs:
    """A run's stored inputs back as an `Inputs` (for explanations and a repeat on the same inputs)."""
    data = json.loads(gzip.decompress(bytes(blob)))
    orders = {}
    engine_orders = []
    for order_id, capacity, sequence, positions, held, reference in data["orders"]:
        orders[order_id] = OrderFacts(order_id, reference, positions, held, capacity, sequence)
        engine_orders.append(Order(id=order_id, capacity=capacity, sequence=sequence))
    people = tuple(
        Person(id=pid, preferences=tuple(prefs), wants=frozenset(wants), group=dict(group))
        for pid, prefs, wants, group in data["people"]
    )
    scores, parts = {}, {}
    for person, order, score, *values in data["pairs"]:
        scores[(person, order)] = score
        parts[(person, order)] = tuple(values)
    return Inputs(
        problem=Problem(orders=tuple(engine_orders), people=people, scores=scores),
        orders=orders,
        parts=parts,
        scored_on=datetime.date.fromisoformat(data["scored_on"]) if data["scored_on"] else None,
        scored_at=datetime.datetime.fromisoformat(data["scored_at"]) if data["scored_at"] else None,
    )


def open_orders(on: datetime.date):
    """The orders a run may take: approved by the office and still before their deadline."""
    return JobOrder.objects.filter(status=OrderStatus.APPROVED, deadline__gte=on)


def start_of_day(on: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time.min))


def build_inputs(order_ids=None, *, on: datetime.date | None = None, progress=None) -> Inputs:
    """The engine's problem for the chosen open orders (None: all of them) as the data stands now.

    `progress(done, total)` is called after each order's pairs are made (for a background run's
    page)."""
    on = on or timezone.localdate()
    now = start_of_day(on)
    orders = open_orders(on).select_related("pathway", "job_type")
    if order_ids is not None:
        orders = orders.filter(pk__in=list(order_ids))
    # Greedy fills in the order the office approved them (ties by id), as recommendations were
    # filled one order at a time.
    orders = sorted(orders, key=lambda o: (o.status_changed_at, o.pk))
    held = _held_counts([o.pk for o in orders])
    taken = _taken_pairs([o.pk for o in orders])
    eligible = _eligible_by_order(orders, on)
    people = _People(orders, on, now, set().union(*eligible.values()))
    facts: dict[int, OrderFacts] = {}
    engine_orders = []
    scores: dict[tuple[int, int], float] = {}
    parts: dict[tuple[int, int], tuple[float, ...]] = {}
    wants: dict[int, set[int]] = {}
    pairs_of: dict[tuple[str, int], dict[int, tuple[float, tuple[float, ...]]]] = {}
    for sequence, order in enumerate(orders):
        capacity = max(0, order.recommendation_target - held.get(order.pk, 0))
        facts[order.pk] = OrderFacts(
            order.pk, order.reference, order.positions, held.get(order.pk, 0), capacity, sequence
        )
        engine_orders.append(Order(id=order.pk, capacity=capacity, sequence=sequence))
        # every order of the same country and job type scores a person the same
        kind = (order.employer_country, order.job_type_id)
        known = pairs_of.setdefault(kind, {})
        skip = taken.get(order.pk, set())
        for pk in eligible[order.pk]:
            if pk in skip:
                continue
            if pk not in known:
                known[pk] = people.pair(pk, *kind)
            score, values = known[pk]
            key = (pk, order.pk)
            scores[key] = score
            parts[key] = values
            if values[_PREFERENCE] >= FULL_PREFERENCE:
                wants.setdefault(pk, set()).add(order.pk)
        if progress:
            progress(sequence + 1, len(orders))
    matched = {pk for pk, _order in scores}
    applied = _applied_kinds(matched)
    kind_of = {o.pk: (o.employer_country, o.job_type_id) for o in orders}
    orders_of: dict[int, list[int]] = {}
    for pk, order_id in scores:
        orders_of.setdefault(pk, []).append(order_id)
    engine_people = tuple(
        Person(
            id=pk,
            preferences=preferences_from_applications(
                applied.get(pk, []),
                {o: (kind_of[o], scores[(pk, o)]) for o in orders_of[pk]},
            ),
            wants=frozenset(wants.get(pk, ())),
            group=people.group(pk),
        )
        for pk in sorted(matched)
    )
    return Inputs(
        problem=Problem(orders=tuple(engine_orders), people=engine_people, scores=scores),
        orders=facts,
        parts=parts,
        scored_on=on,
        scored_at=now,
    )


def _held_counts(order_ids: list[int]) -> dict[int, int]:
    held: dict[int, int] = {}
    rows = Application.objects.filter(
        order_id__in=order_ids, status__in=[*APPLICATION_OPEN, ApplicationStatus.ACCEPTED]
    ).values_list("order_id", flat=True)
    for order_id in rows.iterator():
        held[order_id] = held.get(order_id, 0) + 1
    return held


def _taken_pairs(order_ids: list[int]) -> dict[int, set[int]]:
    """Per order, the people who already have (or had) an application for it, or declined a
    proposal for it: they take no part in that order."""
    from .models import MatchingProposal

    taken: dict[int, set[int]] = {}
    rows = Application.objects.filter(order_id__in=order_ids).values_list(
        "order_id", "candidate_id"
    )
    declined = MatchingProposal.objects.filter(
        order_id__in=order_ids, declined_at__isnull=False
    ).values_list("order_id", "candidate_id")
    for order_id, candidate_id in [*rows.iterator(), *declined]:
        taken.setdefault(order_id, set()).add(candidate_id)
    return taken


def _applied_kinds(people: set[int]) -> dict[int, list[tuple[str, int]]]:
    """Each person's applications as (country, job type), in the order they applied."""
    if not people:
        return {}
    rows = (
        Application.objects.filter(applied_at__isnull=False, candidate__stage__in=MATCHABLE_STAGES)
        .order_by("candidate_id", "applied_at", "id")
        .values_list("candidate_id", "order__employer_country", "order__job_type_id")
    )
    applied: dict[int, list[tuple[str, int]]] = {}
    for candidate_id, country, job_type_id in rows.iterator(chunk_size=2000):
        if candidate_id in people:
            applied.setdefault(candidate_id, []).append((country, job_type_id))
    return applied


def preferences_from_applications(
    applied: list[tuple[str, int]], eligible: dict[int, tuple[tuple[str, int], float]]
) -> tuple[int, ...]:
    """A person's ranked orders of this run, from the order of their applications.

    The orders they applied to take no part in the run (they keep those applications), so what
    their applications say is which kind of work they want most: the run's orders of the country
    and job type they applied for first come first, then those of their second application's
    kind, and so on; within a kind the best score first (ties by order id). Orders of a kind they
    never applied for are left to the engine (`wants`, then score). `eligible`: the person's orders
    in this run, each with its (country, job type) and score."""
    rank: dict[tuple[str, int], int] = {}
    for position, kind in enumerate(applied):
        rank.setdefault(kind, position)
    chosen = [order_id for order_id, (kind, _score) in eligible.items() if kind in rank]
    chosen.sort(key=lambda o: (rank[eligible[o][0]], -eligible[o][1], o))
    return tuple(chosen)


def _eligible_by_order(orders, on: datetime.date) -> dict[int, list[int]]:
    """Each order's eligible people, the very people `eligibility.eligible_candidates` gives.

    The rules that need other tables (pathway assignment, language, skill, licence and extra
    tests) stay in SQL, one query per distinct set of them (about a quarter as many as orders);
    the rules on the candidate's own columns (age, education, sex, height, experience, years
    already worked abroad), which is where orders of one pathway and job type mostly differ, are
    then checked per order in Python on the columns that query read."""
    by_rules: dict[tuple, list[tuple]] = {}
    eligible: dict[int, list[int]] = {}
    for order in orders:
        req = order_requirements(order)
        key = (order.pathway_id, order.job_type_id, replace(req, **_COLUMN_RULES))
        if not order.pathway.is_open(on):
            eligible[order.pk] = []
            continue
        if key not in by_rules:
            by_rules[key] = list(_pool(order, key[2], on).iterator(chunk_size=CHUNK))
        passes = _column_check(req, on)
        eligible[order.pk] = [row[0] for row in by_rules[key] if passes(row)]
    return eligible


# The rules `requirements_filter` applies to Candidate's own columns; `_column_check` checks them.
_COLUMN_RULES = {
    "min_age": None,
    "max_age": None,
    "min_education": "",
    "sex": "",
    "min_height_cm": None,
    "min_experience_years": None,
    "prior_years_limit": None,
}
_COLUMNS = (
    "pk",
    "birth_date",
    "education_level",
    "sex",
    "height_cm",
    "experience_years",
    "prior_abroad_country",
    "prior_abroad_years",
)


def _pool(order, relaxed, on: datetime.date):
    """`eligible_candidates(order)` without the column rules (`relaxed`), with those columns."""
    assigned = PathwayAssignment.objects.filter(
        candidate=OuterRef("pk"), is_active=True, pathway_id=order.pathway_id
    ).filter(Q(job_type__isnull=True) | Q(job_type_id=order.job_type_id))
    return (
        Candidate.objects.filter(
            Q(stage__in=MATCHABLE_STAGES), Q(Exists(assigned)), requirements_filter(relaxed, on)
        )
        .order_by()
        .values_list(*_COLUMNS)
    )


def _column_check(req, on: datetime.date):
    """The column rules of `requirements_filter` as a test of one row (SQL's NULL fails a
    comparison), with the order's limits worked out once."""
    if req.prior_years_limit is not None and req.prior_years_limit <= 0:
        return lambda row: False
    oldest = years_before(on, req.max_age + 1) if req.max_age is not None else None
    youngest = years_before(on, req.min_age) if req.min_age is not None else None
    schooling = frozenset(education_at_least(req.min_education)) if req.min_education else None
    sex, height, experience = req.sex, req.min_height_cm, req.min_experience_years
    country, limit = req.country, req.prior_years_limit

    def passes(row) -> bool:
        _pk, born, education, person_sex, cm, years, prior_country, prior_years = row
        return not (
            (youngest is not None and (born is None or born > youngest))
            or (oldest is not None and (born is None or born <= oldest))
            or (schooling is not None and education not in schooling)
            or (sex and person_sex != sex)
            or (height is not None and (cm is None or cm < height))
            or (experience is not None and (years is None or years < experience))
            or (
                limit is not None
                and prior_country == country
                and prior_years is not None
                and prior_years >= limit
            )
        )

    return passes


class _People:
    """Each person's score parts, read once for everyone who may take part.

    The parts are the very SQL expressions `selection.ranked` annotates (so the same values, to
    the last bit): the ones that do not depend on the order (attendance, waiting) once per person,
    language once per country's tests, skill once per job type, the destination half of the
    preference once per country; the job-type half from the person's chosen job types. The total
    is added in the order and with the weights `ranked` adds it; the waiting part's weighted term
    comes from the database too, as PostgreSQL computes it in exact numeric before the sum."""

    def __init__(self, orders, on: datetime.date, now: datetime.datetime, wanted: set[int]):
        countries = sorted({o.employer_country for o in orders})
        job_types = sorted({o.job_type_id for o in orders})
        waiting = Least(
            Greatest(DaysSince("trained_at", now), Value(0.0)) * 100.0 / WAITING_FULL_DAYS,
            Value(100.0),
        )
        annotations = {
            "a": _attendance_part(),
            "w": waiting,
            "wt": waiting * (WEIGHTS["waiting"] / 100.0),
        }
        for c in countries:
            annotations[f"l_{c}"] = _language_part(_Kind(c, None), on)
            annotations[f"c_{c}"] = Case(
                When(countries_text__contains=f'"{c}"', then=Value(50.0)),
                When(countries_text="[]", then=Value(50.0)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        for j in job_types:
            annotations[f"s_{j}"] = _skill_part(_Kind("", j), on)
        read = (
            Candidate.objects.annotate(countries_text=Cast("preferred_countries", TextField()))
            .annotate(trained_at=_trained_at())
            .annotate(**annotations)
            .order_by()
        )
        names = list(annotations)
        self.rows: dict[int, dict] = {}
        everyone = sorted(wanted)
        # only the people eligible somewhere, a batch of ids at a time (each sub-query of a part
        # runs once per row read)
        for start in range(0, len(everyone), BATCH):
            rows = read.filter(pk__in=everyone[start : start + BATCH]).values_list(
                "pk", "sex", "district_id", *names
            )
            for pk, sex, district, *values in rows:
                self.rows[pk] = dict(zip(names, values, strict=True))
                self.rows[pk]["group"] = {"sex": sex} | (
                    {"kecamatan": district} if district else {}
                )
        self.jobs: dict[int, set[int]] = {}
        chosen = Candidate.preferred_job_types.through.objects.filter(
            candidate__stage__in=MATCHABLE_STAGES
        ).values_list("candidate_id", "jobtype_id")
        for pk, job in chosen.iterator(chunk_size=CHUNK):
            if pk in self.rows:
                self.jobs.setdefault(pk, set()).add(job)
        self.weights = {name: weight / 100.0 for name, weight in WEIGHTS.items()}

    def group(self, pk: int) -> dict[str, str]:
        return self.rows[pk]["group"]

    def pair(self, pk: int, country: str, job_type_id: int) -> tuple[float, tuple[float, ...]]:
        """(score, parts) of the person at an order of this country and job type, rounded."""
        row = self.rows[pk]
        jobs = self.jobs.get(pk)
        job_half = 50.0 if not jobs or job_type_id in jobs else 0.0
        values = {
            "language": row[f"l_{country}"],
            "skill": row[f"s_{job_type_id}"],
            "attendance": row["a"],
            "waiting": row["w"],
            "preference": row[f"c_{country}"] + job_half,
        }
        total = 0.0
        for name, weight in self.weights.items():
            total += row["wt"] if name == "waiting" else values[name] * weight
        return round(total, SCORE_DIGITS), tuple(
            round(float(values[name] or 0.0), SCORE_DIGITS) for name in PARTS
        )


@dataclass(frozen=True)
class _Kind:
    """What `selection`'s language and skill parts read of an order."""

    employer_country: str
    job_type_id: int | None

"""From the database to the engine's `Problem`, and the canonical form a run keeps.

Nothing about who may be matched or how a pair scores is decided here: each order's eligible people
and their 0–100 scores come from `selection.ranked` (one SQL query per order, the same query the
per-order selection page and `recommendations_fill` use), so a rule or a score part changed there
changes matching too.

- capacity: the order's recommendation target (3 × positions) less the places already held (open and
  accepted applications), as `recommendations_fill` counts them;
- a person who has any application for an order (open: they keep it; ended, a declined proposal
  included: not proposed there again) takes no part in that order;
- the waiting part is counted to the start of the day, so a run repeated on the same day over the
  same data gets the same inputs (the same fingerprint) and so the same result;
- preferences: the orders the person applied to, in the order they applied (only those still open
  to them), then the engine's own order; `wants`: orders whose country and job type both match what
  the person chose (the score's preference part at full marks);
- groups: sex ("P"/"L") and kecamatan (the district code) for the fairness floors.
"""

import datetime
import gzip
import hashlib
import json
from dataclasses import dataclass, field

from django.utils import timezone

from ..eligibility import MATCHABLE_STAGES
from ..models import Application, JobOrder
from ..selection import WEIGHTS, ranked
from ..states import APPLICATION_OPEN, ApplicationStatus, OrderStatus
from .engine import Order, Person, Problem

PARTS = tuple(WEIGHTS)  # language, skill, attendance, waiting, preference
FULL_PREFERENCE = 100.0
SCORE_DIGITS = 3


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

    `progress(done, total)` is called after each order's ranking (for a background run's page)."""
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
    facts: dict[int, OrderFacts] = {}
    engine_orders = []
    scores: dict[tuple[int, int], float] = {}
    parts: dict[tuple[int, int], tuple[float, ...]] = {}
    groups: dict[int, dict[str, str]] = {}
    wants: dict[int, set[int]] = {}
    for sequence, order in enumerate(orders):
        capacity = max(0, order.recommendation_target - held.get(order.pk, 0))
        facts[order.pk] = OrderFacts(
            order.pk, order.reference, order.positions, held.get(order.pk, 0), capacity, sequence
        )
        engine_orders.append(Order(id=order.pk, capacity=capacity, sequence=sequence))
        rows = ranked(order, on=on, now=now).values_list(
            "pk", "sex", "district_id", "score", *(f"part_{name}" for name in PARTS)
        )
        skip = taken.get(order.pk, set())
        for pk, sex, district, score, *values in rows.iterator(chunk_size=2000):
            if pk in skip:
                continue
            key = (pk, order.pk)
            scores[key] = round(float(score), SCORE_DIGITS)
            parts[key] = tuple(round(float(v or 0.0), SCORE_DIGITS) for v in values)
            if pk not in groups:
                groups[pk] = {"sex": sex} | ({"kecamatan": district} if district else {})
            if parts[key][PARTS.index("preference")] >= FULL_PREFERENCE:
                wants.setdefault(pk, set()).add(order.pk)
        if progress:
            progress(sequence + 1, len(orders))
    applied = _applied_order(set(groups))
    people = tuple(
        Person(
            id=pk,
            preferences=tuple(o for o in applied.get(pk, ()) if (pk, o) in scores),
            wants=frozenset(wants.get(pk, ())),
            group=groups[pk],
        )
        for pk in sorted(groups)
    )
    return Inputs(
        problem=Problem(orders=tuple(engine_orders), people=people, scores=scores),
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


def _applied_order(people: set[int]) -> dict[int, list[int]]:
    """Each person's applications, most wanted first: in the order they applied."""
    if not people:
        return {}
    rows = (
        Application.objects.filter(applied_at__isnull=False, candidate__stage__in=MATCHABLE_STAGES)
        .order_by("candidate_id", "applied_at", "id")
        .values_list("candidate_id", "order_id")
    )
    applied: dict[int, list[int]] = {}
    for candidate_id, order_id in rows.iterator(chunk_size=2000):
        if candidate_id in people:
            applied.setdefault(candidate_id, []).append(order_id)
    return applied

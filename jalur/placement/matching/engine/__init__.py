"""The matching engine of issue 19: who to propose to which open job order, across all of them at
once. Pure Python and OR-Tools, no Django: the app builds a `Problem`, calls `solve`, and translates
the codes it gets back.

Three methods on the same data:

- "greedy": today's per-order fill, for comparison (methods.greedy);
- "stable": candidate-proposing deferred acceptance (methods.stable);
- "optimal": the highest total score under the per-person cap and the fairness floors, as a
  min-cost flow (flow.optimal).

Determinism: the problem is put in canonical form first (people and orders by id, each person's
preference list, ties by id everywhere), so the same problem and settings give the same result
whatever order the input lists are in; only `seconds` differs."""

from __future__ import annotations

import time

from .figures import (
    blocking_pairs,
    compare,
    fairness_figures,
    held_by_person,
    sort_assignment,
    totals,
)
from .floors import requirements, shortfalls
from .flow import SolverError, optimal
from .methods import greedy, stable
from .model import (
    METHODS,
    Explanation,
    Floor,
    Order,
    Person,
    Problem,
    Result,
    Settings,
    Shortfall,
)
from .prepared import Prepared

__all__ = [
    "METHODS",
    "Explanation",
    "Floor",
    "Order",
    "Person",
    "Problem",
    "Result",
    "Settings",
    "Shortfall",
    "SolverError",
    "compare",
    "explain",
    "solve",
]


def solve(problem: Problem, settings: Settings) -> Result:
    if settings.method not in METHODS:
        raise ValueError(f"unknown method {settings.method!r}")
    cap = settings.max_orders_per_person
    if cap < 1:
        raise ValueError("max_orders_per_person must be at least 1")
    started = time.perf_counter()
    prep = Prepared(problem)
    reqs = requirements(prep, settings.floors)
    if settings.method == "greedy":
        raw = greedy(prep)
    elif settings.method == "stable":
        raw = stable(prep, cap)
    else:
        raw, _stats = optimal(prep, cap, reqs)
    assignment = sort_assignment(prep, raw)
    total, matched, first = totals(prep, assignment)
    return Result(
        method=settings.method,
        assignment=assignment,
        total_score=total,
        people_matched=matched,
        first_choice=first,
        fairness=fairness_figures(prep, assignment, reqs),
        floor_shortfalls=shortfalls(prep, assignment, reqs, enforced=settings.method == "optimal"),
        blocking_pairs=blocking_pairs(prep, assignment, cap),
        seconds=round(time.perf_counter() - started, 3),
        settings=settings,
    )


def explain(problem: Problem, result: Result, person_id: int, order_id: int) -> Explanation:
    """Why `person_id` is, or is not, proposed to `order_id` in `result` (codes in Explanation).
    The person is told only scores and counts, never who was proposed instead."""
    scores = problem.scores
    proposed = result.assignment.get(order_id, ())
    held_set = held_by_person(result.assignment).get(person_id, set())
    person = next((p for p in problem.people if p.id == person_id), None)
    score = scores.get((person_id, order_id))
    if person is None:
        raise ValueError(f"unknown person {person_id}")
    order = next((o for o in problem.orders if o.id == order_id), None)
    if order is None:
        raise ValueError(f"unknown order {order_id}")
    eligible = {oid for (pid, oid) in _pairs_of(scores, person_id, problem)}
    from .prepared import _preference_list

    prefs = _preference_list(person, [(oid, scores[(person_id, oid)]) for oid in eligible])
    held = tuple(oid for oid in prefs if oid in held_set)
    lowest = min((scores[(p, order_id)] for p in proposed), default=None)
    if score is None:
        return Explanation(person_id, order_id, "not_eligible", held=held)
    mine = (score, -person_id)
    ahead = sum(1 for p in proposed if (scores[(p, order_id)], -p) > mine)
    common = {"score": score, "lowest_score": lowest, "ahead": ahead, "held": held}
    if person_id in proposed:
        return Explanation(person_id, order_id, "proposed", **common)
    if order.capacity == 0:
        return Explanation(person_id, order_id, "order_full", **common)
    full = len(proposed) >= order.capacity
    if full and ahead == len(proposed):
        return Explanation(person_id, order_id, "outranked", **common)
    cap = result.settings.max_orders_per_person if result.settings else 1
    rank = prefs.index(order_id)
    if len(held) >= cap and all(prefs.index(oid) < rank for oid in held):
        return Explanation(person_id, order_id, "cap", **common)
    if result.settings and result.settings.floors and full:
        return Explanation(person_id, order_id, "floor", **common)
    return Explanation(person_id, order_id, "total", **common)


def _pairs_of(scores, person_id, problem):
    return [(person_id, o.id) for o in problem.orders if (person_id, o.id) in scores]

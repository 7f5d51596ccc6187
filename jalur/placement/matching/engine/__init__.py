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
import weakref

from .figures import (
    assignment,
    blocking_pairs,
    compare,
    fairness_figures,
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
from .prepared import Prepared, preference_list

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
        mask = greedy(prep)
    elif settings.method == "stable":
        mask = stable(prep, cap)
    else:
        mask, _stats = optimal(prep, cap, reqs)
    total, matched, first = totals(prep, mask)
    return Result(
        method=settings.method,
        assignment=assignment(prep, mask),
        total_score=total,
        people_matched=matched,
        first_choice=first,
        fairness=fairness_figures(prep, mask, reqs),
        floor_shortfalls=shortfalls(prep, mask, reqs, enforced=settings.method == "optimal"),
        blocking_pairs=blocking_pairs(prep, mask, cap),
        seconds=round(time.perf_counter() - started, 3),
        settings=settings,
    )


def explain(problem: Problem, result: Result, person_id: int, order_id: int) -> Explanation:
    """Why `person_id` is, or is not, proposed to `order_id` in `result` (codes in Explanation).
    The person is told only scores and counts, never who was proposed instead. O(orders + the
    order's proposals): cheap enough to call for every order on a person's page."""
    scores = problem.scores
    people, orders = _index(problem)
    person = people.get(person_id)
    if person is None:
        raise ValueError(f"unknown person {person_id}")
    order = orders.get(order_id)
    if order is None:
        raise ValueError(f"unknown order {order_id}")
    prefs = preference_list(person, problem.orders, scores)
    held = tuple(oid for oid in prefs if person_id in result.assignment.get(oid, ()))
    score = scores.get((person_id, order_id))
    if score is None:
        return Explanation(person_id, order_id, "not_eligible", held=held)
    proposed = result.assignment.get(order_id, ())
    lowest = min((scores[(p, order_id)] for p in proposed), default=None)
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
    if full and result.settings and _floor_took_place(problem, result, person, order_id, mine):
        return Explanation(person_id, order_id, "floor", **common)
    return Explanation(person_id, order_id, "total", **common)


def _floor_took_place(problem, result, person, order_id, mine) -> bool:
    """Someone proposed here with a lower score belongs to a group a floor covers at this order,
    and the person does not."""
    people, _ = _index(problem)
    for floor in result.settings.floors:
        if floor.orders is not None and order_id not in floor.orders:
            continue
        own = person.group.get(floor.group)
        for pid in result.assignment.get(order_id, ()):
            if (problem.scores[(pid, order_id)], -pid) > mine:
                continue
            value = people[pid].group.get(floor.group)
            if value is not None and value != own and floor.value in ("*", value):
                return True
    return False


_last_index: tuple = (None, None)


def _index(problem: Problem) -> tuple[dict[int, Person], dict[int, Order]]:
    """People and orders by id, kept for the last problem explained (a page explains many pairs
    of one problem in a row)."""
    global _last_index
    ref, index = _last_index
    if ref is None or ref() is not problem:
        index = ({p.id: p for p in problem.people}, {o.id: o for o in problem.orders})
        _last_index = (weakref.ref(problem), index)
    return index

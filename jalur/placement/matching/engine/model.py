"""The matching engine's data: what goes in (orders, people, scores, settings) and what comes out.

Plain frozen dataclasses, no Django: the app turns its models into a `Problem` and translates the
codes of a `Result`, `Shortfall` or `Explanation` into Indonesian."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

METHODS = ("greedy", "stable", "optimal")


@dataclass(frozen=True)
class Order:
    id: int
    capacity: int  # places to propose this run (3 × positions minus places already held)
    sequence: int = 0  # the order greedy fills them in (today: approval time); ties by id


@dataclass(frozen=True)
class Person:
    id: int
    # Order ids the person ranked (applied to, most wanted first). Eligible orders not listed come
    # after, ordered by the person's stated country/job-type match (`wants`), then score, then id.
    preferences: tuple[int, ...] = ()
    wants: frozenset[int] = frozenset()  # order ids matching the person's country AND job type
    group: dict[str, str] = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True)
class Problem:
    orders: tuple[Order, ...]
    people: tuple[Person, ...]
    scores: Mapping[tuple[int, int], float]  # (person_id, order_id) -> 0..100, eligible pairs only


@dataclass(frozen=True)
class Floor:
    group: str  # "sex" or "kecamatan"
    value: str  # "P", or a kecamatan code; "*" = every value present among the order's eligibles
    share: float  # at least this share of each order's proposed places (rounded up) …
    orders: frozenset[int] | None = None  # … in these orders (None: all)


@dataclass(frozen=True)
class Settings:
    method: str  # "greedy" | "stable" | "optimal"
    max_orders_per_person: int = 1  # the cap (greedy ignores it, as today's fill does)
    floors: tuple[Floor, ...] = ()  # "optimal" only; stable/greedy report but do not enforce


@dataclass(frozen=True)
class Shortfall:
    """A floor not met at one order. `code`:

    - "not_enough_eligible": fewer eligible people of the group than the floor needs (`eligible`);
    - "capacity": enough are eligible, but they are proposed to other orders up to their cap, or
      needed by other floors (optimal only);
    - "not_enforced": the method (greedy, stable) does not enforce floors; enough were eligible.
    """

    order_id: int
    group: str
    value: str
    needed: int
    got: int
    eligible: int  # people of the group eligible for the order
    code: str


@dataclass(frozen=True)
class Result:
    method: str
    assignment: Mapping[
        int, tuple[int, ...]
    ]  # order_id -> person ids, best score first (ties by id)
    total_score: float
    people_matched: int  # people with at least one proposal
    first_choice: int  # people proposed to the first order of their full preference list
    fairness: Mapping[str, Any]  # see figures.fairness_figures
    floor_shortfalls: tuple[Shortfall, ...]
    blocking_pairs: int  # stable: 0 by construction (computed for every method, for comparison)
    seconds: float
    settings: Settings | None = None  # what produced it (explain() reads the cap and the floors)


@dataclass(frozen=True)
class Explanation:
    """Why a person is (not) proposed to an order. `code`:

    - "proposed";
    - "not_eligible": the pair has no score (the app knows which rule failed);
    - "order_full": the order had no place left to propose this run (capacity 0);
    - "outranked": every place went to someone with a higher score (ties: lower id);
      `lowest_score` is the lowest proposed score there, `ahead` how many were proposed;
    - "cap": the person is proposed to as many orders as allowed, all of which they prefer (`held`);
    - "floor": the place went to someone with a lower score to meet a fairness floor (optimal);
    - "total": optimal only: proposing the person elsewhere, or someone else here, gives a higher
      total score across all orders (`held` shows where the person is proposed).
    """

    person_id: int
    order_id: int
    code: str
    score: float | None = None  # the person's score for the order
    lowest_score: float | None = None  # lowest proposed score at the order
    ahead: int = 0  # people proposed to the order with a better score than the person
    held: tuple[int, ...] = ()  # orders the person is proposed to, in their preference order

"""A problem put in canonical form once per solve: people and orders sorted by id, every person's
full preference list, every order's eligible people in score order. Everything downstream iterates
these, so the input's order never changes a result."""

from __future__ import annotations

from functools import cached_property

from .model import Problem


class Prepared:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.scores = problem.scores
        self.orders = sorted(problem.orders, key=lambda o: o.id)
        self.people = sorted(problem.people, key=lambda p: p.id)
        self.order_by_id = {o.id: o for o in self.orders}
        self.person_by_id = {p.id: p for p in self.people}
        if len(self.order_by_id) != len(self.orders):
            raise ValueError("duplicate order id")
        if len(self.person_by_id) != len(self.people):
            raise ValueError("duplicate person id")
        for order in self.orders:
            if order.capacity < 0:
                raise ValueError(f"order {order.id}: negative capacity")
        eligible: dict[int, list[tuple[int, float]]] = {p.id: [] for p in self.people}
        orders = self.order_by_id
        for (pid, oid), score in problem.scores.items():
            if oid not in orders:
                raise ValueError(f"score for unknown order {oid}")
            try:
                eligible[pid].append((oid, score))
            except KeyError:
                raise ValueError(f"score for unknown person {pid}") from None
        self.prefs: dict[int, list[int]] = {}
        for person in self.people:
            pairs = eligible[person.id]
            self.prefs[person.id] = _preference_list(person, pairs)
        self.pairs = sum(len(v) for v in self.prefs.values())

    def score(self, pid: int, oid: int) -> float:
        return self.scores[(pid, oid)]

    @cached_property
    def by_order(self) -> dict[int, list[int]]:
        """Each order's eligible people, best score first, ties by lower id."""
        lists: dict[int, list[int]] = {o.id: [] for o in self.orders}
        for pid, prefs in self.prefs.items():
            for oid in prefs:
                lists[oid].append(pid)
        scores = self.scores
        for oid, pids in lists.items():
            pids.sort(key=lambda p, o=oid: (-scores[(p, o)], p))
        return lists


def _preference_list(person, pairs: list[tuple[int, float]]) -> list[int]:
    """The person's applications first (in their order), then the other eligible orders: those
    matching their chosen country and job type first, then higher score, then lower id."""
    if not pairs:
        return []
    eligible = {oid for oid, _ in pairs}
    listed = []
    seen = set()
    for oid in person.preferences:
        if oid in eligible and oid not in seen:
            listed.append(oid)
            seen.add(oid)
    wants = person.wants
    rest = sorted(
        ((oid not in wants, -score, oid) for oid, score in pairs if oid not in seen),
    )
    listed.extend(key[2] for key in rest)
    return listed

"""Fairness floors expanded per order, and the shortfalls of an assignment against them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Floor, Shortfall
from .prepared import Prepared


@dataclass(frozen=True)
class Requirement:
    order_id: int
    group: str
    value: str
    need: int
    eligible: int  # people of the group eligible for the order


def eligible_counts(prep: Prepared, groups: set[str]) -> dict[int, dict[tuple[str, str], int]]:
    """Per order, how many eligible people have each (group, value)."""
    people = prep.person_by_id
    out: dict[int, dict[tuple[str, str], int]] = {}
    for oid, pids in prep.by_order.items():
        counts: dict[tuple[str, str], int] = {}
        for pid in pids:
            group = people[pid].group
            for g in groups:
                value = group.get(g)
                if value is not None:
                    counts[(g, value)] = counts.get((g, value), 0) + 1
        out[oid] = counts
    return out


def requirements(prep: Prepared, floors: tuple[Floor, ...]) -> list[Requirement]:
    """Each floor at each order it covers. The places a floor is a share of are the order's places
    that can be proposed: its capacity, or fewer when fewer people are eligible. The needed number
    is that share rounded up. Value "*" means every value of the group found among the order's
    eligible people. Two floors on the same order, group and value: the larger need counts.
    Listed in floor order, then order id, then value (the flow puts the first group of an order
    into its network)."""
    if not floors:
        return []
    for floor in floors:
        if not 0 <= floor.share <= 1:
            raise ValueError(f"floor share {floor.share} outside 0..1")
    counts = eligible_counts(prep, {f.group for f in floors})
    by_key: dict[tuple[int, str, str], Requirement] = {}
    for floor in floors:
        for order in prep.orders:
            if floor.orders is not None and order.id not in floor.orders:
                continue
            here = counts[order.id]
            places = min(order.capacity, len(prep.by_order[order.id]))
            need = math.ceil(floor.share * places - 1e-9)
            if floor.value == "*":
                values = sorted(v for g, v in here if g == floor.group)
            else:
                values = [floor.value]
            for value in values:
                key = (order.id, floor.group, value)
                eligible = here.get((floor.group, value), 0)
                old = by_key.get(key)
                if old is None or old.need < need:
                    by_key[key] = Requirement(order.id, floor.group, value, need, eligible)
    return list(by_key.values())


def shortfalls(
    prep: Prepared, assignment: dict[int, tuple[int, ...]], reqs: list[Requirement], enforced: bool
) -> tuple[Shortfall, ...]:
    people = prep.person_by_id
    out = []
    for req in sorted(reqs, key=lambda r: (r.order_id, r.group, r.value)):
        got = sum(
            1 for p in assignment[req.order_id] if people[p].group.get(req.group) == req.value
        )
        if got >= req.need:
            continue
        if req.eligible < req.need:
            code = "not_enough_eligible"
        elif enforced:
            code = "capacity"
        else:
            code = "not_enforced"
        out.append(Shortfall(req.order_id, req.group, req.value, req.need, got, req.eligible, code))
    return tuple(out)

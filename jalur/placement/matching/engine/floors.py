"""Fairness floors expanded per order, and the shortfalls of an assignment against them."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .model import Floor, Shortfall
from .prepared import Prepared


@dataclass(frozen=True)
class Requirement:
    order_id: int
    j: int  # the order's index
    group: str
    value: str
    code: int  # the value's index in prep.codes(group)
    need: int
    eligible: int  # people of the group eligible for the order


def group_counts(prep: Prepared, group: str, mask: np.ndarray | None = None) -> np.ndarray:
    """Per order (rows) and value of `group` (columns): eligible pairs, or proposed ones."""
    codes, values = prep.codes(group)
    width = max(len(values), 1)
    pair_codes = codes[prep.P]
    keep = pair_codes >= 0
    if mask is not None:
        keep &= mask
    flat = prep.O[keep] * width + pair_codes[keep]
    return np.bincount(flat, minlength=prep.m * width).reshape(prep.m, width)


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
    counts = {f.group: group_counts(prep, f.group) for f in floors}
    places = np.minimum(prep.capacity, prep.eligible_people).tolist()
    by_key: dict[tuple[int, str, str], Requirement] = {}
    for floor in floors:
        _, values = prep.codes(floor.group)
        here_all = counts[floor.group]
        for j, order in enumerate(prep.orders):
            if floor.orders is not None and order.id not in floor.orders:
                continue
            need = math.ceil(floor.share * places[j] - 1e-9)
            here = here_all[j].tolist()
            if floor.value == "*":
                wanted = [(c, v) for c, v in enumerate(values) if here[c]]
            elif floor.value in values:
                wanted = [(values.index(floor.value), floor.value)]
            else:
                wanted = [(-1, floor.value)]
            for code, value in wanted:
                key = (order.id, floor.group, value)
                eligible = here[code] if code >= 0 else 0
                old = by_key.get(key)
                if old is None or old.need < need:
                    by_key[key] = Requirement(order.id, j, floor.group, value, code, need, eligible)
    return [r for r in by_key.values() if r.need > 0]


def got_counts(prep: Prepared, mask: np.ndarray, reqs: list[Requirement]) -> list[int]:
    proposed = {g: group_counts(prep, g, mask) for g in {r.group for r in reqs}}
    return [int(proposed[r.group][r.j, r.code]) if r.code >= 0 else 0 for r in reqs]


def shortfalls(
    prep: Prepared, mask: np.ndarray, reqs: list[Requirement], enforced: bool
) -> tuple[Shortfall, ...]:
    out = []
    for req, got in zip(reqs, got_counts(prep, mask, reqs), strict=True):
        if got >= req.need:
            continue
        if req.eligible < req.need:
            code = "not_enough_eligible"
        elif enforced:
            code = "capacity"
        else:
            code = "not_enforced"
        out.append(Shortfall(req.order_id, req.group, req.value, req.need, got, req.eligible, code))
    return tuple(sorted(out, key=lambda s: (s.order_id, s.group, s.value)))

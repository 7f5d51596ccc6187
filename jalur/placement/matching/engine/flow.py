"""Optimal assignment: the proposals with the highest total score, as a min-cost flow (OR-Tools).

Network (one unit of flow = one proposal):

    source ─(cap k, 0)→ person ─(1, −score)→ order ─(capacity, 0)→ sink
    source ─(n·k, 0)→ sink                      (bypass: a person may stay unproposed)

The source supplies n·k units; whatever cannot improve the total goes through the bypass, so the
flow maximises the total score instead of forcing every unit through. Costs are integers: each
score is multiplied by 100 and rounded (0.01 of a point, finer than the score's display), so two
assignments whose totals differ by less than that may be treated as equal. Among assignments with
the same total, the one serving people's preferences best wins: each arc's cost is
−(score·100·W + t), with t = 3, 2, 1 for a person's first, second and third choice (0 after) and W
larger than 3 × the number of proposals, so the tie-break can never outweigh 0.01 of score. (If
those costs would overflow OR-Tools' 64-bit range, the tie-break is dropped; the result is still
deterministic.)

Fairness floors (at least `need` people of group value v at order o) add a node (o, v) between
the group's members and the order, with two arcs to the order: a bonus arc of capacity `need` and
cost −BONUS, and an ordinary one. BONUS is larger than any total score, so the solver first meets
as many floor places as can be met (all of them whenever they can all be met together) and only
then maximises the score. A flow can route a person through one group node per order, so floors
on one group (e.g. sex, or every kecamatan) are exact; when one order has floors on two groups,
the first group listed goes into the network and the others are met afterwards by `repair`
(swapping in the best-scoring free members for the lowest-scoring non-members), which is a
heuristic: what it cannot meet is reported as a shortfall."""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from .floors import Requirement, got_counts
from .prepared import Prepared

SCALE = 100
TIE_DEPTH = 3  # first, second and third choices break ties in the total


class SolverError(RuntimeError):
    pass


def optimal(prep: Prepared, cap: int, reqs: list[Requirement]) -> tuple[np.ndarray, dict]:
    n, m = prep.n, prep.m
    order_node0 = 2 + n  # nodes: source 0, sink 1, people, orders, then the group nodes
    # the network's group per order: the group of the first floor listed there
    primary: dict[int, str] = {}
    for req in reqs:
        primary.setdefault(req.j, req.group)
    head = order_node0 + prep.O
    bonus_arcs = []
    next_node = 2 + n + m
    for group in dict.fromkeys(primary.values()):
        codes, values = prep.codes(group)
        node = np.full((m, max(len(values), 1)), -1, dtype=np.int64)
        for req in reqs:
            if primary[req.j] != group or req.group != group or req.code < 0:
                continue
            if node[req.j, req.code] < 0:
                node[req.j, req.code] = next_node
                bonus_arcs.append((next_node, order_node0 + req.j, req.need))
                next_node += 1
        pair_codes = codes[prep.P]
        routed = node[prep.O, np.maximum(pair_codes, 0)]
        routed[pair_codes < 0] = -1
        head = np.where(routed >= 0, routed, head)
    units = n * cap
    places = int(min(int(prep.capacity.sum()), units))
    score = np.rint(prep.S * SCALE).astype(np.int64)
    liked = np.maximum(0, TIE_DEPTH - prep.pos)
    for tie_break in (TIE_DEPTH * places + 1, 1):
        cost = score * tie_break + (liked if tie_break > 1 else 0)
        smcf, pair_arcs = _network(prep, cap, head, cost, bonus_arcs)
        status = smcf.solve()
        if status != smcf.BAD_COST_RANGE:
            break
    if status != smcf.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    mask = smcf.flows(pair_arcs) > 0
    stats = {
        "nodes": smcf.num_nodes(),
        "arcs": smcf.num_arcs(),
        "group_nodes": len(bonus_arcs),
        "tie_break": tie_break > 1,
    }
    secondary = [r for r in reqs if primary[r.j] != r.group]
    if secondary:
        stats["repaired"] = repair(prep, cap, mask, reqs, secondary)
    return mask, stats


def _network(prep, cap, head, cost, bonus_arcs):
    n, m = prep.n, prep.m
    units = n * cap
    top = int(cost.max()) if len(cost) else 0
    bonus = top * max(1, int(min(int(prep.capacity.sum()), units))) + 1
    smcf = min_cost_flow.SimpleMinCostFlow()
    # source → person
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.zeros(n, dtype=np.int32),
        np.arange(2, 2 + n, dtype=np.int32),
        np.full(n, cap, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
    )
    # person → order, or → the person's group node at the order
    pair_arcs = smcf.add_arcs_with_capacity_and_unit_cost(
        (2 + prep.P).astype(np.int32),
        head.astype(np.int32),
        np.ones(prep.e, dtype=np.int64),
        -cost,
    )
    # group node → order: the floor's bonus places, then the rest
    for node, order_node, need in bonus_arcs:
        smcf.add_arc_with_capacity_and_unit_cost(node, order_node, need, -bonus)
        smcf.add_arc_with_capacity_and_unit_cost(node, order_node, units, 0)
    # order → sink
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.arange(2 + n, 2 + n + m, dtype=np.int32),
        np.ones(m, dtype=np.int32),
        prep.capacity.astype(np.int64),
        np.zeros(m, dtype=np.int64),
    )
    smcf.add_arc_with_capacity_and_unit_cost(0, 1, units, 0)  # the bypass
    smcf.set_node_supply(0, units)
    smcf.set_node_supply(1, -units)
    return smcf, pair_arcs


def repair(prep: Prepared, cap: int, mask: np.ndarray, reqs, secondary) -> int:
    """Meet floors on a second group at an order, keeping the order's other floors: add, or swap
    for the lowest-ranked proposed non-member whose removal breaks no other floor there, the
    best-ranked eligible member who has a free slot. Changes `mask`; returns the swaps made."""
    count = np.bincount(prep.P[mask], minlength=prep.n).tolist()
    at_order: dict[int, list[Requirement]] = {}
    for r in reqs:
        at_order.setdefault(r.j, []).append(r)
    swaps = 0
    unmet = [
        r
        for r, got in zip(secondary, got_counts(prep, mask, secondary), strict=True)
        if got < r.need and r.code >= 0
    ]
    for req in sorted(unmet, key=lambda r: (r.order_id, r.group, r.value)):
        pairs = prep.order_pairs(req.j)  # best first
        persons = prep.P[pairs].tolist()
        chosen = mask[pairs].tolist()
        here = at_order[req.j]
        flags = {
            id(r): (prep.codes(r.group)[0][prep.P[pairs]] == r.code).tolist()
            if r.code >= 0
            else [False] * len(persons)
            for r in here
        }
        mine = flags[id(req)]
        others = [r for r in here if r is not req]
        capacity = int(prep.capacity[req.j])
        inside = [i for i, c in enumerate(chosen) if c]
        got = sum(mine[i] for i in inside)
        look = 0
        while got < req.need:
            while look < len(persons) and (
                chosen[look] or not mine[look] or count[persons[look]] >= cap
            ):
                look += 1
            if look == len(persons):
                break
            incoming = look
            if len(inside) >= capacity:
                now = {id(r): sum(flags[id(r)][i] for i in inside) for r in others}
                outgoing = None
                for i in reversed(inside):  # lowest rank first
                    if mine[i]:
                        continue
                    if all(
                        now[id(r)] - flags[id(r)][i] + flags[id(r)][incoming]
                        >= min(r.need, now[id(r)])
                        for r in others
                    ):
                        outgoing = i
                        break
                if outgoing is None:
                    break
                inside.remove(outgoing)
                chosen[outgoing] = False
                mask[pairs[outgoing]] = False
                count[persons[outgoing]] -= 1
            inside.append(incoming)
            inside.sort()
            chosen[incoming] = True
            mask[pairs[incoming]] = True
            count[persons[incoming]] += 1
            got += 1
            swaps += 1
    return swaps

"""Optimal assignment: the proposals with the highest total score, as a min-cost flow (OR-Tools).

Network (one unit of flow = one proposal):

    source ─(cap k, 0)→ person ─(1, −score)→ order ─(capacity, 0)→ sink
    source ─(n·k, 0)→ sink                      (bypass: a person may stay unproposed)

The source supplies n·k units; whatever cannot improve the total goes through the bypass, so the
flow maximises the total score instead of forcing every unit through. Costs are integers: each
score is multiplied by 100 and rounded (0.01 of a point, finer than the score's display), so two
assignments whose totals differ by less than that may be treated as equal. Among assignments with
the same total, the one giving more people their first choice wins: each arc's cost is
−(score·100·W + first) with `first` 1 on a person's first-choice arc and W larger than the number
of proposals, so the tie-break can never outweigh 0.01 of score. (If those costs would overflow
OR-Tools' 64-bit range, the tie-break is dropped; the result is still deterministic.)

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

from array import array

import numpy as np
from ortools.graph.python import min_cost_flow

from .floors import Requirement
from .prepared import Prepared

SCALE = 100


class SolverError(RuntimeError):
    pass


def optimal(
    prep: Prepared, cap: int, requirements: list[Requirement]
) -> tuple[dict[int, list[int]], dict]:
    people = prep.people
    orders = prep.orders
    n, m = len(people), len(orders)
    order_index = {o.id: j for j, o in enumerate(orders)}
    order_node0 = 2 + n  # nodes: source 0, sink 1, people, orders, then the group nodes
    next_node = 2 + n + m

    # the network's group dimension per order: the group of the first floor listed there
    primary: dict[int, str] = {}
    for req in requirements:
        primary.setdefault(req.order_id, req.group)
    group_node: dict[tuple[int, str], int] = {}
    bonus_caps = []
    for req in requirements:
        if primary[req.order_id] != req.group or req.need <= 0:
            continue
        key = (req.order_id, req.value)
        if key in group_node:
            continue
        group_node[key] = next_node
        bonus_caps.append((next_node, order_node0 + order_index[req.order_id], req.need))
        next_node += 1

    units = n * cap
    places = min(sum(o.capacity for o in orders), units)
    smcf, pair_arcs, pair_person, pair_order = _network(
        prep, cap, primary, group_node, bonus_caps, tie_break=places + 1
    )
    status = smcf.solve()
    if status == smcf.BAD_COST_RANGE:
        smcf, pair_arcs, pair_person, pair_order = _network(
            prep, cap, primary, group_node, bonus_caps, tie_break=1
        )
        status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    flows = smcf.flows(pair_arcs)
    chosen = np.nonzero(flows)[0]
    pp = np.frombuffer(pair_person, dtype=np.int_)[chosen]
    po = np.frombuffer(pair_order, dtype=np.int_)[chosen]
    out: dict[int, list[int]] = {o.id: [] for o in orders}
    for pid, oid in zip(pp.tolist(), po.tolist(), strict=True):
        out[oid].append(pid)
    stats = {"nodes": smcf.num_nodes(), "arcs": smcf.num_arcs(), "group_nodes": len(group_node)}
    secondary = [r for r in requirements if primary.get(r.order_id) != r.group]
    if secondary:
        stats["repaired"] = repair(prep, cap, out, requirements, secondary)
    return out, stats


def _network(prep, cap, primary, group_node, bonus_caps, tie_break):
    people = prep.people
    orders = prep.orders
    n, m = len(people), len(orders)
    order_index = {o.id: j for j, o in enumerate(orders)}
    source, sink = 0, 1
    person_node0 = 2
    order_node0 = 2 + n
    scores = prep.scores
    tails = array("l")
    heads = array("l")
    costs = array("q")
    pair_person = array("l")
    pair_order = array("l")
    top = 0
    for i, person in enumerate(people):
        pid = person.id
        group = person.group
        prefs = prep.prefs[pid]
        first = prefs[0] if prefs else None
        for oid in sorted(prefs):
            cost = round(scores[(pid, oid)] * SCALE) * tie_break + int(
                oid == first and tie_break > 1
            )
            top = max(top, cost)
            head = order_node0 + order_index[oid]
            dim = primary.get(oid)
            if dim is not None:
                head = group_node.get((oid, group.get(dim, "")), head)
            tails.append(person_node0 + i)
            heads.append(head)
            costs.append(-cost)
            pair_person.append(pid)
            pair_order.append(oid)
    units = n * cap
    places = min(sum(o.capacity for o in orders), units)
    bonus = top * max(1, places) + 1

    smcf = min_cost_flow.SimpleMinCostFlow()
    # source → person
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.zeros(n, dtype=np.int32),
        np.arange(person_node0, person_node0 + n, dtype=np.int32),
        np.full(n, cap, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
    )
    # person → order (or → the person's group node at the order)
    pair_arcs = smcf.add_arcs_with_capacity_and_unit_cost(
        np.frombuffer(tails, dtype=np.int_).astype(np.int32),
        np.frombuffer(heads, dtype=np.int_).astype(np.int32),
        np.ones(len(tails), dtype=np.int64),
        np.frombuffer(costs, dtype=np.int64),
    )
    # group node → order: the floor's bonus places, then the rest
    for node, order_node, need in bonus_caps:
        smcf.add_arc_with_capacity_and_unit_cost(node, order_node, need, -bonus)
        smcf.add_arc_with_capacity_and_unit_cost(node, order_node, units, 0)
    # order → sink
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.arange(order_node0, order_node0 + m, dtype=np.int32),
        np.full(m, sink, dtype=np.int32),
        np.array([o.capacity for o in orders], dtype=np.int64),
        np.zeros(m, dtype=np.int64),
    )
    smcf.add_arc_with_capacity_and_unit_cost(source, sink, units, 0)
    smcf.set_node_supply(source, units)
    smcf.set_node_supply(sink, -units)
    return smcf, pair_arcs, pair_person, pair_order


def repair(prep, cap, out, requirements, secondary) -> int:
    """Meet floors on a second group at an order, keeping the network's floors: swap the
    lowest-scoring proposed non-member (whose removal breaks no other floor there) for the
    best-scoring eligible member who has a free slot. Returns the number of swaps."""
    scores = prep.scores
    people = prep.person_by_id
    count = {}
    for pids in out.values():
        for pid in pids:
            count[pid] = count.get(pid, 0) + 1
    by_order_reqs: dict[int, list[Requirement]] = {}
    for req in requirements:
        by_order_reqs.setdefault(req.order_id, []).append(req)
    swaps = 0
    for req in sorted(secondary, key=lambda r: (r.order_id, r.group, r.value)):
        oid = req.order_id
        members = out[oid]

        def got(r, members=members):
            return sum(1 for p in members if people[p].group.get(r.group) == r.value)

        while got(req) < req.need:
            inside = set(members)
            candidate = next(
                (
                    p
                    for p in prep.by_order[oid]
                    if p not in inside
                    and count.get(p, 0) < cap
                    and people[p].group.get(req.group) == req.value
                ),
                None,
            )
            if candidate is None:
                break
            if len(members) >= prep.order_by_id[oid].capacity:
                removable = None
                others = [r for r in by_order_reqs[oid] if r is not req]
                for p in sorted(members, key=lambda p: (scores[(p, oid)], -p)):
                    if people[p].group.get(req.group) == req.value:
                        continue
                    kept = [q for q in members if q != p] + [candidate]
                    if all(
                        sum(1 for q in kept if people[q].group.get(r.group) == r.value)
                        >= min(r.need, got(r))
                        for r in others
                    ):
                        removable = p
                        break
                if removable is None:
                    break
                members.remove(removable)
                count[removable] -= 1
            members.append(candidate)
            count[candidate] = count.get(candidate, 0) + 1
            swaps += 1
    return swaps

"""What every method is judged on, whichever produced the assignment: total score, coverage, first
choices, blocking pairs and the fairness figures; and `compare`, the rows of the comparison table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .floors import Requirement
from .model import Result
from .prepared import Prepared


def sort_assignment(prep: Prepared, raw: dict[int, list[int]]) -> dict[int, tuple[int, ...]]:
    """Every order (sorted by id) with its people, best score first, ties by lower id."""
    scores = prep.scores
    return {
        o.id: tuple(sorted(raw.get(o.id, ()), key=lambda p, oid=o.id: (-scores[(p, oid)], p)))
        for o in prep.orders
    }


def held_by_person(assignment) -> dict[int, set[int]]:
    held: dict[int, set[int]] = {}
    for oid, pids in assignment.items():
        for pid in pids:
            held.setdefault(pid, set()).add(oid)
    return held


def totals(prep: Prepared, assignment) -> tuple[float, int, int]:
    scores = prep.scores
    total = 0.0
    for oid, pids in assignment.items():
        for pid in pids:
            total += scores[(pid, oid)]
    held = held_by_person(assignment)
    first = sum(1 for pid, oids in held.items() if prep.prefs[pid][0] in oids)
    return round(total, 4), len(held), first


def blocking_pairs(prep: Prepared, assignment, cap: int) -> int:
    """Pairs (person, order), eligible and not matched together, that would both rather have each
    other: the person holds fewer than `cap` orders or prefers this one to the worst they hold, and
    the order has a free place or prefers the person (score, then lower id) to the worst it holds.
    O(pairs): each person's list is walked only down to their worst held order."""
    scores = prep.scores
    held = held_by_person(assignment)
    worst_at: dict[int, tuple[float, int] | None] = {}
    free: dict[int, bool] = {}
    for order in prep.orders:
        pids = assignment[order.id]
        free[order.id] = len(pids) < order.capacity
        worst_at[order.id] = min(((scores[(p, order.id)], -p) for p in pids), default=None)
    count = 0
    for person in prep.people:
        pid = person.id
        mine = held.get(pid, set())
        prefs = prep.prefs[pid]
        if len(mine) < cap:
            candidates = prefs
        else:
            # orders ranked above the worst one the person holds
            last = max(i for i, oid in enumerate(prefs) if oid in mine)
            candidates = prefs[:last]
        for oid in candidates:
            if oid in mine:
                continue
            worst = worst_at[oid]
            if free[oid] or (worst is not None and (scores[(pid, oid)], -pid) > worst):
                count += 1
    return count


def fairness_figures(prep: Prepared, assignment, reqs: list[Requirement]) -> dict[str, Any]:
    """JSON-ready figures. For every group key found on people ("sex", "kecamatan", …):

    - overall: per value, people eligible for at least one order, people proposed at least once,
      and proposals (places), with the share of all proposals;
    - orders: per order, its places proposed and the count per value.
    And per floor requirement (order, group, value): needed and got."""
    people = prep.person_by_id
    keys = sorted({g for p in prep.people for g in p.group})
    held = held_by_person(assignment)
    proposals = sum(len(v) for v in assignment.values())
    groups: dict[str, Any] = {}
    for key in keys:
        overall: dict[str, dict[str, Any]] = {}

        def row(value, overall=overall):
            return overall.setdefault(value, {"eligible": 0, "matched": 0, "proposals": 0})

        for person in prep.people:
            value = person.group.get(key)
            if value is None or not prep.prefs[person.id]:
                continue
            r = row(value)
            r["eligible"] += 1
            if person.id in held:
                r["matched"] += 1
                r["proposals"] += len(held[person.id])
        for r in overall.values():
            r["share"] = round(r["proposals"] / proposals, 4) if proposals else 0.0
        per_order = []
        for oid, pids in assignment.items():
            counts: dict[str, int] = {}
            for pid in pids:
                value = people[pid].group.get(key)
                if value is not None:
                    counts[value] = counts.get(value, 0) + 1
            per_order.append(
                {"order": oid, "places": len(pids), "counts": dict(sorted(counts.items()))}
            )
        groups[key] = {"overall": dict(sorted(overall.items())), "orders": per_order}
    floors = []
    for req in sorted(reqs, key=lambda r: (r.order_id, r.group, r.value)):
        got = sum(
            1 for p in assignment[req.order_id] if people[p].group.get(req.group) == req.value
        )
        floors.append(
            {
                "order": req.order_id,
                "group": req.group,
                "value": req.value,
                "needed": req.need,
                "got": got,
                "eligible": req.eligible,
                "met": got >= req.need,
            }
        )
    return {"groups": groups, "floors": floors, "proposals": proposals}


def compare(problem, results: Sequence[Result]) -> list[dict]:
    """One row per result, in the order given, for the comparison table: the figures, the places
    proposed, how many people got more proposals than the cap allows and the most any one person
    got, floors missed, and the change against the greedy result when one is among `results`."""
    greedy = next((r for r in results if r.method == "greedy"), None)
    rows = []
    for result in results:
        held = held_by_person(result.assignment)
        cap = result.settings.max_orders_per_person if result.settings else 1
        row = {
            "method": result.method,
            "total_score": result.total_score,
            "people_matched": result.people_matched,
            "first_choice": result.first_choice,
            "proposals": sum(len(v) for v in result.assignment.values()),
            "people_over_cap": sum(1 for oids in held.values() if len(oids) > cap),
            "most_proposals_one_person": max((len(v) for v in held.values()), default=0),
            "blocking_pairs": result.blocking_pairs,
            "floors_missed": len(result.floor_shortfalls),
            "seconds": result.seconds,
        }
        sex = result.fairness.get("groups", {}).get("sex", {}).get("overall", {})
        if "P" in sex:
            row["women_share"] = sex["P"]["share"]
            row["women_matched"] = sex["P"]["matched"]
        if greedy is not None:
            row["total_score_vs_greedy"] = round(result.total_score - greedy.total_score, 4)
            row["people_matched_vs_greedy"] = result.people_matched - greedy.people_matched
            row["first_choice_vs_greedy"] = result.first_choice - greedy.first_choice
        rows.append(row)
    return rows

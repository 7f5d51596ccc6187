"""What every method is judged on, whichever produced the proposals: total score, coverage, first
choices, blocking pairs and the fairness figures; and `compare`, the rows of the comparison table.
All computed from the boolean mask over the prepared pairs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .floors import Requirement, got_counts, group_counts
from .model import Result
from .prepared import Prepared


def assignment(prep: Prepared, mask: np.ndarray) -> dict[int, tuple[int, ...]]:
    """Every order (by id) with its proposed people, best score first, ties by lower id."""
    chosen = prep.operm[mask[prep.operm]]  # grouped by order, best first
    ids = prep.person_ids[prep.P[chosen]].tolist()
    sizes = np.bincount(prep.O[chosen], minlength=prep.m).tolist()
    out = {}
    at = 0
    for order, size in zip(prep.orders, sizes, strict=True):
        out[order.id] = tuple(ids[at : at + size])
        at += size
    return out


def totals(prep: Prepared, mask: np.ndarray) -> tuple[float, int, int]:
    """Total score (the sum of every proposal's score), people with at least one proposal, and
    people proposed to the first order of their preference list."""
    total = round(math.fsum(prep.S[mask].tolist()), 4)
    held = np.bincount(prep.P[mask], minlength=prep.n)
    first = int(np.count_nonzero(mask & (prep.pos == 0)))
    return total, int(np.count_nonzero(held)), first


def blocking_pairs(prep: Prepared, mask: np.ndarray, cap: int) -> int:
    """Pairs (person, order), eligible and not matched together, that would both rather have each
    other: the person holds fewer than `cap` orders or prefers this one to the worst they hold, and
    the order has a free place or prefers the person (score, then lower id) to the worst it holds.
    Vectorised over all pairs: O(pairs)."""
    held = np.bincount(prep.P[mask], minlength=prep.n)
    worst_pos = np.full(prep.n, -1, dtype=np.int64)
    np.maximum.at(worst_pos, prep.P[mask], prep.pos[mask])
    filled = np.bincount(prep.O[mask], minlength=prep.m)
    worst_rank = np.full(prep.m, -1, dtype=np.int64)
    np.maximum.at(worst_rank, prep.O[mask], prep.rank[mask])
    person_would = (held[prep.P] < cap) | (prep.pos < worst_pos[prep.P])
    order_would = (filled[prep.O] < prep.capacity[prep.O]) | (prep.rank < worst_rank[prep.O])
    return int(np.count_nonzero(~mask & person_would & order_would))


def fairness_figures(prep: Prepared, mask: np.ndarray, reqs: list[Requirement]) -> dict[str, Any]:
    """JSON-ready figures. For every group key found on people ("sex", "kecamatan", …):

    - overall, per value: people eligible for at least one order, people proposed at least once
      ("matched"), proposals, and their share of all proposals;
    - orders: per order (by id), its proposals and the count per value.

    "floors": per floor requirement (order, group, value): needed, got, eligible, met.
    "proposals": all proposals."""
    held = np.bincount(prep.P[mask], minlength=prep.n)
    proposals = int(mask.sum())
    groups: dict[str, Any] = {}
    filled = np.bincount(prep.O[mask], minlength=prep.m).tolist()
    for key in prep.group_keys:
        codes, values = prep.codes(key)
        known = codes >= 0
        width = len(values)
        eligible = np.bincount(codes[known & prep.has_pairs], minlength=width).tolist()
        matched = np.bincount(codes[known & (held > 0)], minlength=width).tolist()
        given = np.bincount(codes[known], weights=held[known], minlength=width).tolist()
        overall = {
            v: {
                "eligible": eligible[c],
                "matched": matched[c],
                "proposals": int(given[c]),
                "share": round(given[c] / proposals, 4) if proposals else 0.0,
            }
            for c, v in enumerate(values)
        }
        per = group_counts(prep, key, mask).tolist()
        orders = [
            {
                "order": order.id,
                "places": filled[j],
                "counts": {v: per[j][c] for c, v in enumerate(values) if per[j][c]},
            }
            for j, order in enumerate(prep.orders)
        ]
        groups[key] = {"overall": overall, "orders": orders}
    floors = [
        {
            "order": r.order_id,
            "group": r.group,
            "value": r.value,
            "needed": r.need,
            "got": got,
            "eligible": r.eligible,
            "met": got >= r.need,
        }
        for r, got in sorted(
            zip(reqs, got_counts(prep, mask, reqs), strict=True),
            key=lambda x: (x[0].order_id, x[0].group, x[0].value),
        )
    ]
    return {"groups": groups, "floors": floors, "proposals": proposals}


def held_by_person(assignment) -> dict[int, set[int]]:
    held: dict[int, set[int]] = {}
    for oid, pids in assignment.items():
        for pid in pids:
            held.setdefault(pid, set()).add(oid)
    return held


def within_cap(problem, assignment, held, cap: int) -> float:
    """The total score if each person takes only as many proposals as the cap allows, those they
    prefer most: what greedy's proposals are worth once people over the cap have chosen."""
    scores = problem.scores
    over = {pid for pid, oids in held.items() if len(oids) > cap}
    people = {p.id: p for p in problem.people if p.id in over}
    extra = []
    for pid in sorted(over):
        oids = held[pid]
        person = people[pid]
        listed = {o: i for i, o in enumerate(dict.fromkeys(person.preferences))}
        ranked = sorted(
            oids,
            key=lambda o: (
                listed.get(o, len(listed)),
                o not in person.wants,
                -scores[(pid, o)],
                o,
            ),
        )
        extra.extend(scores[(pid, o)] for o in ranked[cap:])
    total = math.fsum(scores[(p, o)] for o, pids in assignment.items() for p in pids)
    return round(total - math.fsum(extra), 4)


def compare(problem, results: Sequence[Result]) -> list[dict]:
    """One row per result, in the order given, for the comparison table: the figures, the places
    proposed, how many people got more proposals than the cap allows and the most any one person
    got, the total score counting for each person only the proposals within the cap (those they
    prefer most; the same as the total for every method but greedy), floors missed, and the change
    against the greedy result when one is among `results`."""
    greedy = next((r for r in results if r.method == "greedy"), None)
    rows = []
    for result in results:
        held = held_by_person(result.assignment)
        cap = result.settings.max_orders_per_person if result.settings else 1
        row = {
            "method": result.method,
            "total_score": result.total_score,
            "total_score_within_cap": within_cap(problem, result.assignment, held, cap),
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
        rows.append(row)
    if greedy is not None:
        base = next(row for row, r in zip(rows, results, strict=True) if r is greedy)
        for row, result in zip(rows, results, strict=True):
            row["total_score_vs_greedy"] = round(result.total_score - greedy.total_score, 4)
            row["total_score_within_cap_vs_greedy"] = round(
                row["total_score_within_cap"] - base["total_score_within_cap"], 4
            )
            row["people_matched_vs_greedy"] = result.people_matched - greedy.people_matched
            row["first_choice_vs_greedy"] = result.first_choice - greedy.first_choice
    return rows

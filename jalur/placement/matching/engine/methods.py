"""Greedy (today's per-order fill) and stable matching (candidate-proposing deferred acceptance).

Both return {order_id: [person ids]} in no particular order; figures.finish sorts them."""

from __future__ import annotations

import heapq
from collections import deque

from .prepared import Prepared


def greedy(prep: Prepared) -> dict[int, list[int]]:
    """Today's `recommendations_fill`, one order at a time in `sequence` order (ties by id): each
    order takes its best `capacity` eligible people by score (ties by lower id). Like today, a person
    may be recommended to every order that ranks them high: orders do not see each other."""
    by_order = prep.by_order
    out = {}
    for order in sorted(prep.orders, key=lambda o: (o.sequence, o.id)):
        out[order.id] = by_order[order.id][: order.capacity]
    return out


def stable(prep: Prepared, cap: int) -> dict[int, list[int]]:
    """Candidate-proposing deferred acceptance (Gale–Shapley), many-to-one with order capacities.

    Each person proposes down their preference list; an order holds its best `capacity` proposals
    (score, ties by lower id) and rejects the rest; a rejected or displaced person proposes to their
    next order. Every proposal is made once and costs O(log capacity) with a heap of the order's
    worst held proposal on top, so the run is O(pairs · log capacity).

    With `cap` > 1 each person proposes until holding `cap` orders (the many-to-many form, Roth
    1984): orders' preferences are responsive (each person judged on their own score), and the
    result is pairwise stable: no person and order, not matched together, where the person has a
    free slot or prefers the order to one they hold, and the order has a free place or prefers the
    person to one it holds. With `cap` = 1 this is ordinary stability. The result is the best
    stable matching for every candidate, whatever order proposals are processed in."""
    capacity = {o.id: o.capacity for o in prep.orders}
    held: dict[int, list[tuple[float, int]]] = {o.id: [] for o in prep.orders}
    prefs = prep.prefs
    scores = prep.scores
    nxt = dict.fromkeys(prefs, 0)
    count = dict.fromkeys(prefs, 0)
    queue = deque(p.id for p in prep.people)
    heappush, heapreplace = heapq.heappush, heapq.heapreplace
    while queue:
        pid = queue.popleft()
        mine = prefs[pid]
        i = nxt[pid]
        n = count[pid]
        while n < cap and i < len(mine):
            oid = mine[i]
            i += 1
            c = capacity[oid]
            if not c:
                continue
            key = (scores[(pid, oid)], -pid)
            heap = held[oid]
            if len(heap) < c:
                heappush(heap, key)
                n += 1
            elif key > heap[0]:
                loser = -heapreplace(heap, key)[1]
                n += 1
                count[loser] -= 1
                queue.append(loser)
        nxt[pid] = i
        count[pid] = n
    return {oid: [-neg for _, neg in heap] for oid, heap in held.items()}

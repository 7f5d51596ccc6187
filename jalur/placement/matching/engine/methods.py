"""Greedy (today's per-order fill) and stable matching (candidate-proposing deferred acceptance).

Both return a boolean mask over the prepared pairs (person order): True = proposed."""

from __future__ import annotations

import heapq
from collections import deque

import numpy as np

from .prepared import Prepared


def greedy(prep: Prepared) -> np.ndarray:
    """Today's `recommendations_fill`, one order at a time in `sequence` order (ties by id): each
    order takes its best `capacity` eligible people by score (ties by lower id). Like today, a person
    may be recommended to every order that ranks them high: orders do not see each other, so the
    sequence changes nothing in the result (it would once a cap applied)."""
    return prep.rank < prep.capacity[prep.O]


def stable(prep: Prepared, cap: int) -> np.ndarray:
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
    orders = prep.O.tolist()
    ranks = prep.rank.tolist()
    off = prep.off.tolist()
    capacity = prep.capacity.tolist()
    operm = prep.operm.tolist()
    ooff = prep.ooff.tolist()
    people = prep.P.tolist()
    held: list[list[int]] = [[] for _ in range(prep.m)]  # −rank: the worst held on top
    nxt = off[:-1]
    count = [0] * prep.n
    queue = deque(range(prep.n))
    heappush, heapreplace = heapq.heappush, heapq.heapreplace
    while queue:
        i = queue.popleft()
        k = nxt[i]
        end = off[i + 1]
        held_now = count[i]
        while held_now < cap and k < end:
            j = orders[k]
            r = -ranks[k]
            k += 1
            c = capacity[j]
            if not c:
                continue
            heap = held[j]
            if len(heap) < c:
                heappush(heap, r)
                held_now += 1
            elif r > heap[0]:
                loser = people[operm[ooff[j] - heapreplace(heap, r)]]
                held_now += 1
                count[loser] -= 1
                queue.append(loser)
        nxt[i] = k
        count[i] = held_now
    mask = np.zeros(prep.e, dtype=bool)
    chosen = [operm[ooff[j] - r] for j, heap in enumerate(held) for r in heap]
    mask[np.array(chosen, dtype=np.int64)] = True
    return mask

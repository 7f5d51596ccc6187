"""A problem put in canonical form once per solve, as numpy arrays over the eligible pairs.

People and orders are numbered by ascending id (index = rank of the id), so every tie broken by
index is a tie broken by id, and the input's order never changes a result. Each eligible pair
appears once; pair arrays are kept in two orders:

- person order (CSR): pairs grouped by person, each person's orders in their preference order:
  `P` person index, `O` order index, `S` score, `pos` position in the person's list (0 = first
  choice), `off[i]:off[i+1]` the slice of person i;
- order order: `operm` lists the pairs grouped by order, best score first (ties by lower person
  id), `ooff[j]:ooff[j+1]` the slice of order j; `rank[k]` is pair k's place in its order's list.
"""

from __future__ import annotations

import itertools
from functools import cached_property

import numpy as np

from .model import Person, Problem


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
        if any(o.capacity < 0 for o in self.orders):
            raise ValueError("negative capacity")
        self.n = n = len(self.people)
        self.m = m = len(self.orders)
        self.person_ids = np.array([p.id for p in self.people], dtype=np.int64)
        self.order_ids = np.array([o.id for o in self.orders], dtype=np.int64)
        self.capacity = np.array([o.capacity for o in self.orders], dtype=np.int64)

        e = len(problem.scores)
        flat = np.fromiter(
            itertools.chain.from_iterable(problem.scores.keys()), dtype=np.int64, count=2 * e
        ).reshape(e, 2)
        score = np.fromiter(problem.scores.values(), dtype=np.float64, count=e)
        pidx = _index(self.person_ids, flat[:, 0], "person")
        oidx = _index(self.order_ids, flat[:, 1], "order")
        del flat
        key = pidx * max(m, 1) + oidx

        # the person's applications, in their order; then wanted orders; then score; then id
        listed_keys, listed_rank = [], []
        order_index = {oid: j for j, oid in enumerate(self.order_ids.tolist())}
        by_wants: dict[frozenset, list[int]] = {}  # people who chose the same country and job
        for i, person in enumerate(self.people):
            if person.wants:
                by_wants.setdefault(frozenset(person.wants), []).append(i)
            if not person.preferences:
                continue
            seen = set()
            for oid in person.preferences:
                j = order_index.get(oid)
                if j is not None and j not in seen:
                    seen.add(j)
                    listed_keys.append(i * m + j)
                    listed_rank.append(len(seen))
        wanted = [np.empty(0, dtype=np.int64)]
        for wants, members in by_wants.items():
            cols = np.array(
                sorted(order_index[o] for o in wants if o in order_index), dtype=np.int64
            )
            rows = np.array(members, dtype=np.int64)
            wanted.append((rows[:, None] * m + cols[None, :]).ravel())
        listed = _lookup(key, listed_keys, listed_rank, default=np.iinfo(np.int64).max)
        unwanted = ~np.isin(key, np.concatenate(wanted))
        listed = np.minimum(listed, m + 1)  # applications are ranked 1.., unlisted m + 1
        _, score_rank = np.unique(-score, return_inverse=True)  # 0 = the highest score
        score_rank = score_rank.reshape(-1).astype(np.int64)
        distinct = int(score_rank.max()) + 1 if e else 1
        perm = _sort(
            (pidx, n),
            (listed, m + 2),
            (unwanted.astype(np.int64), 2),
            (score_rank, distinct),
            (oidx, m),
        )
        self.P = pidx[perm]
        self.O = oidx[perm]
        self.S = score[perm]
        self.e = e
        counts = np.bincount(self.P, minlength=n)
        self.off = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.pos = np.arange(e, dtype=np.int64) - self.off[self.P]

        self.operm = _sort((self.O, m), (score_rank[perm], distinct), (self.P, n))
        ocounts = np.bincount(self.O, minlength=m)
        self.ooff = np.concatenate(([0], np.cumsum(ocounts))).astype(np.int64)
        rank = np.empty(e, dtype=np.int64)
        rank[self.operm] = np.arange(e, dtype=np.int64) - self.ooff[self.O[self.operm]]
        self.rank = rank
        self.eligible_people = np.bincount(self.O, minlength=m)  # per order
        self.has_pairs = counts > 0  # per person
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}

    def codes(self, group: str) -> tuple[np.ndarray, list[str]]:
        """Each person's value of `group` as an index into the sorted values (−1: none)."""
        return self._codes[group] if group in self._codes else self._make_codes(group)

    def _make_codes(self, group):
        raw = [p.group.get(group) for p in self.people]
        values = sorted({v for v in raw if v is not None})
        index = {v: k for k, v in enumerate(values)}
        codes = np.array([index.get(v, -1) if v is not None else -1 for v in raw], dtype=np.int64)
        self._codes[group] = (codes, values)
        return codes, values

    @cached_property
    def group_keys(self) -> list[str]:
        return sorted({g for p in self.people for g in p.group})

    def order_pairs(self, j: int) -> np.ndarray:
        """Pair indices of order j, best first."""
        return self.operm[self.ooff[j] : self.ooff[j + 1]]


def _sort(*columns: tuple[np.ndarray, int]) -> np.ndarray:
    """The permutation sorting by the columns, first one most significant; each column holds
    integers in 0..size−1. One argsort of a packed 64-bit key when it fits, else lexsort."""
    bits = sum(max(1, int(size - 1).bit_length()) for _, size in columns)
    if bits > 63:
        return np.lexsort(tuple(col for col, _ in reversed(columns)))
    key = np.zeros(len(columns[0][0]), dtype=np.int64)
    for col, size in columns:
        key *= max(2, 1 << max(1, int(size - 1).bit_length()))
        key += col
    return np.argsort(key, kind="stable")


def _index(ids: np.ndarray, values: np.ndarray, what: str) -> np.ndarray:
    idx = np.searchsorted(ids, values)
    bad = (idx >= len(ids)) | (ids[np.minimum(idx, len(ids) - 1)] != values) if len(ids) else None
    if bad is None:
        if len(values):
            raise ValueError(f"score for unknown {what} {int(values[0])}")
        return idx.astype(np.int64)
    if bad.any():
        raise ValueError(f"score for unknown {what} {int(values[bad][0])}")
    return idx.astype(np.int64)


def _lookup(keys: np.ndarray, table_keys: list, table_values: list, default: int) -> np.ndarray:
    out = np.full(len(keys), default, dtype=np.int64)
    if not table_keys:
        return out
    tk = np.array(table_keys, dtype=np.int64)
    tv = np.array(table_values, dtype=np.int64)
    order = np.argsort(tk)
    tk, tv = tk[order], tv[order]
    at = np.minimum(np.searchsorted(tk, keys), len(tk) - 1)
    hit = tk[at] == keys
    out[hit] = tv[at[hit]]
    return out


def preference_list(person: Person, orders, scores) -> list[int]:
    """One person's full preference list over the orders they are eligible for (pure Python, for
    `explain`): their applications first (in their order), then the orders matching their chosen
    country and job type, then higher score, then lower id."""
    eligible = {o.id: scores[(person.id, o.id)] for o in orders if (person.id, o.id) in scores}
    listed = list(dict.fromkeys(o for o in person.preferences if o in eligible))
    rest = sorted(
        (o for o in eligible if o not in set(listed)),
        key=lambda o: (o not in person.wants, -eligible[o], o),
    )
    return listed + rest

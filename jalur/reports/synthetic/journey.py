"""Every person's walk through the programme, drawn for a whole batch at once with numpy.

Most finish registering, some are sent back for corrections, some are rejected, some withdraw at
each stage, training takes about three months and some fail it once, selection can take several
tries, and a few come home again. Each step draws its own random numbers for the whole batch, so
a batch of 200,000 people walks in a few dozen array operations rather than 200,000 loops.

`Walk.stages[i, k]` is the k-th stage person i entered (an index into `STAGES`), `Walk.times[i, k]`
when (seconds since 1970, UTC), and `Walk.count[i]` how many moves they made.
"""

import numpy as np

from jalur.candidates.stages import Stage

S = Stage
STAGES = list(Stage.values)
CODE = {stage: i for i, stage in enumerate(STAGES)}
DAY_S = 86_400.0
# Loops that could in principle go on for ever stop here (0.12**4 and 0.25**6 of people).
CORRECTIONS_MAX = 4
SELECTIONS_MAX = 6
MOVES_MAX = 3 + 2 * CORRECTIONS_MAX + 5 + 2 * SELECTIONS_MAX + 5


class Walk:
    def __init__(self, rng: np.random.Generator, created: np.ndarray, now: float):
        n = len(created)
        self.rng, self.now, self.n = rng, now, n
        self.stages = np.full((n, MOVES_MAX), -1, dtype=np.int16)
        self.times = np.zeros((n, MOVES_MAX), dtype=np.float64)
        self.count = np.zeros(n, dtype=np.int64)
        self.at = created.astype(np.float64).copy()
        self.alive = np.ones(n, dtype=bool)
        self._put(np.arange(n), CODE[S.REGISTERING], self.at)

    def _put(self, idx: np.ndarray, code: int, moments: np.ndarray) -> None:
        self.stages[idx, self.count[idx]] = code
        self.times[idx, self.count[idx]] = moments
        self.count[idx] += 1

    def chance(self, p: float) -> np.ndarray:
        return self.rng.random(self.n) < p

    def go(self, who: np.ndarray, stage: str, low: float, high: float) -> np.ndarray:
        """Move `who` on to `stage` after low–high days; who would move after now stops there."""
        who = who & self.alive
        moment = self.at + self.rng.uniform(low, high, self.n) * DAY_S
        ok = who & (moment < self.now)
        idx = np.flatnonzero(ok)
        self._put(idx, CODE[stage], moment[idx])
        self.at[idx] = moment[idx]
        self.alive &= ~(who & ~ok)
        return ok

    def leave(self, who: np.ndarray, stage: str, low: float, high: float) -> None:
        """Move `who` to a stage that ends the walk (withdrawn, rejected, returned)."""
        who = who & self.alive
        self.go(who, stage, low, high)
        self.alive &= ~who

    # --- reading the result ---------------------------------------------------------------------
    def current(self) -> tuple[np.ndarray, np.ndarray]:
        rows = np.arange(self.n)
        last = self.count - 1
        return self.stages[rows, last], self.times[rows, last]

    def reached(self, stage: str) -> np.ndarray:
        """When each person first entered `stage` (NaN: never)."""
        hit = self.stages == CODE[stage]
        first = hit.argmax(axis=1)
        when = self.times[np.arange(self.n), first]
        return np.where(hit.any(axis=1), when, np.nan)


def walk(rng: np.random.Generator, created: np.ndarray, has_pathway: np.ndarray, now: float):
    w = Walk(rng, created, now)
    w.leave(w.chance(0.1), S.WITHDRAWN, 5, 60)
    w.go(w.alive, S.REGISTERED, 0.05, 4)
    correcting = w.alive.copy()
    for _ in range(CORRECTIONS_MAX):
        correcting &= w.chance(0.12) & w.alive
        back = w.go(correcting, S.CORRECTION, 1, 10)
        correcting = w.go(back, S.REGISTERED, 0.5, 12)
    w.leave(w.chance(0.06), S.REJECTED, 2, 15)
    w.go(w.alive, S.VERIFIED, 1, 14)
    w.leave(~has_pathway | w.chance(0.15), S.WITHDRAWN, 10, 120)
    # training, and once more after failing the first time
    pending = w.alive.copy()
    for attempt in (1, 2):
        pending = w.go(pending, S.TRAINING, 10, 90)
        roll = w.rng.random(w.n)
        w.leave(pending & (roll < 0.08), S.WITHDRAWN, 10, 60)
        pending &= w.alive
        again = pending & (roll < 0.23) if attempt < 2 else np.zeros(w.n, dtype=bool)
        w.go(pending & ~again, S.TRAINED, 70, 100)
        pending = w.go(again, S.VERIFIED, 70, 95)
    # selection, back to the pool when not chosen
    pending = w.alive.copy()
    for attempt in range(SELECTIONS_MAX):
        w.leave(pending & w.chance(0.08), S.WITHDRAWN, 10, 60)
        pending = w.go(pending, S.SELECTION, 3, 30)
        if attempt == SELECTIONS_MAX - 1:
            break
        pending = w.go(pending & w.chance(0.25), S.TRAINED, 14, 50)
    w.go(w.alive, S.PRE_DEPARTURE, 10, 60)
    w.leave(w.chance(0.06), S.WITHDRAWN, 10, 60)
    w.go(w.alive, S.READY, 30, 100)
    w.go(w.alive, S.DEPARTED, 3, 30)
    w.leave(w.alive.copy(), S.RETURNED, 300, 1100)
    return w

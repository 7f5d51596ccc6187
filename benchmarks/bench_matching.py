"""Benchmark: programme-wide matching (issue 19) over 100,000 candidates × 200 job orders.

Generates a synthetic problem with fixed seeds (no database: the engine is pure Python + OR-Tools),
then runs the three methods of jalur.placement.matching.engine on the same data:

- greedy:  today's per-order fill (each order its best 3 × positions, people may repeat);
- stable:  candidate-proposing deferred acceptance, cap 1;
- optimal: min-cost flow maximising the total score, cap 1; and again with floors (women ≥ 40 %
           of each order's places, each kecamatan ≥ 10 %; the data has 35 % women and the
           smallest kecamatan 10 % of people, so both floors bind at many orders).

Data: 2 countries × 8 job types; each order has 3 × (5–50) places; each person chose one country
and job type, is eligible to most orders of that choice and to a few others (5–40 orders in all);
a person's score at an order is their ability (normal, mean 60, sd 12) plus an order-specific part
(sd 8), so strong candidates are strong everywhere, as with the real 0–100 score; 30 % applied to
1–3 orders. 35 % women, 6 kecamatan of unequal size.

For each method: wall time (median, min–max over --repeat runs), peak Python heap (tracemalloc, a
separate run), peak resident memory of the process during the run (VmHWM, reset before each run),
and total score, people matched, first choices, blocking pairs, against greedy.

    .venv/bin/python benchmarks/bench_matching.py --people 100000 --orders 200 [--repeat 3]
"""

import argparse
import contextlib
import gc
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jalur.placement.matching.engine import (  # noqa: E402
    Floor,
    Order,
    Person,
    Problem,
    Settings,
    compare,
    solve,
)
from jalur.placement.matching.engine.floors import requirements  # noqa: E402
from jalur.placement.matching.engine.flow import optimal  # noqa: E402
from jalur.placement.matching.engine.prepared import Prepared  # noqa: E402

SEED = 2026
KECAMATAN = ("36.73.01", "36.73.02", "36.73.03", "36.73.04", "36.73.05", "36.73.06")
KECAMATAN_WEIGHTS = (0.25, 0.20, 0.18, 0.15, 0.12, 0.10)


def generate(people: int, orders: int, seed: int = SEED) -> Problem:
    rng = random.Random(seed)
    kinds = [(c, j) for c in ("KR", "JP") for j in range(8)]
    order_list = []
    by_kind: dict[tuple, list[int]] = {k: [] for k in kinds}
    sequence = list(range(orders))
    rng.shuffle(sequence)
    for i in range(orders):
        oid = 1000 + i
        kind = kinds[i % len(kinds)]
        by_kind[kind].append(oid)
        order_list.append(Order(id=oid, capacity=3 * rng.randint(5, 50), sequence=sequence[i]))
    all_ids = [o.id for o in order_list]
    scores: dict[tuple[int, int], float] = {}
    person_list = []
    gauss, rand, randint = rng.gauss, rng.random, rng.randint
    for i in range(people):
        pid = 1 + i
        kind = kinds[rng.randrange(len(kinds))]
        wanted = by_kind[kind]
        eligible = {oid for oid in wanted if rand() < 0.8}
        target = min(randint(5, 40), orders)
        while len(eligible) < target:
            eligible.add(all_ids[rng.randrange(orders)])
        ability = gauss(60, 12)
        for oid in eligible:
            scores[(pid, oid)] = round(min(100.0, max(0.0, ability + gauss(0, 8))), 1)
        applied = ()
        mine = sorted(oid for oid in wanted if oid in eligible)
        if mine and rand() < 0.3:
            applied = tuple(rng.sample(mine, min(len(mine), randint(1, 3))))
        person_list.append(
            Person(
                id=pid,
                preferences=applied,
                wants=frozenset(wanted),
                group={
                    "sex": "P" if rand() < 0.35 else "L",
                    "kecamatan": rng.choices(KECAMATAN, KECAMATAN_WEIGHTS)[0],
                },
            )
        )
    return Problem(orders=tuple(order_list), people=tuple(person_list), scores=scores)


FLOORS = (Floor("sex", "P", 0.40), Floor("kecamatan", "*", 0.10))
RUNS = [
    ("greedy", Settings("greedy", floors=FLOORS)),  # floors reported, not enforced
    ("stable", Settings("stable", floors=FLOORS)),
    ("optimal", Settings("optimal")),
    ("optimal + floors", Settings("optimal", floors=FLOORS)),
]


def peak_rss_reset() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    args = parser.parse_args()

    clock = time.perf_counter()
    problem = generate(args.people, args.orders)
    pairs = len(problem.scores)
    places = sum(o.capacity for o in problem.orders)
    print(
        f"floors: {', '.join(f'{f.group} {f.value} ≥ {f.share:.0%}' for f in FLOORS)} "
        "(reported for every method, enforced only by 'optimal + floors')"
    )
    print(
        f"generated {len(problem.people):,} people × {len(problem.orders)} orders, "
        f"{pairs:,} eligible pairs ({pairs / len(problem.people):.1f} per person), "
        f"{places:,} places, in {time.perf_counter() - clock:.1f} s"
    )
    prep = Prepared(problem)
    _, stats = optimal(prep, 1, requirements(prep, FLOORS))
    print(
        f"flow network with floors: {stats['nodes']:,} nodes, {stats['arcs']:,} arcs "
        f"({stats['group_nodes']} group nodes, {stats.get('repaired', 0)} repair swaps, "
        f"tie-break by preference {'on' if stats['tie_break'] else 'off'})"
    )
    del prep
    gc.collect()
    base = rss_kib("VmRSS")
    print(f"resident memory with the problem loaded: {base / 1024:.0f} MiB")

    times: dict[str, list[float]] = {label: [] for label, _ in RUNS}
    hwm: dict[str, int] = {}
    results = {}
    for _ in range(args.repeat):
        for label, settings in RUNS:
            gc.collect()
            peak_rss_reset()
            start = time.perf_counter()
            result = solve(problem, settings)
            times[label].append(time.perf_counter() - start)
            hwm[label] = max(hwm.get(label, 0), rss_kib("VmHWM") - base)
            results[label] = result
    heap: dict[str, int] = {}
    if not args.no_memory:
        for label, settings in RUNS:
            gc.collect()
            tracemalloc.start()
            solve(problem, settings)
            heap[label] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()

    rows = compare(problem, [results[label] for label, _ in RUNS])
    greedy = rows[0]
    print()
    print(
        f"{'method':<17} {'median s':>8} {'min–max s':>11} {'+RSS MiB':>8} {'heap MiB':>8} "
        f"{'total score':>12} {'vs greedy':>8} {'within cap':>10} {'vs greedy':>9} {'matched':>8} {'vs greedy':>9} "
        f"{'1st choice':>10} {'vs greedy':>9} {'blocking':>8} {'floors missed':>13}"
    )
    for (label, settings), row in zip(RUNS, rows, strict=True):
        t = times[label]
        gain = (row["total_score"] / greedy["total_score"] - 1) * 100
        within = (row["total_score_within_cap"] / greedy["total_score_within_cap"] - 1) * 100
        matched = (row["people_matched"] / greedy["people_matched"] - 1) * 100
        first = (row["first_choice"] / greedy["first_choice"] - 1) * 100
        print(
            f"{label:<17} {statistics.median(t):8.1f} {min(t):5.1f}–{max(t):<5.1f} "
            f"{hwm[label] / 1024:8.0f} {heap.get(label, 0) / 2**20:8.0f} "
            f"{row['total_score']:12,.0f} {gain:+7.1f}% {row['total_score_within_cap']:10,.0f} "
            f"{within:+8.1f}% {row['people_matched']:8,} {matched:+8.1f}% "
            f"{row['first_choice']:10,} {first:+8.1f}% {row['blocking_pairs']:8,} "
            f"{row['floors_missed'] if settings.floors else '—':>13}"
        )
    print()
    for (label, _), row in zip(RUNS, rows, strict=True):
        print(
            f"{label:<17} proposals {row['proposals']:,}, people over the cap "
            f"{row['people_over_cap']:,}, most proposals to one person "
            f"{row['most_proposals_one_person']}, women {row.get('women_share', 0):.1%} of "
            f"proposals ({row.get('women_matched', 0):,} women matched)"
        )
    for label, settings in RUNS:
        if settings.floors:
            codes: dict[str, int] = {}
            for shortfall in results[label].floor_shortfalls:
                codes[shortfall.code] = codes.get(shortfall.code, 0) + 1
            met = sum(f["met"] for f in results[label].fairness["floors"])
            print(
                f"{label:<17} floors met {met:,} of {len(results[label].fairness['floors']):,}; "
                f"missed by reason: {codes or 'none'}"
            )
    print(
        f"\npeak resident memory of the whole process: {rss_kib('VmHWM') / 1024:.0f} MiB (last run)"
    )


if __name__ == "__main__":
    main()

"""Benchmark: the programme-wide matching run from the database, 100,000 candidates × 200 orders.

Builds (once) a PostgreSQL database: the 100,000 candidates of bench_selection.py (every stage;
pathway assignments, official JFT-Basic/JLPT/skill results, 900,000 attendance marks, stage
history), then adds what a matching run reads beyond one Japanese order: EPS-TOPIK results for
the people on Korean pathways, skill tests in the jobs of each person's pathway (the job they
were put on the pathway for, if any), care-Japanese passes, the job types people chose, 200 approved open orders (Japan SSW, TITP, IJEPA, Korea EPS and E-7; eleven
job types; a spread of height, age, education, sex and language requirements) and applications
(3 % of the trained people applied to one or two orders).

Then measures, on the same data:

- A/B, interleaved (A B A B A B): the reader as it was (`per_order`: `selection.ranked` once per
  order) against `matching.inputs.build_inputs` (one eligibility query per set of rules on other
  tables, the score parts read once), over all 200 orders; the two inputs must be identical (the
  same canonical bytes, so every pair, score and part);
- the full run over all 200 orders, 3 times: build_inputs, then greedy, stable and optimal
  (`services.solve_all`, what a run computes, without the web and without saving proposals);
  the time of each step and the peak memory (RSS of the process and tracemalloc's Python heap,
  measured in a separate pass, as tracing slows the run).

    .venv/bin/python benchmarks/bench_matching_db.py            # build if needed, then measure
    .venv/bin/python benchmarks/bench_matching_db.py --rebuild  # drop and build the data again
    .venv/bin/python benchmarks/bench_matching_db.py --profile  # cProfile of build_inputs
    .venv/bin/python benchmarks/bench_matching_db.py --dense --no-ab  # the dense data, no A/B

BENCH_DATABASE_URL overrides the database (default postgres://postgres@127.0.0.1:5432/jalur_matchspeed,
with --dense jalur_matchspeed_dense).
"""

import datetime
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
# --dense: every order asks only what its pathway asks, everyone trained holds a passed skill test:
# several times the eligible pairs, toward the engine benchmark's 2.3 million (its own database)
DENSE = "--dense" in sys.argv
os.environ.setdefault(
    "BENCH_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/jalur_matchspeed" + ("_dense" if DENSE else ""),
)
import bench_selection  # noqa: E402  (reads BENCH_DATABASE_URL, sets DATABASE_URL)

ORDERS = 200
RUNS = 3
SEED = 1919
PREFIX = "BM-"


def extend() -> None:
    """What a matching run reads beyond bench_selection's data (added once)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from jalur.accounts.models import Organisation
    from jalur.candidates.models import Candidate
    from jalur.candidates.stages import Stage
    from jalur.pathways.models import JobType, Pathway, PathwayAssignment
    from jalur.placement.models import Agency, Application, JobOrder
    from jalur.training.models import Assessment

    if JobOrder.objects.filter(reference__startswith=PREFIX).count() >= ORDERS:
        return
    print("adding Korean results, skill tests, chosen job types, 200 orders…", flush=True)
    started = time.perf_counter()
    rng = random.Random(SEED)
    today = timezone.localdate()
    now = timezone.now()
    jobs = {j.code: j for j in JobType.objects.all()}
    pathways = {p.code: p for p in Pathway.objects.all()}
    covers = {code: [j.pk for j in p.job_types.all()] for code, p in pathways.items()}
    trained = (Stage.TRAINED, Stage.SELECTION)
    with transaction.atomic():
        results, chosen = [], []
        through = Candidate.preferred_job_types.through
        rows = PathwayAssignment.objects.filter(
            is_active=True, candidate__stage__in=trained
        ).values_list("candidate_id", "pathway__code", "pathway__country", "job_type_id")
        for pk, code, country, job_type in rows.iterator(chunk_size=5000):
            taken = today - datetime.timedelta(days=rng.randint(5, 400))
            if country == "KR" and rng.random() < 0.8:
                results.append(
                    Assessment(
                        candidate_id=pk,
                        test="eps_topik",
                        kind="official",
                        taken_on=taken,
                        valid_until=taken + datetime.timedelta(days=730),
                        score=rng.randint(80, 200),
                        passed=True,
                    )
                )
            if DENSE or rng.random() < 0.8:  # a skill test in a job of the person's pathway
                job = job_type or rng.choice(covers[code] or [None])
                results.append(
                    Assessment(
                        candidate_id=pk,
                        test="skill",
                        kind="official",
                        taken_on=taken,
                        score=rng.randint(55, 100),
                        passed=DENSE or rng.random() < 0.9,
                        title="Uji keterampilan",
                        issuer="HRD Korea" if country == "KR" else "Prometric",
                        job_type_id=job,
                    )
                )
            if code == "jp-ssw-p2p" and rng.random() < 0.3:
                results.append(
                    Assessment(
                        candidate_id=pk,
                        test="kaigo_jp",
                        kind="official",
                        taken_on=taken,
                        passed=True,
                    )
                )
            for job in rng.sample(list(jobs.values()), rng.choice([0, 1, 1, 2])):
                chosen.append(through(candidate_id=pk, jobtype_id=job.pk))
        Assessment.objects.bulk_create(results, batch_size=5000)
        through.objects.bulk_create(chosen, batch_size=5000, ignore_conflicts=True)

        org = Organisation.objects.create(
            kind="placement_agency", name="PT Bench Matching", code="p3mi-bm"
        )
        agency = Agency.objects.create(
            organisation=org,
            licence_number="SIP3MI/BM/2026",
            licence_valid_from=today - datetime.timedelta(days=365),
            licence_valid_until=today + datetime.timedelta(days=365),
            apjati_number="APJATI-BM",
            address="Serang",
            phone="0254-200100",
            contact_name="Bench",
            contact_phone="+6281299990000",
        )
        kinds = [  # (pathway, job types, share)
            ("jp-ssw-p2p", ["industrial", "caregiver", "food-manufacturing", "welder"], 0.55),
            ("jp-ssw-mandiri", ["industrial", "caregiver"], 0.08),
            ("jp-titp", ["industrial", "food-manufacturing", "plantation"], 0.06),
            ("jp-ijepa", ["caregiver", "nurse"], 0.03),
            ("kr-eps-g2g", ["industrial", "welder", "plantation", "food-manufacturing"], 0.23),
            ("kr-e7", ["welder", "electrician"], 0.05),
        ]
        orders = []
        pick = (lambda options: options[0]) if DENSE else rng.choice  # options[0]: no rule
        for i in range(ORDERS):
            code, codes, _share = rng.choices(kinds, [k[2] for k in kinds])[0]
            pathway = pathways[code]
            korea = pathway.country == "KR"
            sex = "" if DENSE else rng.choices(["", "P", "L"], [0.85, 0.1, 0.05])[0]
            orders.append(
                JobOrder(
                    reference=f"{PREFIX}{i:04d}",
                    agency=agency,
                    status="approved",
                    status_changed_at=now - datetime.timedelta(days=rng.randint(1, 60), minutes=i),
                    employer_name=f"Pemberi kerja {i}",
                    employer_country=pathway.country,
                    employer_city="Gimhae" if korea else "Nagoya",
                    employer_sector="Manufaktur",
                    pathway=pathway,
                    job_type=jobs[rng.choice(codes)],
                    position_title=f"Jabatan {i}",
                    positions=rng.choice([1, 2, 3, 5, 5, 8, 10, 15, 20, 30]),
                    min_age=pick([None, None, 18, 19, 21]),
                    max_age=pick([None, 30, 35, 39, 40]),
                    sex=sex,
                    sex_reason="Asrama terpisah" if sex else "",
                    min_education=pick(["", "", "SMP", "SMA"]),
                    min_height_cm=pick([None, None, 150, 155, 160]),
                    min_experience_years=pick([None, None, None, 1]),
                    eps_topik_min_score=pick([None, 80, 100, 120]) if korea else None,
                    jft_min_score=None if korea else pick([None, 200, 200, 210]),
                    wage_amount=Decimal(2_100_000 if korea else 210_000),
                    wage_currency="KRW" if korea else "JPY",
                    wage_period="month",
                    hours_per_week=40,
                    contract_months=36,
                    deadline=today + datetime.timedelta(days=rng.randint(10, 90)),
                    attache_status="verified",
                )
            )
        orders = JobOrder.objects.bulk_create(orders)
        by_country: dict[str, list] = {}
        for order in orders:
            by_country.setdefault(order.employer_country, []).append(order)
        applications, seen = [], set()
        rows = PathwayAssignment.objects.filter(
            is_active=True, candidate__stage__in=trained
        ).values_list("candidate_id", "pathway__country")
        for pk, country in rows.iterator(chunk_size=5000):
            if rng.random() >= 0.03:
                continue
            for order in rng.sample(by_country[country], rng.randint(1, 2)):
                if (pk, order.pk) in seen:
                    continue
                seen.add((pk, order.pk))
                at = now - datetime.timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 999))
                applications.append(
                    Application(
                        order=order,
                        candidate_id=pk,
                        status="applied",
                        origin="applied",
                        applied_at=at,
                        status_changed_at=at,
                    )
                )
        Application.objects.bulk_create(applications, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"added {len(results):,} results, {len(chosen):,} chosen job types, {len(orders)} orders, "
        f"{len(applications):,} applications in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def per_order(order_ids, *, on):
    """The reader as it was before: `selection.ranked` once per order (for the A/B comparison)."""
    from jalur.placement.matching import inputs as mi
    from jalur.placement.selection import ranked

    now = mi.start_of_day(on)
    orders = sorted(
        mi.open_orders(on).filter(pk__in=list(order_ids)).select_related("pathway", "job_type"),
        key=lambda o: (o.status_changed_at, o.pk),
    )
    held = mi._held_counts([o.pk for o in orders])
    taken = mi._taken_pairs([o.pk for o in orders])
    facts, engine_orders, scores, parts, groups, wants = {}, [], {}, {}, {}, {}
    for sequence, order in enumerate(orders):
        capacity = max(0, order.recommendation_target - held.get(order.pk, 0))
        facts[order.pk] = mi.OrderFacts(
            order.pk, order.reference, order.positions, held.get(order.pk, 0), capacity, sequence
        )
        engine_orders.append(mi.Order(id=order.pk, capacity=capacity, sequence=sequence))
        rows = ranked(order, on=on, now=now).values_list(
            "pk", "sex", "district_id", "score", *(f"part_{name}" for name in mi.PARTS)
        )
        skip = taken.get(order.pk, set())
        for pk, sex, district, score, *values in rows.iterator(chunk_size=2000):
            if pk in skip:
                continue
            key = (pk, order.pk)
            scores[key] = round(float(score), mi.SCORE_DIGITS)
            parts[key] = tuple(round(float(v or 0.0), mi.SCORE_DIGITS) for v in values)
            if pk not in groups:
                groups[pk] = {"sex": sex} | ({"kecamatan": district} if district else {})
            if parts[key][mi.PARTS.index("preference")] >= mi.FULL_PREFERENCE:
                wants.setdefault(pk, set()).add(order.pk)
    applied = mi._applied_kinds(set(groups))
    kind_of = {o.pk: (o.employer_country, o.job_type_id) for o in orders}
    orders_of: dict[int, list[int]] = {}
    for pk, order_id in scores:
        orders_of.setdefault(pk, []).append(order_id)
    people = tuple(
        mi.Person(
            id=pk,
            preferences=mi.preferences_from_applications(
                applied.get(pk, []), {o: (kind_of[o], scores[(pk, o)]) for o in orders_of[pk]}
            ),
            wants=frozenset(wants.get(pk, ())),
            group=groups[pk],
        )
        for pk in sorted(groups)
    )
    return mi.Inputs(
        problem=mi.Problem(orders=tuple(engine_orders), people=people, scores=scores),
        orders=facts,
        parts=parts,
        scored_on=on,
        scored_at=now,
    )


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(profile: bool) -> None:
    from django.utils import timezone

    from jalur.candidates.models import Candidate
    from jalur.placement.matching.inputs import build_inputs
    from jalur.placement.matching.services import solve_all
    from jalur.placement.models import Application, JobOrder

    on = timezone.localdate()
    ids = list(
        JobOrder.objects.filter(reference__startswith=PREFIX)
        .order_by("reference")
        .values_list("pk", flat=True)
    )
    print(
        f"candidates {Candidate.objects.count():,}; orders {len(ids)}; "
        f"applications {Application.objects.count():,}",
        flush=True,
    )
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        build_inputs(ids, on=on)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return

    times = {"per_order": [], "build_inputs": []}
    for _run in range(0 if "--no-ab" in sys.argv else RUNS):
        for name, fn in (("per_order", per_order), ("build_inputs", build_inputs)):
            started = time.perf_counter()
            result = fn(ids, on=on)
            times[name].append(time.perf_counter() - started)
            if name == "per_order":
                before = result.to_bytes()[1]
            elif result.to_bytes()[1] != before:
                raise SystemExit("build_inputs and the per-order ranking disagree")
    if times["per_order"]:
        pairs = len(result.problem.scores)
        print(f"\nA/B on {len(ids)} orders ({pairs:,} pairs), identical inputs (sha256 equal):")
        print("| reader | median | min–max |\n|---|---|---|")
        for name, values in times.items():
            print(
                f"| {name} | {statistics.median(values):.2f} s "
                f"| {min(values):.2f}–{max(values):.2f} s |"
            )

    steps = {"build_inputs": [], "greedy + stable + optimal": [], "whole run": []}
    for _run in range(RUNS):
        started = time.perf_counter()
        inputs = build_inputs(ids, on=on)
        read = time.perf_counter() - started
        results = solve_all(inputs, {})
        total = time.perf_counter() - started
        steps["build_inputs"].append(read)
        steps["greedy + stable + optimal"].append(total - read)
        steps["whole run"].append(total)
        del results
    problem = inputs.problem
    print(
        f"\nfull run: {len(problem.orders)} orders, {len(problem.people):,} people, "
        f"{len(problem.scores):,} eligible pairs, "
        f"{sum(o.capacity for o in problem.orders):,} places"
    )
    print("| step | median | min–max |\n|---|---|---|")
    for name, values in steps.items():
        print(
            f"| {name} | {statistics.median(values):.1f} s "
            f"| {min(values):.1f}–{max(values):.1f} s |"
        )
    del inputs, problem
    print(f"peak RSS of the process: {_rss_mib():,.0f} MiB")
    tracemalloc.start()
    inputs = build_inputs(ids, on=on)
    _current, peak_read = tracemalloc.get_traced_memory()
    solve_all(inputs, {})
    _current, peak_all = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"Python heap peak (tracemalloc): build_inputs {peak_read / 2**20:,.0f} MiB, "
        f"whole run {peak_all / 2**20:,.0f} MiB"
    )


def main() -> None:
    bench_selection.ensure_database("--rebuild" in sys.argv)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bench_selection.build()
    extend()
    measure("--profile" in sys.argv)


if __name__ == "__main__":
    main()

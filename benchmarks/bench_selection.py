"""Benchmark: the eligible-and-ranked list of one job order over 100,000 candidates.

Builds (once) a PostgreSQL database with 100,000 candidates in every stage, their pathway
assignments, official test results, training attendance and stage history, then times:

- ranked page: what the ranking page and the recommendation service run: the count of eligible
  people and the best 50 with every score part, in SQL (placement.selection.ranked);
- baseline: one hand-written raw SQL query applying the same hard filters and returning the ids of
  everyone eligible, unranked.

Each is run 7 times after a warm-up; the median is reported, with the ratio ranked/baseline.
The best 50 are then checked against the pathways engine (every one must be eligible).

    .venv/bin/python benchmarks/bench_selection.py            # build if needed, then measure
    .venv/bin/python benchmarks/bench_selection.py --rebuild  # drop and build the data again

BENCH_DATABASE_URL overrides the database (default postgres://postgres@127.0.0.1:5432/jalur_bench_selection).
"""

import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jalur_bench_selection"
)
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalur.settings")

CANDIDATES = 100_000
RUNS = 7
SEED = 2026


def ensure_database(rebuild: bool) -> None:
    import psycopg

    parts = urlparse(URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def build() -> None:
    """100,000 candidates; about a third trained for Japan SSW with results and attendance."""
    from django.db import transaction
    from django.utils import timezone

    from jalur.candidates.models import Candidate, StageHistory
    from jalur.candidates.stages import Stage
    from jalur.pathways.models import JobType, Pathway, PathwayAssignment
    from jalur.regions.selectors import home_villages
    from jalur.training.models import (
        Assessment,
        Attendance,
        Cohort,
        Enrolment,
        Programme,
        Provider,
        Session,
    )

    if Candidate.objects.count() >= CANDIDATES:
        return
    rng = random.Random(SEED)
    villages = list(home_villages())
    today = timezone.localdate()
    now = timezone.now()
    ssw = Pathway.objects.get(code="jp-ssw-p2p")
    others = list(Pathway.objects.exclude(pk=ssw.pk).filter(state="open"))
    industrial = JobType.objects.get(code="industrial")
    caregiver = JobType.objects.get(code="caregiver")
    stages = [
        (Stage.REGISTERED, 0.15),
        (Stage.VERIFIED, 0.15),
        (Stage.TRAINING, 0.15),
        (Stage.TRAINED, 0.35),
        (Stage.SELECTION, 0.10),
        (Stage.PRE_DEPARTURE, 0.05),
        (Stage.DEPARTED, 0.05),
    ]
    print("building 100,000 candidates…", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        from jalur.accounts.models import Organisation

        org = Organisation.objects.create(
            kind="training_provider", name="BLK Bench", code="blk-bench"
        )
        provider = Provider.objects.create(
            organisation=org,
            kind="blk",
            licence_number="BENCH/1",
            licence_valid_until=today + datetime.timedelta(days=900),
            address="Serang",
            contact_name="Bench",
            contact_phone="+6281200000000",
        )
        programme = Programme.objects.create(
            code="bench-jp", name="Bahasa Jepang (bench)", kind="language", hours=200
        )
        cohorts, sessions = [], []
        for c in range(40):
            start = today - datetime.timedelta(days=200 - c * 3)
            cohort = Cohort.objects.create(
                programme=programme,
                provider=provider,
                name=f"Bench {c}",
                start_date=start,
                end_date=start + datetime.timedelta(days=40),
                venue="Serang",
                instructor="Sensei",
                capacity=2000,
            )
            cohorts.append(cohort)
            sessions.append(
                Session.objects.bulk_create(
                    Session(
                        cohort=cohort,
                        date=start + datetime.timedelta(days=d * 2),
                        start_time=datetime.time(8),
                        end_time=datetime.time(12),
                    )
                    for d in range(20)
                )
            )
        batch = 5000
        for offset in range(0, CANDIDATES, batch):
            people = []
            for i in range(offset, offset + batch):
                stage = rng.choices([s for s, _w in stages], [w for _s, w in stages])[0]
                village = rng.choice(villages)
                people.append(
                    Candidate(
                        nik=f"3673{i:012d}",
                        full_name=f"Pencari Kerja {i}",
                        birth_date=datetime.date(
                            rng.randint(1984, 2006), rng.randint(1, 12), rng.randint(1, 28)
                        ),
                        sex=rng.choice("LP"),
                        district_id=village.district_id,
                        village=village,
                        education_level=rng.choice(["SD", "SMP", "SMA", "SMK", "SMK", "D3", "S1"]),
                        height_cm=None if rng.random() < 0.05 else rng.randint(145, 185),
                        experience_years=rng.randint(0, 5),
                        preferred_countries=rng.choice([["JP"], ["KR"], ["JP", "KR"], []]),
                        stage=stage,
                        stage_changed_at=now - datetime.timedelta(days=rng.randint(1, 400)),
                    )
                )
            people = Candidate.objects.bulk_create(people)
            assignments, results, enrolments, history = [], [], [], []
            for person in people:
                if person.stage not in (Stage.TRAINED, Stage.SELECTION, Stage.TRAINING):
                    continue
                on_ssw = rng.random() < 0.6
                assignments.append(
                    PathwayAssignment(
                        candidate=person,
                        pathway=ssw if on_ssw else rng.choice(others),
                        job_type=rng.choice([industrial, industrial, caregiver, None])
                        if on_ssw
                        else None,
                    )
                )
                if person.stage in (Stage.TRAINED, Stage.SELECTION):
                    history.append(
                        StageHistory(
                            candidate=person,
                            from_stage=Stage.TRAINING,
                            to_stage=Stage.TRAINED,
                            created_at=now - datetime.timedelta(days=rng.randint(1, 300)),
                        )
                    )
                    enrolments.append(
                        Enrolment(candidate=person, cohort=rng.choice(cohorts), status="completed")
                    )
                    # Most trained people hold the results an SSW order asks for, so the ranking
                    # has many thousands to score, not a handful.
                    taken = today - datetime.timedelta(days=rng.randint(5, 300))
                    if rng.random() < 0.75:
                        score = rng.randint(195, 250)
                        results.append(
                            Assessment(
                                candidate=person,
                                test="jft_basic",
                                kind="official",
                                taken_on=taken,
                                score=score,
                                band="A2" if score >= 200 else "A2.1",
                                passed=score >= 200,
                            )
                        )
                    if rng.random() < 0.7:
                        results.append(
                            Assessment(
                                candidate=person,
                                test="skill",
                                kind="official",
                                taken_on=taken,
                                score=rng.randint(60, 100),
                                passed=True,
                                title="SSW skill",
                                issuer="Prometric",
                                job_type=industrial,
                            )
                        )
                    for _ in range(rng.randint(0, 2)):
                        test = rng.choice(["jft_basic", "jft_basic", "jlpt", "skill"])
                        taken = today - datetime.timedelta(days=rng.randint(5, 500))
                        valid = None if rng.random() < 0.7 else taken + datetime.timedelta(days=730)
                        if test == "jft_basic":
                            score = rng.randint(150, 250)
                            extra = {
                                "score": score,
                                "band": "A2" if score >= 200 else "A1",
                                "passed": score >= 200,
                            }
                        elif test == "jlpt":
                            extra = {
                                "score": rng.randint(60, 170),
                                "jlpt_level": rng.choice(["N5", "N4", "N3"]),
                                "passed": rng.random() < 0.7,
                            }
                        else:
                            extra = {
                                "score": rng.randint(50, 100),
                                "passed": rng.random() < 0.8,
                                "title": "SSW skill",
                                "issuer": "Prometric",
                                "job_type": rng.choice([industrial, industrial, caregiver]),
                            }
                        results.append(
                            Assessment(
                                candidate=person,
                                test=test,
                                kind="official",
                                taken_on=taken,
                                valid_until=valid,
                                **extra,
                            )
                        )
            PathwayAssignment.objects.bulk_create(assignments)
            StageHistory.objects.bulk_create(history)
            Assessment.objects.bulk_create(results)
            enrolments = Enrolment.objects.bulk_create(enrolments)
            marks = []
            for enrolment in enrolments:
                for session in sessions[cohorts.index(enrolment.cohort)]:
                    marks.append(
                        Attendance(
                            session=session,
                            enrolment=enrolment,
                            status="present" if rng.random() < 0.88 else "absent",
                        )
                    )
            Attendance.objects.bulk_create(marks, batch_size=10000)
            print(f"  {offset + batch:>7,} candidates", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


BASELINE_SQL = """
SELECT c.id FROM candidates_candidate c
WHERE c.stage IN ('trained', 'selection')
  AND c.birth_date <= %(oldest_ok)s
  AND c.height_cm >= %(height)s
  AND EXISTS (SELECT 1 FROM pathways_pathwayassignment a
              WHERE a.candidate_id = c.id AND a.is_active AND a.pathway_id = %(pathway)s
                AND (a.job_type_id IS NULL OR a.job_type_id = %(job)s))
  AND EXISTS (SELECT 1 FROM training_assessment r
              WHERE r.candidate_id = c.id AND r.kind = 'official'
                AND (r.valid_until IS NULL OR r.valid_until >= %(on)s)
                AND ((r.test = 'jft_basic' AND r.score >= 200)
                  OR (r.test = 'jlpt' AND r.passed AND r.jlpt_level IN ('N4', 'N3', 'N2', 'N1'))))
  AND EXISTS (SELECT 1 FROM training_assessment s
              WHERE s.candidate_id = c.id AND s.kind = 'official' AND s.test = 'skill' AND s.passed
                AND (s.valid_until IS NULL OR s.valid_until >= %(on)s) AND s.job_type_id = %(job)s)
"""


def measure() -> None:
    from django.db import connection
    from django.utils import timezone

    from jalur.pathways.models import JobType, Pathway
    from jalur.placement.eligibility import eligible_candidates, order_eligibility, years_before
    from jalur.placement.models import JobOrder
    from jalur.placement.selection import ranked

    ssw = Pathway.objects.get(code="jp-ssw-p2p")
    industrial = JobType.objects.get(code="industrial")
    order = JobOrder(
        pathway=ssw,
        job_type=industrial,
        employer_country="JP",
        positions=20,
        min_height_cm=155,
        wage_amount=Decimal(1),
    )
    on, now = timezone.localdate(), timezone.now()
    params = {
        "oldest_ok": years_before(on, 18),
        "height": 155,
        "pathway": ssw.pk,
        "job": industrial.pk,
        "on": on,
    }

    def ranked_page():
        rows = ranked(order, on=on, now=now)
        return rows.count(), list(rows[:50])

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, params)
            return cursor.fetchall()

    def timed(fn):
        fn()
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return statistics.median(times), min(times), max(times)

    total = eligible_candidates(order, on).count()
    assert total == len(baseline()), "the ORM filter and the raw SQL disagree"
    ranked_median, ranked_min, ranked_max = timed(ranked_page)
    base_median, base_min, base_max = timed(baseline)
    _count, top = ranked_page()
    from jalur.pathways.results import results_for

    results = results_for([c.pk for c in top])
    bad = [
        c.pk
        for c in top
        if not order_eligibility(candidate=c, order=order, on=on, results=results[c.pk]).eligible
    ]
    from jalur.candidates.models import Candidate

    print(f"candidates: {Candidate.objects.count():,}; eligible for the order: {total:,}")
    print(
        f"ranked page (count + best 50, every score part): median {ranked_median * 1000:.0f} ms "
        f"(min {ranked_min * 1000:.0f}, max {ranked_max * 1000:.0f})"
    )
    print(
        f"baseline raw SQL, same hard filters, all eligible ids: median {base_median * 1000:.0f} ms "
        f"(min {base_min * 1000:.0f}, max {base_max * 1000:.0f})"
    )
    print(f"ratio ranked/baseline: {ranked_median / base_median:.2f}")
    print(
        f"best 50 checked with the pathways engine: {len(top) - len(bad)} eligible, {len(bad)} not"
    )
    print(f"top score {top[0].score:.1f}, 50th {top[-1].score:.1f}")


def main() -> None:
    rebuild = "--rebuild" in sys.argv
    ensure_database(rebuild)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build()
    measure()


if __name__ == "__main__":
    main()

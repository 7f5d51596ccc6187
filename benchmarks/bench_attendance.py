"""Benchmark: the attendance register of a 40-person session on a phone (fixed number of queries).

    .venv/bin/python benchmarks/bench_attendance.py [--trainees 40] [--runs 30]

Builds a throw-away database (SQLite file in a temp directory; with DATABASE_URL=postgres://… a
scratch `test_…` database that is dropped afterwards), a cohort with N trainees and ten sessions of
which nine already have their register, then requests through the real stack (Django test client,
middleware, templates) as the provider's trainer:

1. GET the register page of today's session (queries and time);
2. one HTMX tap marking one trainee absent (the first tap also writes everyone present);
3. saving the whole register without JavaScript.

It repeats the page with 5 trainees to show the query count does not grow with the cohort.
"""

import argparse
import datetime
import statistics
import sys
import time

from scratch import build_database, drop_database  # sets Django up: import it first

# isort: split

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone


def cohort_with(trainees: int, code: str):
    from jalur.accounts.models import Organisation, User
    from jalur.accounts.roles import OrganisationKind, Role
    from jalur.candidates.models import Candidate
    from jalur.candidates.stages import Stage
    from jalur.pathways.models import Pathway
    from jalur.rules.identity import nik_build
    from jalur.training.models import Programme, Provider
    from jalur.training.services import (
        attendance_register_save,
        cohort_create,
        enrolment_create,
        sessions_schedule,
    )

    org = Organisation.objects.create(
        kind=OrganisationKind.TRAINING_PROVIDER, name=f"LPK {code}", code=code
    )
    trainer = User.objects.create(
        username=f"trainer-{code}", role=Role.TRAINING_STAFF, organisation=org
    )
    provider = Provider.objects.create(
        organisation=org,
        kind="lpk",
        licence_number=code,
        licence_valid_until=datetime.date(2035, 1, 1),
        address="Serang",
        contact_name="Bench",
        contact_phone="+6281200000000",
    )
    programme = Programme.objects.create(
        code=f"bench-{code}", name="Bahasa Korea EPS-TOPIK", kind="language", hours=300
    )
    programme.pathways.set([Pathway.objects.get(code="kr-eps-g2g")])
    today = timezone.localdate()
    start = today - datetime.timedelta(days=13)
    cohort = cohort_create(
        actor=trainer,
        programme=programme,
        provider=provider,
        data={
            "name": "Angkatan bench",
            "start_date": start,
            "end_date": today + datetime.timedelta(days=30),
            "venue": "Kelas",
            "instructor": "Park",
            "capacity": trainees,
        },
    )
    sessions_schedule(
        actor=trainer,
        cohort=cohort,
        first_date=start,
        last_date=today,
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        start_time=datetime.time(13),
        end_time=datetime.time(16),
    )
    birth = datetime.date(2000, 1, 2)
    offset = Candidate.objects.count()
    people = Candidate.objects.bulk_create(
        Candidate(
            nik=nik_build(
                district_code="36.73.02", birth_date=birth, female=False, serial=offset + i + 1
            ),
            full_name=f"Peserta {code} {i + 1:02d}",
            birth_date=birth,
            sex="L",
            stage=Stage.VERIFIED,
        )
        for i in range(trainees)
    )
    first_day = timezone.make_aware(datetime.datetime.combine(start, datetime.time(7)))
    enrolments = [
        enrolment_create(cohort=cohort, candidate=p, actor=trainer, at=first_day) for p in people
    ]
    sessions = list(cohort.sessions.order_by("date"))
    for number, session in enumerate(sessions[:-1]):
        at = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(16)))
        attendance_register_save(
            session=session,
            statuses={enrolments[number % trainees].pk: "absent"},
            actor=trainer,
            at=at,
        )
    return trainer, sessions[-1], enrolments


def measure(client, method, url, data=None, runs=1, **extra):
    timings, queries = [], None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = getattr(client, method)(url, data or {}, **extra)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), response.status_code
        queries = len(captured)
    return queries, statistics.median(timings), max(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    original = build_database()
    print(f"database: {connection.vendor}")
    rows = []
    for size, code in ((5, "small"), (args.trainees, "large")):
        trainer, session, enrolments = cohort_with(size, code)
        client = Client()
        client.force_login(trainer, backend="jalur.accounts.backends.PhoneOrEmailBackend")
        page = reverse("training:register", args=[session.pk])
        client.get(page)  # warm templates and URL resolvers
        rows.append(
            (f"GET register page, {size} trainees", *measure(client, "get", page, runs=args.runs))
        )
        tap = reverse("training:register_mark", args=[session.pk, enrolments[0].pk])
        rows.append(
            (
                f"first tap (writes {size} rows), {size} trainees",
                *measure(
                    client, "post", tap, {f"s-{enrolments[0].pk}": "absent"}, HTTP_HX_REQUEST="true"
                ),
            )
        )
        taps = [
            measure(
                client,
                "post",
                reverse("training:register_mark", args=[session.pk, e.pk]),
                {f"s-{e.pk}": "late"},
                HTTP_HX_REQUEST="true",
            )
            for e in enrolments[1 : 1 + min(size - 1, 10)]
        ]
        rows.append(
            (
                f"later tap, {size} trainees",
                taps[0][0],
                statistics.median(t[1] for t in taps),
                max(t[2] for t in taps),
            )
        )
        statuses = {f"s-{e.pk}": "present" for e in enrolments}
        rows.append(
            (
                f"save whole register (no JS), {size} trainees",
                *measure(client, "post", page, statuses),
            )
        )
    print(f"{'step':<46} {'queries':>7} {'median ms':>10} {'max ms':>8}")
    for label, queries, median, worst in rows:
        print(f"{label:<46} {queries:>7} {median:>10.1f} {worst:>8.1f}")
    drop_database(original)
    small, large = rows[0][1], rows[4][1]
    print("query count independent of cohort size:", "yes" if small == large else "NO")
    return 0 if small == large else 1


if __name__ == "__main__":
    sys.exit(main())

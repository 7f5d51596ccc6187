"""Benchmark: completion and certificates for a 1,000-person training programme (target: under 60 s).

    .venv/bin/python benchmarks/bench_certificates.py [--people 1000] [--cohort-size 40]

Builds a throw-away database (SQLite file in a temp directory; with DATABASE_URL=postgres://… a
scratch `test_…` database that is dropped afterwards), fills one programme with N verified people in
cohorts of 40 that ended yesterday (sessions, registers and a mock JFT-Basic result each, all through
the services), then times:

1. closing every cohort: the completion check, the stage move to TRAINED (history + audit) and the
   certificate row for each person;
2. one PDF with all N certificates;
3. a zip with one PDF per certificate;
4. a cohort's bundle (one PDF of 40), as the page serves it.
"""

import argparse
import datetime
import sys
import time

from scratch import build_database, drop_database  # sets Django up: import it first

# isort: split

from django.db import connection
from django.utils import timezone


def populate(people: int, cohort_size: int):
    from jalur.accounts.models import Organisation, User
    from jalur.accounts.roles import OrganisationKind, Role
    from jalur.candidates.models import Candidate
    from jalur.candidates.stages import Stage
    from jalur.pathways.models import Pathway
    from jalur.rules.identity import nik_build
    from jalur.training.models import Enrolment, Programme, Provider
    from jalur.training.services import (
        assessment_record,
        attendance_register_save,
        cohort_create,
        enrolment_create,
        sessions_schedule,
    )

    org = Organisation.objects.create(
        kind=OrganisationKind.TRAINING_PROVIDER, name="BLK Bench", code="blk-bench"
    )
    staff = User.objects.create(username="bench", role=Role.TRAINING_STAFF, organisation=org)
    provider = Provider.objects.create(
        organisation=org,
        kind="blk",
        licence_number="BLK/1",
        licence_valid_until=datetime.date(2035, 1, 1),
        address="Serang",
        contact_name="Bench",
        contact_phone="+6281200000000",
    )
    programme = Programme.objects.create(
        code="bench",
        name="Bahasa Jepang JFT-Basic A2 / JLPT N4",
        kind="language",
        hours=40,  # the ten 4-hour sessions below hold it, so the hours rule lets people pass
        quota=people,
        required_assessments=[
            {"test": "jft_basic", "min_score": None, "min_level": "", "official": False}
        ],
    )
    programme.pathways.set([Pathway.objects.get(code="jp-ssw-p2p")])
    birth = datetime.date(1999, 3, 14)
    Candidate.objects.bulk_create(
        [
            Candidate(
                nik=nik_build(
                    district_code="36.73.01", birth_date=birth, female=i % 2 == 1, serial=i + 1
                ),
                full_name=f"Peserta Uji {i + 1:04d}",
                birth_date=birth,
                sex="P" if i % 2 else "L",
                education_level="SMA",
                stage=Stage.VERIFIED,
            )
            for i in range(people)
        ],
        batch_size=500,
    )
    candidates = list(Candidate.objects.order_by("pk"))
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=14), today - datetime.timedelta(days=1)
    first_day = timezone.make_aware(datetime.datetime.combine(start, datetime.time(7)))
    cohorts = []
    for n in range(0, people, cohort_size):
        cohort = cohort_create(
            actor=staff,
            programme=programme,
            provider=provider,
            data={
                "name": f"Angkatan {n // cohort_size + 1}",
                "start_date": start,
                "end_date": end,
                "venue": "Aula",
                "instructor": "Sensei",
                "capacity": cohort_size,
            },
        )
        sessions_schedule(
            actor=staff,
            cohort=cohort,
            first_date=start,
            last_date=end,
            weekdays=[0, 1, 2, 3, 4],
            start_time=datetime.time(8),
            end_time=datetime.time(12),
        )
        for candidate in candidates[n : n + cohort_size]:
            enrolment_create(cohort=cohort, candidate=candidate, actor=staff, at=first_day)
        trainees = list(cohort.enrolments.values_list("pk", flat=True))
        for number, session in enumerate(cohort.sessions.order_by("date")):
            at = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(12)))
            absent = {trainees[number % len(trainees)]: "absent"}  # one person a session
            attendance_register_save(session=session, statuses=absent, actor=staff, at=at)
        for i, enrolment in enumerate(
            Enrolment.objects.filter(cohort=cohort).select_related("candidate")
        ):
            assessment_record(
                candidate=enrolment.candidate,
                enrolment=enrolment,
                actor=staff,
                data={
                    "test": "jft_basic",
                    "kind": "mock",
                    "taken_on": end,
                    "score": 200 + (i * 7) % 50,
                },
            )
        cohorts.append(cohort)
    return staff, cohorts


def timed(label, fn):
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    print(f"{label:<58} {elapsed:8.2f} s")
    return result, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--cohort-size", type=int, default=40)
    args = parser.parse_args()
    original = build_database()
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    (staff, cohorts), setup = timed(
        f"set-up: {args.people} people enrolled, registers, mock results",
        lambda: populate(args.people, args.cohort_size),
    )

    from jalur.training.certificates import certificates_pdf, certificates_zip
    from jalur.training.models import Certificate
    from jalur.training.services import cohort_close

    def close_all():
        summary = {"completed": 0, "failed": 0}
        for cohort in cohorts:
            result = cohort_close(cohort=cohort, actor=staff)
            summary["completed"] += result["completed"]
            summary["failed"] += result["failed"]
        return summary

    summary, t_close = timed(
        f"close {len(cohorts)} cohorts (completion, stage, certificate rows)", close_all
    )
    print(f"  {summary['completed']} completed, {summary['failed']} failed")
    from jalur.training.models import Enrolment

    for reason in Enrolment.objects.filter(status="failed").values_list("end_reason", flat=True)[
        :3
    ]:
        print(f"  failed because: {reason}")
    certificates = list(Certificate.objects.order_by("pk"))
    pdf, t_pdf = timed(
        f"one PDF with {len(certificates)} certificates", lambda: certificates_pdf(certificates)
    )
    archive, t_zip = timed(
        f"zip of {len(certificates)} PDFs", lambda: certificates_zip(certificates)
    )
    first = list(Certificate.objects.filter(enrolment__cohort=cohorts[0]).order_by("pk"))
    _bundle, t_cohort = timed(
        f"one cohort's bundle ({len(first)} certificates)", lambda: certificates_pdf(first)
    )
    print(f"PDF size {len(pdf) / 1024:.0f} KiB, zip size {len(archive) / 1024:.0f} KiB")
    total = t_close + t_pdf
    print(f"{'TOTAL issue + one PDF for the whole programme':<58} {total:8.2f} s (target < 60 s)")
    print(
        f"{'TOTAL issue + zip for the whole programme':<58} {t_close + t_zip:8.2f} s (target < 60 s)"
    )
    drop_database(original)
    return 0 if max(total, t_close + t_zip) < 60 else 1


if __name__ == "__main__":
    sys.exit(main())

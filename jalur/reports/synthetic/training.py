"""Training: providers and programmes, cohorts with their sessions, enrolments, attendance marks
and official language results for every stay in the training stage."""

import datetime

import numpy as np

from jalur.accounts.roles import OrganisationKind
from jalur.pathways.models import Pathway

from .. import bulk
from . import columns
from .columns import Choice, Day, Flag, Int, Moment, micros
from .journey import CODE, DAY_S, S

EPOCH = datetime.date(1970, 1, 1)
PROGRAMMES = (
    ("JP", "sintetis-jepang", "Bahasa Jepang JFT-Basic (sintetis)", "jft_basic"),
    ("KR", "sintetis-korea", "Bahasa Korea EPS-TOPIK (sintetis)", "eps_topik"),
)
DILIGENCE = np.array([0.97, 0.93, 0.9, 0.85, 0.7])


def prepare(g, n: int) -> None:
    from jalur.training.models import Programme, ProgrammeKind, Provider, ProviderKind

    g.providers = g.members(
        Provider,
        OrganisationKind.TRAINING_PROVIDER,
        max(2, n // 12_000),
        ("sintetis-lpk", "LPK Sintetis"),
        lambda i: {
            "kind": ProviderKind.LPK if i % 3 else ProviderKind.BLK,
            "licence_number": f"SINTETIS/{i + 1:04d}",
            "licence_valid_until": g.today + datetime.timedelta(days=200 + 40 * i),
            "address": "Kota Serang",
            "contact_name": "Kontak Sintetis",
            "contact_phone": "+6281200000000",
        },
    )
    g.programmes = {}
    for country, code, name, test in PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": ProgrammeKind.LANGUAGE,
                "hours": 240,
                "required_assessments": [
                    {"test": test, "min_score": None, "min_level": "", "official": True}
                ],
                "quota": 10_000_000,
            },
        )
        if created:
            programme.pathways.set(Pathway.objects.filter(country=country))
        g.programmes[country] = programme


def tables() -> list:
    from jalur.training.models import Assessment, Attendance, Enrolment, SelectionFacts

    return [Enrolment, Attendance, Assessment, SelectionFacts]


def _cohorts_ensure(g, keys: list[tuple]) -> None:
    """Create the cohorts (and their sessions so far) that this batch needs, in bulk; keys are
    (country, provider index, first day of the week as days since 1970)."""
    from jalur.training.models import Cohort, Session

    missing = sorted(k for k in keys if k not in g.cohorts)
    if not missing:
        return
    week = {k: EPOCH + datetime.timedelta(days=int(k[2])) for k in missing}
    names = {k: f"{g.providers[k[1]].organisation.code} {week[k]:%Y-%m-%d}" for k in missing}
    programme_ids = {c: p.pk for c, p in g.programmes.items()}
    existing = {
        (programme_id, name): pk
        for pk, programme_id, name in Cohort.objects.filter(
            programme_id__in=programme_ids.values(), name__in=set(names.values())
        ).values_list("pk", "programme_id", "name")
    }
    sessions_of: dict[int, list] = {}
    for pk, cohort_id, date in (
        Session.objects.filter(cohort_id__in=existing.values())
        .order_by("date")
        .values_list("pk", "cohort_id", "date")
    ):
        sessions_of.setdefault(cohort_id, []).append((pk, (date - EPOCH).days))
    new = []
    for key in missing:
        pk = existing.get((programme_ids[key[0]], names[key]))
        if pk is None:
            new.append(key)
        else:
            g.cohorts[key] = (pk, sessions_of.get(pk, []))
    step = max(84 // max(g.sessions, 1), 1)
    plans = []
    first = bulk.reserve_block(Cohort, len(new))
    for cohort_id, key in enumerate(new, start=first):
        days = [int(key[2]) + i * step for i in range(g.sessions)]
        plans.append((cohort_id, key, [d for d in days if d <= g.today_d]))
    week_d = np.array([k[2] for k in new], dtype=np.int64)
    closed = week_d + 84 < g.today_d - 7
    columns.write(
        Cohort,
        {"venue": "Kota Serang", "instructor": "Instruktur Sintetis", "capacity": 30},
        id=Int(np.arange(first, first + len(new))),
        programme_id=Int(np.array([programme_ids[k[0]] for k in new])),
        provider_id=Int(np.array([g.providers[k[1]].pk for k in new])),
        name=Choice(np.arange(len(new)), [names[k] for k in new]),
        start_date=Day(week_d),
        end_date=Day(week_d + 84),
        closed_at=Moment(np.where(closed, int(g.now_s * 1e6), np.iinfo(np.int64).max)),
        created_at=Moment(np.full(len(new), int(g.now_s * 1e6))),
    )
    total = sum(len(days) for _c, _k, days in plans)
    session_id = bulk.reserve_block(Session, total)
    cohort_of, day_of = [], []
    for cohort_id, key, days in plans:
        g.cohorts[key] = (cohort_id, [(session_id + i, d) for i, d in enumerate(days)])
        session_id += len(days)
        cohort_of += [cohort_id] * len(days)
        day_of += days
    ids = [pk for _c, key, _d in plans for pk, _day in g.cohorts[key][1]]
    columns.write(
        Session,
        {
            "start_time": datetime.time(8, 0),
            "end_time": datetime.time(12, 0),
            "register_saved_at": g.now,
        },
        id=Int(np.array(ids, dtype=np.int64)),
        cohort_id=Int(np.array(cohort_of, dtype=np.int64)),
        date=Day(np.array(day_of, dtype=np.int64)),
    )


def write(g, p: dict) -> dict[str, int]:
    from jalur.training.models import (
        Assessment,
        Attendance,
        AttendanceStatus,
        Enrolment,
        EnrolmentStatus,
        ResultKind,
    )
    from jalur.training.scales import JFT_MAX, JFT_MIN, jft_band

    rng, w = g.rng, p["walk"]
    countries = ["", "JP", "KR"]
    taught = np.array([c in g.programmes for c in countries])[p["country"]]
    person, move = np.nonzero((w.stages == CODE[S.TRAINING]) & taught[:, None])
    if len(person) == 0:
        return {"enrolments": 0, "attendance": 0, "assessments": 0}
    started = w.times[person, move]
    has_next = move + 1 < w.count[person]
    next_move = np.minimum(move + 1, w.stages.shape[1] - 1)
    outcome = np.where(has_next, w.stages[person, next_move], -1)
    ended = np.where(has_next, w.times[person, next_move], np.nan)
    country = p["country"][person]
    provider = rng.integers(0, len(g.providers), len(person))
    day = g.local_day(started)
    week = day - (day + 3) % 7  # 1970-01-01 was a Thursday
    keys = np.stack([country, provider, week], axis=1)
    unique, where = np.unique(keys, axis=0, return_inverse=True)
    key_list = [(countries[c], int(pr), int(wk)) for c, pr, wk in unique]
    _cohorts_ensure(g, key_list)
    width = max(len(g.cohorts[k][1]) for k in key_list) or 1
    cohort_ids = np.array([g.cohorts[k][0] for k in key_list])
    session_ids = np.full((len(key_list), width), -1, dtype=np.int64)
    session_days = np.full((len(key_list), width), np.iinfo(np.int64).max, dtype=np.int64)
    for row, key in enumerate(key_list):
        for col, (pk, d) in enumerate(g.cohorts[key][1]):
            session_ids[row, col], session_days[row, col] = pk, d
    where = where.reshape(-1)
    statuses = [
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.COMPLETED,
        EnrolmentStatus.FAILED,
        EnrolmentStatus.WITHDRAWN,
    ]
    status = np.select(
        [outcome == CODE[S.TRAINED], outcome == CODE[S.VERIFIED], outcome == CODE[S.WITHDRAWN]],
        [1, 2, 3],
        0,
    )
    enrolment_ids = bulk.reserve_block(Enrolment, len(person)) + np.arange(len(person))
    enrolled = micros(started - 3 * DAY_S)
    counts = {
        "enrolments": columns.write(
            Enrolment,
            id=Int(enrolment_ids),
            cohort_id=Int(cohort_ids[where]),
            candidate_id=Int(p["ids"][person]),
            status=Choice(status, statuses),
            created_at=Moment(enrolled),
            enrolled_at=Moment(enrolled),
            ended_at=Moment(micros(ended)),
        )
    }
    last_day = np.where(has_next, g.local_day(np.nan_to_num(ended)), np.iinfo(np.int64).max)
    sessions = session_ids[where]
    attended = (sessions >= 0) & (session_days[where] <= last_day[:, None])
    diligence = DILIGENCE[rng.integers(0, len(DILIGENCE), len(person))]
    e, s = np.nonzero(attended)
    roll = rng.random(len(e))
    d = diligence[e]
    mark = np.select([roll < d, roll < d + 0.03, roll < d + 0.06], [0, 1, 2], 3)
    marks = [
        AttendanceStatus.PRESENT,
        AttendanceStatus.LATE,
        AttendanceStatus.EXCUSED,
        AttendanceStatus.ABSENT,
    ]
    counts["attendance"] = columns.write(
        Attendance,
        {"marked_at": g.now},
        session_id=Int(sessions[e, s]),
        enrolment_id=Int(enrolment_ids[e]),
        status=Choice(mark, marks),
    )
    # official results of those who finished (passed) or failed
    tested = np.flatnonzero((status == 1) | (status == 2))
    passed = status[tested] == 1
    korea = country[tested] == countries.index("KR")
    m = len(tested)
    reading = np.where(passed, rng.integers(55, 96, m), rng.integers(20, 56, m))
    listening = np.where(passed, rng.integers(50, 96, m), rng.integers(15, 56, m))
    jft = np.where(passed, rng.integers(200, 251, m), rng.integers(120, 200, m))
    bands = sorted({jft_band(score) for score in range(0, 251)}) + [""]
    band = np.array([bands.index(jft_band(score)) for score in range(0, 251)])[jft]
    taken = ended[tested] - rng.uniform(2, 10, m) * DAY_S
    counts["assessments"] = columns.write(
        Assessment,
        {"kind": ResultKind.OFFICIAL},
        candidate_id=Int(p["ids"][person[tested]]),
        enrolment_id=Int(enrolment_ids[tested]),
        test=Choice(korea.astype(np.int64), ["jft_basic", "eps_topik"]),
        taken_on=Day(g.local_day(taken)),
        reading=Int(np.where(korea, reading, -1)),
        listening=Int(np.where(korea, listening, -1)),
        score=Int(np.where(korea, reading + listening, jft)),
        band=Choice(np.where(korea, len(bands) - 1, band), bands),
        passed=Flag(np.where(korea, passed, jft >= 200)),
        created_at=Moment(micros(ended[tested])),
    )
    counts["selection facts"] = _facts(
        p["ids"][person],
        marks=np.bincount(e, minlength=len(person)),
        attended=np.bincount(e, weights=mark <= 1, minlength=len(person)),  # present or late
        tested=tested,
        korea=korea,
        # each result on its group's scale, by the very operations SQL does (services.facts)
        part=np.where(
            korea,
            (reading + listening).astype(np.float64) / 2.0,
            (jft.astype(np.float64) - JFT_MIN) * 100.0 / (JFT_MAX - JFT_MIN),
        ),
    )
    return counts


def _facts(candidate_ids, *, marks, attended, tested, korea, part) -> int:
    """training.SelectionFacts of the batch's trainees (all their enrolments are in this batch):
    their marks and those attended, and the best of their official results (which never expire
    here) of each scale group; the floats go as the labels of a Choice, each sent once."""
    from jalur.training.models import SelectionFacts

    people, row = np.unique(candidate_ids, return_inverse=True)
    n = len(people)
    columns_of = {
        "marks": np.bincount(row, weights=marks, minlength=n).astype(np.int64),
        "attended": np.bincount(row, weights=attended, minlength=n).astype(np.int64),
    }
    has_any = columns_of["marks"] > 0
    bests = {}
    for group, mine in (("jp", ~korea), ("kr", korea)):
        best = np.full(n, -np.inf)
        np.maximum.at(best, row[tested][mine], part[mine])
        found = np.isfinite(best)
        labels = np.unique(best[found])
        codes = np.where(found, np.searchsorted(labels, best), -1)
        bests[f"language_{group}"] = Choice(codes, labels.tolist())
        has_any |= found
    keep = np.flatnonzero(has_any)
    return columns.write(
        SelectionFacts,
        candidate_id=Int(people[keep]),
        **{name: Int(values[keep]) for name, values in columns_of.items()},
        **{name: Choice(c.codes[keep], c.labels) for name, c in bests.items()},
    )

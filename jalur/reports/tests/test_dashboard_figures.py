"""The dashboard's figures equal figures worked out here, by hand, from the test's own people."""

import datetime
import math
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import Sex
from jalur.candidates.stages import Stage
from jalur.pathways.models import JobType
from jalur.reports.services.refresh import stats_rebuild

from .conftest import along, at, month_start, tally_tables

S = Stage
pytestmark = pytest.mark.django_db

# Each person: when the record was made, the gaps (days) between moves along the main path, or
# explicit moves, and the fields that the breakdowns read.
PEOPLE = [
    # registered 5 months ago, all the way to departure
    {
        "created": (5, 1),
        "gaps": [1, 3, 10, 40, 5, 20, 7, 2],
        "sex": Sex.FEMALE,
        "birth": datetime.date(2000, 1, 10),
        "district": "36.73.01",
        "countries": ["JP"],
        "jobs": ["caregiver"],
    },
    # 4 months ago, in training now
    {
        "created": (4, 3),
        "gaps": [2, 5, 12],
        "sex": Sex.MALE,
        "birth": datetime.date(1990, 6, 1),
        "district": "36.73.02",
        "countries": ["KR", "JP"],
        "jobs": ["welder", "industrial"],
    },
    # 3 months ago, verified, then withdrew
    {
        "created": (3, 0),
        "moves": [(S.REGISTERED, 1.5), (S.VERIFIED, 4), (S.WITHDRAWN, 6)],
        "sex": Sex.MALE,
        "birth": datetime.date(1983, 2, 2),
        "district": "36.73.02",
        "countries": [],
        "jobs": [],
    },
    # 2 months ago, sent back for correction once, verified on the second try
    {
        "created": (2, 0),
        "moves": [(S.REGISTERED, 1), (S.CORRECTION, 2), (S.REGISTERED, 0.5), (S.VERIFIED, 3)],
        "sex": Sex.FEMALE,
        "birth": datetime.date(1999, 9, 9),
        "district": "36.73.03",
        "countries": [],
        "jobs": [],
    },
    # last month, still filling in the form, no kecamatan yet
    {
        "created": (1, 2),
        "moves": [],
        "sex": Sex.FEMALE,
        "birth": datetime.date(2001, 4, 4),
        "district": None,
        "countries": [],
        "jobs": [],
    },
    # registered 14 months ago (before the default period), departed within it
    {
        "created": (14, 0),
        "gaps": [10, 30, 60, 60, 30, 60, 30, 30],
        "sex": Sex.MALE,
        "birth": datetime.date(1996, 12, 12),
        "district": "36.73.01",
        "countries": ["JP"],
        "jobs": ["industrial"],
    },
]


def _moves(person: dict, created: datetime.datetime) -> list[tuple[str, datetime.datetime]]:
    if "gaps" in person:
        return along(created, person["gaps"])
    moves, moment = [], created
    for stage, gap in person["moves"]:
        moment += datetime.timedelta(days=gap)
        moves.append((stage, moment))
    return moves


@pytest.fixture
def people(walk):
    result = []
    for i, person in enumerate(PEOPLE):
        months_back, day = person["created"]
        created = at(month_start(months_back) + datetime.timedelta(days=day), hour=8 + i)
        moves = _moves(person, created)
        candidate = walk(
            created,
            moves,
            sex=person["sex"],
            birth_date=person["birth"],
            district_id=person["district"],
            village_id=None,
            preferred_countries=person["countries"],
        )
        candidate.preferred_job_types.set(JobType.objects.filter(code__in=person["jobs"]))
        result.append({**person, "candidate": candidate, "created_at": created, "moves": moves})
    # Preferences were set after the record's first count: a stage move or the refresh recounts.
    stats_rebuild()
    return result


def _local_month(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


def _band(birth: datetime.date, day: datetime.date) -> str:
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    for low, high, label in [(18, 24, "18-24"), (25, 29, "25-29"), (30, 34, "30-34")]:
        if low <= age <= high:
            return label
    for low, high, label in [(35, 39, "35-39"), (40, 44, "40-44")]:
        if low <= age <= high:
            return label
    return "45+" if age >= 45 else "<18"


def _in_default_period(moment: datetime.datetime) -> bool:
    return month_start(11) <= _local_month(moment) <= month_start(0)


def _dashboard(client_for, leader, **params):
    response = client_for(leader).get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    return response.context


def test_the_funnel_counts_who_is_at_each_stage_and_who_ever_reached_it(people, client_for, leader):
    # given six people, five registered within the last twelve months
    in_period = [p for p in people if _in_default_period(p["created_at"])]
    now = Counter(p["candidate"].stage for p in in_period)
    reached = Counter()
    for p in in_period:
        reached.update({S.REGISTERING} | {stage for stage, _ in p["moves"]})
    first_in_period = Counter()
    for p in people:
        seen = set()
        for stage, moment in [(S.REGISTERING, p["created_at"]), *p["moves"]]:
            if stage not in seen and _in_default_period(moment):
                first_in_period[stage] += 1
            seen.add(stage)
    # when leadership opens the dashboard without filters (the last twelve months)
    funnel = _dashboard(client_for, leader)["funnel"]
    # then every stage's figures are the ones counted by hand
    rows = {r["stage"]: r for r in funnel["rows"]}
    for stage in S.values:
        assert rows[stage]["now"] == now[stage], stage
        assert rows[stage]["reached"] == reached[stage], stage
        assert rows[stage]["arrived"] == first_in_period[stage], stage
    assert funnel["total"] == 5
    assert rows[S.DEPARTED]["reached"] == 1 and rows[S.CORRECTION]["reached"] == 1


def test_breakdowns_split_each_group_into_in_process_departed_and_stopped(
    people, client_for, leader
):
    in_period = [p for p in people if _in_default_period(p["created_at"])]
    context = _dashboard(client_for, leader)
    tables = {t["key"]: t for t in context["breakdowns"]}

    def expected(value_of):
        result = {}
        for p in in_period:
            stage = p["candidate"].stage
            group = (
                "departed"
                if stage in (S.DEPARTED, S.RETURNED)
                else "stopped"
                if stage in (S.REJECTED, S.WITHDRAWN)
                else "process"
            )
            row = result.setdefault(value_of(p), Counter())
            row[group] += 1
        return result

    def shown(key):
        return {
            r["value"]: Counter({g: r[g] for g in ("process", "departed", "stopped") if r[g]})
            for r in tables[key]["rows"]
        }

    assert shown("district") == expected(lambda p: p["district"] or "")
    assert shown("sex") == expected(lambda p: p["sex"])
    assert shown("age") == expected(
        lambda p: _band(p["birth"], timezone.localtime(p["created_at"]).date())
    )
    assert shown("country") == expected(lambda p: p["countries"][0] if p["countries"] else "")
    first_job = {
        p["candidate"].pk: str(
            JobType.objects.filter(code__in=p["jobs"]).order_by("sort_order", "name").first().pk
        )
        if p["jobs"]
        else "0"
        for p in in_period
    }
    assert shown("job_type") == expected(lambda p: first_job[p["candidate"].pk])
    assert tables["district"]["total"] == 5


def test_days_per_stage_are_the_average_and_90th_percentile_of_finished_stays(
    people, client_for, leader
):
    # given every finished stay, ended within the period, worked out from the moves
    stays: dict[str, list[float]] = {}
    for p in people:
        moments = [(S.REGISTERING, p["created_at"]), *p["moves"]]
        for (stage, start), (_next, end) in zip(moments, moments[1:], strict=False):
            if _in_default_period(end):
                stays.setdefault(stage, []).append((end - start).total_seconds() / 86400)
    # when the dashboard shows the time in each stage
    rows = {r["stage"]: r for r in _dashboard(client_for, leader)["dwell"]["rows"]}
    # then the average is exact and the P90 is the nearest-rank 90th percentile in whole days
    assert set(rows) == set(stays)
    for stage, days in stays.items():
        whole = sorted(math.floor(d) for d in days)
        assert rows[stage]["n"] == len(days)
        assert rows[stage]["avg"] == round(sum(days) / len(days), 1), stage
        assert rows[stage]["p90"] == whole[math.ceil(0.9 * len(whole)) - 1], stage


def test_departures_are_counted_in_the_month_the_person_left(people, client_for, leader):
    departures = Counter(
        _local_month(moment)
        for p in people
        for stage, moment in p["moves"]
        if stage == S.DEPARTED and _in_default_period(moment)
    )
    context = _dashboard(client_for, leader)
    shown = {r["month"]: r["n"] for r in context["departures"]["rows"] if r["n"]}
    assert shown == dict(departures)
    assert context["departures"]["total"] == sum(departures.values())


def test_progress_to_the_target_counts_every_departure_since_the_start(
    people, client_for, leader, settings
):
    settings.JALUR_PROGRAMME_TARGET = 40
    progress = _dashboard(client_for, leader, start="2026-01")["progress"]
    departed = sum(1 for p in people if any(s == S.DEPARTED for s, _ in p["moves"]))
    assert progress["target"] == 40
    assert progress["departed"] == departed == 2
    assert progress["pct"] == 5.0


def test_filters_by_destination_and_job_type_narrow_every_candidate_figure(
    people, client_for, leader
):
    caregiver = JobType.objects.get(code="caregiver")
    context = _dashboard(client_for, leader, country="JP", job_type=str(caregiver.pk))
    rows = {r["stage"]: r for r in context["funnel"]["rows"]}
    # only the first person wants Japan and caregiving; she departed
    assert context["funnel"]["total"] == 1
    assert rows[S.DEPARTED]["now"] == 1
    korea = _dashboard(client_for, leader, country="KR")
    assert korea["funnel"]["total"] == 1
    unknown = _dashboard(client_for, leader, country="-")
    assert unknown["funnel"]["total"] == 3


def test_a_period_filter_keeps_only_people_registered_in_it(people, client_for, leader):
    month = month_start(2)
    context = _dashboard(client_for, leader, start=f"{month:%Y-%m}", end=f"{month:%Y-%m}")
    assert context["funnel"]["total"] == 1
    assert {r["stage"]: r["now"] for r in context["funnel"]["rows"] if r["now"]} == {S.VERIFIED: 1}


def test_counting_move_by_move_gives_the_same_tables_as_a_rebuild(walk, manager):
    # given people moved one step at a time (each move updates the tables as it commits)
    start = at(month_start(3))
    for i, person in enumerate(PEOPLE[:4]):
        created = start + datetime.timedelta(days=i)
        walk(created, _moves(person, created), sex=person["sex"], district_id=person["district"])
    live = tally_tables()
    # when everything is recounted from scratch
    stats_rebuild()
    # then nothing differs
    assert tally_tables() == live
    assert live[0]


def test_the_page_draws_every_chart_beside_a_table_of_its_numbers(people, client_for, leader):
    response = client_for(leader).get(reverse("reports:dashboard"))
    body = response.content.decode()
    # funnel, two monthly charts, six breakdowns, days per stage, training
    assert body.count('<svg class="chart"') >= 11
    assert body.count("<table") >= body.count('<svg class="chart"')
    assert ' style="' not in body and "<script>" not in body


def test_the_home_widget_shows_the_programme_at_a_glance(people, client_for, manager, settings):
    settings.JALUR_PROGRAMME_TARGET = 1000

    def ever(stage):
        return sum(1 for p in people if any(s == stage for s, _ in p["moves"]))

    widget = next(
        w
        for w in client_for(manager).get(reverse("core:home")).context["widgets"]
        if str(w["title"]) == "Program"
    )
    values = {str(s["label"]): s["value"] for s in widget["stats"]}
    assert values == {
        "mengirim pendaftaran sejak awal program": ever(S.REGISTERED),
        "terverifikasi sejak awal program": ever(S.VERIFIED),
        "sedang pelatihan": sum(1 for p in people if p["candidate"].stage == S.TRAINING),
        "berangkat sejak awal program": ever(S.DEPARTED),
        "target": 1000,
    }

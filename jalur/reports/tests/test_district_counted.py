"""Where people live is counted by kecamatan at home, by kab/kota elsewhere in the province and by
province beyond it, the same way by the listener, the Python rebuild and the SQL recount."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.stages import Stage
from jalur.reports import facts
from jalur.reports.models import CandidateStat, Tally
from jalur.reports.selectors.candidates import _top_rows
from jalur.reports.services.refresh import stats_rebuild

from .conftest import along, at, month_start, tally_tables

S = Stage
pytestmark = pytest.mark.django_db

# Kota Serang (home): two kecamatan; Kabupaten Lebak (same province): two kecamatan; Kabupaten
# Bogor (Jawa Barat) and Gambir (Jakarta): other provinces; someone with no address yet.
WHERE = ["36.73.01", "36.73.01", "36.73.02", "36.02.01", "36.02.02", "32.01.01", "31.71.01", None]


def test_a_kecamatan_is_counted_at_home_its_kab_kota_in_the_province_else_its_province():
    assert facts.district_counted("36.73.05", "36.73") == "36.73.05"
    assert facts.district_counted("36.02.01", "36.73") == "36.02"
    assert facts.district_counted("32.01.01", "36.73") == "32"
    assert facts.district_counted("", "36.73") == facts.district_counted(None, "36.73") == ""
    # seen from Lebak, Kota Serang is a kab/kota of the province
    assert facts.district_counted("36.73.05", "36.02") == "36.73"


def _people(walk):
    start = at(month_start(2))
    return [
        walk(
            start + datetime.timedelta(days=i),
            along(start + datetime.timedelta(days=i), [1, 2, 3, 30, 5][: 1 + i % 5]),
            district_id=code,
            village_id=None,
        )
        for i, code in enumerate(WHERE)
    ]


def _district_cells() -> dict[str, int]:
    cells: dict[str, int] = {}
    for value, n in Tally.objects.filter(dimension="district").values_list("value", "n"):
        cells[value] = cells.get(value, 0) + n
    return {value: n for value, n in cells.items() if n}


@pytest.mark.parametrize("home", ["36.73", "36.02"])
def test_the_listener_and_the_rebuild_count_every_place_alike(walk, settings, home):
    # given people from home, from the province and from beyond, moved one step at a time
    settings.JALUR_HOME_REGION = home
    people = _people(walk)
    live = tally_tables()
    stats = dict(CandidateStat.objects.values_list("candidate_id", "district"))
    # then what the moves counted is each person's place as seen from home
    province_rows = {"36.73", "36.02"} - {home}
    expected = {"": 1, "32": 1, "31": 1}
    if home == "36.73":
        expected |= {"36.73.01": 2, "36.73.02": 1, "36.02": 2}
    else:
        expected |= {"36.02.01": 1, "36.02.02": 1, "36.73": 3}
    assert _district_cells() == expected
    assert province_rows <= set(expected)
    assert stats == {p.pk: facts.district_counted(p.district_id, home) for p in people}
    # and a recount from scratch (SQL on PostgreSQL, Python elsewhere) gives the same cells
    stats_rebuild()
    assert tally_tables() == live
    assert dict(CandidateStat.objects.values_list("candidate_id", "district")) == stats


def test_a_move_home_is_counted_under_the_new_place(walk):
    person = _people(walk)[5]  # Kabupaten Bogor
    person.district_id = "36.73.03"
    person.save()
    from jalur.reports.services.sync import stats_candidates_sync

    stats_candidates_sync([person.pk])
    cells = _district_cells()
    assert "32" not in cells and cells["36.73.03"] == 1
    live = tally_tables()
    stats_rebuild()
    assert tally_tables() == live


def test_the_dashboard_names_kab_kota_and_provinces_and_the_public_page_sums_them(
    walk, client_for, leader, client
):
    _people(walk)
    stats_rebuild()
    response = client_for(leader).get(reverse("reports:dashboard"))
    table = next(t for t in response.context["breakdowns"] if t["key"] == "district")
    rows = {r["label"]: r["total"] for r in table["shown"]}
    assert rows == {
        "Serang": 2,
        "Kasemen": 1,
        "Kabupaten Lebak": 2,
        "Provinsi Jawa Barat": 1,
        "Provinsi Daerah Khusus Ibukota Jakarta": 1,
        "Belum diketahui": 1,
    }
    public = client.get(reverse("reports:public"))
    kecamatan = next(t["table"] for t in public.context["tables"] if t["title"] == "Kecamatan")
    cells = {c.label: c.n for c in kecamatan.cells}
    # every kecamatan of the city, then one row for everyone living outside it
    assert cells["Serang"] == 2 and cells["Di luar kota"] == 4
    assert cells["Alamat belum diisi"] == 1
    assert "Kabupaten Lebak" not in cells and len(cells) == 6 + 2


def test_a_long_table_shows_its_largest_rows_and_sums_the_rest():
    rows = [
        {"value": str(i), "label": f"x{i}", "total": 100 - i, "process": 100 - i, "departed": 0}
        | {"stopped": 0}
        for i in range(1, 31)
    ] + [{"value": "", "label": "?", "total": 3, "process": 1, "departed": 1, "stopped": 1}]
    total = sum(r["total"] for r in rows)
    shown = _top_rows(rows, total)
    assert [r["label"] for r in shown[:20]] == [f"x{i}" for i in range(1, 21)]
    other, unknown = shown[20], shown[21]
    assert other["label"] == "Lainnya (10 baris)" and other["value"] is None
    assert other["total"] == sum(100 - i for i in range(21, 31)) == other["process"]
    assert unknown["label"] == "?" and len(shown) == 22
    assert sum(r["total"] for r in shown) == total
    # up to one row more than the limit is shown as it is
    assert _top_rows(rows[:21], total) == rows[:21]


def test_the_migration_rolls_up_what_was_counted_by_kecamatan():
    # given tallies and facts counted before: kecamatan codes everywhere
    month = timezone.localdate().replace(day=1)
    old = {"36.73.01": 4, "36.02.01": 2, "36.02.02": 3, "32.01.01": 1, "32.02.05": 6, "": 5}
    Tally.objects.bulk_create(
        Tally(dimension="district", value=v, grp="process", month=month, n=n)
        for v, n in old.items()
    )
    Tally.objects.create(dimension="sex", value="F", grp="process", month=month, n=21)
    now = timezone.now()
    for pk, code in enumerate(["36.73.01", "36.02.01", "32.01.01", ""], start=900_001):
        CandidateStat.objects.create(
            candidate_id=pk,
            registered_month=month,
            district=code,
            stage=S.REGISTERED,
            synced_at=now,
        )
    # when the migration runs
    migration = importlib.import_module("jalur.reports.migrations.0003_district_counted")
    migration.roll_up(django_apps, SimpleNamespace(connection=connection))
    # then each place holds the sum of its kecamatan, and nothing else changed
    assert _district_cells() == {"36.73.01": 4, "36.02": 5, "32": 7, "": 5}
    assert Tally.objects.get(dimension="sex").n == 21
    assert list(
        CandidateStat.objects.filter(candidate_id__gt=900_000)
        .order_by("candidate_id")
        .values_list("district", flat=True)
    ) == ["36.73.01", "36.02", "32", ""]


def test_a_breakdown_row_per_person_does_not_grow_with_kecamatan():
    # every kecamatan of Indonesia counts under at most a few dozen places
    from jalur.regions.models import District

    places = {
        facts.district_counted(c, "36.73") for c in District.objects.values_list("code", flat=True)
    }
    assert District.objects.count() > 7000 and len(places) < 60

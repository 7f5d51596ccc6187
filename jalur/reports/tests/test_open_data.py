"""The public statistics as CSV and JSON: the same cells as the page, hidden the same way, and no
hidden number anywhere in the file."""

import csv
import io
import json

import pytest
from django.urls import reverse

from jalur.candidates.models import Sex
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.reports.open_data import COLUMNS, TOTAL
from jalur.reports.services.refresh import stats_rebuild
from jalur.reports.suppression import SECONDARY


@pytest.fixture
def figures(db):
    # 20 people in Serang, 9 in Kasemen, 3 in Walantaka; 31 men and 1 woman
    for district, count in (("36.73.01", 20), ("36.73.02", 9), ("36.73.03", 3)):
        CandidateFactory.create_batch(
            count, district_id=district, village_id=None, sex=Sex.MALE, stage=Stage.VERIFIED
        )
    CandidateFactory(district_id="36.73.01", village_id=None, sex=Sex.FEMALE)
    stats_rebuild()


def page_cells(client) -> set[tuple[str, str, str]]:
    """(table title, row label, what the page shows) for every cell and total of the HTML page."""
    cells = set()
    for item in client.get(reverse("reports:public")).context["tables"]:
        table = item["table"]
        for cell in table.cells:
            cells.add((str(item["title"]), cell.label, cell.shown))
        cells.add((str(item["title"]), TOTAL, table.total_shown))
    return cells


def csv_rows(client) -> list[dict]:
    response = client.get(reverse("reports:public_data", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="statistik-program-')
    text = response.content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_the_csv_holds_every_cell_of_the_page_suppressed_the_same_way(client, figures):
    rows = csv_rows(client)
    tables = {(r["title"], r["category"], r["shown"]) for r in rows if r["table"] != "summary"}
    assert tables == page_cells(client)
    districts = {r["category"]: r for r in rows if r["table"] == "district"}
    assert districts["Serang"]["count"] == "21" and districts["Serang"]["suppressed"] == "false"
    assert districts["Walantaka"] == {**districts["Walantaka"], "count": "", "shown": "<5"}
    assert districts["Kasemen"]["count"] == "" and districts["Kasemen"]["shown"] == SECONDARY
    summary = {r["category"]: r["shown"] for r in rows if r["table"] == "summary"}
    assert summary["registered"] == "33"


def test_the_json_gives_no_number_for_a_hidden_cell(client, figures):
    response = client.get(reverse("reports:public_data", args=["json"]))
    document = json.loads(response.content)
    assert document["suppression_threshold"] == 5 and document["columns"] == COLUMNS
    rows = document["rows"]
    assert {(r["title"], r["category"], r["shown"]) for r in rows if r["table"] != "summary"} == (
        page_cells(client)
    )
    for row in rows:
        assert (row["count"] is None) == row["suppressed"], row
        if not row["suppressed"]:
            assert str(row["count"]) == row["shown"]
    sexes = {r["category"]: r for r in rows if r["table"] == "sex"}
    assert sexes["Perempuan"]["count"] is None and sexes["Perempuan"]["shown"] == "<5"
    assert sexes["Laki-laki"]["count"] is None  # 31 would give the single woman away


def test_a_small_programme_hides_its_totals_in_the_files_too(client, db):
    CandidateFactory.create_batch(2, stage=Stage.VERIFIED)
    stats_rebuild()
    rows = csv_rows(client)
    summary = {r["category"]: r for r in rows if r["table"] == "summary"}
    assert summary["registered"]["shown"] == "<5" and summary["registered"]["count"] == ""
    assert all(r["count"] == "" for r in rows if r["table"] == "stage")


def test_the_page_links_its_downloads_and_another_format_is_not_found(client, db):
    page = client.get(reverse("reports:public")).content.decode()
    assert reverse("reports:public_data", args=["csv"]) in page
    assert reverse("reports:public_data", args=["json"]) in page
    assert client.get(reverse("reports:public_data", args=["xml"])).status_code == 404

"""Public statistics: aggregate figures only, and no group under five people can be read off."""

import pytest
from django.urls import reverse

from jalur.candidates.models import Sex
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.reports.services.refresh import stats_rebuild
from jalur.reports.suppression import SECONDARY, suppress


def shown(table):
    return [cell.shown for cell in table.cells]


class TestSuppression:
    def test_cells_under_five_are_shown_as_less_than_five(self):
        table = suppress([("a", 12), ("b", 3), ("c", 2), ("d", 9)])
        assert shown(table) == ["12", "<5", "<5", "9"]
        assert table.total_shown == "26"

    def test_a_single_small_cell_takes_the_smallest_other_cell_with_it(self):
        # 3 could be worked out as 30 - 20 - 7 if only it were hidden
        table = suppress([("a", 20), ("b", 3), ("c", 7)])
        assert shown(table) == ["20", "<5", SECONDARY]
        assert table.total_shown == "30"

    def test_hidden_cells_must_together_hold_at_least_five_people(self):
        # two hidden cells holding 1 person between them would still give that 1 away
        table = suppress([("a", 40), ("b", 1), ("c", 0), ("d", 6), ("e", 9)])
        assert shown(table) == ["40", "<5", "<5", SECONDARY, "9"]

    def test_nothing_is_hidden_when_no_cell_is_small(self):
        assert shown(suppress([("a", 5), ("b", 17)])) == ["5", "17"]

    def test_a_total_under_five_hides_the_whole_table(self):
        table = suppress([("a", 3), ("b", 1)])
        assert table.total_suppressed and table.total_shown == "<5"
        assert all(cell.suppressed for cell in table.cells)

    def test_no_hidden_cell_can_be_derived_from_the_total_and_the_shown_cells(self):
        cases = [
            [("a", 20), ("b", 4)],
            [("a", 9), ("b", 0), ("c", 30)],
            [("a", 100), ("b", 2), ("c", 2), ("d", 50)],
            [("a", 6), ("b", 1)],
        ]
        for rows in cases:
            table = suppress(rows)
            hidden = [c for c in table.cells if c.suppressed]
            if not hidden:
                continue
            assert len(hidden) >= 2, rows
            assert sum(c.n for c in hidden) >= 5, rows


@pytest.mark.django_db
def test_the_public_page_suppresses_small_kecamatan_and_sex_cells(client):
    # given 20 people in Serang, 9 in Kasemen, 3 in Walantaka and nobody elsewhere; 31 men, 1 woman
    for district, count in (("36.73.01", 20), ("36.73.02", 9), ("36.73.03", 3)):
        CandidateFactory.create_batch(
            count, district_id=district, village_id=None, sex=Sex.MALE, stage=Stage.VERIFIED
        )
    woman = CandidateFactory(district_id="36.73.01", village_id=None, sex=Sex.FEMALE)
    assert woman.pk
    stats_rebuild()
    # when anyone opens the public statistics
    response = client.get(reverse("reports:public"))
    tables = {t["title"]: t["table"] for t in response.context["tables"]}
    # then kecamatan: the small and empty cells are "<5", Kasemen goes with them, Serang shows
    districts = {c.label: c.shown for c in tables["Kecamatan"].cells}
    assert districts["Serang"] == "21"
    assert districts["Walantaka"] == "<5" and districts["Curug"] == "<5"
    assert districts["Kasemen"] == SECONDARY
    assert tables["Kecamatan"].total_shown == "33"
    # and the single woman cannot be counted from the total of the sex table
    sexes = {c.label: c.shown for c in tables["Jenis kelamin"].cells}
    assert sexes == {"Laki-laki": SECONDARY, "Perempuan": "<5"}
    body = response.content.decode()
    assert "&lt;5" in body and SECONDARY in body
    assert ">1<" not in body.replace(" ", "")


@pytest.mark.django_db
def test_an_address_given_before_the_registration_is_sent_is_counted_and_the_page_refreshes(
    client, settings
):
    """Issue 17: people who filled in their address but had not sent the registration stayed under
    "Di luar kota/belum diketahui" until someone opened the dashboard or the nightly rebuild ran.
    The public page asks for the same refresh when the figures are older than the setting, and the
    page says how such a registration counts."""
    import datetime

    from django.utils import timezone

    from jalur.candidates.models import Candidate
    from jalur.reports.models import RefreshState

    people = CandidateFactory.create_batch(
        6, district_id=None, village_id=None, stage=Stage.REGISTERING
    )
    stats_rebuild()
    RefreshState.objects.update(refreshed_at=timezone.now(), requested_at=None)
    # the address step saved (no stage move): Kasemen, 36.73.02
    for person in people:
        person.district_id = "36.73.02"
        person.save()

    def kecamatan():
        response = client.get(reverse("reports:public"))
        tables = {t["title"]: t["table"] for t in response.context["tables"]}
        # the counts behind the cells (small ones are shown as "<5" or "×" on the page)
        return {c.label: c.n for c in tables["Kecamatan"].cells}, response.content.decode()

    # within the refresh interval the figures may lag, and the page says by how much at most
    cells, html = kecamatan()
    assert cells["Alamat belum diisi"] == 6
    assert f"paling lama setiap {settings.JALUR_REPORTS_REFRESH_MINUTES} menit" in html
    assert "juga bila pendaftarannya belum dikirim" in html
    # once they are older than the setting, opening the public page refreshes them
    RefreshState.objects.update(
        refreshed_at=timezone.now()
        - datetime.timedelta(minutes=settings.JALUR_REPORTS_REFRESH_MINUTES + 1)
    )
    cells, _html = kecamatan()
    assert cells["Kasemen"] == 6
    assert "Alamat belum diisi" not in cells and "Di luar kota" not in cells
    assert Candidate.objects.filter(stage=Stage.REGISTERING).count() == 6

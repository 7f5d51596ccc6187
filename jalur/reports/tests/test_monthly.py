"""The mayor's monthly report: the month's figures, as a PDF in Indonesian and as Excel, audited."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.reports.selectors.periods import month_name

from .conftest import along, at, month_start

pytestmark = pytest.mark.django_db
S = Stage


@pytest.fixture
def month(walk):
    """Last month: three people sent their registration in it, one of them was verified, and a
    person who registered months earlier departed in it."""
    month = month_start(1)
    first = at(month + datetime.timedelta(days=1))
    for i in range(3):
        created = first + datetime.timedelta(hours=i)
        moves = [(S.REGISTERED, created + datetime.timedelta(days=1))]
        if i == 0:
            moves.append((S.VERIFIED, created + datetime.timedelta(days=4)))
        walk(created, moves)
    early = at(month - datetime.timedelta(days=100))
    walk(early, along(early, [1, 5, 10, 40, 5, 10, 10, 29]))
    return month


def test_the_month_page_shows_the_months_figures_and_the_totals_so_far(month, client_for, leader):
    response = client_for(leader).get(reverse("reports:monthly"), {"month": f"{month:%Y-%m}"})
    assert response.status_code == 200
    rows = {r["stage"]: (r["month"], r["to_date"]) for r in response.context["report"]["key"]}
    assert rows[S.REGISTERED] == (3, 4)
    assert rows[S.VERIFIED] == (1, 2)
    assert rows[S.DEPARTED] == (1, 1)
    assert response.context["report"]["departed_to_date"] == 1


def test_without_a_month_the_page_offers_last_month(month, client_for, leader):
    response = client_for(leader).get(reverse("reports:monthly"))
    assert response.context["month"] == month


def test_the_pdf_is_a_pdf_and_its_download_is_audited(month, client_for, leader):
    url = reverse("reports:monthly_pdf", args=[month.year, month.month])
    response = client_for(leader).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"laporan-bulanan-{month:%Y-%m}.pdf" in response["Content-Disposition"]
    row = AuditLog.objects.get(action="reports.monthly_export")
    assert row.kind == AuditLog.Kind.EXPORT and row.actor == leader
    assert row.changes == {"month": f"{month:%Y-%m}", "format": "pdf"}


def test_the_excel_holds_the_same_figures(month, client_for, manager):
    url = reverse("reports:monthly_xlsx", args=[month.year, month.month])
    response = client_for(manager).get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert {"Ringkasan", "Tahap", "Per bulan", "Rincian", "Lama per tahap", "Pelatihan"} <= set(
        book.sheetnames
    )
    summary = {
        row[0]: row[1:3] for row in book["Ringkasan"].iter_rows(values_only=True) if row and row[0]
    }
    assert summary["Menunggu verifikasi"] == (3, 4)
    assert summary["Bekerja di luar negeri"] == (1, 1)
    per_month = {row[0]: row[1:] for row in book["Per bulan"].iter_rows(values_only=True)}
    assert per_month[month_name(month)] == (3, 1)
    assert AuditLog.objects.filter(action="reports.monthly_export", kind="export").count() == 1


def test_a_month_in_the_future_does_not_exist(client_for, leader):
    future = month_start(-2)
    url = reverse("reports:monthly_pdf", args=[future.year, future.month])
    assert client_for(leader).get(url).status_code == 404
    assert not AuditLog.objects.filter(action="reports.monthly_export").exists()


def _download_links(response) -> list[str]:
    import re

    return re.findall(r'href="([^"]+\.(?:pdf|xlsx))"', response.content.decode())


def test_a_month_that_has_not_started_is_refused_with_no_report_and_no_downloads(
    client_for, leader
):
    future = month_start(-1)
    response = client_for(leader).get(reverse("reports:monthly"), {"month": f"{future:%Y-%m}"})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "Bulan itu belum dimulai" in response.content.decode()
    assert _download_links(response) == []


def test_the_running_month_is_marked_provisional_and_both_downloads_work(client_for, leader):
    current = month_start(0)
    client = client_for(leader)
    response = client.get(reverse("reports:monthly"), {"month": f"{current:%Y-%m}"})
    assert response.context["report"]["provisional"] is True
    assert "sementara, bulan berjalan" in response.content.decode()
    links = _download_links(response)
    assert len(links) == 2
    for link in links:
        assert f"/{current:%Y-%m}." in link
        assert client.get(link).status_code == 200


def test_a_finished_month_is_not_provisional_and_its_links_name_the_month_with_two_digits(
    month, client_for, leader
):
    client = client_for(leader)
    response = client.get(reverse("reports:monthly"), {"month": f"{month:%Y-%m}"})
    assert response.context["report"]["provisional"] is False
    assert "sementara" not in response.content.decode()
    links = _download_links(response)
    assert [link.rsplit("/", 1)[1] for link in links] == [
        f"{month:%Y-%m}.pdf",
        f"{month:%Y-%m}.xlsx",
    ]
    assert all(client.get(link).status_code == 200 for link in links)


def test_download_links_write_the_month_with_two_digits_and_an_old_one_digit_link_still_opens(
    client_for, leader
):
    assert reverse("reports:monthly_xlsx", args=[2027, 5]).endswith("/2027-05.xlsx")
    url = reverse("reports:monthly_pdf", args=[2025, 5]).replace("2025-05", "2025-5")
    assert url.endswith("/2025-5.pdf")
    assert client_for(leader).get(url).status_code == 200

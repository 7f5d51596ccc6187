"""The monthly report's PDF prints names in any script and long labels whole (issue 15)."""

import datetime

import pytest

from jalur.candidates.stages import Stage
from jalur.core.tests.pdf_helpers import embedded_fonts, pdf_pages, pdf_text
from jalur.reports.exports import monthly_pdf
from jalur.reports.selectors.monthly import monthly_report

from .conftest import at, month_start

pytestmark = pytest.mark.django_db

PROVIDER = "LPK さくら日本語学院 (Sakura Nihongo Gakuin) Kota Serang – kelas perawat lansia"
EMPLOYER = "주식회사 한국산업 (Hankook Sanup Co., Ltd.)"


@pytest.fixture
def report(walk):
    month = month_start(1)
    walk(at(month + datetime.timedelta(days=2)), [(Stage.REGISTERED, at(month, 12))])
    report = monthly_report(month)
    total = report["training"]["total"]
    report["training"]["providers"] = [{**total, "name": PROVIDER}]
    report["expiry"]["agreements"] = [
        {"label": EMPLOYER, "ends_on": month + datetime.timedelta(days=40)}
    ]
    return report


def test_a_japanese_provider_and_a_korean_employer_print_whole_and_as_written(report):
    content = monthly_pdf(report)
    text = pdf_text(content)
    # the first column used to be cut at its width (60 mm: 37 characters) and Latin-1 only
    assert PROVIDER in text
    assert EMPLOYER in text
    assert "NotoSansCJKJP" in embedded_fonts(content)


def test_every_page_after_the_first_carries_the_report_title(report):
    pages = pdf_pages(monthly_pdf(report))
    assert len(pages) > 1
    assert all(report["title"] in page for page in pages[1:])

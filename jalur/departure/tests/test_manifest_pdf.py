"""The departure manifest and the no-fee statement print Korean and Japanese employer names and
long Indonesian names whole (issue 15), read back from the PDF as text."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.core.tests.pdf_helpers import embedded_fonts, pdf_pages, pdf_text
from jalur.departure import exports, services
from jalur.placement.models import JobOrder

from .conftest import accept, make_order

pytestmark = pytest.mark.django_db

LONG_NAME = "Siti Nurhaliza binti Abdullah Rahman Hakim Saputra"
HANGUL = "주식회사 한국산업"
KANJI = "株式会社さくら介護"
HEADER = "No Nama L/P Tgl lahir No paspor E-PMI Pemberi kerja Jabatan"


def employer_order(p3mi, country: str, name: str, title: str = "Operator mesin"):
    order = make_order(p3mi, positions=40, quota=40, reference=f"JO-{country}-{name[:4]}")
    JobOrder.objects.filter(pk=order.pk).update(
        employer_country=country, employer_name=name, position_title=title
    )
    order.refresh_from_db()
    return order


def group_of(p3mi, agent, order, names: list[str]):
    cases = [
        services.case_open(
            application=accept(order, CandidateFactory(stage=Stage.PRE_DEPARTURE, full_name=name)),
            actor=agent,
        )
        for name in names
    ]
    group = services.group_create(
        agency=p3mi,
        country=order.employer_country,
        departs_on=timezone.localdate(),
        flight="GA 878",
        airport="Soekarno-Hatta (CGK)",
        actor=agent,
    )
    return services.group_set_members(group=group, cases=cases, actor=agent)


@pytest.mark.parametrize(
    ("country", "employer", "title"),
    [("KR", HANGUL, "용접공 (tukang las)"), ("JP", KANJI, "介護職員 (perawat lansia)")],
)
def test_the_manifest_prints_korean_and_japanese_employers_and_long_names_whole(
    p3mi, agent, country, employer, title
):
    order = employer_order(p3mi, country, employer, title)
    group = group_of(p3mi, agent, order, [LONG_NAME, "Budi Santoso"])
    content = exports.manifest_pdf(group)
    pages = pdf_pages(content)
    assert len(pages) == 1
    text = pages[0]
    assert HEADER in text
    assert LONG_NAME in text  # longer than the 40 characters the old manifest cut it to
    assert employer in text and title in text
    assert "?" not in text
    fonts = embedded_fonts(content)
    assert fonts["NotoSansCJKJP"] < 40  # a subset: only the glyphs of these names
    # a one-page manifest (measured: about 20 KB)
    assert len(content) < 60_000


def test_the_excel_manifest_keeps_hangul_and_kanji(p3mi, agent):
    order = employer_order(p3mi, "KR", HANGUL)
    group = group_of(p3mi, agent, order, [LONG_NAME])
    sheet = load_workbook(io.BytesIO(exports.manifest_xlsx(group))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][1] == LONG_NAME and rows[0][6] == HANGUL


def test_a_manifest_over_several_pages_repeats_its_header_and_cuts_no_row(p3mi, agent):
    order = employer_order(p3mi, "JP", f"{KANJI} 名古屋第二工場 (Nagoya)")
    names = [f"{LONG_NAME} {chr(ord('A') + i)}" for i in range(24)]
    group = group_of(p3mi, agent, order, names)
    pages = pdf_pages(exports.manifest_pdf(group))
    assert len(pages) >= 2
    assert all(HEADER in page for page in pages)
    text = " ".join(pages)
    assert all(name in text for name in names)
    assert text.count(f"{KANJI} 名古屋第二工場 (Nagoya)") == 24


def test_the_no_fee_statement_names_the_korean_employer(p3mi, agent):
    order = employer_order(p3mi, "KR", HANGUL)
    case = group_of(p3mi, agent, order, [LONG_NAME]).cases.get()
    text = pdf_text(exports.no_fee_statement_pdf(case, "Saat keberangkatan"))
    assert f"Nama: {LONG_NAME}" in text
    assert f"Pemberi kerja: {HANGUL} (Korea Selatan)" in text
    assert f"( {LONG_NAME} )" in text

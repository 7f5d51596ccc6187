"""Certificates print names and programme titles in any script whole (issue 15), read back as text."""

import io
import zipfile

import pytest

from jalur.core.tests.pdf_helpers import embedded_fonts, pdf_text
from jalur.training.certificates import certificate_pdf, certificates_zip
from jalur.training.models import Certificate

from .test_certificates import issue

pytestmark = pytest.mark.django_db

HOLDER = "Dewi Lestari Ayu Kusumawardhani (デウィ・レスタリ)"
PROGRAMME = "Bahasa Jepang dan perawatan lansia 介護 (kaigo) – persiapan JFT-Basic ≥ A2"


def renamed(certificate, **fields) -> Certificate:
    Certificate.objects.filter(pk=certificate.pk).update(**fields)
    certificate.refresh_from_db()
    return certificate


def test_a_katakana_name_and_a_japanese_programme_title_are_printed_as_written(cohort, trainer):
    certificate = renamed(issue(cohort, trainer), holder_name=HOLDER, programme_name=PROGRAMME)
    content = certificate_pdf(certificate)
    text = pdf_text(content)
    assert HOLDER in text and PROGRAMME in text
    assert f"Nomor: {certificate.number}" in text
    assert embedded_fonts(content)["NotoSansCJKJP"] < 30  # only the glyphs it prints


def test_a_latin_certificate_embeds_no_cjk_font_and_stays_small(cohort, trainer):
    certificate = renamed(issue(cohort, trainer), holder_name="Nurul Çahyani Hidayah")
    content = certificate_pdf(certificate)
    assert "Nurul Çahyani Hidayah" in pdf_text(content)
    assert set(embedded_fonts(content)) == {"NotoSans", "NotoSansBold"}
    assert len(content) < 40_000


def test_each_pdf_in_the_zip_prints_its_own_name(cohort, trainer):
    names = ["Budi Santoso", "김민지 (Kim Min-ji)", "佐藤 花子 (Sato Hanako)"]
    certificates = [renamed(issue(cohort, trainer), holder_name=name) for name in names]
    archive = zipfile.ZipFile(io.BytesIO(certificates_zip(certificates)))
    for certificate, name in zip(certificates, names, strict=True):
        assert name in pdf_text(archive.read(f"{certificate.number}.pdf"))

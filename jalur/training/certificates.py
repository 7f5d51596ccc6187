"""Certificate PDFs in Indonesian (fpdf2) with a QR code (segno) that opens the public check page.

The QR code is drawn as vector squares rather than embedded as an image: the file stays small and a
1,000-person programme renders in seconds (docs/benchmarks.md, "Training certificates").
"""

import io
import zipfile
from collections.abc import Iterable

import segno
from django.conf import settings
from django.urls import reverse

from jalur.core.pdf import FAMILY, JalurPdf
from jalur.regions.models import Regency
from jalur.regions.naming import programme_name

from .models import Certificate

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
INK = (31, 41, 51)
BRAND = (11, 83, 148)
MUTED = (82, 96, 109)
BAD = (180, 35, 24)


def verification_path(certificate: Certificate) -> str:
    return reverse("training:certificate_verify", args=[certificate.token])


def verification_check_url() -> str:
    return settings.JALUR_SITE_URL.rstrip("/") + reverse("training:certificate_check")


def verification_url(certificate: Certificate) -> str:
    return settings.JALUR_SITE_URL.rstrip("/") + verification_path(certificate)


def issuing_place() -> str:
    regency = Regency.objects.filter(code=settings.JALUR_HOME_REGION).first()
    return regency.name.title() if regency else ""


def date_id(day) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class CertificateRenderer:
    """Adds one A4 landscape page per certificate to a single PDF."""

    def __init__(self, place: str | None = None):
        self.pdf = JalurPdf(orientation="L", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_title("Sertifikat pelatihan")
        self.place = issuing_place() if place is None else place
        self.programme_name = programme_name()

    def _text(self, y: float, text: str, size: float, style: str = "", colour=INK) -> None:
        pdf = self.pdf
        pdf.set_xy(20, y)
        pdf.set_font(FAMILY, style, size)
        pdf.set_text_color(*colour)
        # A single cell is much faster than multi_cell's line breaking; wrap only long lines.
        if pdf.get_string_width(text) <= 255:
            pdf.cell(257, size * 0.45, text, align="C")
        else:
            pdf.multi_cell(257, size * 0.45, text, align="C")

    def _qr(self, url: str, x: float, y: float, size: float) -> None:
        qr = segno.make(url, error="m", micro=False)
        rows = list(qr.matrix)
        module = size / len(rows)
        pdf = self.pdf
        pdf.set_fill_color(0, 0, 0)
        for r, row in enumerate(rows):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    pdf.rect(
                        x + start * module, y + r * module, (c - start) * module, module, style="F"
                    )
                else:
                    c += 1

    def add(self, certificate: Certificate) -> None:
        pdf = self.pdf
        pdf.add_page()
        pdf.set_draw_color(*BRAND)
        pdf.set_line_width(1.2)
        pdf.rect(8, 8, 281, 194)
        pdf.set_line_width(0.3)
        pdf.rect(11, 11, 275, 188)
        self._text(20, self.programme_name.upper(), 11, "B", BRAND)
        self._text(34, "SERTIFIKAT PELATIHAN", 28, "B")
        self._text(48, f"Nomor: {certificate.number}", 11, "", MUTED)
        self._text(62, "diberikan kepada", 12)
        self._text(72, certificate.holder_name, 24, "B")
        self._text(88, "yang telah menyelesaikan program pelatihan", 12)
        self._text(97, certificate.programme_name, 17, "B", BRAND)
        self._text(
            110,
            f"sebanyak {certificate.hours} jam pelajaran di {certificate.provider_name}",
            12,
        )
        self._text(122, f"Hasil: {certificate.result}", 11, "", MUTED)
        place = f"{self.place}, " if self.place else ""
        pdf.set_font(FAMILY, "", 11)
        pdf.set_text_color(*INK)
        pdf.set_xy(160, 145)
        pdf.cell(100, 6, f"{place}{date_id(certificate.issued_on)}", align="C")
        pdf.set_xy(160, 151)
        pdf.cell(100, 6, f"Pimpinan {certificate.provider_name}", align="C")
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.3)
        pdf.line(180, 181, 240, 181)
        url = verification_url(certificate)
        self._qr(url, 24, 146, 34)
        pdf.set_xy(62, 160)
        pdf.set_font(FAMILY, "", 8)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(
            80,
            3.6,
            align="L",
            text=(
                "Pindai kode QR atau buka halaman cek sertifikat dan masukkan nomor di atas untuk "
                "memastikan sertifikat ini asli dan masih berlaku."
            ),
        )
        pdf.set_xy(62, 172)
        pdf.cell(80, 4, verification_check_url(), align="L")
        if not certificate.is_valid:
            self._text(128, "DICABUT", 36, "B", BAD)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def certificate_pdf(certificate: Certificate, *, place: str | None = None) -> bytes:
    renderer = CertificateRenderer(place)
    renderer.add(certificate)
    return renderer.output()


def certificates_pdf(certificates: Iterable[Certificate]) -> bytes:
    """Every certificate as one page of a single PDF, for printing a whole cohort at once."""
    renderer = CertificateRenderer()
    for certificate in certificates:
        renderer.add(certificate)
    return renderer.output()


def certificates_zip(certificates: Iterable[Certificate]) -> bytes:
    """One PDF per certificate, named by its number, in a zip."""
    buffer = io.BytesIO()
    place = issuing_place()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(f"{certificate.number}.pdf", certificate_pdf(certificate, place=place))
    return buffer.getvalue()

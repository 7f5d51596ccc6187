"""The departure manifest (PDF and Excel) and the printable no-fee statement."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Font

from jalur.core.pdf import FAMILY, JalurPdf
from jalur.core.xlsx import workbook_bytes
from jalur.regions.naming import programme_name

from .models import DepartureGroup


def _manifest_rows(group: DepartureGroup) -> list[list[str]]:
    rows = []
    cases = (
        group.cases.select_related("candidate", "application__order")
        .prefetch_related("items")
        .order_by("candidate__full_name")
    )
    for number, case in enumerate(cases, start=1):
        items = {i.code: i for i in case.items.all()}
        passport = items.get("passport")
        e_pmi = items.get("e_pmi")
        order = case.application.order
        rows.append(
            [
                str(number),
                case.candidate.full_name,
                case.candidate.sex,
                case.candidate.birth_date.strftime("%d-%m-%Y"),
                (passport.data.get("number", "") if passport else ""),
                (e_pmi.data.get("e_pmi", "") if e_pmi else ""),
                order.employer_name,
                order.position_title,
            ]
        )
    return rows


def manifest_headers() -> list[str]:
    return [
        pgettext("nomor urut", "No"),
        _("Nama"),
        _("L/P"),
        _("Tgl lahir"),
        _("No paspor"),
        _("E-PMI"),
        _("Pemberi kerja"),
        _("Jabatan"),
    ]


def manifest_xlsx(group: DepartureGroup) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Manifes"
    sheet.append(
        [
            f"{_('Manifes keberangkatan')} {group.agency} · {group.flight} · {group.departs_on:%d-%m-%Y} · {group.airport}"
        ]
    )
    sheet.append(manifest_headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in _manifest_rows(group):
        sheet.append(row)
    for column, width in zip("ABCDEFGH", (5, 30, 5, 12, 14, 18, 30, 25), strict=True):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(book)


class _Pdf(JalurPdf):
    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(
            0,
            8,
            f"Jalur · {programme_name()} · {timezone.localtime():%d-%m-%Y %H.%M} · "
            f"{self.page_no()}/{{nb}}",
            align="C",
        )


# Columns of the A4 landscape manifest in mm (277 = the page less its 10 mm margins). Every cell
# wraps within its column, so long names and employer names are printed whole.
MANIFEST_WIDTHS = (9, 58, 10, 22, 26, 36, 62, 54)


def manifest_pdf(group: DepartureGroup) -> bytes:
    rows = _manifest_rows(group)
    pdf = _Pdf(orientation="L", format="A4")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(_("Manifes keberangkatan rombongan"))
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(0, 8, _("Manifes keberangkatan rombongan"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=10)
    pdf.multi_cell(
        0,
        5.5,
        f"P3MI: {group.agency} · {_('Penerbangan')}: {group.flight} · "
        f"{_('Tanggal')}: {group.departs_on:%d-%m-%Y} · {group.airport} · "
        + ngettext("%(n)s orang", "%(n)s orang", len(rows))
        % {"n": len(rows)},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font(FAMILY, size=8.5)
    with pdf.table(
        col_widths=MANIFEST_WIDTHS,
        width=sum(MANIFEST_WIDTHS),
        align="LEFT",
        text_align="LEFT",
        v_align="TOP",
        line_height=4,
        padding=(0.8, 1),
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 240, 245)),
        repeat_headings=1,
    ) as table:
        table.row(manifest_headers())
        for row in rows:
            table.row(row)
    return bytes(pdf.output())


def no_fee_statement_pdf(case, occasion_label: str) -> bytes:
    """A one-page statement in Indonesian the worker signs on paper; its date is then recorded in Jalur."""
    order = case.application.order
    pdf = _Pdf(format="A4")
    pdf.set_title(_("Surat pernyataan tidak dipungut biaya penempatan"))
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(
        0,
        7,
        _("SURAT PERNYATAAN TIDAK DIPUNGUT BIAYA PENEMPATAN"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FAMILY, size=11)
    pdf.ln(4)
    lines = [
        _("Yang bertanda tangan di bawah ini:"),
        f"{_('Nama')}: {case.candidate.full_name}",
        f"{_('Tanggal lahir')}: {case.candidate.birth_date:%d-%m-%Y}",
        f"{_('Pemberi kerja')}: {order.employer_name} ({order.get_employer_country_display()})",
        f"{_('Jabatan')}: {order.position_title}",
        f"{_('Perusahaan penempatan (P3MI)')}: {case.agency}",
        "",
        _(
            "menyatakan dengan sebenarnya bahwa saya TIDAK membayar dan TIDAK dipungut biaya penempatan dalam bentuk apa pun "
            "oleh siapa pun, termasuk tiket, visa, legalisasi perjanjian kerja, pelatihan, sertifikat kompetensi, dan jasa "
            "perusahaan, sesuai UU No. 18 Tahun 2017 Pasal 30. Jika ada pihak yang meminta atau menerima pembayaran dari saya, "
            "saya akan melaporkannya ke Disnakertrans atau melalui kanal pengaduan Jalur."
        ),
        "",
        f"{_('Saat')}: {occasion_label}",
        "",
        f"......................, {'.' * 30}",
        "",
        "",
        "",
        f"( {case.candidate.full_name} )",
    ]
    for line in lines:
        pdf.multi_cell(0, 6.5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

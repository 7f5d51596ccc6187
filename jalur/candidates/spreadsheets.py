"""Excel files the office downloads: the import template and the export of a candidate list."""

import datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jalur.core.xlsx import text_cell, workbook_bytes, write_only_value
from jalur.regions.selectors import home_districts, home_villages
from jalur.rules.jobs import country_name

from .routes import job_type_countries, job_types
from .selectors import Column

# Header, example value, column width. NIK, KK and phones are text columns so Excel keeps digits.
EXAMPLE_NIK, EXAMPLE_NAME = "3673015705980001", "Siti Rahmawati"  # the template's sample row
TEMPLATE_COLUMNS = [
    ("NIK", EXAMPLE_NIK, 20),
    ("No KK", "3673010101200003", 20),
    ("Nama Lengkap", EXAMPLE_NAME, 24),
    ("Tempat Lahir", "Serang", 14),
    ("Tanggal Lahir", datetime.date(1998, 5, 17), 14),
    ("Jenis Kelamin (L/P)", "P", 10),
    ("Agama", "Islam", 12),
    ("Status Perkawinan", "Belum kawin", 16),
    ("Kecamatan", "Serang", 16),
    ("Kelurahan", "Cipare", 18),
    ("RT", "003", 6),
    ("RW", "005", 6),
    ("Alamat", "Jl. Kampung Baru No. 12", 28),
    ("No HP", "0812-3456-7890", 16),
    ("E-mail", "", 22),
    ("Nama Kontak Darurat", "Ahmad Hidayat", 22),
    ("Hubungan", "Orang tua", 12),
    ("No HP Kontak Darurat", "0813-1111-2222", 18),
    ("Pendidikan Terakhir", "SMK", 12),
    ("Jurusan", "Teknik Mesin", 16),
    ("Tinggi Badan", 160, 8),
    ("Berat Badan", 52, 8),
    ("Negara Tujuan", "Jepang", 14),
    ("Jenis Pekerjaan", "caregiver", 18),
]
TEXT_COLUMNS = {"NIK", "No KK", "No HP", "No HP Kontak Darurat", "RT", "RW"}


def import_template() -> bytes:
    """The template: one example row, text-formatted number columns, drop-downs, and the lists."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pencari kerja"
    sheet.append([header for header, _example, _width in TEMPLATE_COLUMNS])
    sheet.append([example for _header, example, _width in TEMPLATE_COLUMNS])
    for index, (header, _example, width) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = width
        if header in TEXT_COLUMNS:
            for row in range(2, 2002):
                sheet.cell(row=row, column=index).number_format = "@"
        if header == "Tanggal Lahir":
            for row in range(2, 2002):
                sheet.cell(row=row, column=index).number_format = "DD-MM-YYYY"
    sheet.freeze_panes = "A2"
    for header, options in (
        ("Jenis Kelamin (L/P)", "L,P"),
        ("Pendidikan Terakhir", "SD,SMP,SMA,SMK,D3,D4,S1"),
        ("Status Perkawinan", "Belum kawin,Kawin,Cerai hidup,Cerai mati"),
        ("Negara Tujuan", "Korea,Jepang,Korea dan Jepang"),
    ):
        column = [h for h, _e, _w in TEMPLATE_COLUMNS].index(header) + 1
        letter = sheet.cell(row=1, column=column).column_letter
        validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}2001")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(_("Petunjuk"))
    for line in (
        _("Satu baris untuk satu orang. Baris contoh boleh dihapus atau ditimpa."),
        _("Wajib: NIK, Nama Lengkap, Tanggal Lahir, Jenis Kelamin, Kelurahan, No HP."),
        _(
            "NIK dan No KK 16 angka. Kolomnya berformat Teks; jangan diubah menjadi Angka, karena Excel menghapus angka ke-16."
        ),
        _("Tanggal lahir boleh ditulis 17-05-1998, 17/05/1998, 1998-05-17 atau 17 Mei 1998."),
        _("Jenis kelamin: L atau P (boleh juga Laki-laki/Perempuan)."),
        _(
            "Kelurahan harus di wilayah program; lihat lembar 'Wilayah'. Domisili ditentukan oleh kelurahan, bukan oleh NIK."
        ),
        _("No HP: nomor HP Indonesia, boleh 0812…, +62812… atau 62812…."),
        _("Negara tujuan: Korea, Jepang, atau keduanya dipisah koma."),
        _("Jenis pekerjaan: kode dari lembar 'Jenis pekerjaan', dipisah koma."),
        _("Impor ulang berkas yang sama aman: NIK yang sudah terdaftar dilewati dan tidak diubah."),
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 110

    regions = workbook.create_sheet(_("Wilayah"))
    regions.append([_("Kecamatan"), _("Kelurahan")])
    names = {d.code: d.name for d in home_districts()}
    for village in sorted(home_villages(), key=lambda v: (names[v.district_id], v.name)):
        regions.append([names[village.district_id], village.name])
    regions.column_dimensions["A"].width = regions.column_dimensions["B"].width = 24

    jobs = workbook.create_sheet(_("Jenis pekerjaan"))
    jobs.append([_("Kode"), _("Nama"), _("Negara dengan jalur resmi")])
    routes = job_type_countries()
    for job_type in job_types().filter(pk__in=list(routes)):
        reach = ", ".join(country_name(c) for c in sorted(routes[job_type.pk]))
        jobs.append([job_type.code, job_type.name, reach])
    jobs.column_dimensions["A"].width, jobs.column_dimensions["B"].width = 20, 44
    jobs.column_dimensions["C"].width = 24
    return workbook_bytes(workbook)


def candidates_workbook(candidates, columns: list[Column]) -> bytes:
    """The filtered list, only the columns the user may see (write-only: large lists stay small)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Pencari kerja"))
    sheet.append([str(c.label) for c in columns])
    for candidate in candidates:
        sheet.append([write_only_value(sheet, _cell(c.value(candidate))) for c in columns])
    return workbook_bytes(workbook)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date | int | float):
        return value
    return str(value)


def table_workbook(
    title: str, header: list[str], rows, *, text_columns=(), widths: dict[int, int] | None = None
) -> bytes:
    """A plain table (write-only: 50,000 rows stay small). Columns in `text_columns` (indexes)
    are stored and formatted as text, so Excel shows a 16-digit NIK whole, not as 3.67301E+15."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, width in (widths or {}).items():
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if index in text_columns:
                cell = text_cell(sheet, value)
                cell.number_format = "@"
                cells.append(cell)
            else:
                cells.append(write_only_value(sheet, _cell(value)))
        sheet.append(cells)
    return workbook_bytes(workbook)

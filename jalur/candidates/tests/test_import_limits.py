"""Workbooks built to exhaust a worker are refused before openpyxl parses them (issue 16).

A 2 MB workbook with a huge shared-strings table reached 2.2 GB of worker memory; a 1.5 KB one
claiming row 100,000,000 kept the worker busy for 3 minutes.
"""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from jalur.candidates.importing import sheet as sheet_module
from jalur.candidates.importing.sheet import ImportFileError, sheet_read
from jalur.candidates.spreadsheets import TEMPLATE_COLUMNS

HEADERS = [header for header, _example, _width in TEMPLATE_COLUMNS]
EXAMPLE = [example for _header, example, _width in TEMPLATE_COLUMNS]


def _workbook(rows=1) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for _ in range(rows):
        sheet.append(EXAMPLE)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewritten(data: bytes, part: str, change) -> bytes:
    """The .xlsx `data` with one part's XML passed through `change`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                content = change(content.decode()).encode()
            target.writestr(item.filename, content)
    return out.getvalue()


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def test_a_real_sheet_still_reads():
    sheet = sheet_read(io.BytesIO(_workbook(rows=3)))
    assert len(sheet.rows) == 3


def test_a_row_claimed_at_one_hundred_million_is_refused_at_once():
    def far_row(xml: str) -> str:
        # No <dimension>: openpyxl then reads every row up to the last, filling the gap.
        row = '<row r="100000000"><c r="A100000000" t="inlineStr"><is><t>x</t></is></c></row>'
        xml = re.sub(r"<dimension [^>]*/>", "", xml)
        return xml.replace("</sheetData>", row + "</sheetData>")

    bomb = _rewritten(_workbook(), "xl/worksheets/sheet1.xml", far_row)
    assert len(bomb) < 10_000
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="sampai ke baris"):
        sheet_read(io.BytesIO(bomb))
    assert time.monotonic() - started < 20  # minutes before; a limit on the row number now


def test_a_dimension_claiming_a_hundred_million_rows_or_every_column_is_refused():
    def claims(ref):
        return lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml)

    rows = _rewritten(_workbook(), "xl/worksheets/sheet1.xml", claims("A1:X100000000"))
    with pytest.raises(ImportFileError, match="sampai ke baris"):
        sheet_read(io.BytesIO(rows))
    columns = _rewritten(_workbook(), "xl/worksheets/sheet1.xml", claims("A1:XFD3"))
    with pytest.raises(ImportFileError, match="16.384 kolom"):
        sheet_read(io.BytesIO(columns))


def test_a_huge_shared_strings_table_is_refused_from_the_zip_directory():
    # 80 MB of strings that pack into well under 1 MB: refused without unpacking them.
    table = b"<sst><si><t>" + b"A" * (80 * 1024 * 1024) + b"</t></si></sst>"
    bomb = _with_part(_workbook(), "xl/sharedStrings.xml", table)
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match="terlalu besar"):
            sheet_read(io.BytesIO(bomb))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_too_many_parts_or_too_much_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(sheet_module, "MAX_UNPACKED_BYTES", 64 * 1024)
    padded = _with_part(_workbook(), "xl/media/padding.bin", b"\0" * (128 * 1024))
    with pytest.raises(ImportFileError, match="terlalu besar"):
        sheet_read(io.BytesIO(padded))


def test_reading_stops_at_its_deadline(monkeypatch):
    monkeypatch.setattr(sheet_module, "READ_SECONDS", -1)  # already past it at the first check
    with pytest.raises(ImportFileError, match="terlalu lama"):
        sheet_read(io.BytesIO(_workbook(rows=1200)))

"""Exports keep typed text as text: openpyxl would store "=…" as a live formula."""

import io

from openpyxl import Workbook, load_workbook

from jalur.core.xlsx import csv_safe, text_cell, workbook_bytes, write_only_value


def _read(data: bytes):
    return [(cell.value, cell.data_type) for cell in load_workbook(io.BytesIO(data)).active[1]]


def test_a_normal_workbook_keeps_formula_looking_text_as_text():
    book = Workbook()
    book.active.append(["=1+1", "Budi", 3])
    assert _read(workbook_bytes(book)) == [("=1+1", "s"), ("Budi", "s"), (3, "n")]


def test_a_write_only_workbook_gets_text_cells_for_it():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("a")
    sheet.append([write_only_value(sheet, v) for v in ("=SUM(A1)", "+62812", 7)])
    sheet.append([text_cell(sheet, None)])
    values = [
        (c.value, c.data_type) for c in load_workbook(io.BytesIO(workbook_bytes(book)))["a"][1]
    ]
    assert values == [("=SUM(A1)", "s"), ("+62812", "s"), (7, "n")]


def test_csv_text_that_would_start_a_formula_gets_an_apostrophe():
    assert [csv_safe(v) for v in ("=1+1", "+62", "-x", "@SUM", "Budi", 5)] == [
        "'=1+1",
        "'+62",
        "'-x",
        "'@SUM",
        "Budi",
        5,
    ]

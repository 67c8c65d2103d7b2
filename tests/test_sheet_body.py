"""The one-pass table body against xlsxwriter's own typed writes, read back by other readers."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from innova_reports.xlsx.sheet_body import (
    MAX_TEXT,
    BodyError,
    BodyWorkbook,
    ColumnStyle,
    utf16_length,
    utf16_prefix,
)
from tests.factories import libreoffice_resave

FIRST = 4  # as in the master: two title rows, a blank row, the header on row 3


def _formats(book: xlsxwriter.Workbook) -> dict:
    return {
        "number": book.add_format({"num_format": "0%", "valign": "top"}),
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "column": book.add_format({"valign": "top"}),
        "bold": book.add_format({"bold": True}),
    }


def _style(formats: dict, c: int) -> ColumnStyle:
    """Column 0 takes every explicit format, the others fall back on the column's."""
    if c:
        return ColumnStyle(date=formats["date"], datetime=formats["datetime"])
    return ColumnStyle(formats["number"], formats["text"], formats["date"], formats["datetime"])


def _reference_write(sheet, formats: dict, row: int, col: int, value) -> None:
    """xlsxwriter's typed writes, one cell at a time, as the master wrote every cell
    before: the reference for the values both write alike (empty text and infinite
    numbers, which xlsxwriter writes as an empty string and a formula, are tested apart)."""
    style = _style(formats, col)
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, "Oui" if value else "Non", style.text)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, style.number)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, style.datetime)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time(0)), style.date)
    else:
        sheet.write_string(row, col, str(value), style.text)


def _write_both(tmp_path: Path, columns: list[list], reference: bool = True) -> tuple[Path, Path]:
    paths = tmp_path / "corps.xlsx", tmp_path / "reference.xlsx"
    for path, fast in zip(paths[: 1 + reference], (True, False), strict=False):
        book = BodyWorkbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False})  # fmt: skip
        formats = _formats(book)
        sheet = book.add_worksheet("Données")
        sheet.write_string(0, 0, "Titre")
        for c in range(len(columns)):
            sheet.set_column(c, c, 12, formats["column"])
        if fast:
            styles = [_style(formats, c) for c in range(len(columns))]
            sheet.write_body(FIRST, columns, styles)
        else:
            for c, values in enumerate(columns):
                for offset, value in enumerate(values):
                    _reference_write(sheet, formats, FIRST + offset, c, value)
        book.close()
    return paths


def _cells(path: Path) -> list[tuple]:
    """Every cell: value as calamine reads it (openpyxl leaves ``_xHHHH_`` escapes
    undecoded, Excel, LibreOffice and calamine decode them), type and format as openpyxl
    reads them."""
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Données").to_python()
    sheet = openpyxl.load_workbook(path)["Données"]
    return [
        (cell.coordinate, values[cell.row - 1][cell.column - 1], cell.data_type,
         cell.number_format, bool(cell.alignment.wrap_text), cell.alignment.vertical)
        for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]  # fmt: skip


# Text as groups type it, minus the one shape xlsxwriter's reference path cannot write.
_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).filter(
    lambda t: not (t.startswith("<r>") and t.endswith("</r>"))
)
_values = st.one_of(
    st.none(), _texts, st.booleans(), st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.dates(dt.date(1901, 1, 1), dt.date(2100, 12, 31)),
    st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2100, 12, 31)),
    st.sampled_from(["=1+1", "@SUM(A1)", "file:///etc/passwd", "a & b < c > d", " espace ",
                     "_x0041_", "ligne\nsuivante", "tab\there", "\x01\x1f", "😀" * 3, "'", '"']),
)  # fmt: skip


# One kind per column (with gaps) takes the fast paths; mixed columns the general one.
_kinds = [_texts, st.booleans(), st.integers(-(10**12), 10**12),
          st.floats(allow_nan=False, allow_infinity=False, width=64),
          st.dates(dt.date(1901, 1, 1), dt.date(2100, 12, 31)), _values]  # fmt: skip


def _columns(width: int, height: int):
    column = st.sampled_from(_kinds).flatmap(
        lambda kind: st.lists(st.one_of(st.none(), kind), min_size=height, max_size=height)
    )
    return st.lists(column, min_size=width, max_size=width)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 4).flatmap(lambda width: st.integers(1, 30).flatmap(
    lambda height: _columns(width, height))))  # fmt: skip
def test_body_reads_back_as_xlsxwriter_typed_writes(tmp_path_factory, columns):
    fast, reference = _write_both(tmp_path_factory.mktemp("corps"), columns)
    assert _cells(fast) == _cells(reference)


def test_every_kind_of_value_keeps_its_type_and_format(tmp_path):
    columns = [[1, 0.25, "texte", True, dt.date(2018, 5, 1), dt.datetime(2018, 5, 1, 14, 30),
                None, "", math.inf]]  # fmt: skip
    fast, _ = _write_both(tmp_path, columns, reference=False)
    sheet = openpyxl.load_workbook(fast)["Données"]
    cells = [sheet.cell(FIRST + 1 + offset, 1) for offset in range(len(columns[0]))]
    assert [c.value for c in cells[:6]] == [1, 0.25, "texte", "Oui", dt.datetime(2018, 5, 1),
                                            dt.datetime(2018, 5, 1, 14, 30)]  # fmt: skip
    assert [c.number_format for c in cells[:6]] == [
        "0%", "0%", "General", "General", "dd/mm/yyyy", "dd/mm/yyyy hh:mm"]  # fmt: skip
    assert cells[2].alignment.wrap_text and cells[2].data_type == "s"
    assert cells[6].value is None and cells[7].value is None
    assert cells[8].data_type == "e" and cells[8].value == "#NUM!"  # never a formula
    with zipfile.ZipFile(fast) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", [
    "<r>bonjour</r>", "<r><t>x</t></r>", "</c></row><row r='1'>", "<![CDATA[x]]>",
    "&amp; déjà échappé", "_x0000_ littéral", "\x00nul", "fin\r\nde ligne",
])  # fmt: skip
def test_text_that_looks_like_xml_stays_the_text_typed(tmp_path, text):
    fast, _ = _write_both(tmp_path, [[text, "suivant"]], reference=False)
    rows = CalamineWorkbook.from_path(str(fast)).get_sheet_by_name("Données").to_python()
    assert rows[FIRST][0] == text and rows[FIRST + 1][0] == "suivant"
    assert openpyxl.load_workbook(fast)["Données"].cell(FIRST + 2, 1).value == "suivant"


def test_xlsxwriter_shared_strings_would_corrupt_rich_text_shapes(tmp_path):
    """Why bodies write inline strings: the shared-string path emits ``<r>…</r>`` raw."""
    path = tmp_path / "brut.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write_string(0, 0, "<r>bonjour <b>x</r>")
    book.close()
    with pytest.raises(Exception):  # noqa: B017  (the XML parser's own error)
        openpyxl.load_workbook(path)


def test_rows_above_between_and_below_bodies_keep_their_place(tmp_path):
    path = tmp_path / "blocs.xlsx"
    book = BodyWorkbook(str(path))
    sheet = book.add_worksheet("Données")
    sheet.write_string(0, 0, "Titre")
    sheet.write_body(2, [["a1", "a2"], [1, 2]], [ColumnStyle(), ColumnStyle()])
    sheet.write_string(5, 0, "Entre deux")
    sheet.set_row(6, 30)
    sheet.write_body(7, [["b1"]], [ColumnStyle()])
    sheet.write_string(10, 3, "Note")
    book.close()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Données").to_python()
    assert rows[0][0] == "Titre" and rows[2][:2] == ["a1", 1] and rows[3][:2] == ["a2", 2]
    assert rows[5][0] == "Entre deux" and rows[7][0] == "b1" and rows[10][3] == "Note"
    sheet = openpyxl.load_workbook(path)["Données"]
    assert sheet.row_dimensions[7].height == 30 and sheet.max_row == 11


def test_a_cell_written_into_a_body_is_refused(tmp_path):
    book = BodyWorkbook(str(tmp_path / "chevauche.xlsx"))
    sheet = book.add_worksheet()
    sheet.write_body(2, [["a", "b", "c"]], [ColumnStyle()])
    with pytest.raises(BodyError):
        sheet.write_body(4, [["d"]], [ColumnStyle()])
    sheet.write_string(3, 0, "au milieu")
    with pytest.raises(BodyError):
        book.close()


def test_heights_and_row_formats_apply_to_their_rows(tmp_path):
    path = tmp_path / "lignes.xlsx"
    book = BodyWorkbook(str(path))
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Données")
    sheet.write_body(FIRST, [["a", "b", "total"], [1, 2, 3]], [ColumnStyle(), ColumnStyle()],
                     heights={FIRST: 45}, row_formats={FIRST + 2: bold})  # fmt: skip
    book.close()
    sheet = openpyxl.load_workbook(path)["Données"]
    assert sheet.row_dimensions[FIRST + 1].height == 45
    assert not sheet.cell(FIRST + 1, 1).font.bold
    assert sheet.cell(FIRST + 3, 1).font.bold and sheet.cell(FIRST + 3, 2).font.bold


def test_a_table_over_a_long_body_is_declared_without_a_record_per_cell(tmp_path):
    path = tmp_path / "table.xlsx"
    book = BodyWorkbook(str(path))
    sheet = book.add_worksheet("Données")
    height = 20_000
    sheet.write_body(FIRST, [list(range(height)), ["x"] * height], [ColumnStyle(), ColumnStyle()])
    assert sheet.add_table(FIRST - 1, 0, FIRST + height - 1, 1, {
        "name": "essai", "columns": [{"header": "Nombre"}, {"header": "Texte"}]}) == 0  # fmt: skip
    assert len(sheet.table_cells) <= 2 * 2
    book.close()
    table = openpyxl.load_workbook(path)["Données"].tables["essai"]
    assert table.ref == f"A{FIRST}:B{FIRST + height}"
    assert table.autoFilter.ref == table.ref


def test_text_over_the_cell_limit_is_cut_in_utf16_units(tmp_path):
    cut_at = []

    def shorten(row: int, col: int, text: str) -> str:
        cut_at.append((row, col))
        return utf16_prefix(text, MAX_TEXT - 3) + "[…]"

    emoji = "😀" * 20_000  # 40,000 UTF-16 units, 20,000 Python characters
    path = tmp_path / "long.xlsx"
    book = BodyWorkbook(str(path))
    sheet = book.add_worksheet("Données")
    sheet.write_body(FIRST, [["court", emoji, "x" * 40_000]], [ColumnStyle()], long_text=shorten)
    book.close()
    assert cut_at == [(FIRST + 1, 0), (FIRST + 2, 0)]
    values = [
        openpyxl.load_workbook(path)["Données"].cell(FIRST + 1 + i, 1).value for i in range(3)
    ]
    assert values[0] == "court"
    assert all(utf16_length(v) <= MAX_TEXT and v.endswith("[…]") for v in values[1:])
    assert not values[1].endswith("\ufffd[…]")  # an emoji is never cut in half


@pytest.mark.libreoffice
def test_libreoffice_reads_and_resaves_a_body(tmp_path):
    columns = [["texte", "<r>x</r>", "a & b", None], [1, 2.5, None, 4],
               [dt.date(2018, 5, 1), None, dt.date(2018, 6, 1), None]]  # fmt: skip
    fast, _ = _write_both(tmp_path, columns, reference=False)
    resaved = libreoffice_resave(fast, tmp_path / "lo")
    sheet = openpyxl.load_workbook(resaved)["Données"]
    found = [[sheet.cell(FIRST + 1 + r, 1 + c).value for r in range(4)] for c in range(3)]
    assert found[0] == columns[0] and found[1] == [1, 2.5, None, 4]
    assert found[2] == [dt.datetime(2018, 5, 1), None, dt.datetime(2018, 6, 1), None]


def test_a_lone_surrogate_is_written_as_a_replacement_character(tmp_path):
    """Python holds undecodable bytes of a file name as lone surrogates: no UTF-8 file
    can carry them, so a body shows U+FFFD instead of failing at close()."""
    path = tmp_path / "substitut.xlsx"
    book = BodyWorkbook(str(path))
    sheet = book.add_worksheet("Données")
    sheet.write_body(FIRST, [["fiche_\udcff.xlsx", "<r>\udce9</r>", "ok"]], [ColumnStyle()])
    book.close()
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Données")
    rows = sheet.to_python(skip_empty_area=False)
    assert [rows[FIRST + i][0] for i in range(3)] == ["fiche_\ufffd.xlsx", "<r>\ufffd</r>", "ok"]


def test_shared_strings_count_every_reference_and_only_those(tmp_path):
    """sharedStrings.xml says how many cells refer to it: repeated texts count each
    time, texts written inline (the <r>…</r> shape) never."""
    import re

    path = tmp_path / "compte.xlsx"
    book = BodyWorkbook(str(path))
    sheet = book.add_worksheet("Données")
    sheet.write_string(0, 0, "Titre")
    sheet.write_body(FIRST, [["a", "b", "a", "<r>x</r>", "<r>x</r>", "a", None]], [ColumnStyle()])
    book.close()
    with zipfile.ZipFile(path) as archive:
        head = archive.read("xl/sharedStrings.xml").decode()[:300]
    count, unique = map(int, re.search(r'count="(\d+)" uniqueCount="(\d+)"', head).groups())
    assert (count, unique) == (5, 3)  # Titre, a ×3, b


def test_a_body_beyond_the_last_row_of_a_sheet_is_refused(tmp_path):
    book = BodyWorkbook(str(tmp_path / "trop.xlsx"))
    sheet = book.add_worksheet()
    with pytest.raises(BodyError):
        sheet.write_body(1_048_570, [list(range(10))], [ColumnStyle()])
    with pytest.raises(BodyError):
        sheet.write_body(0, [[1, 2], [1]], [ColumnStyle(), ColumnStyle()])  # uneven columns
    assert (
        sheet.add_table(0, 0, 1_048_576, 1, {"columns": [{"header": "a"}, {"header": "b"}]}) == -1
    )
    book.close()

"""The templates: names, tables, dropdowns, identity, read-back and LibreOffice re-save."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import MultiCellRange

from innova_reports import fields as fd
from innova_reports.template.writer import (
    GUIDE_SHEET,
    KIND_NAME,
    ROWS_BELOW_TABLE,
    TABLE_HEADER_ROW,
    VERSION_NAME,
    list_name,
    write_all_templates,
    write_template,
)
from tests.factories import libreoffice_resave_many, make_workbook

KINDS = list(fd.KINDS)


@pytest.fixture(scope="module")
def blank(settings, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("blank")
    return {kind: write_template(kind, settings, folder / f"{kind}.xlsx") for kind in KINDS}


def _cell_of(wb, name):
    ((sheet, coordinate),) = wb.defined_names[name].destinations
    return wb[sheet][coordinate.replace("$", "")]


def _validations(ws):
    return list(ws.data_validations.dataValidation)


def _covering(ws, coordinate):
    return [dv for dv in _validations(ws) if coordinate in MultiCellRange(str(dv.sqref))]


def check_structure(path: Path, kind: str, settings) -> None:
    """Everything the reader relies on; shared by the openpyxl and LibreOffice tests."""
    spec = fd.template_spec(kind, settings)
    wb = openpyxl.load_workbook(path)
    for field in spec.fields:
        cell = _cell_of(wb, field.id)
        assert cell.parent.title == spec.main_sheet, field.id
        if field.choices:
            (dv,) = [dv for dv in _covering(cell.parent, cell.coordinate) if dv.type == "list"]
            assert dv.formula1.lstrip("=") == list_name(field)
            values = [c.value for c in _cell_range(wb, list_name(field))]
            assert [str(v) for v in values] == [str(c) for c in field.choices]
    for table in spec.tables:
        ws = wb[table.sheet]
        assert table.name in ws.tables, table.name
        ref = ws.tables[table.name].ref
        assert ref.startswith(f"A{TABLE_HEADER_ROW}:")
        headers = [c.value for c in ws[TABLE_HEADER_ROW][: len(table.columns)]]
        assert headers == [field.label for field in table.columns]
        last = int(ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        for index, field in enumerate(table.columns, start=1):
            if not field.choices:
                continue
            letter = openpyxl.utils.get_column_letter(index)
            for row in (TABLE_HEADER_ROW + 1, last, last + ROWS_BELOW_TABLE):
                kinds = [dv.type for dv in _covering(ws, f"{letter}{row}")]
                assert kinds == ["list"], (table.name, field.id, row)
        check_typed_rows(ws, table, last)
    assert wb.defined_names[KIND_NAME].attr_text == f'"{kind}"'
    version = fd.template_spec(kind, settings).version
    assert version.startswith(f"{fd.TEMPLATE_VERSION}+")
    assert wb.defined_names[VERSION_NAME].attr_text == f'"{version}"'
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props[KIND_NAME] == kind and props[VERSION_NAME] == version


FORMATS = {fd.FieldType.DATE: "dd/mm/yyyy", fd.FieldType.PERCENT: "0 %",
           fd.FieldType.MONEY: '#,##0 "€"', fd.FieldType.DECIMAL: "#,##0.##"}  # fmt: skip


def _effective(ws, row, column):
    """What a cell typed at (row, column) gets: its own style if it exists, else its column's.

    The template styles whole columns rather than writing empty cells; LibreOffice even
    drops empty cells whose style equals their column's, so both must be looked at.
    """
    cell = ws._cells.get((row, column))
    if cell is not None:
        return cell
    covering = [d for d in ws.column_dimensions.values() if d.min and d.min <= column <= d.max]
    assert len(covering) == 1, (ws.title, row, column)
    return covering[0]


def _same_format(found, expected):
    """LibreOffice rewrites formats equivalently (``0\\ %``, ``#,##0" €"``)."""

    def bare(code):
        return code.replace("\\", "").replace('"', "").replace(" ", "")

    return bare(found) == bare(expected)


def check_typed_rows(ws, table, last):
    """Rows of a table and rows typed far below it: unlocked, typed format; above: locked."""
    for index, field in enumerate(table.columns, start=1):
        for row in (TABLE_HEADER_ROW + 1, last, last + 1, last + ROWS_BELOW_TABLE, 5000):
            target = _effective(ws, row, index)
            assert target.protection.locked is False, (table.name, field.id, row)
            expected = FORMATS.get(field.type, "General")
            assert _same_format(target.number_format, expected), (field.id, row)
            if field.type is fd.FieldType.LONG_TEXT:
                assert target.alignment.wrap_text, (field.id, row)
        for row in range(1, TABLE_HEADER_ROW + 1):
            assert _effective(ws, row, index).protection.locked, (table.name, row, index)


def _cell_range(wb, name):
    ((sheet, ref),) = wb.defined_names[name].destinations
    return [row[0] for row in wb[sheet][ref.replace("$", "")]]


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_table_column_and_dropdown_is_in_the_template(blank, kind, settings):
    check_structure(blank[kind], kind, settings)


def test_indicator_table_has_one_column_per_follow_up_month(blank, settings):
    wb = openpyxl.load_workbook(blank[fd.ACTION])
    ws = wb["Indicateurs"]
    headers = [c.value for c in ws[TABLE_HEADER_ROW] if c.value]
    months = headers[headers.index("Échéance") + 1 :]
    assert months == [fd.month_label(m) for m in settings.months]
    assert len(months) == 12 and months[0] == "janvier 2018"


@pytest.mark.parametrize("kind", KINDS)
def test_typed_validations_and_formats(blank, kind, settings):
    spec = fd.template_spec(kind, settings)
    wb = openpyxl.load_workbook(blank[kind])
    expected = {fd.FieldType.DATE: "date", fd.FieldType.PERCENT: "decimal",
                fd.FieldType.MONEY: "decimal", fd.FieldType.DECIMAL: "decimal"}  # fmt: skip
    for field in spec.fields:
        cell = _cell_of(wb, field.id)
        dvs = _covering(cell.parent, cell.coordinate)
        if field.choices:
            assert dvs[0].errorStyle == "stop" and dvs[0].error.startswith("Choisissez")
        elif field.type in expected:
            assert [dv.type for dv in dvs] == [expected[field.type]]
            assert dvs[0].errorStyle == "warning" and dvs[0].prompt == field.help
        if field.type is fd.FieldType.DATE:
            assert cell.number_format == "dd/mm/yyyy"
        assert cell.protection.locked is False, field.id


def test_percent_column_is_bounded_and_formatted(blank):
    ws = openpyxl.load_workbook(blank[fd.ACTION])["Tâches"]
    (dv,) = _covering(ws, "F5")
    assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0", "1")
    assert ws["F5"].number_format == "0 %"


@pytest.mark.parametrize("kind", KINDS)
def test_labels_locked_sheet_protected_guide_present_and_data_sheet_active(blank, kind, settings):
    spec = fd.template_spec(kind, settings)
    wb = openpyxl.load_workbook(blank[kind])
    main = wb[spec.main_sheet]
    assert main.protection.sheet and main["A5"].protection.locked
    assert main.protection.insertRows is False and main.protection.formatColumns is False
    assert wb.active.title == spec.main_sheet
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [spec.main_sheet]
    assert wb["Listes"].sheet_state == "hidden"
    guide = "\n".join(str(c.value) for row in wb[GUIDE_SHEET].iter_rows() for c in row if c.value)
    for value in ("JJ/MM/AAAA", "courriel", "innova@example.org", "A<axe>.1"):
        assert value in guide
    if kind == fd.ACTION:
        for status in fd.ACTION_STATUSES + fd.TASK_STATUSES + fd.WEATHERS:
            assert status in guide


@pytest.mark.parametrize("kind", KINDS)
def test_templates_are_light_no_empty_cells_below_the_tables(blank, kind):
    """Reading cost grows with the cells written: rows below a table are styled by column."""
    with zipfile.ZipFile(blank[kind]) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = archive.read(name)
                assert xml.count(b"<c ") < 400 and len(xml) < 40_000, (name, len(xml))


def test_print_setup_is_a4_fit_to_width_with_header_rows(blank):
    ws = openpyxl.load_workbook(blank[fd.ACTION])["Tâches"]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${TABLE_HEADER_ROW}:${TABLE_HEADER_ROW}"
    assert "&P / &N" in ws.oddFooter.right.text


ACTION_FIELDS = {
    "code_action": "A3.2", "axe": 3, "titre": "Projet d'administration",
    "date_maj": dt.datetime(2018, 5, 3), "statut": "En cours", "meteo": "Orange",
    "budget_eur": 1500, "contexte": "Ligne 1\nLigne 2", "service_pilote": "Communication",
}  # fmt: skip
TASKS = [{"tache": f"Tâche {n}", "debut": dt.datetime(2018, 1, n), "avancement": 0.5,
          "statut": "Fait"} for n in range(1, 15)]  # fmt: skip


def test_filled_template_reads_back_the_same_values(tmp_path, settings):
    path = make_workbook(tmp_path / "a.xlsx", fd.ACTION, settings, fields=ACTION_FIELDS,
                         tables={"t_taches": TASKS})  # fmt: skip
    wb = openpyxl.load_workbook(path)
    assert {name: _cell_of(wb, name).value for name in ACTION_FIELDS} == ACTION_FIELDS
    ws = wb["Tâches"]
    assert ws.tables["t_taches"].ref == f"A4:G{4 + len(TASKS)}"  # grew beyond 12 rows
    read = [{"tache": r[0], "debut": r[2], "avancement": r[5], "statut": r[4]}
            for r in ws.iter_rows(min_row=5, max_row=4 + len(TASKS), values_only=True)]  # fmt: skip
    assert read == TASKS


def test_unknown_prefill_id_is_refused(tmp_path, settings):
    with pytest.raises(KeyError):
        make_workbook(tmp_path / "x.xlsx", fd.ACTION, settings, fields={"pas_un_champ": 1})


def test_regenerating_templates_gives_identical_bytes(tmp_path, settings):
    first = write_all_templates(settings, tmp_path / "one")
    second = write_all_templates(settings, tmp_path / "two")
    assert len(first) == 2 + 2 * len(settings.axes)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_committed_templates_are_up_to_date(tmp_path, settings):
    root = Path(__file__).resolve().parents[1] / "templates"
    for path in write_all_templates(settings, tmp_path):
        committed = root / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"régénérez {committed}"


def test_axis_copies_are_prefilled(tmp_path, settings):
    write_all_templates(settings, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "axe-4" / "feuille_de_route_axe-4.xlsx")
    assert _cell_of(wb, "axe").value == 4
    assert _cell_of(wb, "groupe").value == "Groupe projet Organisation"
    codes = [r[0] for r in wb["Actions"].iter_rows(min_row=5, max_row=7, values_only=True)]
    assert codes == ["A4.1", "A4.2", "A4.3"]
    wb = openpyxl.load_workbook(tmp_path / "axe-4" / "fiche_action_axe-4.xlsx")
    assert (_cell_of(wb, "axe").value, _cell_of(wb, "code_action").value) == (4, "A4.1")


@pytest.mark.libreoffice
def test_libreoffice_resave_keeps_names_tables_dropdowns_and_identity(tmp_path, settings):
    filled = make_workbook(tmp_path / "in" / "fiche.xlsx", fd.ACTION, settings,
                           fields=ACTION_FIELDS, tables={"t_taches": TASKS[:3]})  # fmt: skip
    roadmap = write_template(fd.ROADMAP, settings, tmp_path / "in" / "route.xlsx")
    action_out, roadmap_out = libreoffice_resave_many([filled, roadmap], tmp_path / "out")
    check_structure(action_out, fd.ACTION, settings)
    check_structure(roadmap_out, fd.ROADMAP, settings)
    wb = openpyxl.load_workbook(action_out)
    assert {name: _cell_of(wb, name).value for name in ACTION_FIELDS} == ACTION_FIELDS
    assert wb["Listes"].sheet_state == "hidden"

"""The reader finds everything by name and tolerates what people do to a template."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import TableColumn

from innova_reports.fields import ACTION, ROADMAP, template_spec
from innova_reports.model import ReadStatus
from innova_reports.read.files import discover
from innova_reports.read.workbook import read_workbook
from innova_reports.read.xlsx import parse_ref
from tests import hostile
from tests.factories import libreoffice_resave, make_workbook

FIELDS = {
    "code_action": "A3.2",
    "axe": 3,
    "titre": "Dématérialisation des procédures",
    "date_maj": dt.date(2018, 3, 15),
    "statut": "En cours",
    "meteo": "Vert",
    "budget_eur": 12500,
    "chef_projet": "Sandrine Lavergne",
}
TASKS = [
    {
        "tache": "Recenser les procédures",
        "debut": dt.date(2018, 3, 1),
        "statut": "Fait",
        "avancement": 1,
    },
    {"tache": "Choisir l'outil", "responsable": "DSI", "statut": "En cours", "avancement": 0.5},
]
INDICATORS = [
    {"indicateur": "Procédures en ligne", "sens": "Hausse", "cible": 20, "mois_2018_03": 4}
]


@pytest.fixture(scope="module")
def filled(tmp_path_factory, settings) -> Path:
    folder = tmp_path_factory.mktemp("fiche")
    return make_workbook(
        folder / "A3.2.xlsx", ACTION, settings, fields=FIELDS,
        tables={"t_taches": TASKS, "t_indicateurs": INDICATORS},
    )  # fmt: skip


def read(path: Path, settings):
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.READ, outcome.reason
    return outcome.data


def edited(source: Path, target: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """The workbook after a change made as a user's spreadsheet software would make it."""
    workbook = openpyxl.load_workbook(source)
    edit(workbook)
    workbook.save(target)
    return target


def shift_names(workbook: openpyxl.Workbook, sheet: str, rows: int = 0, cols: int = 0) -> None:
    for name in workbook.defined_names.values():
        parsed = parse_ref(name.attr_text)
        if parsed is None or parsed[0] != sheet:
            continue
        letters = parsed[1].rstrip("0123456789")
        column = openpyxl.utils.column_index_from_string(letters) + cols
        row = int(parsed[1][len(letters) :]) + rows
        name.attr_text = f"'{sheet}'!${openpyxl.utils.get_column_letter(column)}${row}"


# -- reading by name ----------------------------------------------------------------------


def test_fields_are_read_by_defined_name_with_their_cell(filled, settings):
    data = read(filled, settings)
    assert data.kind == ACTION and data.version == template_spec(ACTION, settings).version
    assert data.value("code_action") == "A3.2"
    assert data.value("date_maj") == dt.date(2018, 3, 15)
    assert data.value("budget_eur") == 12500
    assert data.value("contexte") is None
    assert (data.fields["titre"].sheet, data.fields["titre"].cell) == ("Fiche action", "B7")
    assert list(data.fields) == [f.id for f in template_spec(ACTION, settings).fields]
    assert data.issues == []


def test_tables_are_indexed_by_excel_row(filled, settings):
    data = read(filled, settings)
    tasks = data.tables["t_taches"]
    assert tasks.index.name == "row" and list(tasks.index) == [5, 6]
    assert list(tasks.columns) == [
        c.id for c in template_spec(ACTION, settings).table("t_taches").columns
    ]
    assert tasks.loc[6, "responsable"] == "DSI"
    assert tasks.loc[5, "responsable"] is None  # empty stays None, never NaN
    assert all(dtype.kind == "O" for dtype in tasks.dtypes)
    assert tasks.loc[5, "debut"] == dt.date(2018, 3, 1)
    assert data.table_sheets["t_taches"] == "Tâches"
    assert data.cell_of("t_taches", "avancement", 6) == "F6"
    indicators = data.tables["t_indicateurs"]
    assert indicators.loc[5, "mois_2018_03"] == 4
    assert data.cell_of("t_indicateurs", "mois_2018_03", 5) == "I5"


def test_roadmap_tables_are_all_read(tmp_path, settings):
    path = make_workbook(
        tmp_path / "axe3.xlsx", ROADMAP, settings, fields={"axe": 3, "groupe": "Process"},
        tables={"t_actions": [{"code": "A3.1", "intitule": "Dématérialisation"}],
                "t_moyens": [{"nature": "Financiers", "montant_eur": "12 500 €"}]},
    )  # fmt: skip
    data = read(path, settings)
    assert data.kind == ROADMAP
    assert set(data.tables) == {t.name for t in template_spec(ROADMAP, settings).tables}
    assert data.tables["t_moyens"].iloc[0]["montant_eur"] == "12 500 €"
    assert data.tables["t_acteurs"].empty and list(data.tables["t_acteurs"].columns)


def test_empty_rows_inside_a_table_are_dropped(tmp_path, settings):
    rows = [TASKS[0], {}, {}, TASKS[1]]
    path = make_workbook(tmp_path / "trous.xlsx", ACTION, settings, tables={"t_taches": rows})
    assert list(read(path, settings).tables["t_taches"].index) == [5, 8]


def test_rows_typed_just_below_the_table_are_read(tmp_path, filled, settings):
    def type_below(workbook):
        sheet = workbook["Tâches"]
        last = int(sheet.tables["t_taches"].ref.split(":")[1][1:])
        sheet[f"A{last + 1}"] = "Former les agents"
        sheet[f"E{last + 2}"] = "À faire"
        sheet[f"A{last + 4}"] = "Après une ligne vide : lue, et signalée"
        sheet[f"A{last + 8}"] = "Après trois lignes vides : signalée, pas lue"

    path = edited(filled, tmp_path / "dessous.xlsx", type_below)
    data = read(path, settings)
    tasks = data.tables["t_taches"]
    assert list(tasks.index) == [5, 6, 17, 18, 20]
    assert tasks.loc[17, "tache"] == "Former les agents" and tasks.loc[18, "statut"] == "À faire"
    assert [i.flat()[1:] for i in data.issues] == [
        ("Tâches", "A20", "lignes-sous-tableau", "avertissement"),
        ("Tâches", "A24", "valeurs-hors-tableau", "avertissement"),
    ]
    assert data.issues[0].message.startswith("La ligne 20 de la feuille « Tâches »")
    assert "a été lue comme une ligne" in data.issues[0].message
    assert "A24" in data.issues[1].message and "pas été reprise" in data.issues[1].message


def test_inserted_rows_and_moved_block(tmp_path, filled, settings):
    def insert_rows(workbook):
        workbook["Fiche action"].move_range("A5:B30", rows=3)
        shift_names(workbook, "Fiche action", rows=3)

    data = read(edited(filled, tmp_path / "insere.xlsx", insert_rows), settings)
    assert data.value("titre") == FIELDS["titre"]
    assert data.fields["titre"].cell == "B10"
    assert data.value("budget_eur") == 12500


def test_moved_table_and_swapped_columns(tmp_path, filled, settings):
    def move(workbook):
        sheet = workbook["Tâches"]
        sheet.move_range("A4:G16", rows=2, cols=2)
        table = sheet.tables["t_taches"]
        table.ref = table.autoFilter.ref = "C6:I18"
        # swap Début and Fin (headers and values), as a user dragging columns does
        for row in range(6, 19):
            sheet[f"E{row}"].value, sheet[f"F{row}"].value = (
                sheet[f"F{row}"].value,
                sheet[f"E{row}"].value,
            )
        columns = table.tableColumns
        columns[2].name, columns[3].name = columns[3].name, columns[2].name

    data = read(edited(filled, tmp_path / "deplace.xlsx", move), settings)
    tasks = data.tables["t_taches"]
    assert list(tasks.index) == [7, 8]
    assert tasks.loc[7, "debut"] == dt.date(2018, 3, 1)
    assert data.cell_of("t_taches", "debut", 7) == "F7"
    assert data.cell_of("t_taches", "tache", 8) == "C8"


def test_kind_found_in_custom_properties_when_names_are_gone(tmp_path, filled, settings):
    def drop_names(xml: bytes) -> bytes:
        return re.sub(rb'<definedName name="innova_(modele|version)">[^<]*</definedName>', b"", xml)

    path = hostile.rewrite_zip(filled, tmp_path / "sans-noms.xlsx", {"xl/workbook.xml": drop_names})
    assert read(path, settings).kind == ACTION


def test_discover_lists_every_file_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/z.xlsx", "a.xlsx", "~$a.xlsx", "b/notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "dehors.xlsx").symlink_to("/etc/hostname")
    (tmp_path / "dedans.xlsx").symlink_to(tmp_path / "a.xlsx")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)]
    assert found == ["a.xlsx", "b/notes.txt", "b/z.xlsx", "dedans.xlsx", "~$a.xlsx"]


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("'Fiche action'!$B$5", ("Fiche action", "B5")),
        ("Indicateurs!$C$7", ("Indicateurs", "C7")),
        ("'L''été à Brive'!$AB$12:$AB$12", ("L'été à Brive", "AB12")),
        ("#REF!", None),
        ('"fiche_action"', None),
    ],
)
def test_parse_ref(formula, expected):
    assert parse_ref(formula) == expected


# -- one test per read issue ----------------------------------------------------------------


def _error_cell(cell: str, code: str) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        pattern = rb'<c r="' + cell.encode() + rb'"([^>]*?)(/>|>.*?</c>)'
        replacement = f'<c r="{cell}" t="e"><v>{code}</v></c>'.encode()
        new, count = re.subn(pattern, replacement, xml, count=1, flags=re.S)
        assert count == 1
        return new

    return edit


def _rename_header(old: str, new: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(workbook):
        table = workbook["Tâches"].tables["t_taches"]
        for column in table.tableColumns:
            if column.name == old:
                column.name = new
        for cell in workbook["Tâches"][4]:
            if cell.value == old:
                cell.value = new

    return edit


def _extra_column(workbook):
    sheet = workbook["Tâches"]
    table = sheet.tables["t_taches"]
    table.ref = table.autoFilter.ref = "A4:H16"
    table.tableColumns.append(TableColumn(id=8, name="Remarques"))
    sheet["H4"] = "Remarques"


def _drop_table_and_headers(workbook):
    sheet = workbook["Indicateurs"]
    del sheet.tables["t_indicateurs"]
    for cell in sheet[4]:
        cell.value = None


def _drop_name(workbook):
    del workbook.defined_names["titre"]


ISSUE_CASES = {
    "valeur-erreur-excel": (
        lambda src, dst: hostile.with_sheet_xml(src, dst, "Tâches", _error_cell("F6", "#DIV/0!")),
        [("Tâches", "F6", "valeur-erreur-excel", "erreur")],
    ),
    "valeur-erreur-excel-champ": (
        lambda src, dst: hostile.with_sheet_xml(src, dst, "Fiche action", _error_cell("B25", "#N/A")),
        [("Fiche action", "B25", "valeur-erreur-excel", "erreur")],
    ),
    "colonne-facultative-manquante": (
        lambda src, dst: edited(src, dst, _rename_header("Avancement", "Progression")),
        [("Tâches", "F4", "colonne-inconnue-remplie", "avertissement"),
         ("Tâches", "A4", "colonne-facultative-manquante", "avertissement")],
    ),
    "colonne-manquante": (
        lambda src, dst: edited(src, dst, _rename_header("Tâche", "Quoi")),
        [("Tâches", "A4", "colonne-inconnue-remplie", "avertissement"),
         ("Tâches", "A4", "colonne-manquante", "erreur")],
    ),
    "colonne-renommee": (
        lambda src, dst: edited(src, dst, _rename_header("Avancement", "Avancement (%)")),
        [("Tâches", "F4", "colonne-renommee", "avertissement")],
    ),
    "colonne-inconnue": (
        lambda src, dst: edited(src, dst, _extra_column),
        [("Tâches", "H4", "colonne-inconnue", "info")],
    ),
    "champ-introuvable": (
        lambda src, dst: edited(src, dst, _drop_name),
        [("", "", "champ-introuvable", "erreur")],
    ),
    "tableau-renomme": (  # found by its headers: not lost
        lambda src, dst: hostile.rewrite_zip(src, dst, {
            "xl/tables/table2.xml": lambda x: x.replace(b'"t_indicateurs"', b'"Tableau2"')}),
        [("Indicateurs", "A4", "tableau-en-plage", "avertissement")],
    ),
    "tableau-introuvable": (  # no table and no headers left: lost, and said
        lambda src, dst: edited(src, dst, _drop_table_and_headers),
        [("Indicateurs", "", "tableau-introuvable", "erreur")],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", ISSUE_CASES)
def test_read_issue(case, tmp_path, filled, settings):
    build, expected = ISSUE_CASES[case]
    path = build(filled, tmp_path / f"{case}.xlsx")
    data = read(path, settings)
    assert [issue.flat() for issue in data.issues] == [(path.name, *e) for e in expected]
    assert all(issue.message for issue in data.issues)


def test_excel_error_value_becomes_none(tmp_path, filled, settings):
    path = ISSUE_CASES["valeur-erreur-excel"][0](filled, tmp_path / "err.xlsx")
    data = read(path, settings)
    assert data.tables["t_taches"].loc[6, "avancement"] is None
    assert "#DIV/0!" in data.issues[0].message


def test_formula_without_cached_value_is_a_warning(tmp_path, settings):
    path = make_workbook(
        tmp_path / "formule.xlsx", ACTION, settings, fields={**FIELDS, "budget_eur": "=1000*12"},
        tables={"t_taches": [{"tache": "Calcul", "avancement": "=1/2"}]},
    )  # fmt: skip
    data = read(path, settings)
    assert [issue.flat()[1:] for issue in data.issues] == [
        ("Fiche action", "B25", "formule-sans-valeur", "avertissement"),
        ("Tâches", "F5", "formule-sans-valeur", "avertissement"),
    ]
    assert data.value("budget_eur") is None


# -- LibreOffice --------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_resave_reads_back_identically(tmp_path, filled, settings):
    resaved = libreoffice_resave(filled, tmp_path / "lo")
    original, again = read(filled, settings), read(resaved, settings)
    assert {k: (c.value, c.sheet, c.cell) for k, c in again.fields.items()} == {
        k: (c.value, c.sheet, c.cell) for k, c in original.fields.items()
    }
    for name, frame in original.tables.items():
        assert again.tables[name].to_dict("index") == frame.to_dict("index"), name
    assert again.table_letters == original.table_letters
    assert again.issues == []


# -- a lost main sheet, merged input cells --------------------------------------------------


def _lose_main_sheet(how: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(workbook: openpyxl.Workbook) -> None:
        if how == "renamed":  # by a tool that leaves the defined names on the old title
            workbook["Fiche action"].title = "Ma fiche"
            return
        del workbook["Fiche action"]
        if how == "deleted in Excel":  # Excel turns the names into #REF!
            for name in workbook.defined_names.values():
                if "Fiche action" in name.attr_text:
                    name.attr_text = "#REF!"

    return edit


@pytest.mark.parametrize("how", ["renamed", "deleted", "deleted in Excel"])
def test_a_lost_main_sheet_is_one_clear_error(how, tmp_path, filled, settings):
    path = edited(filled, tmp_path / "sans_fiche.xlsx", _lose_main_sheet(how))
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.REFUSED
    assert [issue.flat() for issue in outcome.issues] == [
        (path.name, "", "", "feuille-introuvable", "erreur")
    ]
    assert outcome.issues[0].message.startswith(
        "La feuille « Fiche action » a été renommée ou supprimée : "
    )


def test_a_main_sheet_renamed_with_its_names_is_read(tmp_path, filled, settings):
    """Excel and LibreOffice update the names when a sheet is renamed: nothing is lost."""

    def rename(workbook: openpyxl.Workbook) -> None:
        workbook["Fiche action"].title = "Ma fiche"
        for name in workbook.defined_names.values():
            name.attr_text = name.attr_text.replace("'Fiche action'!", "'Ma fiche'!")

    data = read(edited(filled, tmp_path / "renommee.xlsx", rename), settings)
    assert data.issues == []
    assert data.fields["titre"].value == FIELDS["titre"]
    assert data.fields["titre"].sheet == "Ma fiche"


def test_an_input_cell_merged_under_another_is_a_warning(tmp_path, filled, settings):
    cell = read(filled, settings).fields["titre"].cell
    letters, row = cell.rstrip("0123456789"), cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    left = openpyxl.utils.get_column_letter(openpyxl.utils.column_index_from_string(letters) - 1)

    def merge(workbook: openpyxl.Workbook) -> None:
        workbook["Fiche action"].merge_cells(f"{left}{row}:{cell}")

    data = read(edited(filled, tmp_path / "fusion.xlsx", merge), settings)
    assert [issue.flat()[1:] for issue in data.issues] == [
        ("Fiche action", cell, "cellule-fusionnee", "avertissement")
    ]
    message = data.issues[0].message
    assert message.startswith(
        f"La cellule {cell} (« Titre de l'action ») a été fusionnée avec {left}{row} : "
    )
    assert "Annulez la fusion" in message


def test_a_merge_starting_at_the_input_cell_is_harmless(tmp_path, filled, settings):
    cell = read(filled, settings).fields["titre"].cell
    letters, row = cell.rstrip("0123456789"), cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    right = openpyxl.utils.get_column_letter(openpyxl.utils.column_index_from_string(letters) + 1)

    def merge(workbook: openpyxl.Workbook) -> None:
        workbook["Fiche action"].merge_cells(f"{cell}:{right}{row}")

    data = read(edited(filled, tmp_path / "fusion_large.xlsx", merge), settings)
    assert data.issues == []
    assert data.fields["titre"].value == FIELDS["titre"]

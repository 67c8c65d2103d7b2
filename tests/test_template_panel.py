"""The templates' status panel: what it says once LibreOffice has recalculated it, and
that it never says other than ``check`` on what it covers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from innova_reports.fields import ACTION, ROADMAP, template_spec
from innova_reports.pipeline.check import check_files
from innova_reports.template.panel import PANEL_CELL, READY, TO_DO
from innova_reports.template.writer import axis_prefill, write_template
from tests.annotate_cases import INDICATORS, TASKS, base, clean_fields
from tests.conftest import ROOT
from tests.factories import make_workbook
from tests.lo_tools import recalculated, row_inserted

PERIOD, TODAY = "2018-12", dt.date(2018, 12, 20)
PERCENT_TYPES = {"avancement-hors-bornes", "valeur-ambigue", "pourcentage-invalide"}
ALLOWED = {"IF", "SUMPRODUCT", "OFFSET", "ROWS", "LEN", "TRIM", "SUBSTITUTE", "CHAR", "MID",
           "ISNUMBER", "LEFT", "NOT", "AND", "OR"}  # fmt: skip


def check(path: Path, settings):
    return check_files([path], settings, period=PERIOD, today=TODAY)


def expected_panel(path: Path, kind: str, settings) -> str:
    """What the panel must say, from ``check``'s issues on the points it covers."""
    spec, issues = template_spec(kind, settings), check(path, settings).issues

    def count(types: set[str], sheet: str, field: str) -> int:
        return sum(1 for i in issues if i.type in types and i.sheet == sheet and i.field == field)

    def words(n: int, one: str, many: str, what: str) -> str:
        return f"{n} {one if n == 1 else many} {what}"

    lines = []
    empty = [f.label for f in spec.fields if f.required
             and count({"champ-obligatoire"}, spec.main_sheet, f.id)]  # fmt: skip
    if empty:
        lines.append(f"• Rubriques obligatoires vides : {', '.join(empty)}.")
    for table in spec.tables:
        phrases = []
        for field in table.columns:
            if field.required and (n := count({"champ-obligatoire"}, table.sheet, field.id)):
                phrases.append(words(n, "ligne", "lignes", f"sans « {field.label} »"))
        if table.name == "t_taches" and (n := count({"fin-avant-debut"}, table.sheet, "fin")):
            phrases.append(words(n, "ligne", "lignes", "où « Fin » précède « Début »"))
        for field in table.columns:
            if field.type == "pourcentage" and (n := count(PERCENT_TYPES, table.sheet, field.id)):
                phrases.append(words(n, "valeur", "valeurs",
                                     f"« {field.label} » hors de 0 % à 100 % ou ambigu"))  # fmt: skip
        if phrases:
            lines.append(f"• {table.sheet} : {' ; '.join(phrases)}.")
    return "\n".join([TO_DO, *lines]) if lines else READY


def panel_text(path: Path, kind: str, settings) -> str:
    sheet = openpyxl.load_workbook(path, data_only=True)[template_spec(kind, settings).main_sheet]
    return sheet[PANEL_CELL].value


# -- the workbooks --------------------------------------------------------------------------


def half_action(path: Path, settings) -> Path:
    fields = {k: v for k, v in clean_fields(settings).items() if k not in ("meteo", "chef_projet")}
    tasks = [
        TASKS[0],
        {**TASKS[1], "fin": dt.date(2018, 3, 1)},  # ends before it starts
        {"tache": "Sans statut", "avancement": 0.2},
        {"tache": "Ambigu", "statut": "En cours", "avancement": 1.5},
        {"tache": "Cinquante", "statut": "En cours", "avancement": 50},  # read as 50 %
        {"tache": "Trop", "statut": "En cours", "avancement": 150},
        {"tache": "Négatif", "statut": "En cours", "avancement": -0.1},
    ]
    indicators = [INDICATORS[0], {"indicateur": "Sans cible", "sens": "Hausse"}]
    make_workbook(path, ACTION, settings, fields=fields,
                  tables={"t_taches": tasks, "t_indicateurs": indicators})  # fmt: skip
    workbook = openpyxl.load_workbook(path)  # a task typed just under the table
    sheet = workbook["Tâches"]
    below = int(sheet.tables["t_taches"].ref.split(":")[1][1:]) + 1
    sheet[f"A{below}"] = "Tapée sous le tableau"
    workbook.save(path)
    return path


def half_roadmap(path: Path, settings) -> Path:
    return make_workbook(path, ROADMAP, settings, fields={"axe": 2, "pilote": "Julien Mazeyrie",
                                                          "date_maj": dt.date(2018, 12, 3)},
                         tables={"t_actions": [{"code": "A2.1"}, {"code": "A2.2", "intitule": "Cellule"}],
                                 "t_calendrier": [{"jalon": "Copil 1"}],
                                 "t_livrables": [{"echeance": dt.date(2018, 9, 1)}]})  # fmt: skip


def full_action(path: Path, settings) -> Path:
    return base(path, settings, fields={**clean_fields(settings), "date_maj": dt.date(2018, 12, 3)})


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, settings) -> list[tuple[str, str, Path]]:
    """(name, kind, file): blank, pre-filled, half-filled and complete workbooks."""
    folder = tmp_path_factory.mktemp("panneau")
    made = [
        ("vide_fiche", ACTION, write_template(ACTION, settings, folder / "vide_fiche.xlsx")),
        ("vide_feuille", ROADMAP, write_template(ROADMAP, settings, folder / "vide_feuille.xlsx")),
        ("axe_feuille", ROADMAP, write_template(ROADMAP, settings, folder / "axe_feuille.xlsx",
                                                prefill=axis_prefill(ROADMAP, settings.axis(2), settings))),
        ("moitie_fiche", ACTION, half_action(folder / "moitie_fiche.xlsx", settings)),
        ("moitie_feuille", ROADMAP, half_roadmap(folder / "moitie_feuille.xlsx", settings)),
        ("complete_fiche", ACTION, full_action(folder / "complete_fiche.xlsx", settings)),
    ]  # fmt: skip
    for path in sorted((ROOT / "workbooks").rglob("*.xlsx"))[:4]:  # the samples: complete
        kind = ROADMAP if path.name.startswith(ROADMAP) else ACTION
        made.append((path.stem, kind, shutil.copyfile(path, folder / path.name)))
    return made


@pytest.fixture(scope="module")
def recalculated_workbooks(workbooks, tmp_path_factory) -> dict[str, Path]:
    outputs = recalculated([path for _, _, path in workbooks], tmp_path_factory.mktemp("recalc"))
    return {name: output for (name, _, _), output in zip(workbooks, outputs, strict=True)}


# -- what it says ---------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_a_blank_template_lists_every_required_field(recalculated_workbooks, settings):
    text = panel_text(recalculated_workbooks["vide_fiche"], ACTION, settings)
    labels = [f.label for f in template_spec(ACTION, settings).fields if f.required]
    assert text == f"{TO_DO}\n• Rubriques obligatoires vides : {', '.join(labels)}."


@pytest.mark.libreoffice
def test_a_half_filled_workbook_says_what_is_missing(recalculated_workbooks, settings):
    text = panel_text(recalculated_workbooks["moitie_fiche"], ACTION, settings)
    assert text.splitlines() == [
        TO_DO,
        "• Rubriques obligatoires vides : Météo, Chef de projet.",
        "• Tâches : 2 lignes sans « Statut » ; 1 ligne où « Fin » précède « Début » ; "
        "3 valeurs « Avancement » hors de 0 % à 100 % ou ambigu.",
        "• Indicateurs : 1 ligne sans « Cible ».",
    ]


@pytest.mark.libreoffice
def test_a_complete_workbook_is_ready(recalculated_workbooks, settings):
    assert panel_text(recalculated_workbooks["complete_fiche"], ACTION, settings) == READY


@pytest.mark.libreoffice
def test_the_panel_and_check_say_the_same(workbooks, recalculated_workbooks, settings):
    for name, kind, original in workbooks:
        recalc = recalculated_workbooks[name]
        assert panel_text(recalc, kind, settings) == expected_panel(original, kind, settings), name
        assert expected_panel(recalc, kind, settings) == expected_panel(original, kind, settings)


@pytest.mark.libreoffice
def test_a_row_inserted_in_a_table_is_still_counted(workbooks, settings, tmp_path):
    original = dict((name, path) for name, _, path in workbooks)["complete_fiche"]
    edited = row_inserted(original, tmp_path / "insere.xlsx", "Tâches", 6, "A6", "Tâche insérée")
    assert openpyxl.load_workbook(edited)["Tâches"].tables["t_taches"].ref == "A4:G17"
    assert panel_text(edited, ACTION, settings) == f"{TO_DO}\n• Tâches : 1 ligne sans « Statut »."
    assert panel_text(edited, ACTION, settings) == expected_panel(edited, ACTION, settings)


# -- what it is made of ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ACTION, ROADMAP])
def test_formulas_use_only_functions_libreoffice_74_recalculates(kind, settings, tmp_path):
    workbook = openpyxl.load_workbook(write_template(kind, settings, tmp_path / "m.xlsx"))
    formulas = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]  # fmt: skip
    assert formulas
    for formula in formulas:
        assert set(re.findall(r"([A-Z][A-Z0-9.]*)\(", formula)) <= ALLOWED, formula
        assert "_xlfn" not in formula and len(formula) < 8192


@pytest.mark.parametrize("kind", [ACTION, ROADMAP])
def test_the_reader_ignores_the_panel(kind, settings, tmp_path):
    path = write_template(kind, settings, tmp_path / "m.xlsx")
    workbook = openpyxl.load_workbook(path)
    for name in workbook.defined_names.values():  # no name leads to the panel or its sums
        assert "$A$3" not in name.attr_text, name.name
        assert "Listes" not in name.attr_text or name.name.startswith("liste_"), name.name
    issues = check(path, settings).issues
    assert not [i for i in issues if i.cell == PANEL_CELL or i.sheet == "Listes"]


def test_problem_cells_have_conditional_formats(settings, tmp_path):
    workbook = openpyxl.load_workbook(write_template(ACTION, settings, tmp_path / "m.xlsx"))
    main = [str(r.sqref) for r in workbook["Fiche action"].conditional_formatting]
    tasks = {str(r.sqref): [rule.formula[0] for rule in r.rules]
             for r in workbook["Tâches"].conditional_formatting}  # fmt: skip
    assert "B10" in main and "A3:B3" in main  # Météo, and the panel itself
    assert tasks["D5:D516"] == ["AND(ISNUMBER(C5),ISNUMBER(D5),D5<C5)"]
    assert any(f.startswith("AND(LEN(TRIM(SUBSTITUTE(E5,") for f in tasks["E5:E516"])

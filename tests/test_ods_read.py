"""Reading .ods packages written in code (no LibreOffice needed): structure, identity,
cell positions with their repeats, special cells, and the same values as an .xlsx."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from innova_reports.fields import ACTION, ROADMAP
from innova_reports.model import ReadStatus
from innova_reports.read import ods_cells
from innova_reports.read.ods import (
    excel_reference,
    load_ods_sheets,
    parse_address,
    read_ods_structure,
)
from innova_reports.read.safety import DEFAULT_LIMITS
from innova_reports.read.workbook import read_workbook
from innova_reports.read.xlsx import fold, parse_ref
from tests import ods_factory
from tests.factories import make_workbook
from tests.ods_factory import Raw, make_ods

FIELDS = {"code_action": "A3.2", "axe": 3, "titre": "Dématérialisation des procédures",
          "date_maj": dt.date(2018, 3, 15), "statut": "En cours", "meteo": "Vert",
          "contexte": "Deux lignes\net un « guillemet » & une esperluette", "budget_eur": 12500}  # fmt: skip
TASKS = [
    {"tache": "Recenser les procédures", "responsable": "DSI", "debut": dt.date(2018, 2, 1),
     "fin": dt.date(2018, 4, 30), "statut": "Fait", "avancement": 1},
    {"tache": "Choisir l'outil", "debut": dt.datetime(2018, 3, 1, 12, 0), "statut": "En cours",
     "avancement": 0.4, "commentaire": "RAS"},
]  # fmt: skip


def read(path, settings, **options):
    outcome = read_workbook(path, settings, **options)
    assert outcome.status is ReadStatus.READ, outcome.reason
    return outcome.data


def values(data) -> tuple[dict, dict]:
    fields = {k: (type(c.value), c.value) for k, c in data.fields.items()}
    tables = {name: [[(type(v), v) for v in rec] for rec in frame.itertuples(index=False)]
              for name, frame in data.tables.items()}  # fmt: skip
    return fields, tables


@pytest.fixture
def action_ods(tmp_path, settings):
    return make_ods(tmp_path / "A3.2.ods", ACTION, settings, fields=FIELDS,
                    tables={"t_taches": TASKS})  # fmt: skip


def test_an_ods_reads_the_same_values_as_the_xlsx(tmp_path, settings, action_ods):
    xlsx = make_workbook(tmp_path / "A3.2.xlsx", ACTION, settings, fields=FIELDS,
                         tables={"t_taches": TASKS})  # fmt: skip
    ods_data, xlsx_data = read(action_ods, settings), read(xlsx, settings)
    assert values(ods_data) == values(xlsx_data)
    assert (ods_data.kind, ods_data.version, ods_data.format) == (ACTION, "1.0", "ods")
    assert xlsx_data.format == "xlsx"
    assert ods_data.issues == []
    assert ods_data.fields["titre"].sheet == "Fiche action"
    assert list(ods_data.tables["t_taches"].index) == [5, 6]
    assert ods_data.cell_of("t_taches", "avancement", 6) == "F6"


def test_a_roadmap_as_ods(tmp_path, settings):
    path = make_ods(tmp_path / "fdr.ods", ROADMAP, settings, fields={"axe": 2, "groupe": "G"},
                    tables={"t_actions": [{"code": "A2.1", "intitule": "Planifier"}]})  # fmt: skip
    data = read(path, settings)
    assert data.kind == ROADMAP and data.value("groupe") == "G"
    assert list(data.tables["t_actions"]["code"]) == ["A2.1"]


@pytest.mark.parametrize(("names", "meta"), [(True, False), (False, True), (True, True)])
def test_kind_and_version_from_named_expressions_or_meta(tmp_path, settings, names, meta):
    path = make_ods(tmp_path / "f.ods", ACTION, settings, fields=FIELDS,
                    identity_in_names=names, identity_in_meta=meta)  # fmt: skip
    assert read(path, settings).kind == ACTION


def test_no_identity_is_not_our_template(tmp_path, settings):
    path = make_ods(tmp_path / "f.ods", ACTION, settings, identity_in_names=False,
                    identity_in_meta=False)  # fmt: skip
    outcome = read_workbook(path, settings)
    assert [i.type for i in outcome.issues] == ["pas-un-modele"]


def test_an_unknown_version_is_said(tmp_path, settings):
    path = make_ods(tmp_path / "f.ods", ACTION, settings, version="9.9")
    outcome = read_workbook(path, settings)
    assert [i.type for i in outcome.issues] == ["version-inconnue"]
    assert "9.9" in outcome.reason


def test_an_ods_named_xlsx_is_read_and_said(tmp_path, settings, action_ods):
    renamed = tmp_path / "A3.2.xlsx"
    renamed.write_bytes(action_ods.read_bytes())
    data = read(renamed, settings)
    assert data.format == "ods" and data.value("code_action") == "A3.2"
    assert [i.flat()[3:] for i in data.issues] == [("extension-trompeuse", "avertissement")]
    assert "LibreOffice (.ods)" in data.issues[0].message
    assert "Renommez-le en .ods" in data.issues[0].message


def test_an_xlsx_named_ods_is_read_and_said(tmp_path, settings):
    path = make_workbook(tmp_path / "A3.2.ods", ACTION, settings, fields=FIELDS)
    data = read(path, settings)
    assert data.format == "xlsx"
    assert [i.type for i in data.issues] == ["extension-trompeuse"]
    assert "Renommez-le en .xlsx" in data.issues[0].message


def test_basic_macros_are_never_run(tmp_path, settings, action_ods):
    path = ods_factory.rewrite(action_ods, tmp_path / "macros.ods",
                               {"Basic/Standard/Module1.xml": b"<module/>"})  # fmt: skip
    assert [i.type for i in read(path, settings).issues] == ["macros-ignorees"]


# -- addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("$'Fiche action'.$B$5", ("Fiche action", "B5", None)),
        ("$'Mode d''emploi'.$A$1", ("Mode d'emploi", "A1", None)),
        ("$Listes.$A$2:.$A$7", ("Listes", "A2", "A7")),
        ("Tâches.A4:Tâches.G16", ("Tâches", "A4", "G16")),
        ("'Feuille 1'.A1:'Feuille 1'.C3", ("Feuille 1", "A1", "C3")),
        ("Tâches.A4:Autre.G16", None),
        ("$#REF!.$B$5", None),
        ("B5", None),
        ("", None),
    ],
)
def test_parse_address(address, expected):
    assert parse_address(address) == expected


def test_ods_addresses_read_as_xlsx_references():
    assert parse_ref(excel_reference("$'Mode d''emploi'.$B$7")) == ("Mode d'emploi", "B7")
    assert parse_ref(excel_reference("$Listes.$A$2:.$A$7")) == ("Listes", "A2")
    assert parse_ref(excel_reference("$#REF!.$B$5")) is None


# -- cell positions ----------------------------------------------------------------------

CONTENT = (
    b'<office:spreadsheet><table:table table:name="S">'
    b'<table:table-column table:number-columns-repeated="3"/>'
    b'<table:table-row><table:table-cell office:value-type="string"><text:p>A1</text:p>'
    b'</table:table-cell><table:table-cell table:number-columns-repeated="2"/>'
    b'<table:table-cell table:number-columns-spanned="2" office:value-type="float" office:value="4">'
    b"<text:p>4</text:p></table:table-cell><table:covered-table-cell/>"
    b'<table:table-cell office:value-type="string"><text:p>F1</text:p></table:table-cell></table:table-row>'
    b'<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    b"<table:table-header-rows><table:table-row>"
    b'<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="7"/>'
    b"</table:table-row></table:table-header-rows>"
    b"<!-- <table:table-row><table:table-cell office:value-type='float'/> -->"
    b'<table:table-row><table:table-cell office:value-type="string"><text:p>a<![CDATA[<table:table-cell/>]]>'
    b'</text:p></table:table-cell><table:table-cell name="x>y" office:value-type="string"><text:p>B6</text:p>'
    b"</table:table-cell></table:table-row>"
    b"</table:table>"
    b'<table:table table:name="T"><table:table-row><table:table-cell/><table:table-cell office:value-type="float" office:value="1">'
    b'<table:table table:name="sous-table"><table:table-row><table:table-cell office:value-type="float"/></table:table-row></table:table>'
    b"</table:table-cell></table:table-row></table:table>"
    b"<table:named-expressions><table:named-range table:name='n'/></table:named-expressions>"
    b"</office:spreadsheet>"
)


def test_cell_positions_count_repeats_covered_cells_and_rows():
    runs = {(r.sheet, r.row, r.column): r for r in ods_cells.cell_runs(CONTENT)}
    assert runs[("S", 1, 2)].columns == 2
    assert runs[("S", 1, 4)].attributes["table:number-columns-spanned"] == "2"
    assert runs[("S", 1, 5)].covered
    assert runs[("S", 1, 6)].text(CONTENT) == "F1"
    assert runs[("S", 2, 1)].rows == 3 and runs[("S", 2, 1)].columns == 16384
    assert runs[("S", 5, 1)].columns == 2  # inside table:table-header-rows
    assert runs[("S", 6, 2)].text(CONTENT) == "B6"  # after a comment and a '>' in a value
    assert ("T", 1, 2) in runs and ("sous-table", 1, 1) not in runs
    for run in runs.values():
        element = CONTENT[run.start : run.end]
        assert element.startswith((b"<table:table-cell", b"<table:covered-table-cell"))
        assert element.endswith((b"/>", b"-cell>"))


def test_filled_cells_are_counted_with_their_repeats_and_empty_runs_are_not():
    found = ods_cells.map_content(CONTENT)
    assert found.sheets == ["S", "T"]
    assert found.filled == {"S": 1 + 1 + 1 + 2 + 2, "T": 1}
    assert set(found.blocks) == {ods_cells.NAMES}


def test_a_sheet_over_the_limit_stops_the_scan():
    with pytest.raises(ods_cells.TooManyCells) as caught:
        ods_cells.map_content(CONTENT, max_cells=3)
    assert caught.value.sheet == "S"


@pytest.mark.parametrize(
    ("element", "text"),
    [
        (b"<table:table-cell><text:p>a<text:s/>b<text:s text:c='3'/>c</text:p></table:table-cell>",
         "a b   c"),
        (b"<table:table-cell><text:p><text:span>x</text:span>&amp;y</text:p><text:p/></table:table-cell>",
         "x&y\n"),
        (b"<table:table-cell><office:annotation><text:p>note</text:p></office:annotation>"
         b"<text:p>l1<text:line-break/>l2</text:p></table:table-cell>", "l1\nl2"),
    ],
)  # fmt: skip
def test_cell_text_is_what_the_cell_shows(element, text):
    assert ods_cells.cell_text(element) == text


# -- special cells -------------------------------------------------------------------------

ERROR_CELL = Raw(
    '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" '
    'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
)
ERR502_CELL = Raw(
    '<table:table-cell table:formula="of:=SQRT(-1)" office:value-type="string" '
    'office:string-value="" calcext:value-type="error"><text:p>Err:502</text:p></table:table-cell>'
)
UNCOMPUTED = Raw('<table:table-cell table:formula="of:=1+1"/>')
PERCENT = Raw(
    '<table:table-cell office:value-type="percentage" office:value="0.7" '
    'calcext:value-type="percentage"><text:p>70 %</text:p></table:table-cell>'
)


def test_errors_and_formulas_without_result_are_said_never_read_as_zero(tmp_path, settings):
    tasks = [{"tache": "a", "avancement": ERROR_CELL}, {"tache": "b", "avancement": ERR502_CELL},
             {"tache": "c", "avancement": UNCOMPUTED}]  # fmt: skip
    path = make_ods(tmp_path / "f.ods", ACTION, settings, fields={"budget_eur": ERROR_CELL},
                    tables={"t_taches": tasks})  # fmt: skip
    data = read(path, settings)
    assert data.value("budget_eur") is None
    assert list(data.tables["t_taches"]["avancement"]) == [None, None, None]
    found = [(i.sheet, i.cell, i.type, i.value) for i in data.issues]
    assert ("Fiche action", f"B{5 + 14}", "valeur-erreur-excel", "#DIV/0!") in found
    assert ("Tâches", "F5", "valeur-erreur-excel", "#DIV/0!") in found
    assert ("Tâches", "F6", "valeur-erreur-excel", "Err:502") in found
    assert ("Tâches", "F7", "formule-sans-valeur", "") in found


def _sheets(path, names):
    archive = zipfile.ZipFile(path)
    content = read_ods_structure(archive, DEFAULT_LIMITS)
    sheets, issues = load_ods_sheets(path.read_bytes(), archive, content, names, "f.ods",
                                     DEFAULT_LIMITS)  # fmt: skip
    return content, sheets, issues


def test_percent_cells_are_known(tmp_path, settings):
    tasks = [{"tache": "a", "avancement": PERCENT}, {"tache": "b", "avancement": 0.5}]
    path = make_ods(tmp_path / "f.ods", ACTION, settings, tables={"t_taches": tasks})
    _, sheets, _ = _sheets(path, ["Tâches"])
    assert sheets["Tâches"].percent_cells == frozenset({"F5"})
    assert sheets["Tâches"].raw(5, 6) == 0.7


def test_a_field_merged_under_another_cell_is_said(tmp_path, settings):
    spanned = Raw('<table:table-cell table:number-rows-spanned="2" office:value-type="string">'
                  "<text:p>Projet</text:p></table:table-cell>")  # fmt: skip
    covered = Raw("<table:covered-table-cell/>")
    path = make_ods(tmp_path / "f.ods", ACTION, settings,
                    fields={"titre": spanned, "date_maj": covered})  # fmt: skip
    data = read(path, settings)
    assert [(i.cell, i.type) for i in data.issues if i.type == "cellule-fusionnee"] == [
        ("B8", "cellule-fusionnee")
    ]


def test_a_header_libreoffice_took_for_a_date_is_read_as_it_shows(tmp_path, settings):
    """LibreOffice turns « mars 2018 » typed in a header into a date shown the same."""
    path = make_ods(tmp_path / "f.ods", ACTION, settings)
    month = "mars 2018"
    dated = (f'<table:table-cell office:value-type="date" office:date-value="2018-03-01" '
             f'calcext:value-type="date"><text:p>{month}</text:p></table:table-cell>')  # fmt: skip
    plain = (
        f'<table:table-cell office:value-type="string" calcext:value-type="string">'
        f"<text:p>{month}</text:p></table:table-cell>"
    )

    def edit(xml: bytes) -> bytes:
        assert plain.encode() in xml
        return xml.replace(plain.encode(), dated.encode())

    path = ods_factory.rewrite(path, tmp_path / "g.ods", {"content.xml": edit})
    content, _, _ = _sheets(path, ["Indicateurs"])
    assert month in content.structure.tables[fold("t_indicateurs")].headers
    assert not [i for i in read(path, settings).issues if i.type == "colonne-inconnue"]


def test_a_table_without_header_row(tmp_path, settings):
    path = make_ods(tmp_path / "f.ods", ACTION, settings)

    def edit(xml: bytes) -> bytes:
        return xml.replace(
            b'table:name="t_taches"', b'table:name="t_taches" table:contains-header="false"'
        )

    path = ods_factory.rewrite(path, tmp_path / "g.ods", {"content.xml": edit})
    content, _, _ = _sheets(path, ["Tâches"])
    assert content.structure.tables[fold("t_taches")].header_rows == 0
    issues = read(path, settings).issues
    # no header read: required columns are erreurs, optional ones avertissements
    assert {i.type for i in issues} == {"colonne-manquante", "colonne-facultative-manquante"}

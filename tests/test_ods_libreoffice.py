"""Templates saved by real LibreOffice as .ods read back exactly as the .xlsx they were.

Every sample workbook is converted in one LibreOffice run; a property test fills random
templates and has LibreOffice save them both as .xlsx and as .ods; and the edits that
LibreOffice itself makes (renaming a sheet, inserting rows in a table, merging cells,
formulas in error) are made by a headless Basic macro.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from innova_reports.fields import ACTION, ROADMAP, FieldType, template_spec
from innova_reports.model import ReadStatus, WorkbookData
from innova_reports.read.normalise import normalise_workbook
from innova_reports.read.workbook import read_folder, read_workbook
from tests.factories import make_workbook
from tests.libreoffice import ODS_FILTER, XLSX_FILTER, convert_many, edit_script, run_basic

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "workbooks").rglob("*.xlsx"))


def _typed(value: Any) -> Any:
    """A value with its type, so that 3 and 3.0, or a date and a datetime, differ."""
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


def read_back(data: WorkbookData) -> dict[str, Any]:
    """Everything the later stages take from a file, its name left out."""
    return {
        "identity": (data.kind, data.version),
        "fields": {k: (_typed(c.value), c.sheet, c.cell) for k, c in data.fields.items()},
        "tables": {
            name: [
                (row, tuple(_typed(v) for v in values))
                for row, values in zip(
                    frame.index, frame.itertuples(index=False, name=None), strict=True
                )
            ]
            for name, frame in data.tables.items()
        },  # fmt: skip
        "sheets": dict(data.table_sheets),
        "letters": dict(data.table_letters),
        "issues": [issue.flat()[1:] + (issue.message,) for issue in data.issues],
    }


def differences(got: tuple[dict, dict], expected: tuple[dict, dict]) -> list:
    """Where two ``both_ways`` results differ, item by item (for failure messages)."""
    found = []
    for stage, mine, theirs in zip(("lu", "normalisé"), got, expected, strict=True):
        for key in theirs:
            if isinstance(theirs[key], dict):
                for item in {*mine[key], *theirs[key]}:
                    a, b = mine[key].get(item), theirs[key].get(item)
                    if a != b and key == "tables" and a is not None and b is not None:
                        found += [
                            (stage, item, ra[0], i, x, y)
                            for ra, rb in zip(a, b, strict=False)
                            for i, (x, y) in enumerate(zip(ra[1], rb[1], strict=True))
                            if x != y
                        ]
                        found += [(stage, item, "lignes", [r[0] for r in a], [r[0] for r in b])]
                    elif a != b:
                        found.append((stage, key, item, a, b))
            elif mine[key] != theirs[key]:
                found.append((stage, key, mine[key], theirs[key]))
    return found


def both_ways(path: Path, settings) -> tuple[dict, dict]:
    """The file as read, then as normalised (typed values and their issues)."""
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.READ, outcome.reason
    raw = read_back(outcome.data)
    normalise_workbook(outcome.data, settings)
    return raw, read_back(outcome.data)


@pytest.fixture(scope="module")
def samples_as_ods(tmp_path_factory) -> dict[Path, Path]:
    out = tmp_path_factory.mktemp("ods")
    return dict(zip(SAMPLES, convert_many(SAMPLES, out, "ods"), strict=True))


def test_there_are_samples_of_both_templates():
    names = [p.name for p in SAMPLES]
    assert len(SAMPLES) >= 12
    assert any(n.startswith("feuille_de_route") for n in names)
    assert any(n.startswith("fiche_action") for n in names)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_every_sample_reads_back_exactly_as_ods(samples_as_ods, settings, sample):
    ods = samples_as_ods[sample]
    assert ods.read_bytes()[30:77] == b"mimetypeapplication/vnd.oasis.opendocument.spre"
    expected, ods_read = both_ways(sample, settings), both_ways(ods, settings)
    assert ods_read == expected, str(differences(ods_read, expected))
    assert read_workbook(ods, settings).data.format == "ods"


def test_the_ods_samples_make_the_same_folder(samples_as_ods, settings, tmp_path):
    """A folder where some groups returned .ods reads like the all-.xlsx one."""
    folder = tmp_path / "classeurs"
    for index, (xlsx, ods) in enumerate(samples_as_ods.items()):
        source = ods if index % 2 else xlsx
        target = folder / xlsx.parent.name / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    outcomes = read_folder(folder, settings)
    assert [o.status for o in outcomes] == [ReadStatus.READ] * len(SAMPLES)
    assert {o.data.format for o in outcomes} == {"xlsx", "ods"}


# -- the property: whatever is typed, .xlsx and .ods saved by LibreOffice agree ----------

_TEXT = st.text(
    st.characters(categories=("L", "N", "P", "Zs"), exclude_characters="\u2028\u2029"),
    min_size=1, max_size=40,
).filter(lambda t: t.strip() and not t.startswith(("=", "+", "-", "@", "'")))  # fmt: skip
_NUMBER = st.one_of(
    st.integers(-(10**9), 10**9),
    st.decimals(-(10**6), 10**6, places=4, allow_nan=False, allow_infinity=False).map(float),
)
# Both programs keep 15 significant digits of a number (Excel shows no more): numbers
# are drawn as people type them, with a few decimals.
_SHARE = st.decimals(0, 1, places=6).map(float)
_DATE = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


# A number in a date-formatted cell is a date to both programs; they agree from
# 1900-03-01 (Excel's serial 61: before it, Excel counts a 29 February 1900 that
# LibreOffice does not) to 9999-12-31 (serial 2958465), and neither shows a date outside.
# A time of day is kept to the minute: an .ods stores hundredths of a second at most,
# which nobody types in a date cell.
_SERIAL = st.builds(
    lambda day, minute: day + minute / 1440, st.integers(61, 2_958_464), st.integers(0, 1439)
) | st.integers(61, 2_958_465)


def _value(field) -> st.SearchStrategy:
    """What a group may type in a field: its list's values, or any text, number, date."""
    typed = {FieldType.DATE: _DATE, FieldType.MONEY: _NUMBER, FieldType.DECIMAL: _NUMBER,
             FieldType.PERCENT: _SHARE}.get(field.type)  # fmt: skip
    options = [_TEXT, _SERIAL if field.type is FieldType.DATE else _NUMBER, _DATE]
    if field.choices:
        options.insert(0, st.sampled_from(field.choices))
    if typed is not None:
        options.insert(0, typed)
    return st.one_of(options)


@st.composite
def filled_template(draw, settings) -> tuple[str, dict, dict]:
    kind = draw(st.sampled_from([ACTION, ROADMAP]))
    spec = template_spec(kind, settings)
    fields = {f.id: draw(_value(f)) for f in spec.fields if draw(st.booleans())}
    tables = {}
    for table in spec.tables:
        count = draw(st.integers(0, 4))
        tables[table.name] = [
            {c.id: draw(_value(c)) for c in table.columns if draw(st.booleans())}
            for _ in range(count)
        ]
    return kind, fields, tables


# Each example costs two LibreOffice runs: a failure is shown as found, not shrunk.
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)


def test_property_any_filled_template_saved_by_libreoffice_reads_back_identical(
    settings, tmp_path_factory
):
    @hypothesis_settings(
        max_examples=2, deadline=None, database=None, phases=NO_SHRINK,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )  # fmt: skip
    @given(st.lists(filled_template(settings), min_size=6, max_size=6))
    def check(templates):
        folder = tmp_path_factory.mktemp("propriete")
        written = [
            make_workbook(folder / f"classeur_{n}.xlsx", kind, settings, fields=f, tables=t)
            for n, (kind, f, t) in enumerate(templates)
        ]
        as_xlsx = convert_many(written, folder / "xlsx", "xlsx")
        as_ods = convert_many(written, folder / "ods", "ods")
        for original, xlsx, ods in zip(written, as_xlsx, as_ods, strict=True):
            expected = both_ways(original, settings)
            for saved in (xlsx, ods):
                got = both_ways(saved, settings)
                assert got == expected, str((saved.name, differences(got, expected)))

    check()


# -- edits made by LibreOffice itself ----------------------------------------------------

FIELDS = {"code_action": "A3.2", "axe": 3, "titre": "Dématérialisation des procédures",
          "date_maj": dt.date(2018, 3, 15), "statut": "En cours", "meteo": "Vert"}  # fmt: skip
TASKS = [
    {"tache": f"Tâche {n}", "responsable": "Service informatique", "debut": dt.date(2018, 2, n),
     "fin": dt.date(2018, 6, n), "statut": "En cours", "avancement": n / 10}
    for n in range(1, 4)
]  # fmt: skip

# The statements of each edit; ``doc`` is the open document. Rows and columns are
# 0-based in the sheet API; the template's task table has its headers on row 4.
EDITS = {
    "renommee": 'doc.Sheets.getByName("Fiche action").setName("Ma fiche")',
    "lignes": "\n".join(
        [
            '  sheet = doc.Sheets.getByName("Tâches")',
            "  sheet.Rows.insertByIndex(5, 2)",  # two rows before the second task (row 6)
            '  sheet.getCellRangeByName("A6").setString("Tâche insérée")',
            '  sheet.getCellRangeByName("B6").setString("Cabinet du maire")',
            '  sheet.getCellRangeByName("F6").setValue(0.25)',
            '  sheet.getCellRangeByName("A7").setString("Autre tâche insérée")',
        ]
    ),
    "saisies": "\n".join(
        [
            '  main = doc.Sheets.getByName("Fiche action")',
            '  main.getCellRangeByName("B7").setString("Titre retapé dans LibreOffice")',
            '  sheet = doc.Sheets.getByName("Tâches")',
            '  sheet.getCellRangeByName("F5").setFormula("=1/0")',
            '  sheet.getCellRangeByName("F6").setFormula("=0.2+0.3")',
        ]
    ),
    "fusion": '  doc.Sheets.getByName("Fiche action").getCellRangeByName("B8:B9").merge(True)',
    "supprimee": '  doc.Sheets.removeByName("Fiche action")',
}


@pytest.fixture(scope="module")
def edited(tmp_path_factory, settings) -> dict[str, dict[str, Path]]:
    """Each edit made by LibreOffice on the same filled action sheet, saved both ways."""
    folder = tmp_path_factory.mktemp("macro")
    source = make_workbook(
        folder / "fiche.xlsx", ACTION, settings, fields=FIELDS, tables={"t_taches": TASKS}
    )
    outputs = {
        name: {"ods": folder / f"{name}.ods", "xlsx": folder / f"{name}.xlsx"} for name in EDITS
    }
    scripts = [
        edit_script(source, EDITS[name], {paths["ods"]: ODS_FILTER, paths["xlsx"]: XLSX_FILTER})
        for name, paths in outputs.items()
    ]
    run_basic(scripts, [p for paths in outputs.values() for p in paths.values()])
    return outputs


def _read(path: Path, settings) -> WorkbookData:
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.READ, outcome.reason
    return outcome.data


@pytest.mark.parametrize("edit", ["renommee", "lignes", "saisies", "fusion"])
def test_an_edit_by_libreoffice_reads_the_same_in_ods_and_xlsx(edited, settings, edit):
    assert both_ways(edited[edit]["ods"], settings) == both_ways(edited[edit]["xlsx"], settings)


def test_a_sheet_renamed_in_libreoffice_is_followed_by_its_names(edited, settings):
    data = _read(edited["renommee"]["ods"], settings)
    assert data.fields["titre"].value == "Dématérialisation des procédures"
    assert data.fields["titre"].sheet == "Ma fiche"
    assert data.issues == []


def test_rows_inserted_in_libreoffice_grow_the_table(edited, settings):
    data = _read(edited["lignes"]["ods"], settings)
    frame = data.tables["t_taches"]
    assert list(frame.index) == [5, 6, 7, 8, 9]
    assert list(frame["tache"]) == ["Tâche 1", "Tâche insérée", "Autre tâche insérée",
                                    "Tâche 2", "Tâche 3"]  # fmt: skip
    assert frame.loc[6, "avancement"] == 0.25
    assert data.cell_of("t_taches", "avancement", 6) == "F6"


def test_values_typed_and_formulas_in_libreoffice(edited, settings):
    data = _read(edited["saisies"]["ods"], settings)
    assert data.fields["titre"].value == "Titre retapé dans LibreOffice"
    frame = data.tables["t_taches"]
    assert frame.loc[6, "avancement"] == 0.5  # a formula: its result, as LibreOffice shows it
    assert frame.loc[5, "avancement"] is None  # a formula in error is never read as 0
    errors = [(i.sheet, i.cell, i.type, i.value) for i in data.issues]
    assert errors == [("Tâches", "F5", "valeur-erreur-excel", "#DIV/0!")]


def test_cells_merged_in_libreoffice_are_said(edited, settings):
    data = _read(edited["fusion"]["ods"], settings)
    merged = [(i.cell, i.type) for i in data.issues]
    assert ("B9", "cellule-fusionnee") in merged


def test_the_main_sheet_deleted_in_libreoffice_is_refused_clearly(edited, settings):
    outcome = read_workbook(edited["supprimee"]["ods"], settings)
    assert outcome.status is ReadStatus.REFUSED
    assert [i.type for i in outcome.issues] == ["feuille-introuvable"]
    assert "« Fiche action »" in outcome.reason

"""Annotated copies are safe: plain text from users, no copy of a refused file, what
the reader set aside stays out, and what other tools put in a workbook stays in."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from PIL import Image as PILImage
from python_calamine import CalamineWorkbook

from innova_reports.annotate import CannotAnnotate, annotate_workbook
from innova_reports.annotate.copies import make_copies
from innova_reports.annotate.plan import SHEET_TITLE, STRIPPED
from innova_reports.pipeline.check import check_files
from innova_reports.read.workbook import read_workbook
from innova_reports.report import catalogue
from tests import annotate_parts as parts
from tests import hostile
from tests.annotate_cases import PERIOD, TODAY, base, clean_fields, edited
from tests.factories import libreoffice_resave

HOSTILE = (
    '=HYPERLINK("http://x","clic")',
    "<script>alert(1)</script>",
    "fin ]]> <![CDATA[ x",
    "bip\x01\x07 et \x1b[31m",
    "_x0041_ et &amp; et &#10;",
    "+SUM(A1) @A1 -1",
)


def check(path: Path, settings):
    return check_files([path], settings, period=PERIOD, today=TODAY)


def copy_of(path: Path, issues, target: Path) -> Path:
    target.write_bytes(annotate_workbook(path.read_bytes(), "xlsx", issues))
    return target


@pytest.fixture
def clean(tmp_path, settings) -> Path:
    return base(tmp_path / "fiche.xlsx", settings)


# -- user text is data -------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_stay_plain_text(text, clean, tmp_path):
    issue = catalogue.issue("code-action-invalide", clean.name, sheet="Fiche action", cell="B5",
                            field="code_action", label="Code action", value=text)  # fmt: skip
    copy = copy_of(clean, [issue], tmp_path / "copie.xlsx")
    shown = text.replace("\x01", "?").replace("\x07", "?").replace("\x1b", "?")
    (row,) = parts.list_rows(copy)
    assert row[5] == shown
    assert f"« {shown} »" in row[6]
    assert f"« {shown} »" in parts.notes(copy, "Fiche action")["B5"]
    calamine = CalamineWorkbook.from_path(str(copy)).get_sheet_by_name(SHEET_TITLE).to_python()
    assert calamine[6][5] == shown
    listed = parts.members(copy)[parts.sheet_member(copy, SHEET_TITLE)]
    assert b"<f>" not in listed and b"<f " not in listed  # never a formula
    assert list(parts.links(copy).values()) == ["'Fiche action'!B5"]
    assert not [n for n in parts.members(copy) if n.endswith(".rels") and b"External" in
                parts.members(copy)[n]]  # fmt: skip


def test_a_sheet_name_with_quotes_links_safely(tmp_path, settings):
    path = edited(base(tmp_path / "f.xlsx", settings),
                  lambda wb: setattr(wb["Tâches"], "title", "L'équipe d'Anne"))  # fmt: skip
    issue = catalogue.issue("fin-avant-debut", path.name, sheet="L'équipe d'Anne", cell="D6",
                            fin="01/03/2018", debut="02/04/2018")  # fmt: skip
    copy = copy_of(path, [issue], tmp_path / "copie.xlsx")
    assert parts.links(copy) == {"D7": "'L''équipe d''Anne'!D6"}


# -- refused files, repaired files --------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda src, dst: hostile.with_doctype(src, dst),
        lambda src, dst: hostile.with_doctype(src, dst, "xl/styles.xml", laughs=True),
        lambda src, dst: hostile.bomb(dst),
        lambda src, dst: hostile.plain_zip(dst),
        lambda src, dst: hostile.truncated(src, dst),
    ],
    ids=["xxe", "entites", "bombe", "pas-un-modele", "tronque"],
)
def test_a_refused_file_gets_no_copy(build, clean, tmp_path, settings):
    path = build(clean, tmp_path / "refuse.xlsx")
    outcome = read_workbook(path, settings, root=tmp_path)
    issue = outcome.issues[0]
    assert make_copies([outcome], [issue]).made == []
    with pytest.raises(CannotAnnotate):
        annotate_workbook(path.read_bytes(), "xlsx", [issue])


def test_stray_far_cells_are_not_copied_back(clean, tmp_path, settings):
    path = hostile.stray_cell(clean, tmp_path / "loin.xlsx", "Tâches", "XFD1048576")
    issues = check(path, settings).issues
    assert [i.flat()[1:] for i in issues] == [("Tâches", "XFD1048576", "cellules-hors-zone",
                                              "avertissement")]  # fmt: skip
    copy = copy_of(path, issues, tmp_path / "copie.xlsx")
    sheet = parts.members(copy)[parts.sheet_member(copy, "Tâches")]
    assert b"XFD1048576" not in sheet and b"XFD" not in sheet
    (row,) = parts.list_rows(copy)
    assert row[3] == "toute la feuille" and row[6].endswith(STRIPPED)
    assert parts.marks(copy, "Tâches") == {}
    assert check(copy, settings).issues == []  # what was read is unchanged, the stray cell gone


def test_a_file_changed_since_it_was_read_gets_no_copy(tmp_path, settings):
    fields = {"code_action": "A3.2", "axe": 3}
    path = base(tmp_path / "f.xlsx", settings, fields=fields)
    batch = check(path, settings)
    base(path, settings)  # saved again meanwhile
    copies = make_copies(batch.outcomes, batch.issues)
    assert copies.made == [] and "a changé" in copies.skipped[batch.outcomes[0].source.name]


# -- what other tools put in a workbook -------------------------------------------------------


def _with_extras(path: Path, tmp_path: Path) -> Path:
    """An image, a conditional format and a sheet-scoped name of the group's."""
    picture = tmp_path / "logo.png"
    PILImage.new("RGB", (8, 8), "red").save(picture)

    def edit(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["Fiche action"]
        sheet.add_image(Image(str(picture)), "D3")
        sheet.conditional_formatting.add(
            "B5", FormulaRule(formula=["LEN(B5)=0"], fill=PatternFill("solid", bgColor="FF00FF00"))
        )
        workbook["Indicateurs"].defined_names["ma_cible"] = DefinedName(
            "ma_cible", attr_text="Indicateurs!$E$5"
        )

    return edited(path, edit)


_X14 = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Listes!$A$2:$A$7</xm:f>'
    "</x14:formula1><xm:sqref>C6</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def test_images_x14_validations_and_the_groups_formats_are_kept(tmp_path, settings):
    fields = {k: v for k, v in clean_fields(settings).items() if k != "meteo"}
    path = _with_extras(base(tmp_path / "f.xlsx", settings, fields=fields), tmp_path)
    path = hostile.with_sheet_xml(path, tmp_path / "x14.xlsx", "Fiche action",
                                  lambda xml: xml.replace(b"</worksheet>", _X14.encode() + b"</worksheet>"))  # fmt: skip
    issues = check(path, settings).issues
    copy = copy_of(path, issues, tmp_path / "copie.xlsx")
    old, new = parts.members(path), parts.members(copy)
    for name in old:
        if name.startswith(("xl/media/", "xl/drawings/drawing")):
            assert new[name] == old[name], name
    sheet = new[parts.sheet_member(copy, "Fiche action")].decode()
    assert _X14 in sheet and sheet.index("<legacyDrawing") < sheet.index("<extLst")
    assert re.search(r"<drawing [^>]*/>", sheet)
    group = re.search(
        r'<conditionalFormatting sqref="B5">.*?</conditionalFormatting>', sheet
    ).group(0)
    assert "LEN(B5)=0" in group  # the group's own format, kept
    priorities = [int(p) for p in re.findall(r'<cfRule [^>]*priority="(\d+)"', sheet)]
    ours = re.search(r'<cfRule [^>]*priority="(\d+)"[^>]*><formula>"innova-controle"', sheet)
    assert ours and int(ours[1]) == 1 and sorted(priorities)[1] > 1  # ours first, alone
    assert list(parts.marks(copy, "Fiche action")) == ["B10"]
    book = new["xl/workbook.xml"].decode()
    assert re.search(r'<definedName name="ma_cible" localSheetId="4">', book)  # was 3
    assert [i.flat()[1:] for i in check(copy, settings).issues] == [i.flat()[1:] for i in issues]
    assert zipfile.ZipFile(copy).testzip() is None
    openpyxl.load_workbook(copy)


@pytest.mark.libreoffice
def test_libreoffice_keeps_the_groups_things_in_the_copy(tmp_path, settings):
    path = _with_extras(
        base(tmp_path / "f.xlsx", settings, fields={"code_action": "A3.2", "axe": 3}), tmp_path
    )
    copy = copy_of(path, check(path, settings).issues, tmp_path / "copie.xlsx")
    again = libreoffice_resave(copy, tmp_path / "lo")
    members = parts.members(again)
    assert any(name.startswith("xl/media/") for name in members)
    assert "ma_cible" in members["xl/workbook.xml"].decode()
    assert openpyxl.load_workbook(again).sheetnames[0] == SHEET_TITLE

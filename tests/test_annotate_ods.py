"""Annotated .ods copies, for the groups whose LibreOffice saves in its own format.

The inputs are the cases of ``annotate_cases`` saved as .ods by LibreOffice itself.
Their issues are those of the same workbook as .xlsx (the .ods reader is another
issue's); the copies are read back by python-calamine, and by our reader once
LibreOffice has converted them to .xlsx.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from python_calamine import CalamineWorkbook

from innova_reports.annotate import annotate_workbook
from innova_reports.annotate.ods import MARK_STYLES
from innova_reports.annotate.plan import AUTHOR, MARKER_SUFFIX, SHEET_TITLE
from innova_reports.pipeline.check import check_files
from innova_reports.read.safety import column_number
from innova_reports.report.issue import Severity
from tests import annotate_parts as parts
from tests.annotate_cases import CASES, GROUP_NOTE, PERIOD, TODAY, Case
from tests.factories import SOFFICE_TIMEOUT, soffice_path

pytestmark = pytest.mark.libreoffice
CASE_IDS = [case.name for case in CASES]
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def convert(paths: list[Path], target: str, folder: Path) -> list[Path]:
    """LibreOffice headless conversion, one run for all (own profile, bounded)."""
    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé : copies .ods non testées")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="innova-lo-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", target, "--outdir", str(folder),
                        *map(str, paths)], capture_output=True, timeout=SOFFICE_TIMEOUT, check=False)  # fmt: skip
    outputs = [folder / f"{p.stem}.{target.split(':')[0]}" for p in paths]
    assert all(p.exists() for p in outputs), outputs
    return outputs


def content(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read("content.xml"))


def table(root: ET.Element, name: str) -> ET.Element:
    for element in root.iter(q("table:table")):
        if element.get(q("table:name")) == name:
            return element
    raise KeyError(name)


def cell_at(sheet: ET.Element, cell: str) -> ET.Element:
    """The element of a cell, repeats expanded (independent of the annotator's walker)."""
    letters = cell.rstrip("0123456789")
    row_wanted, column_wanted = int(cell[len(letters) :]), column_number(letters)
    row = 1
    for element in sheet.iter(q("table:table-row")):
        rows = int(element.get(q("table:number-rows-repeated"), "1"))
        if row <= row_wanted < row + rows:
            column = 1
            for child in element:
                count = int(child.get(q("table:number-columns-repeated"), "1"))
                if column <= column_wanted < column + count:
                    return child
                column += count
        row += rows
    raise KeyError(cell)


def note_text(sheet: ET.Element, cell: str) -> str:
    annotation = cell_at(sheet, cell).find("office:annotation", NS)
    if annotation is None:
        return ""
    return "\n".join(odf_text(p) for p in annotation.findall("text:p", NS))


def odf_text(element: ET.Element) -> str:
    """The characters of an ODF paragraph as shown: ``text:s`` spaces, ``text:tab``."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == q("text:s"):
            parts.append(" " * int(child.get(q("text:c"), "1")))
        elif child.tag == q("text:tab"):
            parts.append("\t")
        else:
            parts.append(odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def marks(sheet: ET.Element) -> dict[tuple[str, str], str]:
    """(sheet, cell) -> applied style of our conditional formats."""
    found = {}
    for block in sheet.iter(q("calcext:conditional-format")):
        for condition in block.findall("calcext:condition", NS):
            if "innova-controle" in condition.get(q("calcext:value"), ""):
                ranges = block.get(q("calcext:target-range-address"))
                for first in re.findall(
                    r"((?:'(?:[^']|'')*'|[^\s.':]+)\.\$?[A-Z]+\$?\d+)(?::\S+)?", ranges
                ):
                    sheet, _, cell = first.replace("$", "").rpartition(".")
                    if sheet.startswith("'"):
                        sheet = sheet[1:-1].replace("''", "'")
                    found[(sheet, cell)] = condition.get(q("calcext:apply-style-name"))
    return found


def address(case: Case) -> str:
    return "'" + case.sheet.replace("'", "''") + "'." + case.cell


def issues_of(case_xlsx: Path, settings):
    return check_files([case_xlsx], settings, period=PERIOD, today=TODAY)


@pytest.fixture(scope="module")
def made(tmp_path_factory, settings) -> dict[str, tuple[Path, Path, Path]]:
    """Each case: its .xlsx, the same saved as .ods by LibreOffice, and the annotated copy."""
    folder = tmp_path_factory.mktemp("ods")
    workbooks = [case.build(folder / f"{case.name}.xlsx", settings) for case in CASES]
    odss = convert(workbooks, "ods", folder / "ods")
    result = {}
    for case, xlsx, ods in zip(CASES, workbooks, odss, strict=True):
        copy = folder / f"{case.name}_a-corriger.ods"
        copy.write_bytes(
            annotate_workbook(ods.read_bytes(), "ods", issues_of(xlsx, settings).issues)
        )
        result[case.name] = (xlsx, ods, copy)
    return result


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_cell_is_marked_and_noted(case: Case, made, settings):
    xlsx, _, copy = made[case.name]
    sheet = table(content(copy), case.sheet)
    severity = Severity.ERROR if case.severity == "erreur" else Severity.WARNING
    assert marks(sheet) == {(case.sheet, case.cell): MARK_STYLES[severity]}
    (issue,) = [i for i in issues_of(xlsx, settings).issues if i.type == case.type]
    text = note_text(sheet, case.cell)
    word = "Erreur" if severity is Severity.ERROR else "Avertissement"
    assert text.endswith(f"{AUTHOR} :\n{word} : {issue.message}")
    if case.name == "note-existante":
        assert text.startswith(GROUP_NOTE + "\n\n")


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_first_sheet_lists_the_points_and_links_to_the_cell(case: Case, made):
    _, ods, copy = made[case.name]
    book = CalamineWorkbook.from_path(str(copy))
    assert book.sheet_names[0] == SHEET_TITLE
    rows = book.get_sheet_by_name(SHEET_TITLE).to_python()
    assert rows[6][2:4] == [case.sheet, case.cell]
    links = [a.get(q("xlink:href")) for a in table(content(copy), SHEET_TITLE).iter(q("text:a"))]
    assert links == ["#" + address(case)]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_values_names_and_ranges_are_as_they_came(case: Case, made):
    _, ods, copy = made[case.name]
    before, after = CalamineWorkbook.from_path(str(ods)), CalamineWorkbook.from_path(str(copy))
    assert after.sheet_names == [SHEET_TITLE, *before.sheet_names]
    for name in before.sheet_names:
        assert (
            after.get_sheet_by_name(name).to_python() == before.get_sheet_by_name(name).to_python()
        )
    old, new = content(ods), content(copy)
    for tag in ("table:named-range", "table:named-expression", "table:database-range",
                "table:content-validation"):  # fmt: skip
        assert [e.attrib for e in old.iter(q(tag))] == [e.attrib for e in new.iter(q(tag))], tag
    for name in before.sheet_names:
        assert table(old, name).attrib == table(new, name).attrib
    old_parts, new_parts = parts.members(ods), parts.members(copy)
    assert list(new_parts)[0] == "mimetype"
    for name, data in old_parts.items():
        if name not in ("content.xml", "styles.xml", "settings.xml"):
            assert new_parts[name] == data, name


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_copy_of_the_copy_is_the_copy(case: Case, made, settings):
    xlsx, _, copy = made[case.name]
    issues = issues_of(xlsx, settings).issues
    assert annotate_workbook(copy.read_bytes(), "ods", issues) == copy.read_bytes()


@pytest.fixture(scope="module")
def resaved(made, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each copy saved again as .ods by LibreOffice, and converted to .xlsx by it."""
    folder = tmp_path_factory.mktemp("ods-lo")
    copies = [copy for _, _, copy in made.values()]
    sources = [ods for _, ods, _ in made.values()]
    ods_again = convert(copies, "ods", folder / "ods")
    as_xlsx = convert([*copies, *sources], "xlsx:Calc MS Excel 2007 XML", folder / "xlsx")
    return {
        name: (ods_again[i], as_xlsx[i], as_xlsx[len(copies) + i]) for i, name in enumerate(made)
    }


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_libreoffice_keeps_the_marks_and_next_month_clears_them(
    case: Case, resaved, made, settings, tmp_path
):
    xlsx, _, _ = made[case.name]
    again, _, _ = resaved[case.name]
    sheet = table(content(again), case.sheet)
    assert (case.sheet, case.cell) in marks(sheet)
    assert MARKER_SUFFIX in note_text(sheet, case.cell)
    issues = issues_of(xlsx, settings).issues
    next_month = tmp_path / "encore.ods"
    next_month.write_bytes(annotate_workbook(again.read_bytes(), "ods", issues))
    root = content(next_month)
    assert [t.get(q("table:name")) for t in root.iter(q("table:table"))].count(SHEET_TITLE) == 1
    assert list(marks(table(root, case.sheet))) == [(case.sheet, case.cell)]
    text = note_text(table(root, case.sheet), case.cell)
    assert text.count(MARKER_SUFFIX) == 1
    if case.name == "note-existante":
        assert text.count(GROUP_NOTE) == 1


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_copy_converted_by_libreoffice_reads_like_the_original(case: Case, resaved, settings):
    _, copy_xlsx, original_xlsx = resaved[case.name]
    before = check_files([original_xlsx], settings, period=PERIOD, today=TODAY)
    after = check_files([copy_xlsx], settings, period=PERIOD, today=TODAY)
    assert [i.flat()[1:] for i in after.issues] == [i.flat()[1:] for i in before.issues]
    assert MARKER_SUFFIX in parts.notes(copy_xlsx, case.sheet)[case.cell]


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x";"clic")', "<script>]]>&amp;", "deux  espaces  et\ttab", " devant"],
    ids=["formule", "balises", "espaces", "espace-devant"],
)
def test_hostile_values_stay_plain_text_in_ods(text, made, tmp_path):
    from innova_reports.report import catalogue

    _, ods, _ = made["champ"]
    issue = catalogue.issue("code-action-invalide", ods.name, sheet="Fiche action", cell="B5",
                            field="code_action", label="Code action", value=text)  # fmt: skip
    copy = tmp_path / "copie.ods"
    copy.write_bytes(annotate_workbook(ods.read_bytes(), "ods", [issue]))
    rows = CalamineWorkbook.from_path(str(copy)).get_sheet_by_name(SHEET_TITLE).to_python()
    assert rows[6][5] == text.replace("\t", "")  # calamine drops ODF tabs; LibreOffice shows them
    listed = table(content(copy), SHEET_TITLE)
    assert not [c for c in listed.iter(q("table:table-cell")) if c.get(q("table:formula"))]
    assert [a.get(q("xlink:href")) for a in listed.iter(q("text:a"))] == ["#'Fiche action'.B5"]
    assert f"« {text} »" in note_text(table(content(copy), "Fiche action"), "B5")
    value = cell_at(listed, "F7").find("text:p", NS)
    assert odf_text(value) == text

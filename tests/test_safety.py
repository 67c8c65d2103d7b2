"""Broken and hostile files: one French message each, never READ, never an exception."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest

from innova_reports.fields import ACTION
from innova_reports.model import ReadStatus
from innova_reports.read import safety
from innova_reports.read.workbook import read_folder, read_workbook
from innova_reports.report.issue import Severity
from tests import hostile
from tests.factories import make_workbook

FIELDS = {"code_action": "A3.2", "axe": 3, "titre": "Dématérialisation des procédures",
          "date_maj": dt.date(2018, 3, 15), "statut": "En cours"}  # fmt: skip
TASKS = [{"tache": "Recenser les procédures", "statut": "Fait", "avancement": 1}]


@pytest.fixture(scope="module")
def filled(tmp_path_factory, settings) -> Path:
    folder = tmp_path_factory.mktemp("modele")
    return make_workbook(
        folder / "A3.2.xlsx", ACTION, settings, fields=FIELDS, tables={"t_taches": TASKS}
    )


def refused(path: Path, settings, kind: str) -> str:
    """Assert the file is refused with exactly one French error of ``kind``."""
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.REFUSED
    assert outcome.data is None
    assert [issue.flat() for issue in outcome.issues] == [(path.name, "", "", kind, "erreur")]
    assert outcome.reason == outcome.issues[0].message
    return outcome.reason


# -- one test per kind of file -----------------------------------------------------------


def test_empty_file(tmp_path, settings):
    assert "vide" in refused(hostile.empty(tmp_path / "vide.xlsx"), settings, "fichier-vide")


def test_random_bytes(tmp_path, settings):
    reason = refused(hostile.random_bytes(tmp_path / "bruit.xlsx"), settings, "pas-un-zip")
    assert "illisible" in reason


def test_pdf_renamed(tmp_path, settings):
    path = hostile.pdf_file(tmp_path / "fiche.xlsx")
    assert "PDF" in refused(path, settings, "pas-un-zip")


def test_truncated_zip(tmp_path, settings, filled):
    path = hostile.truncated(filled, tmp_path / "coupe.xlsx")
    assert "tronqué" in refused(path, settings, "zip-tronque")


@pytest.mark.parametrize(
    ("builder", "kind", "said"),
    [
        (hostile.csv_file, "csv-renomme", "CSV"),
        (hostile.html_file, "html-renomme", "page web"),
        (hostile.xls_file, "xls-renomme", "Excel 97-2003"),
        (hostile.fods_file, "fods-renomme", "XML à plat (.fods)"),
        (hostile.numbers_file, "numbers-renomme", "Apple Numbers"),
    ],
)
@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_other_format_renamed_xlsx_or_ods(tmp_path, settings, builder, kind, said, suffix):
    reason = refused(builder(tmp_path / f"fiche{suffix}"), settings, kind)
    assert said in reason and f"changé en {suffix}" in reason


@pytest.mark.parametrize(
    ("builder", "name", "kind"),
    [
        (hostile.csv_file, "fiche.csv", "format-csv"),
        (hostile.xls_file, "fiche.xls", "format-xls"),
        (hostile.fods_file, "fiche.fods", "format-fods"),
        (hostile.numbers_file, "fiche.numbers", "format-numbers"),
    ],
)
def test_other_format_with_its_own_name(tmp_path, settings, builder, name, kind):
    assert ".xlsx" in refused(builder(tmp_path / name), settings, kind)


def test_a_fods_says_how_to_save_as_ods(tmp_path, settings):
    reason = refused(hostile.fods_file(tmp_path / "fiche.fods"), settings, "format-fods")
    assert "« Classeur ODF (.ods) »" in reason


def test_an_odf_text_document_is_not_a_workbook(tmp_path, settings):
    refused(hostile.odf_text_file(tmp_path / "compte-rendu.ods"), settings, "pas-un-classeur")


def test_an_ods_that_is_not_our_template(tmp_path, settings):
    refused(hostile.ods_file(tmp_path / "autre.ods"), settings, "pas-un-modele")


def test_password_protected(tmp_path, settings):
    reason = refused(
        hostile.encrypted_file(tmp_path / "secret.xlsx"), settings, "protege-par-mot-de-passe"
    )
    assert "mot de passe" in reason


def test_zip_that_is_not_a_workbook(tmp_path, settings):
    refused(hostile.plain_zip(tmp_path / "doc.xlsx"), settings, "pas-un-classeur")


def test_workbook_that_is_not_our_template(tmp_path, settings):
    path = tmp_path / "autre.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Mon tableau à moi"
    workbook.save(path)
    assert "modèle" in refused(path, settings, "pas-un-modele")


def test_unknown_template_version(tmp_path, settings, filled):
    def bump(xml: bytes) -> bytes:
        return xml.replace(b'"1.0+', b'"9.9+').replace(b">1.0+", b">9.9+")

    path = hostile.rewrite_zip(
        filled, tmp_path / "futur.xlsx", {"xl/workbook.xml": bump, "docProps/custom.xml": bump}
    )
    assert "9.9" in refused(path, settings, "version-inconnue")


@pytest.mark.parametrize(
    ("member", "laughs"),
    [("xl/workbook.xml", False), ("xl/styles.xml", True), ("docProps/custom.xml", False)],
)
def test_xml_with_doctype_or_entities(tmp_path, settings, filled, member, laughs):
    path = hostile.with_doctype(filled, tmp_path / "xxe.xlsx", member, laughs)
    assert "DOCTYPE" in refused(path, settings, "xml-dangereux")


@pytest.mark.parametrize(
    "hide",
    [
        pytest.param(lambda d: b"<!-- <a> -->" + d, id="after-a-comment-holding-a-tag"),
        pytest.param(lambda d: b"<!--" + b" " * 8000 + b"-->" + d, id="after-8-kB-of-comment"),
        pytest.param(lambda d: b"<?pi <a?>" + d, id="after-a-processing-instruction"),
    ],
)
@pytest.mark.parametrize("member", ["xl/styles.xml", "xl/workbook.xml"])
def test_doctype_hidden_in_the_prolog_is_still_refused(tmp_path, settings, filled, hide, member):
    path = hostile.rewrite_zip(
        filled,
        tmp_path / "cache.xlsx",
        {member: lambda xml: hostile.insert_in_prolog(xml, hide(hostile.XXE_DOCTYPE))},
    )
    refused(path, settings, "xml-dangereux")


def test_utf16_part_with_a_doctype_is_refused(tmp_path, settings, filled):
    def utf16(xml: bytes) -> bytes:
        text = hostile.insert_in_prolog(xml, hostile.XXE_DOCTYPE).decode("utf-8")
        return text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")

    path = hostile.rewrite_zip(filled, tmp_path / "utf16.xlsx", {"xl/styles.xml": utf16})
    refused(path, settings, "xml-dangereux")


def test_doctype_in_a_sheet(tmp_path, settings, filled):
    def edit(xml: bytes) -> bytes:
        return hostile.insert_in_prolog(xml, hostile.XXE_DOCTYPE)

    path = hostile.with_sheet_xml(filled, tmp_path / "xxe.xlsx", "Tâches", edit)
    refused(path, settings, "xml-dangereux")


def test_decompression_bomb(tmp_path, settings):
    path = hostile.bomb(tmp_path / "bombe.xlsx")
    assert path.stat().st_size < 50_000
    assert "par sécurité" in refused(path, settings, "bombe-decompression")


def test_too_large_file(tmp_path, settings, filled):
    limits = safety.Limits(max_file_bytes=1_000)
    outcome = read_workbook(filled, settings, limits=limits)
    assert [i.flat()[3:] for i in outcome.issues] == [("trop-volumineux", "erreur")]


def test_sheet_of_too_many_cells(tmp_path, settings, filled):
    path = hostile.huge_sheet(filled, tmp_path / "enorme.xlsx", "Tâches")
    assert "plus de 100 000 cellules" in refused(path, settings, "trop-de-cellules")


def test_lying_dimension_is_harmless(tmp_path, settings, filled):
    path = hostile.lying_dimension(filled, tmp_path / "dimension.xlsx", "Fiche action")
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.READ
    assert outcome.data.value("code_action") == "A3.2"


STRAY_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from innova_reports.read.workbook import read_workbook
    from innova_reports.settings import load_settings
    outcome = read_workbook(Path(sys.argv[1]), load_settings(sys.argv[2]))
    print(outcome.status.name, outcome.data.value("code_action"))
    """
)


def test_stray_cell_far_away_is_set_aside(tmp_path, settings, filled):
    path = hostile.stray_cell(filled, tmp_path / "loin.xlsx", "Fiche action")
    # calamine aborts the whole process on such a sheet: prove it survives, out of process.
    result = subprocess.run(
        [sys.executable, "-c", STRAY_SCRIPT, str(path), str(settings.path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["READ", "A3.2"]
    outcome = read_workbook(path, settings)
    assert outcome.issues == []
    assert [i.flat() for i in outcome.data.issues] == [
        ("loin.xlsx", "Fiche action", "XFD1048576", "cellules-hors-zone", "avertissement")
    ]
    assert outcome.data.value("titre") == "Dématérialisation des procédures"


def test_macros_are_read_not_run(tmp_path, settings, filled):
    path = hostile.with_macros(filled, tmp_path / "macros.xlsm")
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.READ and outcome.issues == []
    assert [i.flat() for i in outcome.data.issues] == [
        ("macros.xlsm", "", "", "macros-ignorees", "avertissement")
    ]
    assert outcome.data.value("code_action") == "A3.2"


@pytest.mark.parametrize(
    ("name", "builder", "said"),
    [
        ("~$A3.2.xlsx", hostile.excel_lock, "verrouillage d'Excel"),
        (".~lock.A3.2.xlsx#", hostile.libreoffice_lock, "verrouillage de LibreOffice"),
        ("notes.txt", hostile.text_file, "pas un classeur"),
        ("compte-rendu.pdf", hostile.pdf_file, "pas un classeur"),
        ("Thumbs.db", hostile.random_bytes, "système"),
        (".cache.xlsx", hostile.random_bytes, "caché"),
    ],
)
def test_ignored_files(tmp_path, settings, name, builder, said):
    outcome = read_workbook(builder(tmp_path / name), settings)
    assert outcome.status is ReadStatus.IGNORED
    assert said in outcome.reason and "ignoré" in outcome.reason
    assert [i.flat()[3:] for i in outcome.issues] == [("fichier-ignore", "info")]


def test_a_mixed_batch_goes_on(tmp_path, settings, filled):
    folder = tmp_path / "classeurs"
    (folder / "axe3").mkdir(parents=True)
    good = folder / "axe3" / "A3.2.xlsx"
    good.write_bytes(filled.read_bytes())
    hostile.empty(folder / "vide.xlsx")
    hostile.bomb(folder / "bombe.xlsx")
    hostile.with_doctype(filled, folder / "xxe.xlsx")
    hostile.excel_lock(folder / "~$A3.2.xlsx")
    hostile.text_file(folder / "notes.txt")
    (folder / "lien.xlsx").symlink_to("/etc/passwd")
    outcomes = read_folder(folder, settings)
    summary = [(o.source.name, o.status) for o in outcomes]
    assert summary == [
        ("axe3/A3.2.xlsx", ReadStatus.READ),
        ("bombe.xlsx", ReadStatus.REFUSED),
        ("notes.txt", ReadStatus.IGNORED),
        ("vide.xlsx", ReadStatus.REFUSED),
        ("xxe.xlsx", ReadStatus.REFUSED),
        ("~$A3.2.xlsx", ReadStatus.IGNORED),
    ]
    for outcome in outcomes:
        if outcome.status is ReadStatus.REFUSED:
            assert [i.severity for i in outcome.issues] == [Severity.ERROR]


def test_an_unreadable_file_is_refused_not_raised(tmp_path, settings):
    path = tmp_path / "disparu.xlsx"
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.REFUSED
    assert outcome.issues[0].type == "fichier-illisible"


# -- the safety functions themselves ------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b"PK\x03\x04rest", "zip"),
        (hostile.OLE_MAGIC + bytes(8), "ole"),
        (b"%PDF-1.7", "pdf"),
        (b"\xef\xbb\xbf<html><body>", "html"),
        ("a;b\n1;2\n".encode("cp1252"), "text"),
        (b"\x00\x01\x02\xff", "unknown"),
        (b'<?xml version="1.0"?>\n<office:document office:version="1.3">', "fods"),
    ],
)
def test_sniff(data, expected):
    assert safety.sniff(data) == expected


def test_ratio_is_checked_from_the_directory_only(tmp_path):
    archive = zipfile.ZipFile(hostile.bomb(tmp_path / "b.zip", megabytes=2))
    with pytest.raises(safety.Refusal) as caught:
        safety.check_directory(archive)
    assert caught.value.kind == "bombe-decompression"
    assert "compressée" in caught.value.message


def test_total_size_limit(tmp_path):
    archive = zipfile.ZipFile(hostile.bomb(tmp_path / "b.zip", megabytes=1))
    with pytest.raises(safety.Refusal, match="décompressé"):
        safety.check_directory(archive, safety.Limits(max_total_uncompressed=500_000))


def test_scan_finds_far_cells_and_removes_them():
    xml = (
        b'<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c>'
        b'<c r="IW1"><v>2</v></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr">'
        b"<is><t>x</t></is></c></row></sheetData></worksheet>"
    )
    scan = safety.scan_sheet(xml, "Feuille")
    assert scan.far_cells == ("IW1", "XFD1048576")
    cleaned = safety.without_cells(xml, scan.far_cells)
    assert b"XFD" not in cleaned and b"IW1" not in cleaned and b'<c r="A1"><v>1</v></c>' in cleaned


def test_scan_accepts_a_normal_sheet():
    xml = b'<worksheet><sheetData><row r="3"><c r="IV3"><v>1</v></c></row></sheetData></worksheet>'
    assert safety.scan_sheet(xml, "Feuille").far_cells == ()


@pytest.mark.parametrize("letters", ["A", "Z", "AA", "IV", "XFD"])
def test_column_letters_round_trip(letters):
    assert safety.column_letters(safety.column_number(letters)) == letters


# -- the XML parser itself ---------------------------------------------------------------

_HIDDEN_DOCTYPES = {
    "after a comment": b'<?xml version="1.0"?><!-- <a --><!DOCTYPE x [<!ENTITY e "hi">]><x>&e;</x>',
    "utf-16": '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE x [<!ENTITY e "hi">]><x>&e;</x>'.encode(
        "utf-16"
    ),
    "external": b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>',
    "laughs": b'<!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;">]><x>&b;</x>',
}


@pytest.mark.parametrize("xml", _HIDDEN_DOCTYPES.values(), ids=_HIDDEN_DOCTYPES.keys())
def test_parser_refuses_any_doctype(xml):
    """The prolog scan can be fooled (a comment, UTF-16); the parser itself cannot."""
    with pytest.raises(safety.Refusal) as caught:
        safety.parse_xml(xml, "xl/workbook.xml")
    assert caught.value.kind == "xml-dangereux"


def test_parser_refuses_undeclared_entities_as_broken():
    with pytest.raises(safety.Refusal) as caught:
        safety.parse_xml(b"<x>&e;</x>", "xl/workbook.xml")
    assert caught.value.kind == "zip-tronque"


def test_parser_reads_plain_xml():
    root = safety.parse_xml('<x a="é"><y>&amp;1</y></x>'.encode(), "p.xml")
    assert (root.get("a"), root[0].text) == ("é", "&1")

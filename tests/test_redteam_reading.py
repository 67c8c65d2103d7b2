"""The red-team corpus through ``check``: every value typed is read or reported.

For each case of ``tests/redteam/cases.py``: the issues it expects are there with their
severity, the values are read as the user meant them, and — the invariant that holds
whatever the case — every cell the user typed in is either read (its value reaches the
data, at that cell) or named by an *erreur* or *avertissement* (its cell, or its
column's header for a column that was not read). ``check`` says whether the file is
consolidated.
"""

from __future__ import annotations

import re

import pytest

from innova_reports.model import WorkbookData
from innova_reports.pipeline.check import check_paths
from innova_reports.report.issue import Issue, Severity
from tests.redteam.cases import CASES, Case
from tests.redteam.workbooks import PERIOD, TODAY, Typed


@pytest.fixture(scope="module")
def results(tmp_path_factory, settings):
    """Every case built and checked once (each alone, as a group checks its file)."""
    found = {}
    for case in CASES:
        folder = tmp_path_factory.mktemp(case.name)
        path, typed = case.build(folder, settings)
        found[case.name] = (check_paths([path], settings, period=PERIOD, today=TODAY), typed)
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case, results):
    checked, typed = results[case.name]
    (outcome,) = checked.batch.outcomes
    issues = checked.batch.issues
    flat = {issue.flat()[1:] for issue in issues}
    for expected in case.issues:
        assert expected in flat, f"{expected} not in {sorted(flat)}"
    assert not {i.type for i in issues} & set(case.absent), [i.flat() for i in issues]
    for words in case.says:
        assert any(words in issue.message for issue in issues), (words, _messages(issues))
    for key, expected in case.values.items():
        assert _value(outcome.data, key) == expected, key
    for cell in (cell for cell in typed if cell.value is not None):  # a cell cleared: nothing
        assert _read(outcome.data, cell) or _reported(cell, issues), (cell, _messages(issues))
    verdict = checked.verdicts[outcome.source.name]
    assert verdict.startswith("sera consolidé" if case.consolidated else "ne sera pas"), verdict


def test_the_corpus_covers_every_new_reading_rule():
    """Each issue type this corpus is about has a case: a rule without one is untested
    against the way people type."""
    covered = {issue[2] for case in CASES for issue in case.issues}
    assert {
        "lignes-sous-tableau", "valeurs-hors-tableau", "colonne-inconnue-remplie",
        "colonne-renommee", "colonne-manquante", "colonne-facultative-manquante",
        "valeur-comprise", "valeur-hors-liste-actuelle", "valeur-pourcentage-unite",
        "valeur-pourcentage-douteuse", "fichier-ecarte",
    } <= covered  # fmt: skip


def _messages(issues: list[Issue]) -> list[str]:
    return [f"{i.flat()[1:]} {i.message}" for i in issues]


def _value(data: WorkbookData, key: tuple):
    if len(key) == 1:
        return data.value(key[0])
    table, field_id, row = key
    return data.tables[table].loc[row, field_id]


def _read(data: WorkbookData, cell: Typed) -> bool:
    """Whether the value typed in ``cell`` reached the data, at that cell."""
    for raw in data.fields.values():
        if (raw.sheet, raw.cell) == (cell.sheet, cell.cell):
            return raw.value is not None
    letters, row = re.match(r"([A-Z]+)(\d+)", cell.cell).groups()
    for name, frame in data.tables.items():
        if data.table_sheets.get(name) != cell.sheet:
            continue
        for field_id, letter in data.table_letters.get(name, {}).items():
            if letter == letters and int(row) in frame.index:
                return frame.loc[int(row), field_id] is not None
    return False


def _reported(cell: Typed, issues: list[Issue]) -> bool:
    """Whether an erreur or avertissement names the cell, or the header of its column."""
    letters = cell.cell.rstrip("0123456789")
    for issue in issues:
        if issue.severity is Severity.INFO or issue.sheet != cell.sheet:
            continue
        if issue.cell == cell.cell or re.search(rf"\b{cell.cell}\b", issue.message):
            return True
        if issue.type.startswith("colonne") and issue.cell.rstrip("0123456789") == letters:
            return True
    return False

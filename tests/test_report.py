"""The Issue value object and how values are shown to a group."""

from __future__ import annotations

import datetime as dt

import pytest

from innova_reports.report.issue import Issue, Severity, display_value, has_errors, sort_issues


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (True, "VRAI"),
        (False, "FAUX"),
        (dt.date(2018, 3, 15), "15/03/2018"),
        (dt.datetime(2018, 3, 15), "15/03/2018"),
        (dt.datetime(2018, 3, 15, 10, 30), "15/03/2018 10:30"),
        (dt.time(10, 30), "10:30"),
        (3.0, "3"),
        (12.5, "12,5"),
        (float("nan"), ""),
        ("x" * 100, "x" * 77 + "…"),
    ],
)
def test_display_value_shows_what_a_french_user_typed(value, shown):
    assert display_value(value) == shown


def _issue(file, severity, sheet="", cell=""):
    return Issue(file=file, type="t", severity=severity, message="m", sheet=sheet, cell=cell)


def test_sort_puts_errors_first_then_cells_in_reading_order():
    issues = [
        _issue("b.xlsx", Severity.ERROR, "Tâches", "C10"),
        _issue("a.xlsx", Severity.WARNING, "Tâches", "B2"),
        _issue("a.xlsx", Severity.ERROR, "Tâches", "AA3"),
        _issue("a.xlsx", Severity.ERROR, "Tâches", "B3"),
    ]
    assert [(i.file, i.cell) for i in sort_issues(issues)] == [
        ("a.xlsx", "B3"),
        ("a.xlsx", "AA3"),
        ("a.xlsx", "B2"),
        ("b.xlsx", "C10"),
    ]
    assert has_errors(issues)
    assert not has_errors([_issue("a", Severity.WARNING)])


def test_place_and_flat():
    issue = _issue("a.xlsx", Severity.ERROR, "Tâches", "E12")
    assert issue.place == "a.xlsx › Tâches › E12"
    assert issue.flat() == ("a.xlsx", "Tâches", "E12", "t", "erreur")
    assert issue.as_dict()["severity"] == "erreur"

"""Render issues for people (a French text table grouped by file) and for machines (JSON).

Both renderings carry the same content: one entry per file with its status line and
its issues. The check command prints them; the run summary of the other commands reuses
them. Plain text on purpose: it reads the same in a terminal, a pipe or an email.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from innova_reports.frenchfmt import strip_invisible
from innova_reports.model import ReadOutcome, ReadStatus, ValidatedBatch
from innova_reports.report.issue import Issue, Severity, sort_issues

CONSOLIDATED_VERDICT = "sera consolidé"  # consolidate.selection.verdict's word for a kept file
WIDTH = 80  # a narrow terminal: what the check command wraps to at least
MIN_MESSAGE_WIDTH = 30  # narrower than this, the message goes under its place

SEVERITY_LABELS = {
    Severity.ERROR: "erreur",
    Severity.WARNING: "avertissement",
    Severity.INFO: "info",
}
NOUNS = {
    Severity.ERROR: ("erreur", "erreurs"),
    Severity.WARNING: ("avertissement", "avertissements"),
    Severity.INFO: ("information", "informations"),
}


@dataclass(frozen=True)
class FileReport:
    """What the check says about one file: its status line and its issues."""

    file: str
    status: str  # ReadStatus value: "lu", "ignoré", "refusé"
    reason: str
    issues: tuple[Issue, ...]
    verdict: str = ""  # what consolidating will do with it (« sera consolidé »), if known
    checked: bool = True  # False: a file named to check that is not a workbook at all

    def count(self, severity: Severity) -> int:
        return sum(1 for issue in self.issues if issue.severity is severity)

    @property
    def summary(self) -> str:
        """« ✔ aucun problème », « 2 erreurs, 1 avertissement », « refusé : … »."""
        if self.status in (ReadStatus.REFUSED.value, ReadStatus.IGNORED.value):
            summary = f"{self.status} : {self.reason}" if self.reason else self.status
        else:
            summary = counts_text(self.issues) or "✔ aucun problème"
        if not self.checked:
            return f"{summary} — rien n'a été contrôlé"
        if not self.verdict or self.status == ReadStatus.IGNORED.value:  # said already
            return summary
        return f"{summary} — {self.verdict}"

    @property
    def shown_issues(self) -> tuple[Issue, ...]:
        """The issues to list under the status line (not the reason said again)."""
        return tuple(issue for issue in self.issues if issue.message != self.reason)


def file_reports(
    batch_or_issues: ValidatedBatch | Iterable[Issue],
    outcomes: Sequence[ReadOutcome] | None = None,
    *,
    verdicts: Mapping[str, str] | None = None,
    not_checked: Iterable[str] = (),
) -> list[FileReport]:
    """One report per file: files of the outcomes in order, then files only in issues;
    with what consolidating will do with each (``verdicts``, from the selection) and the
    files named that are not workbooks (``not_checked``)."""
    verdicts = verdicts or {}
    unchecked = set(not_checked)
    if isinstance(batch_or_issues, ValidatedBatch):
        issues = list(batch_or_issues.issues)
        outcomes = batch_or_issues.outcomes if outcomes is None else outcomes
    else:
        issues = list(batch_or_issues)
    by_file: dict[str, list[Issue]] = {}
    for issue in sort_issues(issues):
        by_file.setdefault(issue.file, []).append(issue)
    reports = []
    for outcome in outcomes or ():
        name = outcome.source.name
        own = tuple(by_file.pop(name, ()))
        reports.append(FileReport(name, outcome.status.value, outcome.reason, own,
                                  verdicts.get(name, ""), name not in unchecked))  # fmt: skip
    for name, own in by_file.items():
        reports.append(FileReport(name, ReadStatus.READ.value, "", tuple(own),
                                  verdicts.get(name, "")))  # fmt: skip
    return reports


def counts_text(issues: Iterable[Issue]) -> str:
    """« 2 erreurs, 1 avertissement », or "" when there is nothing."""
    issues = list(issues)
    parts = []
    for severity, (one, many) in NOUNS.items():
        n = sum(1 for issue in issues if issue.severity is severity)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def issues_table(
    batch_or_issues: ValidatedBatch | Iterable[Issue],
    outcomes: Sequence[ReadOutcome] | None = None,
    *,
    width: int | None = None,
    verdicts: Mapping[str, str] | None = None,
    not_checked: Iterable[str] = (),
) -> str:
    """The French text report: each file, its status, then its issues in a table.

    With a ``width`` (a terminal's), messages wrap inside their column, since the
    terminal's own wrapping would break the columns; without, one line per issue, as
    a pipe, grep or a log wants it.
    """
    reports = file_reports(batch_or_issues, outcomes, verdicts=verdicts, not_checked=not_checked)
    lines: list[str] = []
    for report in reports:
        lines.append(f"{_safe(report.file)} — {_safe(report.summary)}")  # prose: soft-wraps
        lines.extend(_issue_lines(report.shown_issues, width))
        lines.append("")
    lines.append(_overall(reports))
    return "\n".join(lines) + "\n"


def _safe(text: str) -> str:
    """Text from a workbook, made harmless for a terminal: no control character (an
    escape sequence could rewrite the screen), no invisible one, on one line."""
    return " ".join(strip_invisible(str(text)).split())


def terminal_width(columns: int) -> int:
    """The width to wrap to in a terminal of ``columns``: at least 80, at most 120."""
    return max(WIDTH, min(columns, 120))


def _issue_lines(issues: Sequence[Issue], width: int | None) -> list[str]:
    """A table whose message column wraps under itself; when the places are so long
    that little room is left, each message goes on the lines under its place."""
    if not issues:
        return []
    places = [_safe(" › ".join(p for p in (i.sheet, i.cell) if p)) or "(fichier)" for i in issues]
    place_width = max(len("Emplacement"), *(len(place) for place in places))
    header = f"  {'Gravité':<13}  {'Emplacement':<{place_width}}  Message"
    lines = [header, "  " + "-" * (min(len(header), width or len(header)) - 2)]
    column = len(header) - len("Message")
    below = width is not None and width - column < MIN_MESSAGE_WIDTH
    for issue, place in zip(issues, places, strict=True):
        label = SEVERITY_LABELS[issue.severity]
        start = f"  {label:<13}  {place:<{place_width}}  "
        message = _safe(issue.message)
        if width is None:
            lines.append(start + message)
            continue
        if below:
            lines.append(start.rstrip())
            lines.extend(
                textwrap.wrap(
                    message,
                    width,
                    initial_indent="      ",
                    subsequent_indent="      ",
                    break_on_hyphens=False,
                )
            )
            continue  # fmt: skip
        wrapped = textwrap.wrap(message, width - column, break_on_hyphens=False) or [""]
        lines.append(start + wrapped[0])
        lines.extend(" " * column + more for more in wrapped[1:])
    return lines


def _overall(reports: Sequence[FileReport]) -> str:
    """« Bilan : 2 fichiers contrôlés (…) — 1 erreur. »; a named file that is not a
    workbook is not counted as checked: it is said apart, after them."""
    checked = [r for r in reports if r.checked]
    total = len(checked)
    refused = sum(1 for r in checked if r.status == ReadStatus.REFUSED.value)
    ignored = sum(1 for r in checked if r.status == ReadStatus.IGNORED.value)
    read = [r for r in checked if r.status == ReadStatus.READ.value]
    clean = sum(1 for r in read if r.count(Severity.ERROR) == 0)
    parts = [f"{clean} sans erreur", f"{len(read) - clean} à corriger"]
    if refused:
        parts.append(f"{refused} refusé{'s' if refused > 1 else ''}")
    if ignored:
        parts.append(f"{ignored} ignoré{'s' if ignored > 1 else ''}")
    issues = [i for r in checked for i in r.issues]
    counts = counts_text(issues) or "aucun problème"
    noun = "fichier contrôlé" if total == 1 else "fichiers contrôlés"
    said = f"{total} {noun} ({', '.join(parts)}) — {counts}" if total else "aucun fichier contrôlé"
    unchecked = len(reports) - total
    if unchecked:
        said += (" ; 1 fichier nommé n'est pas un classeur, il n'a pas été contrôlé"
                 if unchecked == 1 else
                 f" ; {unchecked} fichiers nommés ne sont pas des classeurs, ils n'ont pas "
                 "été contrôlés")  # fmt: skip
    return f"Bilan : {said}."


def issues_json(
    batch_or_issues: ValidatedBatch | Iterable[Issue],
    outcomes: Sequence[ReadOutcome] | None = None,
    *,
    verdicts: Mapping[str, str] | None = None,
    not_checked: Iterable[str] = (),
) -> str:
    """The same report for machines: files, statuses and every field of every issue."""
    reports = file_reports(batch_or_issues, outcomes, verdicts=verdicts, not_checked=not_checked)
    issues = [i for r in reports for i in r.issues]
    document = {
        "valid": is_valid(reports),
        "counts": _counts(issues),
        "files": [
            {
                "file": r.file,
                "status": r.status,
                "reason": r.reason,
                "summary": r.summary,
                "checked": r.checked,
                "verdict": r.verdict,
                "consolidated": r.verdict == CONSOLIDATED_VERDICT if r.verdict else None,
                "counts": _counts(r.issues),
                "issues": [issue.as_dict() for issue in r.issues],
            }
            for r in reports
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def is_valid(reports: Iterable[FileReport]) -> bool:
    """No erreur anywhere, no refused file, and every file named checked: what the
    check's exit code says."""
    return all(
        r.checked and r.status != ReadStatus.REFUSED.value and r.count(Severity.ERROR) == 0
        for r in reports
    )


def _counts(issues: Iterable[Issue]) -> dict[str, int]:
    issues = list(issues)
    return {str(s): sum(1 for i in issues if i.severity is s) for s in Severity}

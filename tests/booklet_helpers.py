"""Helpers of the booklet tests: PDF text by page, the contents read back, hostile data.

The PDFs are read with pypdf, as a person searching or copying the text would get it;
``squash`` takes out every kind of space (line breaks of the layout, the narrow no-break
spaces of French typography, the zero-width break opportunities of long words) so a text
can be compared with what was typed wherever the lines were broken.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from innova_reports.model import Snapshot
from innova_reports.settings import Settings
from tests.snapshot_factory import make_snapshot

_SPACES = re.compile(r"[\s\u00a0\u202f\u200b\u2060]+")
# « A1.1 – Renforcer la qualité … . . . . 7 »: a contents line (Typst puts a word joiner
# before the page number)
_ENTRY = re.compile(r"^(?P<title>.+?)\s*(?:\.\s*){3,}\u2060?\s*(?P<page>\d+)$")

# Texts that would do something if they were read as Typst markup or code, or as HTML
HOSTILE_TITLE = '#read("/etc/passwd")'
HOSTILE_TEXTS = {
    "titre": HOSTILE_TITLE,
    "contexte": '] fin du bloc ] #set page(width: 1cm) #include "x.typ"',
    "finalites": "*gras* _souligné_ `code` $x^2$ $ 1 + 1 $",
    "contenu": "@ref <label> <script>alert('x')</script> = Titre",
    "chef_projet": "Émilie 👩‍💼 Bouyssou 🎉🚀 ❤️ 😀",
    "contributeurs": "\\ // /* */ #{ } #let x = 1 [ ]",
}
HOSTILE_TASKS = ("]", "*", "$", "@", "<script>")  # task names of A1.1, then A1.2
LONG_LENGTH = 30_000


def pages_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def squash(text: str) -> str:
    return _SPACES.sub("", text)


def contents(pages: list[str]) -> dict[str, int]:
    """The contents' entries (title -> page) of a booklet, read from its text."""
    entries: dict[str, int] = {}
    pending = ""  # a long title runs over two lines, its page number on the second
    for text in pages[1:6]:  # the contents follows the cover
        for line in text.splitlines():
            line = line.strip()
            if line == "Sommaire" or re.fullmatch(r"page \d+ / \d+", line):
                continue
            candidate = f"{pending} {line}" if pending else line
            match = _ENTRY.match(candidate)
            if match:
                entries[match["title"].strip()] = int(match["page"])
                pending = ""
            else:
                pending = candidate
    return entries


def long_text(length: int = LONG_LENGTH) -> str:
    """``length`` characters of words, with a word of 400 characters without a space."""
    words = ("Les usagers attendent une réponse claire ; le service s'organise ! "
             "Pourquoi ? Parce que « l'accueil » compte.")  # fmt: skip
    text = (words + " ") * (length // (len(words) + 1) + 1)
    unbroken = "x" * 400
    text = text[: length // 2] + " " + unbroken + " " + text[length // 2 :]
    return text[:length]


def hostile_snapshot(settings: Settings) -> Snapshot:
    """The synthetic period with hostile texts in action A1.1 and 30,000 characters
    in A1.2's context and in A2.1's title (the sheets are otherwise the factory's)."""
    snapshot = make_snapshot(settings)
    actions = snapshot.tables["actions"].copy()
    first = actions.index[actions["code_action"] == "A1.1"][0]
    for column, text in HOSTILE_TEXTS.items():
        actions.at[first, column] = text
    second = actions.index[actions["code_action"] == "A1.2"][0]
    actions.at[second, "contexte"] = long_text()
    third = actions.index[actions["code_action"] == "A2.1"][0]
    actions.at[third, "titre"] = long_text()
    tasks = snapshot.tables["taches"].copy()
    rows = tasks.index[tasks["code_action"].isin(["A1.1", "A1.2"])]
    for row, text in zip(rows, HOSTILE_TASKS, strict=False):
        tasks.at[row, "tache"] = text
    tables = {**snapshot.tables, "actions": actions, "taches": tasks}
    return Snapshot(snapshot.period, snapshot.reporting_date, snapshot.created, tables)


def with_column(snapshot: Snapshot, table: str, code: str, column: str, value) -> Snapshot:
    """A copy of ``snapshot`` where ``column`` of action ``code``'s rows is ``value``."""
    frame: pd.DataFrame = snapshot.tables[table].copy()
    frame.loc[frame["code_action"] == code, column] = value
    return Snapshot(snapshot.period, snapshot.reporting_date, snapshot.created,
                    {**snapshot.tables, table: frame})  # fmt: skip


def body_text(pages: list[str]) -> str:
    """The pages' text without their running header (first line) and « page N / M »
    footer (last line): what flows from one page to the next."""
    kept = []
    for text in pages:
        lines = text.splitlines()
        if lines and re.fullmatch(r"page \d+ / \d+", lines[-1].strip()):
            lines = lines[:-1]
        kept.append("\n".join(lines[1:]))
    return "\n".join(kept)

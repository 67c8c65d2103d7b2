"""The booklet and the action sheets as PDF, typeset by Typst (the ``typst`` wheel).

The template (``plan_actions.typ``, package data) receives the whole document as one
JSON string in ``sys.inputs``: user text is data the template places, never markup it
evaluates. The fonts are the ones Python packages ship — DejaVu from matplotlib (a
dependency already) and Noto Emoji / Noto Sans Symbols from ``manimgx-fonts`` — and the
system's fonts are ignored, so a PDF is the same on every machine and embeds them all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import unicodedata
from dataclasses import asdict
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from innova_reports.booklet.blocks import (
    ActionSheet,
    Block,
    Booklet,
    Fields,
    Heading,
    Paragraphs,
    Table,
)
from innova_reports.booklet.sheet import trajectory_note

TEMPLATE = "plan_actions.typ"
_BREAK_EVERY = 24  # characters of a word without spaces between two break opportunities
_ZERO_WIDTH_SPACE = "\u200b"


class PdfError(Exception):
    """Typst refused the document (a bug of ours: the data cannot break the template)."""


def font_paths() -> list[str]:
    """Folders of the fonts the booklet uses, all from installed Python packages."""
    import matplotlib

    paths = [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]
    with contextlib.suppress(ModuleNotFoundError):  # a dependency: absent, emoji are lost
        paths.append(str(resources.files("manimgx_fonts")))
    return paths


class Typesetter:
    """One Typst compiler (template parsed and fonts indexed once) for many documents."""

    def __init__(self) -> None:
        import typst

        self._typst = typst
        # a file on disk, not bytes: typst-py 0.15 finds bytes input only on the first
        # compilation of a Compiler; the template's folder is the project root, so the
        # template could read nothing else (and reads nothing at all)
        template = Path(__file__).with_name(TEMPLATE)
        self._compiler = typst.Compiler(
            str(template), root=str(template.parent), font_paths=font_paths(),
            ignore_system_fonts=True,
        )  # fmt: skip

    def pdf(self, document: dict[str, Any], timestamp: dt.datetime) -> bytes:
        """The PDF of a document built by ``booklet_document`` or ``sheet_document``."""
        return self.pdf_from_json(as_json(document), timestamp)

    def pdf_from_json(self, data: str, timestamp: dt.datetime) -> bytes:
        """The same, from the document already as JSON (what worker processes receive)."""
        _COMPILED_IN.add(os.getpid())
        try:
            return self._compiler.compile(
                format="pdf", sys_inputs={"data": data}, timestamp=timestamp
            )
        except self._typst.TypstError as exc:
            raise PdfError(f"{exc.message} {exc.hints}") from exc

    def png_pages(self, document: dict[str, Any], ppi: float) -> list[bytes]:
        """Every page as a PNG image (the reviewed baseline images of the tests)."""
        _COMPILED_IN.add(os.getpid())
        pages = self._compiler.compile(
            format="png", ppi=ppi, sys_inputs={"data": as_json(document)}
        )
        return pages if isinstance(pages, list) else [pages]


_COMPILED_IN: set[int] = set()  # processes that compiled: Typst's thread pool runs there


def compiled_here() -> bool:
    """Whether this process has compiled with Typst: a child forked from it could not
    (Typst's native thread pool would be copied without its threads)."""
    return os.getpid() in _COMPILED_IN


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


@cache
def typesetter() -> Typesetter:
    return Typesetter()


def booklet_document(booklet: Booklet) -> dict[str, Any]:
    """The template's data for the whole booklet: cover, contents and every part."""
    return {
        "document": {"title": booklet.title, "author": booklet.author},
        "cover": {k: breakable(v) for k, v in asdict(booklet.cover).items()},
        "contents_title": booklet.contents_title,
        "header": None,
        "blocks": [block_data(block) for block in booklet.body()],
    }


def sheet_document(booklet: Booklet, sheet: ActionSheet) -> dict[str, Any]:
    """The template's data for one action sheet on its own: its axis in the header."""
    blocks = [*sheet.blocks, trajectory_note()] if sheet.received else list(sheet.blocks)
    first = blocks[0]
    if isinstance(first, Heading):  # the sheet's title, as the first heading of its PDF
        blocks[0] = Heading(1, first.text)
    return {
        "document": {
            "title": f"{booklet.cover.programme} – {first.text}",
            "author": booklet.author,
        },
        "cover": None,
        "contents_title": None,
        "header": breakable(
            f"{booklet.cover.programme} – {booklet.cover.title} – {sheet.axis_label}"
        ),
        "blocks": [block_data(block) for block in blocks],
    }


def block_data(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "text": breakable(block.text),
                "new_page": block.new_page}  # fmt: skip
    if isinstance(block, Paragraphs):
        return {"kind": "paragraphs", "items": [breakable(p) for p in block.paragraphs],
                "note": block.note}  # fmt: skip
    if isinstance(block, Fields):
        return {"kind": "fields", "rows": [[breakable(k), breakable(v)] for k, v in block.rows]}
    if isinstance(block, Table):
        return {
            "kind": "table",
            "columns": [breakable(c) for c in block.columns],
            "rows": [[breakable(c) for c in row] for row in block.rows],
            "widths": list(block.widths),
            "numeric": list(block.numeric),
            "total": None if block.total is None else [breakable(c) for c in block.total],
        }
    raise TypeError(block)


def breakable(text: str | tuple) -> Any:
    """``text`` where a line may break inside a very long word (a pasted link, 30,000
    characters without a space): a zero-width space every few characters, which Typst
    breaks at and does not print. Short words, and everything else, stay as they are."""
    if isinstance(text, tuple):
        return [breakable(item) for item in text]
    if len(text) <= _BREAK_EVERY or not any(len(w) > _BREAK_EVERY for w in text.split()):
        return text
    out, run = [], 0
    for index, char in enumerate(text):
        out.append(char)
        run = 0 if char.isspace() else run + 1
        following = text[index + 1] if index + 1 < len(text) else ""
        if run >= _BREAK_EVERY and following and _may_break(char, following):
            out.append(_ZERO_WIDTH_SPACE)
            run = 0
    return "".join(out)


def _may_break(char: str, following: str) -> bool:
    """Never inside a character cluster (accents, emoji sequences, variation selectors)."""
    if following.isspace() or char in "\u200d" or following in "\u200d":
        return False
    if unicodedata.combining(following) or unicodedata.category(following) in ("Mn", "Me", "Cf"):
        return False
    code = ord(following)
    return not (
        0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or 0xE0000 <= code <= 0xE01EF
    )

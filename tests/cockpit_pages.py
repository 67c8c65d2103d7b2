"""Reading the status pages back in tests, as a person reads them: figures, sections,
links, and the elements a parser finds (``html.parser``, as a browser tokenises)."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

from innova_reports.model import Snapshot, snapshot_columns
from innova_reports.settings import Settings


class Parsed(HTMLParser):
    """Every start tag with its attributes, the ``data-key`` figures and their values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.figures: dict[str, str] = {}
        self._figure: str | None = None
        self._in_value = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if "data-key" in attributes:
            self._figure = attributes["data-key"]
        if self._figure and attributes.get("class") == "value":
            self._in_value = True

    def handle_endtag(self, tag):
        if tag == "span" and self._in_value:
            self._in_value = False
            self._figure = None

    def handle_data(self, data):
        if self._in_value and self._figure:
            self.figures[self._figure] = self.figures.get(self._figure, "") + data

    @property
    def hrefs(self) -> list[str]:
        return [a["href"] for tag, a in self.elements if tag == "a" and a.get("href")]

    @property
    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.elements if a.get("id")}


def parse(page: str) -> Parsed:
    parser = Parsed()
    parser.feed(page)
    parser.close()
    return parser


def figure(parsed: Parsed, key: str) -> int:
    """A figure as the page shows it (« 1 234 » with a narrow space), as a number."""
    return int(re.sub(r"\s", "", parsed.figures[key]))


def plain_text(fragment: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def section_text(page: str, fragment: str) -> str:
    """The words of the ``<section>`` whose heading has ``id=fragment``."""
    start = page.index(f'<section aria-labelledby="{fragment}">')
    return plain_text(page[start : page.index("</section>", start)])


def broken_links(page_path: Path, page: str) -> list[str]:
    """Every link of the page that does not open an existing file (or a part of the
    page that exists): what the coordinator would click in vain."""
    parsed = parse(page)
    broken = []
    for href in parsed.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            broken.append(f"{href} (hors du dossier)")
            continue
        if not parts.path:
            if parts.fragment not in parsed.ids:
                broken.append(href)
            continue
        if not (page_path.parent / unquote(parts.path)).is_file():
            broken.append(href)
    return broken


def with_rows(snapshot: Snapshot, settings: Settings, table: str, rows: list[dict]) -> Snapshot:
    """The snapshot with ``table`` replaced by ``rows`` (missing columns empty)."""
    columns = list(snapshot_columns(settings)[table])
    frame = pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)
    tables = {**snapshot.tables, table: frame.astype(object)}
    return Snapshot(snapshot.period, snapshot.reporting_date, snapshot.created, tables)


def table_rows(page: str, marker: str) -> list[list[str]]:
    """The body rows of the first table after ``marker`` (a caption, a heading), each
    as the words of its cells."""
    start = page.index(marker)
    body = page[start : page.index("</table>", start)]
    body = re.sub(r"<thead>.*?</thead>", "", body, flags=re.DOTALL)
    rows = []
    for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, re.DOTALL):
        cells = re.findall(r"<t([hd])\b[^>]*>(.*?)</t\1>", row, re.DOTALL)
        rows.append([plain_text(content) for _, content in cells])
    return rows

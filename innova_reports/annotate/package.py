"""A returned workbook's zip package, its members edited by name and written back.

Opened with the reader's own safety checks (sizes and ratios from the zip directory,
every XML part's prolog vetted for a DOCTYPE): a file the reader would refuse gets no
copy. Members keep their order, names and dates; only the parts we change are new.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from innova_reports.annotate.xmltext import CannotAnnotate
from innova_reports.read.safety import (
    DEFAULT_LIMITS,
    Limits,
    check_directory,
    open_zip,
    parse_xml,
    read_member,
    vet_member,
)

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_XML_SUFFIXES = (".xml", ".rels", ".vml")


class Package:
    """The members of a zip; ``text`` and ``put`` read and write them as XML text."""

    def __init__(self, data: bytes, suffix: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.archive = open_zip(data, suffix)
        check_directory(self.archive, limits)
        self.infos = {info.filename: info for info in self.archive.infolist()}
        self.order = list(self.infos)
        self.changed: dict[str, bytes] = {}
        self.removed: set[str] = set()
        self.parsed: set[str] = set()  # parts already parsed once
        self.read: dict[str, bytes] = {}  # members already inflated (and vetted)
        for name in self.order:
            if name.lower().endswith(_XML_SUFFIXES):
                vet_member(self.archive, name)

    def __contains__(self, name: str) -> bool:
        return name not in self.removed and (name in self.changed or name in self.infos)

    def names(self) -> list[str]:
        """Members in their order, then the new ones in the order they were added."""
        kept = [name for name in self.order if name not in self.removed]
        return kept + [name for name in self.changed if name not in self.infos]

    def raw(self, name: str) -> bytes:
        if name in self.removed:
            raise KeyError(name)
        if name in self.changed:
            return self.changed[name]
        if name not in self.read:
            xml = name.lower().endswith(_XML_SUFFIXES)
            self.read[name] = read_member(self.archive, name) if xml else self.archive.read(name)
        return self.read[name]

    def text(self, name: str, *, parse: bool = True) -> str:
        """A part as text, parsed once first (well-formed, no DOCTYPE); UTF-8 only.

        ``parse=False`` for VML, which Excel does not always write as well-formed XML:
        its prolog was vetted on opening, and it is only ever appended to."""
        data = self.raw(name)
        declared = _DECLARED.match(data)
        if declared and declared[1].lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
            raise CannotAnnotate(f"la partie {name} n'est pas en UTF-8")
        if parse and name not in self.changed and name not in self.parsed:
            parse_xml(data, name)
            self.parsed.add(name)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CannotAnnotate(f"la partie {name} n'est pas en UTF-8") from None

    def put(self, name: str, content: str | bytes) -> None:
        self.removed.discard(name)
        self.changed[name] = content.encode("utf-8") if isinstance(content, str) else content

    def remove(self, name: str) -> None:
        self.changed.pop(name, None)
        if name in self.infos:
            self.removed.add(name)

    def free_name(self, pattern: str) -> str:
        """The first ``pattern.format(n)`` (n = 1, 2, …) that no member has."""
        taken = {n.lower() for n in self.names()}
        number = 1
        while pattern.format(number).lower() in taken:
            number += 1
        return pattern.format(number)

    def to_bytes(self, *, stored_first: str | None = None) -> bytes:
        """The package written back: members in their order, new ones at the end.

        ``stored_first`` (an ODS's ``mimetype``) is written first and uncompressed."""
        out = io.BytesIO()
        names = self.names()
        if stored_first in names:
            names.remove(stored_first)
            names.insert(0, stored_first)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                old = self.infos.get(name)
                entry = zipfile.ZipInfo(name, date_time=old.date_time if old else _FIXED_TIME)
                entry.external_attr = old.external_attr if old else 0o644 << 16
                stored = name == stored_first
                entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                data = self.changed.get(name) or self.read.get(name) or self.archive.read(name)
                target.writestr(entry, data, compresslevel=None if stored else 6)
        return out.getvalue()


def folder_of(part: str) -> str:
    return posixpath.dirname(part)


def resolve(source_part: str, target: str) -> str:
    """A relationship target as a member name, relative to the part that holds it."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(folder_of(source_part), target))


def relative(source_part: str, target_part: str) -> str:
    return posixpath.relpath(target_part, folder_of(source_part) or ".")

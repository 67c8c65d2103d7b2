"""Editing XML parts as text: insert, remove and change elements in place.

The parts of a returned workbook are patched, never re-serialised: a parser's output
would rename namespace prefixes (which ``mc:Ignorable`` lists by name), drop what it
does not know, and reorder attributes. Each part is first parsed by
``read.safety.parse_xml`` (well-formed, no DOCTYPE); these helpers then find tags by
patterns that respect quoted attribute values.
"""

from __future__ import annotations

import html
import re
from functools import cache

_ATTRS = r"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*"""
_ATTR = re.compile(r"""([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")


class CannotAnnotate(Exception):
    """A part is not shaped as expected: no copy is made rather than a broken one."""


@cache
def start_tag(name: str) -> re.Pattern[str]:
    """A start or empty tag ``<name …>`` / ``<name …/>`` (group ``end`` is "/" or "")."""
    return re.compile(rf"<{re.escape(name)}(?P<attrs>{_ATTRS})(?P<end>/?)>")


@cache
def element(name: str) -> re.Pattern[str]:
    """A whole element, empty or with content (the same name never nests in it)."""
    escaped = re.escape(name)
    return re.compile(rf"<{escaped}(?P<attrs>{_ATTRS})(?:/>|>(?P<body>.*?)</{escaped}\s*>)", re.S)


_HEAD = re.compile(rf"<[^\s/>]+({_ATTRS})")


def attributes(tag: str) -> dict[str, str]:
    """The attributes of the start tag ``tag`` begins with, unescaped."""
    head = _HEAD.match(tag)
    found = _ATTR.findall(head.group(1)) if head else []
    return {name: html.unescape(value[1:-1]) for name, value in found}


def with_attribute(tag: str, name: str, value: str | None) -> str:
    """The start tag with attribute ``name`` set (escaped), or removed when None."""
    pattern = re.compile(rf"""\s{re.escape(name)}\s*=\s*(?:"[^"]*"|'[^']*')""")
    tag = pattern.sub("", tag, count=1)
    if value is None:
        return tag
    close = len(tag) - (2 if tag.endswith("/>") else 1)
    escaped = html.escape(value, quote=True)
    return f'{tag[:close].rstrip()} {name}="{escaped}"{tag[close:]}'


def prefix_of(xml: str, local: str) -> str:
    """The namespace prefix of the root element ``local`` ("" or "x:")."""
    match = re.search(rf"<(?:([A-Za-z_][\w.-]*):)?{local}[\s/>]", xml)
    if match is None:
        raise CannotAnnotate(f"élément racine {local} introuvable")
    return f"{match[1]}:" if match[1] else ""


def namespace_prefix(xml: str, uri: str) -> str | None:
    """The prefix the root binds to ``uri`` ("r:"), "" for the default one, or None."""
    root = re.search(r"<[^?!][^>]*>", xml)
    if root is None:
        return None
    for name, value in _ATTR.findall(root.group(0)):
        if html.unescape(value[1:-1]) == uri:
            if name == "xmlns":
                return ""
            if name.startswith("xmlns:"):
                return name[6:] + ":"
    return None


def text_of(body: str) -> str:
    """The character data of an element body (tags dropped, references decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", body))


def insert_before_first(xml: str, names: tuple[str, ...], snippet: str, *, start: int = 0,
                        end: int | None = None) -> str:  # fmt: skip
    """Insert ``snippet`` before the first of the tags ``names`` found in [start, end),
    else at ``end`` (by default just before the root's closing tag)."""
    stop = len(xml) if end is None else end
    found = [m.start() for name in names if (m := start_tag(name).search(xml, start, stop))]
    if found:
        at = min(found)
    elif end is not None:
        at = end
    else:
        at = xml.rfind("</")
        if at < 0:
            raise CannotAnnotate("balise fermante de la racine introuvable")
    return xml[:at] + snippet + xml[at:]


def ensure_open(xml: str, name: str) -> str:
    """Turn an empty element ``<name …/>`` into ``<name …></name>``."""
    match = start_tag(name).search(xml)
    if match is None or not match["end"]:
        return xml
    opened = match.group(0)[:-2].rstrip() + ">"
    return xml[: match.start()] + opened + f"</{name}>" + xml[match.end() :]

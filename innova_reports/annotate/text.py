"""Plain text for spreadsheet XML: what a user typed stays text, whatever its shape.

Messages quote values as the user typed them (« =HYPERLINK(...) », « <script> »,
control characters). They only ever go into text nodes and attribute values, through
``xml_text`` and ``xml_attr``: XML-escaped, stripped of the characters XML 1.0 cannot
carry, and with Excel's ``_xHHHH_`` escape itself escaped, so that « _x0041_ » typed
by a user does not come back as « A ».
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 cannot hold, even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def plain(text: object) -> str:
    """Printable text: control characters (other than tab and line breaks) become a
    visible « ? » so that the message still shows where they were."""
    value = "" if text is None else str(text)
    return _NOT_XML.sub("?", value.replace("\r\n", "\n").replace("\r", "\n"))


def ooxml_string(text: object) -> str:
    """A string as Excel's string types store it: ``_xHHHH_`` sequences escaped."""
    return _EXCEL_ESCAPE.sub(r"_x005F_\1", plain(text))


def xml_text(text: object) -> str:
    """Escaped for an XML text node (``&``, ``<``, ``>``)."""
    return escape(plain(text))


def xml_attr(text: object) -> str:
    """A quoted, escaped XML attribute value, line breaks kept as references."""
    return quoteattr(plain(text), {"\n": "&#10;", "\t": "&#9;"})


def sheet_reference(sheet: str, cell: str) -> str:
    """``'Tâches'!E12``: the location of an internal link, the sheet always quoted."""
    return "'" + sheet.replace("'", "''") + "'!" + cell

"""The templates' identity: which template a workbook is, and which version of it.

Every template carries its kind and version twice, as constant defined names and as
custom document properties, so that either survives a re-save by Excel or LibreOffice.
The template writer stamps them; the reader recognises them.

Version scheme. A template's structure comes from two sources, and its version names
both: ``"<dictionary>+<settings>"``, for example ``"1.0+5b2e07c1"``.

- The *dictionary version* (``"1.0"``) names the field dictionary (``fields.py``): the
  fields and tables, their ids, labels (the reader matches table columns by header),
  types and fixed closed lists. It is bumped **by hand**, here, with a line in
  ``VERSION_LOG`` saying what changed, whenever such a change is made. A test
  (``tests/test_versions.py``) recomputes the dictionary's fingerprint
  (``fields.dictionary_fingerprint``) and fails when it no longer matches the one
  logged for the current version: a structural change cannot ship unversioned.
- The *settings fingerprint* (8 hex digits) names what the template takes from the
  programme settings: the follow-up months (one indicator column each) and the closed
  lists (axes, services, councils). It is computed, never typed: extending the
  follow-up months or renaming a service in ``programme.toml`` gives new templates a
  new version, and the same settings always give the same one.

The reader reads every dictionary version in ``KNOWN_VERSIONS``, whatever the
fingerprint: a file made under other settings (fewer months, an old service name) is
read, and what differs is said by the reader, never refused. Templates written before
the fingerprint existed are stamped ``"1.0"`` alone, and still read as dictionary 1.0.
A field added in a later dictionary version says so (``fields.Field.since``), so the
reader knows that an older file simply does not have it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

KIND_NAME = "innova_modele"  # defined name and custom property holding the kind
VERSION_NAME = "innova_version"  # defined name and custom property holding the version
SEPARATOR = "+"  # between the dictionary version and the settings fingerprint

# Every dictionary version ever produced, oldest first: (fingerprint of the dictionary
# as fields.dictionary_fingerprint computes it, what changed). Never remove a line.
VERSION_LOG: dict[str, tuple[str, str]] = {
    "1.0": (
        "4229b428",
        "First templates: the roadmap (7 fields, tables t_actions, t_acteurs, "
        "t_calendrier, t_moyens, t_livrables) and the action sheet (16 fields, tables "
        "t_taches and t_indicateurs with one column per follow-up month).",
    ),
}
DICTIONARY_VERSION = "1.0"  # the current one: the last of VERSION_LOG
TEMPLATE_VERSION = DICTIONARY_VERSION  # what the reader names as « la version attendue »
KNOWN_VERSIONS = tuple(VERSION_LOG)


def fingerprint(lines: Iterable[str]) -> str:
    """8 hex digits naming a structure given as text lines (order matters)."""
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return digest[:8]


def template_version(settings_fingerprint: str) -> str:
    """The version stamped in a template written today: « 1.0+5b2e07c1 »."""
    return f"{DICTIONARY_VERSION}{SEPARATOR}{settings_fingerprint}"


def dictionary_version(stamp: str) -> str:
    """The dictionary part of a stamped version: « 1.0+5b2e07c1 » and « 1.0 » → « 1.0 »."""
    return stamp.partition(SEPARATOR)[0].strip()


def settings_fingerprint(stamp: str) -> str | None:
    """The settings part of a stamped version, None for a file stamped before it existed."""
    return stamp.partition(SEPARATOR)[2].strip() or None


def is_known(stamp: str) -> bool:
    """Whether this program reads a workbook stamped ``stamp``."""
    return dictionary_version(stamp) in KNOWN_VERSIONS


def version_key(version: str) -> tuple[int, ...]:
    """Dictionary versions in order: « 1.10 » comes after « 1.9 »."""
    parts = []
    for part in dictionary_version(version).split("."):
        parts.append(int(part) if part.isdigit() else -1)
    return tuple(parts)


def predates(version: str, since: str) -> bool:
    """Whether a file stamped ``version`` was made before dictionary ``since`` (a field's
    ``Field.since``) existed: such a file never had that field."""
    return is_known(version) and is_before(version, since)


def is_before(version: str, other: str) -> bool:
    """Whether dictionary ``version`` is older than ``other`` (a field's ``since``)."""
    return version_key(version) < version_key(other)

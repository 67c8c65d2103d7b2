"""The templates' identity: how a workbook says which template and version it is.

Every template carries its kind and version twice, as constant defined names and as
custom document properties, so that either survives a re-save by Excel or LibreOffice.
The template writer stamps them; the reader recognises them. ``KNOWN_VERSIONS`` lists
every version this software has produced and still reads.
"""

from __future__ import annotations

KIND_NAME = "innova_modele"  # defined name and custom property holding the kind
VERSION_NAME = "innova_version"  # defined name and custom property holding the version
TEMPLATE_VERSION = "1.0"
KNOWN_VERSIONS = (TEMPLATE_VERSION,)

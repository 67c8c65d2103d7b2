"""Finding the returned files and naming them as people read them.

What is in the workbooks folder, which files are ours to read (lock files, system
files and non-spreadsheets are ignored, and said so), and each file's display name,
size, hash and modification date.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import posixpath
import re
from pathlib import Path

from innova_reports.model import SourceFile

# Read (.xlsx family, .ods, .ots) or refused with the reason and how to convert them.
SPREADSHEET_SUFFIXES = (
    ".xlsx", ".xlsm", ".xltx", ".xltm", ".ods", ".ots",
    ".xls", ".xlsb", ".fods", ".numbers", ".csv",
)  # fmt: skip


SYSTEM_FILES = ("thumbs.db", "desktop.ini", ".ds_store")


def discover(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted; symlinks leading out of it are not followed."""
    root = Path(folder).resolve()
    found = []
    for directory, subdirs, names in os.walk(folder, followlinks=False):
        for name in names:
            path = Path(directory) / name
            if path.is_symlink() and not _inside(path, root):
                continue
            found.append(path)
        subdirs.sort()
    return sorted(found)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def _ignored_reason(name: str) -> str | None:
    """Why a file is not ours to read, in French; None for a spreadsheet."""
    base = name.rsplit("/", 1)[-1]
    if base.startswith("~$"):
        return "Fichier de verrouillage d'Excel (créé tant qu'un classeur est ouvert), ignoré sans conséquence."
    if base.startswith(".~lock.") and base.endswith("#"):
        return "Fichier de verrouillage de LibreOffice (créé tant qu'un classeur est ouvert), ignoré sans conséquence."
    if base.lower() in SYSTEM_FILES:
        return "Fichier système, ignoré."
    if any(part.startswith(".") for part in name.split("/")):
        return "Fichier caché, ignoré."
    suffix = posixpath.splitext(base)[1].lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        shown = f"« {suffix} »" if suffix else "sans extension"
        return f"Ce n'est pas un classeur (fichier {shown}), ignoré : seuls les classeurs .xlsx et .ods sont lus."
    return None


def display_name(path: Path, root: Path | None) -> str:
    """The file's name as every output shows it: relative to the folder, readable."""
    if root is not None:
        try:
            return readable(path.relative_to(root).as_posix())
        except ValueError:
            pass
    return readable(path.name)


def readable(name: str) -> str:
    """A file name as a person reads it, and as UTF-8 can carry it.

    Python holds the bytes of a name that is not UTF-8 (a file from an old Windows zip,
    say: « é » as the single byte E9) as lone surrogates, which no UTF-8 output (CSV,
    SQLite, the workbooks, the terminal) accepts. Those bytes are read as Windows-1252,
    which is what such names nearly always are; the file itself is opened by its path.
    """
    if not _SURROGATES.search(name):
        return name
    return os.fsencode(name).decode("utf-8", errors=_WINDOWS_1252)


def _as_windows_1252(error: UnicodeDecodeError) -> tuple[str, int]:
    undecoded = error.object[error.start : error.end]
    return undecoded.decode("cp1252", errors="replace"), error.end


_SURROGATES = re.compile(r"[\ud800-\udfff]")


_WINDOWS_1252 = "innova-reports-windows-1252"


codecs.register_error(_WINDOWS_1252, _as_windows_1252)


def source_of(path: Path, name: str, data: bytes | None) -> SourceFile:
    try:
        stat = path.stat()
        size, modified = stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime)
    except OSError:
        size, modified = 0, dt.datetime.fromtimestamp(0)
    digest = hashlib.sha256(data).hexdigest() if data is not None else ""
    return SourceFile(path, name, size if data is None else len(data), digest, modified)

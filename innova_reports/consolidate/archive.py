"""Archive the exact input files of a period, with their sha256.

The archive is what lets the coordinator prove, months later, which workbook a figure
of the plan d'actions came from. It is rebuilt as a whole on each run of the period and
swapped into place, so it always matches the last consolidation.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections.abc import Iterable
from pathlib import Path

from innova_reports.model import ReadOutcome
from innova_reports.support.atomic import atomic_dir

MANIFEST = "manifeste.csv"
MANIFEST_HEADER = ("fichier", "statut", "sha256", "taille")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_inputs(outcomes: Iterable[ReadOutcome], target: Path) -> list[Path]:
    """Copy every input file under ``target`` (keeping relative paths) plus a manifest.

    The manifest records the sha256 and size of each copy as archived. Returns the
    archived copies, in the manifest's order.
    """
    archived: list[Path] = []
    lines: list[tuple[str, str, str, int]] = []
    with atomic_dir(target) as folder:
        for outcome in sorted(outcomes, key=lambda o: o.source.name):
            copy = folder / _safe_relative(outcome.source.name)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(outcome.source.path, copy)
            lines.append(
                (outcome.source.name, str(outcome.status), sha256_of(copy), copy.stat().st_size)
            )
            archived.append(target / copy.relative_to(folder))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(MANIFEST_HEADER)
        writer.writerows(lines)
        (folder / MANIFEST).write_text(buffer.getvalue(), encoding="utf-8")
    return archived


def read_manifest(target: Path) -> list[dict[str, str]]:
    with open(target / MANIFEST, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


def archived_copy(target: Path, name: str) -> Path:
    """Where ``archive_inputs`` put the file of display name ``name`` under ``target``."""
    return Path(target) / _safe_relative(name)


def _safe_relative(name: str) -> Path:
    """A display name as a relative path that cannot escape the archive folder."""
    parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".", "..")]
    if parts and parts[0] == MANIFEST and len(parts) == 1:
        parts = ["_" + MANIFEST]
    return Path(*parts) if parts else Path("_sans_nom")

"""Writing files atomically: a temporary file in the same folder, then os.replace."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

PDF_METADATA = {"Creator": "innova-reports", "Producer": "innova-reports", "CreationDate": None}


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp creates 0600; outputs are shared documents
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def png_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def write_pdf(path: Path, figures: list[Figure], title: str) -> Path:
    """A multi-page PDF, without a creation date so a re-run gives the same bytes."""
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={**PDF_METADATA, "Title": title}) as pdf:
        for figure in figures:
            pdf.savefig(figure)
    return write_bytes(path, buffer.getvalue())

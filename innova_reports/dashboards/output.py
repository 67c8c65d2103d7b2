"""Figures to PNG bytes and PDF files, written atomically (innova_reports.support.atomic)."""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from innova_reports.support.atomic import write_bytes, write_text

__all__ = ["png_bytes", "write_bytes", "write_pdf", "write_text"]

PDF_METADATA = {"Creator": "innova-reports", "Producer": "innova-reports", "CreationDate": None}


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

"""The booklet's cover and one action sheet page compared with reviewed baseline images.

The baselines in tests/baseline/ (``booklet_*.png``) were rendered by
``python -m tests.baseline.make_booklet_baselines`` from the synthetic period of
tests/snapshot_factory.py and looked at before being committed. Typst renders the pages
itself (PNG, fonts from Python packages only), so the images are the same on every
machine with the pinned typst version. When the layout changes on purpose, regenerate
them, look at each, and commit them with the change. Comparison: RMS of the pixel
differences (0–255), as for the dashboards' charts.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from innova_reports.booklet.content import build_booklet
from innova_reports.booklet.typst_pdf import booklet_document, typesetter
from innova_reports.settings import load_settings
from tests.booklet_helpers import contents
from tests.conftest import SETTINGS_FILE
from tests.snapshot_factory import make_snapshot
from tests.test_dashboards_figures import TOLERANCE, rms

BASELINE_DIR = Path(__file__).parent / "baseline"
PPI = 45
ACTION = "A1.1"


def render_pages() -> dict[str, bytes]:
    """The cover and the first page of action A1.1's sheet, as PNG."""
    settings = load_settings(SETTINGS_FILE)
    booklet = build_booklet(make_snapshot(settings), settings)
    pages = typesetter().png_pages(booklet_document(booklet), PPI)
    return {"booklet_cover": pages[0], "booklet_action": pages[_page_of(booklet, ACTION) - 1]}


def _page_of(booklet, code: str) -> int:
    """The page number of ``code``'s heading, as the PDF's contents give it."""
    pdf = typesetter().pdf(booklet_document(booklet), _STAMP)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return next(page for title, page in contents(pages).items() if title.startswith(f"{code} – "))


_STAMP = dt.datetime(2018, 5, 31, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def rendered():
    return render_pages()


@pytest.mark.parametrize("name", ["booklet_cover", "booklet_action"])
def test_page_matches_reviewed_baseline(rendered, name, tmp_path):
    baseline = BASELINE_DIR / f"{name}.png"
    if not baseline.is_file():
        pytest.fail(
            f"missing baseline {baseline}: run python -m tests.baseline.make_booklet_baselines"
        )
    difference = rms(baseline.read_bytes(), rendered[name])
    if difference > TOLERANCE:
        (tmp_path / f"{name}-actual.png").write_bytes(rendered[name])
    assert difference <= TOLERANCE, f"{name}: RMS {difference:.2f}, see {tmp_path}"


def test_comparator_tells_the_two_pages_apart(rendered):
    assert rms(rendered["booklet_cover"], rendered["booklet_cover"]) == 0
    assert rms(rendered["booklet_cover"], rendered["booklet_action"]) > TOLERANCE

"""Regenerate the reviewed screenshots of tests/test_browser.py.

    .venv/bin/python -m tests.baseline.make_browser_baselines

It runs the sample month (tests/sample_month.py) in a temporary folder and takes the
screenshots the test takes. Then LOOK at each PNG in tests/baseline/ (and at the pages
themselves, full size) before committing: a baseline is a claim that the page is right.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from innova_reports.settings import load_settings
from tests import browser as chromium
from tests.conftest import SETTINGS_FILE
from tests.sample_month import build_sample_month
from tests.test_browser import SCREENSHOTS
from tests.test_dashboards_figures import BASELINE_DIR


def main() -> None:
    reason = chromium.why_no_browser()
    if reason:
        raise SystemExit(reason)
    with tempfile.TemporaryDirectory(prefix="innova-baselines-") as folder:
        month = build_sample_month(Path(folder), load_settings(SETTINGS_FILE))
        with chromium.launched() as browser:
            for name, page in sorted(SCREENSHOTS.items()):
                path = BASELINE_DIR / f"{name}.png"
                path.write_bytes(chromium.screenshot(browser, month.output / page))
                print(f"{path} ({path.stat().st_size // 1024} Ko)")


if __name__ == "__main__":
    main()

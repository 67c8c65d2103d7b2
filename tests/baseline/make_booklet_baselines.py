"""Regenerate the reviewed baseline images of tests/test_booklet_baselines.py.

    .venv/bin/python -m tests.baseline.make_booklet_baselines

Then LOOK at tests/baseline/booklet_*.png before committing: a baseline is a claim
that the page is right.
"""

from __future__ import annotations

from tests.test_booklet_baselines import BASELINE_DIR, render_pages


def main() -> None:
    for name, data in render_pages().items():
        path = BASELINE_DIR / f"{name}.png"
        path.write_bytes(data)
        print(f"{path} ({path.stat().st_size // 1024} Ko)")


if __name__ == "__main__":
    main()

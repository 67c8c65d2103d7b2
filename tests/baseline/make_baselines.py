"""Regenerate the reviewed baseline images of tests/test_dashboards_figures.py.

    .venv/bin/python -m tests.baseline.make_baselines

Then LOOK at every PNG in tests/baseline/ before committing: a baseline is a claim
that the chart is right.
"""

from __future__ import annotations

from tests.test_dashboards_figures import BASELINE_DIR, CASES, render_case


def main() -> None:
    for name in sorted(CASES):
        path = BASELINE_DIR / f"{name}.png"
        path.write_bytes(render_case(name))
        print(f"{path} ({path.stat().st_size // 1024} Ko)")


if __name__ == "__main__":
    main()

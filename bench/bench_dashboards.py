"""Time the dashboard stage: the sample period drawn with 1 worker, then 2 workers.

    .venv/bin/python bench/bench_dashboards.py [--period 2018-05] [--rounds 1]

Consolidates the shipped sample workbooks into a temporary folder (not timed), then
times ``draw_dashboards`` alone. Prints one line per worker count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from innova_reports.fields import month_end  # noqa: E402
from innova_reports.pipeline.consolidate import consolidate_period  # noqa: E402
from innova_reports.pipeline.dashboards import draw_dashboards  # noqa: E402
from innova_reports.settings import load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2018-05")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    settings = load_settings(ROOT / "programme.toml")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder)
        today = month_end(args.period) + dt.timedelta(days=3)
        consolidate_period(settings, args.period, workbooks_dir=ROOT / "workbooks",
                           output_dir=output, today=today)  # fmt: skip
        draw_dashboards(settings, args.period, output_dir=output, workers=1)  # warm-up
        for workers in (1, 2):
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                result = draw_dashboards(settings, args.period, output_dir=output, workers=workers)
                times.append(time.perf_counter() - start)
            print(f"dashboards {args.period}: {workers} worker(s) {min(times):.2f} s "
                  f"({len(result.paths)} files)")  # fmt: skip


if __name__ == "__main__":
    main()

"""Benchmark: reading .ods files against reading the .xlsx they came from, same run.

Generates the filled action sheet of ``bench_read`` (every single field, 30 tasks, 10
indicators with all their months) and every sample workbook, has real LibreOffice save
each as .ods (one headless run), copies every file N times, then prints milliseconds
per file for the .xlsx and the .ods side by side, and their ratio: our read + extract +
normalise in one process (CPU time of the process, less sensitive than wall time to the
other programs of a shared machine), then the batch as ``consolidate`` reads it
(``pipeline.batch.read_files``, on every core, wall time). Each figure is the best of
``--repeat`` runs; a CPU probe (bench_pipeline's fixed loop) is timed before and after,
to say how fast the machine was. The target is 5 ms per .ods file in a batch.

    .venv/bin/python bench/bench_ods.py [-n 200] [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_pipeline import cpu_probe  # noqa: E402
from bench.bench_read import ours, sample_values  # noqa: E402
from innova_reports.fields import ACTION  # noqa: E402
from innova_reports.pipeline.batch import read_files, worker_count  # noqa: E402
from innova_reports.settings import load_settings  # noqa: E402
from tests.factories import make_workbook  # noqa: E402
from tests.libreoffice import convert_many  # noqa: E402

TARGET_MS = 5.0


def per_file(run: Callable[[Path], None], paths: list[Path], repeat: int) -> float:
    """CPU milliseconds per file of this process, best of ``repeat``."""
    run(paths[0])  # warm-up: imports, caches
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for path in paths:
            run(path)
        best = min(best, time.process_time() - start)
    return best / len(paths) * 1000


def batch_per_file(paths: list[Path], settings, repeat: int) -> float:
    """Wall milliseconds per file of the batch reader (worker processes), best of ``repeat``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        outcomes = read_files(paths, settings)
        best = min(best, time.perf_counter() - start)
        assert all(o.data is not None for o in outcomes), [o.reason for o in outcomes]
    return best / len(paths) * 1000


def copies(sources: list[Path], folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for index in range(n):
        source = sources[index % len(sources)]
        paths.append(folder / f"{index:04d}_{source.name}")
        shutil.copyfile(source, paths[-1])
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="number of copies per set (200)")
    parser.add_argument("--repeat", type=int, default=3, help="best of (3)")
    parser.add_argument("--profile", action="store_true", help="cProfile the .ods reading")
    args = parser.parse_args()
    probe = cpu_probe()
    settings = load_settings(ROOT / "programme.toml")
    fields, tables = sample_values(settings)
    with tempfile.TemporaryDirectory(prefix="innova-bench-ods-") as tmp:
        tmp = Path(tmp)
        big = make_workbook(tmp / "src" / "fiche_pleine.xlsx", ACTION, settings,
                            fields=fields, tables=tables)  # fmt: skip
        samples = sorted((ROOT / "workbooks").rglob("*.xlsx"))
        xlsx_sources = [big, *samples]
        ods_sources = convert_many(xlsx_sources, tmp / "ods-src", "ods")
        rows = []
        for label, xlsx, ods in (("action sheet, every field filled", [big], ods_sources[:1]),
                                 ("the 18 sample workbooks", samples, ods_sources[1:])):  # fmt: skip
            x = copies(xlsx, tmp / f"x-{len(rows)}", args.n)
            o = copies(ods, tmp / f"o-{len(rows)}", args.n)
            size_x = sum(p.stat().st_size for p in xlsx) // len(xlsx) // 1000
            size_o = sum(p.stat().st_size for p in ods) // len(ods) // 1000
            rows.append((f"{label} ({size_x} kB .xlsx, {size_o} kB .ods)", None, None))
            rows.append(("  read + extract + normalise, 1 process (CPU)",
                         per_file(ours(settings), x, args.repeat),
                         per_file(ours(settings), o, args.repeat)))  # fmt: skip
            rows.append((f"  batch read, {worker_count(None, len(o))} worker(s) (wall)",
                         batch_per_file(x, settings, args.repeat),
                         batch_per_file(o, settings, args.repeat)))  # fmt: skip
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(lambda: [ours(settings)(p) for p in o])
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    print(f"{args.n} copies per set, best of {args.repeat}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}; CPU probe (lower is faster): {probe:.0f} ms "
          f"before, {cpu_probe():.0f} ms after")  # fmt: skip
    print(f"{'':<52} {'.xlsx':>7} {'.ods':>7} {'ratio':>6}  ms/file (target .ods <= {TARGET_MS:g})")
    for label, xlsx_ms, ods_ms in rows:
        if xlsx_ms is None:
            print(label)
            continue
        verdict = "PASS" if ods_ms <= TARGET_MS else "FAIL"
        print(f"{label:<52} {xlsx_ms:7.2f} {ods_ms:7.2f} {ods_ms / xlsx_ms:6.2f}  {verdict}")


if __name__ == "__main__":
    main()

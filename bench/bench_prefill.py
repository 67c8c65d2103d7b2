"""Benchmark of ``prefill``: pre-filled workbooks for 1,000 action sheets, and how it grows.

It generates N action sheets as ``bench_pipeline.py`` does (every single field, 30 tasks,
10 indicators with their months up to the period, one roadmap per axis announcing every
code), consolidates them once (not timed), then times ``write_prefilled`` on the
snapshot's first n sheets for several n (their roadmaps included), in this process.
Next to it, the baseline: the same workbooks written by openpyxl (the writer's blank
workbook filled cell by cell and saved), timed on a sample and counted per file.

    .venv/bin/python bench/bench_prefill.py [--sizes 100,250,500,1000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_S = 15.0  # issue 14: 1,000 action sheets in under 15 s
BASELINE_SAMPLE = 40


def subset(snapshot, count: int):
    """The snapshot restricted to its first ``count`` action sheets (and every roadmap)."""
    actions = snapshot.table("actions").iloc[:count]
    files = set(actions["fichier"]) | set(snapshot.table("feuilles_de_route")["fichier"])
    codes = set(actions["code_action"])
    tables = {}
    for name, frame in snapshot.tables.items():
        if name == "actions":
            tables[name] = actions
        elif name == "actions_annoncees":
            tables[name] = frame[frame["code"].isin(codes)]
        elif "fichier" in frame.columns and name not in ("sources", "anomalies", "suivi"):
            tables[name] = frame[frame["fichier"].isin(files)]
        else:
            tables[name] = frame
    return dataclasses.replace(snapshot, tables=tables)


def baseline_per_file(snapshot, settings) -> float:
    """Seconds per workbook when openpyxl writes it (blank workbook, cells, save)."""
    from innova_reports import fields as fd
    from innova_reports.template.prefill import prefill_documents
    from innova_reports.template.writer import build_workbook, workbook_bytes

    documents = [d for d in prefill_documents(snapshot, settings) if d.kind == fd.ACTION]
    sample = documents[:BASELINE_SAMPLE]
    start = time.perf_counter()
    for document in sample:
        wb, places = build_workbook(fd.template_spec(fd.ACTION, settings), settings)
        for field_id, value in document.values["fields"].items():
            place = places.fields[field_id]
            wb[place.sheet][f"{place.letter}{place.row}"].value = value
        for name, rows in document.values["tables"].items():
            place = places.tables[name]
            for offset, row in enumerate(rows, start=1):
                for field_id, value in row.items():
                    wb[place.sheet][f"{place.letters[field_id]}{place.header + offset}"] = value
        workbook_bytes(wb, settings)
    return (time.perf_counter() - start) / len(sample)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,250,500,1000")
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs per size")
    args = parser.parse_args(argv)
    sizes = [int(part) for part in args.sizes.split(",")]

    import datetime as dt

    from bench_pipeline import PERIOD, generate

    from innova_reports.pipeline.consolidate import consolidate_period
    from innova_reports.settings import load_settings
    from innova_reports.template.prefill import write_prefilled

    settings = load_settings(ROOT / "programme.toml")
    with tempfile.TemporaryDirectory(prefix="innova-bench-prefill-") as tmp:
        folder, output = Path(tmp) / "workbooks", Path(tmp) / "output"
        print(f"Génération et consolidation de {max(sizes)} fiches action…", file=sys.stderr)
        generate(folder, max(sizes), settings)
        result = consolidate_period(settings, PERIOD, workbooks_dir=folder, output_dir=output,
                                    today=dt.date(2018, 6, 2))  # fmt: skip
        snapshot = result.snapshot
        tasks, indicators = len(snapshot.table("taches")), len(snapshot.table("indicateurs"))
        print(f"Instantané : {len(snapshot.table('actions'))} fiches, {tasks} tâches, "
              f"{indicators} lignes d'indicateurs (mois par mois)")  # fmt: skip
        baseline = baseline_per_file(snapshot, settings)
        print(f"{'fiches':>7} {'classeurs':>10} {'prefill (s)':>12} {'ms/classeur':>12} "
              f"{'openpyxl (s, estimé)':>22}")  # fmt: skip
        figures = {}
        for size in sizes:
            part = subset(snapshot, size)
            best = None
            for _ in range(args.repeat):
                start = time.perf_counter()
                written = write_prefilled(part, settings, output / f"bench-{size}")
                elapsed = time.perf_counter() - start
                best = elapsed if best is None else min(best, elapsed)
            count = len(written.written)
            figures[size] = best
            print(f"{size:>7} {count:>10} {best:>12.2f} {1000 * best / count:>12.2f} "
                  f"{baseline * count:>22.1f}")  # fmt: skip
        largest = max(sizes)
        smallest = min(sizes)
        growth = (figures[largest] / figures[smallest]) / (largest / smallest)
        print(f"Croissance : ×{figures[largest] / figures[smallest]:.1f} pour ×"
              f"{largest / smallest:.0f} fiches (1,0 = linéaire : {growth:.2f})")  # fmt: skip
        verdict = "PASS" if largest >= 1000 and figures[largest] < TARGET_S else "FAIL"
        print(f"{verdict} : {largest} fiches en {figures[largest]:.1f} s (objectif < "
              f"{TARGET_S:.0f} s) ; openpyxl : {baseline * 1000:.1f} ms par classeur ; "
              f"charge {os.getloadavg()[0]:.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

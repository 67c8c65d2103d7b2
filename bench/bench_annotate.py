"""Benchmark of the annotated copies: what they add to a batch, per file.

Generates one action sheet with every field filled, 30 tasks, 10 indicators and a few
problems of every kind (a required field left empty, a value outside its list, a task
ending before it starts, an avancement above 100 %, a group's own note on a problem
cell), copies it N times, then times in this process, best of ``--repeat``:

- the batch checked without copies (``check_files``: read + validate), the baseline;
- the same batch with its copies made and written (``check --annotate``).

The difference divided by N is what annotating adds per file (target: 20 ms).

    .venv/bin/python bench/bench_annotate.py [-n 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from openpyxl.comments import Comment  # noqa: E402

from bench.bench_read import sample_values  # noqa: E402
from innova_reports.fields import ACTION  # noqa: E402
from innova_reports.pipeline.check import annotate_files, check_files  # noqa: E402
from innova_reports.settings import load_settings  # noqa: E402
from tests.factories import make_workbook  # noqa: E402

TARGET_MS = 20.0
PERIOD, TODAY = "2018-12", dt.date(2018, 12, 20)


def sample_file(folder: Path, settings) -> Path:
    fields, tables = sample_values(settings)
    fields = {**fields, "meteo": None, "statut": "Bientôt", "date_maj": dt.date(2018, 5, 3)}
    tables["t_taches"][3] = {**tables["t_taches"][3], "debut": dt.date(2018, 6, 1),
                             "fin": dt.date(2018, 3, 1)}  # fmt: skip
    tables["t_taches"][5] = {**tables["t_taches"][5], "avancement": 1.8}
    path = make_workbook(folder / "source.xlsx", ACTION, settings, fields=fields, tables=tables)
    workbook = openpyxl.load_workbook(path)
    workbook["Fiche action"]["B10"].comment = Comment("À voir jeudi.", "Marie")
    workbook.save(path)
    return path


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="files in the batch (100)")
    parser.add_argument("--repeat", type=int, default=3, help="best of (3)")
    options = parser.parse_args()
    settings = load_settings(ROOT / "programme.toml")
    with tempfile.TemporaryDirectory(prefix="innova-bench-") as temporary:
        root = Path(temporary)
        source = sample_file(root, settings)
        batch_dir = root / "workbooks"
        batch_dir.mkdir()
        for number in range(options.n):
            shutil.copyfile(source, batch_dir / f"fiche_{number:04d}.xlsx")
        paths = sorted(batch_dir.iterdir())
        checked = check_files(paths, settings, period=PERIOD, today=TODAY)
        issues = sum(1 for i in checked.issues if i.file == checked.outcomes[0].source.name)
        plain = best(
            lambda: check_files(paths, settings, period=PERIOD, today=TODAY), options.repeat
        )

        def with_copies() -> None:
            batch = check_files(paths, settings, period=PERIOD, today=TODAY)
            annotate_files(batch, root / "copies")

        annotated = best(with_copies, options.repeat)
        copies = len(list((root / "copies").iterdir()))
        size = (root / "copies" / "fiche_0000_a-corriger.xlsx").stat().st_size
    added = (annotated - plain) / options.n * 1000
    load = os.getloadavg()[0]
    print(f"{options.n} fichiers, {issues} points chacun, {copies} copies écrites "
          f"({size / 1024:.0f} ko chacune), meilleur de {options.repeat}, charge {load:.1f}")  # fmt: skip
    print(f"  check sans copies        : {plain / options.n * 1000:7.2f} ms/fichier")
    print(f"  check --annotate         : {annotated / options.n * 1000:7.2f} ms/fichier")
    verdict = "PASS" if added <= TARGET_MS else "FAIL"
    print(
        f"  ajouté par les copies    : {added:7.2f} ms/fichier  (cible ≤ {TARGET_MS:g} ms) {verdict}"
    )


if __name__ == "__main__":
    main()

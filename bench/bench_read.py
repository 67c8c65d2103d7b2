"""Benchmark of the hot path of every monthly run: reading the returned workbooks.

Generates one filled action sheet (every single field, 30 tasks, 10 indicators with all
their months), copies it N times and prints milliseconds per file, side by side, for:
unzipping only, python-calamine alone, our read + extract + normalise, and openpyxl
loading the workbook and reading its names and tables.

    .venv/bin/python bench/bench_read.py [-n 200] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from innova_reports.fields import ACTION, FieldType, template_spec  # noqa: E402
from innova_reports.read.normalise import normalise_workbook  # noqa: E402
from innova_reports.read.workbook import read_workbook  # noqa: E402
from innova_reports.settings import Settings, load_settings  # noqa: E402
from tests.factories import make_workbook  # noqa: E402


def sample_values(settings: Settings) -> tuple[dict, dict]:
    """Every field of the action sheet filled, as a group would."""
    spec = template_spec(ACTION, settings)
    typed = {
        FieldType.TEXT: "Dématérialisation des procédures",
        FieldType.LONG_TEXT: "Simplifier les démarches des usagers et les délais de réponse.",
        FieldType.DATE: dt.date(2018, 3, 15),
        FieldType.MONEY: "12 500 €",
    }
    fields = {f.id: f.choices[0] if f.choices else typed.get(f.type) for f in spec.fields}
    fields.update({"code_action": "A3.2", "axe": 3})
    tasks = [
        {"tache": f"Tâche {n}", "responsable": "Service informatique", "debut": dt.date(2018, 2, 1),
         "fin": "15/06/2018", "statut": "en cours", "avancement": n * 3, "commentaire": "RAS"}
        for n in range(1, 31)
    ]  # fmt: skip
    months = [c.id for c in spec.table("t_indicateurs").columns if c.id.startswith("mois_")]
    indicators = [
        {"indicateur": f"Indicateur {n}", "unite": "jours", "sens": "Baisse",
         "valeur_initiale": 30, "cible": "12,5", "echeance": dt.date(2018, 12, 31),
         **{month: 30 - i for i, month in enumerate(months)}}
        for n in range(1, 11)
    ]  # fmt: skip
    return fields, {"t_taches": tasks, "t_indicateurs": indicators}


_EMPTY_STYLED_CELL = re.compile(rb'<c r="[A-Z]+[0-9]+" s="[0-9]+"(?: t="n")? ?/>')
_EMPTY_ROW = re.compile(rb'<row r="[0-9]+"[^>]*?>\s*</row>')


def without_preformatted_cells(source: Path, target: Path) -> Path:
    """The same workbook without its empty pre-formatted cells: what a lean template costs."""
    with (
        zipfile.ZipFile(source) as archive,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for member in archive.infolist():
            data = archive.read(member)
            if member.filename.startswith("xl/worksheets/sheet"):
                data = _EMPTY_ROW.sub(b"", _EMPTY_STYLED_CELL.sub(b"", data))
            out.writestr(member.filename, data)
    return target


def unzip_only(path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        for member in archive.infolist():
            archive.read(member)


def calamine_only(path: Path) -> None:
    book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    for name in ("Fiche action", "Tâches", "Indicateurs"):
        book.get_sheet_by_name(name).to_python()


def ours(settings: Settings) -> Callable[[Path], None]:
    def run(path: Path) -> None:
        outcome = read_workbook(path, settings)
        assert outcome.data is not None, outcome.reason
        normalise_workbook(outcome.data, settings)

    return run


def with_openpyxl(path: Path) -> None:
    workbook = openpyxl.load_workbook(path, data_only=True)
    for name in workbook.defined_names.values():
        for sheet, ref in name.destinations:
            if sheet in workbook.sheetnames and ":" not in ref:  # single fields only
                _ = workbook[sheet][ref].value
    for sheet in workbook.worksheets:
        for table in sheet.tables.values():
            _ = [[cell.value for cell in row] for row in sheet[table.ref]]


def per_file(run: Callable[[Path], None], paths: list[Path]) -> float:
    run(paths[0])  # warm-up: imports, caches
    start = time.perf_counter()
    for path in paths:
        run(path)
    return (time.perf_counter() - start) / len(paths) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="number of copies (200)")
    parser.add_argument("--profile", action="store_true", help="cProfile our reader")
    args = parser.parse_args()
    settings = load_settings(ROOT / "programme.toml")
    fields, tables = sample_values(settings)
    with tempfile.TemporaryDirectory(prefix="innova-bench-") as tmp:
        source = make_workbook(
            Path(tmp) / "modele.xlsx", ACTION, settings, fields=fields, tables=tables
        )
        paths = []
        for n in range(args.n):
            paths.append(Path(tmp) / f"fiche_{n:03d}.xlsx")
            shutil.copyfile(source, paths[-1])
        print(f"{args.n} copies of a filled action sheet ({source.stat().st_size // 1000} kB)")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(lambda: [ours(settings)(p) for p in paths])
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        openpyxl_paths = paths[: max(1, args.n // 4)]  # openpyxl is slow: a quarter is enough
        lean = without_preformatted_cells(source, Path(tmp) / "lean.xlsx")
        lean_paths = [lean] * args.n
        results = [
            ("unzip only", per_file(unzip_only, paths)),
            ("python-calamine only (3 sheets)", per_file(calamine_only, paths)),
            ("ours: read + extract + normalise", per_file(ours(settings), paths)),
            ("openpyxl: load + names + tables", per_file(with_openpyxl, openpyxl_paths)),
            ("-- same file without empty pre-formatted cells --", None),
            ("python-calamine only (3 sheets)", per_file(calamine_only, lean_paths)),
            ("ours: read + extract + normalise", per_file(ours(settings), lean_paths)),
        ]
    for label, ms in results:
        print(label if ms is None else f"{label:<36} {ms:8.2f} ms/file")


if __name__ == "__main__":
    main()

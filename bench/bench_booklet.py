"""Benchmark of the plan d'actions booklet: the samples, then N generated action sheets.

For the shipped sample workbooks, then for each N (250, 500, 1000 by default) it builds
the period's history as a coordinator would — N filled action sheets and one roadmap
per axis, generated through the real templates by ``bench_pipeline.generate`` (every
single field, 30 tasks, 10 indicators with their months), then ``innova-reports
consolidate`` (not timed) — and times ``innova-reports booklet`` as a whole process:
wall time, CPU time (workers included) and peak memory (the largest process of its
tree), the booklet's pages and the CPU time per action sheet, so a cost that grows faster
than the sheets shows even when other work slows the machine down.

The baseline, in the same run: the plain way to a PDF of the same plan, LibreOffice
converting the booklet's DOCX (``soffice --convert-to pdf``, its own profile, bounded
by the stage timeout); skipped without soffice, or above ``--baseline-up-to``.

    .venv/bin/python bench/bench_booklet.py [--sizes 250,500,1000] [--baseline-up-to 250]

Targets (issue 15): the samples under 3 s; 1,000 sheets under 60 s (wall); linear (the
CPU time per sheet at the largest N within 1.3x of the smallest N's).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pipeline import CLI, PERIOD, cpu_probe, generate, machine  # noqa: E402

LINEAR_RATIO = 1.3


def consolidated(folder: Path, output: Path) -> float:
    """Consolidate ``folder`` into ``output`` (set-up, not the figure); its wall time."""
    start = time.perf_counter()
    subprocess.run([*CLI, "consolidate", "--period", PERIOD, "--workbooks", str(folder),
                    "--output", str(output)], check=True, capture_output=True, cwd=ROOT)  # fmt: skip
    return time.perf_counter() - start


def booklet(output: Path, timeout: float) -> dict[str, Any]:
    figures = timed([*CLI, "booklet", "--period", PERIOD, "--output", str(output)], timeout)
    pdf = output / PERIOD / f"plan_actions_{PERIOD}.pdf"
    figures["pages"] = _pages(pdf)
    figures["fiches"] = len(list((output / PERIOD / "fiches").glob("*.pdf")))
    figures["pdf_mb"] = pdf.stat().st_size / 1024 / 1024
    return figures


def timed(command: list[str], timeout: float) -> dict[str, Any]:
    """Wall time, CPU time and peak memory of a command and its worker processes.

    CPU seconds (user + system, workers included: ``os.wait4`` counts the children the
    command waited for) are what a busy shared machine changes least: the linearity
    verdict is read on them. Peak memory is the largest process of the tree.
    """
    import resource

    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               cwd=ROOT, start_new_session=True)  # fmt: skip
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            _kill_session(process.pid)
            return {"wall_s": timeout, "cpu_s": float("nan"), "peak_mb": float("nan"),
                    "timed_out": True}  # fmt: skip
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {process.stderr.read()[-2000:]!r}")
    peak = max(usage.ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": peak / 1024}


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def libreoffice_baseline(output: Path, timeout: float) -> float | None:
    """Seconds for soffice to turn the booklet's DOCX into a PDF; None without soffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    docx = output / PERIOD / f"plan_actions_{PERIOD}.docx"
    with tempfile.TemporaryDirectory(prefix="innova-bench-lo-") as profile:
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", profile, str(docx)]  # fmt: skip
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)  # fmt: skip
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return float("inf")
        finally:
            _kill_session(process.pid)
        produced = Path(profile) / f"{docx.stem}.pdf"
        return time.perf_counter() - start if produced.is_file() else float("nan")


def _kill_session(pid: int) -> None:
    """What is left of soffice's session (soffice.bin can outlive the launcher), by id."""
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def measure(label: str, n: int, folder: Path, output: Path, args) -> dict[str, Any]:
    setup = consolidated(folder, output)
    figures = {"label": label, "n": n, "consolidate_s": setup,
               **booklet(output, args.stage_timeout)}  # fmt: skip
    if n <= args.baseline_up_to:
        figures["baseline_s"] = libreoffice_baseline(output, args.stage_timeout)
    print(f"  {label}: booklet {figures['wall_s']:.2f} s ({figures['cpu_s']:.1f} s CPU), "
          f"{figures['peak_mb']:.0f} MB, "
          f"{figures['pages']} pages, {figures['fiches']} fiches", file=sys.stderr)  # fmt: skip
    return figures


def report(rows: list[dict[str, Any]], probe_before: float) -> list[tuple[str, bool]]:
    print(f"\nMachine: {machine()}; load average {os.getloadavg()}")
    print(f"CPU probe (lower is faster): {probe_before:.0f} ms before, {cpu_probe():.0f} ms after")
    header = ("case", "action sheets", "booklet s (wall)", "CPU s", "CPU ms / sheet",
              "peak MB", "pages",
              "PDF MB", "fiches", "LibreOffice DOCX→PDF s (baseline)", "consolidate s (set-up)")  # fmt: skip
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in rows:
        base = row.get("baseline_s")
        shown = "skipped" if base is None else f"{base:.1f}"
        print("| " + " | ".join(str(cell) for cell in (
            row["label"], row["n"], f"{row['wall_s']:.2f}", f"{row['cpu_s']:.1f}",
            f"{_per_sheet(row):.1f}",
            f"{row['peak_mb']:.0f}", row["pages"], f"{row['pdf_mb']:.1f}", row["fiches"],
            shown, f"{row['consolidate_s']:.1f}",
        )) + " |")  # fmt: skip
    samples = rows[0]
    generated = [row for row in rows[1:] if not row.get("timed_out")]
    verdicts = [("booklet of the samples < 3 s", samples["wall_s"] < 3)]
    thousand = [row for row in rows[1:] if row["n"] == 1000]
    if thousand:
        verdicts.append(("booklet of 1,000 action sheets < 60 s",
                         not thousand[0].get("timed_out") and thousand[0]["wall_s"] < 60))  # fmt: skip
    if len(generated) >= 2:
        small, large = generated[0], generated[-1]
        ratio = _per_sheet(large) / _per_sheet(small)
        verdicts.append((f"linear: CPU ms per sheet at N={large['n']} / N={small['n']} = "
                         f"{ratio:.2f} <= {LINEAR_RATIO}", ratio <= LINEAR_RATIO))  # fmt: skip
    print()
    for label, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return verdicts


def _per_sheet(row: dict[str, Any]) -> float:
    return row["cpu_s"] / max(row["n"], 1) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500,1000", help="N values (250,500,1000)")
    parser.add_argument("--baseline-up-to", type=int, default=250, metavar="N",
                        help="run the LibreOffice baseline up to this N (250)")  # fmt: skip
    parser.add_argument("--stage-timeout", type=float, default=300.0,
                        help="seconds before a stage is stopped (300)")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = parser.parse_args()
    os.environ["INNOVA_BENCH_STAGE_TIMEOUT"] = str(args.stage_timeout)  # read by --wrap
    from innova_reports.settings import load_settings

    settings = load_settings(ROOT / "programme.toml")
    probe = cpu_probe()
    base = args.keep or Path(tempfile.mkdtemp(prefix="innova-booklet-"))
    rows = []
    try:
        samples = ROOT / "workbooks"
        count = len([p for p in samples.rglob("*.xlsx") if "fiche_action" in p.name])
        rows.append(measure("samples", count, samples, base / "samples", args))
        for n in [int(size) for size in args.sizes.split(",") if size]:
            folder = base / f"n{n}" / "workbooks"
            folder.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            generate(folder, n, settings)
            print(f"\nN = {n}: generated in {time.perf_counter() - start:.1f} s", file=sys.stderr)
            rows.append(measure(f"N = {n}", n, folder, base / f"n{n}" / "out", args))
            if not args.keep:
                shutil.rmtree(base / f"n{n}", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    verdicts = report(rows, probe)
    raise SystemExit(0 if all(ok for _, ok in verdicts) else 1)


if __name__ == "__main__":
    main()

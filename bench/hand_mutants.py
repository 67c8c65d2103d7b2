"""Hand-made mutants of the rules mutmut does not mutate, run against the rule tests.

mutmut 3 leaves decorated functions alone (``rules._code_key`` is under
``functools.lru_cache``), and ``make mutants`` mutates the rule modules only, not the
« announced actions without a sheet » list of ``views``. Each mutant below is applied to
a copy of the package in a temporary folder (the checkout is never touched), the tests
run there, and the verdict is printed; exit code 1 if one survives.

    .venv/bin/python bench/hand_mutants.py [TEST …]   # default: the rule tests
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/test_rules.py", "tests/test_counts.py"]
CODE_KEY = 'return (0, int(match[1]), int(match[2]), "") if match else (1, 0, 0, code)'
MISSING = "if code and code not in received:"
SORTED = "return sorted(missing.items(), key=lambda item: action_code_key(item[0]))"
MUTANTS = [  # (file, original, mutant)
    ("innova_reports/rules.py", CODE_KEY, CODE_KEY.replace("(0, int", "(1, int")),
    ("innova_reports/rules.py", CODE_KEY,
     'return (0, int(match[2]), int(match[1]), "") if match else (1, 0, 0, code)'),
    ("innova_reports/rules.py", CODE_KEY,
     'return (0, match[1], match[2], "") if match else (1, 0, 0, code)'),
    ("innova_reports/rules.py", CODE_KEY, CODE_KEY.replace("(1, 0, 0, code)", "(0, 0, 0, code)")),
    ("innova_reports/rules.py", CODE_KEY, CODE_KEY.replace("(1, 0, 0, code)", '(1, 0, 0, "")')),
    ("innova_reports/rules.py", "match = ACTION_CODE.match(code)\n",
     "match = ACTION_CODE.match(code.lower())\n"),
    ("innova_reports/views.py", MISSING, "if code:"),
    ("innova_reports/views.py", MISSING, "if code not in received:"),
    ("innova_reports/views.py", MISSING, "if code and code in received:"),
    ("innova_reports/views.py", "received = {action.code for action in actions}", "received = set()"),
    ("innova_reports/views.py", 'missing[code] = as_text(row.get("intitule"))', 'missing[code] = ""'),
    ("innova_reports/views.py", SORTED, "return sorted(missing.items())"),
    ("innova_reports/views.py", SORTED, "return list(missing.items())"),
]  # fmt: skip


def main(argv: list[str]) -> int:
    tests = argv or TESTS
    survivors = 0
    with tempfile.TemporaryDirectory(prefix="hand-mutants-") as folder:
        copy = Path(folder)
        for name in ("innova_reports", "tests"):
            shutil.copytree(ROOT / name, copy / name)
        for name in ("programme.toml", "pyproject.toml"):
            shutil.copy2(ROOT / name, copy / name)
        for path, original, mutant in MUTANTS:
            file = copy / path
            text = file.read_text(encoding="utf-8")
            if text.count(original) != 1:
                print(f"?         {path}: the original is no longer there: {original.strip()!r}")
                survivors += 1
                continue
            file.write_text(text.replace(original, mutant), encoding="utf-8")
            try:  # the copy is first on sys.path: python -m puts the working folder there
                run = subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                    cwd=copy, capture_output=True, text=True,
                )  # fmt: skip
            finally:
                file.write_text(text, encoding="utf-8")
            killed = run.returncode == 1  # tests failed; other codes: the run itself broke
            survivors += not killed
            verdict = "killed  " if killed else f"SURVIVED (pytest exit {run.returncode})"
            print(f"{verdict}  {path}: {_change(original.strip(), mutant.strip())}")
    print(f"\n{len(MUTANTS) - survivors} killed, {survivors} not killed, of {len(MUTANTS)}")
    return 1 if survivors else 0


def _change(original: str, mutant: str) -> str:
    """The part that differs, with a little context: « …int(match[1])… → …match[1]… »."""
    start = 0
    while start < min(len(original), len(mutant)) and original[start] == mutant[start]:
        start += 1
    end = 0
    while end < min(len(original), len(mutant)) - start and original[-1 - end] == mutant[-1 - end]:
        end += 1
    start, end = max(start - 12, 0), max(end - 12, 0)
    left, right = "…" if start else "", "…" if end else ""
    return (f"{left}{original[start:len(original) - end]}{right}  →  "
            f"{left}{mutant[start:len(mutant) - end]}{right}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The outcome of a mutation run per module (and per function), from ``mutmut results``.

    .venv/bin/mutmut results --all true | .venv/bin/python bench/mutants_table.py [--functions]

Reads lines such as ``innova_reports.rules.x_on_track__mutmut_31: survived`` and prints,
per module, how many mutants were killed, survived, timed out, had no test, and the
other outcomes mutmut gives; ``--functions`` adds one line per function, and the
survivors are listed by name (``mutmut show NAME`` prints the change).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict

LINE = re.compile(r"^\s*(?P<name>[\w.ǁ]+)__mutmut_\d+: (?P<status>.+?)\s*$")
COLUMNS = ("killed", "survived", "timeout", "no tests")


def split(name: str) -> tuple[str, str]:
    """(module, function) of a mutant's name: ``pkg.mod.x_func`` or ``pkg.mod.xǁClassǁmethod``."""
    module, _, function = name.rpartition(".")
    function = function.removeprefix("x_").removeprefix("xǁ").replace("ǁ", ".")
    return module, function


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--functions", action="store_true", help="one line per function too")
    args = parser.parse_args(argv)
    by_module: dict[str, Counter] = defaultdict(Counter)
    by_function: dict[tuple[str, str], Counter] = defaultdict(Counter)
    survivors: list[str] = []
    for line in sys.stdin:
        match = LINE.match(line)
        if not match:
            continue
        module, function = split(match["name"])
        status = match["status"]
        by_module[module][status] += 1
        by_function[(module, function)][status] += 1
        if status == "survived":
            survivors.append(line.strip().rsplit(":", 1)[0])
    others = sorted({s for c in by_module.values() for s in c} - set(COLUMNS))
    header = ["module", *COLUMNS, *others, "total"]
    rows = []
    for module, counts in sorted(by_module.items()):
        rows.append([module, *(counts[c] for c in (*COLUMNS, *others)), sum(counts.values())])
        if args.functions:
            for (owner, function), own in sorted(by_function.items()):
                if owner == module:
                    rows.append([f"  {function}", *(own[c] for c in (*COLUMNS, *others)),
                                 sum(own.values())])  # fmt: skip
    total = Counter()
    for counts in by_module.values():
        total.update(counts)
    rows.append(["all", *(total[c] for c in (*COLUMNS, *others)), sum(total.values())])
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(widths[0]) if i == 0 else str(cell).rjust(widths[i])
                        for i, cell in enumerate(row)))  # fmt: skip
    if survivors:
        print("\nsurvivors (mutmut show NAME):")
        for name in survivors:
            print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long ``descent --help`` and each subcommand's ``--help`` take, in a fresh process each.

    python tests/benchmarks/bench_cli_help.py [--runs 5]

Prints the best and worst wall time of ``python -m course ... --help`` per command (the
target is under 1 s), and which heavy modules (nbgrader, nbconvert, SQLAlchemy, matplotlib)
importing the CLI pulls in: none, since each command imports them itself.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time

COMMANDS = [[], ["release"], ["demo"], ["autograde"], ["grade"], ["report"], ["roster"], ["roster", "import"],
            ["export"], ["site"], ["bundle"], ["scores"]]
HEAVY = ("nbgrader", "nbconvert", "sqlalchemy", "matplotlib", "nbformat", "numpy")


def time_help(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "course", *args, "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    worst = 0.0
    for args in COMMANDS:
        times = time_help(args, runs)
        worst = max(worst, max(times))
        print(f"descent {' '.join(args + ['--help']):<26} best {min(times):.2f} s  worst {max(times):.2f} s")
    code = "import sys, course.instructor.cli; print(' '.join(m for m in %r if m in sys.modules))" % (HEAVY,)
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    print(f"worst of all: {worst:.2f} s (target < 1 s); heavy modules imported by the CLI: {loaded or 'none'}")


if __name__ == "__main__":
    main()

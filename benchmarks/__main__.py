"""``python -m benchmarks [--quick] [--json PATH] [--processes N]`` (``make bench``).

Prints a table of the figures and the targets on stdout, progress on stderr.
Exit status: 0 if every target is met, 1 if one is missed, 3 if a measurement
itself failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.probe import ProbeFailed
from benchmarks.suite import Config, format_table, run_suite, stderr_progress, write_json


def main(argv: list[str] | None = None) -> int:
    """Run the suite and report."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="CYBRELIA benchmarks: timings, state changes per second and peak memory "
        "against the performance targets (see docs/performance.md).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: regions of 1k and 10k assets instead of 10k and 100k, fewer repeats",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure here")
    parser.add_argument(
        "--processes",
        type=int,
        metavar="N",
        help="fresh processes per region measurement (default 3, or 1 with --quick)",
    )
    args = parser.parse_args(argv)
    if args.processes is not None and args.processes < 1:
        parser.error("--processes must be at least 1")
    if args.quick:
        config = Config.smoke() if args.processes is None else Config.smoke(args.processes)
    else:
        config = Config.full() if args.processes is None else Config.full(args.processes)
    try:
        report = run_suite(config, stderr_progress)
    except ProbeFailed as failure:
        print(f"benchmarks: {failure}", file=sys.stderr)
        return 3
    print(format_table(report))
    if args.json is not None:
        write_json(report, args.json)
        print(f"\nFigures written to {args.json}")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m benchmarks.report``: the after-action report of a 72-hour session.

Plays the reference gmina's scenario (``scenarios/mokry-snieg.yaml`` with its
response script, 72 sim hours) into a session in a temporary directory, then
times ``cybrelia.report.cli_report`` on it:

- *cold*: a fresh Python process that imports the report and writes it, as
  ``cybrelia report`` does: the figure judged against the target;
- *warm*: the same call again in this process, with everything imported.

The report is ``report.html`` and ``report.md`` with their charts; ``--xlsx``
adds the spreadsheet.  Prints the figures and PASS or FAIL; exit status 0 if
the target is met, 1 if not, 3 if a measurement failed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["TARGET_SECONDS", "main"]

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
RESPONSES = ROOT / "scenarios" / "mokry-snieg.responses.yaml"
#: The target: a report of the reference 72-hour session in this many seconds.
TARGET_SECONDS = 5.0

_CODE = """\
import sys
from pathlib import Path
from cybrelia.report import cli_report
sys.exit(cli_report([Path(sys.argv[1])], Path(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"))
"""


def _cold(session: Path, out: Path, lang: str, xlsx: bool) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _CODE, str(session), str(out), lang, "1" if xlsx else "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"the report failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Measure and report; see the module's description."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.report",
        description="Time the after-action report of the reference 72-hour session.",
    )
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="cold runs (median)")
    parser.add_argument("--lang", choices=["pl", "en"], default="pl")
    parser.add_argument("--xlsx", action="store_true", help="also write the spreadsheet")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    from cybrelia.analysis import load_session, make_session
    from cybrelia.report import cli_report

    with tempfile.TemporaryDirectory(prefix="cybrelia-bench-report-") as folder:
        work = Path(folder)
        print("playing mokry-snieg with its responses (72 h)...", file=sys.stderr)
        session = make_session(SCENARIO, RESPONSES, work / "mokry.cybrelia")
        data = load_session(session)
        try:
            cold = [
                _cold(session, work / f"cold-{n}", args.lang, args.xlsx) for n in range(args.repeat)
            ]
        except RuntimeError as error:
            print(f"benchmarks.report: {error}", file=sys.stderr)
            return 3
        with contextlib.redirect_stderr(io.StringIO()):  # cli_report lists its files there
            code = cli_report([session], work / "warm-0", args.lang, args.xlsx)  # imports
            started = time.perf_counter()
            code = code or cli_report([session], work / "warm-1", args.lang, args.xlsx)
            warm = time.perf_counter() - started
        if code != 0:
            print(f"benchmarks.report: the report failed ({code})", file=sys.stderr)
            return 3
        files = sorted(p.name for p in (work / "warm-1").iterdir())
        html_kib = (work / "warm-1" / "report.html").stat().st_size / 1024

    median = statistics.median(cold)
    verdict = "PASS" if median <= TARGET_SECONDS else "FAIL"
    kind = "HTML + Markdown" + (" + xlsx" if args.xlsx else "")
    print(f"session:  {data.title} ({data.scenario_id}), {data.end:g} h played, seed {data.seed}")
    print(
        f"          {len(data.injects)} injects, {len(data.actions)} actions, "
        f"{len(data.assets)} asset changes, {len(data.metrics)} metric rows"
    )
    print(f"report:   {kind}, lang {args.lang}: {len(files)} files, report.html {html_kib:.0f} KiB")
    print(
        f"cold:     {median:.2f} s (median of {len(cold)}: "
        + ", ".join(f"{c:.2f}" for c in cold)
        + ") in a fresh process, imports included"
    )
    print(f"warm:     {warm:.2f} s in-process, after a first report")
    print(f"target:   <= {TARGET_SECONDS:.1f} s (cold)  {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())

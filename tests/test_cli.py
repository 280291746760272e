"""The ``cybrelia`` command: exit codes, outputs, and bad input without tracebacks."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cybrelia import cli
from cybrelia.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "mokry-snieg.yaml"
MODEL = ROOT / "infrastructure_models" / "gmina-przykladowa.yaml"


def test_validate_bundled_files_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(MODEL), str(SCENARIO)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "2 file(s) valid: 0 error(s), 0 warning(s)" in captured.err


def test_messages_speak_the_language_of_the_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    assert main(["validate", str(MODEL), str(SCENARIO)]) == 0
    assert "sprawdzono pliki: 2; poprawne; błędy: 0, ostrzeżenia: 0" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["generate", "region", "--gminas", "0", "-o", "unused.json"])
    assert usage.value.code == 2
    assert "--gminas: 0 nie mieści się w zakresie 1..2500\n" in capsys.readouterr().err


def test_a_journal_problem_speaks_the_language_of_the_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.cybrelia"
    assert main(["export", str(missing), "--jsonl", str(tmp_path / "out.jsonl")]) == 1
    assert capsys.readouterr().err == f"error: {missing}: no session there\n"
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    assert main(["export", str(missing), "--jsonl", str(tmp_path / "out.jsonl")]) == 1
    assert capsys.readouterr().err == f"błąd: {missing}: nie ma tu sesji\n"


def test_validate_reports_errors_and_exits_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: cybrelia.infrastructure/1\nassets:\n  - {id: a, type: x, colour: red}\n",
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out == f"{bad}:3: assets[0].colour: unknown key 'colour'\n"


def test_validate_a_missing_file_exits_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 1
    assert "nope.yaml:0: (file): file not found" in capsys.readouterr().out


def test_usage_errors_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["validate"], ["simulate"], ["frobnicate"], ["simulate", "x", "--until", "3x"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
    assert "invalid duration '3x'" in capsys.readouterr().err


def test_simulate_jsonl_to_stdout_and_to_a_file_are_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", str(SCENARIO), "--jsonl", "-"]) == 0
    stdout = capsys.readouterr().out
    out = tmp_path / "run.jsonl"
    assert main(["simulate", str(SCENARIO), "--jsonl", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == stdout
    records = [json.loads(line) for line in stdout.splitlines()]
    assert records, "the blackout changes something"
    keys = [
        (r["t"], r["kind"] != "asset", r.get("asset") or (r["district"], r["service"]))
        for r in records
    ]
    assert keys == sorted(keys), "ordered by t, then kind (asset first), then id"
    assert max(r["t"] for r in records) <= 72.0


def test_simulate_until_cuts_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(SCENARIO), "--until", "3h", "--jsonl", "-"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and max(r["t"] for r in records) == 3.0  # I-03 is due at exactly 3h


def test_simulate_prints_a_readable_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(SCENARIO), "--until", "4h"]) == 0
    out = capsys.readouterr().out
    assert "D+0 06:30" in out and "▶ I-01" in out
    assert "people without:" in out
    assert "GPZ" in out or "SUW" in out  # names, not ids


def test_simulate_invalid_scenario_lists_errors_and_exits_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "format: cybrelia.scenario/1\n"
        f"infrastructure: {MODEL}\n"
        "injects:\n  - {id: I-1, at: 1h, effects: [{damage: [ghost]}]}\n",
        encoding="utf-8",
    )
    assert main(["simulate", str(scenario)]) == 1
    err = capsys.readouterr().err
    assert f"{scenario}:4: injects[0].effects[0].damage[0]: unknown asset 'ghost'" in err


def test_simulate_to_an_unwritable_path_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-dir" / "out.jsonl"
    assert main(["simulate", str(SCENARIO), "--until", "1h", "--jsonl", str(target)]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_generate_region_writes_a_valid_model_and_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "region.json"
    assert main(["generate", "region", "--gminas", "3", "--seed", "5", "-o", str(out)]) == 0
    scenario = tmp_path / "region.scenario.json"
    assert out.is_file() and scenario.is_file()
    capsys.readouterr()
    assert main(["validate", str(out), str(scenario)]) == 0
    assert main(["simulate", str(scenario), "--until", "6h", "--jsonl", "-"]) == 0
    assert capsys.readouterr().out.count('"asset": "region.gpz-main"') == 1


def test_bad_input_never_shows_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: [\n", encoding="utf-8")
    for argv in (
        ["validate", str(broken)],
        ["simulate", str(broken)],
        ["simulate", str(tmp_path / "missing.yaml")],
        ["validate", str(tmp_path)],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "cybrelia.cli", *argv], capture_output=True, text=True
        )
        assert result.returncode == 1, (argv, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout


def test_play_without_a_terminal_exits_at_once_with_a_message(tmp_path: Path) -> None:
    # The real command with no terminal (stdin from /dev/null, output to pipes, as under
    # cron or ssh without -t): it spun at 70 % CPU for minutes before (issue 15, item 7).
    session = tmp_path / "s.cybrelia"
    result = subprocess.run(
        [sys.executable, "-m", "cybrelia.cli", "play", "--lang", "en", "--session", str(session)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "Traceback" not in result.stderr
    assert not session.exists()


def _leaf_parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every runnable command of a parser (``msel export``, ``generate region``...)."""
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        return [(path, parser)]
    return [
        leaf
        for action in subcommands
        for name, child in sorted(action.choices.items())
        for leaf in _leaf_parsers(child, (*path, name))
    ]


def test_every_command_of_every_group_has_a_runner() -> None:
    leaves = _leaf_parsers(cli.parser())
    names = {" ".join(path) for path, _ in leaves}
    assert {"validate", "simulate", "play", "run", "msel export", "msel import"} <= names
    assert "generate region" in names
    for path, leaf in leaves:
        assert callable(leaf.get_default("run")), path


def test_each_group_adds_only_its_own_commands() -> None:
    """A group registers into any parser on its own, so adding one is a local change."""
    seen: set[str] = set()
    for group in cli.GROUPS:
        root = argparse.ArgumentParser()
        group.register(root.add_subparsers(dest="command", required=True))
        mine = {" ".join(path) for path, _ in _leaf_parsers(root)}
        assert mine, group.__name__
        assert not mine & seen, (group.__name__, mine & seen)
        seen |= mine
    assert seen == {" ".join(path) for path, _ in _leaf_parsers(cli.parser())}

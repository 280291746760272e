"""Bad input never crashes or hangs: bombs, huge files and numbers, out-of-range values.

Each case is built here at run time and checked as a user sees it: exit code 1
(or 2 for a bad command-line number), a ``FILE:LINE:`` message, no traceback,
and, for the cases that could hang, a fresh process that must end in time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cybrelia.files.limits import MAX_FILE_BYTES
from tests.hostile import command, cybrelia, exercise_files

SCENARIO_HEAD = "format: cybrelia.scenario/1\ninfrastructure: model.yaml\n"


def _billion_laughs(levels: int = 9) -> str:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    previous = "a"
    for level in range(levels):
        name = f"b{level}"
        text += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        previous = name
    return SCENARIO_HEAD + text


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    exercise_files(tmp_path)
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_billion_laughs(), encoding="utf-8")
    result = cybrelia("validate", bomb, timeout=30)
    assert result.code == 1
    assert f"{bomb}:" in result.out and "alias" in result.out


def test_a_recursive_alias_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    exercise_files(tmp_path)
    recursive = tmp_path / "recursive.yaml"
    recursive.write_text(SCENARIO_HEAD + "description: &a [*a]\n", encoding="utf-8")
    deep = tmp_path / "deep.yaml"
    deep.write_text(SCENARIO_HEAD + "description: " + "[" * 200 + "]" * 200 + "\n")
    deep_json = tmp_path / "deep.json"
    deep_json.write_text('{"format": "cybrelia.scenario/1", "x": ' + "[" * 5000 + "]" * 5000 + "}")
    result = cybrelia("validate", recursive, deep, deep_json, timeout=30)
    assert result.code == 1
    assert f"{recursive}:3: (syntax): a YAML alias refers to a value that contains it" in result.out
    assert f"{deep}:3: (syntax): nested more than 64 levels deep" in result.out
    assert f"{deep_json}:" in result.out


def test_a_file_beyond_the_size_limit_is_not_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    result = command("validate", huge)
    assert result.code == 1
    assert f"{huge}:0: (file): larger than 256 MiB" in result.out


def test_integers_of_thousands_of_digits_are_located(tmp_path: Path) -> None:
    digits = "9" * 5000
    as_json = tmp_path / "model.json"
    as_json.write_text(
        '{"format": "cybrelia.infrastructure/1",\n "districts": [{"id": "a", "population": '
        + digits
        + "}]}",
        encoding="utf-8",
    )
    as_yaml = tmp_path / "model.yaml"
    as_yaml.write_text(
        f"format: cybrelia.infrastructure/1\ndistricts:\n  - {{id: a, population: {digits}}}\n"
    )
    result = command("validate", as_json, as_yaml)
    assert result.code == 1
    assert f"{as_json}:2: (syntax): a number of more than 4300 digits" in result.out
    assert f"{as_yaml}:3: districts[0].population: a number of more than 4300 digits" in result.out


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration", "1e308", "duration must be at most 100000 h"),
        ("duration", ".nan", "duration must be a number"),
        ("duration", "1000000d", "duration must be at most 100000 h"),
        ("seed", str(2**64), "less than or equal to 9223372036854775807"),
        ("sample_every", ".inf", "duration must be at most 100000 h"),
    ],
)
def test_scenario_numbers_are_finite_and_bounded(
    tmp_path: Path, field: str, value: str, message: str
) -> None:
    scenario, _ = exercise_files(tmp_path)
    text = scenario.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith(f"{field}:")]
    lines.insert(4, f"{field}: {value}")
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = command("validate", scenario)
    assert result.code == 1
    assert f"{scenario}:5: {field}: " in result.out and message in result.out


def test_model_numbers_are_bounded_and_every_one_is_reported(tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(
        "format: cybrelia.infrastructure/1\n"
        "districts:\n"
        "  - {id: a, population: 1000000000000000000000000000000, vulnerable: 1e300}\n"
        "resources:\n"
        "  - {id: crew, kind: power_crew, count: 10000000000}\n"
        "assets:\n"
        "  - {id: gpz, type: substation, provides: [power], repair_hours: 1e308}\n"
        "  - id: suw\n"
        "    type: water_treatment\n"
        "    needs: {power: {from: [gpz], k: 99999999999, buffer: {kind: battery, hours: .inf,"
        " recharge: .nan}}}\n",
        encoding="utf-8",
    )
    result = command("validate", model)
    assert result.code == 1
    for where in (
        ":3: districts[0].population:",
        ":3: districts[0].vulnerable:",
        ":5: resources[0].count:",
        ":7: assets[0].repair_hours: duration must be at most 100000 h",
        ":10: assets[1].needs.power.k:",
        ":10: assets[1].needs.power.buffer.hours:",
        ":10: assets[1].needs.power.buffer.recharge:",
    ):
        assert f"{model}{where}" in result.out, where


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--pace", "nan"], "--pace: nan is not within"),
        (["--pace", "inf"], "--pace: inf is not within"),
        (["--pace", "-1"], "--pace: -1 is not within 0..86400"),
        (["--pace", "fast"], "--pace: not float"),
    ],
)
def test_run_refuses_bad_numbers_with_a_usage_error(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    scenario, responses = exercise_files(tmp_path)
    session = tmp_path / "s.cybrelia"
    result = command("run", scenario, "--responses", responses, "--session", session, *args)
    assert result.code == 2
    assert needle in result.err
    assert not session.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", "SCENARIO", "--seed", "-1"],
        ["simulate", "SCENARIO", "--seed", str(2**63)],
        ["simulate", "SCENARIO", "--until", "1e308"],
        ["generate", "region", "--gminas", "0", "-o", "OUT"],
        ["generate", "region", "--gminas", "1000000000", "-o", "OUT"],
        ["generate", "region", "--gminas", "2", "--seed", "-5", "-o", "OUT"],
    ],
)
def test_command_line_numbers_follow_the_file_limits(tmp_path: Path, args: list[str]) -> None:
    scenario, _ = exercise_files(tmp_path)
    out = tmp_path / "region.json"
    filled = [str(scenario) if a == "SCENARIO" else str(out) if a == "OUT" else a for a in args]
    result = cybrelia(*filled, timeout=30)  # a fresh process: a billion gminas would not end
    assert result.code == 2, result.err
    assert "error: argument" in result.err
    assert "e+" not in result.err, "bounds are written out, not in exponent notation"
    assert not out.exists()


def test_a_file_that_is_not_a_model_is_quoted_one_line_at_most(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(  # YAML reads it as one long text, which a message once echoed whole
        "root:x:0:0:root:/root:/bin/bash\nadmin:SECRET-LINE-2:1000\nSECRET-LINE-3:x:2\n", "utf-8"
    )
    scenario, _ = exercise_files(tmp_path)
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace(
            "infrastructure: model.yaml", f"infrastructure: {secret}"
        ),
        encoding="utf-8",
    )
    result = command("validate", scenario)
    assert result.code == 1
    assert "SECRET-LINE-2" not in result.out + result.err
    assert "SECRET-LINE-3" not in result.out + result.err
    assert f"{secret}:1: (document): Input should be a valid dictionary" in result.out


def test_one_bad_field_never_hides_another(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(
        "format: cybrelia.infrastructure/1\n"
        "districts:\n"
        "  - {id: a, population: 10}\n"
        "assets:\n"
        "  - {id: gpz, type: substation, provides: [power]}\n"
        "  - {id: x, provides: [water], needs: {power: {from: [nope]}}, serves: {zz: 1.0}}\n",
        encoding="utf-8",
    )
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        SCENARIO_HEAD + "teams:\n  - {id: t, name: {pl: a, en: b}, role: r}\n"
        "injects:\n"
        "  - {id: I1, at: 1h, when: {delivered: I2}, channel: pigeon}\n"
        "  - {id: I2, at: 2h, effects: [{damage: [gpz], repair: [gpz]}], channel: bad}\n"
        "  - {at: 3h, to: [ghost]}\n",
        encoding="utf-8",
    )
    result = command("validate", scenario)
    assert result.code == 1
    model = tmp_path / "model.yaml"
    for expected in (
        f"{model}:6: assets[1].type: required field missing",
        f"{model}:6: assets[1].needs.power.from[0]: unknown asset 'nope'",
        f"{model}:6: assets[1].serves.zz: unknown district 'zz'",
        f"{scenario}:6: injects[0]: an inject needs exactly one of at, when; found 2",
        f"{scenario}:6: injects[0].channel: Input should be",
        f"{scenario}:7: injects[1].effects[0]: an effect needs exactly one of",
        f"{scenario}:8: injects[2].id: required field missing",
        f"{scenario}:8: injects[2].to[0]: unknown team 'ghost'",
    ):
        assert expected in result.out, expected
    assert "0-missing" not in result.out, "placeholders never show"

"""Durations as written in model and scenario files (MODEL.md section 1)."""

from __future__ import annotations

import pytest

from cybrelia.files.durations import format_duration, parse_duration, quantize


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("90m", 1.5),
        ("2h", 2.0),
        ("1d12h", 36.0),
        ("2h30m", 2.5),
        ("0.5h", 0.5),
        ("20m", quantize(1 / 3)),
        ("1d", 24.0),
        ("1.5d", 36.0),
        ("12", 12.0),
        (12, 12.0),
        (0.25, 0.25),
        (0, 0.0),
    ],
)
def test_parse_duration(text: object, hours: float) -> None:
    assert parse_duration(text) == hours


@pytest.mark.parametrize("text", ["-2h", -1, "2x", "h", "", "2h-30m", "abc", True, None, [1]])
def test_invalid_durations_are_rejected_with_a_reason(text: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_equal_instants_stay_equal_on_the_time_grid() -> None:
    # 20m + 40m is 1h on paper; in binary floating point it need not be.
    assert quantize(parse_duration("20m") + parse_duration("40m")) == 1.0
    assert quantize(0.1 + 0.2) == quantize(0.3)


@pytest.mark.parametrize(
    ("hours", "text"), [(0, "0m"), (0.75, "45m"), (3 + 1 / 3, "3h20m"), (26, "1d2h"), (48, "2d")]
)
def test_format_duration(hours: float, text: str) -> None:
    assert format_duration(hours) == text

"""Exact instants: what the contract makes equal stays equal (MODEL.md 1, 3.3, 3.7).

``20m`` is exactly 1/3 h.  A spread schedule's tick n falls at exactly
``t_compromise + n x every`` and must meet an inject written for the same instant; a buffer
drained and recharged across 10m/20m/40m instants empties exactly when the arithmetic says,
so a repair due at that very instant comes first (effects before availability, 3.5).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from cybrelia.engine.clock import GridEnvironment, exact_hours
from cybrelia.files.durations import parse_duration, quantize
from tests.helpers import WriteScenario, simulate_records
from tests.test_engine import asset, grid_model, injects

SPREAD_PAIR = """\
    assets:
      - {id: src, type: server, provides: [data], cyber: {exposure: internet}}
      - {id: tgt, type: server, provides: [data], cyber: {exposure: internal}}
    cyber_links:
      - [src, tgt]
"""


@pytest.mark.parametrize(
    ("start", "every", "reconnect", "ticks"),
    [
        ("0m", "20m", "1h", 3),  # the case of issue 10: 3 x 20m
        ("10m", "20m", "1h10m", 3),
        ("0m", "10m", "30m", 3),
        ("10m", "10m", "10h10m", 60),
        ("0m", "40m", "2h", 3),
        ("20m", "40m", "10h20m", 15),
        ("0m", "20m", "5h", 15),
    ],
)
def test_a_spread_tick_meets_an_inject_at_the_same_instant(
    write_scenario: WriteScenario, start: str, every: str, reconnect: str, ticks: int
) -> None:
    """Tick n lies at start + n x every exactly; the reconnect due then comes first (3.7)."""
    loaded = write_scenario(
        SPREAD_PAIR,
        "duration: 12h\n"
        + injects(
            ("0m", "isolate: tgt"),
            (start, f"{{compromise: src, spread: {{every: {every}, probability: 1}}}}"),
            (reconnect, "reconnect: tgt"),
        ),
    )
    tick = exact_hours(parse_duration(start)) + ticks * exact_hours(parse_duration(every))
    t = quantize(float(tick))
    assert t == parse_duration(reconnect)
    tgt = [record for record in simulate_records(loaded) if record.get("asset") == "tgt"]
    # Isolated from t = 0; reconnected at tick ``ticks``, whose try (after the effects of
    # that instant) compromises it at once: the causes change, the state stays down.
    assert tgt == [
        asset(0.0, "tgt", "down", "isolated"),
        asset(t, "tgt", "down", "compromised"),
    ]


def test_a_buffer_empties_exactly_when_a_repair_is_due(write_scenario: WriteScenario) -> None:
    """Drained 40m, recharged 20m at 0.5, drained again: empty at exactly 1h30m."""
    loaded = write_scenario(
        grid_model("{kind: battery, hours: 1h, recharge: 0.5}"),
        "duration: 4h\n"
        + injects(
            ("0m", "damage: gpz"),
            ("40m", "repair: gpz"),
            ("1h", "damage: gpz"),
            ("1h30m", "repair: gpz"),
        ),
    )
    # 0 -> 40m drains 2/3 h: 1/3 h left.  40m -> 1h recharges 0.5 x 1/3 = 1/6 h: 1/2 h left.
    # 1h -> 1h30m drains the 1/2 h: empty at exactly 1.5, when the repair is due; the repair
    # (an effect) comes first, so the consumer never goes down.
    consumer = [r for r in simulate_records(loaded) if r.get("asset") == "consumer"]
    assert consumer == [
        asset(0.0, "consumer", "backup"),
        asset(quantize(2 / 3), "consumer", "up"),
        asset(1.0, "consumer", "backup"),
        asset(1.5, "consumer", "up"),
    ]


def test_a_buffer_drained_across_thirds_of_an_hour_empties_on_time(
    write_scenario: WriteScenario,
) -> None:
    """Drained 10m, recharged 20m at 1, drained 40m, recharged 10m, then empty exactly."""
    loaded = write_scenario(
        grid_model("{kind: storage, hours: 1h, recharge: 1}"),
        "duration: 4h\n"
        + injects(
            ("0m", "damage: gpz"),
            ("10m", "repair: gpz"),
            ("30m", "damage: gpz"),
            ("1h10m", "repair: gpz"),
            ("1h20m", "damage: gpz"),
        ),
    )
    # 0 -> 10m: 5/6 left; recharge 20m at 1 (capped at 1): 1; 30m -> 1h10m drains 2/3: 1/3;
    # 1h10m -> 1h20m recharges 1/6: 1/2; from 1h20m empty at 1h20m + 30m = 1h50m.
    consumer = [r for r in simulate_records(loaded) if r.get("asset") == "consumer"]
    assert consumer[-1] == asset(parse_duration("1h50m"), "consumer", "down", "needs:power")
    assert consumer[-2] == asset(parse_duration("1h20m"), "consumer", "backup")


@pytest.mark.parametrize(
    ("text", "exact"),
    [
        ("20m", Fraction(1, 3)),
        ("40m", Fraction(2, 3)),
        ("10m", Fraction(1, 6)),
        ("1h10m", Fraction(7, 6)),
        ("0.01m", Fraction(1, 6000)),
        ("1d12h", Fraction(36)),
        ("0.1h", Fraction(1, 10)),
    ],
)
def test_durations_are_read_as_the_fractions_they_mean(text: str, exact: Fraction) -> None:
    assert exact_hours(parse_duration(text)) == exact


def test_every_grid_point_stays_its_own_instant() -> None:
    """Grid points that are no simple fraction stay themselves, none merges with another."""
    points = [k / 10**9 for k in range(333_333_300, 333_333_400)]
    exact = [exact_hours(p) for p in points]
    assert len(set(exact)) == len(points)
    assert [quantize(float(e)) for e in exact] == [quantize(p) for p in points]


def test_the_clock_adds_exactly() -> None:
    """Three timeouts of 20m (as floats) end at exactly 1 h, and a tick on 1 h is 1 h."""
    env = GridEnvironment()

    def thirds() -> object:
        for _ in range(3):
            yield env.timeout(parse_duration("20m"))

    env.process(thirds())  # type: ignore[arg-type]
    env.run()
    assert env.exact_now == 1
    assert env.now == 1.0

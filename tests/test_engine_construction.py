"""Engine construction on flat arrays: the same engine as before, on any model.

``Engine(model)`` builds its tables with NumPy and SciPy and grows the first
fixed point in whole-array rounds (docs/engine.md, "Construction").  These
tests pin that what it builds is the engine the contract describes: the first
instant is the least fixed point (checked from scratch by ``debug=True``), and
a whole run of a generated region, checked after every instant, gives the
records of a region run through the same engine with every round done one
asset at a time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cybrelia.engine import topology
from cybrelia.engine.cascade import Engine, Step
from cybrelia.files.generate import write_region
from cybrelia.files.model import InfrastructureModel
from cybrelia.files.validation import load_model, load_scenario
from cybrelia.headless.simulate import records, run_scenario


def _model(text: str, tmp_path: Path) -> InfrastructureModel:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return load_model(path)


@pytest.mark.parametrize(("gminas", "seed"), [(1, 1), (3, 2), (6, 3)])
def test_a_generated_region_runs_as_with_rounds_one_asset_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gminas: int, seed: int
) -> None:
    _, scenario_path = write_region(gminas, seed=seed, out=tmp_path / "region.json")
    loaded = load_scenario(scenario_path)
    steps: list[Step] = []
    engine = Engine(loaded.model, seed=seed, debug=True)  # I1-I5 after every instant
    engine.subscribe(steps.append)
    for inject in loaded.scenario.injects:
        if inject.at is not None:
            engine.schedule(inject.at, [e for e in inject.effects if e.for_engine])
    engine.advance_to(loaded.scenario.duration)
    assert engine.total_examined > 0
    monkeypatch.setattr(topology, "_SMALL_ROUND", 10**9)  # every round in plain Python
    one_at_a_time = run_scenario(load_scenario(scenario_path))  # a new model: compiled anew
    assert list(records(steps)) == list(records(one_at_a_time.steps))
    assert len(loaded.model.assets) > 64  # so the NumPy rounds ran above


def test_cycles_grounded_at_the_first_instant_by_their_buffers_only(tmp_path: Path) -> None:
    lines = ["format: cybrelia.infrastructure/1", "assets:"]
    for ring in range(300):  # 300 rings of two: 100 grounded, a wide first round
        plant, pump = f"plant-{ring:03}", f"pump-{ring:03}"
        buffer = "" if ring % 3 else ", buffer: {kind: battery, hours: 2}"
        lines += [
            f"  - {{id: {plant}, type: power_plant, provides: [power],"
            f" needs: {{water: {{from: [{pump}]{buffer}}}}}}}",
            f"  - {{id: {pump}, type: booster_pump, provides: [water],"
            f" needs: {{power: {{from: [{plant}]}}}}}}",
        ]
    lines += [
        "  - {id: zero, type: booster_pump, provides: [water],"
        " needs: {power: {from: [zero-plant], buffer: {kind: battery, hours: 0}}}}",
        "  - {id: zero-plant, type: power_plant, provides: [power],"
        " needs: {water: {from: [zero]}}}",
    ]
    engine = Engine(_model("\n".join(lines) + "\n", tmp_path), seed=0, debug=True)
    engine.advance_to(0)
    for ring in range(300):
        expected = "down" if ring % 3 else "up"
        assert engine.status(f"plant-{ring:03}").state == expected
        assert engine.status(f"pump-{ring:03}").state == expected
    assert engine.status("zero").causes == ("needs:power",)
    assert engine.status("zero-plant").causes == ("needs:water",)

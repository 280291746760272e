"""The measurements themselves, each run in a fresh Python process.

The driver starts ``python -m benchmarks.tasks NAME JSON_ARGS``; the task
prints one line ``RESULT <json>`` on stdout and exits.  Each task imports
only what it needs, times only the work named in its docstring with
:func:`time.perf_counter` (wall clock) and :func:`time.process_time` (CPU time
of this process, a hint of how busy the machine was), and leaves peak-memory
accounting to the driver, which reads the process's resource usage when it
reaps it.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["TASKS", "main"]

Result = dict[str, Any]


class _Clock:
    """Wall and CPU time of one timed block."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0

    def __enter__(self) -> _Clock:
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def baseline(_: Result) -> Result:
    """Nothing but the imports of the region tasks: the floor of their peak RSS."""

    return {}


def generate(args: Result) -> Result:
    """Write a generated region (model and scenario) with ``write_region``."""
    from cybrelia.files.generate import write_region

    with _Clock() as clock:
        model_path, scenario_path = write_region(
            int(args["gminas"]), seed=int(args["seed"]), out=Path(args["out"])
        )
    return {
        "wall": clock.wall,
        "cpu": clock.cpu,
        "model": str(model_path),
        "scenario": str(scenario_path),
        "model_bytes": model_path.stat().st_size,
    }


def yardstick(args: Result) -> Result:
    """Events per second of a process that loops ``yield env.timeout(1)``.

    ``kind`` is ``simpy`` (a plain :class:`simpy.Environment`) or ``grid``
    (:class:`cybrelia.engine.clock.GridEnvironment`, which rounds every scheduled time
    onto the engine's time grid).  Each repetition runs ``events`` timeouts in a
    new environment; the figures are the best and the median repetition.
    """
    from collections.abc import Generator

    import simpy

    from cybrelia.engine.clock import GridEnvironment

    kind = str(args["kind"])
    events = int(args["events"])
    factory: Callable[[], simpy.Environment] = (
        simpy.Environment if kind == "simpy" else GridEnvironment
    )

    def loop(env: simpy.Environment) -> Generator[simpy.Event, Any, None]:
        for _ in range(events):
            yield env.timeout(1)

    walls = []
    cpus = []
    for _ in range(int(args["repeat"])):
        env = factory()
        env.process(loop(env))
        with _Clock() as clock:
            env.run()
        if env.now != events:  # pragma: no cover - a broken environment
            raise RuntimeError(f"ran to {env.now}, expected {events}")
        walls.append(clock.wall)
        cpus.append(clock.cpu)
    return {"events": events, "walls": walls, "cpus": cpus}


def _count(steps: list[Any]) -> tuple[int, int, int]:
    """Asset changes, service changes and instants in a list of engine steps."""
    assets = sum(len(step.assets) for step in steps)
    services = sum(len(step.services) for step in steps)
    return assets, services, len(steps)


def scenario_runs(args: Result) -> Result:
    """Load a scenario once, then time ``run_scenario`` to ``until`` several times.

    ``run_scenario`` is Engine construction, scheduling of the injects and
    ``advance_to(until)``; loading is timed separately and excluded.  One
    untimed warm-up run comes first.  If ``tracemalloc`` is set, one more run
    (untimed) is traced and its Python-heap peak reported.
    """
    from cybrelia.files.validation import load_scenario
    from cybrelia.headless.simulate import run_scenario

    with _Clock() as load:
        loaded = load_scenario(args["scenario"])
    until = float(args["until"])
    run_scenario(loaded, until=until)  # warm-up
    walls = []
    cpus = []
    counts = (0, 0, 0)
    for _ in range(int(args["repeat"])):
        with _Clock() as clock:
            run = run_scenario(loaded, until=until)
        walls.append(clock.wall)
        cpus.append(clock.cpu)
        counts = _count(run.steps)
        del run
    result: Result = {
        "assets": len(loaded.model.assets),
        "load_wall": load.wall,
        "walls": walls,
        "cpus": cpus,
        "asset_changes": counts[0],
        "service_changes": counts[1],
        "instants": counts[2],
    }
    if args.get("tracemalloc"):
        import tracemalloc

        tracemalloc.start()
        run_scenario(loaded, until=until)
        result["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result


def load(args: Result) -> Result:
    """``load_scenario`` of the scenario file (which loads its model), then ``Engine(model)``.

    The first engine on a model compiles its topology (:mod:`cybrelia.engine.topology`);
    a second ``Engine(model)`` on the same model, timed after it, reuses it (as every
    replication of a dry run and every replay of a session does).
    """
    from cybrelia.engine.cascade import Engine
    from cybrelia.files.validation import load_scenario

    with _Clock() as load:
        loaded = load_scenario(args["scenario"])
    with _Clock() as build:
        engine = Engine(loaded.model, seed=loaded.scenario.seed)
    del engine
    with _Clock() as again:
        Engine(loaded.model, seed=loaded.scenario.seed)
    model = loaded.model
    return {
        "assets": len(model.assets),
        "needs": sum(len(need.from_) for asset in model.assets for need in asset.needs.values()),
        "load_wall": load.wall,
        "load_cpu": load.cpu,
        "engine_wall": build.wall,
        "engine_cpu": build.cpu,
        "engine_again_wall": again.wall,
        "engine_again_cpu": again.cpu,
    }


def load_model(args: Result) -> Result:
    """``load_model`` of the model file alone."""
    from cybrelia.files.validation import load_model as load_model_file

    with _Clock() as clock:
        model = load_model_file(args["model"])
    return {"assets": len(model.assets), "wall": clock.wall, "cpu": clock.cpu}


def cascade(args: Result) -> Result:
    """The cascade from one asset against ``networkx.descendants`` of the dependency graph.

    The engine is built and advanced to ``t = 0.5`` (so the initial instant is
    settled); then ``engine.apply([Effect(damage=[source])])`` is timed alone:
    the immediate cascade, settled and reported.  Then ``advance_to(until)`` is
    timed: the delayed cascade as buffers run dry, with no other effect.

    Afterwards, a :class:`networkx.DiGraph` with an edge provider -> dependent
    for every provider of every need is built (not timed) and
    ``networkx.descendants(graph, source)`` is timed ``repeat`` times.  The
    graph is built after the engine work so that its objects do not add to the
    garbage collector's work while the engine runs.  ``descendants`` is timed
    first as is, then again after :func:`gc.freeze` (so the collector does not
    rescan the graph); the suite takes the faster of the two as the yardstick,
    the stricter comparison.
    """
    import gc

    import networkx

    from cybrelia.engine.cascade import Engine, Step
    from cybrelia.files.scenario import Effect
    from cybrelia.files.validation import load_scenario

    source = str(args["source"])
    loaded = load_scenario(args["scenario"])
    model = loaded.model
    engine = Engine(model, seed=loaded.scenario.seed)
    engine.advance_to(0.5)
    steps: list[Step] = []
    engine.subscribe(steps.append)
    redundant = str(args.get("redundant", ""))
    redundant_work = None
    if redundant:
        # A change that alters nothing downstream: the reserve substation, then back.
        engine.apply([Effect(damage=[redundant])])
        redundant_work = engine.work
        engine.apply([Effect(repair=[redundant])])
        steps.clear()
    effects = [Effect(damage=[source])]
    with _Clock() as immediate:
        engine.apply(effects)
    immediate_work = engine.work
    immediate_counts = _count(steps)
    steps.clear()
    with _Clock() as later:
        engine.advance_to(float(args["until"]))
    later_counts = _count(steps)
    down_at_end = sum(1 for asset_id in engine.asset_ids if not engine.is_available(asset_id))
    del engine, steps

    graph = networkx.DiGraph()
    graph.add_nodes_from(asset.id for asset in model.assets)
    for asset in model.assets:
        for need in asset.needs.values():
            for provider in need.from_:
                graph.add_edge(provider, asset.id)
    reached = 0

    def descendants() -> list[float]:
        nonlocal reached
        walls = []
        for _ in range(int(args["repeat"])):
            with _Clock() as clock:
                reached = len(networkx.descendants(graph, source))
            walls.append(clock.wall)
        return walls

    walls_gc = descendants()
    # Freeze the graph out of the cyclic collector, so the yardstick is not slowed by the
    # collector rescanning it.
    gc.freeze()
    walls = descendants()
    return {
        "assets": len(model.assets),
        "edges": graph.number_of_edges(),
        "descendants": reached,
        "descendants_walls": walls,
        "descendants_walls_unfrozen": walls_gc,
        "cascade_wall": immediate.wall,
        "cascade_cpu": immediate.cpu,
        "cascade_examined": immediate_work.examined,
        "cascade_changed": immediate_work.changed,
        "redundant_examined": None if redundant_work is None else redundant_work.examined,
        "redundant_changed": None if redundant_work is None else redundant_work.changed,
        "cascade_asset_changes": immediate_counts[0],
        "cascade_service_changes": immediate_counts[1],
        "later_wall": later.wall,
        "later_cpu": later.cpu,
        "later_asset_changes": later_counts[0],
        "later_service_changes": later_counts[1],
        "later_instants": later_counts[2],
        "down_at_end": down_at_end,
    }


def region_run(args: Result) -> Result:
    """``load_scenario`` then ``run_scenario`` to ``until``: load plus simulate, once."""
    from cybrelia.files.validation import load_scenario
    from cybrelia.headless.simulate import run_scenario

    with _Clock() as load:
        loaded = load_scenario(args["scenario"])
    with _Clock() as run_clock:
        run = run_scenario(loaded, until=float(args["until"]))
    assets, services, instants = _count(run.steps)
    return {
        "assets": len(loaded.model.assets),
        "load_wall": load.wall,
        "load_cpu": load.cpu,
        "run_wall": run_clock.wall,
        "run_cpu": run_clock.cpu,
        "asset_changes": assets,
        "service_changes": services,
        "instants": instants,
    }


#: The floor of a whole ``cybrelia simulate`` process (issue 10): read the model as
#: JSON, build the dependency graph in NetworkX, find everything the substations feed.
FLOOR_PROGRAM = """
import json, sys
import networkx
with open(sys.argv[1], encoding="utf-8") as f:
    model = json.load(f)
graph = networkx.DiGraph()
graph.add_nodes_from(asset["id"] for asset in model["assets"])
for asset in model["assets"]:
    for need in asset.get("needs", {}).values():
        for provider in need["from"]:
            graph.add_edge(provider, asset["id"])
reached = set()
for asset in model["assets"]:
    if asset["type"] == "substation":
        reached |= networkx.descendants(graph, asset["id"])
print(len(reached))
"""

#: A whole ``cybrelia simulate`` run, as a user starts it.
SIMULATE_PROGRAM = "import sys; from cybrelia.cli import main; sys.exit(main(sys.argv[1:]))"


def whole_process(args: Result) -> Result:
    """Wall time and peak RSS of one child process: ``simulate`` or its ``floor``.

    ``simulate`` runs ``cybrelia simulate SCENARIO --jsonl OUT`` (interpreter start,
    imports, loading and validation, Engine construction, the run, writing JSON
    Lines); ``floor`` runs :data:`FLOOR_PROGRAM` on the scenario's model.  Both are
    timed the same way, from starting the child to its exit.
    """
    import resource
    import subprocess

    kind = str(args["kind"])
    if kind == "simulate":
        argv = ["simulate", str(args["scenario"]), "--jsonl", str(args["out"])]
        command = [sys.executable, "-c", SIMULATE_PROGRAM, *argv]
    else:
        command = [sys.executable, "-c", FLOOR_PROGRAM, str(args["model"])]
    with _Clock() as clock:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"wall": clock.wall, "child_maxrss": peak}


TASKS: dict[str, Callable[[Result], Result]] = {
    "baseline": baseline,
    "generate": generate,
    "yardstick": yardstick,
    "scenario_runs": scenario_runs,
    "load": load,
    "load_model": load_model,
    "cascade": cascade,
    "region_run": region_run,
    "whole_process": whole_process,
}


def main(argv: list[str]) -> int:
    """Run one task and print its result as ``RESULT <json>``."""
    if len(argv) != 2 or argv[0] not in TASKS:
        print(f"usage: python -m benchmarks.tasks {{{','.join(TASKS)}}} JSON", file=sys.stderr)
        return 2
    result = TASKS[argv[0]](json.loads(argv[1]))
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

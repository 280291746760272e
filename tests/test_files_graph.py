"""The model as NetworkX graphs, and the picture of its dependencies."""

from __future__ import annotations

from pathlib import Path

from cybrelia.cli import main
from cybrelia.files.graph import cyber_graph, dependency_graph, draw_dependency_graph, layers
from tests.helpers import WriteScenario

MODEL = """\
assets:
  - {id: gpz, type: substation, provides: [power]}
  - {id: line, type: mv_line, provides: [power], needs: {power: {from: [gpz]}}}
  - id: scada
    type: scada
    provides: [control]
    needs: {power: {from: [line], buffer: {kind: battery, hours: 4}}}
    cyber: {exposure: internet}
  - id: suw
    type: water_treatment
    provides: [water]
    critical: true
    needs:
      power: {from: [line]}
      control: {from: [scada], buffer: {kind: manual, hours: 24}}
  - {id: it, type: server, provides: [data], cyber: {}}
cyber_links:
  - [scada, it]
"""


def test_edges_run_from_provider_to_dependent(write_scenario: WriteScenario) -> None:
    model = write_scenario(MODEL).model
    graph = dependency_graph(model)
    assert sorted(graph.edges) == [
        ("gpz", "line"),
        ("line", "scada"),
        ("line", "suw"),
        ("scada", "suw"),
    ]
    assert graph.edges["scada", "suw"] == {"services": ["control"], "buffered": True}
    assert graph.edges["line", "suw"] == {"services": ["power"], "buffered": False}
    assert graph.nodes["suw"]["sector"] == "water" and graph.nodes["suw"]["critical"]
    assert layers(graph) == {"gpz": 0, "it": 0, "line": 1, "scada": 2, "suw": 3}


def test_cyber_graph_holds_cyber_assets_and_links(write_scenario: WriteScenario) -> None:
    graph = cyber_graph(write_scenario(MODEL).model)
    assert sorted(graph.nodes) == ["it", "scada"]
    assert list(graph.edges) == [("it", "scada")]


def test_cycles_share_a_layer(write_scenario: WriteScenario) -> None:
    model = write_scenario(
        """\
        assets:
          - id: a
            type: x
            provides: [p]
            needs: {q: {from: [b], buffer: {kind: storage, hours: 1}}}
          - {id: b, type: x, provides: [q], needs: {p: {from: [a]}}}
          - {id: c, type: x, provides: [r], needs: {q: {from: [b]}}}
        """
    ).model
    assert layers(dependency_graph(model)) == {"a": 0, "b": 0, "c": 1}


def test_the_picture_is_written(write_scenario: WriteScenario, tmp_path: Path) -> None:
    loaded = write_scenario(MODEL)
    figure = draw_dependency_graph(loaded.model)
    assert figure.axes and "dependencies" in figure.axes[0].get_title()
    out = tmp_path / "graph.png"
    assert main(["graph", str(loaded.model_path), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")

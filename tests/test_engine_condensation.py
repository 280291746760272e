"""The condensation of the dependency graph: NetworkX's components, numbered topologically."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cybrelia.engine.condensation import Condensation, condense


@st.composite
def graphs(draw: st.DrawFn) -> list[list[int]]:
    n = draw(st.integers(1, 25))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    successors: list[list[int]] = [[] for _ in range(n)]
    for x, y in sorted(set(edges)):
        successors[x].append(y)
    return successors


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_components_are_networkx_sccs_in_topological_order(successors: list[list[int]]) -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(successors)))
    graph.add_edges_from((x, y) for x, targets in enumerate(successors) for y in targets)
    sources = np.array([x for x, targets in enumerate(successors) for _ in targets], dtype=np.int64)
    targets = np.array([y for ys in successors for y in ys], dtype=np.int64)
    result = condense(len(successors), sources, targets)
    ours: dict[int, set[int]] = {}
    for x, c in enumerate(result.component):
        ours.setdefault(c, set()).add(x)
    assert sorted(map(sorted, ours.values())) == sorted(
        map(sorted, nx.strongly_connected_components(graph))
    )
    assert sorted(ours) == list(range(len(result.single)))
    for x, heads in enumerate(successors):
        for y in heads:
            assert result.component[x] <= result.component[y]
    for c, members in ours.items():
        cyclic = len(members) > 1 or any(x in successors[x] for x in members)
        if cyclic:
            assert result.single[c] == -1 and result.cyclic[c] == tuple(sorted(members))
        else:
            assert result.single[c] == next(iter(members)) and c not in result.cyclic


def test_a_long_chain_and_wide_levels_are_numbered_in_order() -> None:
    """Levels of many components go through NumPy, a long tail through plain Python."""
    n = 3000
    sources = list(range(200)) + list(range(200, 400)) + list(range(400, n - 1))
    targets = list(range(200, 400)) + [400] * 200 + list(range(401, n))
    sources.append(n - 1)
    targets.append(n - 50)  # a cycle at the end of the chain
    result = condense(n, np.array(sources, dtype=np.int64), np.array(targets, dtype=np.int64))
    for x, y in zip(sources, targets, strict=True):
        assert result.component[x] <= result.component[y]
    assert result.cyclic == {result.component[n - 1]: tuple(range(n - 50, n))}
    assert len(result.single) == n - 49


def _levels_order_the_components(
    sources: list[int], targets: list[int], result: Condensation
) -> None:
    """Levels rise with the component numbers, and every edge between components rises."""
    component = result.component
    level = result.level
    assert len(level) == len(result.single)
    assert level == sorted(level)
    for x, y in zip(sources, targets, strict=True):
        if component[x] != component[y]:
            assert level[component[x]] < level[component[y]]


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_no_edge_joins_two_components_of_one_level(successors: list[list[int]]) -> None:
    # The engine's worklist keeps only the levels in order (docs/engine.md, "Settling an
    # instant"): that is right only if components of one level share no edge.
    sources = [x for x, heads in enumerate(successors) for _ in heads]
    targets = [y for heads in successors for y in heads]
    result = condense(
        len(successors), np.array(sources, dtype=np.int64), np.array(targets, dtype=np.int64)
    )
    _levels_order_the_components(sources, targets, result)


def test_wide_levels_share_a_level_and_a_long_tail_has_one_each() -> None:
    n = 3000
    sources = list(range(200)) + list(range(200, 400)) + list(range(400, n - 1))
    targets = list(range(200, 400)) + [400] * 200 + list(range(401, n))
    result = condense(n, np.array(sources, dtype=np.int64), np.array(targets, dtype=np.int64))
    _levels_order_the_components(sources, targets, result)
    assert result.level[:400] == [0] * 200 + [1] * 200  # two levels of 200, through NumPy
    tail = result.level[400:]
    assert tail == list(range(2, 2 + len(tail)))  # one component at a time

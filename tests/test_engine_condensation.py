"""The condensation of the dependency graph: NetworkX's components, numbered topologically."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from cybrelia.engine.condensation import condense


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
    result = condense(successors)
    ours: dict[int, set[int]] = {}
    for x, c in enumerate(result.component):
        ours.setdefault(c, set()).add(x)
    assert sorted(map(sorted, ours.values())) == sorted(
        map(sorted, nx.strongly_connected_components(graph))
    )
    assert sorted(ours) == list(range(len(result.single)))
    for x, targets in enumerate(successors):
        for y in targets:
            assert result.component[x] <= result.component[y]
    for c, members in ours.items():
        cyclic = len(members) > 1 or any(x in successors[x] for x in members)
        if cyclic:
            assert result.single[c] == -1 and result.cyclic[c] == tuple(sorted(members))
        else:
            assert result.single[c] == next(iter(members)) and c not in result.cyclic

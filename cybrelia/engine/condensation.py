"""Strongly connected components of the dependency graph, in topological order.

The engine's graph (provider -> dependent) never changes during a run, so its
condensation is computed once, when an :class:`~cybrelia.engine.cascade.Engine`
is built.  Components are numbered so that every edge between two components
goes from a lower number to a higher one: processing dirty components in
increasing order sees every provider's final availability before its
dependents are looked at.

The graph comes as two arrays of edge ends, and the work is done on arrays:
SciPy's compiled strong-components routine labels the components, and the
condensed graph is numbered by Kahn's algorithm one *level* at a time (all
components whose providers are all numbered, at once, in NumPy).  A long chain
would have one level per asset, so once a level is small the rest is numbered
one component at a time in plain Python instead, its levels computed on the way
(a generated region, fed from a handful of sources, goes that way from its
first level: 14 levels for 10,000 assets, 16 for 100,000).  The engine's
worklist keeps components by level (:mod:`cybrelia.engine.cascade`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["Condensation", "condense", "gather"]

Indices = npt.NDArray[np.int64]

#: Below this many components in a level, Kahn's algorithm goes on in plain Python.
_SMALL_LEVEL = 64


class Condensation:
    """Component numbers in topological order, and the members of the cyclic ones.

    Attributes
    ----------
    component
        ``component[x]`` is the number of asset ``x``'s component.
    single
        ``single[c]`` is the one asset of acyclic component ``c``, or -1 if ``c`` is cyclic.
    cyclic
        Members (sorted) of each cyclic component: more than one asset, or one asset that
        needs itself.
    level
        ``level[c]`` is the level of component ``c``: levels rise with the numbers, and
        every edge between components goes to a higher level, so no edge joins two
        components of one level (their order among themselves does not matter).
    """

    __slots__ = ("component", "cyclic", "level", "single")

    def __init__(
        self,
        component: list[int],
        single: list[int],
        cyclic: dict[int, tuple[int, ...]],
        level: list[int],
    ) -> None:
        self.component = component
        self.single = single
        self.cyclic = cyclic
        self.level = level


def condense(n: int, sources: Indices, targets: Indices) -> Condensation:
    """Condense the graph on assets ``0 .. n-1`` with an edge ``sources[e] -> targets[e]``.

    Parallel edges are allowed.  Components are numbered level by level: a
    component's level is one more than the highest level of a component with an
    edge into it, so every edge between components goes from a lower number to a
    higher one; within a level, by their smallest asset.
    """
    if n == 0:
        return Condensation([], [], {}, [])
    graph = csr_matrix((np.ones(len(sources), dtype=np.int8), (sources, targets)), shape=(n, n))
    count, labels = connected_components(graph, directed=True, connection="strong")
    labels = labels.astype(np.int64)
    # Number the labels by each component's smallest asset, so the result does not
    # depend on how SciPy happens to number them.
    first = np.full(count, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n, dtype=np.int64))
    relabel = np.empty(count, dtype=np.int64)
    relabel[np.argsort(first, kind="stable")] = np.arange(count, dtype=np.int64)
    labels = relabel[labels]
    left, right = labels[sources], labels[targets]
    between = left != right
    order, depth = _topological(count, left[between], right[between])
    number = np.empty(count, dtype=np.int64)
    number[order] = np.arange(count, dtype=np.int64)
    component = number[labels]
    sizes = np.bincount(component, minlength=count)
    looped = np.zeros(count, dtype=bool)
    looped[component[sources[sources == targets]]] = True
    cyclic_numbers = np.flatnonzero((sizes > 1) | looped)
    single = np.full(count, -1, dtype=np.int64)
    acyclic_assets = np.flatnonzero(~np.isin(component, cyclic_numbers))
    single[component[acyclic_assets]] = acyclic_assets
    cyclic: dict[int, tuple[int, ...]] = {}
    if len(cyclic_numbers):
        in_cycle = np.flatnonzero(np.isin(component, cyclic_numbers))
        grouped = in_cycle[np.argsort(component[in_cycle], kind="stable")]
        bounds = np.cumsum(sizes[cyclic_numbers])[:-1]
        for c, members in zip(cyclic_numbers.tolist(), np.split(grouped, bounds), strict=True):
            cyclic[c] = tuple(members.tolist())
    return Condensation(component.tolist(), single.tolist(), cyclic, depth.tolist())


def gather(start: Indices, heads: Indices, nodes: Indices) -> Indices:
    """``heads[start[x] : start[x + 1]]`` for every ``x`` of ``nodes``, one after another.

    The offset table ``start`` (length ``n + 1``) and ``heads`` hold a graph's edges
    grouped by tail; this is one NumPy gather for a whole level of nodes.
    """
    begin = start[nodes]
    lengths = start[nodes + 1] - begin
    total = int(lengths.sum())
    offsets = np.repeat(begin - np.cumsum(lengths) + lengths, lengths)
    return heads[offsets + np.arange(total, dtype=np.int64)]


def _topological(count: int, left: Indices, right: Indices) -> tuple[Indices, Indices]:
    """An order of ``count`` nodes in which every edge ``left -> right`` goes forwards.

    Also the level of each node, in that order: one more than the highest level of a
    node with an edge into it (0 for a node with none), so no edge joins two nodes of
    one level; levels rise along the order.
    """
    indegree = np.bincount(right, minlength=count)
    by_source = np.argsort(left, kind="stable")
    heads = right[by_source]
    start = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(left, minlength=count), out=start[1:])
    levels: list[Indices] = []
    level = np.flatnonzero(indegree == 0)
    while len(level) >= _SMALL_LEVEL:
        levels.append(level)
        reached = gather(start, heads, level)
        if not len(reached):
            level = level[:0]
            break
        indegree -= np.bincount(reached, minlength=count)
        reached = np.unique(reached)
        level = reached[indegree[reached] == 0]
    depths = [np.full(len(level), depth, dtype=np.int64) for depth, level in enumerate(levels)]
    # The rest one node at a time (Kahn's algorithm with a queue).  A node's level is
    # final once its last provider is taken off the queue, which is then one of its
    # highest, as the queue's levels never fall.
    rest = level.tolist()
    if rest:
        degree = indegree.tolist()
        starts = start.tolist()
        targets = heads.tolist()
        depth = [len(levels)] * count
        for x in rest:  # grows while iterating
            below = depth[x] + 1
            for y in targets[starts[x] : starts[x + 1]]:
                if depth[y] < below:
                    depth[y] = below
                degree[y] -= 1
                if degree[y] == 0:
                    rest.append(y)
        levels.append(np.array(rest, dtype=np.int64))
        depths.append(np.array(depth, dtype=np.int64)[levels[-1]])
    if not levels:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(levels), np.concatenate(depths)

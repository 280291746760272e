"""Strongly connected components of the dependency graph, in topological order.

The engine's graph (provider -> dependent) never changes during a run, so its
condensation is computed once, when an :class:`~cybrelia.engine.cascade.Engine`
is built.  Components are numbered so that every edge between two components
goes from a lower number to a higher one: processing dirty components in
increasing order sees every provider's final availability before its
dependents are looked at.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["Condensation", "condense"]


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
    """

    __slots__ = ("component", "cyclic", "single")

    def __init__(
        self, component: list[int], single: list[int], cyclic: dict[int, tuple[int, ...]]
    ) -> None:
        self.component = component
        self.single = single
        self.cyclic = cyclic


def condense(successors: Sequence[Sequence[int]]) -> Condensation:
    """Condense the graph ``x -> successors[x]``.

    Assets with no cycle upstream are first peeled off in Kahn's order, and then
    assets with no cycle downstream, from the sinks up; both cost a fraction of
    Tarjan's bookkeeping, which runs only on what is left (the cycles and the
    assets between them).  Numbering: the assets peeled from the sources first,
    in Kahn's order; then Tarjan's components, in topological order; then the
    assets peeled from the sinks, in the reverse of their peeling.  Every edge goes
    from a lower number to a higher one: nothing left over feeds an asset peeled
    from the sources, and nothing peeled from the sinks feeds anything peeled
    after it or left over.
    """
    n = len(successors)
    indegree = [0] * n
    for targets in successors:
        for y in targets:
            indegree[y] += 1
    upstream = [x for x in range(n) if indegree[x] == 0]
    for x in upstream:  # grows while iterating: Kahn's algorithm
        for y in successors[x]:
            indegree[y] -= 1
            if indegree[y] == 0:
                upstream.append(y)
    component = [-1] * n
    single: list[int] = []
    for x in upstream:
        component[x] = len(single)
        single.append(x)
    cyclic: dict[int, tuple[int, ...]] = {}
    if len(upstream) == n:
        return Condensation(component, single, cyclic)
    # From the sinks up, among the assets left.
    rest = [x for x in range(n) if component[x] < 0]
    predecessors: dict[int, list[int]] = {x: [] for x in rest}
    outdegree = dict.fromkeys(rest, 0)
    for x in rest:
        for y in successors[x]:
            outdegree[x] += 1
            predecessors[y].append(x)
    downstream = [x for x in rest if outdegree[x] == 0]
    for y in downstream:
        for x in predecessors[y]:
            outdegree[x] -= 1
            if outdegree[x] == 0:
                downstream.append(x)
    peeled = set(downstream)
    middle = [x for x in rest if x not in peeled]
    for x in downstream:
        component[x] = -2  # kept out of Tarjan's walk
    found = _tarjan(successors, middle, component)
    for members in reversed(found):  # Tarjan finishes sinks first
        c = len(single)
        if len(members) == 1 and members[0] not in successors[members[0]]:
            single.append(members[0])
        else:
            single.append(-1)
            cyclic[c] = tuple(sorted(members))
        for x in members:
            component[x] = c
    for x in reversed(downstream):
        component[x] = len(single)
        single.append(x)
    return Condensation(component, single, cyclic)


def _tarjan(
    successors: Sequence[Sequence[int]], roots: list[int], peeled: list[int]
) -> list[list[int]]:
    """Tarjan's SCCs of the assets not yet peeled (``peeled[x] == -1``), sinks first."""
    index = [-1] * len(successors)
    low = [0] * len(successors)
    on_stack = [False] * len(successors)
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in roots:
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            x, i = work[-1]
            targets = successors[x]
            if i < len(targets):
                work[-1] = (x, i + 1)
                y = targets[i]
                if peeled[y] != -1:
                    continue
                if index[y] < 0:
                    index[y] = low[y] = counter
                    counter += 1
                    stack.append(y)
                    on_stack[y] = True
                    work.append((y, 0))
                elif on_stack[y] and index[y] < low[x]:
                    low[x] = index[y]
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[x] < low[parent]:
                    low[parent] = low[x]
            if low[x] == index[x]:
                members = []
                while True:
                    y = stack.pop()
                    on_stack[y] = False
                    members.append(y)
                    if y == x:
                        break
                found.append(members)
    return found

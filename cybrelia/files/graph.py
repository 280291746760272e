"""The model's dependency graph as NetworkX graphs, and a picture of it.

Pure functions taking the model first, in the NetworkX manner: the engine
keeps its own compact arrays, these serve analysis, documentation and anyone
who wants to reason about a municipality's couplings with NetworkX.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from cybrelia.files.model import InfrastructureModel

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["SECTOR_COLOURS", "cyber_graph", "dependency_graph", "draw_dependency_graph", "layers"]

#: Okabe-Ito colours by sector, readable for colour-blind readers.
SECTOR_COLOURS: dict[str, str] = {
    "power": "#E69F00",
    "water": "#56B4E9",
    "wastewater": "#009E73",
    "heat": "#D55E00",
    "telecom": "#CC79A7",
    "it": "#0072B2",
    "health": "#F0E442",
    "rescue": "#000000",
    "fuel": "#999999",
    "transport": "#8C510A",
    "shelter": "#6A3D9A",
    "administration": "#01665E",
    "alerting": "#B2182B",
}


def dependency_graph(model: InfrastructureModel) -> nx.DiGraph:
    """A directed graph with an edge provider → dependent for every provider of every need.

    Nodes carry ``name``, ``type``, ``sector``, ``critical``; edges carry
    ``services`` (the services the dependent needs from the provider) and
    ``buffered`` (whether each such need has a buffer).
    """
    graph = nx.DiGraph()
    for asset in sorted(model.assets, key=lambda a: a.id):
        graph.add_node(
            asset.id,
            name=asset.label,
            type=asset.type,
            sector=asset.sector,
            critical=asset.critical,
        )
    for asset in sorted(model.assets, key=lambda a: a.id):
        for service, need in sorted(asset.needs.items()):
            for provider in need.from_:
                if graph.has_edge(provider, asset.id):
                    graph.edges[provider, asset.id]["services"].append(service)
                else:
                    graph.add_edge(
                        provider, asset.id, services=[service], buffered=need.buffer is not None
                    )
    return graph


def cyber_graph(model: InfrastructureModel) -> nx.Graph:
    """The undirected graph of ``cyber_links``: where an attacker can move."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(a.id for a in model.assets if a.cyber is not None))
    graph.add_edges_from(sorted(tuple(sorted(link)) for link in model.cyber_links))
    return graph


def layers(graph: nx.DiGraph) -> dict[str, int]:
    """Each asset's depth: the longest chain of providers behind it (cycles count once)."""
    condensed = nx.condensation(graph)
    depth: dict[int, int] = {}
    for component in nx.topological_sort(condensed):
        parents = list(condensed.predecessors(component))
        depth[component] = 1 + max((depth[p] for p in parents), default=-1)
    mapping = condensed.graph["mapping"]
    return {node: depth[mapping[node]] for node in graph.nodes}


def draw_dependency_graph(model: InfrastructureModel, *, labels: bool = True) -> Figure:
    """A layered picture of the dependency graph: sources left, dependents right.

    Colours give the sector (Okabe-Ito), squares mark critical facilities,
    dashed edges are needs with a buffer.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    graph = dependency_graph(model)
    depth = layers(graph)
    for node, level in depth.items():
        graph.nodes[node]["layer"] = level
    position = nx.multipartite_layout(graph, subset_key="layer", align="vertical")
    width = max(depth.values(), default=0) + 1
    tallest = max(list(depth.values()).count(level) for level in set(depth.values()) or {0})
    figure = Figure(figsize=(max(8.0, 1.5 * width), max(6.0, 0.2 * tallest)))
    axes = figure.add_subplot()
    buffered = [(u, v) for u, v, d in graph.edges(data=True) if d["buffered"]]
    direct = [(u, v) for u, v, d in graph.edges(data=True) if not d["buffered"]]
    for edges, style in ((direct, "solid"), (buffered, "dashed")):
        nx.draw_networkx_edges(
            graph,
            position,
            edgelist=edges,
            ax=axes,
            style=style,
            edge_color="#777777",
            width=0.6,
            arrowsize=6,
            alpha=0.7,
        )
    sectors = sorted({str(graph.nodes[n]["sector"]) for n in graph.nodes})
    for sector in sectors:
        for critical, shape in ((False, "o"), (True, "s")):
            nodes = [
                n
                for n in graph.nodes
                if graph.nodes[n]["sector"] == sector and graph.nodes[n]["critical"] == critical
            ]
            if nodes:
                nx.draw_networkx_nodes(
                    graph,
                    position,
                    nodelist=nodes,
                    ax=axes,
                    node_shape=shape,
                    node_size=60,
                    node_color=SECTOR_COLOURS.get(sector, "#BBBBBB"),
                    edgecolors="#222222",
                    linewidths=0.5,
                )
    if labels:
        nx.draw_networkx_labels(
            graph,
            {n: (x + 0.004, y) for n, (x, y) in position.items()},
            ax=axes,
            font_size=5,
            horizontalalignment="left",
        )
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=6,
            markeredgecolor="#222222",
            markerfacecolor=SECTOR_COLOURS.get(sector, "#BBBBBB"),
            label=sector,
        )
        for sector in sectors
    ]
    handles.append(Line2D([], [], marker="s", linestyle="", color="#444444", label="critical"))
    handles.append(Line2D([], [], linestyle="dashed", color="#777777", label="buffered need"))
    axes.legend(handles=handles, loc="upper left", fontsize=7, frameon=False)
    axes.set_title(f"{model.name}: dependencies (providers → dependents)")
    axes.set_axis_off()
    figure.tight_layout()
    return figure

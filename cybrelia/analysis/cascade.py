"""Cascade analysis: what failed because of an incident, because of what, and when.

An incident is an inject whose effects damaged, compromised or isolated assets.  Its
cascade is the tree of down periods that follow from the assets it took down: an asset
that went down for a lost need while one of its providers (in the model) was down in the
cascade, or a cyber asset compromised later over a ``cyber_links`` edge from one in it.
Built from a session's frames (:func:`~cybrelia.analysis.frames.asset_intervals`, the
effects and the dependencies), so it works alike on a live session and a replayed one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cybrelia.analysis.frames import Run, SessionData, asset_intervals
from cybrelia.engine.cascade import HARD_CAUSES

__all__ = ["FAILURE_VERBS", "cascade", "cascade_candidates"]

#: Effect verbs that make an asset fail (the start of an incident's cascade).
FAILURE_VERBS = ("damage", "damage_zone", "compromise", "isolate")

_CASCADE_COLUMNS = (
    "asset",
    "name",
    "sector",
    "down_at",
    "up_at",
    "ongoing",
    "depth",
    "parent",
    "parents",
    "service",
    "causes",
)

#: One down period: the asset and when it went down.
_Key = tuple[str, float]


@dataclass(frozen=True)
class _Downs:
    """The down periods of a run, indexed for following cascades."""

    by_asset: dict[str, list[dict[str, Any]]]
    dependants: dict[str, list[tuple[str, str]]]
    """Provider → the (asset, service) needs it can supply."""
    cyber: dict[str, set[str]]


@dataclass
class _Node:
    """A down period in a cascade: its depth and the failed providers it may owe it to."""

    period: dict[str, Any]
    depth: int
    parents: list[_Key] = field(default_factory=list)
    #: (when the provider went down, the provider, the service lost) for each parent.
    candidates: list[tuple[float, _Key, str]] = field(default_factory=list)


def _downs(data: SessionData, run: Run) -> _Downs:
    intervals = asset_intervals(data, run)
    by_asset: dict[str, list[dict[str, Any]]] = {}
    for record in intervals[intervals["state"] == "down"].to_dict("records"):
        record["cause_list"] = [c for c in str(record["causes"]).split(", ") if c]
        by_asset.setdefault(str(record["asset"]), []).append(record)
    dependants: dict[str, list[tuple[str, str]]] = {}
    for asset, service, provider in zip(
        data.dependencies["asset"],
        data.dependencies["service"],
        data.dependencies["provider"],
        strict=True,
    ):
        dependants.setdefault(str(provider), []).append((str(asset), str(service)))
    cyber: dict[str, set[str]] = {}
    for a, b in data.model.cyber_links:
        cyber.setdefault(a, set()).add(b)
        cyber.setdefault(b, set()).add(a)
    return _Downs(by_asset, dependants, cyber)


def cascade_candidates(data: SessionData, run: Run = "actual") -> pd.DataFrame:
    """Incidents (injects that damaged, compromised or isolated assets) and their cascades' sizes.

    Returns
    -------
    pandas.DataFrame
        ``inject``, ``delivered_at``, ``assets`` (how many went down in its
        cascade); largest cascade first, then earliest delivery.
    """
    downs = _downs(data, run)
    rows = []
    failing = data.effects[data.effects["verb"].isin(FAILURE_VERBS)]
    for inject in dict.fromkeys(failing["inject"]):
        size = len(_cascade(data, str(inject), downs))
        delivered = data.injects.loc[data.injects["inject"] == inject, "delivered_at"]
        when = float(delivered.iloc[0]) if not delivered.empty else math.nan
        if size:
            rows.append({"inject": inject, "delivered_at": when, "assets": size})
    frame = pd.DataFrame(rows, columns=["inject", "delivered_at", "assets"])
    frame["assets"] = frame["assets"].astype("int64")
    frame["delivered_at"] = frame["delivered_at"].astype("float64")
    return frame.sort_values(
        ["assets", "delivered_at"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def cascade(data: SessionData, inject: str | None = None, run: Run = "actual") -> pd.DataFrame:
    """What failed because of an incident, because of what, and when.

    The roots are the assets the inject's effects damaged, compromised or
    isolated that went down when it was delivered.  An asset that went down
    with cause ``needs:<service>`` while one of its providers of that service
    (from the model) was down in the cascade is its child; so is a cyber asset
    compromised later over a ``cyber_links`` edge from one in the cascade
    (``service`` ``cyber``).  The ``parent`` is the provider that failed last
    before it (the trigger); ``parents`` lists them all.  Delays between a
    parent and a child are buffers (batteries, tanks, generators) running dry.

    Parameters
    ----------
    data
        A session.
    inject
        The incident; by default the one with the largest cascade
        (:func:`cascade_candidates`).
    run
        ``actual`` or ``baseline``.

    Returns
    -------
    pandas.DataFrame
        ``asset``, ``name``, ``sector``, ``down_at``, ``up_at`` (the session's
        end if still down), ``ongoing``, ``depth`` (0 for roots), ``parent``,
        ``parents``, ``service`` (the need lost from the parent), ``causes``; in
        tree order (depth first, children by time of failure), empty if nothing
        failed.  An asset down twice in the cascade has two rows.
    """
    if inject is None:
        candidates = cascade_candidates(data, run)
        if candidates.empty:
            return pd.DataFrame(columns=list(_CASCADE_COLUMNS))
        inject = str(candidates.iloc[0]["inject"])
    rows = _cascade(data, inject, _downs(data, run))
    frame = pd.DataFrame(rows, columns=list(_CASCADE_COLUMNS))
    frame["depth"] = frame["depth"].astype("int64")
    return frame


def _cascade(data: SessionData, inject: str, downs: _Downs) -> list[dict[str, Any]]:
    """The rows of :func:`cascade` for one inject, in tree order."""
    nodes = _roots(data, inject, downs)
    _follow(nodes, downs)
    return _tree_rows(nodes)


def _roots(data: SessionData, inject: str, downs: _Downs) -> dict[_Key, _Node]:
    """The periods the inject's failure effects started when it was delivered, by time."""
    delivered = data.injects.loc[data.injects["inject"] == inject, "delivered_at"]
    if delivered.empty or pd.isna(delivered.iloc[0]):
        return {}
    t0 = float(delivered.iloc[0])
    effects = data.effects[
        (data.effects["inject"] == inject) & data.effects["verb"].isin(FAILURE_VERBS)
    ]
    roots: list[tuple[_Key, _Node]] = []
    for asset in sorted(set(effects["asset"]) - {""}):
        for period in downs.by_asset.get(asset, []):
            if period["start"] == t0 and any(c in HARD_CAUSES for c in period["cause_list"]):
                roots.append(((asset, float(period["start"])), _Node(period, depth=0)))
    return dict(sorted(roots, key=lambda root: (root[0][1], root[0][0])))


def _follow(nodes: dict[_Key, _Node], downs: _Downs) -> None:
    """Add to ``nodes``, breadth first, every period that failed because of one in it."""
    queue = list(nodes)
    head = 0
    while head < len(queue):
        parent_key = queue[head]
        head += 1
        parent = nodes[parent_key]
        for key, period, service in _consequences(parent_key, parent.period, downs):
            candidate = (float(parent.period["start"]), parent_key, service)
            if key in nodes:
                node = nodes[key]
                if node.depth > parent.depth and parent_key not in node.parents:
                    node.parents.append(parent_key)
                    node.candidates.append(candidate)
                continue
            nodes[key] = _Node(period, parent.depth + 1, [parent_key], [candidate])
            queue.append(key)


def _consequences(
    parent_key: _Key, parent: dict[str, Any], downs: _Downs
) -> Iterator[tuple[_Key, dict[str, Any], str]]:
    """The periods that began while ``parent`` was down, for a need it supplies or by spread."""
    links = list(downs.dependants.get(parent_key[0], []))
    links += [(asset, "cyber") for asset in sorted(downs.cyber.get(parent_key[0], set()))]
    for asset, service in links:
        for period in downs.by_asset.get(asset, []):
            start = float(period["start"])
            if not parent["start"] <= start < parent["end"] and not (
                parent["ongoing"] and start >= parent["start"]
            ):
                continue
            causes = period["cause_list"]
            if service == "cyber":
                if "compromised" not in causes or start <= parent["start"]:
                    continue
            elif f"needs:{service}" not in causes:
                continue
            if (asset, start) != parent_key:
                yield (asset, start), period, service


def _tree_rows(nodes: dict[_Key, _Node]) -> list[dict[str, Any]]:
    """One row per node, depth first, each under its trigger: the parent that failed last."""
    chosen: dict[_Key, tuple[_Key, str]] = {}
    children: dict[_Key | None, list[_Key]] = {}
    for key, node in nodes.items():
        if node.depth == 0:
            children.setdefault(None, []).append(key)
            continue
        _, parent_key, service = max(node.candidates, key=lambda c: c[0])  # ties: first found
        chosen[key] = (parent_key, service)
        children.setdefault(parent_key, []).append(key)
    rows: list[dict[str, Any]] = []

    def visit(key: _Key, depth: int) -> None:
        node = nodes[key]
        period = node.period
        parent_key, service = chosen.get(key, (("", 0.0), ""))
        rows.append(
            {
                "asset": period["asset"],
                "name": period["name"],
                "sector": period["sector"],
                "down_at": float(period["start"]),
                "up_at": float(period["end"]),
                "ongoing": bool(period["ongoing"]),
                "depth": depth,
                "parent": parent_key[0],
                "parents": ", ".join(dict.fromkeys(p[0] for p in node.parents)),
                "service": service,
                "causes": period["causes"],
            }
        )
        for child in sorted(children.get(key, []), key=lambda k: (k[1], k[0])):
            visit(child, depth + 1)

    for root in sorted(children.get(None, []), key=lambda k: (k[1], k[0])):
        visit(root, 0)
    return rows

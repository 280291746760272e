"""A model's assets, needs and shares as flat columns, made by the walk that checks them.

The cross-checks of a model (:mod:`cybrelia.files.validation`) have to look at
every need, every provider and every share of every asset; the engine's
topology (:mod:`cybrelia.engine.topology`) needs exactly those numbers again,
as flat tables.  Walking 100,000 pydantic assets twice cost the engine a
second on a large region, so the one walk is done here: the validation checks
the columns, and the loader remembers them for the model it returns, where the
engine takes them (:func:`take_columns`).  A model made in code, or a changed
copy of one, has no columns remembered and gets them built on first use.

Columns are in file order: an asset's *position* is its place in the list of
assets walked (for a loaded model, its index in ``model.assets``).  Needs are
numbered asset by asset and, within an asset, by service name.  As with the
topology, a model must not change in place once loaded or once an engine is
built on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate, chain, repeat
from operator import is_
from typing import Any

from cybrelia.files.memo import PerModel
from cybrelia.files.model import Asset, Buffer, Cyber, InfrastructureModel, share_units

__all__ = ["ModelColumns", "Shares", "keep_columns", "kept_position", "take_columns"]

#: A (district, service) pair and the position and share units of each asset serving it,
#: flat (``[position, units, position, units, ...]``) and in position order; an asset that
#: lists a service twice in ``provides`` appears twice.  Flat rather than a pair per
#: entry: a region of 100,000 assets has about 180,000 entries, and as tuples every one
#: was an object to make, for the collector to walk and to free again.
Shares = dict[tuple[str, str], list[int]]


class ModelColumns:
    """Flat columns of a list of assets (see the module docstring).

    Attributes
    ----------
    assets
        The asset objects the columns were made of (to tell a model changed since).
    ids, cyber, zones
        Each asset's id, ``cyber`` block and zones, by position.
    position
        The position of each id (its first, if an id is repeated); the caller may pass it
        in when it has made it already (the loader's check of duplicate ids does).
    need_owner, need_service, need_k, need_buffer
        Each need's asset (a position), service, ``k`` and buffer.
    need_from
        Each need's providers as the file names them.
    provider_start, providers
        Providers of need ``j`` are ``providers[provider_start[j] : provider_start[j + 1]]``,
        positions, or -1 for an id no asset has.
    provides
        Each asset's ``provides``, by position.
    shares
        What each asset serves, by (district, service): :data:`Shares`, keys in first-seen
        order until :meth:`sorted_shares` sorts them.
    served
        Every district some asset serves.
    """

    __slots__ = (
        "assets",
        "cyber",
        "ids",
        "need_buffer",
        "need_from",
        "need_k",
        "need_owner",
        "need_service",
        "position",
        "provider_start",
        "providers",
        "provides",
        "served",
        "shares",
        "shares_sorted",
        "zones",
    )

    def __init__(self, assets: Sequence[Asset], position: dict[str, int] | None = None) -> None:
        # Each pass over 100,000 pydantic objects is mostly waiting for memory, so every
        # object is read once, in one comprehension, and the columns are cut from the rows.
        parts = [
            (asset.id, asset.needs, asset.serves, asset.provides, asset.cyber, asset.zones)
            for asset in assets
        ]
        self.assets: tuple[Asset, ...] = tuple(assets)
        self.ids: list[str] = [part[0] for part in parts]
        self.cyber: list[Cyber | None] = [part[4] for part in parts]
        self.zones: list[tuple[str, ...]] = [part[5] for part in parts]
        if position is None:
            position = {}
            for number, asset_id in enumerate(self.ids):
                position.setdefault(asset_id, number)
        self.position = position
        rows = [
            (number, service, need.k, need.buffer, need.from_)
            for number, (_, needs, _, _, _, _) in enumerate(parts)
            if needs
            for service, need in (sorted(needs.items()) if len(needs) > 1 else needs.items())
        ]
        columns: list[list[Any]] = [list(column) for column in zip(*rows, strict=True)]
        del rows
        if not columns:
            columns = [[], [], [], [], []]
        self.need_owner: list[int] = columns[0]
        self.need_service: list[str] = columns[1]
        self.need_k: list[int] = columns[2]
        self.need_buffer: list[Buffer | None] = columns[3]
        self.need_from: list[tuple[str, ...]] = columns[4]
        self.provider_start: list[int] = [0, *accumulate(map(len, self.need_from))]
        self.providers: list[int] = list(
            map(position.get, chain.from_iterable(self.need_from), repeat(-1))
        )
        self.provides: list[tuple[str, ...]] = [part[3] for part in parts]
        shares: Shares = {}
        units_of: dict[float, int] = {}  # a few distinct shares
        served: set[str] = set()
        for number, (_, _, serves, provides, _, _) in enumerate(parts):
            if not serves:
                continue
            served.update(serves)
            for district, share in serves.items():
                units = units_of.get(share)
                if units is None:
                    units = units_of[share] = share_units(share)
                for service in provides:
                    entries = shares.get((district, service))
                    if entries is None:
                        shares[(district, service)] = [number, units]
                    else:
                        entries += (number, units)
        self.shares = shares
        self.shares_sorted = False
        self.served = served

    def sorted_shares(self) -> Shares:
        """:attr:`shares` with its keys in sorted order (the order both the checks and the
        engine's figures need), sorted once: tens of thousands of keys on a large region."""
        if not self.shares_sorted:
            # Keys are distinct: the lists are never compared.
            self.shares = dict(sorted(self.shares.items()))
            self.shares_sorted = True
        return self.shares


#: Columns of loaded models, until the engine takes them.
_KEPT: PerModel[InfrastructureModel, ModelColumns] = PerModel()


def keep_columns(model: InfrastructureModel, columns: ModelColumns) -> None:
    """Remember ``columns`` (made from ``model.assets``, in order) for ``model``."""
    _KEPT.put(model, columns)


def kept_position(model: InfrastructureModel) -> dict[str, int] | None:
    """The position of each asset id in ``model.assets``, if the loader's columns are kept.

    For the checks that follow loading (a scenario's references to its model), which
    would otherwise make a table of every id again.  The table is the columns' own and
    must not be changed.
    """
    kept = _KEPT.get(model)
    if kept is not None and _same(kept.assets, model.assets):
        return kept.position
    return None


def take_columns(model: InfrastructureModel) -> ModelColumns:
    """The model's columns, made now unless the loader kept them; kept ones are handed over.

    The engine compiles a model's topology once (:mod:`cybrelia.engine.topology`), so
    the columns are forgotten as they are taken: 27 MiB on a region of 100,000 assets.
    """
    kept = _KEPT.pop(model)
    # A model must not change once loaded; one whose list of assets did anyway (an asset
    # added, removed, moved or replaced by a changed copy) gets columns of what it holds
    # now, not stale ones.  Comparing the objects is a pointer test per asset.
    if kept is not None and _same(kept.assets, model.assets):
        return kept
    return ModelColumns(model.assets)


def _same(kept: Sequence[Asset], assets: Sequence[Asset]) -> bool:
    """Whether ``assets`` are the very objects ``kept``, in order."""
    return len(kept) == len(assets) and all(map(is_, kept, assets))

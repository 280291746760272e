"""Residents in need, vulnerable residents at risk, and disinformation claims.

The engine counts people without a service; this module asks what that does
to them over time (issue: pillar 1, residents' 72-hour self-sufficiency):

- residents are *in need* once their own supplies of water, heat, power, food
  or medicines run out: the share of each group whose autonomy has run out after some hours
  without the service is an autonomy curve (:mod:`cybrelia.exercise.autonomy`;
  by default the unprepared after 24 h, the prepared, ``prepared_share``, after 72 h);
- residents on powered medical devices (``vulnerable``) are *at risk* after 4 h
  without power, and the occupants of a facility while it lacks an essential;
- a water point in a district covers its need for water, an open warming
  shelter its need for heat, power and food; residents on devices whom a
  door-to-door check has served are not at risk;
- believers of a disinformation claim act as if its service were lost from the
  moment the claim reached them (they avoid tap water, for example).

Each share of a district served by an asset is a distinct group of residents,
so "without water for 24 h" is exact per group: the shares of the serving
assets that have been down for 24 h.  Across services the groups are not
known to coincide, so a district's need is the largest of its per-service
needs (the groups are taken as nested: a lower bound, and explainable).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cybrelia.exercise.autonomy import ESSENTIALS, Curve, autonomy_curves
from cybrelia.exercise.rumours import Rumour
from cybrelia.files.durations import quantize
from cybrelia.files.model import (
    SHARE_UNITS,
    WEEKDAYS,
    District,
    InfrastructureModel,
    Occupied,
    share_units,
)
from cybrelia.files.scenario import WorldSettings

__all__ = [
    "NEED_SERVICES",
    "Figures",
    "Population",
    "round_half_up",
]

#: Services whose loss puts residents in need.
NEED_SERVICES = ESSENTIALS
#: What each mitigation covers.
#: A door-to-door check covers no service: it serves residents on devices (``checked``).
COVERS: dict[str, tuple[str, ...]] = {
    "water_point": ("water",),
    "shelter": ("heat", "power", "food"),
    "device_check": (),
    "boil_water": ("water",),
    "supplies_water": ("water",),
    "supplies_food": ("food",),
    "supplies_medicines": ("medicines",),
}

#: The kinds of mitigation that cover each service, in the order of :data:`COVERS`.
_COVERING: dict[str, tuple[str, ...]] = {
    service: tuple(kind for kind, services in COVERS.items() if service in services)
    for service in sorted({service for services in COVERS.values() for service in services})
}

#: The two groups of households whose autonomy runs out (docs/world.md).
_GROUPS = ("unprepared", "prepared")
#: Those groups and the residents on powered medical devices (at risk without power).
_POWER_GROUPS = (*_GROUPS, "vulnerable")
#: The curves of some groups for one service.
Curves = tuple[Curve, ...]
#: The shares of 0, 1, 2 or 3 groups without a service no asset down takes from them.
_NONE_DOWN = tuple((0.0,) * n for n in range(4))


def round_half_up(value: float) -> int:
    """Round to the nearest integer, halves up (as the contract rounds people)."""
    return math.floor(value + 0.5)


@dataclass(frozen=True)
class Figures:
    """People in need and at risk at one moment."""

    people_in_need: int
    vulnerable_at_risk: int
    in_need_by_district: dict[str, int]
    believers: dict[str, int]


class Population:
    """Tracks how long each group of residents has been without each service.

    Parameters
    ----------
    model
        The infrastructure model (districts, and which assets serve whom).
    """

    def __init__(
        self,
        model: InfrastructureModel,
        setting: WorldSettings | None = None,
        start: datetime | None = None,
    ) -> None:
        self.districts = {district.id: district for district in model.districts}
        self._sorted_districts = sorted(self.districts.items())
        self.start = start
        #: When each facility's occupants are there, for those that say (a school).
        self.occupied: dict[str, Occupied] = {
            a.id: a.occupied for a in model.assets if a.occupants and a.occupied is not None
        }
        self.curves = autonomy_curves(setting or WorldSettings())
        self._crossings = sorted({h for curve in self.curves.values() for h in curve.breakpoints})
        #: Facilities with occupants: asset id -> occupants still there.
        self.occupants: dict[str, int] = {
            a.id: a.occupants for a in sorted(model.assets, key=lambda a: a.id) if a.occupants
        }
        #: Facilities whose occupants are at risk now (the asset lost an essential).
        self.facilities_at_risk: set[str] = set()
        self._risk_since: dict[str, float] = {}
        # Whether each scheduled facility's occupants are there at the instant
        # ``_there_at`` and when the day's session began, by facility: _day().
        self._there_at: float | None = None
        self._there: dict[str, tuple[bool, float]] = {}
        self._warm = not self.curves[("unprepared", "heat")].points
        # (district, service) -> [(asset id, share units)] for the need services.
        self._groups: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self._serves: dict[str, list[str]] = {}
        for asset in sorted(model.assets, key=lambda a: a.id):
            services = [s for s in NEED_SERVICES if s in asset.provides]
            for district, share in sorted(asset.serves.items()):
                self._serves.setdefault(asset.id, []).append(district)
                for service in services:
                    self._groups.setdefault((district, service), []).append(
                        (asset.id, share_units(share))
                    )
        self.down_since: dict[str, float] = {}
        self._feeds = _unfit_feeds(model, setting or WorldSettings())
        #: Water sources unfit to drink (damaged in a ``water_unfit`` zone): since when.
        self.unfit: dict[str, float] = {}
        # Water assets back up whose return to the residents waits for the PPIS.
        self._held: set[str] = set()
        self.claims: dict[str, Rumour] = {}
        # The claims about each service, in the order of ``claims`` (believers count
        # as without it).
        self._claims_about: dict[str, list[Rumour]] = {}
        self._crowds: list[Rumour] = []  # the claims whose believers crowd a place
        self._claims_sorted = 0  # how many claims _claims_about and _crowds were made from
        #: Residents who have left each district under an evacuation order.
        self.away: dict[str, int] = {}
        #: Share of each district's unprepared who stocked up before the hazard.
        self.stocked: dict[str, float] = {}
        #: Share of each district's vulnerable residents whose neighbours look after them.
        self.neighbours: dict[str, float] = {}
        # (kind, district) -> {water point or shelter: people it serves, None for all}
        self._covers: dict[tuple[str, str], dict[str, int | None]] = {}
        # Figures change only with an input or when a group's curve leaves a flat
        # stretch; between those the shares without a service are reused (see
        # _refresh_shares).  A replication asks for figures at every sample, so this is
        # most of the exercise layer's speed.  On a curve's slope nothing is reused.
        self._counted = {asset for groups in self._groups.values() for asset, _ in groups}
        # Per counted asset, the distinct curves of the services it provides: only those
        # can move its groups' shares (a down pump's are not on the medicines' slope).
        self._asset_curves: dict[str, list[Curve]] = {}
        for asset in sorted(model.assets, key=lambda a: a.id):
            if asset.id in self._counted:
                mine = {c for (_, s), c in self.curves.items() if s in asset.provides}
                self._asset_curves[asset.id] = sorted(mine, key=lambda c: c.points)
        self._version = 0
        self._memo_version = -1
        self._memo_span = (0.0, -1.0)
        self._physical: dict[tuple[str, str, tuple[str, ...]], tuple[float, ...]] = {}
        self._starts: dict[str, float] = {}  # _claim_starts() of each service asked about
        # Each curve read at a number of hours, by (id of the curve, hours): _physical_shares.
        self._curve_read: dict[tuple[int, float], float] = {}
        self._group_curves: dict[tuple[tuple[str, ...], str], tuple[Curve, ...]] = {}
        self._need: tuple[int, int, dict[str, int]] | None = None
        # What the figures last computed with believers in need were computed from.
        self._claims_stamp: tuple[object, ...] = ()
        # Per district, its last (in need, at risk), recomputed only once something it
        # depends on changed: a serving asset down or up or past a breakpoint, its covers.
        self._district_need: dict[str, tuple[int, int]] = {}
        self._dirty: set[str] = set(self.districts)
        # Per district, for each need service in order: its number among all plans, the
        # key of its physical shares of the groups in _physical, the assets serving it, and
        # the groups' curves: both groups', and for power the vulnerable's too (at risk).
        self._plans: dict[
            str,
            list[tuple[int, str, tuple[str, str, tuple[str, ...]], list[tuple[str, int]], Curves]],
        ] = {}
        # Per counted asset, the numbers of the plans it serves.
        self._asset_plans: dict[str, list[int]] = {}
        number = 0
        for district_id in self.districts:
            plans = self._plans[district_id] = []
            for service in NEED_SERVICES:
                groups = _POWER_GROUPS if service == "power" else _GROUPS
                number += 1
                for asset_id, _ in self._groups.get((district_id, service), []):
                    self._asset_plans.setdefault(asset_id, []).append(number)
                plans.append(
                    (
                        number,
                        service,
                        (district_id, service, groups),
                        self._groups.get((district_id, service), []),
                        tuple(self.curves[(group, service)] for group in groups),
                    )
                )
        # The plans some asset down serves: the others' shares are 0 (see _refresh_shares).
        self._down_plans: set[int] = set()
        # Per down asset, the flat stretch of each curve its groups were last seen in.
        self._stretches: dict[str, tuple[float | None, ...]] = {}

    # --- inputs -------------------------------------------------------------------

    def asset_down(self, asset_id: str, t: float) -> list[float]:
        """Record that an asset went down; return the times its groups cross a threshold."""
        if asset_id not in self.down_since and asset_id in self._counted:
            self._changed(self._serves[asset_id])
        if asset_id in self.down_since or asset_id not in self._serves:
            self.down_since.setdefault(asset_id, t)
            return []
        self.down_since[asset_id] = t
        return [t + hours for hours in self._crossings]

    def asset_up(self, asset_id: str) -> None:
        """Record that an asset is available again.

        A water asset fed by an unfit source stays without drinking water for its
        residents until the sanitary inspector declares the source fit.
        """
        if asset_id in self.down_since and self._held_back(asset_id):
            self._held.add(asset_id)
            return
        if self.down_since.pop(asset_id, None) is not None and asset_id in self._counted:
            self._changed(self._serves[asset_id])
            self._stretches.pop(asset_id, None)

    def spoil(self, asset_id: str, causes: tuple[str, ...], t: float) -> None:
        """An asset went down: a water source of a ``water_unfit`` zone that is damaged
        (flooded) delivers water unfit to drink from now on."""
        if asset_id in self._feeds and "damaged" in causes and asset_id not in self.unfit:
            self.unfit[asset_id] = t

    def _held_back(self, asset_id: str) -> bool:
        return any(asset_id in self._feeds[source] for source in self.unfit)

    def declare_fit(self, source: str) -> list[str]:
        """The PPIS declares the water of ``source`` fit to drink.

        Returns the held-back assets no unfit source feeds any more, by id: the
        caller brings back those the engine has up (:meth:`asset_up`).
        """
        self.unfit.pop(source, None)
        freed = sorted(a for a in self._held if not self._held_back(a))
        self._held.difference_update(freed)
        return freed

    def unfit_water(self, district: str) -> bool:
        """Whether an unfit source feeds a water asset that serves the district."""
        return any(
            district in self._serves.get(asset, ())
            for source in sorted(self.unfit)
            for asset in sorted(self._feeds[source])
        )

    def cover(self, kind: str, district: str, key: str, people: int | None) -> None:
        """Start (or change) a water point or shelter ``key`` in a district.

        ``people`` is how many it can serve (docs/world.md); None: everyone.
        """
        self._changed([district])
        self._covers.setdefault((kind, district), {})[key] = people

    def uncover(self, kind: str, district: str, key: str) -> None:
        """End the water point or shelter ``key`` in a district."""
        self._changed([district])
        self._covers.get((kind, district), {}).pop(key, None)

    def leave(self, district: str, people: int) -> None:
        """``people`` residents of ``district`` have left it (evacuated) and are no longer
        counted in its need; evacuees are taken as hosted (docs/information.md 5)."""
        if self.away.get(district, 0) != people:
            self._changed([district])
            self.away[district] = people

    def households(self, district: str, stocked: float, checked: float) -> None:
        """Set the shares of the unprepared who stocked up and of the vulnerable checked on."""
        if (self.stocked.get(district, 0.0), self.neighbours.get(district, 0.0)) != (
            stocked,
            checked,
        ):
            self._changed([district])
            self.stocked[district] = stocked
            self.neighbours[district] = checked

    def prepared(self, district: District) -> float:
        """Prepared residents of a district: its ``prepared_share`` and those who stocked up."""
        share = district.prepared_share
        share += (1.0 - share) * self.stocked.get(district.id, 0.0)
        return district.population * share

    def hit(self, district: str) -> bool:
        """Whether an asset that serves the district with an essential service is down."""
        return any(district in self._serves.get(asset, ()) for asset in sorted(self.down_since))

    def _present(self, district: District) -> float:
        """Share of a district's residents still there."""
        if district.population <= 0:
            return 1.0
        return 1.0 - min(district.population, self.away.get(district.id, 0)) / district.population

    def start_claim(self, rumour: Rumour) -> list[float]:
        """A claim starts circulating; return the times its believers cross a threshold."""
        self._changed([])
        self.claims[rumour.claim.id] = rumour
        self._sort_claims()
        return [rumour.start + hours for hours in self._crossings]

    def facility(self, asset_id: str, state: str, causes: tuple[str, ...], t: float = 0.0) -> None:
        """Record a facility's state: its occupants are at risk while it is down.

        Lost heat alone puts nobody at risk in a warm season.
        """
        if asset_id not in self.occupants:
            return
        essential = [c for c in causes if not (self._warm and c == "needs:heat")]
        if state == "down" and essential:
            self.facilities_at_risk.add(asset_id)
            self._risk_since.setdefault(asset_id, t)
        else:
            self.facilities_at_risk.discard(asset_id)
            self._risk_since.pop(asset_id, None)

    def _caught(self, asset_id: str, t: float) -> bool:
        """Whether the occupants are there at ``t`` and were caught by the loss.

        A school already down when its day begins does not open: the head
        suspends classes (docs/world.md 13), so its pupils are at home.
        """
        day = self._day(asset_id, t)
        if day is None:
            return True  # no schedule: always there, no session
        there, session = day
        return there and self._risk_since.get(asset_id, t) > session + 1e-9

    def present(self, asset_id: str, t: float) -> bool:
        """Whether a facility's occupants are there at ``t`` (docs/world.md 13).

        Those of a facility with an ``occupied`` schedule are there on its days,
        in its months, from ``from`` to ``to`` on the scenario's clock (``start``
        plus ``t``); without a ``start`` they are always there.
        """
        day = self._day(asset_id, t)
        return day is None or day[0]

    def _day(self, asset_id: str, t: float) -> tuple[bool, float] | None:
        """Whether a scheduled facility's occupants are there at ``t``, and the time the
        day's session that is on at ``t`` began; None without a schedule."""
        occupied = self.occupied.get(asset_id)
        if occupied is None or self.start is None:
            return None
        # The figures ask for every facility at risk at every figure, often at one instant
        # more than once; the calendar arithmetic is remembered per facility for the
        # latest instant only (a session lasts long, its instants are many).
        if t != self._there_at:
            self._there_at = t
            self._there = {}
        known = self._there.get(asset_id)
        if known is not None:
            return known
        moment = self.start + timedelta(hours=t)
        hour = moment.hour + moment.minute / 60 + moment.second / 3600
        there = (
            WEEKDAYS[moment.weekday()] in occupied.days
            and moment.month in occupied.months
            and occupied.from_ <= hour + 1e-9 < occupied.to
        )
        day = self._there[asset_id] = (there, t - (hour - occupied.from_))
        return day

    def session_changes(self, duration: float) -> list[float]:
        """The times in (0, duration] at which some facility's occupants arrive or leave."""
        if self.start is None or not self.occupied:
            return []
        midnight = self.start.replace(hour=0, minute=0, second=0, microsecond=0)
        offset = (self.start - midnight).total_seconds() / 3600
        times: set[float] = set()
        for day in range(math.ceil((duration + offset) / 24.0) + 1):
            date = midnight + timedelta(days=day)
            for occupied in self.occupied.values():
                if WEEKDAYS[date.weekday()] in occupied.days and date.month in occupied.months:
                    times.update(
                        quantize(24.0 * day + hours - offset)
                        for hours in (occupied.from_, occupied.to)
                    )
        return sorted(t for t in times if 0.0 < t <= duration)

    def evacuate(self, asset_id: str, people: int) -> None:
        """``people`` occupants have left the facility for a safe place."""
        self.occupants[asset_id] = max(0, self.occupants[asset_id] - people)

    def _sort_claims(self) -> None:
        """Group the claims: by the service their believers live without, and the crowds."""
        self._claims_about = {}
        for state in self.claims.values():
            if state.service is not None:
                self._claims_about.setdefault(state.service, []).append(state)
        self._crowds = [s for s in self.claims.values() if s.claim.behaviour == "crowd_at_bridge"]
        self._claims_sorted = len(self.claims)

    def _changed(self, districts: list[str]) -> None:
        """An input changed: the remembered shares go, ``districts`` are recomputed."""
        self._version += 1
        self._dirty.update(districts)

    # --- figures ------------------------------------------------------------------

    def covered(self, district: str, service: str) -> float:
        """People the water points or shelters of a district serve for ``service``.

        ``math.inf`` when one of them serves everyone (no capacity stated).
        """
        total = 0.0
        if not self._covers:
            return total  # nothing opened yet: the common case of every figure
        for kind in _COVERING.get(service, ()):
            for people in self._covers.get((kind, district), {}).values():
                total += math.inf if people is None else people
        return total

    def checked(self, district: str) -> int:
        """Residents on powered medical devices that door-to-door checks serve now."""
        checks = self._covers.get(("device_check", district)) if self._covers else None
        visited = sum(p or 0 for p in checks.values()) if checks else 0
        return min(visited, self.districts[district].vulnerable)

    def _uncovered(self, district: str, service: str, needing: float) -> float:
        """The share of the ``needing`` people of a district that nothing covers."""
        covered = self.covered(district, service)
        if covered <= 0:
            return 1.0
        if math.isinf(covered) or needing <= covered:
            return 0.0
        return 1.0 - covered / needing

    def exposed(self, district: str, service: str, group: str, t: float) -> float:
        """Share of the district whose autonomy for ``service`` has run out at ``t``.

        Each share served by an asset that is down counts with the curve of
        ``group`` (``unprepared``, ``prepared``, ``vulnerable``) at the hours since
        it went down; believers of a claim about the service count with that curve
        at the hours since the claim started.
        """
        self._refresh_shares(t)
        return self._exposed(district, service, group, t)

    def _exposed(self, district: str, service: str, group: str, t: float) -> float:
        """:meth:`exposed` once the remembered shares hold at ``t``."""
        return self._exposed_groups(district, service, (group,), t)[0]

    def _exposed_groups(
        self, district: str, service: str, groups: tuple[str, ...], t: float
    ) -> tuple[float, ...]:
        """:meth:`_exposed` of each of ``groups``, in one pass.

        The serving assets down and each claim's acting share are read once for all
        the groups; each group's figure is computed as if alone.  The physical shares
        (without believers) are remembered per ``groups`` while the shares hold
        (:meth:`_refresh_shares`).
        """
        curves = self._group_curves.get((groups, service))
        if curves is None:
            curves = self._group_curves[(groups, service)] = tuple(
                self.curves[(group, service)] for group in groups
            )
        key = (district, service, groups)
        shares = self._physical.get(key)
        if shares is None:
            shares = self._physical_shares(
                key, self._groups.get((district, service), ()), curves, t
            )
        claims = self._claims_about.get(service)
        if not claims:
            return shares  # no believers: exactly physical + 0.0
        return self._believing_shares(district, claims, shares, curves, t)

    def _physical_shares(
        self,
        key: tuple[str, str, tuple[str, ...]],
        groups: Iterable[tuple[str, int]],
        curves: Curves,
        t: float,
    ) -> tuple[float, ...]:
        """Each curve's share of a district without a service at ``t`` by the assets down
        among ``groups`` (its serving assets and their shares), remembered under ``key``."""
        down = self.down_since
        spans = [
            (share, t - since)
            for asset_id, share in groups
            if (since := down.get(asset_id)) is not None
        ]
        if spans:
            # Assets that went down together have been down as long, and an asset serves
            # several districts: each curve is read once per number of hours (at ``t``).
            read = self._curve_read
            values = []
            for curve in curves:
                number = id(curve)  # the curves live as long as the population
                terms = []
                for share, hours in spans:
                    value = read.get((number, hours))
                    if value is None:
                        value = read[(number, hours)] = curve(hours)
                    terms.append(share * value)
                values.append(min(sum(terms), SHARE_UNITS) / SHARE_UNITS)
            shares = tuple(values)
        else:
            shares = (0.0,) * len(curves)  # min(0, SHARE_UNITS) / SHARE_UNITS
        self._physical[key] = shares
        return shares

    @staticmethod
    def _believing_shares(
        district: str,
        claims: list[Rumour],
        shares: tuple[float, ...],
        curves: tuple[Curve, ...],
        t: float,
    ) -> tuple[float, ...]:
        """The physical ``shares`` of each curve's group with the claims' believers added.

        For each curve, the believers' share is the sum over the claims in order
        (``sum`` of :meth:`Rumour.exposures`, read for all curves of a claim at once).
        """
        exposures = [state.exposures(district, curves, t) for state in claims]
        return tuple(
            [
                physical + (1.0 - physical) * min(1.0, sum([claim[k] for claim in exposures]))
                for k, physical in enumerate(shares)
            ]
        )

    def _need_shares(
        self, district: District, t: float, unprepared: float, prepared: float
    ) -> tuple[float, float, float, float]:
        """Shares of the unprepared and the prepared in need, the uncovered share of power,
        and the share of the vulnerable whose devices' batteries are out.

        Each service's shares are scaled by the part of its needing people that
        no water point or shelter covers; the district's need is then the
        largest over services, per group (module docstring).  ``unprepared`` and
        ``prepared`` are the district's people in each group.  The vulnerable's
        share is :meth:`_exposed` of power, read with the groups' (each curve's share
        is computed as if alone).
        """
        best_unprepared = best_prepared = 0.0  # max([0.0, ...]) of each group's shares
        power_uncovered = 1.0
        vulnerable = 0.0
        district_id = district.id
        covers = self._covers
        physical = self._physical
        claims_about = self._claims_about
        down = self._down_plans
        # _exposed_groups(district, service, groups, t) of each service, inlined: this
        # runs for every district at nearly every figure.
        for number, service, key, groups, curves in self._plans[district_id]:
            if number in down:
                shares = physical.get(key)
                if shares is None:
                    shares = self._physical_shares(key, groups, curves, t)
            else:
                shares = _NONE_DOWN[len(curves)]  # what _physical_shares gives: no spans
            claims = claims_about.get(service)
            if claims:
                shares = self._believing_shares(district_id, claims, shares, curves, t)
            early, late = shares[0], shares[1]
            if service == "power":
                vulnerable = shares[2]
            if covers:
                left = self._uncovered(district_id, service, unprepared * early + prepared * late)
                early *= left
                late *= left
                if service == "power":
                    power_uncovered = left
            if early > best_unprepared:
                best_unprepared = early
            if late > best_prepared:
                best_prepared = late
        return best_unprepared, best_prepared, power_uncovered, vulnerable

    def _refresh_shares(self, t: float) -> None:
        """Forget the shares remembered unless they still hold at ``t``.

        They hold while no input changed anything (``_version``) and ``t`` is in
        the flat stretch of every curve that every down asset's groups were in when
        they were computed, and before any claim's believers start to count (less a
        margin of 1e-6 h, far above rounding, so no curve is read across a
        breakpoint).  Districts served by an asset whose groups moved to another
        stretch since the last look (or are on a slope) are marked for their
        figures to be recomputed.  The plans a down asset serves are noted
        (``_down_plans``): only those can have a share above 0.
        """
        if len(self.claims) != self._claims_sorted:  # claims are only ever added
            self._sort_claims()
        start, end = self._memo_span
        if self._memo_version == self._version and (start <= t < end or t == start):
            return
        until = math.inf
        counted, asset_curves, seen = self._counted, self._asset_curves, self._stretches
        down_plans, asset_plans = self._down_plans, self._asset_plans
        down_plans.clear()
        for asset, since in self.down_since.items():
            if asset not in counted:
                continue
            down_plans.update(asset_plans.get(asset, ()))
            hours = t - since
            stretches = tuple([curve.flat_until(hours) for curve in asset_curves[asset]])
            if None in stretches:
                # On a slope: recomputed at every look, and nothing can be reused.
                seen[asset] = stretches
                self._dirty.update(self._serves[asset])
                until = -math.inf
                continue
            if seen.get(asset) != stretches:
                seen[asset] = stretches
                self._dirty.update(self._serves[asset])
            for flat in stretches:
                if flat is not None:  # always, past the slope's test
                    until = min(until, since + flat)
        for state in self.claims.values():
            if state.service is not None and not self._claim_counts(state, t):
                until = min(until, state.start + self._claim_starts(state.service))
        self._memo_version = self._version
        self._memo_span = (t, until - 1e-6)
        self._physical.clear()
        self._curve_read.clear()
        self._need = None

    def _claim_starts(self, service: str) -> float:
        """Hours after a claim's start before any curve of its service is above zero."""
        known = self._starts.get(service)
        if known is None:  # the curves are the population's for good: once per service
            firsts = [
                c.points[0][0] for (_, s), c in self.curves.items() if s == service and c.points
            ]
            known = self._starts[service] = min(firsts, default=math.inf) - 1e-9
        return known

    def _claim_counts(self, state: Rumour, t: float) -> bool:
        """Whether a claim's believers are among the people in need or at risk at ``t``."""
        if state.claim.behaviour == "crowd_at_bridge":
            return True
        if state.service is None:
            return False
        return t - state.start >= self._claim_starts(state.service)

    def figures(self, t: float) -> Figures:
        """People in need, vulnerable residents at risk, and believers at ``t``."""
        self._refresh_shares(t)
        if any(self._claim_counts(s, t) for s in self.claims.values()):
            # Believers in need: every district, whenever the believers may have changed.
            # They are a function of each claim's steps drawn and of who found bottled
            # water; drawing the steps up to ``t`` first (as the figures below do anyway)
            # lets a second look at the same instant, with nothing changed, reuse them.
            for state in self.claims.values():
                state.advance_to(t)
            stamp = (
                t,
                self._version,
                tuple([(s.steps, s.supplied.tobytes()) for s in self.claims.values()]),
            )
            if self._need is None or stamp != self._claims_stamp:
                self._dirty.update(self.districts)
                self._need = self._in_need(t)
                self._dirty.update(self.districts)
                self._claims_stamp = stamp
        elif self._need is None or self._dirty:
            # Until a claim's believers count, need depends on t only through the shares.
            self._need = self._in_need(t)
        people_in_need, at_risk, by_district = self._need
        at_risk += sum(
            self.occupants[facility]
            for facility in sorted(self.facilities_at_risk)
            if self._caught(facility, t)
        )
        believers = {
            claim_id: state.believers(t) for claim_id, state in sorted(self.claims.items())
        }
        return Figures(people_in_need, at_risk, by_district, believers)

    def _in_need(self, t: float) -> tuple[int, int, dict[str, int]]:
        """People in need (in all and per district) and residents on devices at risk."""
        by_district = {}
        at_risk = 0
        for district_id, district in self._sorted_districts:
            known = self._district_need.get(district_id)
            if known is not None and district_id not in self._dirty:
                by_district[district_id] = known[0]
                at_risk += known[1]
                continue
            prepared = self.prepared(district)
            unprepared = district.population - prepared
            share_unprepared, share_prepared, power_uncovered, devices_out = self._need_shares(
                district, t, unprepared, prepared
            )
            need = unprepared * share_unprepared + prepared * share_prepared
            here = self._present(district)
            crowds = self._crowds
            crowd = sum(rumour.crowd(t).get(district_id, 0) for rumour in crowds) if crowds else 0
            by_district[district_id] = min(district.population, round_half_up(need * here) + crowd)
            risk = 0
            if power_uncovered > 0:
                risk = round_half_up(
                    (district.vulnerable - self.checked(district_id))
                    * devices_out
                    * power_uncovered
                    * here
                    * (1.0 - self.neighbours.get(district_id, 0.0))
                )
            at_risk += risk
            self._district_need[district_id] = (by_district[district_id], risk)
        self._dirty.clear()
        return sum(by_district.values()), at_risk, by_district


def _unfit_feeds(model: InfrastructureModel, setting: WorldSettings) -> dict[str, frozenset[str]]:
    """For each water source in a ``water_unfit`` zone, the water assets it feeds: itself
    and, through ``water`` needs, every water asset downstream (docs/world.md 17)."""
    unfit_zones = {aftermath.zone for aftermath in setting.zones if aftermath.water_unfit}
    if not unfit_zones:
        return {}
    fed: dict[str, list[str]] = {}
    for asset in sorted(model.assets, key=lambda a: a.id):
        need = asset.needs.get("water")
        if need is not None and "water" in asset.provides:
            for provider in need.from_:
                fed.setdefault(provider, []).append(asset.id)
    feeds = {}
    for asset in sorted(model.assets, key=lambda a: a.id):
        if "water" in asset.provides and unfit_zones & set(asset.zones):
            reached, todo = {asset.id}, [asset.id]
            while todo:
                for downstream in fed.get(todo.pop(), ()):
                    if downstream not in reached:
                        reached.add(downstream)
                        todo.append(downstream)
            feeds[asset.id] = frozenset(reached)
    return feeds

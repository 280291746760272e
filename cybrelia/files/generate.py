"""Generate large synthetic regional infrastructure models for benchmarks and tests.

Hand-written models of one gmina have a few dozen assets, which is too small to show how
the engine scales or whether a cascade through a whole region stays fast and deterministic.
This module builds a region of ``gminas`` gmina-like clusters (about 100 assets each) around a
shared high-voltage grid and a regional IT core, following the CYBRELIA model contract
version 1 (format ``cybrelia.infrastructure/1``), plus a matching scenario
(``cybrelia.scenario/1``) that damages the main substation, starts a cyber attack that can
spread through the IT core, runs a storm over part of the region and repairs the substation.

Design guarantees, checked by ``tests/test_files_generate.py``:

* Deterministic: every random choice comes from one ``random.Random(seed)`` that is passed
  around explicitly and consumed in a fixed order, so equal inputs give byte-identical files.
* Linear: each gmina is built independently and only refers to a constant number of regional
  assets, so 1000 gminas (about 100,000 assets) take about a second.
* Nothing is down at t = 0, even with every buffer empty: each dependency cycle (the data
  centre needs power, the power dispatch needs data, substations need control from the
  dispatch) is buffered *and* has a grounded alternative (the backup dispatch is fed straight
  from the reserve feed), so the least fixed point of contract rule 3.2 contains every asset.
  The cascade caused by a scenario is therefore caused by its injects, not by the model.
* A large cascade: most regional HV substations are fed only from ``region.gpz-main``, so
  once buffers run out, damaging it takes down about two thirds of a large region (nearly
  all of a region of up to 40 gminas, whose one or two HV substations hang on it alone).

Hazard zones have no declaration of their own in the contract: a zone exists because assets
list it. The storm track is therefore always given to at least one asset, so the scenario's
``damage_zone`` never names an unknown zone.
"""

import json
import math
import pathlib
import random
from dataclasses import dataclass, field
from typing import Any

from cybrelia.files.bulk import collector_paused
from cybrelia.files.model import MODEL_FORMAT
from cybrelia.files.scenario import SCENARIO_FORMAT

__all__ = [
    "ASSETS_PER_GMINA",
    "BACKUP_DISPATCH",
    "GMINAS_PER_HV_SUBSTATION",
    "MAIN_SUBSTATION",
    "MODEL_FORMAT",
    "RESERVE_SUBSTATION",
    "SCENARIO_FORMAT",
    "SCENARIO_ID",
    "STORM_ZONE",
    "generate_region",
    "scenario_path_for",
    "write_region",
]

SCENARIO_ID = "region-cascade"

#: Average number of assets per gmina; ``generate_region(n)`` yields about ``n`` times this.
ASSETS_PER_GMINA = 100
#: One regional 110 kV substation per this many gminas, as in a typical Polish powiat grid.
GMINAS_PER_HV_SUBSTATION = 20

#: The regional hub: a source that feeds every HV substation, most of them exclusively.
MAIN_SUBSTATION = "region.gpz-main"
#: Second transmission feed: a source feeding only some HV substations and the backup dispatch.
RESERVE_SUBSTATION = "region.gpz-reserve"
MAIN_DISPATCH = "region.dispatch"
#: Backup power dispatch, grounded on the reserve feed so that control never depends on itself.
BACKUP_DISPATCH = "region.dispatch-backup"
DATA_CENTRE = "region.dc"
CORE_ROUTERS = ("region.core-1", "region.core-2", "region.core-3")
#: Hazard footprint of the storm track that the scenario damages at 6 h.
STORM_ZONE = "storm-track"

# Shares are multiples of 1/_SHARE_DENOMINATOR. A power of two keeps every share and every partial
# sum exactly representable in binary floating point, so a loader that adds shares naively
# never sees 1.0000000000000002 and rejects a district that is served exactly once.
_SHARE_DENOMINATOR = 64

# Stations plus lines plus 7.5 per district: calibrated so that a gmina, with its share of
# the few other assets, has about ASSETS_PER_GMINA assets.
_STATION_BUDGET = 88

_PREFIXES = ("Nowa", "Stara", "Wielka", "Mała", "Górna", "Dolna", "Biała", "Zielona", "Kamienna")
_ROOTS = (
    "Wola",
    "Dąbrowa",
    "Łęka",
    "Wieś",
    "Góra",
    "Brzezina",
    "Olszyna",
    "Jabłonna",
    "Ruda",
    "Słupia",
    "Poręba",
    "Żabnica",
)
_DISTRICT_NAMES = (
    "Zalesie",
    "Podgórze",
    "Kolonia",
    "Osiedle Słoneczne",
    "Górki",
    "Łąki",
    "Błonie",
    "Zagórze",
    "Przedmieście",
    "Wygoda",
    "Świerczyna",
    "Pańska Wola",
)

Json = dict[str, Any]


def _share_split(n: int) -> list[float]:
    """Split one whole district into ``n`` dyadic shares that sum to exactly 1.

    Parameters
    ----------
    n : int
        Number of assets serving the district; ``1 <= n <= _SHARE_DENOMINATOR``.

    Returns
    -------
    list of float
        Shares as even as the unit allows, larger ones first, so the order is reproducible.
    """
    if not 1 <= n <= _SHARE_DENOMINATOR:
        raise ValueError(f"cannot split a district among {n} assets")
    base, extra = divmod(_SHARE_DENOMINATOR, n)
    return [(base + (1 if i < extra else 0)) / _SHARE_DENOMINATOR for i in range(n)]


def _need(sources: list[str], *, buffer: tuple[str, float] | None = None, k: int = 1) -> Json:
    """Build one ``needs`` entry.

    ``k`` is written whenever there is more than one provider, even when it is the default,
    because a reader of the file should see the redundancy rule without knowing the default.

    Parameters
    ----------
    sources : list of str
        Provider asset ids, in a fixed order.
    buffer : tuple of (str, float), optional
        Buffer kind and autonomy in hours; ``None`` for an unbuffered need.
    k : int
        How many providers must be available.

    Returns
    -------
    dict
        The JSON-ready need.
    """
    # Copy so that no two places in the document share a list a caller might mutate.
    need: Json = {"from": list(sources)}
    if len(sources) > 1 or k != 1:
        need["k"] = k
    if buffer is not None:
        need["buffer"] = {"kind": buffer[0], "hours": buffer[1]}
    return need


def _dispatch_need() -> Json:
    """Return the remote-control need every power substation has on the dispatch centres.

    The main and backup dispatch are both listed with ``k = 1``: the backup is fed straight
    from the reserve feed, which grounds the power/control cycle even with empty buffers;
    the manual buffer models crews operating switchgear on site.
    """
    return _need([MAIN_DISPATCH, BACKUP_DISPATCH], buffer=("manual", 24))


def _asset(
    rng: random.Random,
    asset_id: str,
    name: str,
    asset_type: str,
    sector: str,
    provides: list[str],
    *,
    repair: tuple[int, int],
    needs: Json | None = None,
    serves: dict[str, float] | None = None,
    zones: list[str] | None = None,
    critical: bool = False,
    cyber: Json | None = None,
) -> Json:
    """Build one asset with only the fields that carry information.

    Optional fields are left out when empty, which keeps a 100,000-asset file smaller and
    faster to parse; the contract defaults give them the same meaning. Random draws happen
    in a fixed order (repair, then travel) so the stream of choices stays reproducible.

    Parameters
    ----------
    rng : random.Random
        The generator's only source of randomness.
    asset_id, name, asset_type, sector : str
        Identity and grouping of the asset.
    provides : list of str
        Services the asset outputs.
    repair : tuple of (int, int)
        Inclusive range of whole repair hours for this kind of asset.
    needs, serves, zones, critical, cyber
        Contract fields, omitted when empty or default.

    Returns
    -------
    dict
        The JSON-ready asset.
    """
    asset: Json = {"id": asset_id, "name": name, "type": asset_type, "sector": sector}
    if provides:
        asset["provides"] = provides
    if needs:
        asset["needs"] = needs
    if serves:
        asset["serves"] = serves
    if zones:
        asset["zones"] = list(zones)
    asset["repair_hours"] = rng.randint(*repair)
    asset["travel_hours"] = round(rng.uniform(0.2, 1.5), 1)
    if critical:
        asset["critical"] = True
    if cyber is not None:
        asset["cyber"] = cyber
    return asset


def _regional_assets(n_hv: int) -> tuple[list[Json], list[str], list[list[str]]]:
    """Build the shared grid, the power dispatch and the IT core of the region.

    Every third HV substation (index 2, 5, ...) is also fed from the reserve; the rest hang
    on ``region.gpz-main`` alone. Substation 0, which powers the data centre, the main
    dispatch and the first core router, is always single-fed so that losing the main
    substation also exercises the data/control cycle.

    Parameters
    ----------
    n_hv : int
        Number of regional HV substations.

    Returns
    -------
    tuple
        Assets, HV substation ids, and cyber links among the regional assets.
    """
    # Fixed parameters, no randomness: the regional backbone is the same for every seed so
    # benchmark results stay comparable between seeds.
    width = max(3, len(str(n_hv)))
    hv_ids = [f"region.gpz-{i + 1:0{width}d}" for i in range(n_hv)]
    assets: list[Json] = [
        {
            "id": MAIN_SUBSTATION,
            "name": "GPZ Główny 400/110 kV",
            "type": "substation",
            "sector": "power",
            "provides": ["power"],
            "repair_hours": 30,
            "travel_hours": 1,
        },
        {
            "id": RESERVE_SUBSTATION,
            "name": "GPZ Rezerwowy 220/110 kV",
            "type": "substation",
            "sector": "power",
            "provides": ["power"],
            "repair_hours": 30,
            "travel_hours": 1.5,
        },
    ]
    for i, hv in enumerate(hv_ids):
        feeds = [MAIN_SUBSTATION, RESERVE_SUBSTATION] if i % 3 == 2 else [MAIN_SUBSTATION]
        assets.append(
            {
                "id": hv,
                "name": f"GPZ Regionalny {i + 1} 110/15 kV",
                "type": "substation",
                "sector": "power",
                "provides": ["power"],
                "needs": {"power": _need(feeds), "control": _dispatch_need()},
                "repair_hours": 16,
                "travel_hours": 1,
            }
        )
    core_feeds = [hv_ids[(i * n_hv) // len(CORE_ROUTERS)] for i in range(len(CORE_ROUTERS))]
    assets += [
        {
            "id": MAIN_DISPATCH,
            "name": "Dyspozycja mocy, centrum główne",
            "type": "dispatch_centre",
            "sector": "power",
            "provides": ["control"],
            "needs": {
                "power": _need([hv_ids[0]], buffer=("generator", 72)),
                "data": _need([DATA_CENTRE], buffer=("battery", 8)),
            },
            "repair_hours": 12,
            "travel_hours": 1,
            "critical": True,
            "cyber": {"exposure": "internal", "backup": "tested", "restore_hours": 12},
        },
        {
            "id": BACKUP_DISPATCH,
            "name": "Dyspozycja mocy, centrum zapasowe",
            "type": "dispatch_centre",
            "sector": "power",
            "provides": ["control"],
            "needs": {"power": _need([RESERVE_SUBSTATION], buffer=("generator", 72))},
            "repair_hours": 12,
            "travel_hours": 2,
            "critical": True,
            "cyber": {"exposure": "internal", "backup": "tested", "restore_hours": 24},
        },
        {
            "id": DATA_CENTRE,
            "name": "Regionalne centrum danych",
            "type": "data_centre",
            "sector": "it",
            "provides": ["data"],
            "needs": {
                "power": _need([hv_ids[0]], buffer=("generator", 48)),
                "data": _need(list(CORE_ROUTERS), k=2),
            },
            "repair_hours": 24,
            "travel_hours": 1,
            "critical": True,
            "cyber": {"exposure": "internal", "backup": "tested", "restore_hours": 24},
        },
    ]
    for i, (core, feed) in enumerate(zip(CORE_ROUTERS, core_feeds, strict=True)):
        assets.append(
            {
                "id": core,
                "name": f"Węzeł szkieletowy {i + 1}",
                "type": "core_router",
                "sector": "telecom",
                "provides": ["data"],
                "needs": {"power": _need([feed], buffer=("battery", 8))},
                "repair_hours": 6,
                "travel_hours": 1,
                "cyber": {"exposure": "internet", "backup": "tested", "restore_hours": 6},
            }
        )
    links = [
        [CORE_ROUTERS[0], CORE_ROUTERS[1]],
        [CORE_ROUTERS[1], CORE_ROUTERS[2]],
        [CORE_ROUTERS[0], CORE_ROUTERS[2]],
        [DATA_CENTRE, CORE_ROUTERS[0]],
        [MAIN_DISPATCH, DATA_CENTRE],
        [BACKUP_DISPATCH, DATA_CENTRE],
    ]
    return assets, hv_ids, links


@dataclass
class _Gmina:
    """One gmina while its sectors are built: its ids and names, and what later sectors use.

    The sector functions below fill it in the order :func:`_gmina` calls them; each draws
    from ``rng`` in its turn, so the stream of random choices, and with it the generated
    region, depends only on that order.
    """

    rng: random.Random
    #: Zero-based gmina number; decides which gminas get a hospital or a PSP unit.
    index: int
    #: Id prefix of this gmina, e.g. ``g0042``.
    prefix: str
    #: Whether the gmina lies in the storm track.
    in_storm: bool
    #: Its river's flood zone id.
    flood: str
    #: The region's assets, appended to in place.
    assets: list[Json]
    name: str = ""
    #: District ids and names, the central district first.
    dids: list[str] = field(default_factory=list)
    dnames: list[str] = field(default_factory=list)
    #: MV/LV station ids of each district, so consumers hang on their own district.
    stations: list[list[str]] = field(default_factory=list)
    #: Water pumping station of each district.
    pumps: list[str] = field(default_factory=list)
    #: Base stations of each district.
    bts_of: list[list[str]] = field(default_factory=list)
    #: The two base stations the crisis centre, hospital and PSP unit reach by radio.
    radio: list[str] = field(default_factory=list)
    #: Fuel stations, the strategic one first.
    fuel_ids: list[str] = field(default_factory=list)
    #: Districts on district heating (indexes into ``dids``).
    heated: list[int] = field(default_factory=list)

    @property
    def scada(self) -> str:
        """The water SCADA, which also controls the wastewater and heating plants."""
        return f"{self.prefix}.scada"

    @property
    def server(self) -> str:
        """The town hall's server room."""
        return f"{self.prefix}.server"

    @property
    def tank(self) -> str:
        """The water storage tank."""
        return f"{self.prefix}.zbiornik"

    @property
    def wwtp(self) -> str:
        """The wastewater treatment plant."""
        return f"{self.prefix}.oczyszczalnia"

    @property
    def gczk(self) -> str:
        """The gmina crisis-management centre, which sounds the sirens."""
        return f"{self.prefix}.gczk"

    @property
    def plant(self) -> str:
        """The district heating plant (only some gminas have one)."""
        return f"{self.prefix}.cieplownia"

    @property
    def has_hospital(self) -> bool:
        """Every fifth gmina has a county hospital and a PSP unit."""
        return self.index % 5 == 0

    def station(self, j: int) -> str:
        """Pick a station of district ``j``, so consumers hang on their own district."""
        return self.rng.choice(self.stations[j])

    def two_stations(self, j: int) -> list[str]:
        """Pick two distinct stations of district ``j`` for a 1-of-2 dual feed."""
        return self.rng.sample(self.stations[j], 2)

    def add(
        self,
        asset_id: str,
        name: str,
        asset_type: str,
        sector: str,
        provides: list[str],
        **fields: Any,
    ) -> None:
        """Append one asset built by :func:`_asset` (which draws its repair and travel)."""
        self.assets.append(_asset(self.rng, asset_id, name, asset_type, sector, provides, **fields))


def _gmina(
    rng: random.Random,
    index: int,
    prefix: str,
    hv_feeds: list[str],
    cores: tuple[str, str],
    zones_in: tuple[bool, str],
    out: tuple[list[Json], list[Json], list[Json], list[list[str]]],
) -> None:
    """Append one gmina's districts, resources, assets and cyber links to ``out``.

    Appending to shared lists instead of returning and concatenating keeps the whole
    generation linear and avoids copying 100,000 dictionaries.  The sectors are built one
    function each, always in this order, which is also the order of their random draws.

    Parameters
    ----------
    rng : random.Random
        The generator's only source of randomness.
    index : int
        Zero-based gmina number; decides which gminas get a hospital or a PSP unit.
    prefix : str
        Id prefix of this gmina, e.g. ``g0042``.
    hv_feeds : list of str
        Regional HV substations feeding the gmina (one, or two for a 1-of-2 supply).
    cores : tuple of (str, str)
        The two core routers the gmina's network connects to; the first also carries its
        cyber links.
    zones_in : tuple of (bool, str)
        Whether the gmina lies in the storm track, and its river's flood zone id.
    out : tuple of lists
        Districts, resources, assets and cyber links of the region, appended to in place.
    """
    districts, resources, assets, links = out
    in_storm, flood = zones_in
    g = _Gmina(rng, index, prefix, in_storm, flood, assets)
    districts += _districts(g)
    resources += _resources(g)
    _power(g, hv_feeds)
    links += _control(g, cores)
    _water(g)
    _wastewater(g)
    _telecom(g, cores)
    _administration(g)
    _health(g)
    _fuel(g)
    _heat(g)
    _schools(g)
    _fire_stations(g)


def _districts(g: _Gmina) -> list[Json]:
    """Name the gmina and draw its three to six districts, the centre the most populous."""
    rng = g.rng
    g.name = f"{rng.choice(_PREFIXES)} {rng.choice(_ROOTS)}"
    n_d = rng.randint(3, 6)
    g.dnames = ["Centrum", *rng.sample(_DISTRICT_NAMES, n_d - 1)]
    g.dids = [f"{g.prefix}.d{j + 1}" for j in range(n_d)]
    districts: list[Json] = []
    for j, (did, dname) in enumerate(zip(g.dids, g.dnames, strict=True)):
        population = rng.randint(2500, 9000) if j == 0 else rng.randint(300, 4000)
        districts.append(
            {
                "id": did,
                "name": f"{g.name}, {dname}",
                "population": population,
                "prepared_share": round(rng.uniform(0.15, 0.45), 2),
                "vulnerable": int(population * rng.uniform(0.003, 0.012)),
            }
        )
    return districts


def _resources(g: _Gmina) -> list[Json]:
    """The gmina's own crews and mobile generators."""
    p = g.prefix
    return [
        {"id": f"{p}.crew-power", "kind": "power_crew", "count": g.rng.randint(1, 2)},
        {
            "id": f"{p}.gen-mobile",
            "kind": "generator",
            "count": g.rng.randint(1, 3),
            "fuel_hours": 24,
        },
        {"id": f"{p}.crew-water", "kind": "water_crew", "count": 1},
    ]


def _power(g: _Gmina, hv_feeds: list[str]) -> None:
    """Power: GPZ or MV feeder, MV lines (rings and branches), MV/LV stations."""
    rng, p, gname = g.rng, g.prefix, g.name
    storm = [STORM_ZONE]
    if rng.random() < 0.6:
        root = f"{p}.gpz"
        root_asset = (root, f"GPZ {gname} 110/15 kV", "substation", (8, 16))
    else:
        root = f"{p}.feeder"
        root_asset = (root, f"Linia zasilająca SN {gname}", "mv_feeder", (4, 10))
    g.add(
        root_asset[0],
        root_asset[1],
        root_asset[2],
        "power",
        ["power"],
        repair=root_asset[3],
        needs={"power": _need(hv_feeds), "control": _dispatch_need()},
    )
    n_sn = rng.randint(6, 10)
    sn_ids = [f"{p}.sn-{i + 1}" for i in range(n_sn)]
    for i, sn in enumerate(sn_ids):
        r = rng.random()
        # Only earlier lines are used as alternative feeds, so unbuffered power never forms
        # a cycle inside a gmina: every line traces back to the root without buffers.
        if i < 2 or r < 0.5:
            feeds = [root]
        elif r < 0.8:
            feeds = [root, sn_ids[rng.randrange(i)]]
        else:
            feeds = [sn_ids[rng.randrange(i)]]
        in_track = g.in_storm and (i == 0 or rng.random() < 0.7)
        g.add(
            sn,
            f"Linia SN {gname} {i + 1}",
            "mv_line",
            "power",
            ["power"],
            repair=(4, 12),
            needs={"power": _need(feeds)},
            zones=storm if in_track else None,
        )
    # The number of MV/LV stations absorbs the variation in the other assets (districts,
    # lines), so every gmina has close to ASSETS_PER_GMINA assets and small regions already
    # scale as promised. The central district is twice as dense as the others.
    n_d = len(g.dids)
    total = _STATION_BUDGET - n_sn - (15 * n_d) // 2 + rng.randint(-4, 4)
    weights = [2] + [1] * (n_d - 1)
    counts = [max(2, total * w // (n_d + 1)) for w in weights]
    counts[0] += max(0, total - sum(counts))
    n_st = 0
    for did, dname, count in zip(g.dids, g.dnames, counts, strict=True):
        local: list[str] = []
        for share in _share_split(count):
            n_st += 1
            st = f"{p}.st-{n_st}"
            a = rng.randrange(n_sn)
            if rng.random() < 0.3:
                b = (a + 1 + rng.randrange(n_sn - 1)) % n_sn
                feeds = [sn_ids[a], sn_ids[b]]
            else:
                feeds = [sn_ids[a]]
            zones = storm if g.in_storm and rng.random() < 0.3 else None
            if rng.random() < 0.05:
                zones = [*(zones or []), g.flood]
            g.add(
                st,
                f"Stacja SN/nn {dname} {len(local) + 1}",
                "mv_lv_station",
                "power",
                ["power"],
                repair=(2, 6),
                needs={"power": _need(feeds)},
                serves={did: share},
                zones=zones,
            )
            local.append(st)
        g.stations.append(local)


def _control(g: _Gmina, cores: tuple[str, str]) -> list[list[str]]:
    """IT and control: server room and water SCADA, both cyber assets; their cyber links."""
    rng, gname = g.rng, g.name
    g.add(
        g.scada,
        f"SCADA wodociągów {gname}",
        "scada",
        "water",
        ["control"],
        repair=(4, 8),
        needs={"power": _need([g.station(0)], buffer=("battery", 8))},
        cyber={
            "exposure": "internet",
            "backup": rng.choice(("none", "untested", "tested")),
            "restore_hours": rng.choice((8, 12, 24, 48)),
        },
    )
    g.add(
        g.server,
        f"Serwerownia Urzędu Gminy {gname}",
        "server",
        "it",
        ["data"],
        repair=(4, 12),
        needs={"power": _need([g.station(0)], buffer=("generator", 24))},
        cyber={
            "exposure": "internal",
            "backup": rng.choice(("untested", "tested")),
            "restore_hours": rng.choice((12, 24, 48)),
        },
    )
    return [[g.scada, cores[0]], [g.server, cores[0]], [g.scada, g.server]]


def _water(g: _Gmina) -> None:
    """Water: treatment, storage tank, district pumping stations."""
    rng, p, gname = g.rng, g.prefix, g.name
    n_suw = 1 if len(g.dids) <= 4 else 2
    suw_ids = [f"{p}.suw-{i + 1}" for i in range(n_suw)]
    for i, suw in enumerate(suw_ids):
        g.add(
            suw,
            f"SUW {gname} {i + 1}",
            "water_treatment",
            "water",
            ["water"],
            repair=(8, 24),
            needs={
                "power": _need(g.two_stations(i), buffer=("generator", rng.choice((12, 24, 48)))),
                "control": _need([g.scada], buffer=("manual", 48)),
            },
            zones=[g.flood] if rng.random() < 0.2 else None,
            critical=True,
        )
    g.add(
        g.tank,
        f"Zbiornik wody {gname}",
        "water_tank",
        "water",
        ["water"],
        repair=(12, 48),
        needs={"water": _need(suw_ids, buffer=("storage", rng.choice((12, 18, 24))))},
    )
    for j, did in enumerate(g.dids):
        pump = f"{p}.pompownia-{j + 1}"
        gen = ("generator", 8.0) if rng.random() < 0.4 else None
        g.add(
            pump,
            f"Pompownia wody {g.dnames[j]}",
            "pumping_station",
            "water",
            ["water"],
            repair=(4, 12),
            needs={
                "power": _need([g.station(j)], buffer=gen),
                "water": _need([g.tank]),
                "control": _need([g.scada], buffer=("manual", 72)),
            },
            serves={did: 1.0},
        )
        g.pumps.append(pump)


def _wastewater(g: _Gmina) -> None:
    """Wastewater: treatment plant and district sewage pumping stations."""
    rng, p = g.rng, g.prefix
    g.add(
        g.wwtp,
        f"Oczyszczalnia ścieków {g.name}",
        "wastewater_treatment",
        "wastewater",
        ["wastewater"],
        repair=(12, 36),
        needs={
            "power": _need([g.station(0)], buffer=("generator", 24)),
            "control": _need([g.scada], buffer=("manual", 72)),
        },
        zones=[g.flood] if rng.random() < 0.4 else None,
        critical=True,
    )
    n_sewage = 0
    for j, did in enumerate(g.dids):
        count = rng.randint(1, 2)
        for share in _share_split(count):
            n_sewage += 1
            g.add(
                f"{p}.przepompownia-{n_sewage}",
                f"Przepompownia ścieków {g.dnames[j]} {n_sewage}",
                "sewage_pumping",
                "wastewater",
                ["wastewater"],
                repair=(3, 10),
                needs={
                    "power": _need([g.station(j)]),
                    "wastewater": _need([g.wwtp], buffer=("storage", 12)),
                },
                serves={did: share},
            )


def _telecom(g: _Gmina, cores: tuple[str, str]) -> None:
    """Telecom: base stations with batteries, backhauled to the regional core."""
    rng, p = g.rng, g.prefix
    n_bts = 0
    for j, did in enumerate(g.dids):
        count = rng.randint(1, 2)
        local = []
        for share in _share_split(count):
            n_bts += 1
            bts = f"{p}.bts-{n_bts}"
            g.add(
                bts,
                f"Maszt BTS {g.dnames[j]} {n_bts}",
                "bts",
                "telecom",
                ["telecom"],
                repair=(4, 12),
                needs={
                    "power": _need([g.station(j)], buffer=("battery", rng.choice((2, 4, 8)))),
                    "data": _need(list(cores)),
                },
                serves={did: share},
                zones=[STORM_ZONE] if g.in_storm and rng.random() < 0.2 else None,
            )
            local.append(bts)
        g.bts_of.append(local)
    g.radio = [b for local in g.bts_of for b in local][:2]


def _administration(g: _Gmina) -> None:
    """Administration, crisis management and alerting."""
    p, gname = g.prefix, g.name
    g.add(
        f"{p}.urzad",
        f"Urząd Gminy {gname}",
        "town_hall",
        "administration",
        ["administration"],
        repair=(8, 24),
        needs={
            "power": _need([g.station(0)], buffer=("generator", 48)),
            "data": _need([g.server], buffer=("manual", 24)),
        },
        serves={did: 1.0 for did in g.dids},
    )
    g.add(
        g.gczk,
        f"Gminne Centrum Zarządzania Kryzysowego {gname}",
        "crisis_centre",
        "administration",
        ["coordination", "alerting"],
        repair=(8, 24),
        needs={
            "power": _need([g.station(0)], buffer=("generator", 72)),
            "telecom": _need(g.radio, buffer=("manual", 72)),
        },
        critical=True,
    )
    for j, did in enumerate(g.dids):
        g.add(
            f"{p}.syrena-{j + 1}",
            f"Syrena alarmowa {g.dnames[j]}",
            "siren",
            "alerting",
            ["alerting"],
            repair=(2, 6),
            needs={
                "power": _need([g.station(j)], buffer=("battery", 48)),
                "alerting": _need([g.gczk], buffer=("manual", 72)),
            },
            serves={did: 1.0},
        )


def _health(g: _Gmina) -> None:
    """Health: clinics for pairs of districts, a hospital in every fifth gmina."""
    rng, p, gname, dids = g.rng, g.prefix, g.name, g.dids
    clinic_share = 0.5 if g.has_hospital else 1.0
    n_d = len(dids)
    n_cl = max(1, n_d // 2)
    for c in range(n_cl):
        served = [j for j in range(n_d) if j % n_cl == c]
        gen = ("generator", 12.0) if rng.random() < 0.5 else None
        g.add(
            f"{p}.przychodnia-{c + 1}",
            f"Przychodnia {g.dnames[served[0]]}",
            "health_clinic",
            "health",
            ["health"],
            repair=(8, 24),
            needs={
                "power": _need([g.station(served[0])], buffer=gen),
                "water": _need([g.pumps[served[0]]]),
            },
            serves={dids[j]: clinic_share for j in served},
        )
    if not g.has_hospital:
        return
    g.add(
        f"{p}.szpital",
        f"Szpital Powiatowy {gname}",
        "hospital",
        "health",
        ["health"],
        repair=(12, 48),
        needs={
            "power": _need(g.two_stations(0), buffer=("generator", 72)),
            "water": _need([g.pumps[0], g.tank], buffer=("storage", 24)),
            "telecom": _need(g.radio, buffer=("manual", 72)),
        },
        serves={did: 0.5 for did in dids},
        critical=True,
    )
    if rng.random() < 0.5:
        g.add(
            f"{p}.dps",
            f"Dom Pomocy Społecznej {gname}",
            "care_home",
            "health",
            ["care"],
            repair=(8, 24),
            needs={
                "power": _need([g.station(0)], buffer=("generator", 24)),
                "water": _need([g.pumps[0]], buffer=("storage", 12)),
            },
            critical=True,
        )


def _fuel(g: _Gmina) -> None:
    """Fuel: one strategic station with a generator, the others without."""
    rng, n_d = g.rng, len(g.dids)
    n_fuel = rng.randint(1, 3)
    g.fuel_ids = [f"{g.prefix}.cpn-{i + 1}" for i in range(n_fuel)]
    for i, cpn in enumerate(g.fuel_ids):
        j = rng.randrange(n_d)
        gen = ("generator", 48.0) if i == 0 else None
        g.add(
            cpn,
            f"Stacja paliw {g.dnames[j]} {i + 1}",
            "fuel_station",
            "fuel",
            ["fuel"],
            repair=(4, 12),
            needs={"power": _need([g.station(j)], buffer=gen)},
            serves={g.dids[d]: 1.0 for d in range(n_d) if d % n_fuel == i},
        )


def _heat(g: _Gmina) -> None:
    """Heat: a district heating plant in some gminas, for the first half of the districts."""
    if g.rng.random() >= 0.4:
        return
    g.heated = list(range((len(g.dids) + 1) // 2))
    g.add(
        g.plant,
        f"Ciepłownia {g.name}",
        "heating_plant",
        "heat",
        ["heat"],
        repair=(12, 36),
        needs={
            "power": _need([g.station(0)], buffer=("generator", 12)),
            "water": _need([g.tank], buffer=("storage", 24)),
            "control": _need([g.scada], buffer=("manual", 24)),
        },
        serves={g.dids[j]: 1.0 for j in g.heated},
    )


def _schools(g: _Gmina) -> None:
    """Schools (reception centres), one per district, heated from the plant where there is one."""
    for j, did in enumerate(g.dids):
        needs: Json = {"power": _need([g.station(j)]), "water": _need([g.pumps[j]])}
        if j in g.heated:
            needs["heat"] = _need([g.plant], buffer=("storage", 12))
        g.add(
            f"{g.prefix}.szkola-{j + 1}",
            f"Szkoła {g.dnames[j]}",
            "school",
            "education",
            ["shelter"],
            repair=(8, 24),
            needs=needs,
            serves={did: 1.0},
        )


def _fire_stations(g: _Gmina) -> None:
    """Fire stations: a volunteer OSP per district, a PSP unit where there is a hospital."""
    p = g.prefix
    for j, did in enumerate(g.dids):
        g.add(
            f"{p}.osp-{j + 1}",
            f"OSP {g.dnames[j]}",
            "fire_station",
            "rescue",
            ["rescue"],
            repair=(4, 12),
            needs={
                "power": _need([g.station(j)], buffer=("generator", 12)),
                "fuel": _need(g.fuel_ids, buffer=("storage", 48)),
                "telecom": _need(g.bts_of[j], buffer=("manual", 72)),
            },
            serves={did: 1.0},
            critical=True,
        )
    if g.has_hospital:
        g.add(
            f"{p}.jrg",
            f"JRG PSP {g.name}",
            "fire_station",
            "rescue",
            ["rescue"],
            repair=(4, 12),
            needs={
                "power": _need([g.station(0)], buffer=("generator", 72)),
                "fuel": _need(g.fuel_ids, buffer=("storage", 72)),
                "telecom": _need(g.radio, buffer=("manual", 72)),
            },
            critical=True,
        )


def generate_region(gminas: int, *, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Generate a synthetic region model and a cascade scenario for it.

    Parameters
    ----------
    gminas : int
        Number of gmina clusters, at least 1. The model has about
        ``ASSETS_PER_GMINA * gminas`` assets.
    seed : int
        Seed of the only random generator used; also written as the scenario's seed so a
        simulation of the generated scenario is reproducible as well.

    Returns
    -------
    tuple of (dict, dict)
        The infrastructure model document and the scenario document, as plain JSON-ready
        dictionaries. The scenario's ``infrastructure`` field is a placeholder file name;
        :func:`write_region` replaces it with the real one.

    Raises
    ------
    ValueError
        If ``gminas`` is less than 1.
    """
    if gminas < 1:
        raise ValueError(f"gminas must be at least 1, got {gminas}")
    with collector_paused():
        return _generate(gminas, seed)


def _generate(gminas: int, seed: int) -> tuple[Json, Json]:
    """Build the documents of :func:`generate_region`, whose arguments are already checked.

    Parameters
    ----------
    gminas : int
        Number of gmina clusters, at least 1.
    seed : int
        Seed of the only random generator used.

    Returns
    -------
    tuple of (dict, dict)
        The model and scenario documents.
    """
    rng = random.Random(seed)
    n_hv = math.ceil(gminas / GMINAS_PER_HV_SUBSTATION)
    assets, hv_ids, links = _regional_assets(n_hv)
    districts: list[Json] = []
    resources: list[Json] = [
        {"id": "region.crew-hv", "kind": "power_crew", "count": max(1, n_hv // 2)},
        {"id": "region.crew-it", "kind": "it_team", "count": 2},
        {
            "id": "region.gen-heavy",
            "kind": "generator",
            "count": max(2, gminas // 10),
            "fuel_hours": 48,
        },
    ]
    width = max(4, len(str(gminas - 1)))
    # The storm track is a contiguous run of gminas (neighbours in numbering are neighbours
    # on the map), about a tenth of the region and never empty, so the zone always exists.
    track = max(1, round(gminas / 10))
    track_start = rng.randrange(gminas - track + 1)
    out = (districts, resources, assets, links)
    for index in range(gminas):
        own = index // GMINAS_PER_HV_SUBSTATION
        feeds = [hv_ids[own]]
        if n_hv > 1 and rng.random() < 0.25:
            feeds.append(hv_ids[(own + 1) % n_hv])
        cores = (
            CORE_ROUTERS[index % len(CORE_ROUTERS)],
            CORE_ROUTERS[(index + 1) % len(CORE_ROUTERS)],
        )
        zones_in = (track_start <= index < track_start + track, f"flood-r{index // 25 + 1:03d}")
        _gmina(rng, index, f"g{index:0{width}d}", feeds, cores, zones_in, out)

    model: Json = {
        "format": MODEL_FORMAT,
        "id": f"region-synthetic-{gminas}-s{seed}",
        "name": f"Region syntetyczny (liczba gmin: {gminas}, seed: {seed})",
        "description": (
            f"Synthetic benchmark region generated by cybrelia.files.generate: {gminas} gmina "
            f"clusters around {n_hv} regional HV substation(s) fed from {MAIN_SUBSTATION}."
        ),
        "districts": districts,
        "resources": resources,
        "assets": assets,
        "cyber_links": links,
    }
    target = f"g{rng.randrange(gminas):0{width}d}.scada"
    scenario: Json = {
        "format": SCENARIO_FORMAT,
        "id": SCENARIO_ID,
        "title": "Kaskada regionalna: awaria GPZ, atak na SCADA i nawałnica",
        "description": (
            "Benchmark scenario: the main regional substation fails, a water SCADA is "
            "compromised and the attack may spread through the regional IT core, a storm "
            "crosses part of the region, and the substation is repaired after 29 hours."
        ),
        "infrastructure": "region.json",
        "start": "2027-01-14T06:00:00+01:00",
        "duration": "72h",
        "seed": seed,
        "injects": [
            {"id": "I-01", "at": "1h", "effects": [{"damage": [MAIN_SUBSTATION]}]},
            {
                "id": "I-02",
                "at": "2h",
                "effects": [{"compromise": target, "spread": {"every": "2h", "probability": 0.3}}],
            },
            {"id": "I-03", "at": "6h", "effects": [{"damage_zone": STORM_ZONE}]},
            {"id": "I-04", "at": "30h", "effects": [{"repair": [MAIN_SUBSTATION]}]},
        ],
    }
    return model, scenario


def scenario_path_for(model_path: pathlib.Path) -> pathlib.Path:
    """Return where :func:`write_region` puts the scenario for a model file.

    Parameters
    ----------
    model_path : pathlib.Path
        Path of the model file, e.g. ``out/region.json``.

    Returns
    -------
    pathlib.Path
        ``<stem>.scenario.json`` beside the model, e.g. ``out/region.scenario.json``.
    """
    return model_path.with_name(f"{model_path.stem}.scenario.json")


def _dump(document: Json, path: pathlib.Path) -> None:
    """Write compact UTF-8 JSON with a trailing newline.

    ``json.dumps`` is used instead of ``json.dump`` because only the one-shot encoder runs in
    C; streaming a 100,000-asset model through the pure-Python encoder is several times
    slower. Compact separators keep the file small and are still valid YAML for loaders
    that read everything with a YAML parser.
    """
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    path.write_bytes((text + "\n").encode("utf-8"))


def write_region(gminas: int, *, seed: int, out: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    """Write a generated region model and its scenario as JSON files.

    Parameters
    ----------
    gminas : int
        Number of gmina clusters, see :func:`generate_region`.
    seed : int
        Seed of the generator and of the scenario.
    out : pathlib.Path
        Model file to write; must end in ``.json``. Its directory is created if missing.

    Returns
    -------
    tuple of (pathlib.Path, pathlib.Path)
        The model path and the scenario path (``<stem>.scenario.json`` beside it), whose
        ``infrastructure`` field names the model file relative to the scenario.

    Raises
    ------
    ValueError
        If ``out`` does not end in ``.json`` (the scenario name is derived from it, and a
        different suffix would hide that the content is JSON) or ``gminas`` is less than 1.
    """
    if out.suffix != ".json":
        raise ValueError(f"output file must end in .json, got {out}")
    model, scenario = generate_region(gminas, seed=seed)
    scenario_path = scenario_path_for(out)
    scenario["infrastructure"] = out.name
    out.parent.mkdir(parents=True, exist_ok=True)
    _dump(model, out)
    _dump(scenario, scenario_path)
    return out, scenario_path
